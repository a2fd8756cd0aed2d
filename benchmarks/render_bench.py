"""Time ``fazhi render`` on the seeds against the bare cost of papermill itself.

The baseline executes as many empty notebooks as there are seed notebooks, through papermill,
with the same number of worker processes and the same kernel: starting processes and kernels
is what any batch render pays, so the ratio measures what fazhi adds on top (the analyses in
the notebooks, HTML export, the index). Target: at most 2×.

Usage: ``.venv/bin/python benchmarks/render_bench.py [WORKERS]`` (default: 2).
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from fazhi.reports.config import available_notebooks
from fazhi.reports.execute import installed_kernel, render


def _empty_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nb.metadata["kernelspec"] = {"name": "fazhi", "display_name": "Python (fazhi)",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _papermill_one(notebook: str, kernel: str) -> None:
    import papermill as pm

    pm.execute_notebook(notebook, None, kernel_name=kernel, progress_bar=False,
                        shutdown_kernel="immediate")


def bench_render(workers: int = 2) -> dict:
    """Seconds to render every bundled notebook on the seeds, and to run as many empty
    notebooks through papermill with the same workers; ``ratio`` is the first over the second.
    ``cell_seconds`` is the time spent in the notebooks' own cells (summed over notebooks),
    the analysis work that no renderer can save.

    Examples
    --------
    >>> result = bench_render(workers=2)  # doctest: +SKIP
    >>> sorted(result)  # doctest: +SKIP
    ['baseline_seconds', 'cell_seconds', 'n_notebooks', 'ok', 'ratio', 'render_seconds', 'workers']
    """
    n = len(available_notebooks())
    kernel = installed_kernel()
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as tmp:
        empty = str(_empty_notebook(Path(tmp) / "empty.ipynb"))
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=min(workers, n), mp_context=context) as pool:
            list(pool.map(_papermill_one, [empty] * n, [kernel] * n))
        baseline = time.perf_counter() - start

        start = time.perf_counter()
        report = render(out=Path(tmp) / "outputs", workers=workers, progress=False)
        rendered = time.perf_counter() - start
        cells = sum(_cell_seconds(r.paths["ipynb"]) for r in report.results if "ipynb" in r.paths)
    return {"n_notebooks": n, "workers": workers, "ok": report.ok,
            "render_seconds": round(rendered, 2), "baseline_seconds": round(baseline, 2),
            "cell_seconds": round(cells, 2), "ratio": round(rendered / baseline, 2)}


def _cell_seconds(ipynb: Path) -> float:
    """Time the notebook's own cells took (papermill records it per cell)."""
    nb = nbformat.read(str(ipynb), as_version=4)
    return sum(c.metadata.get("papermill", {}).get("duration") or 0 for c in nb.cells)


def main(argv: list[str]) -> None:
    workers = int(argv[0]) if argv else 2
    r = bench_render(workers)
    print(f"render  {r['n_notebooks']} notebooks  {r['workers']} workers  "
          f"fazhi render {r['render_seconds']:6.2f} s  papermill on empty notebooks "
          f"{r['baseline_seconds']:6.2f} s  ratio {r['ratio']:.2f}× (target ≤ 2×); "
          f"the notebooks' own cells took {r['cell_seconds']:.2f} s in all"
          f"{'' if r['ok'] else '  (some notebooks failed)'}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
