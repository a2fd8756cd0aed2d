"""The per-document stages on a Dask cluster, for corpora beyond one machine.

Reading, normalising, metadata, paragraphs, segmentation and fact extraction are pure
functions of one report, so they run unchanged on ``dask.distributed`` workers. The result
is the folder :mod:`fazhi.corpus.store` reads: ``docs``, ``paragraphs``, ``removed``, ``errors``,
``tokens`` and ``facts`` as partitioned Parquet, one part per batch of files, with exactly the
rows :func:`fazhi.load_corpus` (and ``tokenize_corpus`` / ``extract_facts``) would give.

It runs in two passes so that doc ids and de-duplication are decided over the whole corpus,
as :func:`~fazhi.corpus.load.load_corpus` decides them: the workers process their batches and keep
the results in memory (Dask spills them to disk when it must), sending back only each
file's text hash; the client assigns ids; the workers then write their parts.

Needs ``pip install fazhi[dask]``.
"""

from __future__ import annotations

import glob
import importlib.util
import warnings
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd

from ._compat import renamed
from .corpus import store
from .corpus.load import (
    DocIds,
    nothing_loaded,
    read_sidecar,
    resolve_inputs,
    safe_process,
    sidecar_keys,
    skipped,
)
from .exceptions import CorpusError, MetadataError, ParameterError
from .process import write_batch

#: Files per task: large enough to amortise scheduling, small enough to balance the workers.
BATCH_SIZE = 64


def _has(module: str) -> bool:
    return importlib.util.find_spec(f"fazhi.{module}") is not None


def _expand(paths_or_glob: str | Path | Iterable[str | Path]) -> tuple[list[str], Path | None]:
    """The report files in load_corpus order; a string with ``*?[`` is a glob, sorted."""
    if isinstance(paths_or_glob, str) and any(c in paths_or_glob for c in "*?["):
        matches = sorted(glob.glob(paths_or_glob, recursive=True))
        if not matches:
            raise CorpusError(f"{paths_or_glob}: the pattern matches no file")
        return resolve_inputs(matches)
    return resolve_inputs(paths_or_glob)


def _process_batch(paths: list[str], boilerplate: tuple[str, ...]) -> list[dict]:
    return [safe_process((p, boilerplate)) for p in paths]


def _digests(results: list[dict]) -> list[tuple[str, str | None, str | None]]:
    """(path, sha1 of the text, error) per file: all the client needs to assign ids."""
    out = []
    for r in results:
        if "error" in r:
            out.append((r["path"], None, r["error"]))
        else:
            out.append((r["doc"]["path"], r["digest"], None))
    return out


def _assign_ids(summaries: list[list[tuple]]) -> tuple[list[dict[str, str]], list[dict]]:
    """Doc id of every kept file per batch, and the errors table rows — as load_corpus does:
    read errors first, then texts seen before (kept once), ids = stems de-duplicated in order."""
    errors = skipped([], [{"path": p, "error": e} for batch in summaries for p, _, e in batch
                          if e], stacklevel=3)
    rule = DocIds()
    ids: list[dict[str, str]] = []
    for batch in summaries:
        kept: dict[str, str] = {}
        for path, digest, error in batch:
            if not error and (doc_id := rule.assign(path, digest, stacklevel=3)) is not None:
                kept[path] = doc_id
        ids.append(kept)
    return ids, errors + rule.errors


def _sidecar_rows(sidecar: Path, ids: list[dict[str, str]]) -> list[pd.DataFrame | None]:
    """Split a sidecar by batch, each row naming the one document it overrides by full path
    (the first kept document matching its ``file`` by name, stem or path, as load_corpus)."""
    side = read_sidecar(sidecar)
    names: dict[str, tuple[int, str]] = {}
    for b, kept in enumerate(ids):
        for path in kept:
            for key in sidecar_keys(path):
                names.setdefault(key, (b, path))
    per_batch: list[list[dict]] = [[] for _ in ids]
    for row in side.to_dict("records"):
        hit = names.get(row["file"])
        if hit is None:
            warnings.warn(f"{sidecar}: no report matches file {row['file']!r}", stacklevel=3)
            continue
        per_batch[hit[0]].append({**row, "file": hit[1]})
    return [pd.DataFrame(rows, dtype=str) if rows else None for rows in per_batch]


def _write_batch(results: list[dict], part: int, ids: dict[str, str], sidecar: pd.DataFrame | None,
                 sidecar_name: str, out_dir: str, tokens: dict | None, facts: bool) -> dict[str, int]:
    """Build and write one batch's tables (on a worker); return its row counts."""
    kept = [(r, doc_id) for r in results
            if (doc_id := ids.get(r["doc"]["path"]) if "doc" in r else None) is not None]
    return write_batch(kept, part, out_dir, sidecar=sidecar, sidecar_name=sidecar_name,
                       tokens=tokens, facts=facts)


@renamed(paths_or_glob="path")
def process_corpus_dask(
    path: str | Path | Iterable[str | Path],
    out_dir: str | Path,
    client: Any = None,
    *,
    metadata: str | Path | None = None,
    boilerplate: Iterable[str | Path] = (),
    batch_size: int = BATCH_SIZE,
    tokens: bool | dict = True,
    facts: bool = True,
) -> dict[str, int]:
    """Process reports on a Dask cluster into partitioned Parquet under ``out_dir``.

    Parameters
    ----------
    path : folder, file, list of them, or a glob such as ``"reports/**/*.txt"``.
        The folder must be readable by every worker (a shared or network file system).
    out_dir : where the tables go (a folder every worker can write; previous tables there
        are replaced).
    client : a ``dask.distributed.Client``; default the current one, else a
        ``LocalCluster`` started for this call.
    metadata, boilerplate : as in :func:`fazhi.load_corpus`.
    batch_size : files per task.
    tokens : segment the paragraphs (``fazhi.tokens.segment.tokenize``); a dict passes options to
        it (``extra_words``, ``policy_stopwords``…). Skipped when fazhi.tokens.segment is absent.
    facts : extract facts (``fazhi.facts.extract.extract_facts``); skipped when absent.

    Returns
    -------
    dict
        Rows written per table (docs, paragraphs, facts, errors).

    Examples
    --------
    >>> import tempfile, fazhi
    >>> from dask.distributed import Client, LocalCluster
    >>> out = tempfile.mkdtemp()
    >>> with LocalCluster(n_workers=2, processes=True) as cluster, Client(cluster) as client:
    ...     counts = process_corpus_dask(fazhi.seeds_dir(), out, client)
    >>> fazhi.load_corpus(out)
    <Corpus: 5 documents, 122 paragraphs, 5 places, 2018–2022>
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ParameterError(f"batch_size must be a positive integer, got {batch_size!r}")
    try:
        from dask.distributed import Client, LocalCluster, get_client
    except ImportError as e:
        raise ImportError("the Dask path needs dask.distributed: pip install 'fazhi[dask]'") from e
    paths, root = _expand(path)
    if metadata and not Path(metadata).is_file():
        raise MetadataError(f"{metadata}: sidecar metadata file not found")
    sidecar = Path(metadata) if metadata else (root / "metadata.csv" if root else None)
    token_options = (tokens if isinstance(tokens, dict) else {}) if tokens and _has("tokens.segment") else None
    if token_options is not None:
        token_options = {"cache": False, **token_options}
    want_facts = bool(facts) and _has("facts.extract")
    boiler = tuple(str(b) for b in boilerplate)
    batches = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    store.clear(out)

    with ExitStack() as stack:
        if client is None:
            try:
                client = get_client()
            except ValueError:
                cluster = stack.enter_context(LocalCluster(processes=True))
                client = stack.enter_context(Client(cluster))
        results = client.map(_process_batch, batches, boilerplate=boiler, pure=False)
        summaries = client.gather(client.map(_digests, results, pure=False))
        ids, errors = _assign_ids(summaries)
        if not any(ids):
            raise nothing_loaded(errors)
        overrides = (_sidecar_rows(sidecar, ids) if sidecar and sidecar.is_file()
                     else [None] * len(batches))
        written = client.gather(client.map(
            _write_batch, results, range(len(batches)), ids, overrides,
            sidecar_name=str(sidecar), out_dir=str(out), tokens=token_options,
            facts=want_facts, pure=False))
        del results
    store.write_part(pd.DataFrame(errors, columns=["path", "error"]), out, "errors", 0)
    counts = {key: sum(w[key] for w in written) for key in ("docs", "paragraphs", "facts")}
    return {**counts, "errors": len(errors)}


__all__: Sequence[str] = ["BATCH_SIZE", "process_corpus_dask"]
