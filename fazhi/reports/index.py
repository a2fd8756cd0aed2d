"""The outcome of a render and its index page (``outputs/index.html``), which lists every run
and notebook with its status, duration, the corpus it covered and relative links."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._resources import DATA_DIR
from .._version import __version__
from ..exceptions import RenderError
from ..io import write_text
from .config import Run

STATUS_LABELS = {"ok": "成功 ok", "failed": "失败 failed"}


@dataclass
class RenderResult:
    """What happened to one (run, notebook): ``status`` is ``"ok"`` or ``"failed"``, ``error``
    the last line of the error, ``paths`` the files written (``ipynb``, ``html``, ``tables``)."""

    run: str
    notebook: str
    status: str
    duration: float = 0.0
    error: str = ""
    paths: dict[str, Path] = field(default_factory=dict)
    title: str = ""
    attempts: int = 0


@dataclass
class RenderReport:
    """The outcome of :func:`render`: one :class:`RenderResult` per (run, notebook)."""

    results: list[RenderResult]
    out: Path
    index: Path
    kernel: str
    duration: float = 0.0
    runs: list[Run] = field(default_factory=list)
    corpora: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[RenderResult]:
        """The results whose status is not ``"ok"``."""
        return [r for r in self.results if r.status != "ok"]

    @property
    def ok(self) -> bool:
        """Whether every notebook of every run rendered."""
        return not self.failures

    def raise_for_failures(self) -> None:
        """Raise :class:`~fazhi.exceptions.RenderError` naming every failed notebook."""
        if self.failures:
            lines = [f"{r.run}/{r.notebook}: {r.error}" for r in self.failures]
            raise RenderError(f"{len(lines)} notebook(s) failed:\n" + "\n".join(lines))


def _link(path: Path, out: Path) -> str:
    return Path(os.path.relpath(path, out)).as_posix()


def _index_context(report: RenderReport) -> dict[str, Any]:
    out = report.out
    runs = []
    for run in report.runs:
        rows = []
        for r in (r for r in report.results if r.run == run.name):
            tables = r.paths.get("tables")
            csvs = sorted(tables.glob("*.csv")) if tables and tables.is_dir() else []
            rows.append({
                "notebook": r.notebook, "title": r.title, "ok": r.status == "ok",
                "status": STATUS_LABELS.get(r.status, r.status), "error": r.error,
                "duration": f"{r.duration:.1f} s" if r.duration else "—",
                "html": _link(r.paths["html"], out) if "html" in r.paths else None,
                "ipynb": _link(r.paths["ipynb"], out) if "ipynb" in r.paths else None,
                "tables": [(p.stem, _link(p, out)) for p in csvs],
            })
        summary = report.corpora.get(run.name)
        runs.append({
            "name": run.name, "rows": rows,
            "parameters": ", ".join(f"{k} = {v!r}" for k, v in run.parameters.items()),
            "summary": None if isinstance(summary, str) else summary,
            "summary_error": summary if isinstance(summary, str) else None,
        })
    n_ok = sum(r.status == "ok" for r in report.results)
    return {
        "runs": runs, "n_ok": n_ok, "n_failed": len(report.results) - n_ok,
        "duration": f"{report.duration:.1f} s", "kernel": report.kernel, "version": __version__,
        "generated": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
    }


def write_index(report: RenderReport) -> Path:
    """Write ``report.index`` (``outputs/index.html``): every run and notebook with status,
    duration, the corpus it covered, and relative links, as one static page without external
    assets.

    Examples
    --------
    >>> import fazhi
    >>> write_index(fazhi.render(notebooks=["00"]))  # doctest: +SKIP
    PosixPath('/…/outputs/index.html')
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(DATA_DIR)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("render_index.html.j2").render(**_index_context(report))
    return write_text(report.index, html)
