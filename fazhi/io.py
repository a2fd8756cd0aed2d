"""Atomic writes and table export shared by the CLI, the notebooks and the renderer."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    An interrupted write therefore never leaves a half-written file under the final name.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600; a shared report should get the user's usual permissions.
        os.chmod(tmp_path, 0o666 & ~current_umask())
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(target: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def save_table(df: pd.DataFrame, name: str, output_dir: str | Path | None) -> pd.DataFrame:
    """Save ``df`` as ``<output_dir>/<name>.csv`` (UTF-8 with BOM, so Excel shows Chinese).

    With ``output_dir=None`` (interactive use) nothing is written. Returns ``df`` so a
    notebook cell can save and display in one line.

    Examples
    --------
    >>> import pandas as pd
    >>> save_table(pd.DataFrame({"a": [1]}), "example", None)
       a
    0  1
    """
    if output_dir is not None:
        with atomic_path(Path(output_dir) / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False, encoding="utf-8-sig")
    return df
