"""The one rule every fazhi plot follows: a CJK font is set before drawing (Chinese never
shows as boxes), and the figure is returned already closed in pyplot, so a notebook cell
ending in the call shows it exactly once and a script can ``fig.savefig(...)`` it."""

from __future__ import annotations

from typing import Any

from .fonts import use_cjk_font


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs: Any):
    """``plt.subplots`` with the CJK font set and the figure closed in pyplot."""
    import matplotlib.pyplot as plt

    use_cjk_font()
    fig, axes = plt.subplots(nrows, ncols, **kwargs)
    plt.close(fig)
    return fig, axes
