"""One notebook in one process: ``python -m fazhi.reports.worker TASK.json RESULT.json LOG``.

``fazhi render`` starts one such process per notebook rather than a multiprocessing pool:
spawned pool workers re-import the caller's main module, so a plain script calling
``fazhi.render()`` without an ``if __name__ == "__main__"`` guard would start itself over.
The worker runs the notebook with papermill in its own kernel, keeps the executed copy (with
its error, if any), exports the HTML and writes what happened to RESULT.json.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nbformat


@dataclass(frozen=True)
class Task:
    """One (run, notebook) to execute, with where its files go."""

    run: str
    notebook: Path
    parameters: dict[str, Any]
    ipynb: Path
    html: Path
    tables: Path
    kernel: str
    no_input: bool
    start_timeout: float
    #: (staging folder, final folder): the files are written in the first and later moved to
    #: the second, so paths in the executed notebook are rewritten to the final ones.
    relocate: tuple[str, str] | None = None
    #: what made this report: corpus, fingerprint, fazhi version, parameters (shown at its end)
    provenance: dict[str, Any] | None = None
    #: False: the HTML leaves out the cells tagged ``answer`` (``fazhi render --no-answers``)
    answers: bool = True

    def to_json(self) -> str:
        # YAML can yield dates; they reach the notebook as ISO strings.
        return json.dumps(asdict(self), default=str, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Task:
        data = json.loads(text)
        for key in ("notebook", "ipynb", "html", "tables"):
            data[key] = Path(data[key])
        if data.get("relocate"):
            data["relocate"] = tuple(data["relocate"])
        return cls(**data)


def remove(*paths: Path) -> None:
    """Delete files or folders that may not exist."""
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)


def last_line(text: str) -> str:
    """The last non-blank line: what a traceback says went wrong."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _any_cell_ran(ipynb: Path) -> bool:
    try:
        nb = nbformat.read(str(ipynb), as_version=4)
    except Exception:  # missing or half-written: nothing ran that could be kept
        return False
    return any(c.get("execution_count") is not None for c in nb.cells if c.cell_type == "code")


def _papermill(task: Task, target: Path, log: Path | None = None) -> str:
    """Execute ``task.notebook`` into ``target``; return the error's last line, or ``""``."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    workdir = Path(tempfile.mkdtemp(prefix="fazhi-kernel-"))
    # Unix sockets in a folder of their own: no TCP ports, hence none of the port races
    # between kernels started at the same moment. Windows has no such sockets.
    transport = {"transport": "tcp"} if os.name == "nt" else {
        "transport": "ipc", "ip": str(workdir / "k")}
    try:
        pm.execute_notebook(
            str(task.notebook), str(target), parameters=task.parameters,
            kernel_name=task.kernel, progress_bar=False, cwd=str(task.notebook.parent),
            start_timeout=task.start_timeout, shutdown_kernel="immediate",
            config=Config({"KernelManager": transport}))
        return ""
    except PapermillExecutionError as e:
        return last_line(f"{e.ename}: {e.evalue}") or e.ename
    except Exception as e:  # the kernel did not start, died, or timed out
        said = log.read_text(encoding="utf-8", errors="replace") if log and log.is_file() else ""
        hint = f" (kernel: {last_line(said)})" if last_line(said) else ""
        return f"{type(e).__name__}: {last_line(str(e))}{hint}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def add_provenance(nb: nbformat.NotebookNode, provenance: dict[str, Any]) -> None:
    """End the notebook with what made it — corpus, fingerprint, fazhi version, parameters,
    date — as a Markdown cell and in its metadata (``metadata.fazhi``). Every value is
    escaped: a corpus folder's name is text, never markup."""
    import datetime as dt
    from html import escape

    made = {**provenance, "rendered": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    nb.metadata["fazhi"] = json.loads(json.dumps(made, default=str, ensure_ascii=False))
    params = {k: v for k, v in made.get("parameters", {}).items()
              if k not in ("out_dir", "output_dir")}
    rows = [("语料 Corpus", made.get("corpus", "")),
            ("指纹 Fingerprint", (made.get("fingerprint") or "")[:16]),
            ("文件 Files", made.get("files", "")),
            ("运行 Run", made.get("run", "")),
            ("参数 Parameters", ", ".join(f"{k} = {v!r}" for k, v in params.items()) or "默认 defaults"),
            ("fazhi", made.get("fazhi", "")),
            ("生成 Rendered", made["rendered"])]
    table = "\n".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
                      for k, v in rows)
    nb.cells.append(nbformat.v4.new_markdown_cell(
        "## 来源 Provenance\n\n本报告由以下语料和参数生成;指纹是输入文件与读取代码的哈希,"
        "相同指纹即相同语料。 This report was made from the corpus and parameters below; the "
        "fingerprint hashes the input files and the code that read them.\n\n"
        f"<table class=\"fazhi-provenance\">\n{table}\n</table>",
        metadata={"tags": ["fazhi-provenance"]}))


def _finish_notebook(tmp: Path, task: Task) -> None:
    """Check the executed notebook is whole, point its paths at their final folder, and
    only then give it its final name (a full disk must not leave a cut file there)."""
    text = tmp.read_text(encoding="utf-8")
    if task.relocate:
        staged, final = (json.dumps(p)[1:-1] for p in task.relocate)
        text = text.replace(staged, final)
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as e:
        raise OSError(errno.EIO, f"the executed notebook {task.ipynb.name} was cut short "
                                 f"while being written ({type(e).__name__}); the disk may be "
                                 "full", str(task.ipynb)) from None
    if task.provenance:
        add_provenance(nb, task.provenance)
        text = nbformat.writes(nb)
    from ..io import write_text

    write_text(task.ipynb, text)


def execute(task: Task, log: Path | None = None) -> dict[str, Any]:
    """Run one notebook and export it; return status, error, attempts and duration."""
    from ..io import is_output_fault, output_problem
    from .export import export_html, warm_up_exporter

    start = time.perf_counter()
    # This process only waits while the kernel works: meanwhile, get the exporter ready.
    warming = threading.Thread(target=warm_up_exporter, args=(task.no_input,), daemon=True)
    warming.start()
    remove(task.tables)
    task.ipynb.parent.mkdir(parents=True, exist_ok=True)
    tmp: Path | None = None
    fault = ""
    try:  # the temporary file goes on every path: success, error, dead kernel, Ctrl-C
        for attempts in (1, 2):
            # papermill saves after every cell; a temporary name keeps a half-run notebook
            # from passing for a finished one, and the suffix keeps papermill's format
            # detection happy.
            fd, name = tempfile.mkstemp(prefix=f".{task.ipynb.stem}.", suffix=".part.ipynb",
                                        dir=task.ipynb.parent)
            os.close(fd)
            tmp = Path(name)
            error = _papermill(task, tmp, log)
            # A kernel that failed before running a single cell is retried once.
            if not error or attempts == 2 or _any_cell_ran(tmp):
                break
            tmp.unlink(missing_ok=True)
        warming.join()
        try:
            if tmp.stat().st_size:
                _finish_notebook(tmp, task)  # kept on failure too: it shows where it stopped
                export_html(task.ipynb, task.html, no_input=task.no_input,
                            answers=task.answers)
            else:  # nothing ran: an earlier render's files must not pass for this one's
                remove(task.ipynb, task.html)
        except Exception as e:  # a broken export is this notebook's failure, not the batch's
            if is_output_fault(e) or getattr(e, "errno", None) == errno.EIO:
                fault = output_problem(task.ipynb.parent, e) if is_output_fault(e) else str(e)
            error = error or f"HTML export: {type(e).__name__}: {last_line(str(e))}"
            remove(task.ipynb, task.html)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    if not fault and "No space left on device" in error:
        fault = output_problem(task.ipynb.parent, OSError(errno.ENOSPC, "No space left"))
    return {"status": "failed" if error else "ok", "error": error, "attempts": attempts,
            "duration": time.perf_counter() - start, "fault": fault}


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    sys.exit(128 + signum)  # unwinds, so ``finally`` removes the temporary files


def main(argv: list[str]) -> int:
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    task_file, result_file, log = (Path(a) for a in argv)
    result = execute(Task.from_json(task_file.read_text(encoding="utf-8")), log)
    tmp = result_file.with_suffix(".part")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, result_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
