"""Topics: TF-IDF keywords per report, NMF/LDA topics, coherence and the choice of k."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fazhi.analysis.topics import (
    TopicModel,
    coherence_by_k,
    fit_topics,
    keywords_per_doc,
    npmi_coherence,
)
from fazhi.exceptions import ParameterError
from fazhi.viz.topics import plot_coherence, plot_doc_topics, plot_top_terms

try:
    from fazhi.tokens.segment import Tokens
except ImportError:  # segmentation not installed yet: the same contract, by hand
    from dataclasses import dataclass

    @dataclass
    class Tokens:  # type: ignore[no-redef]
        units: pd.DataFrame
        tokens: list[list[str]]
        unit: str


# Segmented paragraphs (stopwords, numbers and single characters already dropped) of three
# reports, on three themes: 行政复议, 政务公开, 普法.
复议 = [
    ["全年", "收到", "行政复议", "申请", "依法", "受理", "审结", "案件", "纠错"],
    ["行政复议", "案件", "审理", "公开", "听证", "纠错", "申请人", "法治"],
    ["行政复议", "申请", "受理", "案件", "调解", "和解", "结案"],
    ["行政应诉", "行政复议", "案件", "败诉", "纠错", "审理", "法治"],
]
公开 = [
    ["政务公开", "政府", "信息", "主动", "公开", "网站", "发布", "政策", "解读"],
    ["政府", "信息", "公开", "申请", "答复", "网站", "政策", "解读", "法治"],
    ["政务公开", "基层", "标准化", "规范化", "政府", "信息", "网站", "发布"],
    ["政策", "解读", "发布会", "政府", "网站", "信息", "公开"],
]
普法 = [
    ["普法", "宣传", "民法典", "讲座", "群众", "活动", "法治", "宣传月"],
    ["普法", "责任制", "谁执法谁普法", "宣传", "群众", "活动", "法治"],
    ["民法典", "宣传", "进村", "群众", "讲座", "普法", "法治"],
    ["宪法", "宣传", "普法", "活动", "群众", "法治", "文化"],
]
DOCS = {  # doc_id -> (place, year, paragraphs)
    "003_qingdao": ("青岛市", 2020, [复议[0], 复议[1], 公开[0], 普法[0]]),
    "002_haifeng": ("海丰县", 2021, [普法[1], 普法[2], 复议[2], 公开[1]]),
    "004_shanwei": ("汕尾市", 2022, [公开[2], 公开[3], 普法[3], 复议[3]]),
}
THEME = {id(p): name for name, ps in (("复议", 复议), ("公开", 公开), ("普法", 普法))
         for p in ps}


def make_tokens() -> Tokens:
    rows, token_lists = [], []
    for doc_id, (place, year, paragraphs) in DOCS.items():
        for para_id, toks in enumerate(paragraphs):
            rows.append(dict(doc_id=doc_id, para_id=para_id, kind="成效", heading="",
                             year=year, province="", place=place, title=f"{place}{year}年报告",
                             theme=THEME[id(toks)], text="".join(toks)))
            token_lists.append(list(toks))
    return Tokens(units=pd.DataFrame(rows), tokens=token_lists, unit="paragraph")


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return fit_topics(make_tokens(), n_topics=3)


# --- coherence -------------------------------------------------------------------------------

UNITS_FOR_NPMI = [
    ["行政复议", "案件", "办理"],
    ["行政复议", "案件"],
    ["普法", "宣传"],
    ["普法", "宣传", "案件"],
]


def test_npmi_coherence_matches_the_hand_computed_mean_over_pairs():
    # Four units. p(行政复议) = 2/4, p(案件) = 3/4, p(普法) = 2/4.
    # 行政复议 & 案件 share 2 units: p = 1/2, PMI = ln(0.5 / (0.5 * 0.75)) = ln(4/3) = 0.287682,
    #   NPMI = 0.287682 / -ln(0.5) = 0.287682 / 0.693147 = 0.415037
    # 行政复议 & 普法 never meet: NPMI = -1
    # 案件 & 普法 share 1 unit: p = 1/4, PMI = ln(0.25 / (0.75 * 0.5)) = ln(2/3) = -0.405465,
    #   NPMI = -0.405465 / -ln(0.25) = -0.405465 / 1.386294 = -0.292481
    # mean = (0.415037 - 1 - 0.292481) / 3 = -0.292481
    score = npmi_coherence(["行政复议", "案件", "普法"], UNITS_FOR_NPMI)
    assert score == pytest.approx(-0.292481, abs=1e-6)


def test_npmi_of_terms_always_together_is_one():
    assert npmi_coherence(["普法", "宣传"], UNITS_FOR_NPMI) == pytest.approx(1.0)


def test_coherence_by_k_reads_a_pair_as_inclusive_bounds():
    scores = coherence_by_k(make_tokens(), [2, 4])
    assert scores["k"].tolist() == [2, 3, 4]


def test_coherence_by_k_scores_lie_between_minus_one_and_one():
    scores = coherence_by_k(make_tokens(), range(2, 6))
    assert scores["coherence"].between(-1, 1).all()


# --- fitting ---------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_input_and_parameters_give_the_same_topics(method):
    first = fit_topics(make_tokens(), n_topics=3, method=method)
    second = fit_topics(make_tokens(), n_topics=3, method=method)
    pd.testing.assert_frame_equal(first.top_terms, second.top_terms)
    pd.testing.assert_frame_equal(first.unit_topics, second.unit_topics)


def test_nmf_recovers_the_three_planted_themes(model):
    dominant_theme = model.unit_topics.groupby("dominant")["theme"].agg(set)
    assert sorted(map(sorted, dominant_theme)) == [["公开"], ["复议"], ["普法"]]


def test_every_topic_is_dominant_in_at_least_one_unit(model):
    assert set(model.unit_topics["dominant"]) == set(model.labels)


def test_labels_are_the_top_three_terms(model):
    first = model.top_terms[model.top_terms["topic"] == 1]["term"].tolist()
    assert model.labels[0] == "·".join(first[:3])


def test_unit_topic_shares_sum_to_one(model):
    assert model.unit_topics[model.labels].sum(axis=1).to_numpy() == pytest.approx(1.0)


def test_unit_topics_carry_the_unit_metadata(model):
    row = model.unit_topics.iloc[0]
    assert (row["doc_id"], row["place"], row["year"], row["n_tokens"]) == (
        "003_qingdao", "青岛市", 2020, 9)


def test_top_terms_table_has_one_row_per_topic(model):
    table = model.top_terms_table()
    assert table.columns.tolist() == ["topic", "label", "terms", "coherence"]
    assert table["topic"].tolist() == [1, 2, 3]


def test_n_topics_none_picks_the_most_coherent_k():
    chosen = fit_topics(make_tokens(), n_topics=None, k_range=range(2, 6))
    best = chosen.k_scores.sort_values(["coherence", "k"], ascending=[False, True]).iloc[0]
    assert chosen.n_topics == best["k"]


def test_lda_topics_are_term_probabilities():
    lda = fit_topics(make_tokens(), n_topics=3, method="lda", n_terms=1000)
    assert lda.top_terms.groupby("topic")["weight"].sum().to_numpy() == pytest.approx(1.0)


def test_representative_paragraph_of_each_topic_is_from_its_theme(model):
    best = model.representative(n=1)
    themes = model.unit_topics.set_index("text")["theme"]
    by_topic = dict(zip(best["label"], themes[best["text"]]))
    assert sorted(by_topic.values()) == ["公开", "复议", "普法"]


def test_representative_returns_n_passages_per_topic(model):
    assert model.representative(n=2).groupby("topic").size().tolist() == [2, 2, 2]


# --- prevalence ------------------------------------------------------------------------------

def _two_topic_model() -> TopicModel:
    # Qingdao: a 30-token paragraph all topic A and a 10-token one all topic B.
    units = pd.DataFrame({
        "doc_id": ["q", "q", "h"], "para_id": [0, 1, 0], "year": [2020, 2020, 2021],
        "place": ["青岛市", "青岛市", "海丰县"], "n_tokens": [30, 10, 20],
        "dominant": ["A", "B", "B"], "A": [1.0, 0.0, 0.5], "B": [0.0, 1.0, 0.5]})
    return TopicModel(method="nmf", unit="paragraph", n_topics=2, labels=["A", "B"],
                      top_terms=pd.DataFrame(), unit_topics=units, coherence=[0.0, 0.0],
                      params={})


def test_prevalence_weights_units_by_length():
    # Qingdao: A = (30 * 1.0 + 10 * 0.0) / 40 = 0.75, B = 10 / 40 = 0.25
    prev = _two_topic_model().prevalence(by="place").set_index("place")
    assert (prev.loc["青岛市", "A"], prev.loc["青岛市", "B"]) == (0.75, 0.25)


def test_doc_topics_are_length_weighted_means_of_unit_shares():
    docs = _two_topic_model().doc_topics.set_index("doc_id")
    assert docs.loc["q", ["A", "B"]].tolist() == [0.75, 0.25]


def test_doc_topics_keep_the_document_metadata():
    docs = _two_topic_model().doc_topics.set_index("doc_id")
    assert (docs.loc["h", "place"], docs.loc["h", "year"]) == ("海丰县", 2021)


def test_prevalence_by_an_unknown_column_names_the_usable_ones(model):
    with pytest.raises(ParameterError, match="place"):
        model.prevalence(by="province_name")


# --- keywords --------------------------------------------------------------------------------

def test_keywords_are_per_document_even_from_paragraphs():
    keywords = keywords_per_doc(make_tokens(), top_n=5)
    assert keywords.groupby("doc_id").size().to_dict() == {
        "002_haifeng": 5, "003_qingdao": 5, "004_shanwei": 5}


def test_keywords_rank_first_the_terms_only_that_report_uses():
    # Haifeng alone uses these seven, each once: (1 + ln 1) × ln((1 + 3) / (1 + 1)) = ln 2 each.
    keywords = keywords_per_doc(make_tokens(), top_n=7)
    haifeng = keywords[keywords["doc_id"] == "002_haifeng"]
    assert set(haifeng["term"]) == {"和解", "答复", "结案", "谁执法谁普法", "调解", "责任制", "进村"}


def test_terms_every_report_uses_are_never_keywords():
    # 法治, 普法 and 宣传 occur in all three reports: ln((1 + 3) / (1 + 3)) = 0.
    keywords = keywords_per_doc(make_tokens(), top_n=100)
    assert not {"法治", "普法", "宣传"} & set(keywords["term"])


def test_keywords_carry_document_metadata():
    first = keywords_per_doc(make_tokens(), top_n=1).set_index("doc_id")
    assert first.loc["003_qingdao", "place"] == "青岛市"


# --- bad parameters --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(n_topics=1), "at least 2 topics"),
    (dict(n_topics=13), "exceeds the 12 paragraphs"),
    (dict(n_topics=3, method="lsa"), "unknown method 'lsa'"),
    (dict(n_topics=3, min_df=20), "no term is left"),
    (dict(n_topics=3, min_df=0.5, max_df=0.1), "no term is left"),
    (dict(n_topics=3, min_df=-1), "min_df=-1"),
    (dict(k_range=[1, 4]), "at least 2"),
])
def test_bad_parameters_raise_parameter_error(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        fit_topics(make_tokens(), **kwargs)


def test_unknown_unit_raises_parameter_error():
    tokens = make_tokens()
    tokens.unit = "sentence"
    with pytest.raises(ParameterError, match="unknown unit 'sentence'"):
        fit_topics(tokens, n_topics=3)


# --- plots -----------------------------------------------------------------------------------

def test_top_terms_plot_has_one_titled_panel_per_topic(model):
    fig = plot_top_terms(model)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == [f"{i}. {label}" for i, label in enumerate(model.labels, start=1)]


def test_plots_use_a_font_with_chinese_glyphs(model):
    from fazhi.viz.fonts import covers

    fig = plot_doc_topics(model)
    font = fig.axes[0].get_yticklabels()[0].get_fontproperties().get_file()
    assert covers("青岛市海丰县", path=font)


def test_coherence_plot_marks_the_chosen_k(model):
    fig = plot_coherence(model)
    assert any(t.get_text() == "k = 3" for t in fig.axes[0].texts)


def test_coherence_is_finite_for_every_topic(model):
    assert all(math.isfinite(c) for c in model.coherence)


# --- on the bundled seeds --------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_tokens(seed_corpus):
    segment = pytest.importorskip("fazhi.tokens.segment")
    return segment.tokenize_corpus(seed_corpus, unit="paragraph")


@pytest.fixture(scope="module")
def seed_model(seed_tokens) -> TopicModel:
    return fit_topics(seed_tokens)


def _stopwords() -> set[str]:
    from fazhi._resources import data_path

    words = set()
    for name in ("stopwords.txt", "policy_stopwords.txt"):
        lines = data_path(name).read_text(encoding="utf-8").splitlines()
        words |= {w.strip() for w in lines if w.strip() and not w.startswith("#")}
    return words


def test_on_the_seeds_every_topic_is_dominant_in_some_paragraph(seed_model):
    assert set(seed_model.unit_topics["dominant"].dropna()) == set(seed_model.labels)


def test_on_the_seeds_no_top_term_is_a_stopword(seed_model):
    assert not set(seed_model.top_terms["term"]) & _stopwords()


def test_on_the_seeds_the_chosen_k_is_the_most_coherent(seed_model):
    scores = seed_model.k_scores
    assert seed_model.n_topics == scores.loc[scores["coherence"].idxmax(), "k"]


def test_on_the_seeds_topics_are_the_same_run_after_run(seed_tokens, seed_model):
    again = fit_topics(seed_tokens)
    pd.testing.assert_frame_equal(again.top_terms, seed_model.top_terms)


def test_qingdao_and_haifeng_keywords_differ(seed_tokens):
    keywords = keywords_per_doc(seed_tokens, top_n=10)
    qingdao = set(keywords.loc[keywords["doc_id"].str.startswith("003"), "term"])
    haifeng = set(keywords.loc[keywords["doc_id"].str.startswith("002"), "term"])
    assert "青岛" in qingdao and not qingdao & haifeng


def test_representative_passages_quote_the_corpus_paragraphs(seed_corpus, seed_model):
    passage = seed_model.representative(n=1, corpus=seed_corpus).iloc[0]
    paragraphs = seed_corpus.paragraphs.set_index(["doc_id", "para_id"])["text"]
    assert passage["text"] == paragraphs[(passage["doc_id"], passage["para_id"])]


def test_by_document_the_k_search_skips_k_above_the_five_reports(seed_corpus):
    segment = pytest.importorskip("fazhi.tokens.segment")
    by_doc = segment.tokenize_corpus(seed_corpus, unit="document")
    assert coherence_by_k(by_doc, range(3, 11), min_df=1)["k"].tolist() == [3, 4, 5]


def test_cli_topics_prints_one_record_per_topic(capsys):
    import json

    from fazhi.cli import main

    assert main(["topics", "-k", "4", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["topic"] for r in records] == [1, 2, 3, 4]


def test_an_empty_corpus_says_so():
    empty = Tokens(units=make_tokens().units.iloc[:0], tokens=[], unit="paragraph")
    with pytest.raises(ParameterError, match="the corpus is empty"):
        keywords_per_doc(empty)


@pytest.mark.parametrize(("unit", "method"), [("paragraph", "nmf"), ("document", "lda")])
def test_the_model_sees_scikit_learns_matrix_entry_for_entry(seed_corpus, unit, method):
    # Built from token ids, the matrix keeps CountVectorizer's terms, values and the order of
    # each row's entries — weighted for NMF by the one TF-IDF that 02 §1 explains — so the
    # fitted topics are those of the matrix built from the token lists.
    from sklearn.feature_extraction.text import CountVectorizer

    from fazhi.analysis.topics import _identity, _matrices, tfidf_weights

    toks = pytest.importorskip("fazhi.tokens.segment").tokenize_corpus(seed_corpus, unit=unit)
    vectorizer = CountVectorizer(analyzer=_identity, min_df=2, max_df=0.9)
    expected = vectorizer.fit_transform(toks.tokens).tocsr()
    if method == "nmf":
        expected = tfidf_weights(expected)
    got = _matrices(toks, method, 2, 0.9)
    assert got.terms.tolist() == vectorizer.get_feature_names_out().tolist()
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got.weights, part), getattr(expected, part)), part


def test_keywords_summary_gives_one_readable_row_per_report(seed_corpus):
    import fazhi

    keywords = fazhi.keywords_per_doc(fazhi.tokenize_corpus(seed_corpus), top_n=5)
    summary = fazhi.keywords_summary(keywords)
    assert summary["report"].tolist() == ["普宁市 2020", "汕尾市 2022", "海丰县 2021",
                                          "青岛市 2020", "深圳市 2018"]
    first = keywords[keywords["doc_id"] == summary["doc_id"].iloc[0]].sort_values("rank")
    assert summary["keywords"].iloc[0] == " · ".join(first["term"])


def test_representative_score_is_share_times_log_length():
    from fazhi.analysis.topic_model import representative_score

    # A 3-token list item wholly on the topic scores below a 100-token paragraph at 0.8.
    scores = representative_score(np.array([1.0, 0.8]), np.array([3, 100]))
    assert scores == pytest.approx([math.log(4), 0.8 * math.log(101)])


def test_representative_passages_are_ranked_by_score_not_share(model):
    passages = model.representative(n=3)
    for _, topic in passages.groupby("topic"):
        assert topic["score"].is_monotonic_decreasing
    expected = passages["share"] * np.log1p(
        model.unit_topics.set_index("text").loc[passages["text"], "n_tokens"].to_numpy())
    assert passages["score"].to_numpy() == pytest.approx(expected.to_numpy())


def test_representative_passages_on_the_seeds_have_distinct_scores(seed_corpus, seed_model):
    passages = seed_model.representative(n=3, corpus=seed_corpus)
    assert passages.groupby("topic")["score"].nunique().eq(3).all()


def test_nmf_weights_are_the_keyword_tfidf_a_term_in_every_unit_weighs_zero():
    from scipy import sparse

    from fazhi.analysis.topics import tfidf_weights

    # 2 units; 法治 in both (idf ln(3/3) = 0), 复议 said 3 times in the first only.
    counts = sparse.csr_matrix(np.array([[3.0, 1.0], [0.0, 2.0]]))
    weights = tfidf_weights(counts).toarray()
    assert weights[0].tolist() == pytest.approx([1.0, 0.0])
    idf = math.log(3 / 2)
    raw = (1 + math.log(3)) * idf
    assert raw / math.sqrt(raw**2) == pytest.approx(weights[0, 0])
