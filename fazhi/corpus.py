"""The corpus: a ``docs`` table (one row per report) and a ``paragraphs`` table, built by
mapping read → normalise → metadata → structure over the files, in parallel if asked."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._resources import seeds_dir
from .exceptions import CorpusError, FazhiError, MetadataError, ParameterError
from .metadata import refresh_derived

DOC_COLUMNS = [
    "doc_id", "path", "format", "encoding", "title", "organ", "province", "city", "county",
    "place", "level", "organ_type", "year", "date", "script", "text", "n_chars", "warnings",
]
PARA_COLUMNS = ["doc_id", "para_id", "heading", "section", "kind", "text", "start", "end"]
#: docs columns that ride along with every analysis table (quanteda's docvars).
META_COLUMNS = ["title", "organ", "province", "city", "county", "place", "level", "organ_type",
                "year", "date", "script"]
_OVERRIDABLE = set(DOC_COLUMNS) - {"doc_id", "path", "text", "n_chars"}
# Below this many files the cost of starting processes outweighs the work.
_PARALLEL_MIN_FILES = 64


@dataclass
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
    """

    docs: pd.DataFrame
    paragraphs: pd.DataFrame
    removed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["doc_id", "line"]))
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["path", "error"]))
    root: Path | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def __repr__(self) -> str:
        years = sorted(int(y) for y in self.docs["year"].dropna().unique())
        span = f"{years[0]}–{years[-1]}" if years else "years unknown"
        return (f"<Corpus: {len(self.docs)} documents, {len(self.paragraphs)} paragraphs, "
                f"{self.docs['place'].replace('', pd.NA).nunique()} places, {span}>")

    def filter(self, years: int | Iterable[int] | None = None,
               places: str | Iterable[str] | None = None) -> Corpus:
        """Keep the documents of the given years and places (any of province, city, county).

        Examples
        --------
        >>> corp = load_corpus()
        >>> len(corp.filter(places="广东省")), len(corp.filter(years=[2020]))
        (4, 2)
        """
        keep = pd.Series(True, index=self.docs.index)
        if years is not None:
            years = [years] if isinstance(years, int | str) else list(years)
            keep &= self.docs["year"].isin([int(y) for y in years])
        if places is not None:
            places = [places] if isinstance(places, str) else list(places)
            keep &= self.docs[["province", "city", "county", "place"]].isin(places).any(axis=1)
        if not keep.any() and len(self.docs):
            have_years = sorted(int(y) for y in self.docs["year"].dropna().unique())
            have_places = sorted(set(self.docs["place"]) - {""})
            raise ParameterError(
                f"no document matches years={years!r}, places={places!r}; the corpus has "
                f"years {have_years} and places {have_places} (a place may be a province, "
                f"city or county, written in full: 广东省, 深圳市)")
        ids = set(self.docs.loc[keep, "doc_id"])
        return Corpus(
            self.docs[keep].reset_index(drop=True),
            self.paragraphs[self.paragraphs["doc_id"].isin(ids)].reset_index(drop=True),
            self.removed[self.removed["doc_id"].isin(ids)].reset_index(drop=True),
            self.errors,
            self.root,
        )

    def with_meta(self, table: pd.DataFrame, columns: Sequence[str] = META_COLUMNS) -> pd.DataFrame:
        """Join document metadata onto any table that has a ``doc_id`` column."""
        cols = [c for c in columns if c not in table.columns]
        return table.merge(self.docs[["doc_id", *cols]], on="doc_id", how="left")


def process_file(path: str | Path, boilerplate: Sequence[str] = ()) -> dict:
    """Read, normalise, infer metadata and split one report. Pure: safe in any worker."""
    from .metadata import infer_metadata
    from .normalize import normalize_text
    from .readers import read_document
    from .structure import split_paragraphs

    raw = read_document(path)
    norm = normalize_text(raw.text, boilerplate)
    meta = infer_metadata(norm)
    doc = {"path": str(path), "format": raw.format, "encoding": raw.encoding,
           **meta.as_row(), "script": norm.script, "text": norm.text, "n_chars": len(norm.text)}
    return {"doc": doc, "paragraphs": split_paragraphs(norm.text, meta.skip),
            "removed": list(norm.removed)}


def _safe_process(args: tuple[str, tuple[str, ...]]) -> dict:
    path, boilerplate = args
    try:
        return process_file(path, boilerplate)
    except FazhiError as e:
        return {"error": str(e), "path": path}
    except Exception as e:  # a broken file must not stop the batch
        return {"error": f"{path}: {type(e).__name__}: {e}", "path": path}


def _map(paths: list[str], boilerplate: tuple[str, ...], workers: int | None) -> list[dict]:
    from tqdm import tqdm  # not tqdm.auto: it warns in Jupyter without ipywidgets

    jobs = [(p, boilerplate) for p in paths]
    bar = dict(total=len(jobs), desc="reading reports", unit="doc", disable=len(jobs) < 50)
    if workers and workers > 1 and len(jobs) >= _PARALLEL_MIN_FILES:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(tqdm(pool.map(_safe_process, jobs, chunksize=16), **bar))
    return [_safe_process(j) for j in tqdm(jobs, **bar)]


def _resolve_inputs(path_or_files) -> tuple[list[str], Path | None]:
    from .readers import iter_documents

    if path_or_files is None:
        path_or_files = seeds_dir()
    items = [path_or_files] if isinstance(path_or_files, str | Path) else list(path_or_files)
    if not items:
        raise CorpusError("no input given: pass a folder or a list of report files")
    root = Path(items[0]) if len(items) == 1 and Path(items[0]).is_dir() else None
    return [str(p) for p in iter_documents(items)], root


def _read_sidecar(path: Path) -> pd.DataFrame:
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


def _apply_sidecar(docs: pd.DataFrame, side: pd.DataFrame, where: Path) -> pd.DataFrame:
    names = {}
    for i, p in enumerate(docs["path"]):
        for key in (Path(p).name, Path(p).stem, p):
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


def load_corpus(path_or_files: str | Path | Iterable[str | Path] | None = None,
                metadata: str | Path | None = None, workers: int | None = None,
                years: int | Iterable[int] | None = None,
                places: str | Iterable[str] | None = None,
                boilerplate: Iterable[str | Path] = ()) -> Corpus:
    """Load reports into a :class:`Corpus`.

    Parameters
    ----------
    path_or_files : folder, file, or list of them; ``None`` = the bundled seeds. A folder
        written by :func:`fazhi.store.save_corpus` or the Dask path is read back as it is.
    metadata : sidecar CSV overriding inferred fields (column ``file`` + any ``docs`` column);
        default ``<folder>/metadata.csv`` when it exists.
    workers : processes for reading (worth it from a few hundred files).
    years, places : keep only these (see :meth:`Corpus.filter`).
    boilerplate : extra boilerplate pattern files.

    A file that cannot be read is skipped with a warning and listed in ``Corpus.errors``;
    identical texts are kept once.

    Examples
    --------
    >>> corp = load_corpus()
    >>> corp.docs[["place", "year"]].values.tolist()[:2]
    [['普宁市', 2020], ['汕尾市', 2022]]
    """
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"workers must be a positive integer, got {workers!r}")
    from .store import is_store, read_corpus  # store builds on this module

    if isinstance(path_or_files, str | Path) and is_store(path_or_files):
        # Already processed (fazhi.store.save_corpus, fazhi.distributed): read the tables.
        if metadata:
            raise ParameterError("metadata: a stored corpus keeps the sidecar it was written "
                                 "with; pass metadata= when writing it")
        return read_corpus(path_or_files).filter(years=years, places=places)
    paths, root = _resolve_inputs(path_or_files)
    results = _map(paths, tuple(str(b) for b in boilerplate), workers)
    errors = [{"path": r["path"], "error": r["error"]} for r in results if "error" in r]
    for e in errors:
        warnings.warn(f"skipped {e['error']}", stacklevel=2)
    ok = [r for r in results if "error" not in r]
    seen: dict[str, str] = {}
    docs, paras, removed, used = [], [], [], set()
    for r in ok:
        digest = hashlib.sha1(r["doc"]["text"].encode("utf-8")).hexdigest()
        if digest in seen:
            msg = f"{r['doc']['path']}: same text as {seen[digest]}, kept once"
            warnings.warn(msg, stacklevel=2)
            errors.append({"path": r["doc"]["path"], "error": msg})
            continue
        seen[digest] = r["doc"]["path"]
        doc_id, n = Path(r["doc"]["path"]).stem, 2
        while doc_id in used:
            doc_id, n = f"{Path(r['doc']['path']).stem}-{n}", n + 1
        used.add(doc_id)
        docs.append({**r["doc"], "doc_id": doc_id})
        paras.extend({**p, "doc_id": doc_id} for p in r["paragraphs"])
        removed.extend({"doc_id": doc_id, "line": line} for line in r["removed"])
    if not docs:
        detail = "; ".join(e["error"] for e in errors) or "no report files found"
        raise CorpusError(f"no document could be loaded: {detail}")
    docs_df = pd.DataFrame(docs)[DOC_COLUMNS]
    sidecar = Path(metadata) if metadata else (root / "metadata.csv" if root else None)
    if metadata and not Path(metadata).is_file():
        raise MetadataError(f"{metadata}: sidecar metadata file not found")
    if sidecar and sidecar.is_file():
        docs_df = _apply_sidecar(docs_df, _read_sidecar(sidecar), sidecar)
    docs_df["year"] = pd.array(docs_df["year"], dtype="Int64")
    corpus = Corpus(docs_df, pd.DataFrame(paras, columns=PARA_COLUMNS),
                    pd.DataFrame(removed, columns=["doc_id", "line"]),
                    pd.DataFrame(errors, columns=["path", "error"]), root)
    if years is not None or places is not None:
        corpus = corpus.filter(years=years, places=places)
    return corpus
