"""Where the memory goes: each stage of the pipeline under ``run.PeakMemory`` (PSS summed
over this process and its workers), and what the main process holds after it.

Usage: ``.venv/bin/python benchmarks/stage_memory.py FOLDER [WORKERS]`` — e.g. a corpus built
by ``synth.py`` (``benchmarks/work/corpus_1000`` after a ``run.py`` run). The token and facts
caches point at an empty temporary folder, so every stage does its work.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main(argv: list[str]) -> None:
    os.environ["FAZHI_CACHE_DIR"] = tempfile.mkdtemp(prefix="fazhi-stage-memory-")
    import psutil
    from run import PeakMemory

    import fazhi

    folder, workers = Path(argv[0]), int(argv[1]) if len(argv) > 1 else 2
    main_mb = lambda: psutil.Process().memory_info().rss / 2**20  # noqa: E731
    rows = []
    with PeakMemory() as peak:
        corpus = fazhi.load_corpus(folder, workers=workers)
        _ = len(corpus.paragraphs)  # a stored corpus reads its paragraphs on first use
    rows.append(("load", peak.peak / 2**20, main_mb()))
    with PeakMemory() as peak:
        tokens = fazhi.tokenize_corpus(corpus, workers=workers)
    rows.append(("tokens", peak.peak / 2**20, main_mb()))
    with PeakMemory() as peak:
        fazhi.term_frequency(tokens)
    rows.append(("frequency", peak.peak / 2**20, main_mb()))
    with PeakMemory() as peak:
        fazhi.fit_topics(tokens)
    rows.append(("topics", peak.peak / 2**20, main_mb()))
    with PeakMemory() as peak:
        facts = fazhi.extract_facts(corpus, workers=workers)
    rows.append(("facts", peak.peak / 2**20, main_mb()))
    print(f"{len(corpus):,} reports, workers={workers}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':<10} {'peak MB, all processes':>22} {'main process after, MB':>23}")
    for stage, during, after in rows:
        print(f"{stage:<10} {during:>22,.0f} {after:>23,.0f}")
    sizes = {"docs": corpus.docs, "paragraphs": corpus.paragraphs, "token units": tokens.units,
             "facts": facts}
    print("tables held, MB (deep): " + ", ".join(
        f"{name} {table.memory_usage(deep=True).sum() / 2**20:,.0f}"
        for name, table in sizes.items()) + f"; {len(facts):,} facts")


if __name__ == "__main__":
    main(sys.argv[1:])
