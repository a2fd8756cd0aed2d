"""Execute: the verb of batch rendering: every (notebook × parameter set) of a runs.yml, executed by papermill in
its own kernel and process, exported to self-contained HTML, tied together by an index page.

Parameter names are checked against each notebook's ``parameters`` cell before anything
runs, so a misspelt name fails that (run, notebook) instead of being silently ignored.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from ..exceptions import ParameterError, RenderError
from .config import Run, load_config
from .export import notebook_title
from .index import RenderReport, RenderResult, write_index
from .inspection import notebook_parameters
from .worker import Task, last_line, remove

logger = logging.getLogger(__name__)

KERNEL = "fazhi"
FALLBACK_KERNEL = "python3"


def choose_kernel(available: Iterable[str]) -> str:
    """The project's ``fazhi`` kernel if installed, else ``python3`` (with a warning).

    Examples
    --------
    >>> choose_kernel(["python3", "fazhi"])
    'fazhi'
    """
    available = set(available)
    if KERNEL in available:
        return KERNEL
    if FALLBACK_KERNEL in available:
        logger.warning(
            "fazhi: the Jupyter kernel %r is not installed; using %r. Install it with "
            "`bash scripts/bootstrap.sh` or `python -m ipykernel install --sys-prefix "
            "--name fazhi --display-name 'Python (fazhi)'`.", KERNEL, FALLBACK_KERNEL)
        return FALLBACK_KERNEL
    raise RenderError(f"no Jupyter kernel named {KERNEL!r} or {FALLBACK_KERNEL!r}; "
                      "run `bash scripts/bootstrap.sh` to install the fazhi kernel")


def installed_kernel() -> str:
    """The kernel notebooks are executed with: :func:`choose_kernel` among those installed.

    Examples
    --------
    >>> installed_kernel() in ("fazhi", "python3")
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager

    return choose_kernel(KernelSpecManager().find_kernel_specs())


def _plan(runs: list[Run], out: Path, path: Any, metadata: Any, kernel: str, no_input: bool,
          start_timeout: float) -> tuple[list[Task], list[RenderResult]]:
    """Tasks to execute, and the (run, notebook) pairs that already failed their checks."""
    tasks: list[Task] = []
    results: list[RenderResult] = []
    cli = {"corpus": path, "metadata": metadata}
    for run in runs:
        for notebook in run.notebooks:
            stem = notebook.stem
            ipynb, html = out / run.name / f"{stem}.ipynb", out / run.name / f"{stem}.html"
            tables = out / run.name / f"{stem}_tables"
            result = RenderResult(run.name, stem, "failed",
                                  paths={"ipynb": ipynb, "html": html, "tables": tables})
            results.append(result)
            params = {k: v for k, v in cli.items() if v is not None}
            params.update(run.parameters)
            try:
                declared = notebook_parameters(notebook)
                if unknown := [k for k in params if k not in declared]:
                    raise ParameterError(
                        f"unknown parameter(s) {', '.join(map(repr, unknown))} for {stem} "
                        f"(its parameters cell defines: {', '.join(declared) or 'nothing'})")
            except ParameterError as e:
                result.error = str(e)
                result.paths = {}
                # Files from an earlier render must not pass for this run's output.
                remove(ipynb, html, tables)
                continue
            if "output_dir" in declared and "output_dir" not in params:
                params["output_dir"] = str(tables)
            tasks.append(Task(run.name, notebook, params, ipynb, html, tables, kernel,
                               no_input, start_timeout))
    return tasks, results


def _run_task(task: Task) -> dict[str, Any]:
    """Execute ``task`` in a worker process of its own; see :mod:`fazhi.reports.worker`."""
    with tempfile.TemporaryDirectory(prefix="fazhi-render-") as tmp:
        task_file, result_file, log = (Path(tmp) / n for n in ("task.json", "result.json",
                                                                 "stderr.log"))
        task_file.write_text(task.to_json(), encoding="utf-8")
        # The kernel inherits this environment; a non-interactive MPLBACKEND (Agg, as test
        # suites and CI set) would stop ipykernel from choosing its inline backend and so
        # lose every plot.
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        with open(log, "wb") as err:  # kernel chatter would tear through the progress bar
            proc = subprocess.run(
                [sys.executable, "-m", "fazhi.reports.worker", str(task_file),
                 str(result_file), str(log)],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env, check=False)
        if result_file.is_file():
            return json.loads(result_file.read_text(encoding="utf-8"))
        said = last_line(log.read_text(encoding="utf-8", errors="replace"))
        return {"status": "failed",
                "error": f"worker process exited with code {proc.returncode}: {said}"}


def _corpus_summary(results: Iterable[RenderResult]) -> Any:
    """What a run covered, read from the ``documents`` table one of its notebooks saved
    (notebook 00 does): a :class:`~fazhi.analysis.documents.CorpusSummary`, or ``None`` if none did.

    Loading the corpus again here would double the loading time of a large corpus.
    """
    import pandas as pd

    from ..analysis.documents import CorpusSummary

    for r in results:
        csv = r.paths["tables"] / "documents.csv" if "tables" in r.paths else None
        if csv is None or not csv.is_file():
            continue
        try:
            docs = pd.read_csv(csv, usecols=["year", "place"], dtype={"place": str},
                               encoding="utf-8-sig")
        except (OSError, ValueError):  # unreadable, or another table by that name
            continue
        years = sorted({int(y) for y in docs["year"].dropna()})
        places = sorted({p for p in docs["place"].dropna() if p})
        return CorpusSummary(len(docs), tuple(years), tuple(places))
    return None


def render(path: str | Path | Sequence[str | Path] | None = None,
           config: str | Path | None = None,
           notebooks: Sequence[str | Path] | None = None,
           out: str | Path = "outputs",
           workers: int | None = None,
           no_input: bool = False,
           metadata: str | Path | None = None,
           *,
           start_timeout: float = 60,
           progress: bool | None = None) -> RenderReport:
    """Execute every (run, notebook) of ``config`` and write the reports under ``out``.

    Writes ``out/<run>/<notebook>.ipynb`` (executed, kept with its error if it failed),
    ``out/<run>/<notebook>.html`` (self-contained), ``out/<run>/<notebook>_tables/*.csv`` and
    ``out/index.html``. Every file is written under a temporary name and then renamed. The
    index shows the size, years and places of each run's corpus when one of its notebooks
    saved a ``documents`` table (notebook 00 does), and ``—`` otherwise.

    Parameters
    ----------
    path : folder or files of the corpus, passed to the notebooks as ``corpus``
        (``None``: the bundled seeds). A run's own ``corpus`` parameter wins.
    config : runs.yml (``None``: one run named ``seeds`` over every notebook).
    notebooks : names or paths replacing every run's notebook list.
    out : output folder.
    workers : notebooks executed at once (``None``: one per CPU).
    no_input : hide code cells in the HTML.
    metadata : sidecar metadata.csv, passed as ``metadata``.
    start_timeout : seconds a kernel may take to start; one that does not is retried once.
    progress : show a progress bar (``None``: when stderr is a terminal).

    Returns
    -------
    RenderReport
        ``.ok`` is False if any notebook failed; ``.failures`` names them.

    Raises
    ------
    ConfigError
        If the config or a notebook name is invalid (nothing is executed then).

    Examples
    --------
    >>> report = render(notebooks=["00"], out="outputs")  # doctest: +SKIP
    >>> report.ok  # doctest: +SKIP
    True
    """
    from tqdm import tqdm  # not tqdm.auto: it warns in Jupyter without ipywidgets

    start = time.perf_counter()
    out = Path(out).resolve()
    runs = load_config(config, notebooks)
    if isinstance(path, (list, tuple)):
        path = [str(Path(p).resolve()) for p in path]
        path = path[0] if len(path) == 1 else path
    elif path is not None:
        path = str(Path(path).resolve())
    metadata = str(Path(metadata).resolve()) if metadata is not None else None
    kernel = installed_kernel()
    tasks, results = _plan(runs, out, path, metadata, kernel, no_input, start_timeout)
    by_key = {(r.run, r.notebook): r for r in results}
    titles = {nb: notebook_title(nb) for run in runs for nb in run.notebooks}
    for run in runs:
        for nb in run.notebooks:
            by_key[(run.name, nb.stem)].title = titles[nb]

    if tasks:
        n = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
        # Threads only wait here: each notebook runs in a process of its own.
        with ThreadPoolExecutor(max_workers=n) as pool:
            futures = {pool.submit(_run_task, t): t for t in tasks}
            bar = tqdm(total=len(tasks), desc="fazhi render", unit="notebook", file=sys.stderr,
                       disable=None if progress is None else not progress)
            with bar:
                for future in as_completed(futures):
                    task = futures[future]
                    result = by_key[(task.run, task.notebook.stem)]
                    try:
                        outcome = future.result()
                    except Exception as e:  # the worker could not even start (no temp space, …)
                        outcome = {"status": "failed", "error": f"{type(e).__name__}: {e}"}
                    result.status = outcome["status"]
                    result.error = outcome.get("error", "")
                    result.duration = outcome.get("duration", 0.0)
                    result.attempts = outcome.get("attempts", 0)
                    result.paths = {k: p for k, p in result.paths.items() if p.exists()}
                    bar.set_postfix_str(f"{task.run}/{task.notebook.stem} {result.status}")
                    bar.update()

    corpora = {run.name: _corpus_summary(r for r in results if r.run == run.name)
               for run in runs}
    report = RenderReport(results, out, out / "index.html", kernel, runs=runs, corpora=corpora)
    report.duration = time.perf_counter() - start
    write_index(report)
    return report
