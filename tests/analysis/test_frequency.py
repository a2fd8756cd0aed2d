"""Term frequency, keyness, KWIC, collocations, co-occurrence and dictionary coding."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from fazhi.analysis import frequency as fq
from fazhi.exceptions import ParameterError
from fazhi.tokens.segment import Tokens, tokenize_corpus


def _tokens(rows: list[tuple[str, int, str, int, str]], tokens: list[list[str]]) -> Tokens:
    units = pd.DataFrame(rows, columns=["doc_id", "para_id", "kind", "year", "place"])
    units["title"] = units["place"] + units["year"].astype(str) + "年度法治政府建设情况报告"
    return Tokens(units=units, tokens=tokens, unit="paragraph")


@pytest.fixture
def two_reports() -> Tokens:
    return _tokens(
        [("sz2021", 0, "成效", 2021, "深圳市"), ("sz2021", 1, "问题", 2021, "深圳市"),
         ("cd2022", 0, "成效", 2022, "成都市")],
        [["政务公开", "政务公开", "依申请公开", "行政复议"],
         ["政务公开", "依申请公开"],
         ["行政复议", "信访", "信访", "政务公开"]],
    )


@pytest.fixture(scope="module")
def seed_tokens(seed_corpus):
    return tokenize_corpus(seed_corpus)


# ---- term frequency -------------------------------------------------------------------

def test_term_frequency_counts_rates_and_document_frequency(two_reports):
    table = fq.term_frequency(two_reports)
    assert table.to_dict("records")[:2] == [
        {"term": "政务公开", "count": 4, "rate": pytest.approx(4 / 10 * 10_000), "doc_freq": 2},
        {"term": "依申请公开", "count": 2, "rate": pytest.approx(2_000), "doc_freq": 1},
    ]


def test_document_frequency_counts_reports_not_paragraphs(two_reports):
    table = fq.term_frequency(two_reports).set_index("term")
    assert table.loc["依申请公开", "doc_freq"] == 1


def test_rate_by_group_is_per_10000_tokens_of_that_group(two_reports):
    table = fq.term_frequency(two_reports, by="year").set_index(["year", "term"])
    assert table.loc[(2022, "信访"), "rate"] == pytest.approx(2 / 4 * 10_000)


def test_counts_by_group_add_up_to_the_totals(seed_tokens):
    totals = fq.term_frequency(seed_tokens).set_index("term")["count"]
    for by in ("year", "kind", "doc_id"):
        grouped = fq.term_frequency(seed_tokens, by=by).groupby("term")["count"].sum()
        assert grouped.sort_index().equals(totals.sort_index())


def test_grouping_by_report_carries_its_metadata(two_reports):
    table = fq.term_frequency(two_reports, by="doc_id")
    row = table[table["doc_id"] == "cd2022"].iloc[0]
    assert (row["place"], row["year"], row["title"]) == ("成都市", 2022, "成都市2022年度法治政府建设情况报告")


def test_metadata_that_varies_within_a_group_is_not_carried(two_reports):
    assert "kind" not in fq.term_frequency(two_reports, by="year").columns


def test_columns_of_a_grouping_do_not_depend_on_the_values(two_reports):
    # Every report from one province: by="kind" still has no province or place column.
    units = two_reports.units.assign(place="深圳市", province="广东省")
    same_place = Tokens(units=units, tokens=two_reports.tokens)
    for toks in (two_reports, same_place):
        assert fq.term_frequency(toks, by="kind").columns.tolist() == [
            "kind", "term", "count", "rate", "doc_freq"]


def test_grouping_within_reports_carries_every_metadata_column_of_the_corpus(seed_tokens):
    from fazhi.corpus.model import META_COLUMNS

    for by in (["doc_id"], ["doc_id", "kind"]):
        table = fq.term_frequency(seed_tokens, by=by, top_n=1)
        assert table.columns.tolist() == [*by, "term", "count", "rate", "doc_freq",
                                          *META_COLUMNS]


@pytest.mark.parametrize("by", ["level", "organ_type", "script", "date"])
def test_by_accepts_every_metadata_column_of_the_corpus(seed_tokens, by):
    table = fq.term_frequency(seed_tokens, by=by, top_n=1)
    assert table.columns.tolist() == [by, "term", "count", "rate", "doc_freq"]


def test_top_n_applies_to_each_group(two_reports):
    table = fq.term_frequency(two_reports, by="doc_id", top_n=1)
    assert table[["doc_id", "term"]].values.tolist() == [["cd2022", "信访"], ["sz2021", "政务公开"]]


def test_unknown_group_column_is_a_parameter_error(two_reports):
    with pytest.raises(ParameterError, match="by: no column 'city'"):
        fq.term_frequency(two_reports, by="city")


def test_seed_top_30_are_clean_content_words(seed_tokens):
    from fazhi._resources import data_path
    from fazhi.tokens.engines import POLICY_STOPWORDS, STOPWORDS, read_wordlist

    top = fq.term_frequency(seed_tokens, top_n=30)["term"].tolist()
    stop = set(read_wordlist(data_path(STOPWORDS))) | set(read_wordlist(data_path(POLICY_STOPWORDS)))
    assert not [t for t in top if t in stop or len(t) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", t)]
    assert {"政务公开", "法治政府建设", "人大代表建议", "重大行政决策"} <= set(top)


# ---- keyness --------------------------------------------------------------------------

def test_keyness_matches_a_hand_computed_2x2_table():
    # 不够: 10 of 100 tokens in 问题 paragraphs, 5 of 200 tokens in 成效 paragraphs.
    toks = _tokens([("a", 0, "问题", 2021, "海口市"), ("a", 1, "成效", 2021, "海口市")],
                   [["不够"] * 10 + ["整改"] * 90, ["不够"] * 5 + ["完成"] * 195])
    row = fq.keyness(toks, "问题", "成效").set_index("term").loc["不够"]
    # Expected counts: E11 = 100·15/300 = 5, E12 = 200·15/300 = 10,
    #                  E21 = 100·285/300 = 95, E22 = 200·285/300 = 190.
    g2 = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10)
              + 90 * math.log(90 / 95) + 195 * math.log(195 / 190))
    assert g2 == pytest.approx(7.329812, abs=1e-6)
    assert row["g2"] == pytest.approx(g2)
    # χ² = 5²/5 + 5²/10 + 5²/95 + 5²/190
    assert row["chi2"] == pytest.approx(25 / 5 + 25 / 10 + 25 / 95 + 25 / 190)
    assert row["p_value"] == pytest.approx(0.0067820, abs=1e-6)
    # log ratio = log2((10/100) / (5/200)) = log2(4)
    assert row["log_ratio"] == pytest.approx(2.0)


def test_keyness_min_count_drops_terms_but_not_their_tokens_from_the_totals():
    # 问题: 不够 10, 整改 88, 偶发 2 (100 tokens); 成效: 不够 5, 完成 195 (200 tokens).
    # min_count=3 drops 偶发, yet the 问题 paragraphs still hold 100 tokens, so 不够 keeps
    # the 2×2 table [[10, 5], [90, 195]] of the test above.
    toks = _tokens([("a", 0, "问题", 2021, "海口市"), ("a", 1, "成效", 2021, "海口市")],
                   [["不够"] * 10 + ["整改"] * 88 + ["偶发"] * 2, ["不够"] * 5 + ["完成"] * 195])
    table = fq.keyness(toks, "问题", "成效", min_count=3).set_index("term")
    assert "偶发" not in table.index
    row = table.loc["不够"]
    assert row["target_rate"] == pytest.approx(10 / 100 * 10_000)
    assert row["reference_rate"] == pytest.approx(5 / 200 * 10_000)
    assert row["g2"] == pytest.approx(7.329812, abs=1e-6)
    assert row["chi2"] == pytest.approx(25 / 5 + 25 / 10 + 25 / 95 + 25 / 190)


def test_keyness_is_negative_for_terms_rarer_in_the_target():
    toks = _tokens([("a", 0, "问题", 2021, "海口市"), ("a", 1, "成效", 2021, "海口市")],
                   [["不够"] * 10 + ["完成"] * 2, ["不够"] * 2 + ["完成"] * 10])
    table = fq.keyness(toks, "问题", "成效").set_index("term")
    assert table.loc["完成", "g2"] < 0 < table.loc["不够", "g2"]


def test_keyness_reference_defaults_to_all_other_units(two_reports):
    table = fq.keyness(two_reports, "问题", min_count=1)
    assert table["reference_count"].sum() == 8


def test_keyness_unknown_target_names_the_values():
    toks = _tokens([("a", 0, "问题", 2021, "海口市")], [["不够"]])
    with pytest.raises(ParameterError, match="target: '不足' is not a value of column 'kind'"):
        fq.keyness(toks, "不足")


def test_keyness_without_shortcoming_paragraphs_is_empty_with_a_warning():
    # The Qingdao report has results and plans but no 问题 section.
    toks = _tokens([("qd", 0, "成效", 2020, "青岛市"), ("qd", 1, "计划", 2020, "青岛市")],
                   [["政务公开", "放管服"], ["法治督察"]])
    with pytest.warns(UserWarning, match="nothing to compare: the target group"):
        table = fq.keyness(toks, "问题", "成效")
    assert table.empty
    assert table.columns.tolist()[:3] == ["term", "target_count", "reference_count"]
    assert "kind = 问题" in table.attrs["note"]


def test_keyness_with_an_empty_reference_is_empty_with_a_warning():
    toks = _tokens([("qd", 0, "问题", 2020, "青岛市")], [["不够", "短板"]])
    with pytest.warns(UserWarning, match="the reference group"):
        assert fq.keyness(toks, "问题").empty


def test_keyness_still_refuses_a_kind_that_does_not_exist():
    toks = _tokens([("qd", 0, "成效", 2020, "青岛市")], [["政务公开"]])
    with pytest.raises(ParameterError, match="target: '问 题' is not a value of column 'kind'"):
        fq.keyness(toks, "问 题")


def test_seed_shortcoming_paragraphs_are_marked_by_admissions(seed_tokens):
    top = fq.keyness(seed_tokens, "问题", "成效").head(5)["term"].tolist()
    assert "不够" in top


# ---- KWIC -----------------------------------------------------------------------------

def test_kwic_on_a_corpus_gives_offsets_into_the_document(seed_corpus):
    table = fq.kwic(seed_corpus, "放管服", window=6)
    texts = seed_corpus.docs.set_index("doc_id")["text"]
    assert all(texts[d][s:e] == "放管服" for d, s, e in
               zip(table["doc_id"], table["start"], table["end"]))


def test_kwic_on_a_corpus_shows_the_characters_around(seed_corpus):
    first = fq.kwic(seed_corpus, "放管服", window=6).iloc[0]
    assert (first["pre"], first["post"]) == (")着力推进“", "”改革。市政")


def test_kwic_on_tokens_counts_tokens(two_reports):
    row = fq.kwic(two_reports, "信访", window=1).iloc[0]
    assert (row["doc_id"], row["pre"], row["keyword"], row["post"]) == ("cd2022", "行政复议", "信访", "信访")


def test_kwic_wildcard_matches_token_prefixes(two_reports):
    assert fq.kwic(two_reports, "行政*")["keyword"].tolist() == ["行政复议", "行政复议"]


def test_kwic_empty_keyword_is_a_parameter_error(two_reports):
    with pytest.raises(ParameterError, match="keyword"):
        fq.kwic(two_reports, "")


# ---- collocations and co-occurrence ---------------------------------------------------

@pytest.fixture
def reform_paragraphs() -> Tokens:
    return _tokens([("gz", i, "成效", 2021, "广州市") for i in range(4)],
                   [["放管服", "改革", "营商环境"], ["放管服", "改革"],
                    ["营商环境", "政务公开"], ["放管服", "政务公开"]])


def test_collocation_scores_by_hand(reform_paragraphs):
    # 5 bigrams; 放管服→改革 twice; 放管服 starts 3 bigrams, 改革 ends 2.
    row = fq.collocations(reform_paragraphs, min_count=2).iloc[0]
    assert row["collocation"] == "放管服 改革" and row["count"] == 2
    assert row["pmi"] == pytest.approx(math.log2(2 * 5 / (3 * 2)))
    # 2×2 table [[2, 1], [0, 2]] with expected [[1.2, 1.8], [0.8, 1.2]]
    g2 = 2 * (2 * math.log(2 / 1.2) + 1 * math.log(1 / 1.8) + 2 * math.log(2 / 1.2))
    assert row["g2"] == pytest.approx(g2)


def test_collocations_below_min_count_are_dropped(reform_paragraphs):
    assert len(fq.collocations(reform_paragraphs, min_count=3)) == 0


def test_cooccurrence_counts_paragraphs_holding_both(reform_paragraphs):
    first = fq.cooccurrence(reform_paragraphs, n_terms=4, min_count=1).iloc[0]
    assert first.to_dict() == {"term1": "放管服", "term2": "改革", "count": 2,
                               "jaccard": pytest.approx(2 / 3)}


def test_cooccurrence_min_count_filters_edges(reform_paragraphs):
    assert len(fq.cooccurrence(reform_paragraphs, n_terms=4, min_count=1)) == 5
    assert len(fq.cooccurrence(reform_paragraphs, n_terms=4, min_count=2)) == 1


# ---- dictionary coding ----------------------------------------------------------------

def test_dictionary_counts_per_report(two_reports):
    table = fq.dictionary_counts(two_reports, {"公开": ["政务公开", "依申请公开"],
                                               "救济": ["行政复议*", "信访"]})
    assert table[["doc_id", "category", "count", "share"]].values.tolist() == [
        ["cd2022", "公开", 1, 0.25], ["cd2022", "救济", 3, 0.75],
        ["sz2021", "公开", 5, pytest.approx(5 / 6)], ["sz2021", "救济", 1, pytest.approx(1 / 6)],
    ]


def _one_report(*paragraphs: list[str]) -> Tokens:
    return _tokens([("hz2022", i, "成效", 2022, "惠州市") for i in range(len(paragraphs))],
                   list(paragraphs))


def test_a_term_inside_a_longer_token_is_counted():
    toks = _one_report(["深化", "综合", "行政执法体制改革"], ["推进", "乡镇", "综合行政执法"])
    table = fq.dictionary_counts(toks, {"执法": ["行政执法"]})
    assert table["count"].tolist() == [2]


def test_a_term_split_over_tokens_that_begin_with_it_is_counted():
    toks = _one_report(["将", "两批", "行政", "执法权", "下放", "镇街"])
    assert fq.dictionary_counts(toks, {"执法": ["行政执法"]})["count"].tolist() == [1]


def test_two_words_that_only_touch_are_not_a_term():
    toks = _one_report(["坚持", "依法行政", "执法", "规范", "公正"])
    assert fq.dictionary_counts(toks, {"执法": ["行政执法"]})["count"].tolist() == [0]


def test_the_longest_term_takes_the_words_it_covers():
    toks = _one_report(["全面", "推行", "行政执法三项制度", "和", "行政执法", "责任制"])
    table = fq.dictionary_counts(toks, {"三项制度": ["行政执法三项制度"], "执法": ["行政执法"]})
    assert table[["category", "count"]].values.tolist() == [["三项制度", 1], ["执法", 1]]


def test_the_seeds_count_law_enforcement_where_the_text_says_it(seed_corpus):
    toks = tokenize_corpus(seed_corpus, unit="document")
    counts = fq.dictionary_counts(toks, {"执法": ["行政执法"]}).set_index("doc_id")["count"]
    said = dict(zip(seed_corpus.docs["doc_id"], seed_corpus.docs["text"].str.count("行政执法")))
    assert counts.to_dict() == said and sum(said.values()) == 2


def test_dictionary_from_csv(tmp_path, two_reports):
    path = tmp_path / "dims.csv"
    path.write_text("category,term\n信访,信访\n复议,行政复议\n", encoding="utf-8")
    table = fq.dictionary_counts(two_reports, path, by="year")
    assert table[table["year"] == 2022]["count"].tolist() == [2, 1]


def test_dictionary_from_yaml(tmp_path):
    path = tmp_path / "dims.yml"
    path.write_text("categories:\n  公开:\n    terms: [政务公开, 依申请公开]\n", encoding="utf-8")
    assert fq.load_dictionary(path) == {"公开": ["政务公开", "依申请公开"]}


def test_dictionary_with_other_suffix_is_a_parameter_error(tmp_path):
    path = tmp_path / "dims.txt"
    path.write_text("政务公开\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="dictionary"):
        fq.load_dictionary(path)


def test_shipped_dictionary_has_the_outline_dimensions():
    assert {"政府职能", "依法行政制度", "行政决策", "行政执法", "突发事件应对", "矛盾纠纷化解",
            "权力制约监督", "数字法治政府", "党的领导"} <= set(fq.load_dictionary())


def test_shipped_dictionary_terms_are_single_tokens():
    from fazhi.tokens.segment import tokenize

    terms = [t for ts in fq.load_dictionary().values() for t in ts if "*" not in t]
    assert [t for t, toks in zip(terms, tokenize(terms)) if toks != [t]] == []


def test_dictionary_shares_sum_to_one_per_year(seed_corpus):
    table = fq.dictionary_counts(tokenize_corpus(seed_corpus, unit="document"), by="year")
    assert table.groupby("year")["share"].sum().round(9).eq(1).all()


# ---- CLI ------------------------------------------------------------------------------

def test_cli_terms_by_kind_as_json(capsys):
    import json

    from fazhi.cli import main

    assert main(["terms", "--by", "kind", "--top", "2", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["kind"] for r in records} == {"成效", "问题", "计划", "其他"}
    assert set(records[0]) == {"kind", "term", "count", "rate", "doc_freq"}


def test_keyness_by_default_leaves_out_a_term_seen_once_or_twice():
    # 偶发 once and 罕见 twice in the 问题 paragraphs: by chance, not evidence.
    toks = _tokens([("a", 0, "问题", 2021, "海口市"), ("a", 1, "成效", 2021, "海口市")],
                   [["不够"] * 10 + ["整改"] * 87 + ["偶发"] + ["罕见"] * 2,
                    ["不够"] * 5 + ["完成"] * 2995])
    assert fq.keyness(toks, "问题", "成效", min_count=1).set_index("term").loc[
        "偶发", "p_value"] < 0.05
    terms = set(fq.keyness(toks, "问题", "成效")["term"])
    assert "偶发" not in terms and "罕见" not in terms and "不够" in terms


def test_keyness_log_ratio_puts_half_a_token_for_a_zero_count():
    # 缺乏: 4 of 100 tokens in 问题, none of 200 in 成效 → log2((4/100) / (0.5/200)) = 4.
    toks = _tokens([("a", 0, "问题", 2021, "海口市"), ("a", 1, "成效", 2021, "海口市")],
                   [["缺乏"] * 4 + ["整改"] * 96, ["完成"] * 200])
    row = fq.keyness(toks, "问题", "成效").set_index("term").loc["缺乏"]
    assert row["log_ratio"] == pytest.approx(4.0)


def test_cooccurrence_ranks_pairs_by_jaccard_not_by_count():
    # 办理 is in every paragraph, so it meets 政府 4 times (jaccard 4/6); 复议 and 应诉 meet
    # only 3 times, but never apart (jaccard 1).
    toks = _tokens([("gz", i, "成效", 2021, "广州市") for i in range(6)],
                   [["办理", "政府", "复议", "应诉"], ["办理", "政府", "复议", "应诉"],
                    ["办理", "政府", "复议", "应诉"], ["办理", "政府"], ["办理"], ["办理"]])
    first = fq.cooccurrence(toks, n_terms=4).iloc[0]
    assert {first["term1"], first["term2"]} == {"应诉", "复议"}
    assert (first["count"], first["jaccard"]) == (3, pytest.approx(1.0))


def test_collocations_are_counted_after_stopwords_are_removed():
    from fazhi.tokens.segment import tokenize

    # 存在一定差距: 存在 is a stopword, so 一定 and 差距 end up side by side.
    lists = tokenize(["仍存在一定差距。"] * 3, cache=False)
    assert lists[0] == ["一定", "差距"]
    toks = _tokens([("a", i, "问题", 2021, "海口市") for i in range(3)], lists)
    assert fq.collocations(toks, min_count=3)["collocation"].tolist() == ["一定 差距"]
