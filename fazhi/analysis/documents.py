"""What is in a corpus, before any analysis: the documents and their metadata, how long each
report is, which places and years are covered, whether each report has the parts the 2019
regulation asks for, and what cleaning removed. Notebook 00 is built from these functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._compat import renamed

if TYPE_CHECKING:
    from ..corpus.model import Corpus

#: The four parts the 2019《法治政府建设与责任落实督察工作规定》asks every annual report to
#: cover, as ``paragraphs.kind`` names them: measures and results, shortcomings, the principal
#: leaders' duty, next year's plan.
REQUIRED_PARTS: tuple[str, ...] = ("成效", "问题", "责任", "计划")

_DOC_COLUMNS = ("doc_id", "title", "organ", "place", "adcode", "level", "organ_type", "year", "date",
                "format", "script", "n_chars", "warnings")
_PLACES_SHOWN = 8


@dataclass(frozen=True)
class CorpusSummary:
    """Size and coverage of a corpus, as the render index shows it."""

    n_documents: int
    years: tuple[int, ...]
    places: tuple[str, ...]

    @classmethod
    def from_corpus(cls, corpus: Corpus) -> CorpusSummary:
        """Summarise a loaded corpus.

        Examples
        --------
        >>> import fazhi
        >>> CorpusSummary.from_corpus(fazhi.load_corpus()).n_documents
        5
        """
        docs = corpus.docs
        years = sorted({int(y) for y in docs["year"].dropna()})
        places = sorted({p for p in docs["place"].dropna() if p})
        return cls(len(docs), tuple(years), tuple(places))

    @property
    def years_label(self) -> str:
        """``2019–2022`` for a run of years, ``2019, 2021`` otherwise, ``—`` for none."""
        if not self.years:
            return "—"
        first, last = self.years[0], self.years[-1]
        if len(self.years) > 1 and last - first + 1 == len(self.years):
            return f"{first}–{last}"
        return ", ".join(map(str, self.years))

    @property
    def places_label(self) -> str:
        """The places joined with 、; past eight, the rest is elided with the total count."""
        if not self.places:
            return "—"
        head = "、".join(self.places[:_PLACES_SHOWN])
        n = len(self.places)
        return head if n <= _PLACES_SHOWN else f"{head} 等 {n} 地 ({n} places)"


@renamed(corpus="path")
def summarize_corpus(path: str | Path | Sequence[str | Path] | None = None,
                     metadata: str | Path | None = None, years: Any = None,
                     places: Any = None) -> CorpusSummary:
    """Load the reports at ``path`` (``None``: the bundled seeds) and summarise it; see :class:`CorpusSummary`.

    Examples
    --------
    >>> summarize_corpus().n_documents
    5
    """
    from ..corpus.load import load_corpus

    corp = load_corpus(path, metadata=metadata, workers=1, years=years, places=places)
    return CorpusSummary.from_corpus(corp)


def documents_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document with its metadata (no text), by year then place.

    Examples
    --------
    >>> import fazhi
    >>> list(documents_table(fazhi.load_corpus()).columns[:3])
    ['doc_id', 'title', 'organ']
    """
    docs = corpus.docs
    cols = [c for c in _DOC_COLUMNS if c in docs.columns]
    return docs[cols].sort_values(["year", "place", "doc_id"]).reset_index(drop=True)


def document_coverage(corpus: Corpus, rows: str = "place", columns: str = "year") -> pd.DataFrame:
    """Number of documents per ``rows`` × ``columns`` (default place × year): a ``rows``
    column, then one column per value of ``columns``.

    Years run without gaps from the first to the last, so a missing year shows as a column
    of zeros rather than not at all.

    Examples
    --------
    >>> import fazhi
    >>> table = document_coverage(fazhi.load_corpus())
    >>> int(table.drop(columns="place").to_numpy().sum())
    5
    """
    docs = corpus.docs
    table = pd.crosstab(docs[rows].fillna(""), docs[columns])
    if columns == "year" and len(table.columns):
        years = range(int(min(table.columns)), int(max(table.columns)) + 1)
        table = table.reindex(columns=list(years), fill_value=0)
    table.columns.name = None
    return table.rename_axis(rows).reset_index()


def section_completeness(corpus: Corpus, parts: Sequence[str] = REQUIRED_PARTS) -> pd.DataFrame:
    """Per document, how many paragraphs fall in each required part, and which parts are missing.

    Columns: ``doc_id``, ``place``, ``year``, one count column per part (成效, 问题, 责任, 计划),
    ``missing`` (the absent parts joined with 、, empty when none) and ``complete``.

    Examples
    --------
    >>> import fazhi
    >>> table = section_completeness(fazhi.load_corpus())
    >>> list(table.columns[3:7])
    ['成效', '问题', '责任', '计划']
    """
    docs = corpus.docs.set_index("doc_id")
    paras = corpus.paragraphs
    counts = (pd.crosstab(paras["doc_id"], paras["kind"])
              .reindex(index=docs.index, columns=list(parts), fill_value=0))
    counts.columns.name = None
    table = docs[["place", "year"]].join(counts)
    table["missing"] = ["、".join(p for p in parts if row[p] == 0)
                        for _, row in counts.iterrows()]
    table["complete"] = table["missing"] == ""
    return table.reset_index()


def removed_lines(corpus: Corpus, examples: int = 3) -> pd.DataFrame:
    """What cleaning removed, per document: ``n_removed`` lines and a few ``examples``.

    Every document is listed, those with nothing removed with 0.

    Examples
    --------
    >>> import fazhi
    >>> list(removed_lines(fazhi.load_corpus()).columns)
    ['doc_id', 'n_removed', 'examples']
    """
    removed = corpus.removed
    grouped = removed.groupby("doc_id")["line"]
    table = pd.DataFrame({
        "n_removed": grouped.size(),
        "examples": grouped.agg(lambda s: " | ".join(list(dict.fromkeys(s))[:examples])),
    })
    table = table.reindex(corpus.docs["doc_id"])
    table["n_removed"] = table["n_removed"].fillna(0).astype(int)
    table["examples"] = table["examples"].fillna("")
    table.index.name = "doc_id"
    return table.reset_index()


def traditional_documents(corpus: Corpus) -> pd.DataFrame:
    """The documents whose original was written in 繁體 (converted to 简体 on loading).

    Examples
    --------
    >>> import fazhi
    >>> list(traditional_documents(fazhi.load_corpus()).columns)
    ['doc_id', 'title', 'place', 'year', 'path']
    """
    docs = corpus.docs
    return (docs.loc[docs["script"] == "traditional", ["doc_id", "title", "place", "year", "path"]]
            .reset_index(drop=True))
