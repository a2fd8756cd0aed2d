"""Figures in ``|`` tables: each cell is measured by its row and column heads, and takes
its unit from its head, a head spanning it, or the caption."""

from __future__ import annotations

import pandas as pd

from fazhi.facts.extract import extract_facts
from fazhi.facts.tables import table_cells


def _facts(text: str) -> list[list]:
    return extract_facts(text, cache=False)[["label", "value", "unit"]].values.tolist()


def test_the_caption_gives_the_unit_and_the_heads_give_the_label():
    text = ("附表1:白河县2023年度行政复议案件统计表\n单位:件\n"
            "乡镇 | 收案 | 办结 |\n城关镇 | 46 | 44 |\n茅坪镇 | 12 | 12 |\n")
    assert _facts(text) == [["城关镇收案", 46.0, "件"], ["城关镇办结", 44.0, "件"],
                            ["茅坪镇收案", 12.0, "件"], ["茅坪镇办结", 12.0, "件"]]


def test_side_by_side_pairs_take_the_name_to_their_left_not_the_next_one():
    text = ("表2:各市州受理行政复议案件情况\n市州 | 数量 | 市州 | 数量 |\n"
            "兰州 | 3120 | 天水 | 1450 |\n白银 | 986 | 平凉 | 742 |\n")
    assert [label for label, _, _ in _facts(text)] == ["兰州数量", "天水数量", "白银数量",
                                                       "平凉数量"]


def test_a_unit_in_the_column_head_beats_the_one_spanning_the_row():
    text = ("松阳县2023年度行政处罚实施情况统计表\n行政处罚实施数量(宗) | |||\n"
            "警告 | 罚款 | 罚没金额(万元) |\n2431 | 8765 | 927.36 |\n")
    assert _facts(text) == [["警告", 2431.0, "宗"], ["罚款", 8765.0, "宗"],
                            ["罚没金额", 927.36, "万元"]]


def test_money_in_yi_yuan_from_a_head_is_kept_in_wan_yuan():
    text = "项目 | 涉案金额(亿元) |\n非法集资 | 1.25 |\n"
    assert _facts(text) == [["非法集资涉案金额", 12500.0, "万元"]]


def test_a_column_of_years_dates_the_figure_and_the_row_names_it():
    text = "指标 | 2022年 | 2023年 |\n行政应诉案件 | 315 | 298 |\n"
    assert _facts(text) == [["行政应诉案件", 315.0, ""], ["行政应诉案件", 298.0, ""]]


def test_a_cell_with_its_own_unit_keeps_it():
    text = "单位:件\n部门 | 办结率 |\n市场监管局 | 98.6% |\n"
    assert _facts(text) == [["市场监管局办结率", 98.6, "%"]]


def test_a_cell_holding_words_and_a_number_is_read_as_prose():
    assert table_cells("事项 | 说明 |\n许可 | 共办理许可356件 |\n") == []


def test_a_head_wrapped_in_the_source_is_joined():
    text = "没收违法 所得 | 吊销 许可证 |\n37 | 6 |\n"
    assert [c.label for c in table_cells(text)] == ["没收违法所得", "吊销许可证"]


def test_table_figures_go_through_the_facts_cache_with_ids_of_their_own(tmp_path, monkeypatch):
    # the default, cached path: a report with a table once stopped with KeyError 'fact_id'
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path / "cache"))
    text = ("白河县2023年度法治政府建设情况报告\n全年共办理行政复议案件58件。\n"
            "附表1:白河县2023年度行政复议案件统计表\n单位:件\n"
            "乡镇 | 收案 | 办结 |\n城关镇 | 46 | 44 |\n茅坪镇 | 12 | 12 |\n")
    (tmp_path / "bh.txt").write_text(text, encoding="utf-8")
    import fazhi

    corpus = fazhi.load_corpus(tmp_path / "bh.txt")
    cold = extract_facts(corpus, cache=False)
    cached = extract_facts(corpus)
    again = extract_facts(corpus)
    pd.testing.assert_frame_equal(cached, cold)
    pd.testing.assert_frame_equal(again, cold)
    assert cold["fact_id"].str.fullmatch(r"[0-9a-f]{12}-\d+").all()
    assert "城关镇收案" in set(cold["label"]) and cold["fact_id"].is_unique
    assert (cold["about"] == "本级").all()
