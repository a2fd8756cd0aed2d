"""Export: one self-contained HTML page per executed notebook (images embedded, no CDN)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import nbformat

from .._resources import data_path
from ..io import write_text


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


#: cells with this tag hold an exercise's answer; ``answers=False`` leaves them out
ANSWER_TAG = "answer"


def export_html(notebook: str | Path, target: str | Path, no_input: bool = False,
                answers: bool = True) -> Path:
    """Export an executed notebook to one HTML file readable offline, written atomically.

    Plots are embedded as data URIs and the page loads nothing from the network (see
    ``fazhi/data/templates/fazhi_report``). ``no_input=True`` hides the code cells;
    ``answers=False`` removes every cell tagged ``answer`` (the exercises' answers), code and
    output, for a handout.

    Examples
    --------
    >>> export_html("outputs/seeds/00_corpus_overview.ipynb",
    ...             "outputs/seeds/00_corpus_overview.html")  # doctest: +SKIP
    PosixPath('outputs/seeds/00_corpus_overview.html')
    """
    nb = _read(notebook)
    resources = {"metadata": {"name": notebook_title(nb) or Path(notebook).stem,
                              "path": str(Path(notebook).parent)}}
    if not answers:
        nb = without_answers(nb)
    body, _ = _exporter(no_input).from_notebook_node(nb, resources=resources)
    return write_text(target, body)


def without_answers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cells tagged ``answer`` (nbconvert's
    TagRemovePreprocessor, which removes a whole cell by tag).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("练习 1"),
    ...     nbformat.v4.new_code_cell("42", metadata={"tags": ["answer"]})])
    >>> [c.source for c in without_answers(nb).cells]
    ['练习 1']
    """
    import copy

    from nbconvert.preprocessors import TagRemovePreprocessor

    pre = TagRemovePreprocessor(remove_cell_tags={ANSWER_TAG}, enabled=True)
    out, _ = pre.preprocess(copy.deepcopy(nb), {})
    return out


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
