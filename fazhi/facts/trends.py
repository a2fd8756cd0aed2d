"""Indicators across places and years: trend tables, which report discloses which indicator
(the coverage matrix), the most widely disclosed indicators, and their plots.

All functions take the ``facts`` table of :func:`fazhi.facts.extract.extract_facts` run on a
corpus (so that it carries ``place``, ``year`` and the other metadata columns of
:data:`fazhi.corpus.load.META_COLUMNS`, any of which can be ``by``). Only facts with a canonical
``indicator`` take part.

A report that states no figure is still a report: the coverage matrix shows it as a row
of zeros and it counts in the ``share`` of :func:`most_disclosed`. The reports are those
``extract_facts`` recorded in ``facts.attrs["docs"]``, or those of the ``corpus`` passed.

Starting values of a change (qualifier ``由``: 满意率由上年的92.3%提升到96.1%) describe an
earlier period and are left out of trend tables and plots.

Like is compared with like. By default (``about="本级"``) only the reporting organ's own
figures take part: not the national deputies' 5 suggestions beside the city deputies' 822
that the same city government handled, nor a province's total quoted in a city's report
(see ``about`` in :func:`fazhi.facts.extract.extract_facts`). ``about=None`` takes every
figure and adds ``about`` to the rows, so that figures about different bodies never share
a row; a name or a list of names (``"全国"``, ``["本级", "广东省"]``) takes those. A part
of a total (其中…) is left out when its total is a figure of the same indicator and unit
(``parts=False``): the two would otherwise compete for one cell or be counted twice.

A running total (累计进驻事项663项, ``facts.running``) is not the year's figure (推进251项
事项进驻): by default (``running=False``) only the year's own figures take part;
``running=True`` takes only the running totals, ``running=None`` both, on rows of their
own (a ``running`` level), so that the two never share a cell.

A cell keeps the ``approx`` and ``bound`` of the figure it shows (``≥`` 15%以上, ``≤``
3个工作日以内): a lower bound is drawn as ▲, an upper bound as ▼, an estimate (约, 近) as
a hollow point.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..corpus.model import META_COLUMNS
from ..exceptions import ParameterError
from .about import OWN

if TYPE_CHECKING:

    from ..corpus.model import Corpus

AGGREGATIONS = ("first", "max", "min", "mean", "sum", "count")
_FROM = "由"


def _require(facts: pd.DataFrame, columns: Iterable[str]) -> None:
    if not isinstance(facts, pd.DataFrame):
        raise ParameterError(f"facts must be the DataFrame of extract_facts(), got "
                             f"{type(facts).__name__}")
    missing = [c for c in columns if c not in facts.columns]
    if missing:
        raise ParameterError(f"facts has no column(s) {missing}: extract them from a Corpus, "
                             f"e.g. extract_facts(fazhi.load_corpus())")


def fact_documents(facts: pd.DataFrame, corpus: Corpus | pd.DataFrame | None) -> pd.DataFrame:
    """The reports behind ``facts``, one row each: doc_id and the metadata known."""
    if corpus is None:
        recorded = facts.attrs.get("docs")
        docs = (pd.DataFrame(list(recorded)) if recorded is not None
                else facts.drop_duplicates("doc_id"))
    else:
        docs = corpus if isinstance(corpus, pd.DataFrame) else getattr(corpus, "docs", None)
        if not isinstance(docs, pd.DataFrame) or "doc_id" not in docs.columns:
            raise ParameterError(f"corpus must be a Corpus or its docs table, got "
                                 f"{type(corpus).__name__}")
    docs = docs.drop_duplicates("doc_id")
    # A fact whose report is not in the list still counts: it was disclosed.
    missing = facts.loc[~facts["doc_id"].isin(docs["doc_id"])].drop_duplicates("doc_id")
    keep = ["doc_id", *(c for c in META_COLUMNS if c in docs.columns)]
    return pd.concat([docs[keep], missing[[c for c in keep if c in missing.columns]]],
                     ignore_index=True)


def _check_running(running: bool | None) -> None:
    if running not in (True, False, None):
        raise ParameterError(f"running must be False (the year's own figures), True (running "
                             f"totals, 累计) or None (both, apart), got {running!r}")


def _comparable(facts: pd.DataFrame, about: str | Iterable[str] | None,
                parts: bool, running: bool | None = False) -> pd.DataFrame:
    """The facts about the bodies asked for, without the parts that share their total's
    indicator and unit, and the year's own figures or the running totals. A table without
    ``about``, ``part_of`` or ``running`` (built by hand) counts as the organ's own annual
    figures, none of them a part."""
    _check_running(running)
    if running is not None and "running" in facts.columns:
        facts = facts[facts["running"].fillna(False).astype(bool) == running]
    elif running is True:
        facts = facts.iloc[0:0]
    if about is not None:
        wanted = [about] if isinstance(about, str) else list(about)
        whose = facts["about"].fillna(OWN) if "about" in facts.columns else OWN
        facts = facts[pd.Series(whose, index=facts.index).isin(wanted)]
    if parts or "part_of" not in facts.columns or "fact_id" not in facts.columns:
        return facts
    # the totals are looked up among every fact: a part follows its total's about
    totals = facts.drop_duplicates("fact_id").set_index("fact_id")[["indicator", "unit"]]
    total = totals.reindex(facts["part_of"].fillna(""))
    same = ((total["indicator"].to_numpy() == facts["indicator"].to_numpy())
            & (total["unit"].to_numpy() == facts["unit"].to_numpy()))
    return facts[~same]


def _unknown(indicators: list[str]) -> ParameterError:
    return ParameterError(f"indicators: unknown indicator(s) {indicators}; see "
                          f"fazhi.facts.extract.indicator_table() for the names")


def _mapped(facts: pd.DataFrame, indicators: str | Iterable[str] | None,
            about: str | Iterable[str] | None = OWN, parts: bool = False,
            running: bool | None = False) -> pd.DataFrame:
    _require(facts, ["doc_id", "indicator", "value", "unit"])
    mapped = _comparable(facts[facts["indicator"].fillna("") != ""], about, parts, running)
    if indicators is None:
        return mapped
    wanted = [indicators] if isinstance(indicators, str) else list(indicators)
    from .extract import load_indicators

    known = {i.name for i in load_indicators()} | set(mapped["indicator"])
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise _unknown(unknown)
    return mapped[mapped["indicator"].isin(wanted)]


def most_disclosed(facts: pd.DataFrame, top_n: int | None = None, min_reports: int = 1,
                   corpus: Corpus | pd.DataFrame | None = None,
                   about: str | Iterable[str] | None = OWN,
                   parts: bool = False, running: bool | None = False) -> pd.DataFrame:
    """Indicators by the number of reports that disclose them.

    Parameters
    ----------
    corpus : Corpus or DataFrame, optional
        The reports ``facts`` come from (a Corpus or its ``docs``); default: those
        recorded by ``extract_facts``, so that reports without a figure count too.
    about : str, list or None, default "本级"
        Whose figures count: the organ's own by default; ``None`` = every figure (see the
        module docstring).
    parts : bool, default False
        Count the parts of a total of the same indicator too.
    running : bool or None, default False
        The year's own figures (False), running totals only (True, 累计…) or both (None).

    Returns
    -------
    DataFrame
        indicator, n_reports, n_facts, unit (the most common), share (of all reports,
        those without any figure included), sorted by n_reports then n_facts.

    Examples
    --------
    >>> import fazhi
    >>> facts = fazhi.extract_facts(fazhi.load_corpus())
    >>> most_disclosed(facts, top_n=2)["indicator"].tolist()
    ['网上留言数', '主动公开信息数']
    """
    if not isinstance(min_reports, int) or min_reports < 1:
        raise ParameterError(f"min_reports must be a positive integer, got {min_reports!r}")
    mapped = _mapped(facts, None, about, parts, running)
    n_docs = max(len(fact_documents(facts, corpus)), 1)
    table = (mapped.groupby("indicator")
             .agg(n_reports=("doc_id", "nunique"), n_facts=("doc_id", "size"),
                  unit=("unit", lambda u: u.value_counts().index[0]))
             .reset_index())
    table["share"] = (table["n_reports"] / n_docs).round(3)
    table = table[table["n_reports"] >= min_reports]
    table = table.sort_values(["n_reports", "n_facts", "indicator"],
                              ascending=[False, False, True]).reset_index(drop=True)
    return table.head(top_n) if top_n else table


def coverage_matrix(facts: pd.DataFrame, indicators: str | Iterable[str] | None = None,
                    min_reports: int = 1,
                    corpus: Corpus | pd.DataFrame | None = None,
                    about: str | Iterable[str] | None = OWN,
                    parts: bool = False, running: bool | None = False) -> pd.DataFrame:
    """Which report discloses which indicator: documents × indicators, number of facts.

    Rows are every report (see ``corpus`` in :func:`most_disclosed`), a row of zeros for
    one that discloses nothing; columns are the indicators disclosed by at least
    ``min_reports`` reports (or those asked for), most widely disclosed first. ``about``,
    ``parts`` and ``running`` as in :func:`most_disclosed`: by default a report discloses an
    indicator when it gives its own figure for the year.

    Examples
    --------
    >>> import fazhi
    >>> cov = coverage_matrix(fazhi.extract_facts(fazhi.load_corpus()), min_reports=3)
    >>> cov.shape[0], bool((cov > 0).sum().min() >= 3)
    (5, True)
    """
    order = most_disclosed(facts, min_reports=min_reports, about=about, parts=parts,
                           running=running)["indicator"]
    mapped = _mapped(facts, indicators, about, parts, running)
    if indicators is not None:
        wanted = [indicators] if isinstance(indicators, str) else list(indicators)
        order = [i for i in order if i in wanted]
    docs = pd.Index(fact_documents(facts, corpus)["doc_id"], name="doc_id")
    counts = pd.crosstab(mapped["doc_id"], mapped["indicator"])
    return counts.reindex(index=docs, columns=list(order), fill_value=0).astype(int)


BY_COLUMNS = ("doc_id", *META_COLUMNS)


def by_list(facts: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    """The grouping columns ``by`` names (docs/glossary.md): a str or a list; None = none."""
    cols = [] if by is None else [by] if isinstance(by, str) else list(by)
    bad = [c for c in cols if not isinstance(c, str) or
           (c not in BY_COLUMNS and c not in facts.columns)]
    if bad or (by is not None and not isinstance(by, str | list | tuple)):
        raise ParameterError(f"by must be one of {BY_COLUMNS} or a list of them, got {by!r}")
    return cols


def _cell_facts(facts: pd.DataFrame, indicators, by: str | Sequence[str] | None,
                about: str | Iterable[str] | None, parts: bool,
                min_reports: int = 1,
                running: bool | None = False) -> tuple[pd.DataFrame, list[str]]:
    """The facts that take part in trend cells, and the columns that key a cell."""
    cols = by_list(facts, by)
    _require(facts, ["year", *cols, "start", "qualifier", "approx"])
    rows = _mapped(facts, indicators, about, parts, running)
    if min_reports != 1:
        rows = rows[rows["indicator"].isin(most_disclosed(facts, min_reports=min_reports,
                                                          about=about, parts=parts,
                                                          running=running)
                                           ["indicator"])]
    rows = rows[(rows["qualifier"].fillna("") != _FROM) & rows["year"].notna()]
    # as plain strings: the facts keep their metadata as categoricals, and "(未知)" is none
    rows = rows.assign(**{c: rows[c].astype(object).fillna("").replace("", "(未知)")
                          for c in cols},
                       year=rows["year"].astype(int))
    if "about" not in rows.columns:
        rows = rows.assign(about=OWN)
    for column, default in (("running", False), ("bound", "")):
        rows = rows.assign(**{column: rows[column].fillna(default) if column in rows.columns
                              else default})
    rows = rows.assign(running=rows["running"].astype(bool))
    # one body asked for: the rows keep their shape; several: figures about different
    # bodies never share a row; nor do running totals and the year's figures
    keys = (["indicator", "unit", *cols, "year"] if isinstance(about, str)
            else ["indicator", "about", "unit", *cols, "year"])
    if running is None:
        keys.insert(1, "running")
    return rows.sort_values(["doc_id", "start"]).reset_index(drop=True), keys


def _shown(grouped, agg: str) -> list:
    """The row of the figure each cell shows (``max``, ``min``, ``first``): the first figure
    with the cell's value, in the order of the reports and their text."""
    return list({"max": grouped["value"].idxmax, "min": grouped["value"].idxmin,
                 "first": lambda: grouped["value"].head(1).index}[agg]())


def _bound(grouped) -> pd.Series:
    """A cell's bound (``≥``, ``≤``) when all its figures share it, else none."""
    return grouped["bound"].agg(lambda b: b.iloc[0] if b.nunique() == 1 else "")


def trend_rows(facts: pd.DataFrame, indicators, by: str | Sequence[str] | None, agg: str,
               min_reports: int = 1, about: str | Iterable[str] | None = OWN,
               parts: bool = False, running: bool | None = False) -> pd.DataFrame:
    """One row per indicator × (running) × (about) × unit × group × year: value, approx,
    bound, n_facts.

    For ``max``, ``min`` and ``first`` a cell shows one figure, and carries its ``approx``
    and ``bound``; a ``mean`` or ``sum`` is approximate when one of its figures is, and
    bounded one way when all of them are; a ``count`` is exact.
    """
    if agg not in AGGREGATIONS:
        raise ParameterError(f"agg must be one of {AGGREGATIONS}, got {agg!r}")
    if isinstance(facts, str | os.PathLike):
        return _stored_trend_rows(Path(facts), indicators, by, agg, min_reports, about, parts,
                                  running)
    rows, keys = _cell_facts(facts, indicators, by, about, parts, min_reports, running)
    grouped = rows.groupby(keys, sort=True)
    size = grouped.size()
    if agg in ("max", "min", "first"):
        shown = rows.loc[_shown(grouped, agg)].set_index(keys)
        out = shown[["value", "approx", "bound"]].reindex(size.index)
    else:
        value = grouped["value"].agg(agg)
        bounds = _bound(grouped) if agg != "count" else ""
        out = pd.DataFrame({"value": value, "approx": grouped["approx"].any() & (agg != "count"),
                            "bound": bounds})
    out["n_facts"] = size
    return out.reset_index()


#: the facts' columns a trend cell reads (besides the ``by`` columns)
_CELL_COLUMNS = ["doc_id", "indicator", "value", "unit", "qualifier", "approx", "bound",
                 "running", "start", "fact_id", "about", "part_of", "year"]


def _stored_trend_rows(path: Path, indicators, by: str | Sequence[str] | None, agg: str,
                       min_reports: int, about, parts: bool, running: bool | None) -> pd.DataFrame:
    """:func:`trend_rows` of the facts in a Parquet store, a part at a time: memory holds one
    part's facts and the cells, never the facts of the corpus. Reports never span parts, so a
    cell's figures of each part combine into the cell: the largest (smallest) value, ties
    and ``first`` going to the first figure by (doc_id, start) as in memory; sums and counts
    added; a mean is the sum over the count."""
    import pyarrow.parquet as pq

    from ..corpus.store import MAPPED, iter_parts, part_files
    from .extract import load_indicators

    if not isinstance(min_reports, int) or isinstance(min_reports, bool) or min_reports < 1:
        raise ParameterError(f"min_reports must be a positive integer, got {min_reports!r}")
    stored = part_files(path, "facts")
    if not stored:
        raise ParameterError(f"{path}: no facts/part-*.parquet here; write them with "
                             "fazhi.process_corpus or fazhi.save_facts")
    cols = by_list(pd.DataFrame(columns=pq.read_schema(stored[0]).names), by)
    columns = list(dict.fromkeys([*_CELL_COLUMNS, *cols]))

    def read():
        return iter_parts(path, "facts", columns, MAPPED)

    wanted = None if indicators is None else (
        [indicators] if isinstance(indicators, str) else list(indicators))
    known = {i.name for i in load_indicators()}
    if min_reports != 1 or (wanted is not None and not set(wanted) <= known):
        # a first pass: the reports disclosing each indicator, and the indicators there are
        disclosed = [_mapped(part, None, about, parts, running)
                     .groupby("indicator", observed=True)["doc_id"].nunique() for part in read()]
        n_reports = (pd.concat(disclosed).groupby(level=0).sum() if disclosed
                     else pd.Series(dtype=int))
        unknown = [i for i in wanted or () if i not in known and i not in n_reports.index]
        if unknown:
            raise _unknown(unknown)
        often = set(n_reports.index[n_reports >= min_reports])
        wanted = sorted(often if wanted is None else often & set(wanted))
    cells, empty = [], None
    for part in read():
        rows, keys = _cell_facts(part, None, by, about, parts, 1, running)
        if wanted is not None:
            rows = rows[rows["indicator"].isin(wanted)]
        if rows.empty:
            empty = part.iloc[0:0] if empty is None else empty
            continue
        cells.append(_part_cells(rows, keys, agg))
    if not cells:
        return trend_rows(empty, None, by, agg, 1, about, parts, running)
    return _combined(pd.concat(cells, ignore_index=True), keys, agg)


def _part_cells(rows: pd.DataFrame, keys: list[str], agg: str) -> pd.DataFrame:
    """The cells of one part's figures, with what combining them with other parts needs."""
    grouped = rows.groupby(keys, sort=False)
    size = grouped.size().rename("n_facts")
    if agg in ("max", "min", "first"):
        shown = rows.loc[_shown(grouped, agg), [*keys, "value", "approx", "bound", "doc_id",
                                                "start"]]
        return shown.join(size, on=keys)
    out = grouped.agg(value=("value", "sum"), count=("value", "count"), approx=("approx", "any"))
    out["bound"] = _bound(grouped)
    out["n_facts"] = size
    return out.reset_index()


def _combined(cells: pd.DataFrame, keys: list[str], agg: str) -> pd.DataFrame:
    grouped = cells.groupby(keys, sort=True)
    n_facts = grouped["n_facts"].sum()
    if agg in ("max", "min", "first"):
        if agg != "first":
            cells = cells[cells["value"] == grouped["value"].transform(agg)]
        shown = (cells.sort_values(["doc_id", "start"], kind="stable")
                 .drop_duplicates(keys).set_index(keys))
        out = shown[["value", "approx", "bound"]].reindex(n_facts.index)
    else:
        total, count = grouped["value"].sum(), grouped["count"].sum()
        value = {"sum": total, "count": count, "mean": total / count}[agg]
        bounds = _bound(grouped) if agg != "count" else ""
        out = pd.DataFrame({"value": value, "approx": grouped["approx"].any() & (agg != "count"),
                            "bound": bounds})
    out["n_facts"] = n_facts
    return out.reset_index()


def trend_table(facts: pd.DataFrame, indicators: str | Iterable[str] | None = None,
                by: str | Sequence[str] | None = "place", agg: str = "max",
                min_reports: int = 1, about: str | Iterable[str] | None = OWN,
                parts: bool = False, running: bool | None = False) -> pd.DataFrame:
    """Indicators by place (or another ``by`` column) × year.

    Parameters
    ----------
    facts : DataFrame or folder
        Facts extracted from a corpus (with ``year`` and the ``by`` column); or the folder of
        a Parquet store (:func:`fazhi.process_corpus`), whose facts are read a part at a time
        so that memory holds the table's cells, not the corpus's facts (same table).
    indicators : str or list, optional
        Canonical indicator names; ``None`` = all.
    by : str or list of str, default "place"
        Grouping column(s): ``doc_id`` or any metadata column (:data:`fazhi.corpus.load.META_COLUMNS`:
        ``place``, ``province``, ``city``, ``county``, ``level``, ``organ``, ``organ_type`` …);
        ``None`` is no grouping, one row per indicator and unit (docs/glossary.md).
    agg : {"max", "first", "min", "mean", "sum", "count"}, default "max"
        How several figures for one indicator, place and year combine. Once figures about
        other bodies, the parts of a total and running totals are left out, those left in
        one cell are mostly a total and the partial counts written beside it (新增进驻事项
        25项…, 进驻事项共计251项): ``max`` keeps the total, whatever the order of the
        sentences or of the reports. ``first`` keeps the first mention in the first report (by
        ``doc_id``). :func:`trace` lists the figures behind a cell.
    min_reports : int, default 1
        Keep only indicators disclosed by at least this many reports.
    about : str, list or None, default "本级"
        Whose figures: the reporting organ's own by default; a list of ``about`` values, or
        ``None`` for every figure, adds an ``about`` level to the rows.
    parts : bool, default False
        Let a part of a total (其中…) of the same indicator and unit take part too.
    running : bool or None, default False
        The year's own figures (False); running totals only (True: 累计进驻事项663项);
        both (None), on rows of their own (a ``running`` level after ``indicator``).

    Returns
    -------
    DataFrame
        Rows ``(indicator, unit, by)`` (``(indicator, about, unit, by)`` unless ``about``
        is one value; ``running`` after ``indicator`` when ``running=None``), one column per
        year. Figures of different units stay on separate rows.

    Examples
    --------
    >>> import fazhi
    >>> facts = fazhi.extract_facts(fazhi.load_corpus())
    >>> float(trend_table(facts, "人大代表建议数").loc[("人大代表建议数", "件", "深圳市"), 2018])
    822.0
    >>> every = trend_table(facts, "人大代表建议数", about=None)
    >>> float(every.loc[("人大代表建议数", "全国", "件", "深圳市"), 2018])
    5.0
    """
    rows = trend_rows(facts, indicators, by, agg, min_reports, about, parts, running)
    index = [c for c in ["indicator", "running", "about", "unit", *by_list(rows, by)]
             if c in rows.columns and (c != "running" or running is None)]
    table = rows.pivot_table(index=index, columns="year", values="value", aggfunc="first")
    table.columns.name = "year"
    return table


def trend_sources(facts: pd.DataFrame, indicators: str | Iterable[str] | None = None,
                  by: str | Sequence[str] | None = "place", agg: str = "max",
                  min_reports: int = 1, about: str | Iterable[str] | None = OWN,
                  parts: bool = False, running: bool | None = False) -> pd.DataFrame:
    """Every trend cell with the figures behind it: one row per figure, with its sentence.

    Parameters are those of :func:`trend_table`.

    Returns
    -------
    DataFrame
        The cell's keys (indicator, (about,) unit, ``by``, year), ``cell`` (its value in
        :func:`trend_table`), then each figure's ``fact_id, doc_id, value, approx, bound,
        running, about, part_of, reviewed, sentence``, and ``shown``: whether the cell shows this figure
        (for ``max``, ``min`` and ``first`` the one chosen; for the others every figure).

    Examples
    --------
    >>> import fazhi
    >>> src = trend_sources(fazhi.extract_facts(fazhi.load_corpus()), "人大代表建议数")
    >>> src.loc[src["place"] == "深圳市", ["cell", "value", "shown"]].values.tolist()
    [[822.0, 822.0, True]]
    """
    cells = trend_rows(facts, indicators, by, agg, min_reports, about, parts, running)
    rows, keys = _cell_facts(facts, indicators, by, about, parts, min_reports, running)
    out = rows.merge(cells[[*keys, "value"]].rename(columns={"value": "cell"}), on=keys)
    if agg in ("max", "min", "first"):
        # the first figure with the cell's value, in the order of the reports and their text
        out["shown"] = (out["value"] == out["cell"]) & ~out.duplicated([*keys, "value"])
    else:
        out["shown"] = True
    figure = ["fact_id", "doc_id", "value", "approx", "bound", "running", "about", "part_of",
              "reviewed", "sentence", "shown"]
    columns = [*keys, "cell", *(c for c in figure if c not in keys)]
    return out[[c for c in columns if c in out.columns]].reset_index(drop=True)


def trace(facts: pd.DataFrame, group: str, year: int, indicator: str, by: str = "place",
          agg: str = "max", about: str | Iterable[str] | None = OWN,
          parts: bool = False, running: bool | None = False) -> pd.DataFrame:
    """The figures behind one cell of :func:`trend_table`, with their sentences.

    Parameters
    ----------
    group : the ``by`` value of the row (a place, by default).
    year, indicator : the column and the indicator of the cell.
    by, agg, about, parts, running : as in :func:`trend_table`.

    Returns
    -------
    DataFrame
        The rows of :func:`trend_sources` for that cell; empty when no figure takes part.

    Examples
    --------
    >>> import fazhi
    >>> facts = fazhi.extract_facts(fazhi.load_corpus())
    >>> trace(facts, "深圳市", 2018, "人大代表建议数")[["value", "about"]].values.tolist()
    [[822.0, '本级']]
    >>> trace(facts, "深圳市", 2018, "人大代表建议数", about=None)["value"].tolist()
    [5.0, 27.0, 822.0]
    """
    sources = trend_sources(facts, indicator, by, agg, about=about, parts=parts,
                            running=running)
    cell = sources[(sources[by] == group) & (sources["year"] == int(year))]
    return cell.reset_index(drop=True)


def choose_units(rows: pd.DataFrame, units: str | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Keep one unit per indicator, so a trend line never joins 条 to 个.

    ``None`` or ``"dominant"``: each indicator's most common unit (the first in the table on a
    tie); a str: that unit for every indicator; a dict: a unit per indicator (others kept
    whole); ``"strict"``: refuse an indicator that mixes units (ParameterError).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"indicator": ["网上留言数"] * 3, "unit": ["条", "条", "个"]})
    >>> choose_units(rows)["unit"].tolist()
    ['条', '条']
    """
    keep = []
    for name, group in rows.groupby("indicator", sort=False):
        present = group["unit"].value_counts()
        if isinstance(units, Mapping):
            chosen = units.get(name)
        elif units is None or units == "dominant":
            chosen = present.index[0]
        elif units == "strict" and len(present) > 1:
            raise ParameterError(
                f"indicator {name} mixes units {list(present.index)}; a panel plots one unit: "
                f"pass units={{'{name}': '{present.index[0]}'}} or units='dominant'")
        elif units == "strict":
            chosen = present.index[0]
        else:
            chosen = units
        keep.append(group if chosen is None else group[group["unit"] == chosen])
    return pd.concat(keep) if keep else rows.iloc[0:0]
