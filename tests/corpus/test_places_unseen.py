"""Administrative divisions: the current county table, townships and streets, and which
place names in a text are places at all."""

from __future__ import annotations

from collections import Counter

from fazhi.corpus import places


def test_divisions_created_or_renamed_since_2020_are_known():
    assert [(p.province, p.level) for p in places.lookup("雄安新区")] == [("河北省", "city")]
    assert [(p.city, p.province) for p in places.lookup("临平区")] == [("杭州市", "浙江省")]
    assert [(p.city, p.adcode[:6]) for p in places.lookup("横州市")] == [("南宁市", "450181")]


def test_a_county_name_lost_since_2020_still_resolves_with_the_code_it_had():
    # 横县 became 横州市 in 2021; a 2019 report still signs 横县人民政府.
    assert [(p.city, p.adcode[:6]) for p in places.lookup("横县")] == [("南宁市", "450127")]


def test_a_municipality_is_one_place_not_a_province_and_a_prefecture():
    assert [p.level for p in places.lookup("重庆市")] == ["province"]
    assert places.leading_place("重庆市彭水苗族土家族自治县人民政府").county == "彭水苗族土家族自治县"


def test_a_name_inside_a_word_is_not_a_place():
    counts = places.mentions("我县成功创建省级法治政府建设示范县,获评全国法治政府建设示范县")
    assert "范县" not in counts


def test_an_event_host_and_a_dateline_are_not_places_of_the_report():
    counts = places.mentions("圆满完成杭州亚运会舟山赛区安保任务。\n2023年9月30日于北京市")
    assert counts == Counter({"舟山": 1})


def test_a_unique_township_resolves_to_its_county_city_and_province():
    p = places.township_place("北坡镇", Counter())
    assert (p.county, p.city, p.province, places.adcode(p)) == ("遂溪县", "湛江市", "广东省", "440823")


def test_a_shared_township_name_is_decided_by_the_places_the_text_fixes():
    assert len(places.townships("万古镇")) > 1
    p = places.township_place("万古镇", Counter({"滑县": 1, "安阳": 2}))
    assert (p.county, p.city) == ("滑县", "安阳市")


def test_a_shared_township_name_that_nothing_decides_gives_no_county():
    assert len(places.townships("城关镇")) > 50
    assert places.township_place("城关镇", Counter()) is None


def test_a_shared_township_name_inside_one_province_gives_the_province_only():
    found = {(t.county.province, t.county.city) for t in places.townships("三都镇")}
    guangxi = [c for p, c in found if p == "广西壮族自治区"]
    assert guangxi, "三都镇 exists in 广西"
    p = places.township_place("三都镇", Counter({"广西": 3}))
    assert p is not None and p.province == "广西壮族自治区"
    assert p.county == ("" if len(guangxi) > 1 else p.county)


def test_a_district_branch_of_a_city_bureau_is_the_districts():
    city = places.leading_place("广州市公安局增城区分局")
    assert city.name == "广州市"
    assert places.place_within("广州市公安局增城区分局", city).county == "增城区"


def test_adcode_is_the_six_digit_code_of_the_place():
    assert places.adcode(places.lookup("南山区")[0]) in {"440305", "230404"}
    assert places.adcode(places.lookup("广东省")[0]) == "440000"
    assert places.adcode(None) == ""
