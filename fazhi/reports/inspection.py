"""Inspect a notebook before running it: the names its ``parameters`` cell assigns, their
defaults, and whether a value given for one can work (checked before any kernel starts)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import nbformat

from ..exceptions import ParameterError


def _parameters_tree(notebook: str | Path) -> ast.Module:
    nb = nbformat.read(str(notebook), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise ParameterError(f"{notebook}: no cell is tagged 'parameters'")
    # IPython magics and shell escapes are not Python; they cannot assign parameters anyway.
    source = "\n".join(
        line for line in cells[0].source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )
    try:
        return ast.parse(source)
    except SyntaxError as e:
        raise ParameterError(f"{notebook}: the parameters cell is not valid Python: {e}") from None


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
    tree = _parameters_tree(notebook)
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id not in names:
                    names.append(name.id)
    return names


#: the default of a parameter whose default is no literal: any value goes
NO_DEFAULT = object()


def notebook_defaults(notebook: str | Path) -> dict[str, Any]:
    """Each parameter's default value, when it is a literal (else a marker: any value goes).

    Examples
    --------
    >>> from fazhi._resources import notebooks_dir
    >>> notebook_defaults(notebooks_dir() / "00_corpus_overview.ipynb")["years"] is None
    True
    """
    defaults: dict[str, Any] = {}
    for node in _parameters_tree(notebook).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
        else:
            continue
        try:
            defaults[name] = ast.literal_eval(value) if value is not None else None
        except ValueError:
            defaults[name] = NO_DEFAULT
    return defaults


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _str_or_list_of_str(v: Any) -> bool:
    return isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


# Parameters shared by the notebooks, whose default (None) says nothing of their type.
_SHARED: dict[str, tuple[Any, str]] = {
    "corpus": (lambda v: v is None or _str_or_list_of_str(v),
               "a folder or file path, or a list of them"),
    "metadata": (lambda v: v is None or isinstance(v, str), "a path to a metadata.csv"),
    "years": (lambda v: v is None or _is_int(v) or (isinstance(v, list) and v
                                                    and all(_is_int(x) for x in v)),
              "a year or a list of years, as integers (e.g. [2020, 2021])"),
    "places": (lambda v: v is None or _str_or_list_of_str(v),
               "a place name or a list of them (e.g. [\"广东省\"])"),
    "out_dir": (lambda v: v is None or isinstance(v, str), "a folder path"),
    "output_dir": (lambda v: v is None or isinstance(v, str), "a folder path"),
    "n_topics": (lambda v: v is None or (_is_int(v) and v >= 1), "an integer ≥ 1, or None"),
    "workers": (lambda v: v is None or (_is_int(v) and v >= 1), "an integer ≥ 1, or None"),
    "k_range": (lambda v: isinstance(v, list) and len(v) == 2 and all(_is_int(x) and x >= 1
                                                                       for x in v) and v[0] <= v[1],
                "two integers [low, high] with 1 ≤ low ≤ high"),
    "indicators": (lambda v: v is None or _str_or_list_of_str(v),
                   "an indicator name or a list of them"),
}


def parameter_problem(name: str, value: Any, default: Any = NO_DEFAULT) -> str | None:
    """Why ``value`` cannot work for the parameter ``name`` (default ``default``), or None.

    Shared parameters (``years``, ``places``, ``corpus``, ``n_topics`` …) have their own rule;
    any other takes the type of its default: an integer default wants an integer (≥ 1 where
    the default is ≥ 1, ≥ 0 where it is ≥ 0), a string a string, a list a list, True/False a bool.

    Examples
    --------
    >>> parameter_problem("years", "abc")
    "'abc' is not a year or a list of years, as integers (e.g. [2020, 2021])"
    >>> parameter_problem("top_n", 0, default=30) is not None
    True
    >>> parameter_problem("top_n", 50, default=30) is None
    True
    """
    if name in _SHARED:
        ok, wanted = _SHARED[name]
        return None if ok(value) else f"{value!r} is not {wanted}"
    if default is NO_DEFAULT or default is None:
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else f"{value!r} is not True or False"
    if _is_int(default):
        if not _is_int(value):
            return f"{value!r} is not an integer"
        if default >= 1 and value < 1:
            return f"{value!r} is not ≥ 1"
        if default >= 0 and value < 0:
            return f"{value!r} is not ≥ 0"
        return None
    if isinstance(default, float):
        return None if _is_number(value) else f"{value!r} is not a number"
    if isinstance(default, str):
        return None if value is None or isinstance(value, str) else f"{value!r} is not text"
    if isinstance(default, list):
        return None if isinstance(value, list) else f"{value!r} is not a list"
    return None
