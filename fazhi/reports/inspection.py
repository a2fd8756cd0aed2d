"""Inspect a notebook before running it: the names its ``parameters`` cell assigns."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from ..exceptions import ParameterError


def notebook_parameters(notebook: str | Path) -> list[str]:
    """Names assigned in the notebook's cell tagged ``parameters``, in order.

    Raises
    ------
    ParameterError
        If the notebook has no ``parameters`` cell, or the cell is not valid Python.

    Examples
    --------
    >>> from fazhi._resources import notebooks_dir
    >>> names = notebook_parameters(notebooks_dir() / "00_corpus_overview.ipynb")
    >>> names[:2]
    ['corpus', 'metadata']
    """
    nb = nbformat.read(str(notebook), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise ParameterError(f"{notebook}: no cell is tagged 'parameters'")
    # IPython magics and shell escapes are not Python; they cannot assign parameters anyway.
    source = "\n".join(
        line for line in cells[0].source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ParameterError(f"{notebook}: the parameters cell is not valid Python: {e}") from None
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id not in names:
                    names.append(name.id)
    return names
