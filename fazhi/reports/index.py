"""The outcome of a render and its index page (``outputs/index.html``), which lists every run
and notebook with its status, duration, the corpus it covered and relative links."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._resources import DATA_DIR
from .._version import __version__
from ..exceptions import RenderError
from ..io import write_text
from .config import Run

STATUS_LABELS = {"ok": "成功 ok", "failed": "失败 failed", "interrupted": "中断 interrupted"}


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
    #: the CorpusData of each run: source, fingerprint, files
    data: dict[str, Any] = field(default_factory=dict)

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


def _run_entries(report: RenderReport) -> list[dict[str, Any]]:
    """This render's runs as the index shows them (plain data: kept between renders)."""
    out = report.out
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()
    runs = []
    for run in report.runs:
        rows = []
        for r in (r for r in report.results if r.run == run.name):
            tables = r.paths.get("tables")
            csvs = sorted(tables.glob("*.csv")) if tables and tables.is_dir() else []
            rows.append({
                "notebook": r.notebook, "title": r.title, "ok": r.status == "ok",
                "state": r.status, "status": STATUS_LABELS.get(r.status, r.status),
                "error": r.error,
                "duration": f"{r.duration:.1f} s" if r.duration else "—",
                "html": _link(r.paths["html"], out) if "html" in r.paths else None,
                "ipynb": _link(r.paths["ipynb"], out) if "ipynb" in r.paths else None,
                "tables": [(p.stem, _link(p, out)) for p in csvs],
            })
        summary = report.corpora.get(run.name)
        data = report.data.get(run.name)
        runs.append({
            "name": run.name, "rows": rows, "generated": generated,
            "parent": run.parent, "each": run.each,
            "label": run.name.split("/", 1)[1] if run.parent else run.name,
            "corpus": data.source if data else None, "files": data.n_files if data else None,
            "fingerprint": data.fingerprint[:16] if data else None, "version": __version__,
            "parameters": ", ".join(f"{k} = {v!r}" for k, v in run.parameters.items()),
            "summary": None if summary is None or isinstance(summary, str) else {
                "n_documents": summary.n_documents, "years_label": summary.years_label,
                "places_label": summary.places_label},
            "summary_error": summary if isinstance(summary, str) else None,
        })
    return runs


def _merge(earlier: list[dict[str, Any]], now: list[dict[str, Any]], out: Path
           ) -> list[dict[str, Any]]:
    """The runs of earlier renders into this ``out``, updated with this render's.

    A notebook this render did not finish (interrupted) keeps the earlier render's entry and
    links, marked as interrupted; runs whose folder is gone are dropped.
    """
    merged = {r["name"]: r for r in earlier if (out / r["name"]).is_dir()}
    # a run rendered again with each= replaces its earlier children, and the other way round
    fanned = {r["parent"] for r in now if r.get("parent")}
    plain = {r["name"] for r in now if not r.get("parent")}
    merged = {k: v for k, v in merged.items()
              if v.get("parent") not in plain and not (k in fanned and not v.get("parent"))}
    for run in now:
        before = {row["notebook"]: row for row in merged.get(run["name"], {}).get("rows", [])}
        rows = []
        for row in run["rows"]:
            old = before.get(row["notebook"])
            if row["state"] == "interrupted" and old and old.get("html"):
                row = {**old, "ok": False, "state": "interrupted",
                       "status": STATUS_LABELS["interrupted"],
                       "error": f"中断 interrupted: the report linked is the earlier render "
                                f"of {merged[run['name']].get('generated', '?')}"}
            rows.append(row)
        listed = {row["notebook"] for row in rows}
        # notebooks rendered earlier into this run and not named this time stay listed
        rows += [row for name, row in before.items() if name not in listed]
        merged[run["name"]] = {**run, "rows": rows}
    return list(merged.values())


def _index_context(runs: list[dict[str, Any]], report: RenderReport) -> dict[str, Any]:
    runs = sorted(runs, key=lambda r: (r.get("parent") or r["name"], r.get("parent") is not None,
                                       r["name"]))
    rows = [row for run in runs for row in run["rows"]]
    n_ok = sum(row["ok"] for row in rows)
    return {
        "runs": runs, "n_ok": n_ok, "n_failed": len(rows) - n_ok,
        "duration": f"{report.duration:.1f} s", "kernel": report.kernel, "version": __version__,
        "generated": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip(),
    }


@contextlib.contextmanager
def _locked(out: Path):
    """Hold ``out``'s index lock: renders sharing one folder update its index in turn."""
    lock = out / ".fazhi-index.lock"
    with open(lock, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; renders there run one at a time
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_index(report: RenderReport) -> Path:
    """Write ``report.index`` (``outputs/index.html``): every run and notebook with status,
    duration, the corpus it covered, and relative links, as one static page without external
    assets.

    The page lists the runs of earlier renders into the same folder too: their state is kept
    in ``.fazhi-index.json`` next to it, read and rewritten under a lock, so two renders into
    one folder at once both end up in the index.

    Examples
    --------
    >>> import fazhi
    >>> write_index(fazhi.render(notebooks=["00"]))  # doctest: +SKIP
    PosixPath('/…/outputs/index.html')
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(DATA_DIR)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    out = report.index.parent
    state = out / ".fazhi-index.json"
    with _locked(out):
        try:
            earlier = json.loads(state.read_text(encoding="utf-8")).get("runs", [])
        except (OSError, ValueError, AttributeError):  # none yet, or unreadable: start anew
            earlier = []
        runs = _merge(earlier, _run_entries(report), out)
        html = env.get_template("render_index.html.j2").render(**_index_context(runs, report))
        write_text(state, json.dumps({"runs": runs}, ensure_ascii=False, indent=1))
        return write_text(report.index, html)
