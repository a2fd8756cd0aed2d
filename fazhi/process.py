"""A corpus larger than memory, on one machine: the per-document stages — read, normalise,
metadata, paragraphs, tokens, facts — run a part of the files at a time and each part goes
straight into the Parquet store (:mod:`fazhi.corpus.store`), so memory holds one part and
never the corpus (a process pool is started per part, forked while this process is small).

The folder written is the one ``save_corpus`` / ``save_tokens`` / ``save_facts`` and
:func:`fazhi.distributed.process_corpus_dask` write, with the rows :func:`fazhi.load_corpus`,
:func:`fazhi.tokenize_corpus` and :func:`fazhi.extract_facts` give on the whole corpus: the
same doc ids and de-duplication (:class:`~fazhi.corpus.load.DocIds`, decided as the files come,
in load order) and each sidecar row applied to the first report it names. Read it back with
``fazhi.load_corpus(out_dir)`` (paragraphs read on first use), ``fazhi.read_tokens(out_dir)``,
``fazhi.read_facts(out_dir, columns=...)``.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ._memory import release_memory
from ._parallel import check_workers, shared_processes
from .corpus import store
from .corpus.load import (
    DocIds,
    apply_sidecar,
    corpus_tables,
    map_files,
    nothing_loaded,
    read_sidecar,
    resolve_inputs,
    sidecar_keys,
    skipped,
)
from .corpus.model import Corpus
from .corpus.tabular import is_table_file
from .exceptions import MetadataError, ParameterError


def write_batch(kept: list[tuple[dict, str]], part: int, out_dir: str | Path, *,
                sidecar: pd.DataFrame | None = None, sidecar_name: str = "",
                tokens: dict | None = None, facts: bool = True,
                workers: int | None = None) -> dict[str, int]:
    """Build one part's tables from processed reports (:func:`~fazhi.corpus.load.process_text`
    results with their doc ids) and write them as part ``part`` of the store in ``out_dir``;
    return the rows written per table. ``tokens`` holds :func:`~fazhi.tokenize_corpus`'s
    options (``None``: no tokens); ``sidecar`` the rows overriding these reports' metadata,
    ``file`` naming each by its full path."""
    if not kept:
        return {"docs": 0, "paragraphs": 0, "facts": 0}
    docs_df, paras_df, removed_df = corpus_tables(kept)
    if sidecar is not None:
        docs_df = apply_sidecar(docs_df, sidecar, Path(sidecar_name))
    docs_df["year"] = pd.array(docs_df["year"], dtype="Int64")
    batch = Corpus(docs_df, paras_df, removed_df)
    store.write_part(batch.docs, out_dir, "docs", part)
    store.write_part(batch.paragraphs, out_dir, "paragraphs", part)
    store.write_part(batch.removed, out_dir, "removed", part)
    if tokens is not None:
        from .tokens.segment import tokenize_corpus
        from .tokens.store import tokens_table

        found = tokenize_corpus(batch, workers=workers, **tokens)
        store.write_part(tokens_table(found), out_dir, "tokens", part)
        del found
    n_facts = 0
    if facts:
        from .facts.extract import extract_facts

        # As extracted: the review file is applied when they are read from the corpus.
        found = extract_facts(batch, workers=workers, review=False)
        n_facts = len(found)
        store.write_part(found, out_dir, "facts", part)
    return {"docs": len(batch.docs), "paragraphs": len(batch.paragraphs), "facts": n_facts}


def _claim(pending: list[dict], kept: list[tuple[dict, str]]) -> tuple[pd.DataFrame | None,
                                                                        list[dict]]:
    """The sidecar rows naming a report of this part (the first kept report whose name, stem
    or path is the row's ``file``, as load_corpus matches them), ``file`` set to its path;
    and the rows still waiting for a later part."""
    names: dict[str, str] = {}
    for r, _ in kept:
        path = r["doc"]["path"]
        for key in sidecar_keys(path):
            names.setdefault(key, path)
    mine, rest = [], []
    for row in pending:
        hit = names.get(row["file"])
        if hit is None:
            rest.append(row)
        else:
            mine.append({**row, "file": hit})
    return (pd.DataFrame(mine, dtype=str) if mine else None), rest


def _token_options(tokens: bool | dict) -> dict | None:
    if isinstance(tokens, dict):
        return dict(tokens)
    if isinstance(tokens, bool):
        return {} if tokens else None
    raise ParameterError(f"tokens: give True, False or a dict of tokenize_corpus options, "
                         f"got {tokens!r}")


def process_corpus(path: str | Path | Iterable[str | Path], out_dir: str | Path, *,
                   workers: int | None = None, metadata: str | Path | None = None,
                   boilerplate: Iterable[str | Path] = (),
                   docs_per_part: int = store.DOCS_PER_PART,
                   tokens: bool | dict = True, facts: bool = True) -> dict[str, int]:
    """Process report files into the Parquet store under ``out_dir``, a part at a time, so
    that memory does not grow with the number of reports.

    Parameters
    ----------
    path : folder, file, or list of them (as :func:`fazhi.load_corpus`; not a table file or a
        store: load those with ``load_corpus``).
    out_dir : the store's folder (created when missing). Its corpus, tokens and facts tables
        are replaced only once every part is written; until then they are left as they were.
    workers : processes for each stage (docs/glossary.md).
    metadata, boilerplate : as in :func:`fazhi.load_corpus`.
    docs_per_part : report files per part; what memory holds at a time.
    tokens : segment the paragraphs; a dict passes options to :func:`fazhi.tokenize_corpus`
        (``extra_words``, ``policy_stopwords``, ``cache`` …).
    facts : extract the facts (as extracted; a ``facts_review.csv`` beside the reports is
        applied when they are read back through the corpus, see :func:`fazhi.read_facts`).

    Returns
    -------
    dict
        Rows written per table (docs, paragraphs, facts, errors) and the number of parts.

    Examples
    --------
    >>> import tempfile, fazhi
    >>> out = tempfile.mkdtemp()
    >>> counts = process_corpus(fazhi.seeds_dir(), out, docs_per_part=2)
    >>> counts["docs"], counts["parts"], fazhi.load_corpus(out).docs["year"].tolist()
    (5, 3, [2020, 2022, 2021, 2020, 2018])
    """
    check_workers(workers)
    if isinstance(docs_per_part, bool) or not isinstance(docs_per_part, int) or docs_per_part < 1:
        raise ParameterError(f"docs_per_part must be a positive integer, got {docs_per_part!r}")
    token_options = _token_options(tokens)
    if isinstance(path, str | Path) and (store.is_store(path) or is_table_file(path)):
        raise ParameterError(f"{path}: process_corpus reads report files; a table file or a "
                             "store is read whole by fazhi.load_corpus")
    problems: list[tuple[str, str]] = []
    paths, root = resolve_inputs(path, problems)
    if metadata and not Path(metadata).is_file():
        raise MetadataError(f"{metadata}: sidecar metadata file not found")
    sidecar = Path(metadata) if metadata else (root / "metadata.csv" if root else None)
    pending = (read_sidecar(sidecar).to_dict("records") if sidecar and sidecar.is_file()
               else [])
    boiler = tuple(str(b) for b in boilerplate)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Parts are written beside the store and moved in at the end: a run stopped half-way
    # (an error, Ctrl-C) leaves the tables there as they were.
    staging = Path(tempfile.mkdtemp(prefix=".fazhi-partial-", dir=out))
    try:
        counts = _write_parts(paths, staging, boiler, workers, docs_per_part, pending,
                              sidecar, token_options, bool(facts))
        errors = skipped(problems, counts.pop("failed"), stacklevel=2) + counts.pop("repeated")
        if not counts["docs"]:
            raise nothing_loaded(errors)
        for row in counts.pop("unclaimed"):
            warnings.warn(f"{sidecar}: no report matches file {row['file']!r}", stacklevel=2)
        store.write_part(pd.DataFrame(errors, columns=["path", "error"]), staging, "errors", 0)
        if root is not None and root.resolve() != out.resolve():
            (staging / store.SOURCE_ROOT).write_text(str(root.resolve()), encoding="utf-8")
        store.clear(out)
        (out / store.SOURCE_ROOT).unlink(missing_ok=True)
        for item in staging.iterdir():
            item.replace(out / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {**counts, "errors": len(errors)}


def _write_parts(paths: list[str], staging: Path, boiler: tuple[str, ...], workers: int | None,
                 docs_per_part: int, pending: list[dict], sidecar: Path | None,
                 token_options: dict | None, facts: bool) -> dict:
    from tqdm import tqdm  # not tqdm.auto: it warns in Jupyter without ipywidgets

    ids, failed = DocIds(), []
    counts = {"docs": 0, "paragraphs": 0, "facts": 0, "parts": 0}
    # One pool for every part and stage: processes forked once, while this one is small,
    # and the segmenter's dictionary loaded once in each (it was ~1 s a part).
    with shared_processes(workers), tqdm(total=len(paths), desc="processing reports",
                                         unit="doc", disable=len(paths) < 50) as bar:
        for start in range(0, len(paths), docs_per_part):
            chunk = paths[start:start + docs_per_part]
            kept = []
            for r in map_files(chunk, boiler, workers, progress=None):
                if "error" in r:
                    failed.append({"path": r["path"], "error": r["error"]})
                    continue
                doc_id = ids.assign(r["doc"]["path"], r["digest"],
                                    stacklevel=3)
                if doc_id is not None:
                    kept.append((r, doc_id))
            side, pending = _claim(pending, kept)
            written = write_batch(kept, counts["parts"], staging, sidecar=side,
                                  sidecar_name=str(sidecar), tokens=token_options,
                                  facts=facts, workers=workers)
            del kept, side
            release_memory()  # this part's tables are gone before the next pool is forked
            for key, n in written.items():
                counts[key] += n
            counts["parts"] += bool(written["docs"])
            bar.update(len(chunk))
    return {**counts, "failed": failed, "repeated": ids.errors, "unclaimed": pending}


__all__ = ["process_corpus", "write_batch"]
