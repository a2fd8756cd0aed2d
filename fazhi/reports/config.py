"""The render config: a runs.yml read into named parameter sets, each with its notebooks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._resources import data_path, notebooks_dir
from ..exceptions import ConfigError

_RUN_KEYS = {"name", "parameters", "notebooks", "each"}
# \Z, not $: "$" also matches before a final newline, and "seeds\n" is no folder name.
_RUN_NAME = re.compile(r"\w[\w.-]*\Z")
# Names taken by the files a render writes next to the run folders.
_RESERVED_NAMES = frozenset({"index.html", "index", ".fazhi-output", ".fazhi-index.json"})


@dataclass(frozen=True)
class Run:
    """One named parameter set and the notebooks it renders."""

    name: str
    parameters: dict[str, Any]
    notebooks: tuple[Path, ...]
    #: a docs column (province, city, year, organ, level …): one report set per value
    each: str | None = None
    #: the run this one was fanned out of (``each``), for the index
    parent: str | None = None


def available_notebooks() -> list[Path]:
    """The bundled notebooks, in name order (``00_…``, ``01_…``)."""
    return sorted(p for p in notebooks_dir().glob("*.ipynb") if not p.name.startswith("."))


def _find_notebook(name: str | Path, base: Path, where: str) -> Path:
    path = Path(name)
    if not path.is_absolute():
        path = base / path
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    known = available_notebooks()
    stem = Path(name).stem
    matches = [p for p in known if p.stem == stem] or [
        p for p in known if p.stem.startswith(f"{stem}_")]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(p.stem for p in known) or "none"
    raise ConfigError(f"{where}: notebook {str(name)!r} not found "
                      f"(not a file, and {notebooks_dir()} has: {names})")


def _absolute(value: Any, base: Path) -> Any:
    if isinstance(value, str):
        return str((base / value).resolve())
    if isinstance(value, list):
        return [_absolute(v, base) for v in value]
    return value


def load_config(config: str | Path | None = None,
                notebooks: Sequence[str | Path] | None = None) -> list[Run]:
    """Read a runs.yml into :class:`Run` objects (``None``: the default, ``fazhi/data/runs.yml``).

    ``notebooks`` (names like ``01_term_frequency`` or ``01``, or paths) replaces every run's
    notebook list. Paths inside the config are relative to the config file.

    Raises
    ------
    ConfigError
        If the file is missing or malformed, a run name is repeated or unusable as a folder
        name, or a notebook cannot be found. The message names the file and the run.

    Examples
    --------
    >>> [run.name for run in load_config()]
    ['seeds']
    """
    path = Path(config) if config is not None else data_path("runs.yml")
    if not path.is_file():
        raise ConfigError(f"{path}: render config not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("runs"), list) or not data["runs"]:
        raise ConfigError(f"{path}: expected a top-level 'runs:' list with at least one run")
    base = path.resolve().parent
    override = [_find_notebook(n, Path.cwd(), "--notebooks") for n in notebooks or ()]
    runs: list[Run] = []
    for i, entry in enumerate(data["runs"], 1):
        where = f"{path}: run {i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected a mapping with 'name' and 'parameters'")
        name = entry.get("name")
        if not isinstance(name, str) or not _RUN_NAME.match(name):
            raise ConfigError(f"{where}: 'name' must be a folder name (letters, digits, - _ .), "
                              f"got {name!r}")
        if name.lower() in _RESERVED_NAMES:
            raise ConfigError(f"{where}: the name {name!r} is taken by the index a render "
                              "writes; choose another")
        where = f"{path}: run {name!r}"
        if unknown := sorted(set(entry) - _RUN_KEYS):
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} "
                              f"(allowed: {', '.join(sorted(_RUN_KEYS))})")
        if name in {r.name for r in runs}:
            raise ConfigError(f"{where}: the name is used by an earlier run")
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise ConfigError(f"{where}: 'parameters' must be a mapping of name: value")
        params = {k: _absolute(v, base) if k in ("corpus", "metadata") else v
                  for k, v in params.items()}
        listed = entry.get("notebooks")
        if listed is not None and not (isinstance(listed, list) and all(
                isinstance(n, (str, int)) and not isinstance(n, bool) for n in listed)):
            raise ConfigError(f"{where}: 'notebooks' must be a list of names or paths")
        # YAML reads an unquoted 01 as the number 1: take it as the notebook's number.
        listed = [f"{n:02d}" if isinstance(n, int) else n for n in listed or ()]
        chosen = override or ([_find_notebook(n, base, where) for n in listed]
                              if listed else available_notebooks())
        if not chosen:
            raise ConfigError(f"{where}: no notebooks to render ({notebooks_dir()} is empty)")
        each = entry.get("each")
        if each is not None and not (isinstance(each, str) and each):
            raise ConfigError(f"{where}: 'each' must name a docs column (province, city, year, "
                              f"organ, level …), got {each!r}")
        runs.append(Run(name, params, tuple(dict.fromkeys(chosen)), each))
    return runs
