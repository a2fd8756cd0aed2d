"""Facts: labels, canonical indicators, provenance, the corpus join, and recall on the seeds."""

from __future__ import annotations

import os
import re
import types
from pathlib import Path

import opencc
import pandas as pd
import pytest

from fazhi.exceptions import IndicatorDictionaryError, ParameterError
from fazhi.facts.extract import (
    FACT_COLUMNS,
    export_facts,
    extract_facts,
    fact_text,
    indicator_table,
    load_indicators,
)

GOLD = Path(__file__).parent / "data" / "seed_facts_gold.csv"


def _fact(sentence: str, number: str) -> pd.Series:
    """The fact whose number, as written, ends with ``number``."""
    facts = extract_facts(sentence, doc_id="t")
    written = fact_text(facts, {"t": sentence})
    hits = facts[written.str.endswith(number)]
    assert len(hits) == 1, (sentence, number, written.tolist())
    return hits.iloc[0]


def test_a_plain_text_gives_exactly_the_contract_columns():
    facts = extract_facts("全年共办理行政复议案件156件。", doc_id="r1")
    assert list(facts.columns) == FACT_COLUMNS
    assert facts.iloc[0][["doc_id", "value", "unit", "qualifier"]].tolist() == ["r1", 156.0, "件", "共"]


@pytest.mark.parametrize(("sentence", "number", "label"), [
    ("普宁市人民政府网站发布各类信息9351条,其中关于疫情防控的信息1795条。", "9351条", "发布各类信息"),
    ("所有建议提案均在规定时限内办复,办复率达到100%。", "100%", "办复率"),
    ("推进251项事项进驻市政务服务中心,累计进驻事项663项。", "663项", "进驻事项"),
    ("本级权责清单事项压减至1379项。", "1379项", "本级权责清单事项"),
    ("今年共办理了3件人大代表建议和10件政协提案。", "10件", "政协提案"),
    ("我市实施的中央层面设定的行政许可439项,涉及市发改局等44个部门。", "439项", "行政许可"),
    ("我市实施的中央层面设定的行政许可439项,涉及市发改局等44个部门。", "44个", "涉及部门"),
    ("区司法局对市人大常委会重点督办的22件建议提案进行专项督办。", "22件", "建议提案"),
    ("全区各级行政机关聘请法律顾问38名,配备公职律师126名。", "126名", "配备公职律师"),
    ("区政府召开常务会议32次、全体会议4次。", "4次", "全体会议"),
    ("群众满意度较2019年提高了1.02个百分点。", "1.02个百分点", "群众满意度提高"),
    ("行政许可事项由原来的256项精简至198项。", "256项", "行政许可事项"),
    ("截至2022年底,全市共有执法证件持证人员4,512人。", "4,512人", "执法证件持证人员"),
    ("组织全市2.3万名国家工作人员参加学法考试。", "2.3万名", "组织国家工作人员参加学法考试"),
])
def test_the_label_is_the_phrase_the_number_measures(sentence, number, label):
    assert _fact(sentence, number)["label"] == label


@pytest.mark.parametrize(("sentence", "number", "indicator"), [
    ("2023年,区政府办理人大代表建议87件,答复率100%。", "100%", "人大代表建议办复率"),
    ("县政协九届二次会议以来共收到提案126件,已全部办结,办结率100%。", "100%", "政协提案办复率"),
    ("办理人大代表建议87件、政协提案102件,办复率均为100%,满意率98.9%。", "98.9%", "建议提案满意率"),
    ("共收到政府信息公开申请1,236件,按期答复率100%。", "1,236件", "依申请公开申请数"),
    ("共收到政府信息公开申请1,236件,按期答复率100%。", "100%", "依申请公开答复率"),
    ("全年共受理12345热线工单21.5万件,按时办结率99.2%。", "21.5万件", "12345热线工单数"),
    ("全年共受理12345热线工单21.5万件,按时办结率99.2%。", "99.2%", "12345热线按时办结率"),
    ("全年办理行政复议案件156件,直接纠错率14.7%。", "156件", "行政复议案件数"),
    ("全年办理行政复议案件156件,直接纠错率14.7%。", "14.7%", "行政复议纠错率"),
    ("全市发生行政诉讼案件286件,行政机关负责人出庭应诉率98.6%。", "286件", "行政诉讼案件数"),
    ("全市发生行政诉讼案件286件,行政机关负责人出庭应诉率98.6%。", "98.6%", "负责人出庭应诉率"),
    ("全年审核规范性文件52件,备案审查率100%。", "52件", "合法性审查数"),
    ("全年审核规范性文件52件,备案审查率100%。", "100%", "规范性文件备案率"),
    ("国家工作人员学法考试参考率99.8%,合格率99.5%。", "99.8%", "学法考试参考率"),
    ("国家工作人员学法考试参考率99.8%,合格率99.5%。", "99.5%", "学法考试合格率"),
    ("政务服务事项网上可办率达到98%以上,全程网办率达85.6%。", "98%以上", "网上可办率"),
    ("政务服务事项网上可办率达到98%以上,全程网办率达85.6%。", "85.6%", "全程网办率"),
    ("即办件占比提升至52.3%,平均跑动次数0.12次。", "0.12次", "跑动次数"),
    ("“粤省事”平台实名注册用户数突破120万。", "120万", "注册用户数"),
    ("市政府常务会议审议重大行政决策事项15项。", "15项", "重大行政决策数"),
    ("全镇12个村(社区)法律顾问配备率100%。", "100%", "法律顾问覆盖率"),
    ("政府网站全年访问量达1,256.8万人次。", "1,256.8万人次", "网站访问量"),
    ("全年累计收到网民留言8,567条,回复8,421条。", "8,567条", "网上留言数"),
    ("全年累计收到网民留言8,567条,回复8,421条。", "8,421条", "网上留言回复数"),
    ("全年受理信访事项2,145件,按期办结率99.8%。", "99.8%", "信访按期办结率"),
    ("全区2.8万名国家工作人员参加年度学法考试。", "2.8万名", "学法考试参考人数"),
    ("全年办理行政处罚案件6,532件,罚没款2,356.7万元。", "2,356.7万元", "罚没款金额"),
    ("全区各级人民调解组织共调解矛盾纠纷8,761件,调解成功率99.2%。", "99.2%", "调解成功率"),
    ("区政府常务会议学法5次,举办领导干部法治专题培训班3期。", "3期", "法治培训场次"),
])
def test_labels_map_to_canonical_indicators(sentence, number, indicator):
    assert _fact(sentence, number)["indicator"] == indicator


def test_an_unmapped_fact_keeps_its_label_and_an_empty_indicator():
    fact = _fact("市场监管局组织执法案卷评查,评查案卷200卷。", "200卷")
    assert (fact["label"], fact["indicator"]) == ("评查案卷", "")


def test_lost_cases_are_not_counted_as_all_litigation():
    assert _fact("全区发生行政诉讼案件132件,一审败诉8件。", "8件")["indicator"] == ""


def test_a_rate_indicator_takes_only_percentages():
    fact = _fact("行政复议直接纠错率为18.5%,较上年提高2.1个百分点。", "2.1个百分点")
    assert (fact["label"], fact["indicator"]) == ("行政复议直接纠错率提高", "")


def test_the_previous_sentence_names_the_hotline_when_the_figure_stands_alone():
    text = "做好12345热线、市长信箱等渠道来件受理办理工作。全年共受理413万件。"
    assert _fact(text, "413万件")["indicator"] == "12345热线工单数"


def test_a_change_from_one_figure_to_another_marks_both_ends():
    facts = extract_facts("群众满意率由上年的92.3%提升到96.1%。")
    assert facts[["label", "value", "qualifier"]].values.tolist() == [
        ["群众满意率", 92.3, "由"], ["群众满意率", 96.1, "至"]]


def test_a_change_between_two_named_years_marks_both_ends():
    facts = extract_facts("行政执法案卷优良率从2021年的85.2%提高到2023年的92.6%。")
    assert facts[["label", "value", "qualifier"]].values.tolist() == [
        ["行政执法案卷优良率", 85.2, "由"], ["行政执法案卷优良率", 92.6, "至"]]


def test_the_result_of_a_change_takes_the_unit_written_first():
    facts = extract_facts("不动产登记办理时限由15个工作日压缩至5个,群众好评。")
    assert facts[["value", "unit", "qualifier"]].values.tolist() == [
        [15.0, "个工作日", "由"], [5.0, "个工作日", "至"]]


def test_a_range_keeps_its_upper_bound_in_high():
    facts = extract_facts("企业开办时间由原来的3-5天压缩至0.5天。")
    assert facts[["value", "high", "unit"]].values.tolist()[0] == [3.0, 5.0, "天"]
    assert pd.isna(facts["high"].iloc[1])


def test_a_figure_cut_at_the_end_of_an_excerpt_is_left_out():
    text = "全年受理行政复议案件218件。审结行政复议案件19"
    assert extract_facts(text)["value"].tolist() == [218.0]


def test_a_figure_ending_a_finished_text_is_kept():
    text = "全年受理行政复议案件218件。审结行政复议案件196件。"
    assert extract_facts(text)["value"].tolist() == [218.0, 196.0]


def test_the_sentence_holds_the_number_as_written_and_offsets_point_at_it():
    text = "一、主要成效\n全年共办理行政复议案件156件,其中纠错23件。\n二、存在问题"
    facts = extract_facts(text, doc_id="d")
    assert facts["sentence"].tolist() == ["全年共办理行政复议案件156件,其中纠错23件。"] * 2
    assert fact_text(facts, {"d": text}).tolist() == ["156件", "23件"]


def test_a_traditional_text_is_read_in_simplified_with_offsets_kept():
    text = "熱線全年共受理413萬件,承接省級下放事項600余項。"
    facts = extract_facts(text, doc_id="qd")
    assert facts[["value", "unit", "approx"]].values.tolist() == [[4_130_000.0, "件", False],
                                                                 [600.0, "项", True]]
    assert facts["sentence"].iloc[0] == "热线全年共受理413万件,承接省级下放事项600余项。"
    assert [text[s:e] for s, e in zip(facts["start"], facts["end"])] == ["413萬件", "600余項"]


def test_a_text_without_numbers_gives_an_empty_table():
    facts = extract_facts("坚持以习近平新时代中国特色社会主义思想为指导。")
    assert facts.empty and list(facts.columns) == FACT_COLUMNS


def test_a_wrong_source_is_refused_with_a_named_error():
    with pytest.raises(ParameterError, match="source must be a Corpus or a str"):
        extract_facts(12345)


def test_a_wrong_workers_value_is_refused():
    with pytest.raises(ParameterError, match="workers"):
        extract_facts(types.SimpleNamespace(docs=pd.DataFrame({"doc_id": ["a"], "text": ["x"]})),
                      workers=0)


def test_the_shipped_dictionary_has_at_least_forty_indicators():
    table = indicator_table()
    assert len(table) >= 40 and table["indicator"].is_unique


def test_a_user_dictionary_replaces_the_shipped_one(tmp_path):
    mine = tmp_path / "mine.yml"
    mine.write_text("indicators:\n  - indicator: 案卷评查数\n    kind: count\n"
                    "    rules:\n      - {label: '评查'}\n", encoding="utf-8")
    facts = extract_facts("评查案卷200卷,办复率100%。", dictionary=mine)
    assert facts["indicator"].tolist() == ["案卷评查数", ""]


def test_an_edited_dictionary_is_read_again(tmp_path):
    mine = tmp_path / "mine.yml"
    entry = "indicators:\n  - indicator: {}\n    rules:\n      - {{label: '评查'}}\n"
    mine.write_text(entry.format("案卷评查数"), encoding="utf-8")
    first = extract_facts("评查案卷200卷。", dictionary=mine)["indicator"].tolist()
    mine.write_text(entry.format("执法案卷评查数"), encoding="utf-8")
    os.utime(mine, ns=(1, 1))
    assert (first, extract_facts("评查案卷200卷。", dictionary=mine)["indicator"].tolist()) == (
        ["案卷评查数"], ["执法案卷评查数"])


def test_a_malformed_dictionary_names_the_file_and_the_problem(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("indicators:\n  - indicator: 坏的\n    kind: ratio\n    rules:\n"
                   "      - {label: '评查'}\n", encoding="utf-8")
    with pytest.raises(IndicatorDictionaryError, match=r"bad\.yml, indicator 坏的: kind 'ratio'"):
        load_indicators(bad)


def test_export_writes_csv_and_excel(tmp_path):
    facts = extract_facts("全年办理行政复议案件156件。", doc_id="d")
    paths = export_facts(facts, tmp_path, name="facts")
    assert [p.name for p in paths] == ["facts.csv", "facts.xlsx"]
    assert pd.read_excel(paths[1])["value"].tolist() == [156.0]
    assert pd.read_csv(paths[0], encoding="utf-8-sig")["unit"].tolist() == ["件"]


# --- the seeds ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_facts(seed_corpus):
    return extract_facts(seed_corpus)


def _gold_spans(seed_corpus) -> pd.DataFrame:
    """Locate every hand-checked figure in the (simplified) corpus text."""
    t2s = opencc.OpenCC("t2s")
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    texts = seed_corpus.docs.set_index("doc_id")["text"]
    rows = []
    for g in gold.itertuples():
        doc_id = Path(g.doc).stem
        context, number = t2s.convert(g.context), t2s.convert(g.number)
        at = texts[doc_id].find(context + number)
        assert at >= 0, f"gold figure not found: {g.doc} {g.context}{g.number}"
        start = at + len(context)
        rows.append({"doc_id": doc_id, "start": start, "end": start + len(number),
                     "number": number, "value": float(g.value), "unit": g.unit,
                     "approx": g.approx == "True", "optional": g.optional == "True"})
    return pd.DataFrame(rows)


def _match(gold: pd.DataFrame, facts: pd.DataFrame) -> pd.Series:
    """For each gold figure, the index of the fact that overlaps it (or -1)."""
    found = []
    for g in gold.itertuples():
        hit = facts[(facts["doc_id"] == g.doc_id) & (facts["start"] < g.end) & (facts["end"] > g.start)]
        found.append(hit.index[0] if len(hit) else -1)
    return pd.Series(found, index=gold.index)


def test_recall_on_the_seeds_is_at_least_95_percent(seed_corpus, seed_facts):
    gold = _gold_spans(seed_corpus)
    required = gold[~gold["optional"]]
    matched = _match(required, seed_facts)
    recall = (matched >= 0).mean()
    assert recall >= 0.95, required[matched < 0]["number"].tolist()


def test_values_units_and_approx_match_the_gold_list(seed_corpus, seed_facts):
    gold = _gold_spans(seed_corpus)
    matched = _match(gold, seed_facts)
    got = seed_facts.loc[matched[matched >= 0], ["value", "unit", "approx"]].reset_index(drop=True)
    want = gold.loc[matched >= 0, ["value", "unit", "approx"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_precision_on_the_seeds_is_at_least_90_percent(seed_corpus, seed_facts):
    matched = set(_match(_gold_spans(seed_corpus), seed_facts))
    precision = seed_facts.index.isin(matched).mean()
    print(f"seed precision: {precision:.3f} ({len(seed_facts)} facts)")
    assert precision >= 0.90


def test_no_year_date_or_document_number_among_the_seed_facts(seed_corpus, seed_facts):
    texts = seed_corpus.docs.set_index("doc_id")["text"]
    written = fact_text(seed_facts, texts)
    after = pd.Series([texts[d][e:e + 1] for d, e in zip(seed_facts["doc_id"], seed_facts["end"])])
    assert not written.str.contains(r"(?:19|20)\d\d年|\d月|\d日|〔").any()
    assert not after.isin(["年", "号", "月", "日", "〕"]).any()


def test_every_seed_fact_sentence_contains_its_number_as_written(seed_corpus, seed_facts):
    written = fact_text(seed_facts, seed_corpus.docs.set_index("doc_id")["text"])
    assert all(w in s for w, s in zip(written, seed_facts["sentence"]))


def test_the_traditional_seed_gives_the_issue_values(seed_facts):
    qd = seed_facts[seed_facts["place"] == "青岛市"]
    picks = {u: qd.loc[qd["unit"] == u, ["value", "approx"]].iloc[0].tolist()
             for u in ("个百分点",)}
    assert picks == {"个百分点": [1.02, False]}
    assert [4_130_000.0, "件"] in qd[["value", "unit"]].values.tolist()
    assert [600.0, "项", True] in qd[["value", "unit", "approx"]].values.tolist()


def test_corpus_facts_carry_place_and_year(seed_facts):
    row = seed_facts[seed_facts["label"] == "网站访问量"].iloc[0]
    assert row[["place", "province", "city", "year", "value"]].tolist() == [
        "汕尾市", "广东省", "汕尾市", 2022, 11_110_692.0]


def test_no_fact_value_is_a_bare_year(seed_facts):
    bare = seed_facts[(seed_facts["unit"] == "") & seed_facts["value"].between(1949, 2100)]
    assert bare.empty


def test_labels_hold_no_digits_of_years(seed_facts):
    assert not seed_facts["label"].str.contains(re.compile(r"(?:19|20)\d\d年")).any()
