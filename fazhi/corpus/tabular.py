"""One-file corpora: a table (CSV, TSV, JSON Lines, Excel, Parquet) with one report a row, as
scraped datasets come. One column holds the text; the others become metadata that overrides
what is inferred from the text, exactly as a ``metadata.csv`` sidecar does."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..exceptions import CorpusError

#: the suffixes read as a table of reports
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx", ".parquet"})
# Column names that usually hold the text, in the order they are tried.
_TEXT_NAMES = ("text", "content", "正文", "全文", "内容", "body", "fulltext")
_ID_NAMES = ("doc_id", "id", "编号")


def is_table_file(path: str | Path) -> bool:
    """Whether ``path`` is a file of one of :data:`TABLE_SUFFIXES`."""
    p = Path(path)
    return p.suffix.lower() in TABLE_SUFFIXES and p.is_file()


def read_table(path: str | Path) -> pd.DataFrame:
    """The table in ``path``, every cell as text (empty cells as ``""``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                sep="\t" if suffix == ".tsv" else ",")
        elif suffix in (".jsonl", ".ndjson"):
            table = pd.read_json(path, lines=True, dtype=False)
        elif suffix == ".json":
            table = pd.read_json(path, dtype=False)
        elif suffix == ".xlsx":
            table = pd.read_excel(path, dtype=str)
        else:
            table = pd.read_parquet(path)
    except Exception as e:  # pandas and pyarrow raise many types for a bad file
        raise CorpusError(f"{path}: cannot be read as a {suffix[1:]} table of reports "
                          f"({type(e).__name__}: {e})") from e
    return table.astype(object).where(table.notna(), "").map(
        lambda v: v if isinstance(v, str) else str(v))


def text_column_of(table: pd.DataFrame, path: str | Path, text_column: str | None) -> str:
    """The column holding the reports' text: ``text_column``, else a usual name (text,
    content, 正文 …), else the column with the longest cells."""
    if text_column is not None:
        if text_column not in table.columns:
            raise CorpusError(f"{path}: no column {text_column!r}; the table has "
                              f"{', '.join(map(str, table.columns))}")
        return text_column
    for name in _TEXT_NAMES:
        if name in table.columns:
            return name
    if table.empty or not len(table.columns):
        raise CorpusError(f"{path}: the table has no rows or no columns")
    return max(table.columns, key=lambda c: table[c].str.len().mean())


def id_column_of(table: pd.DataFrame, path: str | Path, id_column: str | None) -> str | None:
    """The column of document ids: ``id_column``, else ``doc_id``/``id`` when its values are
    unique, else none (ids are then ``<file stem>-<row number>``)."""
    if id_column is not None:
        if id_column not in table.columns:
            raise CorpusError(f"{path}: no column {id_column!r}; the table has "
                              f"{', '.join(map(str, table.columns))}")
        if not table[id_column].is_unique or (table[id_column] == "").any():
            raise CorpusError(f"{path}: column {id_column!r} has empty or repeated ids")
        return id_column
    for name in _ID_NAMES:
        if name in table.columns and table[name].is_unique and (table[name] != "").all():
            return name
    return None


def table_rows(path: str | Path, text_column: str | None, id_column: str | None,
               metadata_columns: set[str]) -> tuple[list[tuple[str, str, str]], pd.DataFrame]:
    """The reports of a table file: ``(doc_id, row path, text)`` for each row with text, and
    a sidecar-like frame (column ``file`` = row path) of the columns that are metadata.

    Columns that are neither the text, the id nor a metadata column fazhi knows are left out
    with a warning naming them.
    """
    path = Path(path)
    table = read_table(path)
    text = text_column_of(table, path, text_column)
    ids = id_column_of(table, path, id_column)
    meta = [c for c in table.columns if c in metadata_columns and c not in (text, ids)]
    if ignored := [c for c in table.columns if c not in (text, ids, *meta)]:
        warnings.warn(f"{path}: column(s) {', '.join(map(str, ignored))} left out (metadata "
                      f"columns fazhi knows: {', '.join(sorted(metadata_columns))})",
                      stacklevel=3)
    rows, side = [], []
    width = len(str(len(table)))
    for i, record in enumerate(table.to_dict("records")):
        if not record[text].strip():
            continue
        doc_id = record[ids] if ids else f"{path.stem}-{i + 1:0{width}d}"
        where = f"{path}#{i + 1}"
        rows.append((doc_id, where, record[text]))
        side.append({"file": where, **{c: record[c] for c in meta}})
    if not rows:
        raise CorpusError(f"{path}: no row has text in column {text!r}")
    return rows, pd.DataFrame(side, columns=["file", *meta])
