"""Run data: each corpus a render needs is loaded once, in the rendering process, and saved
as a Parquet store that every notebook of every run on it reads back (a store loads in a
fraction of the time the reports take to read, normalise and parse). The store is kept in the
cache folder under the corpus's fingerprint, so a second render of the same files starts warm.

The fingerprint is a hash of the input files' names and bytes, the sidecar's, and of the code
and data that turn them into a corpus: the same fingerprint means the same corpus.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .._cache import cache_root
from .._resources import DATA_DIR, PACKAGE_DIR, seeds_dir
from .._version import __version__

_STORE_VERSION = "1"


@dataclass(frozen=True)
class CorpusData:
    """One corpus as a render uses it."""

    source: str          # what the user gave (a path, or the bundled seeds)
    store: Path          # the Parquet store the notebooks read
    fingerprint: str     # sha256 of the inputs and of the code reading them
    n_files: int         # input files read (or rows of a table file)
    summary: Any         # CorpusSummary: documents, years, places

    def subset(self, column: str, value: Any) -> CorpusData:
        """The documents whose ``column`` is ``value``, as a store of their own."""
        from ..analysis.documents import CorpusSummary
        from ..corpus.store import read_corpus, save_corpus

        key = hashlib.sha256(f"{self.fingerprint}\0{column}\0{value}".encode()).hexdigest()
        store = self.store.parent / key[:20]
        corpus = read_corpus(self.store)
        docs = corpus.docs
        keep = docs[column].map(lambda v: "" if pd.isna(v) else str(v)) == str(value)
        ids = set(docs.loc[keep, "doc_id"])
        from ..corpus.model import Corpus

        part = Corpus(docs[keep].reset_index(drop=True),
                      corpus.paragraphs[corpus.paragraphs["doc_id"].isin(ids)]
                      .reset_index(drop=True),
                      corpus.removed[corpus.removed["doc_id"].isin(ids)].reset_index(drop=True),
                      corpus.errors)
        if not (store / "docs").is_dir():
            _save_atomically(part, store, save_corpus)
        return CorpusData(self.source, store, key, self.n_files, CorpusSummary.from_corpus(part))


@cache
def _code_digest() -> str:
    """Hash of the code and data files that turn reports into a corpus."""
    h = hashlib.sha256(f"{__version__}\0{_STORE_VERSION}".encode())
    for folder in (PACKAGE_DIR / "corpus", DATA_DIR):
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix != ".pyc":
                h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _inputs(source: Any) -> list[Path]:
    from ..corpus.load import resolve_inputs
    from ..corpus.tabular import is_table_file

    if source is not None and not isinstance(source, list) and (
            is_table_file(source) or (Path(source) / "docs").is_dir()):
        p = Path(source)
        return [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file())
    paths, _ = resolve_inputs(source, [])
    return [Path(p) for p in paths]


def fingerprint(source: Any, metadata: str | None = None) -> tuple[str, int]:
    """``(sha256, number of files)`` of a corpus's inputs (``None``: the bundled seeds).

    Examples
    --------
    >>> digest, n = fingerprint(None)
    >>> len(digest), n
    (64, 5)
    """
    files = _inputs(source)
    root = Path(source) if isinstance(source, str | Path) and Path(source).is_dir() else None
    h = hashlib.sha256(_code_digest().encode())
    sidecar = Path(metadata) if metadata else (root / "metadata.csv" if root else None)
    for p in [*files, *([sidecar] if sidecar and sidecar.is_file() else [])]:
        name = p.relative_to(root).as_posix() if root and p.is_relative_to(root) else p.name
        h.update(name.encode() + b"\0")
        file_hash = hashlib.sha256()
        with open(p, "rb") as fh:
            while chunk := fh.read(1 << 20):
                file_hash.update(chunk)
        h.update(file_hash.digest())
    return h.hexdigest(), len(files)


def _save_atomically(corpus: Any, store: Path, save) -> None:
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{store.name}.", dir=store.parent))
    try:
        save(corpus, tmp)
        try:
            os.replace(tmp, store)
        except OSError:  # another render wrote the same store meanwhile: theirs is as good
            if not (store / "docs").is_dir():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prepare_corpus(source: Any, metadata: str | None = None,
                   workers: int | None = None) -> CorpusData:
    """Load ``source`` once (or find it loaded before) and return its :class:`CorpusData`."""
    from ..analysis.documents import CorpusSummary
    from ..corpus.load import load_corpus
    from ..corpus.store import read_corpus, save_corpus

    digest, n_files = fingerprint(source, metadata)
    store = cache_root() / "corpora" / digest[:20]
    if (store / "docs").is_dir():
        corpus = read_corpus(store)
    else:
        corpus = load_corpus(source, metadata=metadata, workers=workers)
        _save_atomically(corpus, store, save_corpus)
    shown = "内置样本 the bundled seeds" if source is None else (
        ", ".join(map(str, source)) if isinstance(source, list) else str(source))
    if source is not None and not isinstance(source, list) and \
            Path(source).resolve() == seeds_dir().resolve():
        shown = f"{source} (内置样本 the bundled seeds)"
    return CorpusData(shown, store, digest, n_files, CorpusSummary.from_corpus(corpus))
