"""Packages whose names are imported on first use (PEP 562).

A stage package (``fazhi.analysis``, ``fazhi.viz`` …) lists what it exports; importing one
of its modules then costs that module's imports only, not every module of the stage —
``fazhi.summary_line`` needs no topic model, and a notebook that draws no word cloud loads
no ``wordcloud``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, namespace: dict[str, Any],
                 exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps each exported name
    to the submodule defining it; a submodule (``fazhi.analysis.topics``) is an attribute
    too. A name is imported once and then kept in the package's ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}"):
                return importlib.import_module(f"{package}.{name}")
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
