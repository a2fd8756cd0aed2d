"""Tokens to and from Arrow without a Python object per token.

Tokens arrive in *parts*: the segmenter's output (texts' tokens joined by spaces), batches of
the token cache and stored token tables (lists of words). A part is its own small vocabulary
(an Arrow string array), the id of every token in it, and each row's start. pyarrow splits
and dictionary-encodes in C++; :func:`assemble` then merges the parts' vocabularies, which
are small, and gathers the rows a corpus needs with numpy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .compact import Compact, take_rows


class Part(NamedTuple):
    words: pa.Array  # strings; a token's id is its word's position here
    ids: np.ndarray  # int32, every token of every row
    offsets: np.ndarray  # int64, row i holds ids[offsets[i]:offsets[i + 1]]


def as_binary(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The same bytes typed as binary, without a copy: bytes hash faster (no UTF-8 check)."""
    if pa.types.is_string(array.type):
        return array.cast(pa.binary())
    if pa.types.is_large_string(array.type):
        return array.cast(pa.large_binary())
    return array


def _chunks(array: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return array.chunks if isinstance(array, pa.ChunkedArray) else [array]


def _lengths(lists: pa.Array) -> np.ndarray:
    return pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)


def _offsets(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _empty_as_null(data: pa.Array) -> pa.Array:
    """Empty values made null, so that splitting gives no token rather than one empty one."""
    nonempty = pc.greater(pc.binary_length(data), 0)
    if data.offset or data.null_count or nonempty.offset:
        return pc.if_else(nonempty, data, pa.scalar(None, data.type))
    # Only a validity bitmap is new; the text bytes are shared.
    return pa.Array.from_buffers(data.type, len(data),
                                 [nonempty.buffers()[1], *data.buffers()[1:]])


def split_joined(joined: pa.Array | pa.ChunkedArray) -> Part:
    """The part of texts' tokens joined by single spaces ("" for none), one row per text."""
    lists = [pc.split_pattern(_empty_as_null(as_binary(c)), " ") for c in _chunks(joined)]
    lengths = np.concatenate([_lengths(c) for c in lists]) if lists else np.zeros(0, np.int64)
    flat = [pc.list_flatten(c) for c in lists]
    if not flat:
        return Part(pa.array([], pa.string()), np.zeros(0, np.int32), _offsets(lengths))
    encoded = pc.dictionary_encode(pa.chunked_array(flat)).combine_chunks()
    # Sorted once here, so that the cache stores sorted words and a hit needs no remapping.
    words = encoded.dictionary.cast(pa.large_string())
    order = pc.array_sort_indices(words).to_numpy()
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return Part(words.take(pa.array(order)),
                rank[encoded.indices.to_numpy(zero_copy_only=False)], _offsets(lengths))


def list_part(lists: pa.Array) -> Part:
    """The part of one Arrow list array of words: list<dictionary<string>> is read as it is
    (no copy); list<string> is dictionary-encoded."""
    flat = pc.list_flatten(lists)
    if not pa.types.is_dictionary(flat.type):
        flat = pc.dictionary_encode(as_binary(flat))
    return Part(flat.dictionary, flat.indices.to_numpy(zero_copy_only=False),
                _offsets(_lengths(lists)))


def to_list_array(part: Part) -> pa.Array:
    """A part as large_list<dictionary<int32, string>>: Parquet keeps it dictionary-encoded,
    so it reads back as ids, never as strings."""
    words = pa.DictionaryArray.from_arrays(pa.array(part.ids, pa.int32()),
                                           part.words.cast(pa.string()))
    return pa.LargeListArray.from_arrays(pa.array(part.offsets, pa.int64()), words)


def assemble(parts: list[tuple[Part, np.ndarray]], n_rows: int, rows: np.ndarray) -> Compact:
    """The compact form of logical rows ``rows`` (in that order; repeats allowed).

    Each part comes with the logical row (0 … n_rows - 1) of each of its rows, -1 for rows
    not needed; a row found in several parts is read from the first.
    """
    rows = np.asarray(rows, dtype=np.int64)
    position = np.full(n_rows, -1, dtype=np.int64)
    first_row = 0
    for part, logical in parts:
        wanted = np.flatnonzero(logical >= 0)
        found = logical[wanted]
        new = position[found] < 0
        position[found[new]] = wanted[new] + first_row
        first_row += len(part.offsets) - 1
    if (position[rows] < 0).any():
        raise ValueError("assemble: a row is in no part")
    if not parts:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int32), np.zeros(len(rows) + 1,
                                                                                 np.int64)
    words = pa.concat_arrays([p.words.cast(pa.large_string()) for p, _ in parts])
    unified = pc.dictionary_encode(as_binary(words))
    # Checks the words' UTF-8 once, here, rather than once per token.
    vocab = unified.dictionary.cast(pa.large_string())
    order = pc.array_sort_indices(vocab).to_numpy()  # UTF-8 byte order is str order
    rank = np.empty(len(vocab), dtype=np.int32)
    rank[order] = np.arange(len(vocab), dtype=np.int32)
    remap = rank[unified.indices.to_numpy(zero_copy_only=False)]
    if np.array_equal(remap, np.arange(len(remap))):
        remap = None  # one part, its words already sorted: a cache hit
    if len(parts) == 1:
        ids, offsets = parts[0][0].ids, parts[0][0].offsets
    else:
        starts = np.cumsum([0] + [len(p.words) for p, _ in parts])
        ids = np.concatenate([p.ids if remap is None else remap[a:b][p.ids]
                              for (p, _), a, b in zip(parts, starts[:-1], starts[1:])])
        offsets = _offsets(np.concatenate([np.diff(p.offsets) for p, _ in parts]))
        remap = None
    take = position[rows]
    if len(take) == len(offsets) - 1 and np.array_equal(take, np.arange(len(take))):
        if remap is not None:
            ids = remap[ids]
    else:
        ids, offsets = take_rows(ids, offsets, take)
        if remap is not None:
            np.take(remap, ids, out=ids, mode="clip")  # in place: ids are a fresh array
    used = np.bincount(ids, minlength=len(vocab)) > 0
    if not used.all():
        # Not in place: on a cache hit ``ids`` is a read-only view of the parquet buffer.
        ids = (np.cumsum(used) - 1).astype(ids.dtype)[ids]
        order = order[used]
    words_sorted = vocab.take(pa.array(order)).to_numpy(zero_copy_only=False).astype(object)
    return words_sorted, ids.astype(np.int32, copy=False), offsets
