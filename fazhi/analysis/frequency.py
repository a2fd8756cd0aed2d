"""Term frequency, keyness, KWIC, collocations, co-occurrence and dictionary coding.

Every function takes :class:`~fazhi.tokens.segment.Tokens` (KWIC also a Corpus) and returns a
DataFrame. ``by=`` names any column of ``Tokens.units`` (year, province, kind, doc_id …) and
works the same everywhere. Grouped by ``doc_id`` (alone or with para_id, section, kind …) a
table carries the report's metadata (:data:`fazhi.corpus.load.META_COLUMNS`), as docvars do in
quanteda; grouped by anything else it carries only the ``by`` columns.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from fnmatch import translate
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from .._compat import renamed
from ..corpus.model import META_COLUMNS
from ..exceptions import ParameterError
from ..io import plain_columns
from ..tokens.grouping import (
    PER,
    by_columns,
    carried_meta,
    check_tokens,
    check_top_n,
    dfm,
    doc_freq,
    groups,
    indicator,
)
from ..tokens.segment import Tokens
from .dictionary import dictionary_counts, load_dictionary

# ---- term frequency -----------------------------------------------------------------------

def term_frequency(tokens: Tokens, by: str | Sequence[str] | None = None,
                   top_n: int | None = None) -> pd.DataFrame:
    """Count each term, overall or by group.

    Parameters
    ----------
    tokens : Tokens or folder
        From :func:`fazhi.tokenize_corpus`; or the folder of a Parquet store
        (:func:`fazhi.process_corpus`), whose tokens are counted a part at a time so that
        memory holds the counts, not the corpus's tokens (same table).
    by : str or list of str, optional
        Column(s) of ``tokens.units`` to group by: year, province, place, kind, doc_id …;
        default ``None``, no grouping (``by`` and ``top_n``: see docs/glossary.md).
    top_n : int, optional
        Keep the ``top_n`` most frequent terms (of each group).

    Returns
    -------
    DataFrame
        [by columns,] term, count, rate (per 10,000 tokens of the group), doc_freq (documents
        of the group containing the term), then, when ``doc_id`` is a by column, the
        report's metadata (title, organ, province … script). Without ``top_n`` the counts
        of the groups add up to the overall counts.

    Examples
    --------
    >>> import fazhi
    >>> toks = fazhi.tokenize_corpus(fazhi.load_corpus())
    >>> term_frequency(toks, top_n=3).columns.tolist()
    ['term', 'count', 'rate', 'doc_freq']
    """
    if isinstance(tokens, str | os.PathLike):
        return _stored_term_frequency(Path(tokens), by, top_n)
    tokens = check_tokens(tokens)
    cols = by_columns(tokens, by)
    check_top_n(top_n)
    matrix, vocab = dfm(tokens)
    codes, keys = groups(tokens.units, cols)
    counts = (indicator(codes, len(keys)) @ matrix).tocoo()
    docs = doc_freq(tokens, matrix, codes).tocsr()
    totals = np.asarray(counts.sum(axis=1)).ravel()
    table = pd.DataFrame({
        "_g": counts.row, "term": vocab[counts.col], "count": counts.data.astype(np.int64),
        "rate": counts.data / np.where(totals[counts.row] > 0, totals[counts.row], 1) * PER,
        "doc_freq": np.asarray(docs[counts.row, counts.col]).ravel().astype(np.int64),
    })
    table = table.sort_values(["_g", "count", "term"], ascending=[True, False, True])
    if top_n is not None:
        table = table.groupby("_g", sort=False).head(top_n)
    if not cols:
        return table.drop(columns="_g").reset_index(drop=True)
    meta = carried_meta(tokens.units, codes, keys)
    extra = [c for c in meta.columns if c not in cols]
    table = table.merge(meta.assign(_g=np.arange(len(meta))), on="_g").drop(columns="_g")
    return table[[*cols, "term", "count", "rate", "doc_freq", *extra]].reset_index(drop=True)


def _stored_term_frequency(path: Path, by: str | Sequence[str] | None,
                           top_n: int | None) -> pd.DataFrame:
    """:func:`term_frequency` of a store's tokens, a part at a time. Reports never span
    parts: a term's counts and documents in a group add up over the parts, and the rate is
    taken on the group's total at the end."""
    from ..tokens.store import iter_token_parts

    check_top_n(top_n)
    total, cols, extra = None, [], []
    for part in iter_token_parts(path):
        if total is None:
            cols = by_columns(part, by)
        table = term_frequency(part, by)  # every term of every group of this part
        if total is None:
            total, extra = table, [c for c in table.columns
                                   if c not in (*cols, "term", "count", "rate", "doc_freq")]
            continue
        keys = [*cols, "term"]
        both = pd.concat([total, table], ignore_index=True).groupby(
            keys, sort=False, dropna=False, observed=True)
        total = both.agg(count=("count", "sum"), doc_freq=("doc_freq", "sum"),
                         **{c: (c, "first") for c in extra}).reset_index()
    if total is None:
        raise ParameterError(f"{path}: the store holds no tokens")
    sizes = (total.groupby(cols, sort=False, dropna=False, observed=True)["count"]
             .transform("sum") if cols else total["count"].sum())
    total["rate"] = total["count"] / np.where(sizes > 0, sizes, 1) * PER
    table = total.sort_values([*cols, "count", "term"], ascending=[True] * len(cols) + [False, True],
                              na_position="last", kind="stable")
    if top_n is not None:
        table = (table.groupby(cols, sort=False, dropna=False, observed=True).head(top_n)
                 if cols else table.head(top_n))
    return table[[*cols, "term", "count", "rate", "doc_freq", *extra]].reset_index(drop=True)


# ---- keyness ------------------------------------------------------------------------------

def _g2_chi2(a, b, c, d) -> tuple[np.ndarray, np.ndarray]:
    """G² and Pearson χ² (no continuity correction) of 2×2 tables [[a, b], [c, d]]."""
    observed = np.stack([a, b, c, d]).astype(float)
    n = observed.sum(axis=0)
    rows = np.stack([a + b, a + b, c + d, c + d]).astype(float)
    columns = np.stack([a + c, b + d, a + c, b + d]).astype(float)
    expected = rows * columns / n
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * np.where(observed > 0, observed * np.log(observed / expected), 0.0).sum(axis=0)
        chi2 = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0).sum(axis=0)
    return g2, chi2


def _select(units: pd.DataFrame, col: str, values: Any, name: str,
            possible: frozenset = frozenset()) -> np.ndarray:
    wanted = [values] if np.isscalar(values) else list(values)
    present = set(units[col].dropna().unique())
    unknown = [v for v in wanted if v not in present and v not in possible]
    if unknown:
        raise ParameterError(f"{name}: {unknown[0]!r} is not a value of column {col!r}; "
                             f"values are {', '.join(map(str, sorted(present, key=str)))}")
    return units[col].isin(wanted).to_numpy()


@renamed(by="compare")
def keyness(tokens: Tokens, target: Any, reference: Any = None, compare: str = "kind",
            min_count: int = 3, top_n: int | None = None) -> pd.DataFrame:
    """Terms typical of a target group against a reference, as quanteda's textstat_keyness.

    For each term the 2×2 table (term / other terms × target / reference) gives the
    log-likelihood G², Pearson's χ² (both signed: negative when the term is rarer in the
    target than expected), the p-value of G² (χ² with 1 df) and Hardie's log ratio
    log2(target rate / reference rate), with 0.5 in place of a zero count (a term absent
    from one group would otherwise have an infinite ratio; so 13 : 0 gives a finite 8.1,
    which says "only in the target" more than it measures a ratio).

    Parameters
    ----------
    tokens : Tokens
    target : value or list of values of column ``compare``, e.g. ``"问题"``.
    reference : value or list of values, optional
        Default: all units not in the target.
    compare : str, default "kind"
        The column whose values ``target`` and ``reference`` name (kind, year, province,
        doc_id …). It is not a grouping of the result, so it is not called ``by``; the old
        keyword ``by`` still works, with a FutureWarning (docs/glossary.md).
    min_count : int, default 3
        Drop terms seen fewer times in target and reference together: a term seen once in a
        small target group already reaches G² ≈ 4.9 (p < 0.05), which is chance, not
        evidence. The dropped terms still count in the group totals, so the other terms'
        rates and scores do not change. ``min_count=1`` keeps every term.
    top_n : int, optional
        Keep the ``top_n`` terms most typical of the target and the ``top_n`` most typical of
        the reference.

    Returns
    -------
    DataFrame
        term, target_count, reference_count, target_rate, reference_rate (per 10,000
        tokens), g2, chi2, p_value, log_ratio; sorted by g2, most typical of the target first.
        ``attrs`` holds ``target`` and ``reference`` for plot labels. When a group has no
        tokens (a corpus without 问题 paragraphs) the table is empty, with a warning and
        ``attrs["note"]`` saying so: there is nothing to compare.

    Raises
    ------
    ParameterError
        When a target or reference value is not in column ``compare`` (for ``kind``, not one of
        成效 / 问题 / 责任 / 计划 / 其他), or the groups overlap.

    Examples
    --------
    >>> import fazhi
    >>> toks = fazhi.tokenize_corpus(fazhi.load_corpus())
    >>> keyness(toks, "问题", "成效").columns[:3].tolist()
    ['term', 'target_count', 'reference_count']
    """
    tokens = check_tokens(tokens)
    (col,) = by_columns(tokens, compare, "compare")
    check_top_n(top_n)
    from ..corpus.structure import KINDS

    # A kind no paragraph of this corpus has is an empty group, not a typo.
    possible = frozenset(KINDS) if col == "kind" else frozenset()
    in_target = _select(tokens.units, col, target, "target", possible)
    in_reference = (_select(tokens.units, col, reference, "reference", possible)
                    if reference is not None else ~in_target)
    if (in_target & in_reference).any():
        raise ParameterError("reference: it overlaps the target; give disjoint groups")
    matrix, vocab = dfm(tokens)
    a = np.asarray(matrix[in_target].sum(axis=0)).ravel()
    b = np.asarray(matrix[in_reference].sum(axis=0)).ravel()
    # The group sizes count every token: a term dropped by min_count is still text the
    # other terms' rates and 2×2 tables are measured against.
    n_target, n_reference = a.sum(), b.sum()
    ref_name = reference if reference is not None else "其他"
    if n_target == 0 or n_reference == 0:
        empty = "target" if n_target == 0 else "reference"
        note = (f"没有可比较的内容:{col} = {target if n_target == 0 else ref_name} 的部分没有词 / "
                f"nothing to compare: the {empty} group ({col} = "
                f"{target if n_target == 0 else ref_name}) has no tokens in this corpus")
        warnings.warn(note, stacklevel=2)
        columns = ["term", "target_count", "reference_count", "target_rate",
                   "reference_rate", "g2", "chi2", "p_value", "log_ratio"]
        table = pd.DataFrame(columns=columns).astype(
            {"term": object, "target_count": int, "reference_count": int})
        table[columns[3:]] = table[columns[3:]].astype(float)
        table.attrs.update(target=target, reference=ref_name, note=note)
        return table
    keep = (a + b) >= max(min_count, 1)
    a, b, vocab = a[keep], b[keep], vocab[keep]
    g2, chi2 = _g2_chi2(a, b, n_target - a, n_reference - b)
    sign = np.where(a / n_target >= b / n_reference, 1.0, -1.0)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / n_target)
                        / (np.where(b > 0, b, 0.5) / n_reference))
    # the upper tail of χ² with one degree of freedom (scipy.stats.chi2.sf(g2, 1), without
    # the second and a half it takes to import scipy.stats)
    from scipy.special import chdtrc

    table = pd.DataFrame({
        "term": vocab, "target_count": a, "reference_count": b,
        "target_rate": a / n_target * PER, "reference_rate": b / n_reference * PER,
        "g2": sign * g2, "chi2": sign * chi2, "p_value": chdtrc(1, g2),
        "log_ratio": log_ratio,
    }).sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)
    if top_n is not None:
        table = pd.concat([table.head(top_n), table[table["g2"] < 0].tail(top_n)]
                          ).drop_duplicates("term").reset_index(drop=True)
    table.attrs.update(target=target, reference=ref_name)
    return table


# ---- KWIC ---------------------------------------------------------------------------------

def kwic(data: Any, keyword: str, window: int | None = None) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``keyword`` with what stands before and after.

    Parameters
    ----------
    data : Corpus or Tokens
        With a Corpus the keyword is searched in the paragraph text (it need not be one
        token) and ``window`` counts characters (default 20). With Tokens it must equal a
        token (``*`` is a wildcard: ``"行政*"``) and ``window`` counts tokens (default 5).
    keyword : str
    window : int, optional

    Returns
    -------
    DataFrame
        doc_id, para_id (paragraph units), kind, section, the document metadata, pre,
        keyword, post; with a Corpus also start and end, character offsets in the document.

    Examples
    --------
    >>> import fazhi
    >>> kwic(fazhi.load_corpus(), "放管服", window=8)["keyword"].iloc[0]
    '放管服'
    """
    if not isinstance(keyword, str) or not keyword.strip():
        raise ParameterError(f"keyword: expected a non-empty string, got {keyword!r}")
    if window is not None and (not isinstance(window, int) or window < 0):
        raise ParameterError(f"window: expected a non-negative integer, got {window!r}")
    if isinstance(data, Tokens):
        return _kwic_tokens(data, keyword, 5 if window is None else window)
    if not hasattr(data, "paragraphs") or not hasattr(data, "docs"):
        raise ParameterError("data: expected a fazhi Corpus or Tokens, got "
                             f"{type(data).__name__}")
    return _kwic_text(data, keyword, 20 if window is None else window)


def _kwic_text(corpus: Any, keyword: str, window: int) -> pd.DataFrame:
    paras = corpus.paragraphs
    hits = paras[paras["text"].str.contains(keyword, regex=False)]
    rows = []
    pattern = re.compile(re.escape(keyword))
    for idx, text, start in zip(hits.index, hits["text"], hits["start"]):
        for m in pattern.finditer(text):
            rows.append((idx, text[max(0, m.start() - window):m.start()], m.group(),
                         text[m.end():m.end() + window], start + m.start(), start + m.end()))
    found = pd.DataFrame(rows, columns=["_row", "pre", "keyword", "post", "start", "end"])
    context = paras.loc[found["_row"], [c for c in ("doc_id", "para_id", "kind", "section")
                                        if c in paras.columns]].reset_index(drop=True)
    meta = corpus.docs[["doc_id", *[c for c in META_COLUMNS if c in corpus.docs.columns]]]
    table = pd.concat([context, found.drop(columns="_row")], axis=1)
    return table.merge(meta, on="doc_id", how="left")


def _kwic_tokens(tokens: Tokens, keyword: str, window: int) -> pd.DataFrame:
    match = re.compile(translate(keyword)).match if "*" in keyword else keyword.__eq__
    vocab, ids, offsets = tokens.vocab, tokens.ids, tokens.offsets
    # The keyword is matched against each distinct word once, then found by id.
    wanted = np.flatnonzero([bool(match(w)) for w in vocab])
    positions = np.flatnonzero(np.isin(ids, wanted))
    unit_of = np.searchsorted(offsets, positions, side="right") - 1
    rows = []
    for i, j in zip(unit_of.tolist(), positions.tolist()):
        start, end = int(offsets[i]), int(offsets[i + 1])
        rows.append((i, " ".join(vocab[ids[max(start, j - window):j]]), vocab[ids[j]],
                     " ".join(vocab[ids[j + 1:min(end, j + 1 + window)]])))
    found = pd.DataFrame(rows, columns=["_row", "pre", "keyword", "post"])
    units = tokens.units.drop(columns=[c for c in ("heading", "n_tokens")
                                       if c in tokens.units.columns])
    context = units.iloc[found["_row"]].reset_index(drop=True)
    meta = [c for c in context.columns if c in META_COLUMNS]
    head = [c for c in context.columns if c not in META_COLUMNS]
    return plain_columns(pd.concat([context[head], found.drop(columns="_row"),
                                    context[meta]], axis=1))


# ---- collocations and co-occurrence -------------------------------------------------------

def collocations(tokens: Tokens, method: str = "g2", min_count: int = 3,
                 top_n: int | None = None) -> pd.DataFrame:
    """Adjacent word pairs that occur together more often than chance.

    Pairs are counted on the kept tokens: stopwords, policy stopwords, numbers and single
    characters are removed first, so two words with only removed words between them count
    as adjacent (存在一定差距 gives 一定 差距). Each bigram (within a unit) gets the 2×2 table of
    first word / other × second word / other over all bigrams, scored by the
    log-likelihood G² or pointwise mutual information log2(P(w1 w2) / P(w1)P(w2)).

    Parameters
    ----------
    tokens : Tokens
    method : {"g2", "pmi"}
        The score to sort by (both are returned).
    min_count : int, default 3
        Minimum number of occurrences of the pair; PMI overrates rare pairs.
    top_n : int, optional

    Returns
    -------
    DataFrame
        collocation ("w1 w2"), w1, w2, count, g2, pmi; best first.

    Examples
    --------
    >>> import fazhi
    >>> toks = fazhi.tokenize_corpus(fazhi.load_corpus())
    >>> collocations(toks, min_count=2).columns.tolist()
    ['collocation', 'w1', 'w2', 'count', 'g2', 'pmi']
    """
    tokens = check_tokens(tokens)
    if method not in ("g2", "pmi"):
        raise ParameterError(f"method: {method!r} is not one of g2, pmi")
    check_top_n(top_n)
    vocab, ids, offsets = tokens.vocab, tokens.ids, tokens.offsets
    # A pair starts at every token but the last of its unit.
    last = np.zeros(len(ids), dtype=bool)
    last[offsets[1:][np.diff(offsets) > 0] - 1] = True
    starts = np.flatnonzero(~last)
    w1, w2 = ids[starts].astype(np.int64), ids[starts + 1].astype(np.int64)
    n = len(starts)
    columns = ["collocation", "w1", "w2", "count", "g2", "pmi"]
    if n == 0:
        return pd.DataFrame(columns=columns)
    pair, count = np.unique(w1 * len(vocab) + w2, return_counts=True)
    keep = count >= min_count
    pair, o11 = pair[keep], count[keep]
    first, second = pair // len(vocab), pair % len(vocab)
    r = np.bincount(w1, minlength=len(vocab))[first]
    c = np.bincount(w2, minlength=len(vocab))[second]
    g2, _ = _g2_chi2(o11, r - o11, c - o11, n - r - c + o11)
    table = pd.DataFrame({"w1": vocab[first], "w2": vocab[second], "count": o11})
    table = table.assign(
        collocation=table["w1"] + " " + table["w2"], g2=g2, pmi=np.log2(o11 * n / (r * c)))
    table = table.sort_values([method, "count", "collocation"], ascending=[False, False, True])
    return table[columns].head(top_n).reset_index(drop=True) if top_n else \
        table[columns].reset_index(drop=True)


@renamed(top_n="n_terms")
def cooccurrence(tokens: Tokens, n_terms: int = 50, min_count: int = 2) -> pd.DataFrame:
    """Pairs of frequent terms that appear in the same unit (paragraph by default), ranked
    by their association (Jaccard), not by their raw count.

    A raw count favours whatever is frequent: 办理, 政府 and 建设 share many paragraphs with
    everything. The Jaccard index, units holding both / units holding either, is 1 for two
    terms that always come together and small for a frequent term that meets the other
    only by its frequency; ``min_count`` keeps a pair seen in one or two units from
    scoring high by accident. Draw it with ``fazhi.viz.network(edges, weight="jaccard")``.

    Parameters
    ----------
    tokens : Tokens
    n_terms : int, default 50
        Consider the ``n_terms`` terms found in most units (the network's nodes; called
        ``top_n`` before, which still works with a FutureWarning; docs/glossary.md).
    min_count : int, default 2
        Minimum number of units holding both terms.

    Returns
    -------
    DataFrame
        An edge table: term1, term2, count (units holding both), jaccard (count / units
        holding either); highest jaccard first (then count). Feed it to :func:`fazhi.viz.terms.network`.

    Examples
    --------
    >>> import fazhi
    >>> toks = fazhi.tokenize_corpus(fazhi.load_corpus())
    >>> cooccurrence(toks, n_terms=20).columns.tolist()
    ['term1', 'term2', 'count', 'jaccard']
    """
    tokens = check_tokens(tokens)
    check_top_n(n_terms, "n_terms")
    matrix, vocab = dfm(tokens)
    present = (matrix > 0).astype(np.int64).tocsc()
    unit_freq = np.asarray(present.sum(axis=0)).ravel()
    order = np.lexsort((vocab, -unit_freq))[:n_terms]
    sub = present[:, order]
    both = sparse.triu(sub.T @ sub, k=1).tocoo()
    keep = both.data >= min_count
    i, j, count = both.row[keep], both.col[keep], both.data[keep]
    df = unit_freq[order]
    table = pd.DataFrame({"term1": vocab[order][i], "term2": vocab[order][j],
                          "count": count.astype(np.int64),
                          "jaccard": count / (df[i] + df[j] - count)})
    return table.sort_values(["jaccard", "count", "term1", "term2"],
                             ascending=[False, False, True, True], ignore_index=True)


__all__ = ["collocations", "cooccurrence", "dictionary_counts", "keyness", "kwic",
           "load_dictionary", "term_frequency"]
