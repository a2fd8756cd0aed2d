"""Word clouds, bar charts, heatmaps and co-occurrence networks with Chinese labels.

Every function resolves a CJK font first (:mod:`fazhi.viz.fonts`), so labels are real glyphs,
never boxes, and returns a matplotlib Figure already closed in pyplot: a notebook cell ending
in the call shows it once, a script saves it with ``fig.savefig(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from .figure import new_figure
from .fonts import cjk_font_path, use_cjk_font

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_TARGET_COLOR = "#b03a2e"
_REFERENCE_COLOR = "#2e6da4"


def _weights(freqs: Any, term: str, weight: str, top_n: int | None) -> dict[str, float]:
    """{term: weight} from a frequency table, a Series indexed by term, or a mapping."""
    if isinstance(freqs, pd.DataFrame):
        missing = [c for c in (term, weight) if c not in freqs.columns]
        if missing:
            raise ParameterError(f"freqs: no column {missing[0]!r}; columns are "
                                 f"{', '.join(map(str, freqs.columns))}")
        series = freqs.groupby(term, sort=False)[weight].sum()
    elif isinstance(freqs, pd.Series):
        series = freqs
    elif isinstance(freqs, Mapping):
        series = pd.Series(dict(freqs), dtype=float)
    else:
        raise ParameterError(f"freqs: expected a DataFrame, Series or dict, got "
                             f"{type(freqs).__name__}")
    series = series[series > 0].sort_values(ascending=False)
    if top_n is not None:
        series = series.head(top_n)
    if series.empty:
        raise ParameterError("freqs: no term with a positive weight to draw")
    return {str(k): float(v) for k, v in series.items()}


def _cloud_image(weights: dict[str, float], width: int, height: int, colormap: str | None,
                 color: str | None, random_state: int):
    from wordcloud import WordCloud

    cloud = WordCloud(
        font_path=str(cjk_font_path()), width=width, height=height, background_color="white",
        colormap=colormap, color_func=(lambda *a, **k: color) if color else None,
        random_state=random_state, max_words=len(weights),
        # Chinese turned on its side is hard to read.
        prefer_horizontal=1.0,
    )
    return cloud.generate_from_frequencies(weights).to_array()


def wordcloud(freqs: Any, *, term: str = "term", weight: str = "count", top_n: int | None = 100,
              width: int = 900, height: int = 500, colormap: str = "viridis",
              random_state: int = 0, title: str | None = None) -> Figure:
    """A word cloud: each term drawn with a size proportional to its weight.

    Parameters
    ----------
    freqs : DataFrame, Series or dict
        E.g. the result of :func:`fazhi.term_frequency` (columns ``term`` and ``count``).
    term, weight : str
        Columns of a DataFrame holding the terms and their weights (``rate`` works too).
    top_n : int, optional
        Draw at most this many terms (rows of ``freqs``; docs/glossary.md).

    Examples
    --------
    >>> fig = wordcloud({"放管服": 10, "政务公开": 6, "行政复议": 3})
    """
    weights = _weights(freqs, term, weight, top_n)
    fig, ax = new_figure(figsize=(width / 100, height / 100))
    ax.imshow(_cloud_image(weights, width, height, colormap, None, random_state),
              interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def comparison_cloud(keyness_table: pd.DataFrame, *, top_n: int = 60,
                     labels: tuple[str, str] | None = None, measure: str = "g2",
                     width: int = 600, height: int = 450, random_state: int = 0) -> Figure:
    """Two clouds side by side: terms typical of the target and of the reference.

    Parameters
    ----------
    keyness_table : DataFrame
        The result of :func:`fazhi.keyness`; terms with a positive ``measure`` go left, with
        a negative one right, each sized by its absolute value.
    labels : (str, str), optional
        Panel titles; default the target and reference recorded by :func:`fazhi.keyness`.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"term": ["不够", "有待", "完成"], "g2": [9.0, 4.0, -5.0]})
    >>> fig = comparison_cloud(table)
    """
    if measure not in keyness_table.columns or "term" not in keyness_table.columns:
        raise ParameterError(f"keyness_table: needs columns term and {measure!r} "
                             "(the result of fazhi.keyness)")
    if labels is None:
        attrs = keyness_table.attrs
        labels = (str(attrs.get("target", "目标 target")),
                  str(attrs.get("reference", "参照 reference")))
    scores = keyness_table.set_index("term")[measure]
    sides = [scores[scores > 0], -scores[scores < 0]]
    fig, axes = new_figure(1, 2, figsize=(2 * width / 100, height / 100))
    for ax, side, label, color in zip(axes, sides, labels,
                                      (_TARGET_COLOR, _REFERENCE_COLOR)):
        ax.set_axis_off()
        ax.set_title(label, color=color)
        if side.empty:
            continue
        weights = _weights(side, "term", measure, top_n)
        ax.imshow(_cloud_image(weights, width, height, None, color, random_state),
                  interpolation="bilinear")
    if keyness_table.empty:  # keyness found an empty group: say so instead of two blanks
        note = keyness_table.attrs.get("note", "没有可比较的词 / no terms to compare")
        fig.text(0.5, 0.5, note, ha="center", va="center", wrap=True)
    fig.tight_layout()
    return fig


def bar(df: pd.DataFrame, x: str = "term", y: str = "count", *, top_n: int | None = 30,
        title: str | None = None, xlabel: str | None = None, color: str = "#3b6ea5") -> Figure:
    """Horizontal bar chart of ``y`` per ``x``, largest on top.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = bar(pd.DataFrame({"term": ["放管服", "政务公开"], "count": [10, 6]}))
    """
    missing = [c for c in (x, y) if c not in df.columns]
    if missing:
        raise ParameterError(f"df: no column {missing[0]!r}; columns are "
                             f"{', '.join(map(str, df.columns))}")
    data = df.groupby(x, sort=False)[y].sum().sort_values(ascending=False)
    if top_n is not None:
        data = data.head(top_n)
    data = data.iloc[::-1]
    fig, ax = new_figure(figsize=(7, max(2.5, 0.28 * len(data) + 1)))
    ax.barh([str(v) for v in data.index], data.to_numpy(), color=color)
    ax.set_xlabel(xlabel or y)
    ax.grid(axis="x", alpha=0.3)
    ax.margins(y=0.01)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def heatmap(df: pd.DataFrame, index: str = "term", columns: str = "year", values: str = "rate",
            *, top_n: int | None = 30, title: str | None = None, cmap: str = "YlOrRd",
            annotate: bool | None = None) -> Figure:
    """Heatmap of ``values`` for each (``index``, ``columns``) pair of a long table.

    Rows are ordered by their total, largest first; ``top_n`` keeps the largest rows.
    Cells are annotated with their value when there are few enough to read.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"term": ["放管服", "放管服", "政务公开"], "year": [2020, 2021, 2021],
    ...                      "rate": [12.0, 8.0, 5.0]})
    >>> fig = heatmap(long)
    """
    missing = [c for c in (index, columns, values) if c not in df.columns]
    if missing:
        raise ParameterError(f"df: no column {missing[0]!r}; columns are "
                             f"{', '.join(map(str, df.columns))}")
    wide = df.pivot_table(index=index, columns=columns, values=values, aggfunc="sum",
                          fill_value=0)
    # Columns keep the order of the table (years ascending, dictionary categories as written).
    wide = wide[[c for c in pd.unique(df[columns]) if c in wide.columns]]
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    if top_n is not None:
        wide = wide.head(top_n)
    cells = wide.to_numpy(dtype=float)
    n_rows, n_cols = wide.shape
    label_width = max((len(str(i)) for i in wide.index), default=0)
    # A report page is about 10 inches wide: a wider figure is shrunk to fit and its labels
    # with it, so the width is capped and the fonts are sized for the page.
    fig, ax = new_figure(figsize=(min(10, 3 + 0.9 * n_cols + 0.14 * label_width),
                                 max(2.5, 0.34 * n_rows + 1.5)))
    image = ax.imshow(cells, aspect="auto", cmap=cmap)
    rotate = n_cols > 6
    ax.set_xticks(range(n_cols), [str(c) for c in wide.columns], rotation=45 if rotate else 0,
                  ha="right" if rotate else "center", fontsize=10)
    ax.set_yticks(range(n_rows), [str(i) for i in wide.index], fontsize=10)
    ax.set_xlabel(columns)
    fig.colorbar(image, ax=ax, label=values, shrink=0.8)
    if annotate if annotate is not None else n_rows * n_cols <= 300:
        top = float(np.nanmax(cells)) if cells.size else 0.0
        digits = 0 if top >= 10 else 1 if top >= 1 else 2
        for (i, j), v in np.ndenumerate(cells):
            ax.text(j, i, f"{v:.{digits}f}", ha="center", va="center", fontsize=8.5,
                    color="white" if top and v > 0.6 * top else "black")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def network(edges: pd.DataFrame, *, source: str = "term1", target: str = "term2",
            weight: str = "count", top_n: int | None = 60, random_state: int = 0,
            title: str | None = None) -> Figure:
    """Co-occurrence network: terms as nodes, strongest pairs as edges.

    Node size follows the summed weight of a term's edges, edge width the pair's weight;
    the layout is a seeded spring layout, so the same table gives the same picture.

    Parameters
    ----------
    edges : DataFrame
        The result of :func:`fazhi.cooccurrence` (or any edge table).
    top_n : int, optional
        Draw the ``top_n`` heaviest edges (rows of the edge table; docs/glossary.md).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"term1": ["放管服", "放管服"], "term2": ["改革", "营商环境"], "count": [5, 2]})
    >>> fig = network(e)
    """
    import networkx as nx

    missing = [c for c in (source, target, weight) if c not in edges.columns]
    if missing:
        raise ParameterError(f"edges: no column {missing[0]!r}; columns are "
                             f"{', '.join(map(str, edges.columns))}")
    data = edges.sort_values(weight, ascending=False, kind="stable")
    if top_n is not None:
        data = data.head(top_n)
    if data.empty:
        raise ParameterError("edges: no edge to draw (lower min_count in fazhi.cooccurrence)")
    graph = nx.Graph()
    for a, b, w in zip(data[source], data[target], data[weight]):
        graph.add_edge(str(a), str(b), weight=float(w))
    strength = dict(graph.degree(weight="weight"))
    heaviest = max(strength.values())
    widths = np.array([d["weight"] for _, _, d in graph.edges(data=True)])
    pos = nx.spring_layout(graph, seed=random_state, weight="weight",
                           k=1.5 / np.sqrt(graph.number_of_nodes()))
    fig, ax = new_figure(figsize=(9, 7))
    nx.draw_networkx_edges(graph, pos, ax=ax, width=0.5 + 3.5 * widths / widths.max(),
                           edge_color="#9aa5b1", alpha=0.7)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color="#f3c77b", edgecolors="#b07d2b",
                           node_size=[200 + 1300 * strength[n] / heaviest for n in graph])
    nx.draw_networkx_labels(graph, pos, ax=ax, font_family=use_cjk_font(), font_size=11)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


__all__ = ["bar", "comparison_cloud", "heatmap", "network", "wordcloud"]
