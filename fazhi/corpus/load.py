"""The corpus: a ``docs`` table (one row per report) and a ``paragraphs`` table, built by
mapping read → normalise → metadata → structure over the files, in parallel if asked."""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .._compat import renamed
from .._memory import release_memory
from .._parallel import check_workers, imap_in_processes, n_processes
from .._resources import seeds_dir
from ..exceptions import CorpusError, FazhiError, MetadataError, ParameterError
from .metadata import refresh_derived
from .model import DOC_COLUMNS, PARA_COLUMNS, Corpus

_OVERRIDABLE = set(DOC_COLUMNS) - {"doc_id", "path", "text", "n_chars"}


def process_file(path: str | Path, boilerplate: Sequence[str] = ()) -> dict:
    """Read, normalise, infer metadata and split one report. Pure: safe in any worker."""
    from .readers import read_document

    raw = read_document(path)
    return process_text(raw.text, str(path), raw.format, raw.encoding, boilerplate)


def process_text(text: str, path: str, fmt: str = "txt", encoding: str = "",
                 boilerplate: Sequence[str] = ()) -> dict:
    """Normalise, infer metadata and split one report's text (``path`` names where it came
    from). Pure: safe in any worker."""
    from .metadata import infer_metadata
    from .normalize import normalize_text
    from .structure import split_paragraphs

    norm = normalize_text(text, boilerplate)
    meta = infer_metadata(norm)
    doc = {"path": path, "format": fmt, "encoding": encoding,
           **meta.as_row(), "script": norm.script, "text": norm.text, "n_chars": len(norm.text)}
    # the digest is taken here, in the worker, not by the one process that gathers results
    return {"doc": doc, "paragraphs": split_paragraphs(norm.text, meta.skip),
            "removed": list(norm.removed), "digest": text_digest(norm.text)}


def _table_results(path: Path, text_column: str | None, id_column: str | None,
                   boilerplate: tuple[str, ...]) -> tuple[list[dict], pd.DataFrame]:
    from tqdm import tqdm

    from .tabular import table_rows

    rows, side = table_rows(path, text_column, id_column, _OVERRIDABLE)
    results = []
    for doc_id, where, text in tqdm(rows, desc="reading reports", unit="doc",
                                    disable=len(rows) < 50):
        try:
            results.append({**process_text(text, where, "table", "", boilerplate),
                            "doc_id": doc_id})
        except Exception as e:  # one bad row must not stop the table
            results.append({"error": f"{where}: {type(e).__name__}: {e}", "path": where})
    return results, side


def safe_process(args: tuple[str, tuple[str, ...]]) -> dict:
    path, boilerplate = args
    try:
        return process_file(path, boilerplate)
    except FazhiError as e:
        return {"error": str(e), "path": path}
    except Exception as e:  # a broken file must not stop the batch
        return {"error": f"{path}: {type(e).__name__}: {e}", "path": path}


def text_digest(text: str) -> str:
    """The sha1 of a report's text: two files with the same digest are one report."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class DocIds:
    """The doc-id and de-duplication rule, for :func:`load_corpus` and :mod:`fazhi.distributed`.

    Files are offered in load order. A text seen before is kept once: the later file gets
    no id, and an ``errors`` row (with a warning) says which file it repeats. A kept file's
    id is its stem, with ``-2``, ``-3`` … added when an earlier file took that stem.

    Examples
    --------
    >>> ids = DocIds()
    >>> ids.assign("a/report.txt", "1"), ids.assign("b/report.txt", "2")
    ('report', 'report-2')
    """

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        self.used: set[str] = set()
        self.errors: list[dict[str, str]] = []

    def assign(self, path: str, digest: str, stacklevel: int = 2,
               base: str | None = None) -> str | None:
        """The doc id of the file at ``path`` with text ``digest`` (``base``, else the file's
        stem, made unique), or None for a repeat."""
        if digest in self.seen:
            msg = f"{path}: same text as {self.seen[digest]}, kept once"
            warnings.warn(msg, stacklevel=stacklevel + 1)
            self.errors.append({"path": path, "error": msg})
            return None
        self.seen[digest] = path
        stem = base or Path(path).stem
        doc_id, n = stem, 2
        while doc_id in self.used:
            doc_id, n = f"{stem}-{n}", n + 1
        self.used.add(doc_id)
        return doc_id


def corpus_tables(kept: list[tuple[dict, str]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ``docs`` (before the sidecar and the year's dtype), ``paragraphs`` and ``removed``
    tables of processed reports (:func:`process_text` results) and their doc ids, in order;
    for :func:`load_corpus` and the Dask path alike."""
    docs = [r["doc"] for r, _ in kept]
    ids = [doc_id for _, doc_id in kept]
    paragraphs = [p for r, _ in kept for p in r["paragraphs"]]
    para_ids = [doc_id for r, doc_id in kept for _ in r["paragraphs"]]
    removed = pd.DataFrame([{"doc_id": doc_id, "line": line} for r, doc_id in kept
                            for line in r["removed"]], columns=["doc_id", "line"])
    return (_frame({"doc_id": ids, **{c: [d[c] for d in docs] for c in DOC_COLUMNS[1:]}}),
            _frame({"doc_id": para_ids, **{c: [p[c] for p in paragraphs] for c in PARA_COLUMNS[1:]}}),
            removed)


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """A frame of columns of Python values, through Arrow: pandas's own constructor checks
    every string of a column once more as it converts it (1.2 s of the main process's time
    at 10,000 reports, while the processes wait for it); the dtypes are the same."""
    return pa.table({c: pa.array(v) for c, v in columns.items()}).to_pandas()


def _file_bytes(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # reported by the reader, with the file's name
        return 0


# A report that takes every lazily built table of the loader: the place index, the organ
# and section rules, the boilerplate patterns, OpenCC's dictionary.
_PRIMER = ("海丰县人民政府关于2021年度法治政府建设情况的报告\n首页 > 政务公开\n"
           "2021年,海丰县司法局坚持依法行政。\n一、存在問題\n一是宣传不够。二是队伍薄弱。\n"
           "海丰县司法局\n2022年1月5日")


def _prime(boilerplate: tuple[str, ...]) -> None:
    """Import and build here what every report needs, before worker processes are forked
    from this one: they then share it instead of each spending most of a second on it."""
    import charset_normalizer  # noqa: F401  (GB18030 and Big5 files)

    process_text(_PRIMER, "", boilerplate=boilerplate)


def map_files(paths: list[str], boilerplate: tuple[str, ...], workers: int | None,
              progress: str | None = "reading reports") -> Iterator[dict]:
    """:func:`safe_process` of each file, in order, as the processes return them."""
    # The text is not read yet: the files' bytes stand for its size (fazhi._parallel).
    size = sum(map(_file_bytes, paths))
    if n_processes(workers, size) > 1:
        _prime(boilerplate)
    return imap_in_processes(safe_process, [(p, boilerplate) for p in paths], workers,
                             size=size, chunksize=16, progress=progress, unit="doc")


#: reports whose results are turned into table rows at a time: the results of 10,000 reports
#: held as dicts (every paragraph a dict) take about as much again as the tables built from them
_BATCH_DOCS = 500


def _tables(results: Iterable[dict], ids: DocIds, failed: list[dict]
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The corpus tables of ``results`` as they come (:func:`corpus_tables`, a batch of
    reports at a time), each report given its id by ``ids``; failed reports go to ``failed``."""
    parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    batch: list[tuple[dict, str]] = []
    for r in results:
        if "error" in r:
            failed.append({"path": r["path"], "error": r["error"]})
            continue
        doc_id = ids.assign(r["doc"]["path"], r["digest"],
                            stacklevel=3, base=r.get("doc_id"))
        if doc_id is not None:
            batch.append((r, doc_id))
        if len(batch) >= _BATCH_DOCS:
            parts.append(corpus_tables(batch))
            batch = []
    if batch:
        parts.append(corpus_tables(batch))
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
    return tuple(_concat(tables) for tables in zip(*parts))  # type: ignore[return-value]


def _concat(tables: tuple[pd.DataFrame, ...]) -> pd.DataFrame:
    # a batch without rows (no boilerplate removed) has columns of no dtype: left out, the
    # whole table gets the dtypes one batch would have given it
    rows = [t for t in tables if len(t)]
    return pd.concat(rows, ignore_index=True) if rows else tables[0]


def resolve_inputs(path_or_files, problems: list[tuple[str, str]] | None = None
                    ) -> tuple[list[str], Path | None]:
    from .readers import iter_documents

    if path_or_files is None:
        path_or_files = seeds_dir()
    items = [path_or_files] if isinstance(path_or_files, str | Path) else list(path_or_files)
    if not items:
        raise CorpusError("no input given: pass a folder or a list of report files")
    root = Path(items[0]) if len(items) == 1 and Path(items[0]).is_dir() else None
    return [str(p) for p in iter_documents(items, problems)], root


def read_sidecar(path: Path) -> pd.DataFrame:
    try:
        side = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as e:
        raise MetadataError(f"{path}: cannot be read as CSV ({e})") from e
    if "file" not in side.columns:
        raise MetadataError(f"{path}: needs a 'file' column naming each report")
    unknown = set(side.columns) - _OVERRIDABLE - {"file"}
    if unknown:
        raise MetadataError(f"{path}: unknown column(s) {sorted(unknown)}; "
                            f"allowed: file, {', '.join(sorted(_OVERRIDABLE))}")
    return side


def sidecar_keys(path: str) -> tuple[str, str, str]:
    """What a sidecar row's ``file`` may name a report by: its file name, its stem, its path
    (the first report, in load order, that one of them matches)."""
    return Path(path).name, Path(path).stem, path


def skipped(problems: list[tuple[str, str]], failed: list[dict], stacklevel: int) -> list[dict]:
    """The ``errors`` rows of the files that could not be listed or read, each said in a
    warning (``stacklevel`` as the caller's own)."""
    errors = [{"path": p, "error": f"{p}: {why}"} for p, why in problems] + failed
    for e in errors:
        warnings.warn(f"skipped {e['error']}", stacklevel=stacklevel + 1)
    return errors


def nothing_loaded(errors: list[dict]) -> CorpusError:
    """The error of a corpus without a single report, saying why for each file."""
    detail = "; ".join(e["error"] for e in errors) or "no report files found"
    return CorpusError(f"no document could be loaded: {detail}")


def apply_sidecar(docs: pd.DataFrame, side: pd.DataFrame, where: Path) -> pd.DataFrame:
    names = {}
    for i, p in enumerate(docs["path"]):
        for key in sidecar_keys(p):
            names.setdefault(key, i)
    for row in side.to_dict("records"):
        i = names.get(row["file"])
        if i is None:
            warnings.warn(f"{where}: no report matches file {row['file']!r}", stacklevel=3)
            continue
        for col, value in row.items():
            if col == "file" or value == "":
                continue
            if col == "year":
                try:
                    value = int(value)
                except ValueError as e:
                    raise MetadataError(f"{where}: year {value!r} for {row['file']} is not a number") from e
            docs.at[i, col] = value
        given = {c for c, v in row.items() if c != "file" and v != ""}
        for col, value in refresh_derived(docs.loc[i].to_dict(), given).items():
            docs.at[i, col] = value
    return docs


@renamed(path_or_files="path")
def load_corpus(path: str | Path | Iterable[str | Path] | None = None,
                metadata: str | Path | None = None, workers: int | None = None,
                years: int | Iterable[int] | None = None,
                places: str | Iterable[str] | None = None,
                boilerplate: Iterable[str | Path] = (), *,
                text_column: str | None = None, id_column: str | None = None) -> Corpus:
    """Load reports into a :class:`Corpus`.

    Parameters
    ----------
    path : folder, file, or list of them; ``None`` = the bundled seeds. A folder
        written by :func:`fazhi.corpus.store.save_corpus` or the Dask path is read back as it is.
    metadata : sidecar CSV overriding inferred fields (column ``file`` + any ``docs`` column);
        default ``<folder>/metadata.csv`` when it exists.
    workers : processes for reading: None or 1 is one process; N processes are started
        for 3 MB of files or more (docs/glossary.md, ``fazhi._parallel``).
    years, places : keep only these (see :meth:`Corpus.filter`).
    boilerplate : extra boilerplate pattern files.
    text_column, id_column : for a corpus in one table file (``.csv``, ``.tsv``, ``.jsonl``,
        ``.json``, ``.xlsx``, ``.parquet``; one report a row): the column holding the text
        (default: ``text``, ``content``, ``正文`` … else the column with the longest cells)
        and the one holding document ids (default: a unique ``doc_id`` or ``id`` column, else
        ``<file stem>-<row>``). Every other column named like a ``docs`` column (``year``,
        ``title``, ``organ``, ``province`` …) overrides what is inferred, as a sidecar does.

    A file that cannot be read is skipped with a warning and listed in ``Corpus.errors``;
    identical texts are kept once.

    Examples
    --------
    >>> corp = load_corpus()
    >>> corp.docs[["place", "year"]].values.tolist()[:2]
    [['普宁市', 2020], ['汕尾市', 2022]]
    """
    check_workers(workers)
    from .store import is_store, read_corpus  # store builds on this module

    if not isinstance(path, str | Path) and path is not None:
        path = list(path)
        stores = [p for p in path if isinstance(p, str | Path) and is_store(p)]
        if stores and len(path) > 1:
            raise ParameterError(f"{stores[0]}: a Parquet store is read on its own, not with "
                                 "other folders or files")
        path = path[0] if stores else path
    if isinstance(path, str | Path) and is_store(path):
        # Already processed (fazhi.corpus.store.save_corpus, fazhi.distributed): read the tables.
        if metadata:
            raise ParameterError("metadata: a stored corpus keeps the sidecar it was written "
                                 "with; pass metadata= when writing it")
        return read_corpus(path).filter(years=years, places=places)
    from .tabular import is_table_file

    problems: list[tuple[str, str]] = []
    table_side = None
    if isinstance(path, str | Path) and is_table_file(path):
        root = None
        results, table_side = _table_results(Path(path), text_column, id_column,
                                             tuple(str(b) for b in boilerplate))
    else:
        if text_column is not None or id_column is not None:
            raise ParameterError("text_column and id_column are for a corpus in one table "
                                 "file (.csv, .jsonl, .xlsx, .parquet …)")
        paths, root = resolve_inputs(path, problems)
        results = map_files(paths, tuple(str(b) for b in boilerplate), workers)
    ids, failed = DocIds(), []
    docs_df, paras_df, removed_df = _tables(results, ids, failed)
    del results
    errors = skipped(problems, failed, stacklevel=2) + ids.errors
    if docs_df.empty:
        raise nothing_loaded(errors)
    sidecar = Path(metadata) if metadata else (root / "metadata.csv" if root else None)
    if metadata and not Path(metadata).is_file():
        raise MetadataError(f"{metadata}: sidecar metadata file not found")
    if table_side is not None and len(table_side.columns) > 1:
        docs_df = apply_sidecar(docs_df, table_side, Path(path))
    if sidecar and sidecar.is_file():
        docs_df = apply_sidecar(docs_df, read_sidecar(sidecar), sidecar)
    docs_df["year"] = pd.array(docs_df["year"], dtype="Int64")
    corpus = Corpus(docs_df, paras_df, removed_df, pd.DataFrame(errors, columns=["path", "error"]),
                    root if root is not None else (Path(path).parent if table_side is not None
                                                   else None))
    if years is not None or places is not None:
        corpus = corpus.filter(years=years, places=places)
    release_memory()  # the results the tables were built from are freed
    return corpus
