"""Plots draw real Chinese glyphs with the resolved CJK font."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from fazhi import viz
from fazhi.analysis.frequency import term_frequency
from fazhi.exceptions import ParameterError
from fazhi.tokens.segment import tokenize_corpus
from fazhi.viz import fonts, terms


def _pixels(fig) -> np.ndarray:
    """The figure as saved to PNG, RGB values 0–255."""
    import matplotlib.image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    buffer.seek(0)
    return matplotlib.image.imread(buffer)[..., :3] * 255


@pytest.fixture(scope="module")
def seed_terms(seed_corpus) -> pd.DataFrame:
    return term_frequency(tokenize_corpus(seed_corpus), top_n=100)


def test_font_covers_every_character_of_the_seeds_top_terms(seed_terms):
    assert fonts.covers("".join(seed_terms["term"]))


def test_word_cloud_of_the_seeds_is_not_blank(seed_terms):
    pixels = _pixels(viz.wordcloud(seed_terms))
    inked = (pixels < 200).any(axis=-1).mean()
    assert inked > 0.05


def test_different_words_draw_different_glyphs():
    # Missing glyphs would all be the same box: two words of equal length would look alike.
    first = terms._cloud_image({"政务公开": 1.0}, 300, 150, None, "#000000", 0)
    second = terms._cloud_image({"行政复议": 1.0}, 300, 150, None, "#000000", 0)
    assert (first != second).any(axis=-1).mean() > 0.01


def test_bar_labels_use_the_cjk_font():
    fig = viz.bar(pd.DataFrame({"term": ["放管服", "政务公开"], "count": [10, 6]}))
    labels = fig.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == ["政务公开", "放管服"]
    assert labels[0].get_fontname() == fonts.use_cjk_font()


def test_heatmap_keeps_the_column_order_of_the_table():
    long = pd.DataFrame({"doc_id": ["a", "a", "a"], "category": ["党的领导", "政府职能", "行政执法"],
                         "share": [0.2, 0.5, 0.3]})
    fig = viz.heatmap(long, index="doc_id", columns="category", values="share")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["党的领导", "政府职能", "行政执法"]


def test_heatmap_orders_rows_by_total():
    long = pd.DataFrame({"term": ["放管服", "信访", "信访"], "year": [2020, 2020, 2021],
                         "rate": [3.0, 2.0, 2.0]})
    fig = viz.heatmap(long)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["信访", "放管服"]


def test_network_labels_every_term():
    edges = pd.DataFrame({"term1": ["放管服", "放管服"], "term2": ["改革", "营商环境"],
                          "count": [5, 2]})
    fig = viz.network(edges)
    assert {t.get_text() for t in fig.axes[0].texts} == {"放管服", "改革", "营商环境"}


def test_comparison_cloud_titles_come_from_keyness():
    table = pd.DataFrame({"term": ["不够", "有待", "完成"], "g2": [9.0, 4.0, -5.0]})
    table.attrs.update(target="问题", reference="成效")
    fig = viz.comparison_cloud(table)
    assert [ax.get_title() for ax in fig.axes] == ["问题", "成效"]


def test_missing_column_is_a_parameter_error():
    with pytest.raises(ParameterError, match="no column 'rate'"):
        viz.bar(pd.DataFrame({"term": ["放管服"], "count": [1]}), y="rate")


def test_word_cloud_of_nothing_is_a_parameter_error():
    with pytest.raises(ParameterError, match="freqs"):
        viz.wordcloud({"放管服": 0})


def test_prevalence_plot_names_a_report_without_a_year():
    """A table corpus may leave a year empty: its group is drawn as —, not an error."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
    from test_topics import make_tokens

    import fazhi

    tokens = make_tokens()
    units = tokens.units.copy()
    units["year"] = pd.array([None if d == "002_haifeng" else y
                              for d, y in zip(units["doc_id"], units["year"])], dtype="Int64")
    tokens = type(tokens)(units=units, tokens=tokens.tokens, unit=tokens.unit)
    fig = fazhi.plot_prevalence(fazhi.fit_topics(tokens, n_topics=3), by="year")
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(names) == ["2020", "2022", "—"]
