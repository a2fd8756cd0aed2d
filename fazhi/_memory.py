"""Giving freed memory back to the system after a large stage.

A stage that builds a corpus-sized table frees as much as it keeps: the per-report results it
turned into columns, the Python strings Arrow copied. CPython returns those blocks to the C
allocator, and glibc's allocator keeps most of them mapped (freed blocks in the middle of its
heap are not returned until ``malloc_trim`` is called), so a process that loaded 10,000 reports
went on holding several hundred MB it no longer used, and every later stage — and every
worker process forked from it — started from there. :func:`release_memory` calls
``malloc_trim(0)``, as Dask's workers do (distributed.worker.memory, "trim memory"). Elsewhere
(macOS, Windows, musl) it does nothing: there is no such call, and nothing is lost.

Arrow's columns (the ``str`` columns of pandas 3, the caches' tables) come from Arrow's own
memory pool (mimalloc or jemalloc), which keeps freed pages too: it is asked to give them back
(``MemoryPool.release_unused``) — 108 MB of a 677 MB process after extracting the facts of
4,000 reports.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_memory() -> bool:
    """Collect garbage and give the C heap's free pages back to the system.

    Returns True when the allocator was asked (glibc), False where there is nothing to ask.
    Cheap (milliseconds for a heap of a few GB); called at the end of ``load_corpus``,
    ``tokenize_corpus`` and ``extract_facts``.

    Examples
    --------
    >>> release_memory() in (True, False)
    True
    """
    gc.collect()
    arrow = sys.modules.get("pyarrow")  # only when loaded: importing it costs more than it frees
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
