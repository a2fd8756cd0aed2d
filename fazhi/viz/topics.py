"""Plots of a fitted :class:`~fazhi.analysis.topics.TopicModel`, with a CJK font so labels never show
as boxes.

Each function returns the figure, already closed in pyplot, so a notebook cell ending in the
call shows it exactly once and a script can ``fig.savefig(...)`` it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .figure import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.topic_model import TopicModel


def plot_coherence(scores: TopicModel | pd.DataFrame, chosen: int | None = None) -> Figure:
    """Line plot of coherence (mean NPMI) against the number of topics.

    ``scores`` is a fitted model (its ``k_scores``, its k marked) or a table with ``k`` and
    ``coherence`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_coherence(pd.DataFrame({"k": [3, 4], "coherence": [0.1, 0.2]}), chosen=4)
    """
    if not isinstance(scores, pd.DataFrame):
        scores, chosen = scores.k_scores, scores.n_topics if chosen is None else chosen
    fig, ax = new_figure(figsize=(6, 3.5))
    ax.plot(scores["k"], scores["coherence"], marker="o", color="#3b6ea5")
    if chosen is not None and chosen in set(scores["k"]):
        value = scores.loc[scores["k"] == chosen, "coherence"].iloc[0]
        ax.plot([chosen], [value], marker="o", markersize=12, fillstyle="none", color="#c0392b")
        ax.annotate(f"k = {chosen}", (chosen, value), textcoords="offset points",
                    xytext=(8, 8), color="#c0392b")
    ax.set_xticks(list(scores["k"]))
    ax.margins(y=0.2)  # room for the chosen-k note
    ax.set_xlabel("主题数 k / number of topics")
    ax.set_ylabel("一致性 NPMI / coherence")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_top_terms(model: TopicModel, ncols: int = 3) -> Figure:
    """One horizontal bar chart per topic, its top terms by weight, largest on top."""
    n = model.n_topics
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    n_terms = int(model.top_terms["rank"].max())
    fig, axes = new_figure(nrows, ncols, figsize=(4 * ncols, 0.28 * n_terms * nrows + 1.2 * nrows),
                          squeeze=False)
    colors = _colors(n)
    for ax, (topic, terms) in zip(axes.flat, model.top_terms.groupby("topic", sort=True)):
        ax.barh(terms["term"][::-1], terms["weight"][::-1], color=colors[topic - 1])
        ax.set_title(f"{topic}. {model.labels[topic - 1]}", fontsize=10)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def _doc_names(doc_topics: pd.DataFrame) -> list[str]:
    # Place and year say more to a reader than a file stem; fall back to doc_id.
    names = []
    for _, row in doc_topics.iterrows():
        parts = [str(row[c]) for c in ("place", "year") if c in row and pd.notna(row[c])
                 and str(row[c])]
        names.append(" ".join(parts) if parts else str(row["doc_id"]))
    return names


def plot_doc_topics(model: TopicModel) -> Figure:
    """Heatmap of each document's topic shares, the value written in each cell."""
    shares = model.doc_topics[model.labels].to_numpy()
    n_docs, n_topics = shares.shape
    fig, ax = new_figure(figsize=(1.1 * n_topics + 3, 0.45 * n_docs + 2.2))
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=max(shares.max(), 1e-9), aspect="auto")
    ax.set_xticks(range(n_topics), [f"{i}. {lab}" for i, lab in enumerate(model.labels, 1)],
                  rotation=40, ha="right", fontsize=10)
    ax.set_yticks(range(n_docs), _doc_names(model.doc_topics), fontsize=10)
    if n_docs * n_topics <= 400:
        threshold = shares.max() / 2
        for (i, j), value in np.ndenumerate(shares):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9,
                    color="white" if value > threshold else "black")
    fig.colorbar(image, ax=ax, label="主题占比 / topic share")
    fig.tight_layout()
    return fig


def plot_prevalence(model: TopicModel, by: str | list[str] = "year") -> Figure:
    """Stacked horizontal bars: each group's length-weighted topic shares."""
    table = model.prevalence(by=by)
    keys = [by] if isinstance(by, str) else list(by)
    # pandas 3 keeps a missing value missing through astype(str): name it as a reader would.
    names = [" ".join("—" if pd.isna(v) else str(v) for v in row)
             for row in table[keys].itertuples(index=False)]
    fig, ax = new_figure(figsize=(8, 0.5 * len(table) + 1.8))
    left = np.zeros(len(table))
    for label, color in zip(model.labels, _colors(model.n_topics)):
        ax.barh(names, table[label], left=left, color=color, label=label)
        left += table[label].fillna(0).to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("主题占比（按词数加权）/ topic share, weighted by length")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=min(3, model.n_topics),
              fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def _colors(n: int) -> list:
    import matplotlib

    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]
