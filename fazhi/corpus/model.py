"""The corpus as data: the ``docs`` and ``paragraphs`` contracts and the :class:`Corpus` that
holds them. Loading (:mod:`fazhi.corpus.load`) and storing (:mod:`fazhi.corpus.store`) both
build on this module; it imports neither."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError

DOC_COLUMNS = [
    "doc_id", "path", "format", "encoding", "title", "organ", "province", "city", "county",
    "place", "adcode", "level", "organ_type", "year", "date", "script", "text", "n_chars",
    "warnings",
]
PARA_COLUMNS = ["doc_id", "para_id", "heading", "section", "kind", "text", "start", "end"]
#: docs columns that ride along with every analysis table (quanteda's docvars).
META_COLUMNS = ["title", "organ", "province", "city", "county", "place", "adcode", "level",
                "organ_type", "year", "date", "script"]


#: A table of a Corpus: the DataFrame itself, or a loader called (once) on first access.
TableSource = pd.DataFrame | Callable[[], pd.DataFrame]
TABLE_NAMES = ("docs", "paragraphs", "removed", "errors")
_EMPTY = {"removed": ["doc_id", "line"], "errors": ["path", "error"]}


class _Rows:
    """A loader for the rows of some documents of another table source, read when called."""

    def __init__(self, source: TableSource, ids: set[str]):
        self.source, self.ids = source, ids

    def __call__(self) -> pd.DataFrame:
        table = self.source if isinstance(self.source, pd.DataFrame) else self.source()
        return table[table["doc_id"].isin(self.ids)].reset_index(drop=True)


def _table_property(name: str, doc: str) -> property:
    def get(self: Corpus) -> pd.DataFrame:
        return self._table(name)

    def put(self: Corpus, value: TableSource) -> None:
        self._sources[name] = value

    return property(get, put, doc=doc)


class Corpus:
    """A loaded corpus.

    Attributes
    ----------
    docs : one row per report (columns: ``DOC_COLUMNS``).
    paragraphs : one row per paragraph (``PARA_COLUMNS``).
    removed : boilerplate removed by normalisation (doc_id, line).
    errors : files skipped or merged, and why (path, error).
    root : the folder the corpus was loaded from, where its sidecars (``metadata.csv``,
        ``facts_review.csv``) live; ``None`` for a list of files.

    Each table is given as a DataFrame or as a loader: a callable without arguments that
    returns the DataFrame, called once, on the first access to the attribute (a corpus read
    from a Parquet store reads its paragraphs only when they are asked for; see "The Corpus
    contract" in docs/architecture.md). :meth:`is_loaded` tells which tables were read.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a"], "year": [2020], "place": ["深圳市"]})
    >>> corp = Corpus(docs, lambda: pd.DataFrame({"doc_id": ["a"], "text": ["第一段"]}))
    >>> corp.is_loaded("paragraphs"), len(corp.paragraphs), corp.is_loaded("paragraphs")
    (False, 1, True)
    """

    def __init__(self, docs: TableSource, paragraphs: TableSource,
                 removed: TableSource | None = None, errors: TableSource | None = None,
                 root: Path | None = None):
        self.root = Path(root) if root is not None else None
        given = {"docs": docs, "paragraphs": paragraphs, "removed": removed, "errors": errors}
        self._sources: dict[str, TableSource] = {}
        for name, source in given.items():
            if source is None and name in _EMPTY:
                source = pd.DataFrame(columns=_EMPTY[name])
            if not isinstance(source, pd.DataFrame) and not callable(source):
                raise ParameterError(f"{name}: expected a DataFrame or a function returning "
                                     f"one, got {type(source).__name__}")
            self._sources[name] = source

    def _table(self, name: str) -> pd.DataFrame:
        source = self._sources[name]
        if not isinstance(source, pd.DataFrame):
            source = source()
            if not isinstance(source, pd.DataFrame):
                raise ParameterError(f"{name}: the loader returned {type(source).__name__}, "
                                     "not a DataFrame")
            self._sources[name] = source  # read once
        return source

    def is_loaded(self, name: str) -> bool:
        """Whether table ``name`` (docs, paragraphs, removed, errors) is in memory."""
        return isinstance(self._sources[name], pd.DataFrame)

    docs = _table_property("docs", "One row per report (``DOC_COLUMNS``).")
    paragraphs = _table_property("paragraphs", "One row per paragraph (``PARA_COLUMNS``).")
    removed = _table_property("removed", "Boilerplate removed by normalisation (doc_id, line).")
    errors = _table_property("errors", "Files skipped or merged, and why (path, error).")

    def _rows(self, name: str, ids: set[str]) -> TableSource:
        """The rows of documents ``ids`` of table ``name``: now if it is loaded, else lazily."""
        if self.is_loaded(name):
            return _Rows(self._sources[name], ids)()
        return _Rows(self._sources[name], ids)

    def __len__(self) -> int:
        return len(self.docs)

    def __repr__(self) -> str:
        years = sorted(int(y) for y in self.docs["year"].dropna().unique())
        span = f"{years[0]}–{years[-1]}" if years else "years unknown"
        return (f"<Corpus: {len(self.docs)} documents, {len(self.paragraphs)} paragraphs, "
                f"{self.docs['place'].replace('', pd.NA).nunique()} places, {span}>")

    def filter(self, years: int | Iterable[int] | None = None,
               places: str | Iterable[str] | None = None,
               doc_ids: str | Iterable[str] | None = None) -> Corpus:
        """Keep the documents of the given years and places (any of province, city, county),
        and of the given ``doc_ids``; the conditions given must all hold.

        Examples
        --------
        >>> import fazhi
        >>> corp = fazhi.load_corpus()
        >>> len(corp.filter(places="广东省")), len(corp.filter(years=[2020]))
        (4, 2)
        >>> len(corp.filter(doc_ids=corp.docs["doc_id"][:2]))
        2
        """
        keep = pd.Series(True, index=self.docs.index)
        if years is not None:
            years = [years] if isinstance(years, int | str | np.integer) else list(years)
            keep &= self.docs["year"].isin([_year(y) for y in years])
        if places is not None:
            places = [places] if isinstance(places, str) else list(places)
            keep &= self.docs[["province", "city", "county", "place"]].isin(places).any(axis=1)
        if doc_ids is not None:
            doc_ids = [doc_ids] if isinstance(doc_ids, str) else list(doc_ids)
            have = set(self.docs["doc_id"])
            unknown = [d for d in doc_ids if d not in have]
            if unknown:
                raise ParameterError(f"doc_ids: {_some(unknown)} not in the corpus "
                                     f"(it has {_some(self.docs['doc_id'].tolist())})")
            keep &= self.docs["doc_id"].isin(doc_ids)
        if not keep.any() and len(self.docs):
            have_years = sorted(int(y) for y in self.docs["year"].dropna().unique())
            have_places = sorted(set(self.docs["place"]) - {""})
            raise ParameterError(
                f"no document matches years={_some(years)}, places={_some(places)}"
                + (f", doc_ids={_some(doc_ids)}" if doc_ids is not None else "")
                + f"; the corpus has years {_some(have_years)} and places "
                f"{_some(have_places)} (a place may be a province, city or county, written "
                f"in full: 广东省, 深圳市)")
        ids = set(self.docs.loc[keep, "doc_id"])
        # Tables not read yet stay unread: the new corpus reads its rows on first access.
        return Corpus(self.docs[keep].reset_index(drop=True), self._rows("paragraphs", ids),
                      self._rows("removed", ids), self._sources["errors"], self.root)

    def with_meta(self, table: pd.DataFrame, columns: Sequence[str] = META_COLUMNS) -> pd.DataFrame:
        """Join document metadata onto any table that has a ``doc_id`` column."""
        cols = [c for c in columns if c not in table.columns]
        return table.merge(self.docs[["doc_id", *cols]], on="doc_id", how="left")


def _year(value: Any) -> int:
    """A year given to :meth:`Corpus.filter` (2020 or "2020"), or a clear error."""
    if not isinstance(value, bool | np.bool_):
        try:
            year = int(value)
        except (TypeError, ValueError):
            pass
        else:
            if year == value or isinstance(value, str):  # not 2020.7
                return year
    raise ParameterError(f"years: expected years such as 2020, got {value!r}; to keep "
                         "reports by id, give doc_ids=")


def _some(values: Sequence[Any] | None, n: int = 12) -> str:
    """``values`` for a message: the first ``n``, then how many more."""
    if values is None:
        return "None"
    values = list(values)
    shown = ", ".join(map(repr, values[:n]))
    return f"[{shown}{f', … {len(values) - n:,} more' if len(values) > n else ''}]"


def doc_labels(table: pd.DataFrame) -> pd.Series:
    """A short readable label for the report of each row: place and year, unique per doc_id.

    Two reports of one place and year (or with the same title) would share a label and
    merge in a plot; the doc_id tells them apart. Without ``place`` and ``year`` the label
    is the doc_id.

    Parameters
    ----------
    table : DataFrame
        Any table with a ``doc_id`` column (several rows may belong to one report).

    Returns
    -------
    Series
        One label per row, aligned with ``table``.

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "b", "c"], "year": [2019, 2019, 2019, 2020],
    ...                      "place": ["普宁市", "普宁市", "普宁市", ""]})
    >>> doc_labels(docs).tolist()
    ['普宁市 2019 (a)', '普宁市 2019 (b)', '普宁市 2019 (b)', '? 2020']
    """
    docs = table.drop_duplicates("doc_id")
    if {"place", "year"} <= set(table.columns):
        years = ["?" if pd.isna(y) else str(int(y)) for y in docs["year"]]
        labels = pd.Series([f"{p or '?'} {y}" for p, y in zip(docs["place"].fillna(""), years)],
                           index=docs["doc_id"])
    else:
        labels = pd.Series(docs["doc_id"].astype(str).tolist(), index=docs["doc_id"])
    shared = labels.duplicated(keep=False) & (labels != labels.index.astype(str))
    labels[shared] = [f"{lab} ({d})" for lab, d in zip(labels[shared], labels.index[shared])]
    return pd.Series(table["doc_id"].map(labels).to_numpy(), index=table.index, name="report")
