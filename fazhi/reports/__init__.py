"""Reports, one file per verb: ``config`` (runs.yml), ``inspection`` (a notebook's
parameters), ``execute`` (papermill, one process per notebook: ``worker``), ``export``
(self-contained HTML) and ``index`` (``outputs/index.html``). :func:`fazhi.render` is the
entry point.

Nothing is imported here: ``python -m fazhi.reports.worker`` runs inside this package, and
importing it first would import the worker twice."""
