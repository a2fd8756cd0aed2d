"""The one process pool of fazhi: what ``workers`` means and when processes are started.

``workers`` (docs/glossary.md) is ``None`` (one process, the default) or an int ≥ 1; a bool
or any other type is refused. The threshold rule, the same for every stage: ``workers``
processes are started only when ``workers`` > 1 and the input holds at least :data:`PARALLEL_MIN_CHARS` characters of text (``load_corpus``, which has not read
the text yet, counts the files' bytes). Below that, starting processes (and loading the
dictionaries in each) costs more than it saves, and the work runs in this process. Either
way the results are the same, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from numbers import Integral
from typing import Any

from .exceptions import ParameterError

#: Characters of input below which a map runs in this process whatever ``workers`` says.
PARALLEL_MIN_CHARS = 3_000_000


def check_workers(workers: Any, name: str = "workers") -> int | None:
    """``workers`` if it is None or an int ≥ 1, else a ParameterError naming ``name``.

    Check on entry, not where the pool starts: a cache hit never gets that far, and a wrong
    value should fail the same whether or not the work was cached.

    Examples
    --------
    >>> check_workers(None), check_workers(4)
    (None, 4)
    >>> check_workers(True)
    Traceback (most recent call last):
    ...
    fazhi.exceptions.ParameterError: workers: expected a positive integer or None, got True
    """
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, Integral) or workers < 1:
        raise ParameterError(f"{name}: expected a positive integer or None, got {workers!r}")
    return int(workers)


def n_processes(workers: int | None, size: int) -> int:
    """Processes a map over ``size`` characters of text runs in (the rule above)."""
    if workers is None or workers < 2 or size < PARALLEL_MIN_CHARS:
        return 1
    return workers


def map_in_processes(fn: Callable[[Any], Any], jobs: Iterable[Any], workers: int | None, *,
                     size: int, chunksize: int | None = None,
                     initializer: Callable[..., Any] | None = None, initargs: tuple = (),
                     progress: str | None = None, unit: str = "job") -> list[Any]:
    """``[fn(job) for job in jobs]``, in processes when the threshold rule says so; the
    parameters are those of :func:`imap_in_processes`."""
    return list(imap_in_processes(fn, jobs, workers, size=size, chunksize=chunksize,
                                  initializer=initializer, initargs=initargs,
                                  progress=progress, unit=unit))


def imap_in_processes(fn: Callable[[Any], Any], jobs: Iterable[Any], workers: int | None, *,
                      size: int, chunksize: int | None = None,
                      initializer: Callable[..., Any] | None = None, initargs: tuple = (),
                      progress: str | None = None, unit: str = "job") -> Iterator[Any]:
    """``fn(job)`` for each job, in order, yielded as they come: a caller that turns each
    result into something compact holds only the results not yet consumed.

    Parameters
    ----------
    fn : a module-level function (it is pickled to the processes).
    jobs : its arguments, one per call.
    workers : see :func:`check_workers`.
    size : characters (or bytes) of text the jobs hold, for the threshold rule.
    chunksize : jobs sent to a process at a time; default a quarter of each process's share.
    initializer, initargs : run once in each process (and once here when no pool starts),
        e.g. to load a dictionary.
    progress : a progress bar's label; ``None`` shows none. Shown from 50 jobs.
    """
    jobs = list(jobs)
    n = n_processes(workers, size)
    bar = dict(total=len(jobs), desc=progress, unit=unit,
               disable=progress is None or len(jobs) < 50)
    from tqdm import tqdm  # not tqdm.auto: it warns in Jupyter without ipywidgets

    if n == 1:
        if initializer is not None:
            initializer(*initargs)
        yield from (fn(job) for job in tqdm(jobs, **bar))
        return
    if chunksize is None:
        chunksize = max(1, len(jobs) // (n * 4))
    with ProcessPoolExecutor(max_workers=n, initializer=initializer, initargs=initargs) as pool:
        yield from tqdm(pool.map(fn, jobs, chunksize=chunksize), **bar)
