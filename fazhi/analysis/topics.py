"""TF-IDF keywords per report and topic models (NMF on TF-IDF, LDA on counts) over tokens.

The unit of analysis is whatever :func:`fazhi.tokenize_corpus` was asked for — paragraphs by
default, because five reports are too few documents for a topic model and their paragraphs
are not. Keywords are always computed per document, by pooling a document's units.

The number of topics, when not given, is the one whose topics are most coherent on the corpus
itself: the mean NPMI of each topic's top terms, from how often they share a unit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from .._compat import renamed
from ..exceptions import ParameterError
from ..tokens.compact import UNITS, count_matrix, pool_rows
from ..tokens.grouping import doc_metadata
from .topic_model import TopicModel

if TYPE_CHECKING:
    from ..tokens.segment import Tokens

__all__ = ["TopicModel", "coherence_by_k", "fit_topics", "keywords_per_doc", "npmi_coherence",
           "tfidf_weights"]

METHODS = ("nmf", "lda")
# The k search fits one model per candidate; above this many units it fits them on a seeded
# random sample (coherence is still counted on every unit), which keeps a 10,000-report
# corpus within seconds while the final model uses every unit.
K_SEARCH_SAMPLE = 5000
#: Paragraphs of a Parquet store a topic model is fitted on (fit_topics(folder)): a seeded
#: random sample, read a part at a time; 50,000 paragraphs are ~1,700 reports' worth.
STORE_SAMPLE = 50_000
_LDA_BATCH_MAX = 2000


def _identity(tokens: list[str]) -> list[str]:
    # The tokens are already segmented and filtered; a module-level function keeps the
    # vectorizer picklable.
    return tokens


def _check_tokens(tokens: Tokens) -> None:
    if tokens.unit not in UNITS:
        raise ParameterError(f"unknown unit {tokens.unit!r}: use one of {', '.join(UNITS)}")
    if len(tokens.units) == 0:
        raise ParameterError(
            "there is nothing to analyse: the corpus is empty; check its path and the "
            "years/places filters")
    if len(tokens) != len(tokens.units):
        raise ParameterError(
            f"tokens has {len(tokens)} token lists for {len(tokens.units)} units; "
            "build it with fazhi.tokenize_corpus")


def _vectorize(vocab: np.ndarray, ids: np.ndarray, offsets: np.ndarray, kind: str,
               min_df: float, max_df: float, unit: str = "unit",
               ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Document-term matrix (``kind`` "tfidf" or "count") of the units ``offsets`` delimits
    in ``ids``, and its terms: the matrix scikit-learn's CountVectorizer / TfidfVectorizer
    would build from the token lists, entry for entry, built from the ids instead."""
    for name, value in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(value, bool) or not (
                (isinstance(value, (int, np.integer)) and value >= 1)
                or (isinstance(value, float) and 0.0 <= value <= 1.0)):
            raise ParameterError(
                f"{name}={value!r}: give a count of {unit}s (int >= 1) or a share (float 0-1)")
    n_units = len(offsets) - 1
    # CountVectorizer numbers terms by first appearance, orders each row's entries by that
    # number, and only then renumbers the kept terms alphabetically. The floating-point sums
    # of TF-IDF norms, NMF and LDA follow the entries' order, so it is kept: the same topics.
    by_appearance, first_seen = pd.factorize(ids)
    problem = None
    if not len(first_seen):
        problem = "empty vocabulary; perhaps the documents only contain stop words"
    else:
        # TfidfVectorizer counts in floats: converting integer counts would sort the
        # entries of each row and so change the order of the sums again.
        counts = count_matrix(by_appearance, offsets, len(first_seen),
                              np.float64 if kind == "tfidf" else np.int64)
        most = max_df if isinstance(max_df, Integral) else max_df * n_units
        least = min_df if isinstance(min_df, Integral) else min_df * n_units
        doc_freq = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero((doc_freq <= most) & (doc_freq >= least))
        if most < least:
            problem = "max_df corresponds to < documents than min_df"
        elif not len(kept):
            problem = "After pruning, no terms remain. Try a lower min_df or a higher max_df."
    if problem:
        raise ParameterError(
            f"no term is left with min_df={min_df!r} and max_df={max_df!r} over "
            f"{n_units} {unit}s ({problem}); lower min_df or raise max_df")
    counts = counts[:, kept]
    # The vocabulary is sorted, so alphabetical order is the order of the ids.
    alphabetical = np.argsort(first_seen[kept], kind="stable")
    rank = np.empty(len(kept), dtype=counts.indices.dtype)
    rank[alphabetical] = np.arange(len(kept), dtype=rank.dtype)
    counts.indices = rank.take(counts.indices)
    terms = vocab[first_seen[kept][alphabetical]]
    if kind == "tfidf":
        return tfidf_weights(counts), terms
    return counts, terms


def _top_indices(row: np.ndarray, n: int, terms: np.ndarray) -> np.ndarray:
    """Indices of the ``n`` largest positive weights, ties broken by term so runs agree."""
    nonzero = np.flatnonzero(row > 0)
    order = np.lexsort((terms[nonzero], -row[nonzero]))
    return nonzero[order[:n]]


def tfidf_weights(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """fazhi's one TF-IDF weighting: (1 + ln tf) × ln((1 + n) / (1 + df)), L2-normalised
    per row (a report for :func:`keywords_per_doc`, a unit for the NMF of :func:`fit_topics`).

    tf is the term's count in the row, n the number of rows, df the rows using the term. The
    1 + inside the fraction is scikit-learn's ``smooth_idf`` (as if one more row held every
    term, so no df is zero); the ``+ 1`` scikit-learn then adds to the idf is left out: a
    term every row uses scores 0, since it distinguishes none of them. Sublinear tf keeps a
    term said 40 times from outweighing, 40 to 1, a term only this row uses.

    Examples
    --------
    >>> from scipy import sparse
    >>> w = tfidf_weights(sparse.csr_matrix([[3.0, 1.0], [0.0, 2.0]]))
    >>> w.toarray().round(3).tolist()  # the second term is in every row: weight 0
    [[1.0, 0.0], [0.0, 0.0]]
    """
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    counts = counts.tocsr()
    # Entry by entry, so each row keeps the order of its entries (and the sums their order):
    # scipy's astype and sklearn's normalize would sort them.
    scores = sparse.csr_matrix((counts.data.astype(float), counts.indices.copy(),
                                counts.indptr.copy()), shape=counts.shape)
    scores.data = (1.0 + np.log(scores.data)) * np.log((1.0 + n_docs) / (1.0 + df))[scores.indices]
    rows = np.repeat(np.arange(n_docs), np.diff(scores.indptr))
    norms = np.sqrt(np.bincount(rows, weights=scores.data**2, minlength=n_docs))
    scores.data /= np.where(norms > 0, norms, 1.0)[rows]
    return scores


def keywords_per_doc(tokens: Tokens, top_n: int = 10, min_df: float = 1,
                     max_df: float = 1.0) -> pd.DataFrame:
    """The terms that most distinguish each document from the others, by TF-IDF.

    Units are pooled per ``doc_id`` first, so the result is per report whatever the unit.
    A term's score is (1 + ln tf) × ln((1 + n) / (1 + df)) over the n documents, normalised
    per document: terms every report uses score 0 and are never keywords (so a corpus of
    one document has none), and a term's sheer repetition counts less than its rarity.

    Parameters
    ----------
    tokens : Tokens
        From :func:`fazhi.tokenize_corpus`.
    top_n : int
        Keywords kept per document (rows kept per report, as ``top_n`` in
        :func:`fazhi.term_frequency`; docs/glossary.md).
    min_df, max_df : int or float
        Keep terms used by at least ``min_df`` / at most ``max_df`` documents (int: a
        count, float: a share).

    Returns
    -------
    DataFrame
        doc_id, rank (1 = most distinctive), term, score, then the document's metadata.

    Examples
    --------
    >>> import fazhi
    >>> kw = keywords_per_doc(fazhi.tokenize_corpus(fazhi.load_corpus()), top_n=5)
    >>> list(kw.columns[:4])
    ['doc_id', 'rank', 'term', 'score']
    """
    _check_tokens(tokens)
    if top_n < 1:
        raise ParameterError(f"top_n={top_n}: ask for at least one keyword")
    meta = doc_metadata(tokens.units)
    docs = meta["doc_id"].tolist()
    codes = pd.Index(docs).get_indexer(tokens.units["doc_id"])
    ids, offsets = pool_rows(tokens.ids, tokens.offsets, codes, len(docs))
    counts, terms = _vectorize(tokens.vocab, ids, offsets, "count", min_df, max_df, "document")
    matrix = tfidf_weights(counts)
    rows = []
    for doc, row in zip(docs, matrix.toarray()):
        for rank, j in enumerate(_top_indices(row, top_n, terms), start=1):
            rows.append((doc, rank, terms[j], float(row[j])))
    out = pd.DataFrame(rows, columns=["doc_id", "rank", "term", "score"])
    return out.merge(meta, on="doc_id", how="left")


def keywords_summary(keywords: pd.DataFrame, sep: str = " · ") -> pd.DataFrame:
    """One row per report with its keywords in rank order: the readable view of
    :func:`keywords_per_doc`'s long table.

    Examples
    --------
    >>> import pandas as pd
    >>> kw = pd.DataFrame({"doc_id": ["a", "a", "b"], "rank": [2, 1, 1],
    ...                    "term": ["政务公开", "放管服", "行政复议"],
    ...                    "place": ["普宁市", "普宁市", "汕尾市"], "year": [2020, 2020, 2022]})
    >>> keywords_summary(kw)[["report", "keywords"]].values.tolist()
    [['普宁市 2020', '放管服 · 政务公开'], ['汕尾市 2022', '行政复议']]
    """
    from ..corpus.model import doc_labels

    if keywords.empty:
        return pd.DataFrame(columns=["doc_id", "report", "keywords"])
    ordered = keywords.sort_values(["doc_id", "rank"], kind="stable")
    terms = ordered.groupby("doc_id", sort=False)["term"].agg(sep.join)
    docs = ordered.drop_duplicates("doc_id").set_index("doc_id")
    out = pd.DataFrame({"doc_id": terms.index, "report": doc_labels(docs.reset_index()).to_numpy(),
                        "keywords": terms.to_numpy()})
    return out.reset_index(drop=True)


# --- coherence -------------------------------------------------------------------------------

def _npmi(presence: sparse.csr_matrix) -> float:
    """Mean NPMI over every pair of columns of a binary units × terms matrix."""
    n_units, n_terms = presence.shape
    if n_terms < 2 or n_units == 0:
        return float("nan")
    p = np.asarray(presence.sum(axis=0)).ravel() / n_units
    p_joint = (presence.T @ presence).toarray() / n_units
    scores = []
    for i in range(n_terms):
        for j in range(i + 1, n_terms):
            pij = p_joint[i, j]
            if pij == 0:
                scores.append(-1.0)  # never together: the NPMI limit
            elif pij == 1:
                scores.append(1.0)  # both in every unit: perfectly associated
            else:
                scores.append(np.log(pij / (p[i] * p[j])) / -np.log(pij))
    return float(np.mean(scores))


def npmi_coherence(top_terms: Sequence[str], token_sets: Iterable[Iterable[str]]) -> float:
    """Coherence of one topic: the mean normalised PMI of every pair of its top terms.

    Probabilities are shares of units: p(w) is the share of units containing ``w``, p(w, v)
    the share containing both. NPMI(w, v) = log(p(w, v) / (p(w) p(v))) / -log p(w, v), from
    -1 (never together) through 0 (independent) to 1 (always together).

    Examples
    --------
    >>> units = [["行政复议", "案件"], ["行政复议", "案件"], ["普法", "宣传"]]
    >>> round(npmi_coherence(["行政复议", "案件"], units), 3)
    1.0
    """
    from sklearn.feature_extraction.text import CountVectorizer

    vocabulary = list(dict.fromkeys(top_terms))
    counter = CountVectorizer(analyzer=_identity, vocabulary=vocabulary, binary=True)
    return _npmi(counter.transform([list(s) for s in token_sets]).tocsr())


def _topic_coherence(presence: sparse.csr_matrix, top_idx: list[np.ndarray]) -> list[float]:
    return [_npmi(presence[:, idx]) for idx in top_idx]


# --- fitting ---------------------------------------------------------------------------------

def _factorize(matrix: sparse.csr_matrix, k: int, method: str,
               random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit × topic and topic × term weights."""
    import warnings

    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.exceptions import ConvergenceWarning

    if method == "nmf":
        model = NMF(n_components=k, init="nndsvd", random_state=random_state, max_iter=400)
    elif matrix.shape[0] <= _LDA_BATCH_MAX:
        model = LatentDirichletAllocation(n_components=k, learning_method="batch",
                                          max_iter=50, random_state=random_state)
    else:
        # Full-batch variational EM costs a pass over every unit per step; mini-batches reach
        # the same perplexity in a fraction of the passes on large corpora.
        model = LatentDirichletAllocation(n_components=k, learning_method="online",
                                          batch_size=512, max_iter=10,
                                          random_state=random_state)
    with warnings.catch_warnings():
        # A model stopped at max_iter is still deterministic and usable for exploration.
        warnings.simplefilter("ignore", ConvergenceWarning)
        unit_weights = model.fit_transform(matrix)
    topic_terms = model.components_
    if method == "lda":
        topic_terms = topic_terms / topic_terms.sum(axis=1, keepdims=True)
    return unit_weights, topic_terms


def _candidates(k_range: Iterable[int] | Sequence[int], limit: int) -> list[int]:
    ks = list(k_range)
    if isinstance(k_range, (list, tuple)) and len(ks) == 2:
        ks = list(range(ks[0], ks[1] + 1))  # [lo, hi]: the notebook's inclusive bounds
    if not ks or any(k < 2 for k in ks):
        raise ParameterError(f"k_range={k_range!r}: give numbers of topics of at least 2")
    usable = sorted({int(k) for k in ks if k <= limit})
    if not usable:
        raise ParameterError(
            f"k_range={k_range!r}: every k exceeds the {limit} units/terms available; "
            "use a smaller k_range or a finer unit")
    return usable


def _check_k(k: int, n_units: int, n_terms: int, unit: str) -> None:
    if k < 2:
        raise ParameterError(f"n_topics={k}: a topic model needs at least 2 topics")
    if k > min(n_units, n_terms):
        raise ParameterError(
            f"n_topics={k} exceeds the {n_units} {unit}s / {n_terms} terms available; "
            "ask for fewer topics, a finer unit, or a lower min_df")


@dataclass
class _Matrices:
    weights: sparse.csr_matrix   # tf-idf (nmf) or counts (lda)
    presence: sparse.csr_matrix  # binary, for coherence
    terms: np.ndarray
    unit: str


def _matrices(tokens: Tokens, method: str, min_df: float, max_df: float) -> _Matrices:
    _check_tokens(tokens)
    if method not in METHODS:
        raise ParameterError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    kind = "tfidf" if method == "nmf" else "count"
    weights, terms = _vectorize(tokens.vocab, tokens.ids, tokens.offsets, kind, min_df, max_df,
                                tokens.unit)
    presence = weights.copy()
    presence.data[:] = 1
    return _Matrices(weights, presence, terms, tokens.unit)


def _score_k(m: _Matrices, ks: list[int], method: str, n_terms: int, random_state: int,
             sample_size: int | None) -> pd.DataFrame:
    rows = np.arange(m.weights.shape[0])
    if sample_size is not None and len(rows) > sample_size:
        rng = np.random.default_rng(random_state)
        rows = np.sort(rng.choice(rows, size=sample_size, replace=False))
    scores = []
    for k in ks:
        _, topic_terms = _factorize(m.weights[rows], k, method, random_state)
        top_idx = [_top_indices(t, n_terms, m.terms) for t in topic_terms]
        scores.append((k, float(np.nanmean(_topic_coherence(m.presence, top_idx)))))
    return pd.DataFrame(scores, columns=["k", "coherence"])


@renamed(top_n="n_terms")
def coherence_by_k(tokens: Tokens, k_range: Iterable[int] = range(3, 11), method: str = "nmf",
                   n_terms: int = 10, min_df: float = 2, max_df: float = 0.9,
                   random_state: int = 0, sample_size: int | None = K_SEARCH_SAMPLE,
                   ) -> pd.DataFrame:
    """Mean topic coherence (NPMI of each topic's top terms) for each number of topics.

    Parameters
    ----------
    k_range : range or list
        Candidate numbers of topics; a two-item list ``[lo, hi]`` means lo to hi inclusive.
        Candidates above the number of units are skipped.
    sample_size : int or None
        With more units than this, each candidate is fitted on a seeded random sample of
        units (co-occurrence is still counted on all of them). None: always fit on all.

    Other parameters are those of :func:`fit_topics`.

    Returns
    -------
    DataFrame
        k, coherence (mean NPMI, -1 to 1; higher is more coherent).

    Examples
    --------
    >>> import fazhi
    >>> scores = coherence_by_k(fazhi.tokenize_corpus(fazhi.load_corpus()), [3, 5])
    >>> scores["k"].tolist()
    [3, 4, 5]
    """
    m = _matrices(tokens, method, min_df, max_df)
    ks = _candidates(k_range, min(m.weights.shape))
    return _score_k(m, ks, method, n_terms, random_state, sample_size)


@renamed(top_n="n_terms")
def fit_topics(tokens: Tokens, n_topics: int | None = None, method: str = "nmf",
               n_terms: int = 10, min_df: float = 2, max_df: float = 0.9,
               k_range: Iterable[int] = range(3, 11), random_state: int = 0,
               *, sample_size: int | None = K_SEARCH_SAMPLE,
               store_sample: int = STORE_SAMPLE) -> TopicModel:
    """Fit a topic model over the units of ``tokens``.

    ``method="nmf"`` (default) factorises the TF-IDF matrix (:func:`tfidf_weights`, the
    weighting of :func:`keywords_per_doc` too) with a deterministic NNDSVD start; ``"lda"`` fits latent Dirichlet allocation on counts. The same input and
    parameters give the same topics on every run. Topics are numbered from 1 by prevalence.

    Parameters
    ----------
    tokens : Tokens or folder
        From :func:`fazhi.tokenize_corpus`; its unit (paragraph, section, document) is the
        unit the model sees. Or the folder of a Parquet store (:func:`fazhi.process_corpus`):
        the model is then fitted on ``store_sample`` of its paragraphs drawn at random
        (:func:`fazhi.tokens.store.sample_tokens`, seeded by ``random_state``), read a part at
        a time, and describes those paragraphs (``unit_topics``) — memory holds the sample,
        not the corpus's tokens.
    n_topics : int or None
        Number of topics; None picks the most coherent k in ``k_range`` (see
        :func:`coherence_by_k`).
    method : {"nmf", "lda"}
    n_terms : int
        Top terms kept per topic (and scored for coherence). Called ``top_n`` before;
        the old name still works, with a FutureWarning (docs/glossary.md).
    min_df, max_df : int or float
        Keep terms in at least ``min_df`` / at most ``max_df`` units (int: a count, float:
        a share).
    k_range : range or list
        Candidates when ``n_topics`` is None; ``[lo, hi]`` means lo to hi inclusive.
    random_state : int
        Seed for LDA and for the k-search sample.
    sample_size : int or None
        See :func:`coherence_by_k`.
    store_sample : int
        For a store folder: the paragraphs the model is fitted on (all when it holds fewer).

    Returns
    -------
    TopicModel

    Raises
    ------
    ParameterError
        For an unknown method or unit, fewer than 2 topics, more topics than units or terms,
        or when ``min_df``/``max_df`` leave no term.

    Examples
    --------
    >>> import fazhi
    >>> model = fit_topics(fazhi.tokenize_corpus(fazhi.load_corpus()), n_topics=4)
    >>> model.top_terms_table()["topic"].tolist()
    [1, 2, 3, 4]
    """
    if n_terms < 1:
        raise ParameterError(f"n_terms={n_terms}: keep at least one term per topic")
    if isinstance(tokens, str | os.PathLike):
        from ..tokens.store import sample_tokens

        tokens = sample_tokens(tokens, store_sample, random_state)
    m = _matrices(tokens, method, min_df, max_df)
    n_units, n_vocab = m.weights.shape
    k_scores = None
    if n_topics is None:
        k_scores = _score_k(m, _candidates(k_range, min(n_units, n_vocab)), method, n_terms,
                            random_state, sample_size)
        n_topics = int(k_scores.loc[k_scores["coherence"].idxmax(), "k"])
    _check_k(n_topics, n_units, n_vocab, m.unit)
    unit_weights, topic_terms = _factorize(m.weights, n_topics, method, random_state)

    lengths = tokens.lengths.astype(float)
    totals = unit_weights.sum(axis=1, keepdims=True)
    shares = np.divide(unit_weights, totals, out=np.zeros_like(unit_weights), where=totals > 0)
    order = np.argsort(-(shares * lengths[:, None]).sum(axis=0), kind="stable")
    shares, topic_terms = shares[:, order], topic_terms[order]

    top_idx = [_top_indices(t, n_terms, m.terms) for t in topic_terms]
    labels = _labels([m.terms[idx[:3]] for idx in top_idx])
    top_terms = pd.DataFrame(
        [(topic, labels[topic - 1], rank, m.terms[j], float(topic_terms[topic - 1, j]))
         for topic, idx in enumerate(top_idx, start=1)
         for rank, j in enumerate(idx, start=1)],
        columns=["topic", "label", "rank", "term", "weight"])

    unit_topics = tokens.units.reset_index(drop=True).copy()
    unit_topics["n_tokens"] = lengths.astype(int)
    has_topic = totals.ravel() > 0
    unit_topics["dominant"] = np.where(has_topic, np.asarray(labels)[shares.argmax(axis=1)],
                                       None)
    unit_topics = pd.concat([unit_topics, pd.DataFrame(shares, columns=labels)], axis=1)
    params = dict(method=method, n_terms=n_terms, min_df=min_df, max_df=max_df, k_range=k_range,
                  random_state=random_state, sample_size=sample_size)
    return TopicModel(
        method=method, unit=m.unit, n_topics=n_topics, labels=labels, top_terms=top_terms,
        unit_topics=unit_topics, coherence=_topic_coherence(m.presence, top_idx),
        params=params, tokens=tokens, _k_scores=k_scores,
        score_k=partial(coherence_by_k, tokens, **params))


def _labels(top3: list[np.ndarray]) -> list[str]:
    labels: list[str] = []
    for terms in top3:
        label = "·".join(terms)
        # Column names must be unique; two topics sharing their top three terms stay apart.
        while label in labels:
            label += "'"
        labels.append(label)
    return labels
