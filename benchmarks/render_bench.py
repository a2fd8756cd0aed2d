"""Time ``fazhi render`` on the seeds against the bare cost of papermill itself.

The baseline is papermill's own CLI executing as many empty notebooks as there are seed
notebooks, the same number at a time and with the same kernel, clocked from the first
command's start to the last one's exit, as ``fazhi render`` is: starting processes and kernels
is what any batch render pays, so the ratio measures what fazhi adds on top (the analyses in
the notebooks, HTML export, the index). Targets: at most 2× with fazhi's
caches warm (tokens, facts; fresh kernels), at most 4× cold.

Usage: ``.venv/bin/python benchmarks/render_bench.py [WORKERS]`` (default: 2).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from fazhi.reports.config import available_notebooks
from fazhi.reports.execute import installed_kernel


def _empty_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nb.metadata["kernelspec"] = {"name": "fazhi", "display_name": "Python (fazhi)",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _clocked(commands: list[list[str]], workers: int, env: dict) -> tuple[float, bool]:
    """Seconds from the first command's start to the last one's exit, ``workers`` at a time."""
    start = time.perf_counter()
    ok = True
    running: list[subprocess.Popen] = []
    for cmd in commands:
        while len(running) >= workers:
            ok &= running.pop(0).wait() == 0
        running.append(subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
    for proc in running:
        ok &= proc.wait() == 0
    return time.perf_counter() - start, ok


def bench_render(workers: int = 2) -> dict:
    """``fazhi render`` of every bundled notebook on the seeds against papermill's own CLI
    running as many empty notebooks, ``workers`` at a time, each clocked from the command's
    start to its exit. ``cold``: fazhi's caches empty; ``warm``: the same command again with
    the caches the cold run filled (fresh kernels, nothing else reused). ``cell_seconds`` is
    the time in the notebooks' own cells (summed, warm run).

    Examples
    --------
    >>> result = bench_render(workers=2)  # doctest: +SKIP
    >>> result["ratio_warm"] <= 2  # doctest: +SKIP
    True
    """
    n = len(available_notebooks())
    kernel = installed_kernel()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as tmp:
        tmp_path = Path(tmp)
        empty = str(_empty_notebook(tmp_path / "empty.ipynb"))
        env = {**os.environ, "FAZHI_CACHE_DIR": str(tmp_path / "cache"), "TQDM_DISABLE": "1"}
        baseline, base_ok = _clocked(
            [[str(bin_dir / "papermill"), empty, str(tmp_path / f"empty_{i}.ipynb"), "-k", kernel,
              "--no-progress-bar"] for i in range(n)], workers, env)
        runs = {}
        for label in ("cold", "warm"):
            out = tmp_path / f"outputs_{label}"
            runs[label] = _clocked([[str(bin_dir / "fazhi"), "render", "seeds", "--out", str(out),
                                     "--workers", str(workers)]], 1, env)
        cells = sum(_cell_seconds(p) for p in (tmp_path / "outputs_warm").rglob("*.ipynb"))
    return {"n_notebooks": n, "workers": workers,
            "ok": base_ok and runs["cold"][1] and runs["warm"][1],
            "render_seconds": round(runs["warm"][0], 2),
            "render_cold_seconds": round(runs["cold"][0], 2),
            "baseline_seconds": round(baseline, 2), "cell_seconds": round(cells, 2),
            "ratio": round(runs["warm"][0] / baseline, 2),
            "ratio_cold": round(runs["cold"][0] / baseline, 2)}


def _cell_seconds(ipynb: Path) -> float:
    """Time the notebook's own cells took (papermill records it per cell)."""
    nb = nbformat.read(str(ipynb), as_version=4)
    return sum(c.metadata.get("papermill", {}).get("duration") or 0 for c in nb.cells)


def main(argv: list[str]) -> None:
    workers = int(argv[0]) if argv else 2
    r = bench_render(workers)
    print(f"render  {r['n_notebooks']} notebooks  {r['workers']} workers  "
          f"fazhi render warm {r['render_seconds']:6.2f} s, cold {r['render_cold_seconds']:6.2f} s  "
          f"papermill CLI on empty notebooks {r['baseline_seconds']:6.2f} s  ratio warm "
          f"{r['ratio']:.2f}× (target ≤ 2×), cold {r['ratio_cold']:.2f}× (target ≤ 4×); "
          f"the notebooks' own cells took {r['cell_seconds']:.2f} s in all"
          f"{'' if r['ok'] else '  (some notebooks failed)'}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
