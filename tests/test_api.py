"""The public namespace: every advertised name resolves, and submodules are attributes."""

from __future__ import annotations

import subprocess
import sys

import pytest

import fazhi


@pytest.mark.parametrize("name", [n for n in fazhi.__all__ if not n.startswith("__")])
def test_every_exported_name_resolves(name):
    assert getattr(fazhi, name) is not None


def test_submodules_are_reachable_as_attributes():
    assert callable(fazhi.viz.wordcloud) and callable(fazhi.store.read_tokens)


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        fazhi.no_such_thing  # noqa: B018


def test_import_stays_light():
    # `import fazhi` must not pull in pandas, sklearn or matplotlib: notebooks pay only for
    # the analyses they use, and the CLI starts fast.
    code = "import sys, fazhi; print(sorted(m for m in ('pandas', 'sklearn', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
