"""The one process pool of fazhi: what ``workers`` means and when processes are started.

``workers`` (docs/glossary.md) is ``None`` (one process, the default) or an int ≥ 1; a bool
or any other type is refused. The threshold rule, the same for every stage: ``workers``
processes are started only when ``workers`` > 1 and the input holds at least :data:`PARALLEL_MIN_CHARS` characters of text (``load_corpus``, which has not read
the text yet, counts the files' bytes). Below that, starting processes (and loading the
dictionaries in each) costs more than it saves, and the work runs in this process. Either
way the results are the same, in the same order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from numbers import Integral
from typing import Any

from ._memory import release_memory
from .exceptions import ParameterError

#: Characters of input below which a map runs in this process whatever ``workers`` says.
PARALLEL_MIN_CHARS = 3_000_000


#: Jobs a process is sent at a time, at most, by default. A process returns a chunk's results
#: all at once, so they are held twice over (as built there and as received here): with a
#: quarter of each process's share as the chunk, that was an eighth of the corpus's facts as
#: dicts in each worker (323 MB a worker at 10,000 reports, 152 MB at 4,000).
MAX_CHUNK = 16
#: Chunks a process may have been sent and not yet returned.
WINDOW = 4


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


def _run_chunk(fn: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [fn(job) for job in chunk]


#: The pool of :func:`shared_processes` while one is open: (processes, executor).
_SHARED: tuple[int, ProcessPoolExecutor] | None = None
#: In a process of a shared pool: the arguments each initializer last ran with.
_INITIALIZED: dict[Callable[..., Any], tuple] = {}
_NEVER = object()


@contextmanager
def shared_processes(workers: int | None) -> Iterator[None]:
    """Every map inside the block that starts ``workers`` processes uses the same ones.

    A stage's pool is otherwise started and stopped by each map: a caller that maps part
    after part (:func:`fazhi.process_corpus`, three stages a part) would fork the processes
    and load the segmenter's dictionary in each again every time, about a second a part.
    The processes are forked at the first map that needs them, and each job runs the map's
    ``initializer`` first whenever that process last ran it with other arguments (or never),
    so a shared process is in the state a fresh one would be. Nested blocks use the outer
    pool; ``workers`` None or 1 starts nothing.
    """
    global _SHARED
    n = workers if workers is not None and workers > 1 else 1
    if _SHARED is not None or n == 1:
        yield
        return
    release_memory()  # the processes are forked from a process as small as it will be
    pool = ProcessPoolExecutor(max_workers=n)
    _SHARED = (n, pool)
    try:
        yield
    finally:
        _SHARED = None
        pool.shutdown(wait=True, cancel_futures=True)


def _run_shared(initializer: Callable[..., Any] | None, initargs: tuple,
                fn: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    if initializer is not None and _INITIALIZED.get(initializer, _NEVER) != initargs:
        initializer(*initargs)
        _INITIALIZED[initializer] = initargs
    return [fn(job) for job in chunk]


def imap_in_processes(fn: Callable[[Any], Any], jobs: Iterable[Any], workers: int | None, *,
                      size: int, chunksize: int | None = None,
                      initializer: Callable[..., Any] | None = None, initargs: tuple = (),
                      progress: str | None = None, unit: str = "job",
                      total: int | None = None) -> Iterator[Any]:
    """``fn(job)`` for each job, in order, yielded as they come: a caller that turns each
    result into something compact holds only the results not yet consumed.

    Jobs are taken from ``jobs`` as the processes need them: at most :data:`WINDOW` chunks
    a process are sent ahead, so a generator of jobs is never held whole (the executor's
    own ``map`` submits every job at once, and holds them all until the end).

    Parameters
    ----------
    fn : a module-level function (it is pickled to the processes).
    jobs : its arguments, one per call (a list, or any iterable with ``total``).
    workers : see :func:`check_workers`.
    size : characters (or bytes) of text the jobs hold, for the threshold rule.
    chunksize : jobs sent to a process at a time; default a quarter of each process's share,
        at most :data:`MAX_CHUNK`.
    initializer, initargs : run once in each process (and once here when no pool starts),
        e.g. to load a dictionary.
    progress : a progress bar's label; ``None`` shows none. Shown from 50 jobs.
    total : the number of jobs, when ``jobs`` has no length (for the bar and the chunks).
    """
    if total is None:
        jobs = jobs if isinstance(jobs, Sized) else list(jobs)
        total = len(jobs)  # type: ignore[arg-type]
    n = n_processes(workers, size)
    bar = dict(total=total, desc=progress, unit=unit, disable=progress is None or total < 50)
    from tqdm import tqdm  # not tqdm.auto: it warns in Jupyter without ipywidgets

    if n == 1:
        if initializer is not None:
            initializer(*initargs)
        yield from (fn(job) for job in tqdm(jobs, **bar))
        return
    if chunksize is None:
        chunksize = max(1, min(total // (n * 4), MAX_CHUNK))
    source = iter(jobs)
    chunks = iter(lambda: list(islice(source, chunksize)), [])
    if _SHARED is not None and _SHARED[0] == n:
        pool = _SHARED[1]

        def submit(chunk):
            return pool.submit(_run_shared, initializer, initargs, fn, chunk)

        with tqdm(**bar) as shown:
            yield from _windowed(submit, chunks, n, shown)
        return
    # Pages freed here are unmapped before the processes are forked: pages this process
    # writes again afterwards are then its own, not a copy the processes keep of the old ones.
    release_memory()
    with ProcessPoolExecutor(max_workers=n, initializer=initializer, initargs=initargs) as pool, \
            tqdm(**bar) as shown:
        yield from _windowed(lambda chunk: pool.submit(_run_chunk, fn, chunk), chunks, n, shown)


def _windowed(submit: Callable[[list[Any]], Any], chunks: Iterator[list[Any]], n: int,
              shown: Any) -> Iterator[Any]:
    """The results of ``chunks`` in order, at most :data:`WINDOW` chunks a process ahead."""
    pending = deque(submit(c) for c in islice(chunks, n * WINDOW))
    try:
        while pending:
            done = pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(submit(chunk))
            shown.update(len(done))
            yield from done
    finally:  # an error, or a caller that stopped reading: nothing more is started
        for future in pending:
            future.cancel()
