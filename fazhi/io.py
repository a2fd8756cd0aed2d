"""Atomic writes and table export shared by the CLI, the notebooks and the renderer."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._compat import renamed

if TYPE_CHECKING:
    import pyarrow as pa


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    An interrupted write therefore never leaves a half-written file under the final name.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600; a shared report should get the user's usual permissions.
        os.chmod(tmp_path, 0o666 & ~current_umask())
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def output_problem(where: str | Path, exc: OSError) -> str:
    """One clear sentence for an OSError met while writing results under ``where``."""
    name = exc.filename or where
    if exc.errno in _FULL:
        return (f"{name}: no space left on the disk while writing; nothing was left "
                "half-written. Free some space (or choose another --out-dir) and run again.")
    if exc.errno in _READ_ONLY:
        return (f"{name}: cannot write there ({exc.strerror}); choose a folder you can write "
                "to with --out-dir.")
    return f"{name}: cannot write ({exc.strerror or exc})."


def is_output_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is a full disk or a read-only place, not a bug of the analysis."""
    return isinstance(exc, OSError) and exc.errno in _FULL | _READ_ONLY


def write_text(target: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def is_text(series: pd.Series) -> bool:
    """Whether ``series`` holds text: object, a string dtype, or a categorical of strings
    (the facts table keeps its sentences and each report's metadata as categoricals).

    Every escape (HTML) and quote (spreadsheets) asks this, so that no dtype of text slips
    past one.

    Examples
    --------
    >>> import pandas as pd
    >>> [is_text(pd.Series(v)) for v in (["a"], pd.Categorical(["a"]), [1.0])]
    [True, True, False]
    """
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def sorted_categorical(values: pd.Series | pa.Array | pa.ChunkedArray) -> pd.Categorical:
    """Text ``values`` as a categorical whose categories are the distinct strings, sorted:
    each text held once however many rows repeat it (a sentence holding five figures, a
    report's title on each of its hundred figures), ordered, grouped and compared as the
    strings are. Missing values stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> sorted_categorical(pd.Series(["乙", "甲", None, "乙"])).tolist()
    ['乙', '甲', nan, '乙']
    >>> list(sorted_categorical(pd.Series(["乙", "甲", "乙"])).categories)
    ['乙', '甲']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pd.Series):
        values = pa.array(values.astype("str"), type=pa.string())
    uniques = pc.drop_null(pc.unique(values))
    uniques = uniques.take(pc.sort_indices(uniques))  # code-point order, as Python sorts
    codes = pc.fill_null(pc.index_in(values, value_set=uniques), -1).to_numpy()
    categorical = pd.Categorical.from_codes(
        codes.astype("int32"), categories=pd.Index(uniques.to_pandas(), dtype="str"))
    # pandas checks that the categories are distinct with a hash table of them as Python
    # strings, and keeps it on the Index: 57 MB for 300,000 sentences, more than the
    # sentences themselves. They are distinct by construction; the table is dropped, and
    # built again only if a lookup needs it (a comparison with one value).
    getattr(categorical.categories, "_cache", {}).pop("_engine", None)
    return categorical


class SharedRecords(list):
    """Records (one dict a report) kept in a table's ``attrs`` and shared, not copied, by the
    tables derived from it: pandas deep-copies ``attrs`` on every operation, which for the
    reports of a large corpus cost more than the operation itself (a trend table of 10,000
    reports' facts: 8.0 s, 0.9 s without). Treat them as read-only.

    Examples
    --------
    >>> import copy
    >>> docs = SharedRecords([{"doc_id": "a"}])
    >>> copy.deepcopy(docs) is docs, docs == [{"doc_id": "a"}]
    (True, True)
    """

    def __deepcopy__(self, memo: dict) -> SharedRecords:
        return self

    def __reduce__(self):  # pickled as the records they are, and shared again when read
        return SharedRecords, (list(self),)


def plain_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every categorical column as its categories' own dtype (``str``,
    ``Int64`` …): the analyses' tables hold plain columns whatever their inputs hold.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"place": sorted_categorical(pd.Series(["乙", None]))})
    >>> str(plain_columns(table)["place"].dtype), str(plain_columns(table.iloc[:0])["place"].dtype)
    ('str', 'str')
    """
    wanted = {c: d.categories.dtype for c, d in table.dtypes.items()
              if isinstance(d, pd.CategoricalDtype)}
    return table.astype(wanted) if wanted else table


def categorical_meta(table: pd.DataFrame, ids: pd.Series, columns: list[str]) -> pd.DataFrame:
    """The ``columns`` of ``table`` (one row per ``doc_id``) on the rows of ``ids``, one
    report's row for each of its rows; text as sorted categoricals (:func:`sorted_categorical`)
    so that a report's title or place is held once, not once per paragraph or figure. An id
    not in ``table`` gets missing values."""
    if not table["doc_id"].is_unique:
        repeated = table.loc[table["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id {repeated!r} is on more than one row of the documents")
    by_doc = table[["doc_id", *columns]].set_index("doc_id")
    at = by_doc.index.get_indexer(ids)
    out = {}
    for column in columns:
        values = by_doc[column]
        if is_text(values):
            values = pd.Series(sorted_categorical(values), index=values.index)
        out[column] = values.array.take(at, allow_fill=True)
    return pd.DataFrame(out, index=ids.index)


def _as_text(series: pd.Series) -> pd.Series:
    """A categorical column as plain values, for a cell-by-cell rewrite of its text."""
    return series.astype(object) if isinstance(series.dtype, pd.CategoricalDtype) else series


# OWASP's list: a cell starting with one of these is read as a formula by Excel, LibreOffice
# and Google Sheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which no text cell can be read as a spreadsheet formula.

    A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (OWASP's advice against CSV injection); numbers are left as they are.
    Readers such as pandas and R see the quote: strip it with ``str.removeprefix("'")``
    where it matters.

    Examples
    --------
    >>> import pandas as pd
    >>> spreadsheet_safe(pd.DataFrame({"t": ["=HYPERLINK(1)", "办复率"], "v": [-1, 2]})).values.tolist()
    [["'=HYPERLINK(1)", -1], ['办复率', 2]]
    """
    def fix(value):
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            return "'" + value
        return value

    out = df.copy()
    for col in out.columns:
        if is_text(out[col]):
            out[col] = _as_text(out[col]).map(fix, na_action="ignore")
    return out


def write_csv(df: pd.DataFrame, target: str | Path) -> Path:
    """Write ``df`` atomically as CSV, UTF-8 with BOM (so Excel shows Chinese), every text
    cell made safe by :func:`spreadsheet_safe`."""
    with atomic_path(target) as tmp:
        # CRLF, as RFC 4180 says: the csv module then quotes a field holding a bare CR too,
        # which "\n" as line end leaves unquoted (and the row breaks in two).
        spreadsheet_safe(df).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return Path(target)


def write_xlsx(df: pd.DataFrame, target: str | Path, sheet_name: str = "Sheet1") -> Path:
    """Write ``df`` atomically as an Excel workbook in which every string cell is text.

    openpyxl stores a string starting with ``=`` as a formula; here every such cell is
    written back as a plain string, so ``=HYPERLINK(…)`` from a report's title stays
    visible text and is never evaluated. Control characters Excel refuses are dropped.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean = df.apply(lambda col: _as_text(col).map(
        lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
        if is_text(col) else col)
    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            clean.to_excel(writer, index=False, sheet_name=sheet_name)
            for row in writer.sheets[sheet_name].iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # the data hold no formulas of their own
                        cell.data_type = "s"
    return Path(target)


@renamed(output_dir="out_dir")
def save_table(df: pd.DataFrame, name: str, out_dir: str | Path | None) -> pd.DataFrame:
    """Save ``df`` as ``<out_dir>/<name>.csv`` (UTF-8 with BOM, so Excel shows Chinese).

    With ``out_dir=None`` (interactive use) nothing is written. Returns ``df`` so a
    notebook cell can save and display in one line.

    Examples
    --------
    >>> import pandas as pd
    >>> save_table(pd.DataFrame({"a": [1]}), "example", None)
       a
    0  1
    """
    if out_dir is not None:
        write_csv(df, Path(out_dir) / f"{name}.csv")
        # where a report beside the tables folder finds the CSV (fazhi.show_table names it)
        df = df.copy(deep=False)
        df.attrs["fazhi_csv"] = f"{Path(out_dir).name}/{name}.csv"
    return df
