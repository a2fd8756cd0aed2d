"""Tokens in the Parquet store: ``out_dir/tokens`` next to the corpus tables that
:mod:`fazhi.corpus.store` writes and reads. This module is the whole store as users know it
(``fazhi.store``): it re-exports the corpus and facts functions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .._compat import renamed
from ..corpus.model import META_COLUMNS, Corpus
from ..corpus.store import (
    CORPUS_TABLES,
    DOCS_PER_PART,
    TABLES,
    clear,
    is_store,
    part_files,
    parts_of,
    present_columns,
    read_corpus,
    read_facts,
    read_table,
    save_corpus,
    save_facts,
    write_part,
)
from ..exceptions import CorpusError
from .arrow import assemble, list_part
from .compact import Tokens, take_rows
from .segment import units_table

TOKEN_COLUMNS = ["doc_id", "para_id", "tokens"]

__all__ = ["CORPUS_TABLES", "DOCS_PER_PART", "TABLES", "TOKEN_COLUMNS", "clear", "is_store",
           "read_corpus", "read_facts", "read_table", "read_tokens", "save_corpus", "save_facts",
           "save_tokens", "tokens_table", "write_part", "iter_token_parts", "sample_tokens"]


def _check_paragraphs(tokens: Tokens) -> None:
    if tokens.unit != "paragraph":
        raise CorpusError(f"only paragraph tokens are stored, got unit={tokens.unit!r}; "
                          "sections and documents are rebuilt from them")


def save_tokens(tokens: Tokens, out_dir: str | Path, docs_per_part: int = DOCS_PER_PART) -> Path:
    """Write paragraph tokens under ``out_dir/tokens``, ``docs_per_part`` documents a part."""
    _check_paragraphs(tokens)
    out = Path(out_dir)
    keys = tokens.units[["doc_id", "para_id"]].reset_index(drop=True)
    part_of = keys["doc_id"].map(parts_of(keys["doc_id"], docs_per_part)).to_numpy()
    words = pa.array(tokens.vocab.tolist(), type=pa.string())
    clear(out, ["tokens"])
    for part in np.unique(part_of):
        table = _rows_table(tokens, keys, words, np.flatnonzero(part_of == part))
        write_part(table, out, "tokens", int(part))
    return out


def tokens_table(tokens: Tokens) -> pa.Table:
    """Paragraph tokens as one part of the store's tokens table (``TOKEN_COLUMNS``)."""
    _check_paragraphs(tokens)
    keys = tokens.units[["doc_id", "para_id"]].reset_index(drop=True)
    words = pa.array(tokens.vocab.tolist(), type=pa.string())
    return _rows_table(tokens, keys, words, np.arange(len(keys)))


def _rows_table(tokens: Tokens, keys: pd.DataFrame, words: pa.Array, rows: np.ndarray) -> pa.Table:
    # Written from the ids: a Python list per paragraph would cost as much as the tokens.
    ids, offsets = take_rows(tokens.ids, tokens.offsets, rows)
    return pa.Table.from_pandas(keys.iloc[rows], preserve_index=False).append_column(
        "tokens", pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), words.take(ids)))


@renamed(out_dir="path")
def read_tokens(path: str | Path, corpus: Corpus | None = None) -> Tokens:
    """Paragraph :class:`~fazhi.tokens.compact.Tokens` from ``path/tokens``, with the units table
    :func:`~fazhi.tokens.segment.tokenize_corpus` builds (metadata from ``corpus``, default the
    corpus stored in ``path``).

    Examples
    --------
    >>> import tempfile, fazhi
    >>> corp = fazhi.load_corpus()
    >>> folder = save_tokens(fazhi.tokenize_corpus(corp), tempfile.mkdtemp())
    >>> read_tokens(folder, corp).tokens == fazhi.tokenize_corpus(corp).tokens
    True
    """
    corpus = corpus if corpus is not None else read_corpus(path)
    return _tokens_of(path, _token_parts(path), corpus)


def _token_parts(path: str | Path) -> list[Path]:
    parts = part_files(path, "tokens")
    if not parts:
        raise CorpusError(f"{path}: no tokens/part-*.parquet here")
    return parts


#: what the units of a part's tokens need of its docs and paragraphs (no text)
_PARA_KEYS = ["doc_id", "para_id", "kind", "heading", "section"]


def iter_token_parts(path: str | Path) -> Iterator[Tokens]:
    """Paragraph :class:`~fazhi.tokens.compact.Tokens` of a store a part at a time (part
    ``k`` of the tokens with part ``k`` of the docs and paragraphs, their metadata and keys,
    not their text): what an analysis of a corpus larger than memory reads."""
    for part in _token_parts(path):
        yield _tokens_of(path, [part], Corpus(*_part_keys(path, part)))


def _part_keys(path: str | Path, part: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The docs' metadata and the paragraphs' keys of the corpus part beside a tokens part."""
    tables = {}
    for table, wanted in (("docs", ["doc_id", *META_COLUMNS]), ("paragraphs", _PARA_KEYS)):
        file = Path(path) / table / part.name
        if not file.is_file():
            raise CorpusError(f"{path}: tokens/{part.name} has no {table}/{part.name} beside "
                              "it; write the corpus and its tokens with the same parts")
        tables[table] = pq.read_table(file, columns=present_columns(file, wanted)).to_pandas()
    docs = tables["docs"]
    if "year" in docs.columns:
        docs["year"] = pd.array(docs["year"], dtype="Int64")
    return docs, tables["paragraphs"]


def sample_tokens(path: str | Path, n: int, random_state: int = 0) -> Tokens:
    """Paragraph tokens of ``n`` paragraphs of a store drawn at random (seeded; every one
    when the store holds fewer), read a part at a time: what a topic model of a corpus larger
    than memory is fitted on. The paragraphs keep the store's order."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise CorpusError(f"n must be a positive integer, got {n!r}")
    parts = _token_parts(path)
    sizes = np.array([pq.read_metadata(p).num_rows for p in parts], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    total = int(starts[-1])
    rng = np.random.default_rng(random_state)
    chosen = (np.sort(rng.choice(total, size=n, replace=False)) if n < total
              else np.arange(total))
    stored, docs, paragraphs = [], [], []
    for k, part in enumerate(parts):
        local = chosen[(chosen >= starts[k]) & (chosen < starts[k + 1])] - starts[k]
        if not len(local):
            continue
        rows = pq.read_table(part, columns=TOKEN_COLUMNS).take(pa.array(local))
        keys = rows.select(["doc_id", "para_id"]).to_pandas().astype({"doc_id": str})
        part_docs, part_paragraphs = _part_keys(path, part)
        paragraphs.append(part_paragraphs.merge(keys, on=["doc_id", "para_id"]))
        docs.append(part_docs[part_docs["doc_id"].isin(keys["doc_id"])])
        stored.append(rows)
    corpus = Corpus(pd.concat(docs, ignore_index=True), pd.concat(paragraphs, ignore_index=True))
    return _tokens_from(path, pa.concat_tables(stored, promote_options="permissive"), corpus)


def _tokens_of(path: str | Path, parts: list[Path], corpus: Corpus) -> Tokens:
    return _tokens_from(path, pa.concat_tables(
        [pq.read_table(p, columns=TOKEN_COLUMNS) for p in parts], promote_options="permissive"),
        corpus)


def _tokens_from(path: str | Path, stored: pa.Table, corpus: Corpus) -> Tokens:
    keys = stored.select(["doc_id", "para_id"]).to_pandas()
    units = units_table(corpus).reset_index(drop=True)
    order = units[["doc_id", "para_id"]].merge(keys.reset_index(names="_row"), how="left",
                                               on=["doc_id", "para_id"], validate="one_to_one")
    if order["_row"].isna().any():
        missing = order.loc[order["_row"].isna(), "doc_id"].iloc[0]
        raise CorpusError(f"{path}: no stored tokens for the paragraphs of {missing!r}")
    # Encoded by pyarrow in C++: no Python string per stored token.
    parts, first = [], 0
    for chunk in stored["tokens"].chunks:
        parts.append((list_part(chunk), np.arange(first, first + len(chunk))))
        first += len(chunk)
    compact = assemble(parts, first, order["_row"].to_numpy(dtype=np.int64))
    units["n_tokens"] = np.diff(compact[2])
    return Tokens._of(units, compact, "paragraph")


