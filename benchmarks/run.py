"""fazhi's benchmark: every stage at 1,000 and 10,000 reports, each figure next to a baseline
measured in the same process, and the issue's targets marked PASS or MISS.

For each size a synthetic corpus is built once under ``benchmarks/work/`` (see ``synth.py``).
The pipeline (load → tokens → term frequency → topics → facts) then runs in a fresh child
process with empty token and facts caches, so its wall time and peak memory are those a user
meets; the same child then times the baselines on the same data:

==================  ==========================================  ================================
stage               fazhi                                       baseline
==================  ==========================================  ================================
load                load_corpus(folder, workers=W)              read + decode + OpenCC t2s
segmentation        tokenize_corpus(workers=W), cache cold      jieba.lcut, one process
term frequency      term_frequency(tokens)                      collections.Counter
topics              fit_topics(tokens) (k by coherence)         TfidfVectorizer + NMF at that k
facts               extract_facts(corpus, workers=W)            one number+unit regex scan
==================  ==========================================  ================================

A second child re-runs the pipeline with the caches the first one filled, tokens and facts
(warm vs cold: the same ``tokenize_corpus`` and ``extract_facts`` calls, only the cache differs).
Segmentation agreement with jieba comes from ``segment_agreement.py`` on the seeds, rendering
from ``render_bench.py``; at each size ``store_memory.py`` sets ``process_corpus`` (load, tokens
and facts a part at a time into the Parquet store) against the same three stages in memory,
then reads a trend table back from the store. Results go to ``benchmarks/results.json``.

Usage: ``.venv/bin/python benchmarks/run.py [--sizes 1000 10000] [--store-sizes 100000]
[--quick] [--skip render]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from itertools import chain
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The 72 full-length reports (one a row); the real-text figures are skipped when absent.
REAL_TEXT = HERE.parents[1] / "shared" / "corpora" / "government_work_reports.jsonl"
SKIPPABLE = ("render", "warm", "agreement", "real", "store")
# The targets on a 2-core machine.
TARGETS = {"segment_speedup": 20.0, "pipeline_speedup": 3.0, "load_docs_per_s": 1000.0,
           "distinct_paragraphs": 0.99, "agreement": 0.999, "e2e_seconds": 120.0,
           "peak_rss_mb": 2048.0, "warm_speedup": 5.0, "render_ratio": 2.0,
           "render_ratio_cold": 4.0, "store_peak_mb": 2048.0, "store_e2e_100k_seconds": 600.0}
_FACT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个百分点|件|项|条|次|个|人|万元|家|场|期)")


# -- measurements in the child process ---------------------------------------------------

class PeakMemory:
    """Peak memory of this process plus all its children, sampled every 50 ms.

    Worker processes are forked, so their resident pages are largely shared with this one:
    summing RSS would count those pages once per worker. The total is therefore the sum of
    PSS (each shared page split between the processes sharing it) where the system reports
    it, else of RSS.
    """

    def __init__(self) -> None:
        import psutil

        self._proc, self._psutil = psutil.Process(), psutil
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _size(self, proc) -> int:
        try:
            return proc.memory_full_info().pss
        except (AttributeError, self._psutil.AccessDenied):
            return proc.memory_info().rss

    def _sample(self) -> int:
        total = self._size(self._proc)
        for child in self._proc.children(recursive=True):
            try:
                total += self._size(child)
            except self._psutil.Error:
                pass  # ended between listing and reading
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def _pipeline(folder: Path, workers: int) -> tuple[dict, tuple]:
    import fazhi

    # Looked up before any clock starts: fazhi imports a module on first use, and that
    # import is the same cost in a cold and a warm run, not part of either stage.
    load, tokenize, frequency, topics, facts = (
        fazhi.load_corpus, fazhi.tokenize_corpus, fazhi.term_frequency, fazhi.fit_topics,
        fazhi.extract_facts)
    seconds = {}
    corpus, seconds["load"] = _timed(load, folder, workers=workers)
    tokens, seconds["tokens"] = _timed(tokenize, corpus, workers=workers)
    _, seconds["frequency"] = _timed(frequency, tokens)
    model, seconds["topics"] = _timed(topics, tokens)
    _, seconds["facts"] = _timed(facts, corpus, workers=workers)
    seconds["total"] = sum(seconds.values())
    return seconds, (corpus, tokens, model)


def _read_opencc(paths: list[Path]) -> None:
    import opencc

    t2s = opencc.OpenCC("t2s")
    for path in paths:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        t2s.convert(text)


def _sklearn_topics(token_lists: list[list[str]], k: int) -> None:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=lambda t: t, min_df=2, max_df=0.9).fit_transform(token_lists)
    NMF(n_components=k, init="nndsvd", random_state=0).fit(matrix)


def _metadata_accuracy(corpus, folder: Path) -> dict:
    import pandas as pd

    truth = pd.read_csv(folder / "truth.csv", dtype=str, keep_default_na=False)
    docs = corpus.docs.assign(file=corpus.docs["path"].map(lambda p: Path(p).name))
    both = docs.merge(truth, on="file", suffixes=("", "_truth"))
    return {col: round(float((both[col].astype(str) == both[f"{col}_truth"]).mean()), 4)
            for col in ("organ", "place", "city", "province", "year", "date")}


def child(folder: Path, workers: int, out: Path, warm: bool, jieba_mb: float) -> None:
    """Run the pipeline once (and, when cold, the baselines); write the figures to ``out``."""
    import resource

    from fazhi.corpus.readers import iter_documents

    with PeakMemory() as memory:
        seconds, (corpus, tokens, model) = _pipeline(folder, workers)
    result = {"seconds": seconds, "peak_rss_mb": memory.peak / 2**20,
              "max_rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if not warm:
        texts = corpus.paragraphs["text"].tolist()
        paths = [folder] if folder.is_file() else list(iter_documents(folder))
        _, read_s = _timed(_read_opencc, paths)
        distinct = list(dict.fromkeys(texts))
        distinct_bytes = sum(len(t.encode("utf-8")) for t in distinct)
        all_bytes = sum(len(t.encode("utf-8")) for t in texts)
        # jieba.lcut's speed is that of the hand-written pipeline's segmentation stage: the
        # whole text, every paragraph (≥ 99 % of them distinct), timed in its own child.
        token_lists = tokens.tokens  # the baselines' input, built before their clocks start
        _, counter_s = _timed(lambda: Counter(chain.from_iterable(token_lists)))
        _, sklearn_s = _timed(_sklearn_topics, token_lists, model.n_topics)
        _, regex_s = _timed(lambda: sum(len(_FACT.findall(t)) for t in corpus.docs["text"]))
        result.update({
            "n_docs": len(corpus), "n_files": len(paths), "n_paragraphs": len(texts),
            "distinct_paragraphs": len(distinct) / max(1, len(texts)),
            "distinct_bytes": distinct_bytes / max(1, all_bytes),
            "n_tokens": int(tokens.offsets[-1]), "k": int(model.n_topics),
            "corpus_mb": sum(p.stat().st_size for p in paths) / 1e6,
            "text_mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
            "baseline_seconds": {"read_opencc": read_s, "counter": counter_s,
                                 "sklearn_nmf": sklearn_s, "regex_facts": regex_s},
            "metadata_accuracy": (_metadata_accuracy(corpus, folder)
                                  if (folder / "truth.csv").is_file() else {}),
        })
    out.write_text(json.dumps(result))


# -- the parent: corpora, children, figures, table -----------------------------------------

def _run_child(folder: Path, workers: int, cache: Path, warm: bool, jieba_mb: float) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    env = {**os.environ, "FAZHI_CACHE_DIR": str(cache), "TQDM_DISABLE": "1"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(folder),
           "--workers", str(workers), "--child-out", str(out), "--jieba-mb", str(jieba_mb)]
    proc = subprocess.run(cmd + (["--warm"] if warm else []), env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed on {folder}:\n{proc.stderr[-3000:]}")
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink()


def run_baseline_pipeline(source: Path, k: int) -> dict:
    """The hand-written pipeline (baseline_pipeline.py) in a child of its own: its seconds
    from the child's start to its exit, its stages and its peak memory."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / "baseline_pipeline.py"), str(source),
                           str(k), str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"baseline pipeline failed on {source}:\n{proc.stderr[-3000:]}")
    try:
        return {**json.loads(out.read_text()), "wall_seconds": wall}
    finally:
        out.unlink()


def measure_real(path: Path, work: Path, workers: int) -> dict:
    """The 72 full-length reports: segmentation against jieba.lcut over their whole text (one
    process each, fazhi without cache) with the agreement, and the pipeline against the
    hand-written one."""
    import segment_agreement

    import fazhi

    paragraphs = fazhi.load_corpus(path).paragraphs["text"].tolist()
    segment = segment_agreement.measure(paragraphs, copies=1, repeat=1)
    cache = Path(tempfile.mkdtemp(prefix="cache_real_", dir=work))
    try:
        fz = _run_child(path, workers, cache, False, 0)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    hand = run_baseline_pipeline(path, fz["k"])
    return {"n_docs": fz["n_docs"], "text_mb": fz["text_mb"], "segment": segment,
            "pipeline": {"seconds": fz["seconds"]["total"], "stages": fz["seconds"],
                         "peak_mb": fz["peak_rss_mb"],
                         "baseline_seconds": hand["seconds"]["total"],
                         "baseline_stages": hand["seconds"], "baseline_peak_mb": hand["peak_mb"],
                         "ratio": hand["seconds"]["total"] / fz["seconds"]["total"]}}


def measure_size(n: int, work: Path, workers: int, warm: bool, jieba_mb: float) -> dict:
    """All figures of the pipeline on an ``n``-report corpus."""
    import synth

    folder = synth.build_corpus(n, work / f"corpus_{n}")
    cache = Path(tempfile.mkdtemp(prefix=f"cache_{n}_", dir=work))
    busy = [os.getloadavg()[0]]
    try:
        start = time.perf_counter()
        cold = _run_child(folder, workers, cache, False, jieba_mb)
        cold_wall = time.perf_counter() - start
        busy.append(os.getloadavg()[0])
        hand = run_baseline_pipeline(folder, cold["k"])
        busy.append(os.getloadavg()[0])
        hot = _run_child(folder, workers, cache, True, jieba_mb) if warm else None
        busy.append(os.getloadavg()[0])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    s, base = cold["seconds"], cold["baseline_seconds"]
    mb_s = cold["text_mb"] / s["tokens"]
    figures = {
        "corpus": {k: cold[k] for k in ("n_docs", "n_files", "n_paragraphs", "n_tokens",
                                         "corpus_mb", "text_mb", "k")},
        "load": {"seconds": s["load"], "docs_per_s": cold["n_docs"] / s["load"],
                 "baseline_docs_per_s": cold["n_files"] / base["read_opencc"]},
        "segment": {"seconds": s["tokens"], "mb_per_s": mb_s,
                    "baseline_mb_per_s": hand["text_mb"] / hand["seconds"]["segment"],
                    "baseline_mb": hand["text_mb"]},
        "frequency": {"seconds": s["frequency"], "baseline_seconds": base["counter"]},
        "topics": {"seconds": s["topics"], "baseline_seconds": base["sklearn_nmf"]},
        "facts": {"seconds": s["facts"], "baseline_seconds": base["regex_facts"]},
        "end_to_end": {"seconds": s["total"], "peak_rss_mb": cold["peak_rss_mb"],
                       "max_rss_main_mb": cold["max_rss_main_mb"], "stages": s},
        "metadata_accuracy": cold["metadata_accuracy"],
        "distinct": {"paragraphs": cold["distinct_paragraphs"], "bytes": cold["distinct_bytes"]},
        "pipeline": {"seconds": s["total"], "baseline_seconds": hand["seconds"]["total"],
                     "ratio": hand["seconds"]["total"] / s["total"],
                     "peak_mb": cold["peak_rss_mb"], "baseline_peak_mb": hand["peak_mb"],
                     "child_wall_seconds": cold_wall, "baseline_wall_seconds": hand["wall_seconds"],
                     "baseline_stages": hand["seconds"]},
        "load_average": busy,  # 1-minute load before the cold run, after it, after the warm one
    }
    figures["load"]["ratio"] = figures["load"]["docs_per_s"] / figures["load"]["baseline_docs_per_s"]
    figures["segment"]["ratio"] = mb_s / figures["segment"]["baseline_mb_per_s"]
    for stage in ("frequency", "topics", "facts"):
        figures[stage]["ratio"] = figures[stage]["seconds"] / figures[stage]["baseline_seconds"]
    if hot:
        h = hot["seconds"]
        figures["warm"] = {"tokens_cold_seconds": s["tokens"], "tokens_warm_seconds": h["tokens"],
                           "tokens_speedup": s["tokens"] / h["tokens"],
                           "facts_cold_seconds": s["facts"], "facts_warm_seconds": h["facts"],
                           "facts_speedup": s["facts"] / h["facts"],
                           "e2e_cold_seconds": s["total"], "e2e_warm_seconds": h["total"],
                           "e2e_speedup": s["total"] / h["total"], "stages_warm": h}
    return figures


def store_e2e_seconds(f: dict) -> float:
    """Files to the tables a study reads, through the store: ``process_corpus`` (load,
    tokens, facts), then a trend table, term frequency and topics read back from it."""
    return sum(f[k]["seconds"] for k in ("store", "trends", "frequency", "topics"))


def _targets(results: dict) -> list[dict]:
    sizes = results["sizes"]
    largest = sizes[str(max(map(int, sizes)))]
    at = f"at {int(max(map(int, sizes))):,}"
    rows = [(f"distinct paragraphs in the synthetic corpus, {at}",
             min(f["distinct"]["paragraphs"] for f in sizes.values()), "≥", "distinct_paragraphs", ""),
            (f"load + normalise + metadata + structure {at}, docs/s",
             largest["load"]["docs_per_s"], "≥", "load_docs_per_s", ""),
            (f"end to end vs hand-written pipeline {at}", largest["pipeline"]["ratio"], "≥",
             "pipeline_speedup", "×"),
            (f"segmentation vs jieba.lcut, whole text {at}", largest["segment"]["ratio"], "≥",
             "segment_speedup", "×")]
    if "real" in results:
        rows.append(("segmentation vs jieba.lcut, 72 real reports",
                     results["real"]["segment"]["speedup"], "≥", "segment_speedup", "×"))
        rows.append(("agreement with jieba, 72 real reports",
                     results["real"]["segment"]["agreement_all"], "≥", "agreement", ""))
    if "agreement" in results:
        rows.append(("agreement with jieba (seeds)", results["agreement"]["agreement_all"], "≥", "agreement", ""))
    rows += [("end to end, largest corpus", largest["end_to_end"]["seconds"], "≤", "e2e_seconds", " s"),
             ("peak memory (all processes), largest corpus", largest["end_to_end"]["peak_rss_mb"], "≤", "peak_rss_mb", " MB")]
    stored = {**{n: f["store"] for n, f in sizes.items() if "store" in f},
              **results.get("stored", {})}
    if "100000" in stored:
        rows.append(("end to end at 100,000 reports through the store (process_corpus, trend "
                     "table, term frequency, topics)", store_e2e_seconds(stored["100000"]), "≤",
                     "store_e2e_100k_seconds", " s"))
    if stored:
        sized = ", ".join(f"{int(n):,}" for n in stored)
        rows.append((f"peak memory, store path (process_corpus), at every size ({sized})",
                     max(s["store"]["peak_mb"] for s in stored.values()), "≤", "store_peak_mb", " MB"))
        rows.append((f"peak memory, trend table read from the store, at every size ({sized})",
                     max(s["trends"]["peak_mb"] for s in stored.values()), "≤", "store_peak_mb", " MB"))
        rows.append((f"peak memory, term frequency of the store, at every size ({sized})",
                     max(s["frequency"]["peak_mb"] for s in stored.values()), "≤", "store_peak_mb",
                     " MB"))
    if "warm" in largest:
        rows.append(("warm vs cold (token cache)", largest["warm"]["tokens_speedup"], "≥", "warm_speedup", "×"))
    if "render" in results:
        rows.append(("render, caches warm, vs papermill CLI on empty notebooks",
                     results["render"]["ratio"], "≤", "render_ratio", "×"))
        rows.append(("render, caches cold, vs papermill CLI on empty notebooks",
                     results["render"]["ratio_cold"], "≤", "render_ratio_cold", "×"))
    out = []
    for name, value, op, key, unit in rows:
        ok = value >= TARGETS[key] if op == "≥" else value <= TARGETS[key]
        out.append({"name": name, "value": value, "target": f"{op} {TARGETS[key]:g}{unit}",
                    "pass": bool(ok)})
    return out


def _fmt(x: float) -> str:
    return f"{x:.4f}" if x < 1.01 and x > 0.99 else f"{x:,.3g}" if x < 100 else f"{x:,.0f}"


def print_table(results: dict) -> None:
    rows = [("figure", "size", "fazhi", "baseline", "ratio")]
    for n, f in results["sizes"].items():
        rows += [
            ("load + normalise + metadata (docs/s; baseline reads only: lower bound)", n, f["load"]["docs_per_s"],
             f["load"]["baseline_docs_per_s"], f["load"]["ratio"]),
            ("segmentation (MB/s; whole text, cache cold)", n, f["segment"]["mb_per_s"], f["segment"]["baseline_mb_per_s"],
             f["segment"]["ratio"]),
            ("term frequency (s; Counter: lower bound)", n, f["frequency"]["seconds"], f["frequency"]["baseline_seconds"],
             f["frequency"]["ratio"]),
            ("TF-IDF + NMF topics (s)", n, f["topics"]["seconds"], f["topics"]["baseline_seconds"],
             f["topics"]["ratio"]),
            ("indicator extraction (s; one regex: lower bound)", n, f["facts"]["seconds"], f["facts"]["baseline_seconds"],
             f["facts"]["ratio"]),
        ]
        if "warm" in f:
            w = f["warm"]
            rows += [("tokens warm (s) vs cold", n, w["tokens_warm_seconds"],
                      w["tokens_cold_seconds"], w["tokens_speedup"]),
                     ("facts warm (s) vs cold", n, w["facts_warm_seconds"],
                      w["facts_cold_seconds"], w["facts_speedup"]),
                     ("end to end warm (s) vs cold", n, w["e2e_warm_seconds"],
                      w["e2e_cold_seconds"], w["e2e_speedup"])]
        if "store" in f:
            st, mem, tr = f["store"]["store"], f["store"]["memory"], f["store"]["trends"]
            rows += [("load + tokens + facts, part by part into the store (s) vs in memory", n,
                      st["seconds"], mem["seconds"], st["seconds"] / mem["seconds"]),
                     ("  the same, peak memory, all processes (MB) vs in memory", n,
                      st["peak_mb"], mem["peak_mb"], st["peak_mb"] / mem["peak_mb"]),
                     ("trend table by place, a part of the store at a time (s) vs every fact read",
                      n, tr["seconds"], f["store"]["trends_memory"]["seconds"],
                      tr["seconds"] / f["store"]["trends_memory"]["seconds"]),
                     ("  the same, peak memory, all processes (MB) vs every fact read", n,
                      tr["peak_mb"], f["store"]["trends_memory"]["peak_mb"],
                      tr["peak_mb"] / f["store"]["trends_memory"]["peak_mb"])]
            fr, fm = f["store"]["frequency"], f["store"]["frequency_memory"]
            rows += [("term frequency by year, a part of the store at a time (s) vs read_tokens",
                      n, fr["seconds"], fm["seconds"], fr["seconds"] / fm["seconds"]),
                     ("  the same, peak memory, all processes (MB) vs read_tokens", n,
                      fr["peak_mb"], fm["peak_mb"], fr["peak_mb"] / fm["peak_mb"])]
            to, tom = f["store"]["topics"], f["store"]["topics_memory"]
            rows += [("topics of the store, on a sample of 50,000 paragraphs at most (MB) vs all",
                      n, to["peak_mb"], tom["peak_mb"], to["peak_mb"] / tom["peak_mb"])]
            rows.append(("end to end through the store: process_corpus + trend table + term "
                         "frequency + topics (s)", n, store_e2e_seconds(f["store"]), None, None))
        rows += [("end to end (s)", n, f["end_to_end"]["seconds"], None, None),
                 ("peak memory, all processes, PSS (MB)", n, f["end_to_end"]["peak_rss_mb"],
                  None, None),
                 ("peak RSS, main process (MB)", n, f["end_to_end"]["max_rss_main_mb"], None, None)]
    for n, f in results.get("stored", {}).items():
        st, tr, fr, to = f["store"], f["trends"], f["frequency"], f["topics"]
        rows += [("load + tokens + facts, part by part into the store (s; store only)", n,
                  st["seconds"], None, None),
                 ("  the same, peak memory, all processes (MB)", n, st["peak_mb"], None, None),
                 ("trend table by place from the store (s, MB)", n, tr["seconds"], tr["peak_mb"],
                  None),
                 ("term frequency by year from the store (s, MB)", n, fr["seconds"],
                  fr["peak_mb"], None),
                 ("topics of the store, a sample of 50,000 paragraphs (s, MB)", n, to["seconds"],
                  to["peak_mb"], None),
                 ("end to end through the store: process_corpus + trend table + term "
                  "frequency + topics (s)", n, store_e2e_seconds(f), None, None)]
    if "real" in results:
        r = results["real"]
        rows += [("segmentation, 72 real reports, 1 process (MB/s)", "real", r["segment"]["fazhi_mb_s"],
                  r["segment"]["jieba_mb_s"], r["segment"]["speedup"]),
                 ("pipeline, 72 real reports (s) vs hand-written", "real", r["pipeline"]["seconds"],
                  r["pipeline"]["baseline_seconds"], r["pipeline"]["ratio"])]
    if "agreement" in results:
        a = results["agreement"]
        rows += [("segmentation, seeds, 1 process (MB/s)", "seeds", a["fazhi_mb_s"], a["jieba_mb_s"],
                  a["speedup"]),
                 ("agreement with jieba, all / kept tokens", "seeds", a["agreement_all"],
                  a["agreement_kept"], None)]
    if "render" in results:
        r = results["render"]
        rows.append((f"render {r['n_notebooks']} notebooks, warm (s) vs papermill CLI", "seeds",
                     r["render_seconds"], r["baseline_seconds"], r["ratio"]))
        rows.append((f"render {r['n_notebooks']} notebooks, cold (s) vs papermill CLI", "seeds",
                     r["render_cold_seconds"], r["baseline_seconds"], r["ratio_cold"]))
    cells = [[str(c) if not isinstance(c, float) else _fmt(c) for c in (x if x is not None else "" for x in row)]
             for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(5)]
    for i, r in enumerate(cells):
        print("  ".join(c.ljust(widths[j]) if j == 0 else c.rjust(widths[j]) for j, c in enumerate(r)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("\nside by side: fazhi end to end vs the hand-written pipeline (benchmarks/"
          "baseline_pipeline.py: jieba.lcut + Counter + TfidfVectorizer/NMF + regex), same files")
    print(f"  {'size':>7}  {'fazhi s':>8}  {'hand s':>8}  {'ratio':>6}  {'fazhi MB':>9}  "
          f"{'hand MB':>8}  distinct paragraphs (count / bytes)")
    for n, f in results["sizes"].items():
        p, d = f["pipeline"], f["distinct"]
        verdict = ("PASS" if p["ratio"] >= TARGETS["pipeline_speedup"] else "MISS") \
            if int(n) >= 10000 else "    "
        print(f"  {int(n):>7,}  {p['seconds']:>8.1f}  {p['baseline_seconds']:>8.1f}  "
              f"{p['ratio']:>5.2f}×  {p['peak_mb']:>9,.0f}  {p['baseline_peak_mb']:>8,.0f}  "
              f"{d['paragraphs']:.4f} / {d['bytes']:.4f}  {verdict}")
    print("  (the hand-written pipeline removes no boilerplate, infers no metadata, finds no "
          "sections and searches no k: a lower bound on fazhi's lead)")
    print("\nscaling: seconds and peak memory (all processes, PSS) per size")
    print(f"  {'size':>7}  {'load':>6}  {'tokens':>6}  {'topics':>6}  {'facts':>6}  "
          f"{'total':>7}  {'s/1k docs':>9}  {'peak MB':>8}  {'MB/1k docs':>10}")
    for n, f in results["sizes"].items():
        st, k = f["end_to_end"]["stages"], int(n) / 1000
        print(f"  {int(n):>7,}  {st['load']:>6.1f}  {st['tokens']:>6.1f}  {st['topics']:>6.1f}  "
              f"{st['facts']:>6.1f}  {st['total']:>7.1f}  {st['total'] / k:>9.1f}  "
              f"{f['end_to_end']['peak_rss_mb']:>8,.0f}  {f['end_to_end']['peak_rss_mb'] / k:>10,.0f}")
    print(f"\nload average before / after: {results['load_average_before'][0]:.1f} / "
          f"{results['load_average_after'][0]:.1f} on {results['machine']['cpus']} CPUs")
    print("targets (this machine)")
    for t in results["targets"]:
        print(f"  {'PASS' if t['pass'] else 'MISS'}  {t['name']}: {_fmt(t['value'])} (target {t['target']})")
    for n, f in results["sizes"].items():
        acc = ", ".join(f"{k} {v:.1%}" for k, v in f["metadata_accuracy"].items())
        print(f"metadata inferred = truth at {n}: {acc}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--store-sizes", type=int, nargs="+", default=[],
                        help="sizes measured through the store only (process_corpus and the "
                             "tables read back from it), e.g. 100000: the in-memory pipeline "
                             "would not fit")
    parser.add_argument("--quick", action="store_true", help="a 50-report smoke run")
    parser.add_argument("--skip", nargs="+", choices=SKIPPABLE, default=[])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--jieba-mb", type=float, default=3.0, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.workers, args.child_out, args.warm, args.jieba_mb)
        return 0
    sys.path.insert(0, str(HERE))
    sizes = [50] if args.quick else args.sizes
    jieba_mb = 0.1 if args.quick else args.jieba_mb
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()},
                     "workers": args.workers, "quick": args.quick,
                     "load_average_before": os.getloadavg(), "sizes": {}}
    for n in sizes:
        print(f"measuring {n} reports …", file=sys.stderr, flush=True)
        results["sizes"][str(n)] = measure_size(n, args.work, args.workers,
                                                "warm" not in args.skip, jieba_mb)
        if "store" not in args.skip:
            import store_memory
            import synth

            results["sizes"][str(n)]["store"] = store_memory.measure(
                synth.build_corpus(n, args.work / f"corpus_{n}"), args.work, args.workers)
    for n in args.store_sizes:
        import store_memory
        import synth

        print(f"measuring {n} reports through the store …", file=sys.stderr, flush=True)
        results.setdefault("stored", {})[str(n)] = store_memory.measure(
            synth.build_corpus(n, args.work / f"corpus_{n}"), args.work, args.workers,
            in_memory=False)
    if "real" not in args.skip and REAL_TEXT.is_file():
        print("the 72 real reports …", file=sys.stderr, flush=True)
        results["real"] = measure_real(REAL_TEXT, args.work, args.workers)
    if "agreement" not in args.skip:
        import segment_agreement

        results["agreement"] = segment_agreement.measure(copies=2 if args.quick else 20,
                                                         repeat=1 if args.quick else 3)
    if "render" not in args.skip:
        import render_bench

        print("rendering the notebooks …", file=sys.stderr, flush=True)
        results["render"] = render_bench.bench_render(workers=args.workers)
    # Other work on the machine slows every figure: say how busy it was.
    results["load_average_after"] = os.getloadavg()
    results["targets"] = _targets(results)
    print_table(results)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
