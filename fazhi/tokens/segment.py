"""Word segmentation with the 法治/政务 domain dictionary, stopwords, a token cache and processes.

Texts are cut by jieba (the reference) or rjieba (jieba-rs: the same algorithm and dictionary,
about 20× faster), both loaded with ``data/userdict.txt``; then stopwords, punctuation, numbers
and single characters are dropped. :func:`tokenize_corpus` keeps the document metadata next to
the tokens, quanteda style, so every later table can be grouped by year, place or kind.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._cache import arrow_texts, cache_root, digest, take_texts, text_keys
from .._memory import release_memory
from .._parallel import check_workers, imap_in_processes
from ..corpus.model import META_COLUMNS
from ..exceptions import ParameterError
from ..io import categorical_meta
from .arrow import assemble, split_joined
from .cache import TokenCache
from .compact import UNITS, Compact, Tokens, materialize, pool_rows
from .engines import (
    ENGINES,
    Segmenter,
    SegmentOptions,
    canonical_entry,
    canonical_word,
    read_wordlist,
    resolve_engine,
    wordlist_digest,
)

# Texts go to the processes in chunks of about this many characters.
_CHUNK_CHARS = 400_000
# Distinct texts whose tokens are made compact (and cached) at a time.
_PART_TEXTS = 50_000


def _as_words(value: Any, name: str) -> tuple[str, ...]:
    """A tuple of words from None, a list of words, or the path of a one-word-a-line file.

    Words are put in the form the corpus text has (NFKC, 简体), or they would never match it.
    """
    if value is None:
        return ()
    if isinstance(value, (str, Path)):
        path = Path(value)
        if not path.is_file():
            raise ParameterError(
                f"{name}: {str(value)!r} is not a file; pass a list of words or the path of a "
                "UTF-8 file with one word a line")
        return tuple(map(canonical_entry, read_wordlist(path)))
    words = tuple(value)
    bad = [w for w in words if not isinstance(w, str) or not w.strip() or " " in w.strip()]
    if bad:
        raise ParameterError(f"{name}: entries must be non-empty words without spaces, got {bad[:3]}")
    return tuple(canonical_word(w.strip()) for w in words)


def _options(extra_words, extra_stopwords, policy_stopwords, pos, engine) -> SegmentOptions:
    if pos is not None:
        pos = (pos,) if isinstance(pos, str) else tuple(pos)
        if not pos or not all(isinstance(p, str) and p for p in pos):
            raise ParameterError("pos: give jieba tag prefixes such as ['n', 'v'] or None")
    return SegmentOptions(
        extra_words=_as_words(extra_words, "extra_words"),
        extra_stopwords=_as_words(extra_stopwords, "extra_stopwords"),
        policy_stopwords=bool(policy_stopwords),
        pos=pos,
        engine=resolve_engine(engine, pos),
    )


def _version(opts: SegmentOptions) -> str:
    """Cache key of everything that changes the tokens of a text besides the text itself."""
    return digest([*wordlist_digest(opts), repr(opts)])


_WORKER: Segmenter | None = None


def _init_worker(opts: SegmentOptions) -> None:
    global _WORKER
    _WORKER = Segmenter.get(opts)


def _segment_chunk(texts: list[str]) -> list[str]:
    assert _WORKER is not None
    return [_WORKER.segment(t) for t in texts]


def _chunk_bounds(lengths: np.ndarray) -> list[tuple[int, int]]:
    """Ranges of positions whose texts (``lengths`` characters each) hold about
    :data:`_CHUNK_CHARS` characters each."""
    lengths = np.cumsum(lengths)
    bounds, start, done = [], 0, 0
    while start < len(lengths):
        stop = int(np.searchsorted(lengths, done + _CHUNK_CHARS, side="left")) + 1
        stop = min(max(stop, start + 1), len(lengths))
        bounds.append((start, stop))
        done, start = int(lengths[stop - 1]), stop
    return bounds


def _segment_stream(texts: pa.Array | pa.ChunkedArray, rows: np.ndarray, opts: SegmentOptions,
                    workers: int | None) -> Iterator[str]:
    """The space-joined tokens of the texts at ``rows`` of ``texts``, in order, as the
    processes return them: the texts are taken and sent a chunk at a time, so neither they
    (nor a copy of the wanted ones) nor the results are held whole."""
    lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False)[rows]
    bounds = _chunk_bounds(lengths)
    chunks = (take_texts(texts, rows[a:b]).to_pylist() for a, b in bounds)
    # jieba keeps its dictionary per process: each worker loads the domain words itself.
    done = imap_in_processes(_segment_chunk, chunks, workers, total=len(bounds),
                             size=int(lengths.sum()), chunksize=1, initializer=_init_worker,
                             initargs=(opts,))
    return itertools.chain.from_iterable(done)


def tokenize(
    texts: Iterable[str],
    *,
    extra_words: Sequence[str] | str | Path | None = None,
    extra_stopwords: Sequence[str] | str | Path | None = None,
    policy_stopwords: bool = True,
    pos: Sequence[str] | str | None = None,
    engine: str = "auto",
    workers: int | None = None,
    cache: bool = True,
) -> list[list[str]]:
    """Segment texts into content words.

    Parameters
    ----------
    texts : iterable of str
        Simplified-Chinese texts (a :class:`Corpus` already converts 繁體).
    extra_words : list of str or path, optional
        Words to keep whole, besides the shipped domain dictionary (a path: one word a line,
        jieba's ``词语 [词频] [词性]`` format). Written in any width or script: they are
        normalised as corpus text is (NFKC, 繁→简), so 改革（试点） is found as 改革(试点).
    extra_stopwords : list of str or path, optional
        Words to drop, besides the shipped stopword lists; normalised the same way.
    policy_stopwords : bool, default True
        Also drop policy boilerplate (进一步, 加强, 推进, 工作 …; ``data/policy_stopwords.txt``).
    pos : list of str, optional
        Keep only words whose jieba part-of-speech tag starts with one of these
        (``["n", "v"]`` keeps n, nr, ns, nz, v … but not vn). Tagging always uses jieba.
    engine : {"auto", "jieba", "rjieba"}
        ``"auto"`` uses rjieba when installed (it agrees with jieba on ≥ 99.9 % of the
        seeds' tokens; see ``benchmarks/segment_agreement.py``), else jieba.
    workers : int, optional
        Processes to segment with: None or 1 is one process, N is N processes, started for
        inputs of 3 million characters or more (docs/glossary.md, ``fazhi._parallel``).
    cache : bool, default True
        Reuse tokens cached by text hash and dictionary version under ``FAZHI_CACHE_DIR``
        (default ``~/.cache/fazhi``).

    Returns
    -------
    list of list of str
        The tokens of each text, in order.

    Examples
    --------
    >>> tokenize(["深化“放管服”改革，推行“互联网+政务服务”，全面落实行政执法三项制度。"])
    [['放管服', '改革', '互联网+政务服务', '行政执法三项制度']]
    """
    opts = _options(extra_words, extra_stopwords, policy_stopwords, pos, engine)
    check_workers(workers)
    return materialize(*_tokenize_compact(arrow_texts(texts), opts, workers, cache))


def _tokenize_compact(texts: pa.Array | pa.ChunkedArray, opts: SegmentOptions,
                      workers: int | None, cache: bool) -> Compact:
    """Vocabulary, token ids and offsets of ``texts``. Each distinct text is read from the
    cache as ids, or segmented once and its space-joined tokens split and encoded by
    pyarrow: no Python object is made per token."""
    # Texts are told apart by their sha1 (the cache key): hashing 20-byte digests is cheaper
    # than hashing, and copying, the texts themselves.
    distinct = pc.dictionary_encode(text_keys(texts))
    keys, rows = distinct.dictionary, distinct.indices.to_numpy(zero_copy_only=False)
    store = TokenCache(cache_root() / "tokens", _version(opts)) if cache else None
    parts = store.lookup(keys) if store else []
    covered = np.zeros(len(keys), dtype=bool)
    for _, logical in parts:
        covered[logical[logical >= 0]] = True
    missing = np.flatnonzero(~covered)
    if len(missing):
        _, first = np.unique(rows, return_index=True)  # each distinct text's first place
        segmented = _segment_stream(texts, first[missing], opts, workers)
        # a part of the result (and of the cache) at a time: the joined strings of the whole
        # corpus are never held at once
        for a in range(0, len(missing), _PART_TEXTS):
            batch = list(itertools.islice(segmented, _PART_TEXTS))
            fresh = split_joined(pa.array(batch, type=pa.string()))
            del batch
            logical = missing[a:a + len(fresh.offsets) - 1]
            if store:
                store.put(keys.take(pa.array(logical)), fresh)
            parts.append((fresh, logical))
    return assemble(parts, len(keys), rows)


def units_table(corpus: Any) -> pd.DataFrame:
    paragraphs, docs = corpus.paragraphs, corpus.docs
    # The corpus's own list, so that by= accepts the same names here as everywhere else.
    meta = [c for c in META_COLUMNS if c in docs.columns]
    para_cols = [c for c in ("doc_id", "para_id", "kind", "heading", "section")
                 if c in paragraphs.columns]
    units = paragraphs[para_cols].reset_index(drop=True)
    # a report's title, organ or place held once, not once per paragraph (categoricals)
    joined = categorical_meta(docs, units["doc_id"], meta)
    for column in meta:
        units[column] = joined[column]
    return units


def _group_units(units: pd.DataFrame, compact: Compact, keys: list[str]):
    """Concatenate paragraph tokens into sections or documents, keeping first-seen order."""
    codes = units.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    vocab, ids, offsets = compact
    merged = (vocab, *pool_rows(ids, offsets, codes, codes.max() + 1 if len(codes) else 0))
    first = units.assign(_g=codes).drop_duplicates("_g").sort_values("_g")
    drop = [c for c in ("para_id", "heading", "_g") if c in first.columns]
    grouped = first.drop(columns=drop).reset_index(drop=True)
    if "kind" in units.columns:
        # A section can mix paragraph kinds; it takes its most common one.
        kind = units.assign(_g=codes).groupby("_g")["kind"].agg(
            lambda s: s.value_counts(sort=True).index[0] if s.notna().any() else None)
        grouped["kind"] = kind.to_numpy()
    if keys == ["doc_id"]:
        grouped = grouped.drop(columns=[c for c in ("kind", "section") if c in grouped.columns])
    return grouped, merged


def tokenize_corpus(
    corpus: Any,
    unit: str = "paragraph",
    *,
    extra_words: Sequence[str] | str | Path | None = None,
    extra_stopwords: Sequence[str] | str | Path | None = None,
    policy_stopwords: bool = True,
    pos: Sequence[str] | str | None = None,
    engine: str = "auto",
    workers: int | None = None,
    cache: bool = True,
) -> Tokens:
    """Tokenize a corpus by paragraph, section or document, with its metadata.

    Paragraphs are always segmented one by one (and cached that way); sections are the
    paragraphs under the same top-level heading, documents all paragraphs of a report.
    The other parameters are those of :func:`tokenize`.

    Returns
    -------
    Tokens
        ``units`` holds doc_id, (para_id, heading,) kind, section, the document metadata and
        n_tokens; ``tokens`` the token lists parallel to it, built on first use from the
        compact ``vocab``, ``ids`` and ``offsets`` the analyses read.

    Examples
    --------
    >>> import fazhi
    >>> toks = tokenize_corpus(fazhi.load_corpus(), unit="document")
    >>> len(toks) == len(fazhi.load_corpus())
    True
    """
    if unit not in UNITS:
        raise ParameterError(f"unit: {unit!r} is not one of {', '.join(UNITS)}")
    if not hasattr(corpus, "paragraphs") or not hasattr(corpus, "docs"):
        raise ParameterError("corpus: expected a fazhi Corpus (from fazhi.load_corpus)")
    units = units_table(corpus)
    opts = _options(extra_words, extra_stopwords, policy_stopwords, pos, engine)
    check_workers(workers)
    compact = _tokenize_compact(arrow_texts(corpus.paragraphs["text"]), opts, workers, cache)
    if unit == "section":
        units, compact = _group_units(units, compact, ["doc_id", "section"])
    elif unit == "document":
        units, compact = _group_units(units, compact, ["doc_id"])
    units = units.reset_index(drop=True)
    units["n_tokens"] = np.diff(compact[2])
    release_memory()  # the segmented strings the ids were built from are freed
    return Tokens._of(units, compact, unit)


__all__ = ["ENGINES", "UNITS", "Tokens", "tokenize", "tokenize_corpus"]
