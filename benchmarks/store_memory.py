"""Memory that does not grow with the corpus: ``fazhi.process_corpus`` (the stages a part of
the files at a time into the Parquet store) against the same work in memory
(``load_corpus`` + ``tokenize_corpus`` + ``extract_facts``, the tables held as a session holds
them), then a trend table read from the store.

Each figure is one fresh process (``run.PeakMemory``: PSS summed over it and its workers),
with empty token and facts caches, on the same folder and with the same workers:

- ``in memory``: load, tokens, facts of the whole corpus, every table held;
- ``store``: ``process_corpus(folder, out, workers=W)`` — the same tables, written part by part;
- ``trends``: ``trend_table(out, by="place")``, the store's facts read a part at a time,
  against ``trend_table(read_facts(out), by="place")``, every fact read at once (the same
  table);
- ``frequency``: ``term_frequency(out, by="year")``, the tokens counted a part at a time,
  against ``term_frequency(read_tokens(out), by="year")``;
- ``topics``: ``fit_topics(out)``, fitted on a seeded sample of 50,000 paragraphs read a part
  at a time, against ``fit_topics(read_tokens(out))`` on every paragraph (not the same work:
  the sample is the point; the figure shows what it saves).

Usage: ``.venv/bin/python benchmarks/store_memory.py FOLDER [FOLDER …] [--workers W]
[--skip-memory]`` (folders built by ``synth.py``; ``--skip-memory`` leaves out the in-memory
run, for a size that would not fit).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

def _child(mode: str, folder: Path, out: Path, workers: int) -> dict:
    from run import PeakMemory

    import fazhi

    start = time.perf_counter()
    with PeakMemory() as peak:
        if mode == "memory":
            corpus = fazhi.load_corpus(folder, workers=workers)
            tokens = fazhi.tokenize_corpus(corpus, workers=workers)
            facts = fazhi.extract_facts(corpus, workers=workers, review=False)
            result = {"docs": len(corpus), "facts": len(facts), "tokens": int(tokens.offsets[-1])}
        elif mode == "store":
            counts = fazhi.process_corpus(folder, out, workers=workers)
            result = {"docs": counts["docs"], "facts": counts["facts"], "parts": counts["parts"]}
        elif mode == "frequency":
            table = fazhi.term_frequency(out, by="year")
            result = {"rows": len(table)}
        elif mode == "frequency_memory":
            table = fazhi.term_frequency(fazhi.read_tokens(out), by="year")
            result = {"rows": len(table)}
        elif mode == "topics":
            model = fazhi.fit_topics(out)
            result = {"units": len(model.unit_topics), "k": int(model.n_topics)}
        elif mode == "topics_memory":
            model = fazhi.fit_topics(fazhi.read_tokens(out))
            result = {"units": len(model.unit_topics), "k": int(model.n_topics)}
        elif mode == "trends":
            table = fazhi.trend_table(out, by="place")
            result = {"cells": int(table.notna().sum().sum())}
        else:
            table = fazhi.trend_table(fazhi.read_facts(out), by="place")
            result = {"cells": int(table.notna().sum().sum())}
    return {**result, "seconds": time.perf_counter() - start, "peak_mb": peak.peak / 2**20}


def run_child(mode: str, folder: Path, out: Path, workers: int) -> dict:
    """One figure (``memory``, ``store`` or ``trends``) in a fresh process, caches empty."""
    cache = tempfile.mkdtemp(prefix="fazhi-store-memory-cache-")
    env = {**os.environ, "FAZHI_CACHE_DIR": cache, "TQDM_DISABLE": "1"}
    try:
        proc = subprocess.run([sys.executable, __file__, "--child", mode, str(folder), str(out),
                               str(workers)], env=env, capture_output=True, text=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} on {folder} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(folder: Path, work: Path, workers: int, in_memory: bool = True) -> dict:
    """The three figures on ``folder``, the store written under ``work`` and removed after."""
    out = Path(tempfile.mkdtemp(prefix="fazhi-store-", dir=work))
    try:
        mem = run_child("memory", folder, out, workers) if in_memory else None
        st = run_child("store", folder, out, workers)
        tr = run_child("trends", folder, out, workers)
        tm = run_child("trends_memory", folder, out, workers) if in_memory else None
        fr = run_child("frequency", folder, out, workers)
        fm = run_child("frequency_memory", folder, out, workers) if in_memory else None
        to = run_child("topics", folder, out, workers)
        tom = run_child("topics_memory", folder, out, workers) if in_memory else None
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if mem is not None and ((mem["docs"], mem["facts"]) != (st["docs"], st["facts"])
                            or tm["cells"] != tr["cells"] or fm["rows"] != fr["rows"]):
        raise RuntimeError(f"the store and the in-memory runs differ on {folder}: "
                           f"{mem} {st} {tm} {tr} {fm} {fr}")
    return {"memory": mem, "store": st, "trends": tr, "trends_memory": tm, "frequency": fr,
            "frequency_memory": fm, "topics": to, "topics_memory": tom}


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--child":
        mode, folder, out, workers = argv[1:5]
        print(json.dumps(_child(mode, Path(folder), Path(out), int(workers))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args(argv)
    print(f"workers={args.workers}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    head = f"{'in memory s':>11} {'MB':>6}  {'store s':>8} {'MB':>6}"
    print(f"{'':>8} {'':>10}  {'load + tokens + facts':^32}  {'trend table by place':^32}  "
          f"{'term frequency by year':^32}  {'topics (store: a sample)':^32}")
    print(f"{'reports':>8} {'facts':>10}  {head}  {head}  {head}  {head}")
    (HERE / "work").mkdir(exist_ok=True)
    for folder in args.folders:
        f = measure(folder, HERE / "work", args.workers, not args.skip_memory)
        mem, st, tr, tm = f["memory"], f["store"], f["trends"], f["trends_memory"]
        fr, fm = f["frequency"], f["frequency_memory"]
        to, tom = f["topics"], f["topics_memory"]

        def cell(run):
            return f"{run['seconds']:>11.1f} {run['peak_mb']:>6,.0f}" if run else f"{'—':>11} {'—':>6}"
        print(f"{st['docs']:>8,} {st['facts']:>10,}  {cell(mem)}  {st['seconds']:>8.1f} "
              f"{st['peak_mb']:>6,.0f}  {cell(tm)}  {tr['seconds']:>8.1f} {tr['peak_mb']:>6,.0f}  "
              f"{cell(fm)}  {fr['seconds']:>8.1f} {fr['peak_mb']:>6,.0f}  "
              f"{cell(tom)}  {to['seconds']:>8.1f} {to['peak_mb']:>6,.0f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
