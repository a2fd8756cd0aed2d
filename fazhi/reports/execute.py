"""Execute: the verb of batch rendering: every (notebook × parameter set) of a runs.yml, executed by papermill in
its own kernel and process, exported to self-contained HTML, tied together by an index page.

Parameter names are checked against each notebook's ``parameters`` cell before anything
runs, so a misspelt name fails that (run, notebook) instead of being silently ignored.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from .._version import __version__
from ..corpus.readers import OUTPUT_MARKER
from ..exceptions import ConfigError, OutputError, ParameterError, RenderError, RenderInterrupted
from ..io import output_problem, write_text
from .config import Run, load_config
from .export import notebook_title
from .index import RenderReport, RenderResult, write_index
from .inspection import NO_DEFAULT, notebook_defaults, notebook_parameters, parameter_problem
from .rundata import CorpusData, prepare_corpus
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


def _plan(runs: list[Run], staging: Path, out: Path, path: Any, metadata: Any, kernel: str,
          no_input: bool, start_timeout: float, data: dict[str, CorpusData] | None = None,
          answers: bool = True) -> tuple[list[Task], list[RenderResult]]:
    """Tasks to execute, every parameter of every (run, notebook) checked first.

    Raises
    ------
    ConfigError
        Listing every problem found (unknown parameter, a value of the wrong type, a corpus
        path that does not exist), each naming the run, the notebook, the parameter and the
        value — before any kernel starts.
    """
    tasks: list[Task] = []
    results: list[RenderResult] = []
    problems: list[str] = []
    cli = {"corpus": path, "metadata": metadata}
    for run in runs:
        for notebook in run.notebooks:
            stem = notebook.stem
            final = out / run.name
            result = RenderResult(run.name, stem, "failed", paths={
                "ipynb": final / f"{stem}.ipynb", "html": final / f"{stem}.html",
                "tables": final / f"{stem}_tables"})
            results.append(result)
            params = {k: v for k, v in cli.items() if v is not None}
            params.update(run.parameters)
            where = f"run {run.name!r}, notebook {stem}"
            try:
                declared = notebook_parameters(notebook)
                defaults = notebook_defaults(notebook)
            except ParameterError as e:
                problems.append(f"{where}: {e}")
                continue
            if unknown := [k for k in params if k not in declared]:
                problems.append(
                    f"{where}: unknown parameter(s) {', '.join(map(repr, unknown))} "
                    f"(its parameters cell defines: {', '.join(declared) or 'nothing'})")
            for name, value in params.items():
                if name in declared and (why := parameter_problem(name, value, defaults.get(
                        name, NO_DEFAULT))):
                    problems.append(f"{where}: parameter {name} = {value!r}: {why}")
            for name in ("corpus", "metadata"):
                value = params.get(name)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and not Path(item).exists():
                        problems.append(f"{where}: parameter {name} = {item!r}: no such file "
                                        "or folder")
            stage = staging / run.name
            ipynb, html, tables = (stage / f"{stem}.ipynb", stage / f"{stem}.html",
                                   stage / f"{stem}_tables")
            provenance = {"run": run.name, "notebook": stem, "parameters": dict(params),
                          "fazhi": __version__}
            run_data = (data or {}).get(run.name)
            if run_data is not None:
                provenance.update(corpus=run_data.source, fingerprint=run_data.fingerprint,
                                  files=run_data.n_files, each=run.each)
                if "corpus" in declared:  # read the corpus loaded once for every notebook
                    params["corpus"] = str(run_data.store)
                    params.pop("metadata", None)
            for key in ("out_dir", "output_dir"):
                if key in declared and key not in params:
                    params[key] = str(tables)
            if not answers and "answers" in declared:
                params.setdefault("answers", False)
            tasks.append(Task(run.name, notebook, params, ipynb, html, tables, kernel,
                              no_input, start_timeout, relocate=(str(stage), str(final)),
                              provenance=provenance, answers=answers))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise ConfigError(f"{len(unique)} problem(s) found before rendering; nothing was "
                          "run:\n  " + "\n  ".join(unique))
    return tasks, results


class _Workers:
    """The worker processes of one render, so that Ctrl-C can stop every one of them."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen] = set()

    def run(self, task: Task) -> dict[str, Any]:
        """Execute ``task`` in a worker process of its own; see :mod:`fazhi.reports.worker`."""
        if self.stopping.is_set():
            return {"status": "interrupted", "error": ""}
        with tempfile.TemporaryDirectory(prefix="fazhi-render-") as tmp:
            task_file, result_file, log = (Path(tmp) / n for n in ("task.json", "result.json",
                                                                     "stderr.log"))
            task_file.write_text(task.to_json(), encoding="utf-8")
            # The kernel inherits this environment; a non-interactive MPLBACKEND (Agg, as test
            # suites and CI set) would stop ipykernel from choosing its inline backend and so
            # lose every plot.
            env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
            with open(log, "wb") as err:  # kernel chatter would tear through the progress bar
                # A session of its own: Ctrl-C reaches only this process, which then stops
                # the worker and its kernel together (see stop()).
                proc = subprocess.Popen(
                    [sys.executable, "-m", "fazhi.reports.worker", str(task_file),
                     str(result_file), str(log)],
                    stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env,
                    start_new_session=os.name != "nt")
                with self._lock:
                    self._procs.add(proc)
                try:
                    proc.wait()
                finally:
                    with self._lock:
                        self._procs.discard(proc)
            if self.stopping.is_set():
                return {"status": "interrupted", "error": ""}
            if result_file.is_file():
                return json.loads(result_file.read_text(encoding="utf-8"))
            said = last_line(log.read_text(encoding="utf-8", errors="replace"))
            return {"status": "failed",
                    "error": f"worker process exited with code {proc.returncode}: {said}"}

    def stop(self, grace: float = 5.0) -> None:
        """Stop every running worker and its kernel: SIGTERM, then SIGKILL after ``grace``."""
        self.stopping.set()
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        if os.name == "nt":
            proc.kill()
        else:
            os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _prepare_out(out: Path) -> None:
    """Make ``out`` a writable output folder, marked as fazhi's, or fail with OutputError."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: the output folder is an existing file; choose a folder "
                          "with --out-dir")
    try:
        out.mkdir(parents=True, exist_ok=True)
        marker = out / OUTPUT_MARKER
        if not marker.exists():
            write_text(marker, "This folder was written by `fazhi render`; fazhi never reads "
                               "it back as a corpus.\n")
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(output_problem(out, e)) from None


def _install(results: list[RenderResult], staging: Path, out: Path) -> None:
    """Move the finished notebooks' files from ``staging`` to their final names under ``out``.

    For each notebook the executed copy, its HTML and its tables replace the earlier ones
    together; a file this render did not produce (no HTML after a failure) is removed, so an
    earlier render's file never passes for this one's.
    """
    for r in results:
        stage = staging / r.run
        for final in r.paths.values():
            staged = stage / final.name
            if final.is_dir() and staged.exists():
                old = final.with_name(f".old-{final.name}-{os.getpid()}")
                os.replace(final, old)
                os.replace(staged, final)
                shutil.rmtree(old, ignore_errors=True)
            elif staged.exists():
                final.parent.mkdir(parents=True, exist_ok=True)
                if final.is_dir():
                    shutil.rmtree(final)
                os.replace(staged, final)
            else:
                remove(final)
        r.paths = {k: p for k, p in r.paths.items() if p.exists()}


_FOLDER_UNSAFE = re.compile(r"[^\w.-]+")


def _run_name_for(source: Any) -> str:
    """A run named after its corpus: the folder's or file's name (``seeds`` for the seeds)."""
    if source is None or isinstance(source, list):
        return "seeds" if source is None else "corpus"
    p = Path(source)
    name = _FOLDER_UNSAFE.sub("-", p.stem if p.is_file() else p.name).strip("-.") or "corpus"
    return name if name.lower() not in ("index", "index.html") else f"{name}-corpus"


def _prepare_runs(runs: list[Run], path: Any, metadata: Any, each: str | None,
                  workers: int | None, default_config: bool
                  ) -> tuple[list[Run], dict[str, CorpusData]]:
    """Load every corpus the runs need once, and fan out the runs that have ``each``."""
    from ..corpus.model import DOC_COLUMNS

    loaded: dict[str, CorpusData] = {}
    data: dict[str, CorpusData] = {}
    expanded: list[Run] = []
    for run in runs:
        source = run.parameters.get("corpus", path)
        side = run.parameters.get("metadata", metadata)
        key = json.dumps([source, side])
        if key not in loaded:
            loaded[key] = prepare_corpus(source, side, workers)
        corpus = loaded[key]
        if default_config and source is not None:
            run = Run(_run_name_for(source), run.parameters, run.notebooks, run.each)
        column = each or run.each
        if column is None:
            expanded.append(run)
            data[run.name] = corpus
            continue
        if column not in DOC_COLUMNS or column in ("text", "path", "doc_id"):
            raise ConfigError(f"run {run.name!r}: each={column!r} is not a docs column to split "
                              f"by (try province, city, county, year, organ, level)")
        from ..corpus.store import read_table

        values = sorted({str(v) for v in read_table(corpus.store, "docs", [column])[column]
                         if str(v) not in ("", "<NA>", "nan")})
        if not values:
            raise ConfigError(f"run {run.name!r}: no document has a {column}")
        for value in values:
            folder = _FOLDER_UNSAFE.sub("-", value)
            child = Run(f"{run.name}/{folder}", run.parameters, run.notebooks, column,
                        parent=run.name)
            expanded.append(child)
            data[child.name] = corpus.subset(column, value)
    return expanded, data


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
           each: str | None = None,
           answers: bool = True,
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
    workers : notebooks executed at once, each in a kernel of its own (``None``: one at a
        time, as everywhere in fazhi; the CLI's ``--workers`` defaults to the CPU count).
    no_input : hide code cells in the HTML.
    answers : False leaves the exercises' answers out: notebooks that declare an ``answers``
        parameter get ``answers=False``, and cells tagged ``answer`` are removed from the HTML
        (a handout for students; ``fazhi render --no-answers``).
    metadata : sidecar metadata.csv, passed as ``metadata``.
    each : a docs column (``province``, ``city``, ``year``, ``organ``, ``level`` …): every run
        renders one report set per value of it, under ``out/<run>/<value>/`` (as a run's
        ``each:`` key in runs.yml does).
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
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool)
                                or workers < 1):
        raise ParameterError(f"workers must be a positive integer (kernels at once) or None, "
                             f"got {workers!r}")
    out = Path(out).resolve()
    runs = load_config(config, notebooks)
    if isinstance(path, (list, tuple)):
        path = [str(Path(p).resolve()) for p in path]
        path = path[0] if len(path) == 1 else path
    elif path is not None:
        path = str(Path(path).resolve())
    metadata = str(Path(metadata).resolve()) if metadata is not None else None
    kernel = installed_kernel()
    _prepare_out(out)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    interrupted = False
    try:
        _plan(runs, staging, out, path, metadata, kernel, no_input, start_timeout,
              answers=answers)  # checks
        runs, data = _prepare_runs(runs, path, metadata, each, workers, config is None)
        tasks, results = _plan(runs, staging, out, None, None, kernel, no_input,
                               start_timeout, data, answers=answers)
        by_key = {(r.run, r.notebook): r for r in results}
        titles = {nb: notebook_title(nb) for run in runs for nb in run.notebooks}
        for run in runs:
            for nb in run.notebooks:
                by_key[(run.name, nb.stem)].title = titles[nb]
        faults: list[str] = []
        done: set[tuple[str, str]] = set()
        procs = _Workers()
        # Threads only wait here: each notebook runs in a process of its own.
        pool = ThreadPoolExecutor(max_workers=max(1, min(workers or 1, len(tasks) or 1)))
        try:
            futures = {pool.submit(procs.run, t): t for t in tasks}
            bar = tqdm(total=len(tasks), desc="fazhi render", unit="notebook", file=sys.stderr,
                       disable=None if progress is None else not progress)
            with bar:
                for future in as_completed(futures):
                    task = futures[future]
                    result = by_key[(task.run, task.notebook.stem)]
                    if future.cancelled():
                        continue
                    try:
                        outcome = future.result()
                    except Exception as e:  # the worker could not even start (no temp space, …)
                        outcome = {"status": "failed", "error": f"{type(e).__name__}: {e}"}
                    result.status = outcome["status"]
                    result.error = outcome.get("error", "")
                    result.duration = outcome.get("duration", 0.0)
                    result.attempts = outcome.get("attempts", 0)
                    if outcome.get("fault"):
                        faults.append(outcome["fault"])
                    if result.status != "interrupted":
                        done.add((task.run, task.notebook.stem))
                    bar.set_postfix_str(f"{task.run}/{task.notebook.stem} {result.status}")
                    bar.update()
        except KeyboardInterrupt:
            interrupted = True
            for future in futures:
                future.cancel()
            procs.stop()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if faults:
            raise OutputError(faults[0])
        # Only a run whose every notebook ended replaces the earlier render's files; an
        # interrupted run leaves them as they were, and the index says so.
        finished = {run.name for run in runs
                    if all((run.name, nb.stem) in done for nb in run.notebooks)}
        for r in results:
            if r.run not in finished:
                r.status, r.error = "interrupted", (
                    "中断 interrupted: rendered, but its run did not finish, so it was not kept"
                    if (r.run, r.notebook) in done else "中断 interrupted: not rendered")
        try:
            _install([r for r in results if r.run in finished], staging, out)
        except OSError as e:
            raise OutputError(output_problem(out, e)) from None
        for r in results:
            if r.run not in finished:  # the earlier render's files are left as they were
                r.paths = {k: p for k, p in r.paths.items() if p.exists()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    corpora = {run.name: data[run.name].summary if run.name in data else
               _corpus_summary(r for r in results if r.run == run.name) for run in runs}
    report = RenderReport(results, out, out / "index.html", kernel, runs=runs, corpora=corpora,
                          data=data)
    report.duration = time.perf_counter() - start
    try:
        write_index(report)
    except OSError as e:
        raise OutputError(output_problem(out, e)) from None
    if interrupted:
        raise RenderInterrupted(report)
    return report
