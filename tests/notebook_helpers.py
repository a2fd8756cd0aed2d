"""Small notebooks and render configs written on the fly by the render tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def write_notebook(path: Path, title: str, parameters: str | None, *cells: str) -> Path:
    nb = new_notebook()
    nb.cells.append(new_markdown_cell(f"# {title}"))
    if parameters is not None:
        params = new_code_cell(parameters)
        params.metadata["tags"] = ["parameters"]
        nb.cells.append(params)
    nb.cells.extend(new_code_cell(c) for c in cells)
    nb.metadata["kernelspec"] = {"name": "fazhi", "display_name": "Python (fazhi)",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def write_config(folder: Path, text: str) -> Path:
    path = folder / "runs.yml"
    path.write_text(text, encoding="utf-8")
    return path
