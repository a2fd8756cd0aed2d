"""Caches on disk keyed by the content of a text: rows under the sha1 digest of the text, in
parquet batches, one folder per version of everything else the rows depend on. The facts
cache (:mod:`fazhi.facts.extract`) and the token cache (:mod:`fazhi.tokens.cache`) are both one
:class:`ParquetCache`.

Each write is one parquet file (a batch), written under a temporary name and renamed into
place only when complete, so several processes can read and write the same folder at once.
When a folder collects many batches they are merged into one. A look-up reads the ``key``
column first and then only the row groups that hold a wanted key. A file that cannot be
read is skipped with a warning and removed: its rows are simply computed again.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .io import atomic_path

# Merging is cheap next to opening hundreds of small files on every look-up.
MAX_BATCHES = 32
#: A merge joins batches into files of about this many bytes (on disk) at most, and leaves
#: files that size alone: it holds one such file's rows at a time, never the whole cache (a
#: corpus's facts or tokens, gigabytes at 100,000 reports). zstd packs rows ten times and
#: more: 4 MB on disk is the facts of ~2,000 reports, the tokens of ~4,000, 100–300 MB read.
MERGE_BYTES = 4 * 2**20
# Rows per row group: a look-up of a few keys reads a few groups, not the whole file.
ROW_GROUP_SIZE = 1024
#: the type of a text's key: its sha1 digest (hex would double the bytes hashed on a look-up)
KEY = pa.binary(20)


def cache_root() -> Path:
    """fazhi's cache folder: ``$FAZHI_CACHE_DIR``, else ``~/.cache/fazhi``."""
    env = os.environ.get("FAZHI_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "fazhi"


def arrow_texts(texts: Iterable[object], missing: str | None = None) -> pa.Array | pa.ChunkedArray:
    """``texts`` as Arrow strings, without a copy when they are a pyarrow-backed pandas
    column (pandas 3's ``str``, a corpus's text columns).

    A missing text (``None``, NaN, anything not a ``str``) becomes ``missing``; when
    ``missing`` is ``None`` it is refused with a :class:`~fazhi.exceptions.ParameterError`
    naming its position.
    """
    from .exceptions import ParameterError

    if getattr(getattr(texts, "dtype", None), "storage", None) == "pyarrow":
        array = pa.array(texts.array)
        if not array.null_count:
            return array
        if missing is None:
            first = pc.indices_nonzero(pc.is_null(array))[0].as_py()
            raise ParameterError(f"texts: item {first} is missing, not str")
        return pc.fill_null(array, missing)
    texts = list(texts)
    if missing is None:
        bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
        if bad is not None:
            raise ParameterError(f"texts: item {bad} is {type(texts[bad]).__name__}, not str")
        return pa.array(texts, type=pa.large_string())
    return pa.array([t if isinstance(t, str) else missing for t in texts], type=pa.large_string())


def take_texts(texts: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """``texts[rows]`` as one Arrow array, copying only the texts taken.

    pyarrow's ``take`` on a chunked array joins every chunk first, a copy of the whole
    corpus on each call: taking a corpus a chunk of rows at a time cost time quadratic in its
    size. Here each row is taken from the chunk it lies in.

    Examples
    --------
    >>> texts = pa.chunked_array([["a", "b"], ["c"]])
    >>> take_texts(texts, np.array([2, 0])).to_pylist()
    ['c', 'a']
    """
    rows = np.asarray(rows, dtype=np.int64)
    if isinstance(texts, pa.Array):
        return texts.take(pa.array(rows))
    starts = np.cumsum([0, *(len(c) for c in texts.chunks)])
    if len(rows) and (rows.max() >= starts[-1] or rows.min() < 0):
        raise IndexError(f"take_texts: a row is out of range for {starts[-1]} texts")
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    cuts = np.searchsorted(ordered, starts)
    pieces = [chunk.take(pa.array(ordered[a:b] - start))
              for chunk, start, a, b in zip(texts.chunks, starts, cuts[:-1], cuts[1:]) if b > a]
    taken = pa.concat_arrays(pieces) if pieces else pa.array([], type=texts.type)
    if np.array_equal(order, np.arange(len(order))):
        return taken
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return taken.take(pa.array(inverse))


def text_keys(texts: Sequence[str] | pa.Array | pa.ChunkedArray) -> pa.FixedSizeBinaryArray:
    """The cache key of each text: the sha1 digest of its UTF-8, as :data:`KEY`.

    Arrow strings are hashed where they lie in the Arrow buffer, without a Python string
    per text or a copy.
    """
    if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
        texts = pa.array(texts, type=pa.large_string())
    sha1 = hashlib.sha1
    digests = []
    for chunk in (texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]):
        if not len(chunk):
            continue
        if chunk.null_count:
            raise ValueError("text_keys: a text is missing")
        large = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        _, offsets_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if large else np.int32)
        offsets = offsets[chunk.offset:][:len(chunk) + 1]
        data = memoryview(data_buffer if data_buffer is not None else b"")
        digests.extend(sha1(data[a:b]).digest()
                       for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist()))
    return pa.FixedSizeBinaryArray.from_buffers(KEY, len(digests),
                                                [None, pa.py_buffer(b"".join(digests))])


def library_versions(names: Iterable[str]) -> list[str]:
    """``name=version`` of each installed distribution (``name=?`` when it is not): the
    part of a cache version that changes when a library deciding the results does.

    Examples
    --------
    >>> library_versions(["numpy", "no-such-library"])[1]
    'no-such-library=?'
    """
    from importlib import metadata

    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=?")
    return out


def digest(parts: Iterable[str | bytes]) -> str:
    """A short version string for a sequence of strings and bytes (order matters)."""
    h = hashlib.sha1()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # ("ab", "c") differs from ("a", "bc")
        h.update(data)
    return h.hexdigest()[:16]


class ParquetCache:
    """Rows of ``schema`` (its first field ``key``, one row per key) under ``root/version``.

    Parameters
    ----------
    root : Path
        The folder of this kind of cache, e.g. ``cache_root() / "facts"``.
    version : str
        Everything besides the text that the cached rows depend on, as a short string.
    schema : pyarrow.Schema
        The columns of every batch; ``key`` first (:data:`KEY` for :func:`text_keys`).
    what : str
        What is cached, for warnings ("facts", "token").
    row_group_size : int or None
        Rows per row group of a batch; None writes a batch as one row group, so that a
        dictionary-encoded column reads back as one dictionary per batch.
    """

    def __init__(self, root: Path, version: str, schema: pa.Schema, what: str = "cache",
                 row_group_size: int | None = ROW_GROUP_SIZE):
        if schema.names[:1] != ["key"]:
            raise ValueError("a cache schema starts with the column `key`")
        self.dir = Path(root) / version
        self.schema = schema
        self.what = what
        self.row_group_size = row_group_size

    def batches(self) -> list[Path]:
        """The batch files now in the folder."""
        # Files only: a folder someone named "x.parquet" is not a batch.
        return sorted(p for p in self.dir.glob("*.parquet") if p.is_file()) if self.dir.is_dir() \
            else []

    def tables(self, keys: Sequence | pa.Array | pa.ChunkedArray) -> list[pa.Table]:
        """The rows of each batch whose key is one of ``keys``, a table per batch holding
        any; a key cached by two processes at once can be in two of them."""
        if not isinstance(keys, (pa.Array, pa.ChunkedArray)):
            keys = pa.array(keys, self.schema.field("key").type)
        wanted = pc.unique(keys)
        if not len(wanted):
            return []
        return [t for f in self.batches() if (t := self._read(f, wanted)) is not None]

    def get(self, keys: Sequence | pa.Array | pa.ChunkedArray) -> pa.Table:
        """The cached rows of those ``keys`` that are present, one row per key."""
        return _first_per_key(self.tables(keys), self.schema)

    def put(self, table: pa.Table) -> None:
        """Store ``table`` as one batch; never fails the analysis (a read-only cache only
        costs speed)."""
        if not table.num_rows:
            return
        table = table.select(self.schema.names).cast(self.schema)
        try:
            self._write(table)
            small = [f for f in self.batches() if _size(f) < MERGE_BYTES]
            if len(small) > MAX_BATCHES:
                self._merge(small)
        except OSError as e:
            warnings.warn(f"{self.what} cache {self.dir} is not writable ({e}); "
                          "set FAZHI_CACHE_DIR", RuntimeWarning, stacklevel=3)

    def _read(self, path: Path, wanted: pa.Array | None = None) -> pa.Table | None:
        """The rows of one batch (those with a key in ``wanted``); None if it holds none of
        them or is unreadable."""
        try:
            with pq.ParquetFile(path) as pf:
                if not pf.schema_arrow.equals(self.schema):
                    raise ValueError(f"columns {_columns(pf.schema_arrow)} are not "
                                     f"{_columns(self.schema)}")
                if wanted is None:
                    return pf.read(use_threads=False)
                # One thread: a batch is a few MB, and a thread pool costs more to start.
                hit = pc.is_in(pf.read(columns=["key"], use_threads=False)["key"],
                               value_set=wanted)
                rows = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
                if not len(rows):
                    return None
                sizes = np.array([pf.metadata.row_group(i).num_rows
                                  for i in range(pf.num_row_groups)], dtype=np.int64)
                ends = np.cumsum(sizes)
                group = np.searchsorted(ends, rows, side="right")
                groups = np.unique(group)
                table = pf.read_row_groups(groups.tolist(), use_threads=False)
            if len(rows) == table.num_rows:
                return table  # every row read is wanted (a warm run): no copy
            # each row's place in the groups read: its place in its group + the rows before
            base = np.cumsum(sizes[groups]) - sizes[groups]
            local = rows - (ends - sizes)[group] + base[np.searchsorted(groups, group)]
            return table.take(pa.array(local))
        except (OSError, ValueError, pa.ArrowException) as e:
            if path.exists():
                warnings.warn(f"{self.what} cache: ignoring unreadable {path} ({e}); its rows "
                              "are computed again", RuntimeWarning, stacklevel=4)
                _discard(path)
            # else merged away by another process meanwhile: a miss, not an error
            return None

    def _write(self, table: pa.Table) -> None:
        with atomic_path(self.dir / f"{uuid.uuid4().hex}.parquet") as tmp:
            # zstd: a third of snappy's size, and faster to read back.
            pq.write_table(table, tmp, row_group_size=self.row_group_size, compression="zstd")

    def _merge(self, files: list[Path]) -> None:
        group: list[Path] = []
        size = 0
        for f in files:
            group.append(f)
            size += _size(f)
            if size >= MERGE_BYTES:
                self._merge_group(group)
                group, size = [], 0
        if len(group) > 1:
            self._merge_group(group)

    def _merge_group(self, files: list[Path]) -> None:
        tables = [t for f in files if (t := self._read(f)) is not None]
        if tables:
            self._write(_first_per_key(tables, self.schema))
        for f in files:
            _discard(f)


def _size(path: Path) -> int:
    """A batch's bytes on disk; 0 when another process merged it away meanwhile."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _discard(path: Path) -> None:
    """Remove a cache file if the folder lets us: a read-only cache only costs speed."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _columns(schema: pa.Schema) -> str:
    # Types as well as names: a batch of an older format may differ only in a type.
    return ", ".join(f"{f.name} {f.type}" for f in schema)


def _first_per_key(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    # Two processes may cache the same text at once; its rows are equal, keep one.
    if not tables:
        return schema.empty_table()
    table = pa.concat_tables(tables)
    keys = table["key"].combine_chunks()
    unique = pc.unique(keys)
    if len(unique) == len(keys):
        return table
    return table.take(pc.index_in(unique, value_set=keys))  # the first row of each key
