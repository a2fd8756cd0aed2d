"""Reports, one file per verb: ``config`` (runs.yml), ``inspection`` (a notebook's
parameters), ``execute`` (papermill, one process per notebook: ``worker``), ``export``
(self-contained HTML) and ``index`` (``outputs/index.html``). :func:`fazhi.render` is the
entry point.

No module of the package is imported here: ``python -m fazhi.reports.worker`` runs inside
this package, and importing it first would import the worker twice. What is done here is
done once for every process of a render (the command and each notebook's worker): see
:func:`skip_slow_iri_checker`."""

from __future__ import annotations

import sys


def skip_slow_iri_checker() -> None:
    """Let ``jsonschema`` start without its ``iri`` format checker.

    nbformat validates notebooks with jsonschema, whose ``format-nongpl`` extra (pulled in
    by JupyterLab's jupyter-events) imports ``rfc3987_syntax`` when jsonschema is imported;
    that module builds some 35 Earley parsers at import, 1.5-5 s in every process of a
    render (python-jsonschema/jsonschema#1428, still eager in 4.26). No notebook schema uses
    the ``iri`` formats, so jsonschema is imported once with that module hidden — it then
    skips those two checkers, as it does when the package is not installed — and the module
    is importable again afterwards. Nothing is done when either is imported already.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import → ImportError
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        pass
    finally:
        if sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


skip_slow_iri_checker()
