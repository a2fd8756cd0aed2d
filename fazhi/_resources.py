"""Where fazhi finds its bundled data files, seeds and notebooks."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def data_path(name: str) -> Path:
    """Path of a file shipped in ``fazhi/data``."""
    return DATA_DIR / name


def read_list(path: str | Path) -> list[str]:
    """The entries of a one-entry-a-line UTF-8 list file (a BOM allowed), stripped; blank
    lines and lines starting with ``#`` are skipped. Every shipped ``.txt`` list and the
    user's own word, stopword and boilerplate files are read with it."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


def _bundled(name: str) -> Path:
    # A wheel carries seeds/ and notebooks/ inside the package; an editable or source
    # checkout has them at the repository root, next to the package.
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


@cache
def seeds_dir() -> Path:
    """The bundled default corpus: five published 法治政府建设 reports."""
    return _bundled("seeds")


@cache
def notebooks_dir() -> Path:
    """The analysis notebooks that ``fazhi render`` executes."""
    return _bundled("notebooks")
