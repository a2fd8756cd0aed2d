"""Sections, paragraphs and section kinds."""

from __future__ import annotations

import pytest

from fazhi.corpus.metadata import infer_metadata
from fazhi.corpus.normalize import normalize_text
from fazhi.corpus.structure import section_kind, split_paragraphs

REPORT = """2021年,县司法局坚持依法行政。
一、主要工作及成效
(一)加强理论学习,夯实法治政府建设基础
坚持把学习贯彻习近平法治思想作为首要政治任务。
(二)深化“放管服”改革
1.深化简政放权。推动县有关部门优化审批流程。
2.推进“互联网+监管”。一是完善监管事项清单。二是开展双随机抽查。
二、存在的问题和不足
一是法治宣传力度不够。二是执法队伍专业化水平有待提高。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人带头学法。
四、2022年工作计划
(一)进一步加强法治宣传教育。建立健全领导干部学法制度。
海丰县司法局
2022年1月5日"""


@pytest.fixture(scope="module")
def rows():
    # the signature block (organ, date) is found by metadata inference
    return split_paragraphs(REPORT, skip=infer_metadata(normalize_text(REPORT)).skip)


def test_preamble_is_other(rows):
    assert (rows[0]["kind"], rows[0]["heading"]) == ("其他", "")


def test_heading_path_has_every_level(rows):
    row = next(r for r in rows if r["text"].startswith("1.深化简政放权"))
    assert row["heading"] == "一、主要工作及成效 > (二)深化“放管服”改革 > 1.深化简政放权。"
    assert row["section"] == "一、主要工作及成效"


def test_yishi_ershi_items_become_paragraphs(rows):
    problems = [r["text"] for r in rows if r["kind"] == "问题"]
    assert problems == ["一是法治宣传力度不够。", "二是执法队伍专业化水平有待提高。"]


def test_every_kind_is_read_from_headings(rows):
    assert [r["kind"] for r in rows] == ["其他", "成效", "成效", "成效", "成效", "成效", "问题",
                                         "问题", "责任", "计划"]


def test_offsets_point_into_the_text(rows):
    for r in rows:
        assert REPORT[r["start"]:r["end"]].strip() == r["text"]


def test_signature_lines_are_not_paragraphs(rows):
    assert all("2022年1月5日" not in r["text"] for r in rows)


@pytest.mark.parametrize("path, kind", [
    (["二、存在问题"], "问题"),
    (["三、下一步工作思路", "(一)进一步改进优化政务公开工作。"], "计划"),
    (["七、2021年度工作打算"], "计划"),
    (["二、依法全面履行政府职能", "(一)打造优质高效政务服务环境。"], "成效"),
    (["一、主要举措及成效", "(四)其他工作完成情况。"], "成效"),
    (["四、存在的不足和下一步工作计划", "(一)存在的不足"], "问题"),
    (["四、存在的不足和下一步工作计划", "(二)下一步计划"], "计划"),
    (["五、其他需要报告的事项"], "其他"),
    (["二、存在的困难与挑战"], "问题"),
    (["三、困难与挑战"], "问题"),
    (["二、工作中存在的困难"], "问题"),
    # 落实情况 is 成效's wording too; the duty of the first responsible person is what it is about
    (["三、党政主要负责人履行推进法治建设第一责任人职责落实情况"], "责任"),
    (["二、存在的主要问题及原因分析"], "问题"),
    (["四、2022年工作谋划"], "计划"),
    (["五、其他有关情况"], "其他"),
])
def test_section_kind(path, kind):
    assert section_kind(path) == kind


def test_seeds_have_results_and_plans_and_problems_where_discussed(seed_corpus):
    kinds = seed_corpus.paragraphs.groupby("doc_id")["kind"].agg(set)
    assert all({"成效", "计划"} <= k for k in kinds)
    # every seed but the Qingdao one has a 存在问题 section
    assert [("问题" in k) for k in kinds] == [True, True, True, False, True]


def test_part_headings_stand_above_numbered_sections():
    rows = split_paragraphs("第一部分 主要工作\n一、推进依法行政\n审查文件12件。\n"
                            "第二部分 存在的问题\n一、执法力量薄弱\n执法人员不足。")
    assert [(r["section"], r["kind"]) for r in rows] == [("第一部分 主要工作", "成效"),
                                                         ("第二部分 存在的问题", "问题")]
    assert rows[1]["heading"] == "第二部分 存在的问题 > 一、执法力量薄弱"


def test_a_plan_written_as_a_list_of_heading_sentences_is_kept():
    rows = split_paragraphs("三、2022年工作打算\n(一)深化“放管服”改革。\n(二)加强执法监督。\n"
                            "四、其他需要报告的事项")
    assert [(r["kind"], r["text"]) for r in rows] == [("计划", "(一)深化“放管服”改革。"),
                                                      ("计划", "(二)加强执法监督。")]


def test_under_a_combined_heading_the_next_steps_paragraph_is_the_plan():
    rows = split_paragraphs("三、存在的不足和下一步打算\n仍存在一些不足:执法力量薄弱。\n"
                            "下一步,我局将加强执法队伍建设。")
    assert [r["kind"] for r in rows] == ["问题", "计划"]
