"""The corpus overview behind notebook 00, specified on a three-report corpus written out here,
plus a check on the bundled seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from fazhi.analysis.documents import (
    CorpusSummary,
    document_coverage,
    documents_table,
    removed_lines,
    section_completeness,
    traditional_documents,
)
from fazhi.corpus.model import Corpus
from fazhi.viz.documents import plot_document_coverage, plot_document_lengths


def doc(doc_id, place, year, n_chars, script="simplified"):
    return {"doc_id": doc_id, "path": f"/reports/{doc_id}.txt", "title": f"{place}{year}年度法治政府建设情况报告",
            "organ": f"{place}人民政府", "place": place, "level": "市", "year": year,
            "date": "", "script": script, "text": "。" * n_chars, "n_chars": n_chars,
            "warnings": ""}


def para(doc_id, kind, text):
    return {"doc_id": doc_id, "para_id": 0, "heading": "", "section": "", "kind": kind,
            "text": text, "start": 0, "end": len(text)}


@pytest.fixture
def corp() -> Corpus:
    docs = pd.DataFrame([
        doc("qingdao_2020", "青岛市", 2020, 2866, script="traditional"),
        doc("shanwei_2022", "汕尾市", 2022, 6606),
        doc("shanwei_2020", "汕尾市", 2020, 3100),
    ])
    paragraphs = pd.DataFrame([
        para("qingdao_2020", "成效", "全面推行行政执法“三项制度”。"),
        para("qingdao_2020", "计划", "2021年,将进一步深化“放管服”改革。"),
        para("shanwei_2022", "成效", "制定修订规范性文件12件。"),
        para("shanwei_2022", "成效", "行政复议案件办结率100%。"),
        para("shanwei_2022", "问题", "法治宣传教育的针对性还不够强。"),
        para("shanwei_2022", "责任", "主要负责人认真履行推进法治建设第一责任人职责。"),
        para("shanwei_2022", "计划", "持续推进严格规范公正文明执法。"),
        para("shanwei_2020", "其他", "附件:法治政府建设工作台账。"),
    ])
    removed = pd.DataFrame({
        "doc_id": ["qingdao_2020", "qingdao_2020", "qingdao_2020", "shanwei_2022"],
        "line": ["扫一扫在手机打开当前页", "字体 大 中 小", "扫一扫在手机打开当前页", "您现在的位置:首页"],
    })
    return Corpus(docs=docs, paragraphs=paragraphs, removed=removed)


def test_documents_table_leaves_out_the_text(corp):
    assert "text" not in documents_table(corp).columns


def test_documents_table_is_ordered_by_year_then_place(corp):
    assert list(documents_table(corp)["doc_id"]) == [
        "shanwei_2020", "qingdao_2020", "shanwei_2022"]


def test_coverage_counts_documents_per_place_and_year(corp):
    table = document_coverage(corp)
    assert table.to_dict("records") == [
        {"place": "汕尾市", 2020: 1, 2021: 0, 2022: 1},
        {"place": "青岛市", 2020: 1, 2021: 0, 2022: 0},
    ]


def test_coverage_shows_a_year_without_reports_as_zeros(corp):
    assert list(document_coverage(corp).columns) == ["place", 2020, 2021, 2022]


def test_completeness_counts_paragraphs_per_required_part(corp):
    row = section_completeness(corp).set_index("doc_id").loc["shanwei_2022"]
    assert [row["成效"], row["问题"], row["责任"], row["计划"]] == [2, 1, 1, 1]


def test_completeness_names_the_missing_parts(corp):
    table = section_completeness(corp).set_index("doc_id")
    assert table["missing"].to_dict() == {
        "qingdao_2020": "问题、责任", "shanwei_2022": "", "shanwei_2020": "成效、问题、责任、计划"}


def test_completeness_marks_only_reports_with_all_four_parts_complete(corp):
    table = section_completeness(corp).set_index("doc_id")
    assert table["complete"].to_dict() == {
        "qingdao_2020": False, "shanwei_2022": True, "shanwei_2020": False}


def test_removed_lines_counts_lines_per_report_including_reports_with_none(corp):
    table = removed_lines(corp).set_index("doc_id")
    assert table["n_removed"].to_dict() == {
        "qingdao_2020": 3, "shanwei_2022": 1, "shanwei_2020": 0}


def test_removed_lines_examples_are_distinct(corp):
    table = removed_lines(corp).set_index("doc_id")
    assert table.loc["qingdao_2020", "examples"] == "扫一扫在手机打开当前页 | 字体 大 中 小"


def test_traditional_documents_lists_the_reports_written_in_traditional(corp):
    assert list(traditional_documents(corp)["doc_id"]) == ["qingdao_2020"]


def test_summary_counts_documents_years_and_places(corp):
    assert CorpusSummary.from_corpus(corp) == CorpusSummary(3, (2020, 2022), ("汕尾市", "青岛市"))


def test_summary_labels_a_run_of_years_as_a_range():
    assert CorpusSummary(4, (2019, 2020, 2021), ()).years_label == "2019–2021"


def test_summary_labels_years_with_a_gap_one_by_one():
    assert CorpusSummary(2, (2020, 2022), ()).years_label == "2020, 2022"


def test_summary_elides_places_past_eight():
    places = tuple(f"{c}市" for c in "甲乙丙丁戊己庚辛壬")
    assert CorpusSummary(9, (), places).places_label == (
        "甲市、乙市、丙市、丁市、戊市、己市、庚市、辛市 等 9 地 (9 places)")


def test_length_plot_has_one_bar_per_report_longest_on_top(corp):
    ax = plot_document_lengths(corp).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["青岛市 2020", "汕尾市 2020", "汕尾市 2022"]


def test_length_plot_labels_two_reports_of_one_place_and_year_by_doc_id(corp):
    corp.docs.loc[corp.docs["doc_id"] == "shanwei_2020", "year"] = 2022
    labels = [t.get_text() for t in plot_document_lengths(corp).axes[0].get_yticklabels()]
    assert labels == ["青岛市 2020", "汕尾市 2022 (shanwei_2020)", "汕尾市 2022 (shanwei_2022)"]


def test_length_plot_uses_a_font_with_chinese_glyphs(corp):
    from matplotlib import font_manager

    from fazhi.viz.fonts import covers

    label = plot_document_lengths(corp).axes[0].get_yticklabels()[0]
    assert covers("汕尾市青岛市", font_manager.findfont(label.get_fontproperties()))


def test_coverage_heatmap_labels_each_cell_with_its_count(corp):
    ax = plot_document_coverage(corp).axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["0", "0", "0", "1", "1", "1"]


def test_seed_completeness_has_one_row_per_seed_report(seed_corpus):
    assert len(section_completeness(seed_corpus)) == 5
