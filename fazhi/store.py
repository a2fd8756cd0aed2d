"""A corpus on disk as partitioned Parquet: one folder per table, one ``part-NNNNN.parquet``
file per batch of documents.

::

    out_dir/
      docs/part-00000.parquet …        one row per report (the ``docs`` contract)
      paragraphs/part-00000.parquet …  one row per paragraph
      removed/ errors/                 boilerplate removed, files skipped or merged
      tokens/part-00000.parquet …      doc_id, para_id, tokens (list of str) per paragraph
      facts/part-00000.parquet …       the ``facts`` contract

Part ``k`` of every table holds the rows of the same documents, and parts are read back in
order, so the tables come back in the order they were written. :func:`save_corpus` writes
such a folder on one machine; :func:`fazhi.distributed.process_corpus_dask` writes it from a
Dask cluster; :func:`read_corpus` (and ``load_corpus(folder)``) reads either back.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .corpus import DOC_COLUMNS, PARA_COLUMNS, Corpus
from .exceptions import CorpusError

if TYPE_CHECKING:
    from .segment import Tokens

TABLES = ("docs", "paragraphs", "removed", "errors", "tokens", "facts")
CORPUS_TABLES = {"docs": DOC_COLUMNS, "paragraphs": PARA_COLUMNS,
                 "removed": ["doc_id", "line"], "errors": ["path", "error"]}
TOKEN_COLUMNS = ["doc_id", "para_id", "tokens"]
#: Documents per part file when saving on one machine.
DOCS_PER_PART = 1000


def _part_name(part: int) -> str:
    return f"part-{part:05d}.parquet"


def write_part(frame: pd.DataFrame | pa.Table, out_dir: str | Path, table: str,
               part: int) -> Path | None:
    """Write one part of a table (nothing when ``frame`` is empty); return its path."""
    if table not in TABLES:
        raise CorpusError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
    if isinstance(frame, pa.Table):
        if frame.num_rows == 0:
            return None
    elif frame.empty:
        return None
    folder = Path(out_dir) / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _part_name(part)
    tmp = path.with_suffix(".parquet.tmp")
    data = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame,
                                                                          preserve_index=False)
    pq.write_table(data, tmp)
    tmp.replace(path)  # readers never see half a file
    return path


def read_table(out_dir: str | Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """All parts of one table, in part order (empty with ``columns`` when there are none)."""
    parts = sorted((Path(out_dir) / table).glob("part-*.parquet"))
    if not parts:
        return pd.DataFrame(columns=columns or [])
    tables = [pq.read_table(p) for p in parts]
    frame = pa.concat_tables(tables, promote_options="default").to_pandas()
    return frame[columns] if columns else frame


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a folder written by :func:`save_corpus` or the Dask path."""
    docs = Path(path) / "docs"
    return docs.is_dir() and any(docs.glob("part-*.parquet"))


def clear(out_dir: str | Path, tables: Iterable[str] = TABLES) -> None:
    """Remove the part files of ``tables`` under ``out_dir`` (and nothing else)."""
    for table in tables:
        folder = Path(out_dir) / table
        for part in folder.glob("part-*.parquet*"):
            part.unlink()
        if folder.is_dir() and not any(folder.iterdir()):
            shutil.rmtree(folder)


def _parts(doc_ids: Iterable[str], docs_per_part: int) -> dict[str, int]:
    """Part number of each document: consecutive runs of ``docs_per_part`` in first-seen order."""
    return {doc_id: i // docs_per_part for i, doc_id in enumerate(pd.unique(pd.Series(doc_ids)))}


def _write_by_doc(frame: pd.DataFrame, out: Path, table: str, part_of: dict[str, int]) -> None:
    clear(out, [table])
    for part, rows in frame.groupby(frame["doc_id"].map(part_of), sort=True):
        write_part(rows.reset_index(drop=True), out, table, int(part))


def save_corpus(corpus: Corpus, out_dir: str | Path, docs_per_part: int = DOCS_PER_PART) -> Path:
    """Write a corpus as partitioned Parquet (replacing the corpus tables already there).

    Parameters
    ----------
    corpus : Corpus
    out_dir : folder to write into (created when missing).
    docs_per_part : documents per part file.

    Examples
    --------
    >>> import tempfile, fazhi
    >>> folder = save_corpus(fazhi.load_corpus(), tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())  # no errors/: every file was read
    ['docs', 'paragraphs', 'removed']
    """
    out = Path(out_dir)
    part_of = _parts(corpus.docs["doc_id"], docs_per_part)
    for name in ("docs", "paragraphs", "removed"):
        _write_by_doc(getattr(corpus, name), out, name, part_of)
    clear(out, ["errors"])
    write_part(corpus.errors, out, "errors", 0)
    return out


def read_corpus(out_dir: str | Path) -> Corpus:
    """Read a corpus written by :func:`save_corpus` or the Dask path back into a :class:`Corpus`.

    Examples
    --------
    >>> import tempfile, fazhi
    >>> corp = read_corpus(save_corpus(fazhi.load_corpus(), tempfile.mkdtemp()))
    >>> len(corp), corp.docs["year"].tolist()
    (5, [2020, 2022, 2021, 2020, 2018])
    """
    if not is_store(out_dir):
        raise CorpusError(f"{out_dir}: no docs/part-*.parquet here; write one with "
                          "fazhi.store.save_corpus or fazhi.distributed.process_corpus_dask")
    tables = {name: read_table(out_dir, name, cols) for name, cols in CORPUS_TABLES.items()}
    tables["docs"]["year"] = pd.array(tables["docs"]["year"], dtype="Int64")
    return Corpus(tables["docs"], tables["paragraphs"], tables["removed"], tables["errors"],
                  Path(out_dir))


def token_table(tokens: Tokens) -> pd.DataFrame:
    """Paragraph tokens as a table: doc_id, para_id, tokens (list of str)."""
    _check_paragraphs(tokens)
    table = tokens.units[["doc_id", "para_id"]].reset_index(drop=True)
    table["tokens"] = tokens.tokens
    return table


def _check_paragraphs(tokens: Tokens) -> None:
    if tokens.unit != "paragraph":
        raise CorpusError(f"only paragraph tokens are stored, got unit={tokens.unit!r}; "
                          "sections and documents are rebuilt from them")


def save_tokens(tokens: Tokens, out_dir: str | Path, docs_per_part: int = DOCS_PER_PART) -> Path:
    """Write paragraph tokens under ``out_dir/tokens``, ``docs_per_part`` documents a part."""
    from ._tokens import take_rows

    _check_paragraphs(tokens)
    out = Path(out_dir)
    keys = tokens.units[["doc_id", "para_id"]].reset_index(drop=True)
    part_of = keys["doc_id"].map(_parts(keys["doc_id"], docs_per_part)).to_numpy()
    # Written from the ids: a Python list per paragraph would cost as much as the tokens.
    words = pa.array(tokens.vocab.tolist(), type=pa.string())
    clear(out, ["tokens"])
    for part in np.unique(part_of):
        rows = np.flatnonzero(part_of == part)
        ids, offsets = take_rows(tokens.ids, tokens.offsets, rows)
        table = pa.Table.from_pandas(keys.iloc[rows], preserve_index=False).append_column(
            "tokens", pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), words.take(ids)))
        write_part(table, out, "tokens", int(part))
    return out


def read_tokens(out_dir: str | Path, corpus: Corpus | None = None) -> Tokens:
    """Paragraph :class:`~fazhi.segment.Tokens` from ``out_dir/tokens``, with the units table
    :func:`~fazhi.segment.tokenize_corpus` builds (metadata from ``corpus``, default the
    corpus stored in ``out_dir``).

    Examples
    --------
    >>> import tempfile, fazhi
    >>> corp = fazhi.load_corpus()
    >>> folder = save_tokens(fazhi.tokenize_corpus(corp), tempfile.mkdtemp())
    >>> read_tokens(folder, corp).tokens == fazhi.tokenize_corpus(corp).tokens
    True
    """
    from ._token_arrow import assemble, list_part
    from .segment import Tokens, _units_table

    corpus = corpus if corpus is not None else read_corpus(out_dir)
    parts = sorted((Path(out_dir) / "tokens").glob("part-*.parquet"))
    if not parts:
        raise CorpusError(f"{out_dir}: no tokens/part-*.parquet here")
    stored = pa.concat_tables([pq.read_table(p, columns=TOKEN_COLUMNS) for p in parts],
                              promote_options="permissive")
    keys = stored.select(["doc_id", "para_id"]).to_pandas()
    units = _units_table(corpus).reset_index(drop=True)
    order = units[["doc_id", "para_id"]].merge(keys.reset_index(names="_row"), how="left",
                                               on=["doc_id", "para_id"], validate="one_to_one")
    if order["_row"].isna().any():
        missing = order.loc[order["_row"].isna(), "doc_id"].iloc[0]
        raise CorpusError(f"{out_dir}: no stored tokens for the paragraphs of {missing!r}")
    # Encoded by pyarrow in C++: no Python string per stored token.
    parts, first = [], 0
    for chunk in stored["tokens"].chunks:
        parts.append((list_part(chunk), np.arange(first, first + len(chunk))))
        first += len(chunk)
    compact = assemble(parts, first, order["_row"].to_numpy(dtype=np.int64))
    units["n_tokens"] = np.diff(compact[2])
    return Tokens._of(units, compact, "paragraph")


def save_facts(facts: pd.DataFrame, out_dir: str | Path, docs_per_part: int = DOCS_PER_PART) -> Path:
    """Write a facts table under ``out_dir/facts``, ``docs_per_part`` documents a part."""
    _write_by_doc(facts, Path(out_dir), "facts", _parts(facts["doc_id"], docs_per_part))
    return Path(out_dir)


def read_facts(out_dir: str | Path) -> pd.DataFrame:
    """The facts table stored under ``out_dir/facts``."""
    return read_table(out_dir, "facts")
