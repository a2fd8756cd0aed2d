"""HTML for the rendered reports: one self-contained page per executed notebook, and the index
page (``outputs/index.html``) that lists every run and notebook with its status and links."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from . import __version__
from ._resources import DATA_DIR, data_path
from .io import write_text

if TYPE_CHECKING:
    from .render import RenderReport

STATUS_LABELS = {"ok": "成功 ok", "failed": "失败 failed"}


def _read(notebook: str | Path | nbformat.NotebookNode) -> nbformat.NotebookNode:
    if isinstance(notebook, nbformat.NotebookNode):
        return notebook
    return nbformat.read(str(notebook), as_version=4)


def notebook_title(notebook: str | Path | nbformat.NotebookNode) -> str:
    """The first Markdown heading of the notebook, else its file name.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 语料概览 Overview")])
    >>> notebook_title(nb)
    '语料概览 Overview'
    """
    nb = _read(notebook)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return Path(notebook).stem if isinstance(notebook, (str, Path)) else ""


def export_html(notebook: str | Path, target: str | Path, no_input: bool = False) -> Path:
    """Export an executed notebook to one HTML file readable offline, written atomically.

    Plots are embedded as data URIs and the page loads nothing from the network (see
    ``fazhi/data/templates/fazhi_report``). ``no_input=True`` hides the code cells.

    Examples
    --------
    >>> export_html("outputs/seeds/00_corpus_overview.ipynb",
    ...             "outputs/seeds/00_corpus_overview.html")  # doctest: +SKIP
    PosixPath('outputs/seeds/00_corpus_overview.html')
    """
    nb = _read(notebook)
    resources = {"metadata": {"name": notebook_title(nb) or Path(notebook).stem,
                              "path": str(Path(notebook).parent)}}
    body, _ = _exporter(no_input).from_notebook_node(nb, resources=resources)
    return write_text(target, body)


@functools.cache
def _exporter(no_input: bool) -> Any:
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="fazhi_report", extra_template_basedirs=[str(data_path("templates"))],
        embed_images=True, language_code="zh", exclude_input=no_input,
        exclude_input_prompt=no_input, exclude_output_prompt=no_input)


def warm_up_exporter(no_input: bool = False) -> None:
    """Import nbconvert and compile the template ahead of the first export (about half a
    second), so a worker can do it while its kernel is busy running the notebook."""
    _exporter(no_input).from_notebook_node(nbformat.v4.new_notebook())


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
    >>> from fazhi.render import render
    >>> write_index(render(notebooks=["00"]))  # doctest: +SKIP
    PosixPath('/…/outputs/index.html')
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(DATA_DIR)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("render_index.html.j2").render(**_index_context(report))
    return write_text(report.index, html)
