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
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .._compat import renamed
from ..exceptions import CorpusError, ParameterError
from ..io import SharedRecords, sorted_categorical
from .model import DOC_COLUMNS, PARA_COLUMNS, Corpus

TABLES = ("docs", "paragraphs", "removed", "errors", "tokens", "facts")
CORPUS_TABLES = {"docs": DOC_COLUMNS, "paragraphs": PARA_COLUMNS,
                 "removed": ["doc_id", "line"], "errors": ["path", "error"]}
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


#: the rows of the facts of a dictionary indicator: all that trend tables look at
MAPPED = pc.field("indicator") != ""


def part_files(out_dir: str | Path, table: str) -> list[Path]:
    """The part files of one table, in part order."""
    return sorted((Path(out_dir) / table).glob("part-*.parquet"))


def read_table(out_dir: str | Path, table: str, columns: list[str] | None = None,
               where: pc.Expression | None = None) -> pd.DataFrame:
    """All parts of one table, in part order (empty with ``columns`` when there are none);
    only ``columns`` and the rows ``where`` keeps are read, a part at a time."""
    parts = part_files(out_dir, table)
    if not parts:
        return pd.DataFrame(columns=columns or [])
    tables = [pq.read_table(p, columns=present_columns(p, columns), filters=where) for p in parts]
    # the reports each part's facts were read from (facts.attrs["docs"]): all of them
    recorded = [d for t in tables if (d := _recorded_docs(t)) is not None]
    # Categorical columns (the facts' sentences and metadata) are dictionaries of a width
    # that differs by part: joined as strings, and made categorical again as a whole.
    coded = {f.name for t in tables for f in t.schema if pa.types.is_dictionary(f.type)}
    tables = [t.cast(pa.schema([pa.field(f.name, f.type.value_type)
                                if pa.types.is_dictionary(f.type) else f for f in t.schema],
                               metadata=t.schema.metadata), safe=False) if coded else t
              for t in tables]
    frame = pa.concat_tables(tables, promote_options="default").to_pandas()
    for name in coded:
        frame[name] = sorted_categorical(frame[name])
    if recorded:
        frame.attrs["docs"] = SharedRecords(chain.from_iterable(recorded))
    # A store written before a column was added (docs.adcode) reads back with it empty.
    return frame.reindex(columns=columns, fill_value="") if columns else frame


def iter_parts(out_dir: str | Path, table: str, columns: list[str] | None = None,
               where: pc.Expression | None = None) -> Iterator[pd.DataFrame]:
    """The parts of one table, one DataFrame at a time, in part order: only ``columns`` and
    the rows ``where`` keeps (what an analysis of a corpus larger than memory reads)."""
    for part in part_files(out_dir, table):
        data = pq.read_table(part, columns=present_columns(part, columns), filters=where)
        coded = [f.name for f in data.schema if pa.types.is_dictionary(f.type)]
        frame = data.to_pandas()
        for name in coded:
            frame[name] = sorted_categorical(frame[name])
        if (docs := _recorded_docs(data)) is not None:
            frame.attrs["docs"] = SharedRecords(docs)
        yield frame.reindex(columns=columns, fill_value="") if columns else frame


def _recorded_docs(table: pa.Table) -> list | None:
    """The ``attrs["docs"]`` pandas stored with a part, if any."""
    meta = table.schema.pandas_metadata or {}
    return (meta.get("attributes") or {}).get("docs")


def present_columns(part: Path, columns: list[str] | None) -> list[str] | None:
    """The ``columns`` a part file holds (all when ``columns`` is None): only they are read."""
    if columns is None:
        return None
    names = set(pq.read_schema(part).names)
    return [c for c in columns if c in names]


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


def parts_of(doc_ids: Iterable[str], docs_per_part: int) -> dict[str, int]:
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
    ['docs', 'paragraphs', 'removed', 'source_root.txt']
    """
    out = Path(out_dir)
    # Every table is read before any is replaced: a corpus read lazily from this very folder
    # must not read back what this call is writing.
    tables = {name: getattr(corpus, name) for name in ("docs", "paragraphs", "removed", "errors")}
    part_of = parts_of(tables["docs"]["doc_id"], docs_per_part)
    for name in ("docs", "paragraphs", "removed"):
        _write_by_doc(tables[name], out, name, part_of)
    clear(out, ["errors"])
    write_part(tables["errors"], out, "errors", 0)
    # The folder the corpus came from keeps its sidecars (metadata.csv, facts_review.csv).
    marker, root = out / SOURCE_ROOT, getattr(corpus, "root", None)
    marker.unlink(missing_ok=True)
    if root is not None and Path(root).resolve() != out.resolve():
        marker.write_text(str(Path(root).resolve()), encoding="utf-8")
    return out


class StoredTable:
    """A loader for one table of a store (a :class:`Corpus` table source): reads the parts on
    call, after checking they are the files that were there when the corpus was opened.

    A stored corpus reads its docs at once and its other tables on first access; a folder
    rewritten in between (``save_corpus`` or the Dask path again) would pair the old docs
    with new paragraphs, so it is refused with a :class:`~fazhi.exceptions.CorpusError`.
    """

    def __init__(self, path: str | Path, table: str, columns: list[str] | None = None):
        self.path, self.table, self.columns = Path(path), table, columns
        self.snapshot = self._state()

    def _state(self) -> list[tuple[str, int, int]]:
        return [(p.name, (st := p.stat()).st_size, st.st_mtime_ns)
                for p in part_files(self.path, self.table)]

    def __call__(self) -> pd.DataFrame:
        try:
            same = self._state() == self.snapshot
        except OSError:
            same = False
        if not same:
            raise CorpusError(f"{self.path}: the stored {self.table} changed after the corpus "
                              "was read from it; read it again with fazhi.load_corpus")
        return read_table(self.path, self.table, self.columns)


#: a file in a store naming the folder the corpus was loaded from (its sidecars live there)
SOURCE_ROOT = "source_root.txt"


def source_root(path: str | Path) -> Path:
    """Where a stored corpus's sidecars (``metadata.csv``, ``facts_review.csv``) live: the
    folder it was loaded from when the store records one, else the store itself."""
    marker = Path(path) / SOURCE_ROOT
    try:
        return Path(marker.read_text(encoding="utf-8").strip() or path)
    except OSError:
        return Path(path)


@renamed(out_dir="path")
def read_corpus(path: str | Path) -> Corpus:
    """Read a corpus written by :func:`save_corpus` or the Dask path back into a :class:`Corpus`.

    ``docs`` is read at once; ``paragraphs``, ``removed`` and ``errors`` when first asked for
    (:class:`StoredTable`), so a corpus that is only filtered or counted never loads its
    paragraphs.

    Examples
    --------
    >>> import tempfile, fazhi
    >>> corp = read_corpus(save_corpus(fazhi.load_corpus(), tempfile.mkdtemp()))
    >>> len(corp), corp.docs["year"].tolist(), corp.is_loaded("paragraphs")
    (5, [2020, 2022, 2021, 2020, 2018], False)
    """
    if not is_store(path):
        raise CorpusError(f"{path}: no docs/part-*.parquet here; write one with "
                          "fazhi.corpus.store.save_corpus or fazhi.distributed.process_corpus_dask")
    docs = read_table(path, "docs", CORPUS_TABLES["docs"])
    docs["year"] = pd.array(docs["year"], dtype="Int64")
    lazy = {name: StoredTable(path, name, cols) for name, cols in CORPUS_TABLES.items()
            if name != "docs"}
    return Corpus(docs, lazy["paragraphs"], lazy["removed"], lazy["errors"],
                  root=source_root(path))


def save_facts(facts: pd.DataFrame, out_dir: str | Path, docs_per_part: int = DOCS_PER_PART) -> Path:
    """Write a facts table under ``out_dir/facts``, ``docs_per_part`` documents a part."""
    _write_by_doc(facts, Path(out_dir), "facts", parts_of(facts["doc_id"], docs_per_part))
    return Path(out_dir)


@renamed(out_dir="path")
def read_facts(path: str | Path, columns: list[str] | None = None, *,
               mapped: bool = False) -> pd.DataFrame:
    """The facts table stored under ``path/facts``.

    Parameters
    ----------
    path : the store's folder.
    columns : only these columns (a trend table needs a dozen; the sentences and labels are
        most of the bytes).
    mapped : only the facts of a dictionary indicator (``indicator`` not empty): all that
        ``trend_table``, ``coverage_matrix`` and ``most_disclosed`` look at.

    The facts are as extracted: a ``facts_review.csv`` is applied by
    :func:`fazhi.facts.review.apply_review`, or by ``extract_facts`` on the stored corpus."""
    if columns is not None and (isinstance(columns, str) or not all(isinstance(c, str)
                                                                    for c in columns)):
        raise ParameterError(f"columns: give a list of column names, got {columns!r}")
    if not isinstance(mapped, bool):
        raise ParameterError(f"mapped: give True or False, got {mapped!r}")
    return read_table(path, "facts", list(columns) if columns is not None else None,
                      MAPPED if mapped else None)
