"""The result of :func:`fazhi.fit_topics`: topic tables, prevalence by any column,
representative passages, and the plots one call away."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ..io import plain_columns
from ..tokens.grouping import doc_metadata

if TYPE_CHECKING:

    from ..corpus.model import Corpus
    from ..tokens.segment import Tokens


def representative_score(share: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
    """How representative a unit is of a topic: ``share × ln(1 + n_tokens)``.

    Examples
    --------
    >>> representative_score(np.array([1.0, 0.8]), np.array([3, 100])).round(2).tolist()
    [1.39, 3.69]
    """
    return np.asarray(share, dtype=float) * np.log1p(np.asarray(n_tokens, dtype=float))


@dataclass
class TopicModel:
    """A fitted topic model and every table read from it.

    Attributes
    ----------
    method, unit, n_topics : str, str, int
        How it was fitted: "nmf" or "lda", over paragraphs, sections or documents.
    top_terms : DataFrame
        topic (1 = most prevalent), label, rank, term, weight (NMF: component loading;
        LDA: probability of the term in the topic).
    labels : list of str
        Automatic label of each topic, its top three terms joined by "·"; also the names
        of the topic columns below.
    unit_topics : DataFrame
        One row per unit: the unit's columns (doc_id, para_id, kind, metadata…), n_tokens,
        dominant (label of the largest topic; None when the unit keeps no modelled term),
        then one column per topic with the unit's share of it (each row sums to 1).
    doc_topics : DataFrame
        One row per document: doc_id, the report's metadata (the carried-metadata rule of
        docs/glossary.md), then topic shares averaged over its units weighted
        by their length in tokens.
    coherence : list of float
        NPMI coherence of each topic's top terms over the corpus's units.
    params : dict
        The parameters of the fit.
    """

    method: str
    unit: str
    n_topics: int
    labels: list[str]
    top_terms: pd.DataFrame
    unit_topics: pd.DataFrame
    coherence: list[float]
    params: dict[str, Any] = field(default_factory=dict, repr=False)
    tokens: Tokens | None = field(default=None, repr=False)
    # Scores every k of params["k_range"]; called only if k_scores is asked for and the
    # fit did not already search k.
    score_k: Callable[[], pd.DataFrame] | None = field(default=None, repr=False)
    _k_scores: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        shares = self.prevalence(by="doc_id").drop(columns=["n_units", "n_tokens"])
        meta = doc_metadata(self.unit_topics.drop(columns=["n_tokens", "dominant",
                                                           *self.labels]))
        self.doc_topics = meta.merge(shares, on="doc_id", how="right")

    def top_terms_table(self) -> pd.DataFrame:
        """One row per topic: topic, label, terms (space-separated, by weight), coherence.

        Examples
        --------
        >>> import fazhi
        >>> model = fazhi.fit_topics(fazhi.tokenize_corpus(fazhi.load_corpus()), n_topics=3)
        >>> model.top_terms_table().columns.tolist()
        ['topic', 'label', 'terms', 'coherence']
        """
        terms = self.top_terms.groupby("topic", sort=True)["term"].agg(" ".join)
        return pd.DataFrame({"topic": terms.index, "label": self.labels,
                             "terms": terms.to_numpy(), "coherence": self.coherence})

    def prevalence(self, by: str | list[str] | None = "year") -> pd.DataFrame:
        """Topic shares within each group of units, weighted by text length.

        A unit weighs its length in tokens, so a group's share of a topic is the share of
        its (modelled) text given to that topic, and a 200-token paragraph counts twice a
        100-token one. Units that keep no modelled term are left out.

        Parameters
        ----------
        by : str or list of str, default "year"
            Any column of ``unit_topics``: year, province, place, kind, doc_id…; ``None``
            is no grouping, one row for the whole corpus (docs/glossary.md).

        Returns
        -------
        DataFrame
            The ``by`` columns, n_units, n_tokens, then one share column per topic.

        Examples
        --------
        >>> import fazhi
        >>> model = fazhi.fit_topics(fazhi.tokenize_corpus(fazhi.load_corpus()), n_topics=3)
        >>> model.prevalence(by="year").columns[:3].tolist()
        ['year', 'n_units', 'n_tokens']
        """
        keys = [] if by is None else [by] if isinstance(by, str) else list(by)
        missing = [k for k in keys if k not in self.unit_topics.columns]
        if missing:
            usable = [c for c in self.unit_topics.columns if c not in self.labels]
            raise ParameterError(
                f"cannot group by {missing}: use columns of unit_topics such as "
                f"{', '.join(usable)}")
        kept = self.unit_topics[self.unit_topics["dominant"].notna()]
        weighted = kept[self.labels].mul(kept["n_tokens"], axis=0)
        # No grouping is one group holding every unit.
        group = keys or ["_all"]
        weighted[group] = kept[keys] if keys else 0
        sums = weighted.groupby(group, sort=True, dropna=False)[self.labels].sum()
        shares = sums.div(sums.sum(axis=1), axis=0)
        sizes = kept.assign(_all=0).groupby(group, sort=True, dropna=False)["n_tokens"].agg(
            ["size", "sum"])
        shares.insert(0, "n_units", sizes["size"])
        shares.insert(1, "n_tokens", sizes["sum"])
        return plain_columns(shares.reset_index()) if keys else shares.reset_index(drop=True)

    def representative(self, n: int = 3, corpus: Corpus | None = None) -> pd.DataFrame:
        """The ``n`` units most representative of each topic, ranked by ``score``.

        ``score = share × ln(1 + n_tokens)``: the unit's share of the topic times the log of
        its length. The share alone does not separate the units — on a small corpus many
        paragraphs are wholly one topic (share 1.0), and the winners would be one-line list
        items; the log length prefers a substantial paragraph about the topic without letting
        sheer length outweigh a clearly lower share (a 100-token paragraph at share 0.8 scores
        3.7, a 3-token one at 1.0 scores 1.4). Ties fall to the longer unit, then row order.

        Parameters
        ----------
        n : int
            Passages per topic.
        corpus : Corpus, optional
            The corpus the tokens came from; its paragraph text (joined per section, or
            the report's text, for coarser units) becomes the ``text`` column. Without it,
            ``text`` is the unit's own ``text`` column if it has one, else its tokens.

        Returns
        -------
        DataFrame
            topic, label, rank, score, share, the unit's identifying columns, text.

        Examples
        --------
        >>> import fazhi
        >>> corp = fazhi.load_corpus()
        >>> model = fazhi.fit_topics(fazhi.tokenize_corpus(corp), n_topics=3)
        >>> len(model.representative(n=2, corpus=corp))
        6
        """
        if n < 1:
            raise ParameterError(f"n={n}: ask for at least one passage per topic")
        ut = self.unit_topics
        ids = [c for c in ("doc_id", "para_id", "section", "heading", "kind", "place", "year")
               if c in ut.columns]
        lengths = ut["n_tokens"].to_numpy()
        frames = []
        for topic, label in enumerate(self.labels, start=1):
            share = ut[label].to_numpy()
            score = representative_score(share, lengths)
            order = np.lexsort((-lengths, -score))
            rows = order[share[order] > 0][:n]
            frames.append(ut.iloc[rows][ids].assign(
                topic=topic, label=label, rank=np.arange(1, len(rows) + 1),
                score=score[rows], share=share[rows], _row=rows))
        out = pd.concat(frames, ignore_index=True)
        out["text"] = self._texts(out["_row"].to_numpy(), corpus)
        return plain_columns(out[["topic", "label", "rank", "score", "share", *ids, "text"]])

    def _texts(self, rows: np.ndarray, corpus: Corpus | None) -> list[str]:
        ut = self.unit_topics.iloc[rows]
        if corpus is not None:
            if self.unit == "paragraph":
                keys, source = ["doc_id", "para_id"], corpus.paragraphs
            elif self.unit == "section":
                keys = ["doc_id", "section"]
                source = corpus.paragraphs.groupby(keys, sort=False)["text"].agg(
                    "\n".join).reset_index()
            else:
                keys, source = ["doc_id"], corpus.docs
            found = ut[keys].merge(source[[*keys, "text"]], on=keys, how="left")["text"]
            if found.notna().all():
                return found.tolist()
        if "text" in ut.columns:
            return ut["text"].tolist()
        if self.tokens is None:
            return [""] * len(rows)
        return [" ".join(self.tokens.unit_tokens(i)) for i in rows]

    @property
    def k_scores(self) -> pd.DataFrame:
        """Coherence for each k of ``k_range`` (computed on first use when k was given)."""
        if self._k_scores is None:
            if self.score_k is None:
                raise ParameterError("this model keeps no tokens to score other k with")
            self._k_scores = self.score_k()
        return self._k_scores
