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


# --- real reports as published: the organ, its tier and its place ---------------------

@pytest.mark.parametrize("opening, organ", [
    ("2022年,漳浦县公安局在县委、县政府的坚强领导下,全面推进执法规范化建设。", "漳浦县公安局"),
    ("2021年,淮安市坚持以习近平法治思想为指导,扎实推进法治政府建设。", "淮安市人民政府"),
    ("2023年,湖北省委、省政府坚持以习近平新时代中国特色社会主义思想为指导。", "湖北省人民政府"),
    ("2020年,广西壮族自治区党委和政府深入学习贯彻习近平法治思想。", "广西壮族自治区人民政府"),
    ("2024年,宁乡市政府认真落实《法治政府建设实施纲要》。", "宁乡市人民政府"),
])
def test_the_opening_sentences_subject_is_the_organ(opening, organ):
    m = meta(opening + "\n一、主要举措和成效\n全年办理行政复议案件86件。")
    assert m.organ == organ


def test_a_salutation_names_whom_the_report_is_sent_to_not_the_organ():
    m = meta("漳州市人民政府:\n2023年,长泰区坚持依法行政,法治政府建设取得新成效。现将有关情况报告如下:\n"
             "一、主要举措\n全区办理行政复议案件41件。")
    assert (m.organ, m.county, m.city, m.level) == ("长泰区人民政府", "长泰区", "漳州市", "县")


def test_a_district_government_of_a_municipality_is_named_with_its_city():
    m = meta("2022年,静安区政府坚持以习近平法治思想为指导,推进法治政府建设。\n一、主要举措\n全年审查合同88件。")
    assert (m.organ, m.province, m.county, m.level) == ("上海市静安区人民政府", "上海市", "静安区", "县")


def test_a_report_that_never_names_itself_takes_its_tier_from_how_it_speaks():
    m = meta("省政府、市委、市人大:\n2019年,我市法治政府建设紧紧围绕市委、市政府中心工作,稳中求进。\n"
             "一、依法全面履行政府职能\n按照《湖南省法治政府建设实施方案》要求,推进株洲市“放管服”改革。")
    assert (m.organ, m.city, m.province, m.level) == ("株洲市人民政府", "株洲市", "湖南省", "市")


def test_a_department_that_says_我局_is_no_government():
    m = meta("2021年,在市委、市政府的正确领导下,我局坚持依法行政。\n一、主要做法\n"
             "全面落实《德阳市2021年依法行政工作要点》,全年办结案件36件。")
    assert (m.organ, m.city, m.level) == ("", "德阳市", "市")


@pytest.mark.parametrize("opening, level", [
    ("2022年,我镇坚持以习近平法治思想为指导,推进基层依法治理。", "乡"),
    ("2021年,全乡深入开展法治宣传教育,群众法治意识明显增强。", "乡"),
    ("2023年,全市上下扎实推进法治政府建设,取得明显成效。", "市"),
    ("2020年,区政府坚持依法行政,推进法治政府建设。", "县"),
])
def test_level_from_the_organs_own_words_without_a_place(opening, level):
    m = meta(opening + "\n一、主要工作\n全年开展普法活动24场。")
    assert (m.level, m.province) == (level, "")


def test_a_township_is_乡_even_when_a_place_above_it_is_found():
    m = meta("2021年,在区委、区政府的坚强领导下,小河街道深入推进法治建设。\n"
             "一、主要成效\n杭州市拱墅区法治建设考核中,街道获评优秀。")
    assert (m.organ, m.level) == ("小河街道办事处", "乡")


def test_a_township_resolves_to_its_county_through_the_township_list():
    m = meta("北坡镇2021年法治政府建设工作总结\n2021年,我镇坚持依法行政,推进基层治理法治化。\n"
             "一、主要做法\n全镇调解矛盾纠纷58宗。")
    assert (m.organ, m.county, m.city, m.province, m.level, m.adcode) == (
        "北坡镇人民政府", "遂溪县", "湛江市", "广东省", "乡", "440823")


def test_a_township_name_shared_across_china_leaves_the_county_empty():
    m = meta("城关镇2022年法治政府建设情况报告\n2022年,城关镇在县委、县政府的领导下推进依法行政。\n"
             "一、主要工作\n全镇办理法律援助案件12件。")
    assert (m.organ, m.county, m.level) == ("城关镇人民政府", "", "乡")
    assert any("several counties" in w for w in m.warnings)


def test_a_district_branch_of_a_city_bureau_is_the_districts():
    m = meta("广州市公安局增城区分局2021年法治政府建设年度报告\n2021年,分局坚持严格规范公正文明执法。\n"
             "一、主要举措\n全年办理行政案件1203宗。")
    assert (m.county, m.city, m.level) == ("增城区", "广州市", "县")


@pytest.mark.parametrize("organ", ["国务院", "司法部", "原环境保护部"])
def test_national_organs_have_no_place(organ):
    m = meta(f"{organ}2017年法治政府建设情况报告\n2017年,{organ}深入推进依法行政。\n"
             "一、主要工作\n指导广东、浙江、江苏等省开展行政复议体制改革试点。\n2018年3月20日于北京市")
    assert (m.level, m.province, m.city, m.county, m.adcode) == ("国家", "", "", "", "")


def test_a_ministrys_site_header_names_the_organ():
    m = meta("中华人民共和国司法部\n政府信息公开\n2020年全国行政复议、行政应诉案件统计数据\n"
             "来源:司法部官网 发布时间:2021-09-10 10:20\n表1:各省受理行政复议案件情况\n广东 | 30512 | 浙江 | 6012")
    assert (m.organ, m.level, m.province, m.year, m.date) == ("中华人民共和国司法部", "国家", "", 2020, "2021-09-10")


def test_a_place_merely_mentioned_is_not_the_organs():
    m = meta("2023年,普陀区公安分局全力做好杭州亚运会安保工作。杭州亚运会期间,杭州亚运会场馆周边"
             "未发生案事件。\n一、主要成效\n舟山市普陀区全年办理行政案件880起。")
    assert (m.city, m.county) == ("舟山市", "普陀区")


def test_示范县_is_no_place_named_范县():
    m = meta("2021年,我县成功创建全国法治政府建设示范县。全国法治政府建设示范县创建工作经验在全省推广。"
             "\n一、主要举措\n汝州市全年审查规范性文件18件。")
    assert "范县" not in (m.county, m.place)


@pytest.mark.parametrize("subject", ["某县", "**县", "xx市"])
def test_an_anonymised_place_stays_empty(subject):
    m = meta(f"2021年,{subject}坚持依法行政,推进法治政府建设。\n一、主要工作\n"
             "学习《河南省法治政府建设实施方案》,全年办理行政复议案件21件。")
    assert (m.province, m.city, m.county, m.adcode) == ("", "", "", "")


def test_sidecar_national_organ_clears_the_places_the_text_mentions():
    from fazhi.corpus.metadata import refresh_derived

    row = {"organ": "国务院", "province": "台湾省", "city": "", "county": "", "place": "台湾省",
           "adcode": "710000", "level": "省", "organ_type": "部门", "warnings": ""}
    r = refresh_derived(row, {"organ"})
    assert (r["province"], r["place"], r["adcode"], r["level"]) == ("", "", "", "国家")


# --- titles as pages print them ----------------------------------------------------------

@pytest.mark.parametrize("title, organ", [
    ("标题 江西省人民政府关于2021年度法治政府建设情况的报告", "江西省人民政府"),
    ("[权威发布]贵州省2019年法治政府建设情况报告", "贵州省人民政府"),
    ("2020年天津市法治政府建设情况的报告", "天津市人民政府"),
    ("• 甘肃省人民政府br关于2022年度法治政府建设情况的报告", "甘肃省人民政府"),
])
def test_a_title_with_a_label_tag_or_leading_year_names_its_organ(title, organ):
    m = meta(title + "\n2021年,全省上下推进依法行政。\n一、主要工作\n办理行政复议案件12件。")
    assert m.organ == organ


def test_a_title_whose_last_words_are_on_the_next_line():
    m = meta("青街畲族乡人民政府关于2022年度法治政府建设\n工作的报告\n2022年,全乡推进依法行政。\n"
             "一、主要工作\n调解纠纷18起。")
    assert (m.title, m.organ, m.county) == (
        "青街畲族乡人民政府关于2022年度法治政府建设工作的报告", "青街畲族乡人民政府", "平阳县")


# --- dates the way web pages print them --------------------------------------------------

@pytest.mark.parametrize("header, iso", [
    ("发布时间:2022-03-15 09:12", "2022-03-15"),
    ("更新时间:2021年04月02日", "2021-04-02"),
    ("时间:2023年02月17日来源:区司法局", "2023-02-17"),
    ("| 发文日期 | 2018-02-28 |", "2018-02-28"),
    ("发文字号 赣府字〔2022〕9号 发布时间 2022年03月29日", "2022-03-29"),
    ("发布时间:\n2024-03-08", "2024-03-08"),
    ("• 2021年03月22日 16时47分", "2021-03-22"),
    ("2019-08-06 15:46 来源:市司法局", "2019-08-06"),
    ("来源:宜春日报 2025-03-11", "2025-03-11"),
    ("发布日期:98-08-06", "2009-08-06"),
    ("民國98年8月6日", "2009-08-06"),
])
def test_dates_of_page_headers_and_bylines(header, iso):
    m = meta(f"宜丰县2020年法治政府建设情况报告\n{header}\n"
             "2020年,县政府坚持依法行政,推进法治政府建设取得新成效,全年审查合同45件。")
    assert m.date == iso


def test_a_sites_live_clock_is_not_a_date():
    m = meta("今天是2024年5月6日 星期一\n宜丰县2023年法治政府建设情况报告\n"
             "2023年,县政府坚持依法行政,推进法治政府建设取得新成效,全年审查合同45件。")
    assert (m.date, m.year) == ("", 2023)


def test_a_byline_in_the_header_is_no_signature():
    m = meta("崇义县2020年法治政府建设情况的报告\n时间:2021年03月02日来源:县司法局\n县司法局 2021年03月02日\n"
             "2020年,崇义县坚持依法行政,推进法治政府建设,全年审查规范性文件9件。")
    assert (m.organ, m.date) == ("崇义县人民政府", "2021-03-02")


# --- the year a report covers --------------------------------------------------------------

def test_a_span_of_years_is_not_the_year_covered():
    m = meta("从2016年到2020年,全县法治政府建设稳步推进。五年来,累计办理行政复议案件320件。\n"
             "一、主要成效\n2016至2020年累计培训执法人员1200人次。")
    assert m.year is None


def test_an_roc_year_is_converted():
    m = meta("108年度法治政府建设情况报告\n民国108年,本府持续推动依法行政。\n一、主要工作\n办理诉愿案件35件。")
    assert m.year == 2019


def test_a_street_named_after_another_city_is_not_that_city():
    m = meta("2021年,北京街道坚持以习近平法治思想为指导,推进基层依法治理。\n一、主要工作\n"
             "在越秀区委、区政府领导下,全年调解纠纷96宗。")
    assert (m.organ, m.province, m.city, m.county, m.level) == (
        "北京街道办事处", "广东省", "广州市", "越秀区", "乡")


def test_a_department_report_quoting_its_government_keeps_no_government_organ():
    m = meta("2022年,我局坚持依法行政。县政府印发《2022年依法行政工作要点》,我局逐项落实。\n"
             "一、主要做法\n宁化县全年办理行政许可1200件。")
    assert (m.organ, m.county, m.level) == ("", "宁化县", "县")


def test_我区_is_a_districts_when_the_text_names_one():
    m = meta("2021年,我区坚持依法行政,推进法治政府建设。\n一、主要工作\n番禺区全年办结行政复议案件33件。")
    assert (m.organ, m.city, m.county, m.level) == ("番禺区人民政府", "广州市", "番禺区", "县")


def test_我区_is_an_autonomous_regions_when_the_text_names_no_district():
    m = meta("2021年,我区坚持依法行政,推进法治广西建设。\n一、主要工作\n全区办结行政复议案件1033件。")
    assert (m.organ, m.province, m.level) == ("广西壮族自治区人民政府", "广西壮族自治区", "省")


def test_an_anonymised_title_gives_the_tier_and_no_place():
    m = meta("某县2021年法治政府建设情况报告\n2021年,某县坚持依法行政。\n一、主要工作\n"
             "落实《江苏省法治政府建设实施方案》,全年审查合同32件。")
    assert (m.province, m.county, m.level) == ("", "", "县")


def test_a_place_whose_name_starts_with_a_verb_is_still_the_subject():
    m = meta("2021年,将乐县坚持以习近平法治思想为指导,推进法治政府建设。\n一、主要工作\n办理行政复议案件9件。")
    assert (m.organ, m.city, m.level) == ("将乐县人民政府", "三明市", "县")


def test_a_bracketed_date_under_the_title():
    m = meta("泰宁县2020年法治政府建设情况报告\n[ 2021-02-03 ]\n"
             "2020年,泰宁县坚持依法行政,推进法治政府建设取得新成效,全年审查合同31件。")
    assert m.date == "2021-02-03"


def test_a_streets_party_working_committee_and_office_as_one_subject():
    m = meta("2022年,在区委、区政府的坚强领导下,清波街道党工委、办事处深入学习贯彻习近平法治思想。\n"
             "一、主要成效\n街道全年调解纠纷120件。")
    assert (m.organ, m.county, m.city, m.level) == ("清波街道办事处", "上城区", "杭州市", "乡")


def test_a_townships_party_committee_and_government_by_tier_alone():
    m = meta("2021年,镇党委、镇政府高度重视法治建设,推进依法行政。\n一、主要工作\n全镇调解纠纷30件。")
    assert m.level == "乡"


def test_a_township_the_list_does_not_know_is_still_a_township():
    m = meta("2021年,在县委、县政府的正确领导下,望岚镇坚持依法行政。\n一、主要工作\n"
             "贯彻《三门县法治政府建设实施方案》,全镇调解纠纷40件。")
    assert (m.organ, m.county, m.level) == ("望岚镇人民政府", "三门县", "乡")


def test_a_shared_township_name_under_none_of_the_places_the_text_names():
    # 新港镇 exists in three other counties; the text names its own.
    m = meta("2021年,在县委、县政府的正确领导下,新港镇坚持依法行政。\n一、主要工作\n"
             "贯彻《三门县法治政府建设实施方案》,全镇调解纠纷40件。")
    assert (m.organ, m.county, m.city, m.level) == ("新港镇人民政府", "三门县", "台州市", "乡")
