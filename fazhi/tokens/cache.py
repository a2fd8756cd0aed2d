"""The token cache: each text's tokens under its key, one folder per dictionary version.

Batches, keys, merging and unreadable files are those of every fazhi cache
(:class:`fazhi._cache.ParquetCache`). What is particular to tokens is how they are stored:
a list of dictionary-encoded strings per text, one dictionary (sorted, see
:func:`fazhi.tokens.arrow.split_joined`) per batch, so that a hit is read as token ids
without a Python object per text or token.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._cache import KEY, ParquetCache, cache_root
from .arrow import Part, list_part, to_list_array

__all__ = ["FORMAT", "SCHEMA", "TokenCache", "cache_root"]

# Part of every cache folder's name. 3: a batch is one ParquetCache batch (large_list, one
# row group). 2 stored list<dictionary<string>> read back as ids; 1 tokens joined by spaces.
FORMAT = 3
SCHEMA = pa.schema([("key", KEY), ("tokens", pa.large_list(pa.dictionary(pa.int32(),
                                                                          pa.string())))])


class TokenCache:
    """Tokens keyed by :func:`fazhi._cache.text_keys`, under ``root/v{FORMAT}-{version}``."""

    def __init__(self, root: Path, version: str):
        # One row group per batch: row groups would each bring their own copy of the
        # batch's dictionary, and a hit would have to merge them again.
        self.store = ParquetCache(root, f"v{FORMAT}-{version}", SCHEMA, what="token",
                                  row_group_size=None)

    def lookup(self, keys: pa.Array) -> list[tuple[Part, np.ndarray]]:
        """The cached batches holding any of ``keys``: each as a :class:`Part` and, for each
        of its rows, the position of its key in ``keys``."""
        found = []
        for table in self.store.tables(keys):
            for batch in table.to_batches():
                where = pc.index_in(batch.column("key"), value_set=keys)
                found.append((list_part(batch.column("tokens")),
                              pc.fill_null(where, -1).to_numpy(zero_copy_only=False)))
        return found

    def put(self, keys: pa.Array, part: Part) -> None:
        """Store the tokens of the texts ``keys`` as one batch."""
        if len(keys):
            self.store.put(pa.table({"key": keys.cast(KEY), "tokens": to_list_array(part)}))
