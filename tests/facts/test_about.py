"""Whose figure each fact is (about), parts of a total (part_of), and the stable fact_id."""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest

import fazhi
from fazhi.facts import extract as indicators
from fazhi.facts.about import about_cue, resolve_about
from fazhi.facts.extract import extract_facts, facts_version

TITLE = "{}人民政府关于2021年法治政府建设情况的报告\n\n一、主要工作\n"
DEPUTIES = ("全年市政府系统共承办全国人大代表建议12件、全国政协提案15件,省人大代表建议46件、"
            "省政协提案52件,市人大代表建议共615件、市政协提案488件,均已按期办结。")


def _corpus(tmp_path, reports: dict[str, tuple[str, str]]):
    for name, (organ, body) in reports.items():
        (tmp_path / f"{name}.txt").write_text(TITLE.format(organ) + body + "\n", encoding="utf-8")
    return fazhi.load_corpus(tmp_path)


def _by_value(facts: pd.DataFrame) -> dict[float, str]:
    return dict(zip(facts["value"], facts["about"]))


def test_a_city_report_tells_the_deputies_of_each_congress_apart(tmp_path):
    facts = extract_facts(_corpus(tmp_path, {"nb": ("宁波市", DEPUTIES)}), cache=False)
    assert _by_value(facts) == {12.0: "全国", 15.0: "全国", 46.0: "浙江省", 52.0: "浙江省",
                                615.0: "本级", 488.0: "本级"}


def test_a_county_level_city_names_its_prefecture_and_calls_itself_市(tmp_path):
    body = "今年共办理宁波市人大代表建议4件;办理市十七届人大三次会议代表建议31件。"
    facts = extract_facts(_corpus(tmp_path, {"yy": ("余姚市", body)}), cache=False)
    assert facts.iloc[0][["place", "level"]].tolist() == ["余姚市", "县"]
    assert _by_value(facts) == {4.0: "宁波市", 31.0: "本级"}


def test_a_province_total_quoted_in_a_city_report_is_the_province_s(tmp_path):
    body = "2021年,全省共受理行政复议案件2.1万件,我市受理行政复议案件1,386件。"
    facts = extract_facts(_corpus(tmp_path, {"nb": ("宁波市", body)}), cache=False)
    assert _by_value(facts) == {21000.0: "浙江省", 1386.0: "本级"}


def test_a_place_opening_a_clause_names_whose_figure_it_is(tmp_path):
    # 海丰县's report quotes its prefecture's app: 汕尾's 67 matters are not the county's
    body = ("目前,汕尾“粤省事”累计本地服务事项67项,海丰县注册用户数56.9万;"
            "海丰市场主体注册用户数48324。")
    facts = extract_facts(_corpus(tmp_path, {"hf": ("海丰县", body)}), cache=False)
    assert facts.iloc[0][["city", "county"]].tolist() == ["汕尾市", "海丰县"]
    assert _by_value(facts) == {67.0: "汕尾市", 569000.0: "本级", 48324.0: "本级"}


@pytest.mark.parametrize(("clause", "cue"), [
    ("2022年,揭阳市受理行政复议案件", "揭阳市"),
    ("汕尾“粤省事”累计本地服务事项", "汕尾"),
    ("莲湖区、蓝田县、西咸新区的", ""),   # several places: none of them alone
    ("中山大学法学院培训", ""),          # 中山 is a city's short name, but not here
    ("海丰市场主体注册用户数", ""),       # 海丰 is no city: 海丰县 is
])
def test_only_a_place_that_opens_the_clause_and_ends_there_counts(clause, cue):
    assert about_cue(clause, clause) == cue


def test_a_district_of_a_municipality_calls_the_municipality_by_name():
    assert resolve_about("市", "县", "上海市", "上海市", "浦东新区", "浦东新区") == "上海市"
    assert resolve_about("市", "省", "上海市", "", "", "上海市") == "本级"


def test_without_the_report_s_level_a_tier_before_a_body_stays_as_written():
    facts = extract_facts("承办省人大代表建议46件,全市受理行政复议案件1,386件,"
                          "办理全国政协提案15件。", cache=False)
    assert _by_value(facts) == {46.0: "省", 1386.0: "本级", 15.0: "全国"}


def test_a_national_award_named_after_a_figure_is_not_a_national_figure():
    # the words after 和 belong to the previous figure's noun, not to the scope of this one
    facts = extract_facts("推荐申报4个全国法治政府建设示范地区和5个示范项目。", cache=False)
    assert facts["about"].tolist() == ["本级", "本级"]


def test_the_cue_is_the_tier_or_place_right_before_the_body():
    assert about_cue("办理市十五届人大五次会议人大代表建议") == "市"
    assert about_cue("揭阳政协提案") == "揭阳"
    assert about_cue("受理行政复议案件", "全国共受理行政复议案件") == "全国"


def test_a_breakdown_after_其中_is_a_part_of_the_figure_before_it():
    text = "全年共受理行政复议案件1,386件,其中不予受理的42件;审结1,301件。"
    facts = extract_facts(text, doc_id="d", cache=False)
    assert facts["part_of"].tolist() == ["", facts["fact_id"][0], ""]


def test_a_sentence_opening_with_其中_breaks_down_the_sentence_before():
    facts = extract_facts("全年受理行政复议案件1,386件。其中,经调解撤回申请218件。", cache=False)
    assert facts["part_of"].tolist() == ["", facts["fact_id"][0]]


def test_a_part_in_brackets_ends_at_the_bracket_and_is_about_what_its_total_is(tmp_path):
    body = "承办省政协提案33件(其中重点提案5件),办结市政协提案210件。"
    facts = extract_facts(_corpus(tmp_path, {"nb": ("宁波市", body)}), cache=False)
    assert facts[["value", "about"]].values.tolist() == [
        [33.0, "浙江省"], [5.0, "浙江省"], [210.0, "本级"]]
    assert facts["part_of"].tolist() == ["", facts["fact_id"][0], ""]


def test_a_rate_after_a_breakdown_is_not_a_part():
    facts = extract_facts("共收到依申请公开申请86件,其中线上51件,答复率达到100%。", cache=False)
    assert facts["part_of"].ne("").tolist() == [False, True, False]


def test_the_fact_id_is_the_text_digest_and_the_offset():
    text = "全年共受理行政复议案件156件。"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    assert extract_facts(text, cache=False)["fact_id"].tolist() == [f"{digest}-11"]


def test_the_fact_id_is_the_same_in_another_corpus_holding_the_same_text(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    first = extract_facts(_corpus(one, {"nb2021": ("宁波市", DEPUTIES)}), cache=False)
    second = extract_facts(_corpus(two, {"另一个名字": ("宁波市", DEPUTIES)}), cache=False)
    assert first["doc_id"][0] != second["doc_id"][0]
    assert first["fact_id"].tolist() == second["fact_id"].tolist()


def test_a_cached_text_is_resolved_against_each_report_s_own_level(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path / "cache"))
    city, county = tmp_path / "city", tmp_path / "county"
    for folder, level in ((city, "市"), (county, "县")):
        folder.mkdir()
        (folder / "r.txt").write_text(TITLE.format("宁波市") + "办结市人大代表建议615件。\n",
                                      encoding="utf-8")
        (folder / "metadata.csv").write_text(f"file,level\nr.txt,{level}\n", encoding="utf-8")
    assert extract_facts(fazhi.load_corpus(city))["about"].tolist() == ["本级"]
    # the same text, now a cache hit: the cue is kept, its meaning follows the metadata
    assert extract_facts(fazhi.load_corpus(county))["about"].tolist() == ["宁波市"]


def test_editing_the_about_rules_changes_the_facts_cache_version(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(indicators.DATA_DIR, data)
    before = facts_version()
    rules = data / "facts_about.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("法院, 检察院", "法院"),
                     encoding="utf-8")
    monkeypatch.setattr(indicators, "DATA_DIR", data)
    indicators._rules_digest.cache_clear()
    try:
        assert facts_version() != before
    finally:
        indicators._rules_digest.cache_clear()


@pytest.mark.parametrize(("cue", "meta", "about"), [
    ("", {}, "本级"),
    ("我市", {"level": "县"}, "本级"),
    ("全镇", {"level": "乡"}, "本级"),
    ("县", {"level": "乡", "county": "遂溪县", "city": "湛江市", "province": "广东省"}, "遂溪县"),
    ("全国", {"level": "国家"}, "本级"),
    ("区", {"level": "市", "city": "宁波市", "province": "浙江省"}, "区"),
])
def test_a_cue_is_resolved_against_the_report_s_level(cue, meta, about):
    assert resolve_about(cue, **meta) == about
