"""Metadata inference on the seeds and on realistic reports of other places, tiers and years."""

from __future__ import annotations

import pytest

from fazhi.corpus.metadata import infer_metadata, parse_date
from fazhi.corpus.normalize import normalize_text


def meta(text: str):
    return infer_metadata(normalize_text(text))


# --- the seeds: the values a careful reader writes down -------------------------------

@pytest.mark.parametrize("seed, year, place, city, province, date", [
    ("000", 2020, "普宁市", "揭阳市", "广东省", "2020-12-23"),
    ("001", 2022, "汕尾市", "汕尾市", "广东省", "2023-01-10"),
    ("002", 2021, "海丰县", "汕尾市", "广东省", "2022-01-05"),
    ("003", 2020, "青岛市", "青岛市", "山东省", ""),
    ("004", 2018, "深圳市", "深圳市", "广东省", "2019-01-04"),
])
def test_seed_metadata(seed_docs, seed, year, place, city, province, date):
    doc = seed_docs.loc[seed]
    assert (doc["year"], doc["place"], doc["city"], doc["province"], doc["date"]) == (
        year, place, city, province, date)


def test_seed_levels_and_organ_types(seed_docs):
    assert seed_docs["level"].tolist() == ["县", "市", "县", "市", "市"]
    assert seed_docs["organ_type"].tolist() == ["办公厅", "办公厅", "部门", "办公厅", "办公厅"]


def test_relative_organ_is_completed_with_its_place(seed_docs):
    # 信息来源:市政府办公厅 on a Shenzhen page; 現將市政府辦公廳… in the Qingdao report
    assert seed_docs.loc["004", "organ"] == "深圳市人民政府办公厅"
    assert seed_docs.loc["003", "organ"] == "青岛市人民政府办公厅"


def test_report_without_date_line_says_so(seed_docs):
    assert "no date line" in seed_docs.loc["003", "warnings"]


def test_only_the_qingdao_report_is_traditional(seed_docs):
    assert seed_docs["script"].tolist() == ["simplified"] * 3 + ["traditional", "simplified"]


# --- beyond the seeds ------------------------------------------------------------------

def test_department_report_of_a_prefecture_city():
    m = meta("广州市司法局2021年法治政府建设年度报告\n"
             "2021年,市司法局在市委、市政府的坚强领导下,全面推进依法行政。\n"
             "一、主要举措和成效\n(一)健全依法决策机制。全年审查重大行政决策事项12件。\n"
             "广州市司法局\n2022年2月15日")
    assert (m.organ, m.city, m.province, m.county) == ("广州市司法局", "广州市", "广东省", "")
    assert (m.level, m.organ_type, m.year, m.date) == ("市", "部门", 2021, "2022-02-15")


def test_province_report_titled_guanyu():
    m = meta("广东省人民政府关于2019年度法治政府建设情况的报告\n"
             "2019年,省政府坚持以习近平新时代中国特色社会主义思想为指导。\n"
             "一、主要工作成效\n(一)深化“放管服”改革。\n"
             "广东省人民政府\n2020年3月20日")
    assert (m.province, m.city, m.level, m.organ_type) == ("广东省", "", "省", "政府")
    assert (m.year, m.date) == (2019, "2020-03-20")
    assert m.title == "广东省人民政府关于2019年度法治政府建设情况的报告"


def test_untitled_guanyu_report_signed_in_chinese_numerals():
    m = meta("关于2019年度法治政府建设情况的报告\n"
             "今年以来,县人民政府深入推进依法行政。\n"
             "一、工作开展情况\n全县办理行政复议案件15件。\n"
             "修水县人民政府\n二〇二〇年一月八日")
    assert (m.county, m.city, m.province) == ("修水县", "九江市", "江西省")
    assert (m.year, m.date, m.level, m.organ_type) == (2019, "2020-01-08", "县", "政府")


def test_date_in_the_title():
    m = meta("杭州市西湖区人民政府2020年度法治政府建设工作报告(2021年1月18日)\n"
             "2020年,区政府坚持依法行政。\n一、主要举措\n(一)推进“最多跑一次”改革。")
    assert (m.county, m.city, m.province) == ("西湖区", "杭州市", "浙江省")
    assert (m.year, m.date, m.level) == (2020, "2021-01-18", "县")


def test_same_named_district_is_resolved_by_the_city_the_text_names():
    m = meta("2020年,西湖区司法局围绕南昌市委、南昌市政府部署,推进法治政府建设。\n"
             "一、主要成效\n南昌市西湖区全年办理法律援助案件320件。\n"
             "西湖区司法局\n2021年1月20日")
    assert (m.county, m.city, m.province) == ("西湖区", "南昌市", "江西省")


def test_township_and_national_levels():
    assert meta("2021年,镇政府推进依法行政。\n大沥镇人民政府\n2022年1月10日").level == "乡"
    assert meta("司法部2020年法治政府建设年度报告\n2020年,司法部深入学习贯彻习近平法治思想。").level == "国家"


def test_report_signed_in_january_covers_the_year_before():
    m = meta("今年来,区政府持续推进法治政府建设。\n一、工作成效\n群众满意度持续提升。\n"
             "成都市武侯区人民政府\n2022年1月12日")
    assert (m.year, m.county) == (2021, "武侯区")
    assert "year inferred from the signing date" in m.warnings


def test_what_cannot_be_inferred_stays_empty_and_is_named():
    m = meta("一、主要工作\n全面推进依法行政,取得明显成效。")
    assert (m.organ, m.province, m.date, m.year) == ("", "", "", None)
    assert {"organ not found", "no date line", "year not found"} <= set(m.warnings)


@pytest.mark.parametrize("text, iso", [
    ("2023年1月10日", "2023-01-10"),
    ("二〇二二年十二月三十一日", "2022-12-31"),
    ("发布时间:2021/3/5 10:00", "2021-03-05"),
    ("2022年13月40日", ""),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_street_office_is_a_township_government():
    m = meta("2022年,街道办事处坚持依法行政。\n天河区沙河街道办事处\n2023年1月30日")
    assert (m.level, m.organ_type, m.county, m.city) == ("乡", "政府", "天河区", "广州市")


def test_publisher_line_of_a_scraped_page_names_the_organ():
    m = meta("索引号:11440100/2022-00123\n发布机构:广州市生态环境局\n"
             "2021年度法治政府建设情况报告\n2021年,我局全面推进依法行政。")
    assert (m.organ, m.organ_type, m.city, m.year) == ("广州市生态环境局", "部门", "广州市", 2021)
