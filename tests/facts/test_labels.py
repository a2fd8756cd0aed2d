"""Fact labels: the phrase a figure measures, cut from the words around it."""

from __future__ import annotations

from fazhi.facts.labels import make_label


def test_the_label_is_what_was_published_without_the_organ():
    assert make_label("普宁市人民政府网站发布各类信息") == "发布各类信息"


def test_a_rate_is_named_by_the_word_before_its_verb():
    assert make_label("所有人大代表建议和政协委员提案均在规定时限内办复,办复率达到") == "办复率"


def test_the_counting_verb_is_kept_and_the_filler_dropped():
    assert make_label("全年共受理行政复议案件") == "受理行政复议案件"


def test_a_noun_after_the_number_completes_the_label():
    assert make_label("今年共办理", "揭阳人大代表建议和") == "办理揭阳人大代表建议"
