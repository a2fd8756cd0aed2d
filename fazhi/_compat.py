"""Renamed keyword arguments: the old name keeps working for one release, with a warning.

The shared parameter names are defined in docs/glossary.md; when a parameter is renamed to
follow it, the function is wrapped with :func:`renamed` so that a call with the old keyword
still runs, warns with a ``FutureWarning`` naming the new keyword, and fails only when both
spellings are given.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from .exceptions import ParameterError

F = TypeVar("F", bound=Callable[..., Any])


def renamed(**old_to_new: str) -> Callable[[F], F]:
    """Decorator: accept each old keyword of ``old_to_new`` as its new name, with a warning.

    Examples
    --------
    >>> import warnings
    >>> @renamed(top_n="n_terms")
    ... def f(n_terms=10):
    ...     return n_terms
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     f(top_n=3), str(caught[0].message)
    (3, "f: the parameter 'top_n' is now 'n_terms' (see docs/glossary.md); 'top_n' will stop working in the next release")
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise ParameterError(f"{fn.__name__}: {old!r} is the old name of {new!r}; "
                                         f"pass {new!r} only")
                warnings.warn(f"{fn.__name__}: the parameter {old!r} is now {new!r} (see "
                              f"docs/glossary.md); {old!r} will stop working in the next "
                              "release", FutureWarning, stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        wrapper.__renamed__ = dict(old_to_new)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
