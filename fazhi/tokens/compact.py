"""Tokens held compactly: one sorted vocabulary and one int32 id per token.

A 10,000-report corpus has about 7 million tokens but only thousands of distinct ones. As
separate Python strings in lists they cost about a gigabyte and seconds to build; as ids into
the vocabulary they cost 4 bytes each, come out of the token cache and the segmenter without
a Python object per token (pyarrow splits and dictionary-encodes them), and become a
document-term matrix in one scipy call. The lists of strings callers know are built from the
ids on first use, every token sharing its vocabulary entry's string. The Arrow side (the
token cache, stored tokens) is in :mod:`fazhi.tokens.arrow`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError

if TYPE_CHECKING:
    from scipy import sparse

UNITS = ("paragraph", "section", "document")

Compact = tuple[np.ndarray, np.ndarray, np.ndarray]  # vocabulary, ids, offsets


class Tokens:
    """Tokens of one unit of analysis (paragraph, section or document), metadata riding along.

    Built by :func:`fazhi.tokenize_corpus`, or by hand from token lists:
    ``Tokens(units=frame, tokens=[["政务公开", "行政复议"], …], unit="paragraph")``.

    Attributes
    ----------
    units : DataFrame
        One row per unit: ``doc_id``, (``para_id``, ``heading`` for paragraphs), ``kind``,
        ``section``, the document metadata (year, province, city, county, place, organ,
        level, title) and ``n_tokens``.
    tokens : list of list of str
        The tokens of each unit, parallel to the rows of ``units``; built on first use from
        the compact form below. Assign a new list rather than editing it in place.
    unit : str
        ``"paragraph"``, ``"section"`` or ``"document"``.
    vocab : ndarray of str
        Every distinct token once, sorted.
    ids : ndarray of int32
        Every token of every unit, in order, as its position in ``vocab``.
    offsets : ndarray of int64
        Unit ``i`` holds ``ids[offsets[i]:offsets[i + 1]]``.

    Examples
    --------
    >>> import pandas as pd
    >>> toks = Tokens(pd.DataFrame({"doc_id": ["a", "a"]}),
    ...               [["行政复议", "案件"], ["案件", "案件", "纠错"]])
    >>> toks.vocab.tolist(), toks.ids.tolist(), toks.offsets.tolist()
    (['案件', '纠错', '行政复议'], [2, 0, 0, 0, 1], [0, 2, 5])
    >>> toks.dtm()[0].toarray().tolist()
    [[1, 0, 1], [2, 1, 0]]
    """

    def __init__(self, units: pd.DataFrame, tokens: Sequence[Sequence[str]],
                 unit: str = "paragraph"):
        _check(units, len(tokens), unit)
        self.units = units
        self.unit = unit
        self._lists: Any = tokens
        self._compact: Compact | None = None

    @classmethod
    def from_ids(cls, units: pd.DataFrame, vocab: Sequence[str], ids: Any, offsets: Any,
                 unit: str = "paragraph") -> Tokens:
        """Tokens from a vocabulary, the id of every token and each unit's start in ``ids``.

        ``vocab`` may be in any order and hold words no unit uses; it is sorted and pruned.

        Examples
        --------
        >>> import pandas as pd
        >>> Tokens.from_ids(pd.DataFrame({"doc_id": ["a"]}), ["纠错", "案件"], [1, 0, 1],
        ...                 [0, 3]).tokens
        [['案件', '纠错', '案件']]
        """
        ids = np.asarray(ids)
        offsets = np.asarray(offsets, dtype=np.int64)
        vocab = np.asarray(vocab, dtype=object).reshape(-1)
        if (len(offsets) != len(units) + 1 or (len(offsets) and offsets[0] != 0)
                or (len(offsets) and offsets[-1] != len(ids)) or (np.diff(offsets) < 0).any()):
            raise ParameterError(
                f"offsets: expected {len(units) + 1} non-decreasing positions from 0 to "
                f"{len(ids)} (one per unit, then the number of ids)")
        if len(ids) and (not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0
                         or ids.max() >= len(vocab)):
            raise ParameterError(f"ids: expected integers from 0 to {len(vocab) - 1}")
        _check_words(vocab)
        return cls._of(units, _canonical(vocab, ids) + (offsets,), unit)

    @classmethod
    def _of(cls, units: pd.DataFrame, compact: Compact, unit: str) -> Tokens:
        """Tokens over a compact form already canonical (vocabulary sorted, unique, used)."""
        _check(units, len(compact[2]) - 1, unit)
        toks = cls.__new__(cls)
        toks.units, toks.unit, toks._lists = units, unit, None
        for array in compact:
            array.flags.writeable = False
        toks._compact = compact
        return toks

    def _ensure_compact(self) -> Compact:
        if self._compact is None:
            compact = encode_lists(self._lists)
            for array in compact:
                array.flags.writeable = False
            self._compact = compact
        return self._compact

    @property
    def tokens(self) -> list[list[str]]:
        if self._lists is None:
            self._lists = materialize(*self._compact)
        return self._lists

    @tokens.setter
    def tokens(self, value: Sequence[Sequence[str]]) -> None:
        _check(self.units, len(value), self.unit)
        self._lists, self._compact = value, None

    @property
    def vocab(self) -> np.ndarray:
        return self._ensure_compact()[0]

    @property
    def ids(self) -> np.ndarray:
        return self._ensure_compact()[1]

    @property
    def offsets(self) -> np.ndarray:
        return self._ensure_compact()[2]

    @property
    def lengths(self) -> np.ndarray:
        """Tokens in each unit."""
        return np.diff(self.offsets)

    def unit_tokens(self, i: int) -> list[str]:
        """The tokens of unit ``i``, without building every unit's list."""
        if self._lists is not None:
            return list(self._lists[i])
        vocab, ids, offsets = self._compact
        return vocab[ids[offsets[i]:offsets[i + 1]]].tolist()

    def dtm(self) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Document-term matrix: counts (int64), units × ``vocab``, and ``vocab``.

        Examples
        --------
        >>> import fazhi
        >>> matrix, vocab = fazhi.tokenize_corpus(fazhi.load_corpus(), unit="document").dtm()
        >>> matrix.shape == (5, len(vocab))
        True
        """
        vocab, ids, offsets = self._ensure_compact()
        return count_matrix(ids, offsets, len(vocab)), vocab

    def __len__(self) -> int:
        return len(self._lists) if self._compact is None else len(self._compact[2]) - 1

    def __repr__(self) -> str:
        n = (sum(len(t) for t in self._lists) if self._compact is None
             else int(self._compact[2][-1]))
        return f"Tokens(unit={self.unit!r}, units={len(self)}, tokens={n})"


def _check(units: pd.DataFrame, n_lists: int, unit: str) -> None:
    if len(units) != n_lists:
        raise ParameterError(
            f"tokens: {n_lists} token lists for {len(units)} units; they must be parallel")
    if unit not in UNITS:
        raise ParameterError(f"unit: {unit!r} is not one of {', '.join(UNITS)}")


def count_matrix(ids: np.ndarray, offsets: np.ndarray, n_terms: int,
                 dtype: Any = np.int64) -> sparse.csr_matrix:
    """Counts of each id in each row, rows given by ``offsets``; indices sorted in each row."""
    from scipy import sparse

    # The copies matter: summing duplicates sorts the index array in place.
    matrix = sparse.csr_matrix(
        (np.ones(len(ids), dtype=dtype), ids.astype(np.int32), offsets.astype(np.int64)),
        shape=(len(offsets) - 1, n_terms))
    matrix.sum_duplicates()
    return matrix


def _check_words(vocab: np.ndarray) -> None:
    bad = [w for w in vocab if not isinstance(w, str)]
    if bad:
        raise ParameterError(f"tokens: every token must be a str, got {bad[0]!r}")


def _canonical(vocab: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary sorted, without duplicates or unused words, and the ids remapped."""
    words, inverse = np.unique(vocab, return_inverse=True)
    ids = inverse.reshape(-1)[ids] if len(ids) else np.zeros(0, dtype=np.int64)
    used = np.bincount(ids, minlength=len(words)) > 0
    if not used.all():
        ids = (np.cumsum(used) - 1)[ids]
        words = words[used]
    return words.astype(object), ids.astype(np.int32)


def encode_lists(lists: Sequence[Sequence[str]]) -> Compact:
    """The compact form of token lists; each distinct token is looked up once per use."""
    index: dict[str, int] = {}
    setdefault = index.setdefault
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), out=offsets[1:])
    ids = np.fromiter((setdefault(t, len(index)) for toks in lists for t in toks),
                      dtype=np.int64, count=int(offsets[-1]))
    vocab = np.fromiter(index, dtype=object, count=len(index))
    _check_words(vocab)
    order = np.argsort(vocab, kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return vocab[order], rank[ids], offsets


_BLOCK = 1 << 20  # tokens gathered at a time by take_rows


def take_rows(ids: np.ndarray, offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """The ids and offsets of units ``rows`` (in that order; repeats allowed)."""
    rows = np.asarray(rows, dtype=np.int64)
    starts = offsets[:-1][rows]
    lengths = offsets[1:][rows] - starts
    new_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_offsets[1:])
    out = np.empty(int(new_offsets[-1]), dtype=ids.dtype)
    # The positions to gather are a running sum of steps: 1 within a unit, a jump at the
    # first token of each. Built a block at a time, so that the only large array is `out`.
    bounds = np.unique(np.searchsorted(new_offsets, np.arange(0, len(out), _BLOCK),
                                       side="right") - 1)
    bounds = np.append(bounds, len(rows))
    scratch = np.empty(np.diff(new_offsets[bounds]).max(initial=0),
                       dtype=np.int32 if len(ids) < 2**31 else np.int64)
    for first, last in zip(bounds[:-1], bounds[1:]):
        filled = np.flatnonzero(lengths[first:last]) + first
        begin, end = new_offsets[first], new_offsets[last]
        heads, at, size = new_offsets[filled] - begin, starts[filled], lengths[filled]
        steps = scratch[:end - begin]
        steps.fill(1)
        steps[heads] = np.diff(at, prepend=0) - np.concatenate(([0], size[:-1] - 1))
        np.cumsum(steps, out=steps)
        np.take(ids, steps, out=out[begin:end], mode="clip")
    return out, new_offsets


def pool_rows(ids: np.ndarray, offsets: np.ndarray, codes: np.ndarray,
              n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate the units of each group (code 0 … n_groups - 1), keeping their order."""
    codes = np.asarray(codes, dtype=np.int64)
    pooled, _ = take_rows(ids, offsets, np.argsort(codes, kind="stable"))
    sizes = np.bincount(codes, weights=np.diff(offsets), minlength=n_groups)
    new_offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(sizes.astype(np.int64), out=new_offsets[1:])
    return pooled, new_offsets


def materialize(vocab: np.ndarray, ids: np.ndarray, offsets: np.ndarray) -> list[list[str]]:
    """Token lists whose items are the vocabulary's own strings (one object per word)."""
    flat = vocab[ids].tolist()
    bounds = offsets.tolist()
    return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
