"""A token cache on disk: text hash → tokens, one folder per dictionary version.

Each call that segments new texts writes one parquet file (a batch), renamed into place only
when complete, so several processes can read and write the same folder at once. When a
folder collects many batches they are merged into one.
"""

from __future__ import annotations

import os
import uuid
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ._token_arrow import Part, list_part, to_list_array
from .io import atomic_path

# Merging is cheap next to opening hundreds of small files on every look-up.
_MAX_BATCHES = 32
# Part of every cache folder's name. 2: tokens as list<dictionary<string>>, read back as ids
# (1 stored them joined by spaces, which had to be split and hashed again on every hit).
FORMAT = 2
KEY = pa.binary(20)  # sha1 digest of the text's UTF-8


def cache_root() -> Path:
    """fazhi's cache folder: ``$FAZHI_CACHE_DIR``, else ``~/.cache/fazhi``."""
    env = os.environ.get("FAZHI_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "fazhi"


class TokenCache:
    """Tokens keyed by the sha1 of their text's UTF-8, under ``root/v{FORMAT}-{version}``.

    A batch is a Parquet table of ``key`` (the 20-byte sha1 digest) and ``tokens`` (the kept tokens as a
    list of dictionary-encoded strings), so a hit is read as token ids, without a Python
    object per text or token.
    """

    def __init__(self, root: Path, version: str):
        self.dir = Path(root) / f"v{FORMAT}-{version}"

    def _batches(self) -> list[Path]:
        return sorted(self.dir.glob("*.parquet")) if self.dir.is_dir() else []

    def _read(self, files: list[Path]) -> list[pa.Table]:
        tables = []
        for f in files:
            try:
                # One thread: a batch is a few MB, and a thread pool costs more to start.
                table = pq.read_table(f, columns=["key", "tokens"], use_threads=False)
            except (OSError, pa.ArrowException):
                # Merged away by another process, or unreadable: a miss, not an error.
                continue
            if table.schema.field("key").type == KEY and (
                    pa.types.is_list(table.schema.field("tokens").type)
                    or pa.types.is_large_list(table.schema.field("tokens").type)):
                tables.append(table)
        return tables

    def lookup(self, keys: pa.Array) -> list[tuple[Part, np.ndarray]]:
        """The cached batches holding any of ``keys``: each as a :class:`Part` and, for each
        of its rows, the position of its key in ``keys`` (-1 when not asked for)."""
        found = []
        for table in self._read(self._batches()) if len(keys) else []:
            for batch in table.to_batches():
                where = pc.index_in(batch.column("key"), value_set=keys)
                logical = pc.fill_null(where, -1).to_numpy(zero_copy_only=False)
                if (logical >= 0).any():
                    found.append((list_part(batch.column("tokens")), logical))
        return found

    def put(self, keys: pa.Array, part: Part) -> None:
        """Store a batch; never fails the analysis (a read-only cache only costs speed)."""
        if not len(keys):
            return
        table = pa.table({"key": keys.cast(KEY), "tokens": to_list_array(part)})
        try:
            self._write(table)
            files = self._batches()
            if len(files) > _MAX_BATCHES:
                self._merge(files)
        except OSError as e:
            warnings.warn(f"token cache {self.dir} is not writable ({e}); set FAZHI_CACHE_DIR",
                          RuntimeWarning, stacklevel=3)

    def _write(self, table: pa.Table) -> None:
        with atomic_path(self.dir / f"{uuid.uuid4().hex}.parquet") as tmp:
            # zstd: a third of snappy's size, and faster to read back.
            pq.write_table(table, tmp, compression="zstd")

    def _merge(self, files: list[Path]) -> None:
        tables = self._read(files)
        if not tables:
            return
        self._write(pa.concat_tables(tables, promote_options="permissive"))
        for f in files:
            f.unlink(missing_ok=True)
