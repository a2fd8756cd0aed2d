"""Place resolution: a county-level name finds its city and province, and a name two
divisions share is settled by the places the text mentions."""

from __future__ import annotations

from collections import Counter

from fazhi.corpus.places import leading_place, lookup, mentions, resolve


def test_a_county_level_city_finds_its_prefecture_and_province():
    (place,) = lookup("普宁市")
    assert (place.county, place.city, place.province) == ("普宁市", "揭阳市", "广东省")


def test_the_organ_name_gives_the_place_it_starts_with():
    place = leading_place("海丰县人民政府办公室")
    assert (place.county, place.city, place.province) == ("海丰县", "汕尾市", "广东省")


def test_a_shared_district_name_is_resolved_by_the_parents_the_text_mentions():
    candidates = lookup("朝阳区")
    assert {p.city for p in candidates} >= {"长春市", "北京市"}
    text = "吉林省长春市朝阳区人民政府关于2021年法治政府建设情况的报告"
    assert resolve(candidates, mentions(text)).city == "长春市"


def test_mentions_count_every_level_named_in_the_text():
    assert mentions("广东省汕尾市海丰县坚持依法行政") == Counter(
        {"广东省": 1, "汕尾市": 1, "海丰县": 1})
