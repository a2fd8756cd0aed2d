"""Plots of the corpus itself (notebook 00): report lengths and place × year coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analysis.documents import document_coverage
from ..corpus.model import doc_labels
from .figure import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..corpus.model import Corpus


def plot_document_lengths(corpus: Corpus) -> Figure:
    """Horizontal bar plot of each report's length in characters, longest at the top.

    Examples
    --------
    >>> import fazhi
    >>> fig = plot_document_lengths(fazhi.load_corpus())
    >>> fig.axes[0].get_xlabel()
    '字数 characters'
    """
    docs = corpus.docs.sort_values("n_chars")
    fig, ax = new_figure(figsize=(8, 0.45 * len(docs) + 1.2))
    ax.barh(doc_labels(docs), docs["n_chars"], color="#3b6ea8")
    ax.set_xlabel("字数 characters")
    ax.set_title("报告篇幅 Length by report")
    ax.bar_label(ax.containers[0], fmt="{:,.0f}", padding=3, fontsize=8)
    ax.margins(x=0.12)
    return fig


def plot_document_coverage(corpus: Corpus) -> Figure:
    """Heatmap of :func:`document_coverage` (place × year), each cell labelled with its count.

    Examples
    --------
    >>> import fazhi
    >>> fig = plot_document_coverage(fazhi.load_corpus())
    >>> fig.axes[0].get_title()
    '覆盖范围 Coverage: documents per place and year'
    """
    table = document_coverage(corpus).set_index("place")
    fig, ax = new_figure(figsize=(1.0 * len(table.columns) + 3, 0.5 * len(table) + 1.5))
    ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns])
    ax.set_yticks(range(len(table.index)), [str(i) or "?" for i in table.index])
    peak = table.to_numpy().max() if table.size else 0
    for (i, j), n in pd.DataFrame(table.to_numpy()).stack().items():
        ax.text(j, i, str(n), ha="center", va="center",
                color="white" if n > peak / 2 else "#1f2933")
    ax.set_xlabel("年份 year")
    ax.set_ylabel("地区 place")
    ax.set_title("覆盖范围 Coverage: documents per place and year")
    return fig
