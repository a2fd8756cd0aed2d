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

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .io import atomic_path

# Merging is cheap next to opening hundreds of small files on every look-up.
_MAX_BATCHES = 32


def cache_root() -> Path:
    """fazhi's cache folder: ``$FAZHI_CACHE_DIR``, else ``~/.cache/fazhi``."""
    env = os.environ.get("FAZHI_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "fazhi"


class TokenCache:
    """Tokens (space-joined) keyed by the sha1 of their text, under ``root/version``."""

    def __init__(self, root: Path, version: str):
        self.dir = Path(root) / version

    def _batches(self) -> list[Path]:
        return sorted(self.dir.glob("*.parquet")) if self.dir.is_dir() else []

    def _read(self, files: list[Path], keys: list[str] | None = None) -> pa.Table | None:
        tables = []
        for f in files:
            try:
                table = pq.read_table(f)
            except (OSError, pa.ArrowException):
                # Merged away by another process, or unreadable: a miss, not an error.
                continue
            if keys is not None:
                table = table.filter(pc.is_in(table["key"], value_set=pa.array(keys)))
            tables.append(table)
        return pa.concat_tables(tables) if tables else None

    def get(self, keys: list[str]) -> dict[str, str]:
        """The cached tokens of those ``keys`` that are present."""
        table = self._read(self._batches(), keys) if keys else None
        if table is None:
            return {}
        return dict(zip(table["key"].to_pylist(), table["tokens"].to_pylist()))

    def put(self, items: dict[str, str]) -> None:
        """Store a batch; never fails the analysis (a read-only cache only costs speed)."""
        if not items:
            return
        table = pa.table({"key": list(items), "tokens": list(items.values())})
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
            pq.write_table(table, tmp)

    def _merge(self, files: list[Path]) -> None:
        table = self._read(files)
        if table is None:
            return
        self._write(table)
        for f in files:
            f.unlink(missing_ok=True)
