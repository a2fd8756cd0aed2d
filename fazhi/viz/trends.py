"""Plots of extracted facts (notebook 03): trends across years and which report discloses
which indicator."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._compat import renamed
from ..corpus.model import doc_labels
from ..facts.trends import (
    by_list,
    choose_units,
    coverage_matrix,
    fact_documents,
    most_disclosed,
    trend_rows,
)
from .figure import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..corpus.model import Corpus


#: the marker of a bounded figure: ▲ the true value is at least the one drawn, ▼ at most
_MARKERS = {"≥": "^", "≤": "v"}


@renamed(top_n="n_indicators")
def plot_trends(facts: pd.DataFrame, indicators: str | Iterable[str] | None = None,
                by: str | Sequence[str] | None = "place", agg: str = "first",
                units: str | Mapping[str, str] | None = None, n_indicators: int = 6,
                min_reports: int = 1, ncols: int = 2,
                running: bool | None = False) -> Figure:
    """One panel per indicator: its value across years, one line per place.

    Exact figures are filled points; a lower bound (15%以上, 超过90%, 600余项) is ▲, an
    upper bound (3个工作日以内, 不超过5%) ▼, an estimate (约, 近, 左右) a hollow point.

    Parameters
    ----------
    indicators : names to plot; ``None`` = the ``n_indicators`` most widely disclosed.
    n_indicators : how many indicators ``indicators=None`` plots (called ``top_n`` before,
        which still works with a FutureWarning; docs/glossary.md).
    min_reports : plot only indicators disclosed by at least this many reports.
    units : which unit each panel plots (:func:`~fazhi.facts.trends.choose_units`):
        ``None`` = each indicator's most common unit, so 网上留言数 reported in 条 and in 个
        plots its 条; a dict chooses per indicator; ``"strict"`` refuses a mixed panel.
    by, agg : as in :func:`trend_table`.
    running : the year's own figures (False, the default), running totals (True, 累计…),
        or both (None), a running total's line marked 累计.

    Examples
    --------
    >>> import fazhi
    >>> facts = fazhi.extract_facts(fazhi.load_corpus())
    >>> fig = plot_trends(facts, ["人大代表建议数", "政协提案数"])
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt

    if indicators is None:
        indicators = most_disclosed(facts, n_indicators, min_reports,
                                    running=running)["indicator"].tolist()
    rows = choose_units(trend_rows(facts, indicators, by, agg, min_reports, running=running),
                        units)
    # One line per group: its key, or its keys joined, or the whole corpus (by=None).
    cols = by_list(facts, by)
    lines = (rows[cols].astype(str).agg(" · ".join, axis=1) if cols
             else pd.Series("全部 all", index=rows.index))
    if running is None and len(rows):
        lines = lines.where(~rows["running"].astype(bool), lines + " · 累计")
    rows = rows.assign(_line=lines)
    wanted = [indicators] if isinstance(indicators, str) else list(indicators)
    names = [n for n in wanted if n in set(rows["indicator"])]
    if not names:
        fig, ax = new_figure(figsize=(6, 2))
        ax.text(0.5, 0.5, "没有可绘制的指标 / no indicator to plot", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(5.5 * ncols, 3.6 * nrows), squeeze=False)
    colors = {g: plt.cm.tab10(i % 10) for i, g in enumerate(sorted(rows["_line"].unique()))}
    for ax, name in zip(axes.flat, names):
        panel = rows[rows["indicator"] == name]
        for group, line in panel.groupby("_line"):
            line = line.sort_values("year")
            color = colors[group]
            ax.plot(line["year"], line["value"], color=color, lw=1.5, label=group)
            for (approx, bound), pts in line.groupby(["approx", "bound"]):
                marker = _MARKERS.get(bound, "o")
                hollow = approx and not bound
                ax.scatter(pts["year"], pts["value"], s=48 if bound else 42, zorder=3,
                           marker=marker, edgecolors=[color],
                           facecolors="none" if hollow else [color], linewidths=1.5)
        unit = panel["unit"].iloc[0]
        ax.set_title(f"{name}（{unit}）" if unit else name, fontsize=11)
        years = sorted(panel["year"].unique())
        ax.set_xticks(years)
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    for ax in list(axes.flat)[len(names):]:
        ax.set_axis_off()
    fig.suptitle("指标趋势(实心 = 确数,空心 = 约数,▲ = 下限 ≥,▼ = 上限 ≤)/ indicator "
                 "trends (filled exact, hollow estimate, ▲ at least, ▼ at most)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_coverage(facts: pd.DataFrame, indicators: str | Iterable[str] | None = None,
                  min_reports: int = 1, max_indicators: int = 40,
                  corpus: Corpus | pd.DataFrame | None = None) -> Figure:
    """Heatmap of :func:`coverage_matrix`: reports (rows) × indicators (columns).

    Rows are labelled with place and year when they are known (:func:`fazhi.doc_labels`).

    Examples
    --------
    >>> import fazhi
    >>> fig = plot_coverage(fazhi.extract_facts(fazhi.load_corpus()), min_reports=2)
    >>> fig.axes[0].get_ylabel()
    '报告 / report'
    """

    cov = coverage_matrix(facts, indicators, min_reports, corpus).iloc[:, :max_indicators]
    docs = fact_documents(facts, corpus).set_index("doc_id").loc[cov.index].reset_index()
    labels = doc_labels(docs).tolist()
    fig, ax = new_figure(figsize=(max(6, 0.38 * cov.shape[1] + 3), max(2.5, 0.4 * len(cov) + 2)))
    data = np.log1p(cov.to_numpy(dtype=float))
    ax.imshow(data if data.size else np.zeros((1, 1)), aspect="auto", cmap="Blues",
              vmin=0, vmax=max(float(data.max()) if data.size else 1.0, 1.0))
    for (i, j), n in np.ndenumerate(cov.to_numpy()):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=9,
                    color="white" if data[i, j] > 0.6 * data.max() else "black")
    ax.set_xticks(range(cov.shape[1]), cov.columns, rotation=90, fontsize=10)
    ax.set_yticks(range(len(labels)), labels, fontsize=10)
    ax.set_xlabel("指标 / indicator")
    ax.set_ylabel("报告 / report")
    ax.set_title("哪份报告披露了哪些指标（数字 = 数据条数）/ which report discloses which indicator",
                 fontsize=11)
    fig.tight_layout()
    return fig
