"""The import graph of fazhi is a tree of stages: no cycle, no upward import, no private name
borrowed from another package.

Every import is read with ``ast`` — module level, inside functions, under ``if
TYPE_CHECKING:``, and ``importlib.import_module("…")`` / ``find_spec("…")`` string literals —
so a cycle hidden in a function body still counts: it is one in the design.

The layer rule (docs/architecture.md)::

    base (exceptions, io, _cache, _compat, _parallel, _resources, _text, _version)
      ← corpus ← tokens ← analysis
      ← corpus ← facts
      ← viz (plots of analysis and facts) ← reports ← cli, distributed, the package root
      ← corpus, tokens, facts ← process (the stages a part at a time into the store) ← distributed

Run it by hand on another checkout: ``python tests/test_imports.py PATH/TO/fazhi``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fazhi"

BASE = {"exceptions", "io", "_cache", "_compat", "_lazy", "_memory", "_parallel", "_resources", "_text",
        "_version"}
#: stage -> the stages it may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "corpus": {"base"},
    "tokens": {"base", "corpus"},
    "analysis": {"base", "corpus", "tokens"},
    "facts": {"base", "corpus"},
    "viz": {"base", "corpus", "tokens", "analysis", "facts"},
    "reports": {"base", "corpus", "tokens", "analysis", "facts", "viz"},
    "process": {"base", "corpus", "tokens", "facts"},
    "distributed": {"base", "corpus", "tokens", "facts", "process"},
    "cli": {"base", "corpus", "tokens", "analysis", "facts", "viz", "reports", "process"},
    "lessons": {"base", "corpus", "tokens", "analysis", "facts", "viz"},
    "root": {"base", "corpus", "tokens", "analysis", "facts", "viz", "reports", "cli",
             "distributed", "lessons", "process"},
}


def modules(root: Path) -> dict[str, Path]:
    """Dotted name under the package (``""`` for the root ``__init__``) → file."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def stage(module: str) -> str:
    """The stage a module belongs to: its first component, the base modules grouped."""
    first = module.split(".")[0]
    if module == "":
        return "root"
    return "base" if first in BASE else first


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The known module an absolute ``fazhi.x.y`` name refers to (longest known prefix)."""
    parts = name.split(".")
    if parts[0] != "fazhi":
        return None
    parts = parts[1:]
    while parts and ".".join(parts) not in known:
        parts = parts[:-1]
    return ".".join(parts)


def imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, str]]:
    """(imported module, imported name or "") for every import of fazhi inside ``module``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    here = module.split(".") if module else []
    package = here if is_package else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _resolve(alias.name, known)) is not None:
                    yield target, ""
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1] if node.level > 1 else package
                absolute = ".".join(["fazhi", *base, *([node.module] if node.module else [])])
            else:
                absolute = node.module or ""
            if (target := _resolve(absolute, known)) is None:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                # `from . import places` imports a module; `from .x import name` a name.
                yield (sub, "") if sub in known else (target, alias.name)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            text = node.args[0].value
            if called in ("import_module", "find_spec") and isinstance(text, str):
                if text.startswith("."):
                    dots = len(text) - len(text.lstrip("."))
                    base = package[:len(package) - dots + 1] if dots > 1 else package
                    text = ".".join(["fazhi", *base, text.lstrip(".")]).rstrip(".")
                if (target := _resolve(text, known)) is not None:
                    yield target, ""


def graph(root: Path = PACKAGE) -> tuple[dict[str, set[str]], list[str]]:
    """Module-level import graph, and the private names imported across stages."""
    known = modules(root)
    edges: dict[str, set[str]] = {m: set() for m in known}
    private = []
    for module, path in known.items():
        for target, name in imports(module, path, known):
            if target != module:
                edges[module].add(target)
            if (name.startswith("_") and not name.startswith("__")
                    and stage(target) != stage(module)):
                private.append(f"{module or 'fazhi'} imports {name} from {target}")
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def problems(root: Path = PACKAGE, stage_of=stage) -> dict[str, list[str]]:
    """Everything wrong with the import graph under ``root``, by rule."""
    edges, private = graph(root)
    stages: dict[str, set[str]] = {}
    upward = []
    for source, targets in edges.items():
        for target in targets:
            a, b = stage_of(source), stage_of(target)
            if a == b:
                continue
            stages.setdefault(a, set()).add(b)
            if a not in ALLOWED:
                upward.append(f"{source or 'fazhi'}: in no stage of the layer rule")
            elif b not in ALLOWED[a]:
                upward.append(f"{source or 'fazhi'} ({a}) imports {target or 'fazhi'} ({b})")
    name = {"": "fazhi"}
    return {
        "module cycles": [" ↔ ".join(name.get(m, m) for m in c) for c in cycles(edges)],
        "stage cycles": [" ↔ ".join(c) for c in cycles(stages)],
        "upward imports": sorted(set(upward)),
        "private names across packages": sorted(private),
    }


def test_no_module_imports_another_that_imports_it_back():
    assert problems()["module cycles"] == []


def test_the_stages_form_no_cycle():
    assert problems()["stage cycles"] == []


def test_no_stage_imports_a_stage_above_it():
    assert problems()["upward imports"] == []


def test_no_private_name_is_imported_from_another_package():
    assert problems()["private names across packages"] == []


def test_imports_inside_functions_and_type_checking_blocks_are_read(tmp_path):
    pkg = tmp_path / "fazhi"
    (pkg / "corpus").mkdir(parents=True)
    (pkg / "tokens").mkdir()
    for init in (pkg, pkg / "corpus", pkg / "tokens"):
        (init / "__init__.py").write_text("")
    (pkg / "corpus" / "load.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..tokens.seg import T\n"
        "def f():\n    from ..tokens import seg\n    return seg._units\n")
    (pkg / "tokens" / "seg.py").write_text(
        "import importlib\nfrom ..corpus.load import _x\n"
        "def g():\n    return importlib.import_module('fazhi.corpus.load')\n")
    found = problems(pkg)
    assert found["module cycles"] == ["corpus.load ↔ tokens.seg"]
    assert found["stage cycles"] == ["corpus ↔ tokens"]
    assert found["upward imports"] == ["corpus.load (corpus) imports tokens.seg (tokens)"]
    assert found["private names across packages"] == ["tokens.seg imports _x from corpus.load"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE
    # The flat layout had no stage folders; its modules are placed in the stage they moved to.
    flat = {"readers": "corpus", "html": "corpus", "normalize": "corpus", "metadata": "corpus",
            "places": "corpus", "structure": "corpus", "corpus": "corpus", "store": "corpus",
            "segment": "tokens", "_engines": "tokens", "_tokens": "tokens",
            "_token_arrow": "tokens", "_token_cache": "tokens", "_dfm": "tokens",
            "frequency": "analysis", "dictionary": "analysis", "topics": "analysis",
            "topics_model": "analysis", "overview": "analysis", "numbers": "facts",
            "indicators": "facts", "labels": "facts", "trends": "facts", "viz": "viz",
            "fonts": "viz", "topics_plots": "viz", "render": "reports", "report_html": "reports",
            "_render_worker": "reports"}
    report = problems(target, lambda m: flat.get(m.split(".")[0]) or stage(m))
    for rule, items in report.items():
        print(f"{rule}: {len(items)}")
        for item in items:
            print(f"  {item}")
    sys.exit(1 if any(report.values()) else 0)
