"""Freed memory given back to the system (fazhi._memory) and the loader's batches."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import fazhi
from fazhi.corpus import load as load_module

_FRAGMENTED = """
import psutil
from fazhi._memory import release_memory

mb = lambda: psutil.Process().memory_info().rss / 2**20
blocks = [bytearray(4096) for _ in range(100_000)]   # 400 MB from malloc, not pymalloc
kept = blocks[::64]                                  # a live block every 256 KB of heap
del blocks
before = mb()
asked = release_memory()
print(asked, before, mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_release_memory_gives_back_freed_heap_pages():
    out = subprocess.run([sys.executable, "-c", _FRAGMENTED], capture_output=True, text=True,
                         check=True).stdout.split()
    asked, before, after = out[0] == "True", float(out[1]), float(out[2])
    assert asked
    # 390 MB were freed but stayed mapped between the live blocks; trimming returns them
    assert before > 300
    assert before - after > 250, (before, after)


def test_loader_batches_build_the_tables_one_batch_would(monkeypatch, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(fazhi.seeds_dir().iterdir()):
        if path.suffix == ".txt":
            (folder / path.name).write_bytes(path.read_bytes())
    # a repeated text and an unreadable file, so ids and errors cross batch boundaries
    first = sorted(folder.iterdir())[0]
    (folder / "zz_copy.txt").write_bytes(first.read_bytes())
    (folder / "broken.pdf").write_bytes(b"not a pdf")
    with pytest.warns(UserWarning):
        whole = fazhi.load_corpus(folder)
    monkeypatch.setattr(load_module, "_BATCH_DOCS", 2)
    with pytest.warns(UserWarning):
        batched = fazhi.load_corpus(folder)
    assert len(whole) >= 5
    for name in ("docs", "paragraphs", "removed", "errors"):
        pd.testing.assert_frame_equal(getattr(batched, name), getattr(whole, name))
    assert len(whole.errors) == 2
