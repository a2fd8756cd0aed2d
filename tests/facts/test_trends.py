"""Trend tables, the coverage matrix, the most disclosed indicators and their plots."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from fazhi.exceptions import ParameterError
from fazhi.facts.extract import extract_facts
from fazhi.facts.trends import (
    coverage_matrix,
    most_disclosed,
    trace,
    trend_rows,
    trend_sources,
    trend_table,
)
from fazhi.viz.trends import plot_coverage, plot_trends

matplotlib.use("Agg")

REPORTS = [
    # (doc_id, place, year, text)
    ("cd21", "成都市", 2021, "全年办理行政复议案件1,156件,直接纠错率14.7%。全市政府网站发布政府信息4.2万条。"),
    ("cd22", "成都市", 2022, "全年办理行政复议案件1,302件,直接纠错率12.1%。全市政府网站发布政府信息约4.6万条。"),
    ("jx22", "嘉兴市", 2022, "共办理行政复议案件421件,行政机关负责人出庭应诉率100%。"),
    ("lg22", "龙岗区", 2022, "全年收到网民留言8,567条,回复8,421条。群众满意率由上年的92.3%提升到96.1%。"),
]


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    tables = [extract_facts(text, doc_id=d).assign(place=p, year=y) for d, p, y, text in REPORTS]
    return pd.concat(tables, ignore_index=True)


def test_trend_table_is_place_by_year_per_indicator(facts):
    table = trend_table(facts, "行政复议案件数")
    assert table.columns.tolist() == [2021, 2022]
    assert table.loc[("行政复议案件数", "件", "成都市")].tolist() == [1156.0, 1302.0]
    assert table.loc[("行政复议案件数", "件", "嘉兴市"), 2022] == 421.0


def test_trend_table_groups_by_another_column(facts):
    table = trend_table(facts.assign(province="四川省"), "行政复议纠错率", by="province")
    assert table.loc[("行政复议纠错率", "%", "四川省")].tolist() == [14.7, 12.1]


def test_trend_table_leaves_out_the_starting_value_of_a_change(facts):
    assert trend_table(facts, "满意率").loc[("满意率", "%", "龙岗区"), 2022] == 96.1


def test_trend_table_aggregation_is_chosen_by_name(facts):
    table = trend_table(facts, "行政复议案件数", agg="count")
    assert table.loc[("行政复议案件数", "件", "成都市")].tolist() == [1.0, 1.0]


def test_an_unknown_aggregation_is_refused(facts):
    with pytest.raises(ParameterError, match="agg must be one of"):
        trend_table(facts, agg="median")


def test_an_unknown_indicator_name_is_refused(facts):
    with pytest.raises(ParameterError, match="unknown indicator"):
        trend_table(facts, "行政复议案件")


def test_facts_without_years_are_refused_with_advice():
    with pytest.raises(ParameterError, match="extract them from a Corpus"):
        trend_table(extract_facts("全年办理行政复议案件156件。"))


def test_coverage_matrix_counts_facts_per_report_and_indicator(facts):
    cov = coverage_matrix(facts, ["行政复议案件数", "负责人出庭应诉率"])
    assert cov.to_dict(orient="index") == {
        "cd21": {"行政复议案件数": 1, "负责人出庭应诉率": 0},
        "cd22": {"行政复议案件数": 1, "负责人出庭应诉率": 0},
        "jx22": {"行政复议案件数": 1, "负责人出庭应诉率": 1},
        "lg22": {"行政复议案件数": 0, "负责人出庭应诉率": 0},
    }


def test_coverage_matrix_keeps_indicators_disclosed_by_enough_reports(facts):
    assert coverage_matrix(facts, min_reports=3).columns.tolist() == ["行政复议案件数"]


def test_most_disclosed_ranks_by_number_of_reports(facts):
    table = most_disclosed(facts, top_n=2)
    assert table[["indicator", "n_reports", "unit", "share"]].values.tolist() == [
        ["行政复议案件数", 3, "件", 0.75], ["主动公开信息数", 2, "条", 0.5]]


def test_min_reports_must_be_a_positive_integer(facts):
    with pytest.raises(ParameterError, match="min_reports"):
        most_disclosed(facts, min_reports=0)


def test_plot_trends_draws_one_panel_per_indicator_and_hollow_approximate_points(facts):
    fig = plot_trends(facts, ["行政复议案件数", "主动公开信息数"])
    assert [ax.get_title() for ax in fig.axes] == ["行政复议案件数（件）", "主动公开信息数（条）"]
    faces = [c.get_facecolors() for c in fig.axes[1].collections]
    assert sorted(len(f) for f in faces) == [0, 1]  # one filled (2021), one hollow (约4.6万)


def test_plot_trends_draws_a_lower_bound_as_an_upward_triangle():
    text = "执法人员培训率达到95%以上。"
    facts = pd.concat([
        extract_facts(text, doc_id="a").assign(place="某市", year=2021),
        extract_facts("执法人员培训率达到98%。", doc_id="b").assign(place="某市", year=2022),
    ]).assign(indicator="培训率")
    fig = plot_trends(facts, "培训率")
    paths = {len(c.get_paths()[0].vertices) for c in fig.axes[0].collections}
    import matplotlib.markers as mm
    import matplotlib.path as mp
    want = {len(mp.Path(mm.MarkerStyle(m).get_path().vertices).vertices) for m in ("^", "o")}
    assert paths == want and len(want) == 2
    assert "▲" in fig.texts[0].get_text()


def test_plot_trends_refuses_to_mix_units_in_one_panel(facts):
    mixed = pd.concat([facts, facts.iloc[[0]].assign(unit="宗", doc_id="cd23", year=2023)])
    with pytest.raises(ParameterError, match=r"mixes units \['件', '宗'\]"):
        plot_trends(mixed, "行政复议案件数", units="strict")


def test_plot_trends_keeps_the_dominant_unit_when_asked(facts):
    mixed = pd.concat([facts, facts.iloc[[0]].assign(unit="宗", doc_id="cd23", year=2023)])
    fig = plot_trends(mixed, "行政复议案件数", units="dominant")
    assert fig.axes[0].get_title() == "行政复议案件数（件）"


def test_plot_trends_keeps_the_dominant_unit_by_default(facts):
    mixed = pd.concat([facts, facts.iloc[[0]].assign(unit="宗", doc_id="cd23", year=2023)])
    fig = plot_trends(mixed, "行政复议案件数")
    assert fig.axes[0].get_title() == "行政复议案件数（件）"


def test_plot_trends_with_its_defaults_draws_the_seeds(seed_corpus):
    # 网上留言数 is reported in 条 and in 个 across the seeds: the default plots its main unit.
    fig = plot_trends(extract_facts(seed_corpus))
    assert len([ax for ax in fig.axes if ax.get_title()]) >= 1


def test_plot_trends_with_nothing_to_plot_says_so(facts):
    fig = plot_trends(facts.iloc[0:0])
    assert "no indicator to plot" in fig.axes[0].texts[0].get_text()


def test_plot_coverage_labels_reports_with_place_and_year(facts):
    fig = plot_coverage(facts)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["成都市 2021", "成都市 2022", "嘉兴市 2022", "龙岗区 2022"]


def test_the_seed_trend_table_holds_the_issue_figures(seed_corpus):
    table = trend_table(extract_facts(seed_corpus), "12345热线工单数")
    assert table.loc[("12345热线工单数", "件", "青岛市"), 2020] == 4_130_000.0


CORPUS_REPORTS = {
    "cd22.txt": "成都市人民政府关于2022年法治政府建设情况的报告\n\n一、工作开展情况\n"
                "全年办理行政复议案件1,302件,直接纠错率12.1%。\n",
    "jx22.txt": "嘉兴市司法局关于2022年法治政府建设情况的报告\n\n一、工作开展情况\n"
                "共办理行政复议案件421件,行政机关负责人出庭应诉率100%。\n",
    # a report that states no figure at all
    "lg22.txt": "龙岗区人民政府关于2022年法治政府建设情况的报告\n\n一、工作开展情况\n"
                "坚持依法行政,深化放管服改革,推进严格规范公正文明执法。\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    import fazhi

    folder = tmp_path_factory.mktemp("reports")
    for name, text in CORPUS_REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return fazhi.load_corpus(folder)


def test_a_report_without_figures_is_a_row_of_zeros_in_the_coverage_matrix(corpus):
    cov = coverage_matrix(extract_facts(corpus))
    assert cov.index.tolist() == ["cd22", "jx22", "lg22"]
    assert cov.loc["lg22"].tolist() == [0, 0, 0]


def test_a_report_without_figures_counts_in_the_share_of_reports(corpus):
    table = most_disclosed(extract_facts(corpus)).set_index("indicator")
    assert table.loc["行政复议案件数", ["n_reports", "share"]].tolist() == [2, 0.667]


def test_the_reports_can_be_given_as_the_corpus(corpus):
    facts = pd.DataFrame(extract_facts(corpus))
    facts.attrs = {}
    assert coverage_matrix(facts).index.tolist() == ["cd22", "jx22"]
    assert coverage_matrix(facts, corpus=corpus).index.tolist() == ["cd22", "jx22", "lg22"]
    assert most_disclosed(facts, corpus=corpus.docs)["share"].iloc[0] == 0.667


def test_the_coverage_plot_labels_a_report_without_figures(corpus):
    fig = plot_coverage(extract_facts(corpus))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "成都市 2022", "嘉兴市 2022", "龙岗区 2022"]


@pytest.mark.parametrize(("by", "groups"), [
    ("level", ["市"]),
    ("organ_type", ["政府", "部门"]),
])
def test_trend_table_groups_by_any_metadata_column(corpus, by, groups):
    table = trend_table(extract_facts(corpus), "行政复议案件数", by=by)
    assert table.index.get_level_values(by).tolist() == groups


def test_trend_table_keeps_indicators_disclosed_by_min_reports(corpus):
    facts = extract_facts(corpus)
    assert trend_table(facts, by="organ_type", min_reports=2).index.get_level_values(
        "indicator").unique().tolist() == ["行政复议案件数"]
    assert len(trend_table(facts, by="organ_type").index.get_level_values(
        "indicator").unique()) == 3


def test_an_unknown_by_column_names_the_choices(facts):
    with pytest.raises(ParameterError, match="by must be one of"):
        trend_table(facts, by="mood")


# --- like with like: whose figure, parts of a total, the rule for a cell ---------------

def test_the_seed_trend_rows_show_the_organ_s_own_deputies_and_members(seed_corpus):
    table = trend_table(extract_facts(seed_corpus), ["人大代表建议数", "政协提案数"])
    assert table.loc[("人大代表建议数", "件", "深圳市"), 2018] == 822.0
    assert table.loc[("政协提案数", "件", "深圳市"), 2018] == 536.0
    assert table.loc[("人大代表建议数", "件", "普宁市"), 2020] == 22.0
    assert table.loc[("政协提案数", "件", "普宁市"), 2020] == 26.0


def test_every_figure_keeps_other_bodies_on_rows_of_their_own(seed_corpus):
    table = trend_table(extract_facts(seed_corpus), "人大代表建议数", about=None)
    shenzhen = table.xs("深圳市", level="place")[2018]
    assert shenzhen.to_dict() == {("人大代表建议数", "全国", "件"): 5.0,
                                  ("人大代表建议数", "广东省", "件"): 27.0,
                                  ("人大代表建议数", "本级", "件"): 822.0}
    puning = table.xs("普宁市", level="place")[2020].dropna()
    assert puning.to_dict() == {("人大代表建议数", "揭阳市", "件"): 3.0,
                                ("人大代表建议数", "本级", "件"): 22.0}


def test_one_other_body_can_be_asked_for(seed_corpus):
    table = trend_table(extract_facts(seed_corpus), "政协提案数", about="全国")
    assert table.loc[("政协提案数", "件", "深圳市"), 2018] == 9.0


PARTS = {
    "hz22.txt": "杭州市人民政府关于2022年法治政府建设情况的报告\n\n一、工作开展情况\n"
                "全年共受理行政复议案件2,315件,其中涉企行政复议案件624件。\n",
    "hz21.txt": "杭州市人民政府关于2021年法治政府建设情况的报告\n\n一、工作开展情况\n"
                "全省共受理行政复议案件1.9万件,全市受理行政复议案件2,087件。\n",
}


@pytest.fixture(scope="module")
def parts_facts(tmp_path_factory) -> pd.DataFrame:
    import fazhi

    folder = tmp_path_factory.mktemp("parts")
    for name, text in PARTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return extract_facts(fazhi.load_corpus(folder))


def test_a_part_never_stands_for_its_total(parts_facts):
    facts = parts_facts
    assert trend_table(facts, "行政复议案件数", agg="count").loc[
        ("行政复议案件数", "件", "杭州市")].tolist() == [1.0, 1.0]
    with_parts = trend_table(facts, "行政复议案件数", agg="count", parts=True)
    assert with_parts.loc[("行政复议案件数", "件", "杭州市"), 2022] == 2.0


def test_a_quoted_province_total_is_not_the_city_s_figure(parts_facts):
    table = trend_table(parts_facts, "行政复议案件数")
    assert table.loc[("行政复议案件数", "件", "杭州市")].tolist() == [2087.0, 2315.0]


def test_coverage_counts_a_report_s_own_figures_only(parts_facts):
    own = coverage_matrix(parts_facts, "行政复议案件数")
    assert own["行政复议案件数"].to_dict() == {"hz22": 1, "hz21": 1}
    every = coverage_matrix(parts_facts, "行政复议案件数", about=None, parts=True)
    assert every["行政复议案件数"].to_dict() == {"hz22": 2, "hz21": 2}


def test_a_cell_does_not_depend_on_the_order_of_the_figures():
    text = "推进251项事项进驻市政务服务中心,进驻事项共计663项。"
    facts = extract_facts(text, doc_id="pn").assign(place="普宁市", year=2020)
    backwards = facts.iloc[::-1].assign(start=facts["start"].to_numpy()[::-1])
    for table in (trend_table(facts, "进驻事项数"), trend_table(backwards, "进驻事项数")):
        assert table.loc[("进驻事项数", "项", "普宁市"), 2020] == 663.0


def test_trace_lists_the_figures_and_sentences_behind_a_cell(seed_corpus):
    facts = extract_facts(seed_corpus)
    behind = trace(facts, "深圳市", 2018, "人大代表建议数", about=None)
    assert behind[["value", "about"]].values.tolist() == [
        [5.0, "全国"], [27.0, "广东省"], [822.0, "本级"]]
    assert behind["sentence"].str.contains("市人大代表建议共822件").all()
    assert behind["fact_id"].isin(facts["fact_id"]).all()


def test_trend_sources_mark_the_figure_each_cell_shows():
    text = "推进251项事项进驻市政务服务中心,进驻事项共计663项。"
    facts = extract_facts(text, doc_id="pn").assign(place="普宁市", year=2020)
    sources = trend_sources(facts, "进驻事项数")
    assert sources[["cell", "value", "shown"]].values.tolist() == [
        [663.0, 251.0, False], [663.0, 663.0, True]]
    assert trend_sources(facts, "进驻事项数", agg="sum")["shown"].tolist() == [True, True]


def test_a_running_total_is_kept_apart_from_the_year_s_figure():
    # 普宁 2020: 251 matters moved in that year, 663 in the centre since it opened
    text = "推进251项事项进驻市政务服务中心,累计进驻事项663项。"
    facts = extract_facts(text, doc_id="pn").assign(place="普宁市", year=2020)
    assert facts["running"].tolist() == [False, True]
    cell = ("进驻事项数", "项", "普宁市")
    assert trend_table(facts, "进驻事项数").loc[cell, 2020] == 251.0
    assert trend_table(facts, "进驻事项数", running=True).loc[cell, 2020] == 663.0
    both = trend_table(facts, "进驻事项数", running=None)
    assert both[2020].to_dict() == {("进驻事项数", False, "项", "普宁市"): 251.0,
                                    ("进驻事项数", True, "项", "普宁市"): 663.0}
    with pytest.raises(ParameterError, match="running"):
        trend_table(facts, running="yes")


@pytest.mark.parametrize("sentence, running", [
    ("2022年市政府门户网站累计处理网民有效留言1797条。", False),
    ("全年累计办理工程建设项目审批事项1216件。", False),
    ("今年以来,累计受理投诉35件。", False),
    ("截至2022年底,累计办理不动产登记4.2万件。", True),
    ("自2016年以来累计培训执法人员3000人次。", True),
    ("目前,汕尾“粤省事”累计本地服务事项67项。", True),
    ("受理行政复议案件156件。", False),
])
def test_running_totals_are_told_from_the_year_s_totals(sentence, running):
    assert extract_facts(sentence)["running"].tolist() == [running]


def test_a_cell_keeps_the_bound_of_the_figure_it_shows():
    text = "行政执法人员培训率达到95%以上。案件办结率98%。"
    facts = extract_facts(text, doc_id="d").assign(place="某市", year=2021)
    assert facts[["value", "bound"]].values.tolist() == [[95.0, "≥"], [98.0, ""]]
    rows = trend_rows(facts.assign(indicator="x"), None, "place", "min")
    assert rows[["value", "approx", "bound"]].values.tolist() == [[95.0, True, "≥"]]
    rows = trend_rows(facts.assign(indicator="x"), None, "place", "max")
    assert rows[["value", "approx", "bound"]].values.tolist() == [[98.0, False, ""]]
