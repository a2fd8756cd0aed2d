"""Segmentation: domain terms stay whole, noise is dropped, engines agree, the cache is reused."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import fazhi._parallel
from fazhi.exceptions import ParameterError
from fazhi.tokens import segment
from fazhi.tokens.engines import Segmenter, SegmentOptions
from fazhi.tokens.segment import Tokens, tokenize, tokenize_corpus


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path / "cache"))


DOMAIN_SENTENCES = [
    ("深化“放管服”改革，全面推行“互联网+政务服务”，依申请公开办理答复率100%。", "放管服"),
    ("深化“放管服”改革，全面推行“互联网+政务服务”，依申请公开办理答复率100%。", "互联网+政务服务"),
    ("深化“放管服”改革，全面推行“互联网+政务服务”，依申请公开办理答复率100%。", "依申请公开"),
    ("常态化开展“双随机、一公开”监管，“粤省事”注册用户突破8000万。", "双随机、一公开"),
    ("常态化开展“双随机、一公开”监管，“粤省事”注册用户突破8000万。", "粤省事"),
    ("2021年，省政府召开常务会议研究重大行政决策事项12项，均经过合法性审查。", "合法性审查"),
    ("公职律师、法律顾问参与规范性文件审核，全年办理人大代表建议45件、政协提案62件。", "公职律师"),
    ("公职律师、法律顾问参与规范性文件审核，全年办理人大代表建议45件、政协提案62件。", "规范性文件"),
    ("公职律师、法律顾问参与规范性文件审核，全年办理人大代表建议45件、政协提案62件。", "人大代表建议"),
    ("公职律师、法律顾问参与规范性文件审核，全年办理人大代表建议45件、政协提案62件。", "政协提案"),
    ("全省行政复议案件纠错率为11.2%，行政诉讼案件败诉率下降。", "纠错率"),
    ("深入学习贯彻习近平法治思想，落实党政主要负责人履行第一责任人职责。", "习近平法治思想"),
    ("12345热线全年受理群众诉求3.2万件，按时办结率98.6%。", "12345热线"),
    ("区政务服务数据管理局推进数字政府建设，实现“一网通办”。", "一网通办"),
    ("持续优化营商环境，推行证明事项告知承诺制。", "营商环境"),
]


@pytest.mark.parametrize("engine", ["jieba", "rjieba"])
@pytest.mark.parametrize(("sentence", "term"), DOMAIN_SENTENCES)
def test_domain_terms_are_single_tokens(sentence, term, engine):
    assert term in tokenize([sentence], engine=engine)[0]


def test_numbers_punctuation_single_characters_and_stopwords_are_dropped():
    assert tokenize(["2022年，我县共办理行政复议案件38件，同比下降12.5%。"]) == [
        ["办理", "行政复议案件", "同比", "下降"]]


def test_full_width_plus_still_finds_the_protected_term():
    assert tokenize(["推行“互联网＋政务服务”"], engine="jieba") == [["互联网+政务服务"]]


def test_parenthesised_term_comes_back_in_its_canonical_form():
    assert tokenize(["青岛市全面推行一村（社区）一法律顾问制度"]) == [
        ["青岛市", "一村(社区)一法律顾问"]]


def test_policy_boilerplate_is_dropped_by_default():
    assert tokenize(["进一步加强和推进法治政府建设工作"]) == [["法治政府建设"]]


def test_policy_boilerplate_can_be_kept():
    assert tokenize(["进一步加强和推进法治政府建设工作"], policy_stopwords=False) == [
        ["进一步", "加强", "推进", "法治政府建设", "工作"]]


def test_extra_words_are_kept_whole():
    text = "区司法局推行“秒批”“无感审批”服务"
    assert "无感审批" not in tokenize([text])[0]
    assert "无感审批" in tokenize([text], extra_words=["无感审批"])[0]


def test_extra_words_from_a_userdict_file(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# 本地词表\n无感审批 5 nz\n", encoding="utf-8")
    assert tokenize(["推行“无感审批”服务"], extra_words=path) == [["无感审批", "服务"]]


def test_extra_stopwords_are_dropped():
    assert tokenize(["市司法局组织开展行政执法案卷评查"], extra_stopwords=["司法局"]) == [
        ["行政执法", "案卷评查"]]


def test_pos_filter_keeps_nouns_only():
    assert tokenize(["市司法局组织开展行政执法案卷评查，评查案卷120卷。"], pos=["n"]) == [
        ["司法局", "行政执法", "案卷评查", "案卷"]]


def test_unknown_engine_is_a_parameter_error():
    with pytest.raises(ParameterError, match="engine"):
        tokenize(["法治政府建设"], engine="pkuseg")


def test_rjieba_cannot_tag_parts_of_speech():
    with pytest.raises(ParameterError, match="engine"):
        tokenize(["法治政府建设"], engine="rjieba", pos=["n"])


def test_non_string_text_is_a_parameter_error():
    with pytest.raises(ParameterError, match="texts: item 1"):
        tokenize(["法治政府建设", None])


def test_missing_extra_words_file_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="extra_words"):
        tokenize(["法治政府建设"], extra_words=tmp_path / "missing.txt")


def test_cached_texts_are_not_segmented_again(monkeypatch):
    texts = ["推进行政复议体制改革", "规范行政执法行为"]
    first = tokenize(texts)

    def fail(self, text):
        raise AssertionError("segmented again")

    monkeypatch.setattr(Segmenter, "segment", fail)
    assert tokenize(texts) == first


def test_one_cache_file_per_call(tmp_path):
    tokenize([f"第{i}批政务服务事项进驻政务服务中心" for i in range(50)])
    assert len(list((tmp_path / "cache" / "tokens").rglob("*.parquet"))) == 1


def test_cache_does_not_mix_option_sets():
    text = "市司法局组织开展行政执法案卷评查"
    tokenize([text])
    assert tokenize([text], extra_stopwords=["司法局"]) == [["行政执法", "案卷评查"]]


def test_identical_texts_get_separate_lists():
    first, second = tokenize(["政务公开", "政务公开"])
    first.append("x")
    assert second == ["政务公开"]


def test_jieba_prefix_cache_goes_to_the_fazhi_cache_dir(tmp_path):
    Segmenter(SegmentOptions(engine="jieba"))
    assert (tmp_path / "cache" / "jieba" / "jieba.cache").is_file()


@pytest.mark.slow
def test_worker_processes_give_the_same_tokens(monkeypatch):
    texts = [f"{i}、推进“放管服”改革，落实“双随机、一公开”监管。" for i in range(40)]
    serial = tokenize(texts, cache=False, workers=1)
    monkeypatch.setattr(fazhi._parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(segment, "_CHUNK_CHARS", 200)
    assert tokenize(texts, cache=False, workers=2) == serial



def _hand_corpus():
    docs = pd.DataFrame({
        "doc_id": ["gz2021", "hz2022"], "year": [2021, 2022], "province": ["广东省", "浙江省"],
        "city": ["广州市", "杭州市"], "county": ["", ""], "place": ["广州市", "杭州市"],
        "organ": ["广州市人民政府", "杭州市司法局"], "level": ["市", "市"],
        "title": ["广州市人民政府2021年度法治政府建设情况报告", "杭州市司法局2022年度法治政府建设情况报告"],
    })
    paragraphs = pd.DataFrame({
        "doc_id": ["gz2021", "gz2021", "gz2021", "hz2022"],
        "para_id": [0, 1, 2, 0],
        "heading": ["一、主要举措 > (一)", "一、主要举措 > (二)", "二、存在的不足", "一、工作成效"],
        "section": ["一、主要举措", "一、主要举措", "二、存在的不足", "一、工作成效"],
        "kind": ["成效", "问题", "问题", "成效"],
        "text": ["深化“放管服”改革。", "行政执法规范化水平不够高。", "行政复议纠错率偏高。",
                 "推行“浙里办”掌上办事。"],
    })
    return SimpleNamespace(docs=docs, paragraphs=paragraphs)


def test_paragraph_units_carry_the_document_metadata():
    toks = tokenize_corpus(_hand_corpus())
    assert toks.units.loc[3, ["doc_id", "para_id", "kind", "year", "place"]].tolist() == [
        "hz2022", 0, "成效", 2022, "杭州市"]


def test_units_carry_every_metadata_column_of_the_corpus(seed_corpus):
    from fazhi.corpus.model import META_COLUMNS

    for unit in ("paragraph", "section", "document"):
        assert set(META_COLUMNS) <= set(tokenize_corpus(seed_corpus, unit=unit).units.columns)


def test_section_units_join_paragraphs_of_one_heading():
    toks = tokenize_corpus(_hand_corpus(), unit="section")
    assert toks.units["section"].tolist() == ["一、主要举措", "二、存在的不足", "一、工作成效"]
    assert toks.tokens[0] == ["放管服", "改革", "行政执法", "规范化", "不够"]


def test_a_section_takes_its_most_common_kind():
    corp = _hand_corpus()
    corp.paragraphs.loc[2, "section"] = "一、主要举措"
    toks = tokenize_corpus(corp, unit="section")
    assert toks.units.loc[0, "kind"] == "问题"


def test_document_units_hold_all_tokens_of_a_report():
    toks = tokenize_corpus(_hand_corpus(), unit="document")
    assert toks.units["doc_id"].tolist() == ["gz2021", "hz2022"]
    assert toks.tokens[1] == ["浙里办", "掌上", "办事"]
    assert toks.units["n_tokens"].tolist() == [8, 3]


def test_unknown_unit_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unit"):
        tokenize_corpus(_hand_corpus(), unit="sentence")


def test_tokens_must_be_parallel_to_units():
    with pytest.raises(ParameterError, match="parallel"):
        Tokens(units=pd.DataFrame({"doc_id": ["a", "b"]}), tokens=[["政务公开"]])


def test_seed_documents_tokenize_into_one_unit_each(seed_corpus):
    toks = tokenize_corpus(seed_corpus, unit="document")
    assert len(toks) == 5 and toks.units["n_tokens"].gt(300).all()


def test_extra_words_override_shipped_stopwords(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("成效 10 n\n", encoding="utf-8")
    assert tokenize(["取得明显成效"], extra_words=path) == [["明显", "成效"]]


# ---- user word lists take the text's form (NFKC, 简体) ---------------------------------

REFORM_PILOT = "全面推进改革（试点）工作，配齐网格员队伍。"


@pytest.mark.parametrize("engine", ["jieba", "rjieba"])
def test_full_width_extra_word_is_found_in_raw_text(engine):
    assert tokenize([REFORM_PILOT], extra_words=["改革（试点）"], engine=engine) == [
        ["改革(试点)", "配齐", "网格", "队伍"]]


def test_full_width_extra_word_is_found_in_a_loaded_corpus(tmp_path):
    import fazhi

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "gz2022.txt").write_text(
        f"广州市人民政府2022年度法治政府建设情况报告\n一、主要举措\n{REFORM_PILOT}\n",
        encoding="utf-8")
    toks = tokenize_corpus(fazhi.load_corpus(folder), extra_words=["改革（试点）"])
    assert toks.tokens == [["改革(试点)", "配齐", "网格", "队伍"]]


def test_traditional_extra_stopword_drops_the_simplified_token():
    assert tokenize([REFORM_PILOT], extra_stopwords=["隊伍"]) == [["推进改革", "试点", "配齐", "网格"]]


def test_extra_words_file_entries_are_normalised_but_keep_frequency_and_tag(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("改革（試點） 10 n\n", encoding="utf-8")
    assert segment._as_words(path, "extra_words") == ("改革(试点) 10 n",)


def test_shipped_word_lists_are_already_in_the_text_form():
    from fazhi._resources import data_path
    from fazhi.tokens.engines import (
        POLICY_STOPWORDS,
        STOPWORDS,
        USERDICT,
        canonical_entry,
        read_wordlist,
    )

    for name in (USERDICT, STOPWORDS, POLICY_STOPWORDS):
        lines = read_wordlist(data_path(name))
        assert [w for w in lines if canonical_entry(w) != " ".join(w.split())] == []


# ---- workers means what it means in load_corpus ----------------------------------------

class _RecordingPool:
    """Stands in for ProcessPoolExecutor: records the processes asked for, runs in-process."""

    started: list[int] = []

    def __init__(self, max_workers, initializer, initargs):
        self.started.append(max_workers)
        initializer(*initargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        from concurrent.futures import Future

        done = Future()
        done.set_result(fn(*args))
        return done


@pytest.mark.parametrize(("workers", "pools"), [(None, []), (1, []), (3, [3])])
def test_workers_none_or_one_is_one_process_and_n_is_n(monkeypatch, workers, pools):
    monkeypatch.setattr(fazhi._parallel, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(fazhi._parallel, "ProcessPoolExecutor", _RecordingPool)
    monkeypatch.setattr(_RecordingPool, "started", [])
    texts = ["推进“放管服”改革。", "落实“双随机、一公开”监管。"]
    assert tokenize(texts, cache=False, workers=workers) == [
        ["放管服", "改革"], ["双随机、一公开", "监管"]]
    assert _RecordingPool.started == pools


@pytest.mark.parametrize("workers", [0, -2, 1.5, "2", True])
def test_a_wrong_workers_value_is_refused_even_when_the_tokens_are_cached(workers):
    tokenize(["深化“放管服”改革。"])
    with pytest.raises(ParameterError, match="workers: expected a positive integer"):
        tokenize(["深化“放管服”改革。"], workers=workers)
    with pytest.raises(ParameterError, match="workers"):
        tokenize_corpus(_hand_corpus(), workers=workers)


def test_texts_are_taken_from_the_arrow_chunk_they_lie_in():
    import numpy as np
    import pyarrow as pa

    from fazhi._cache import take_texts

    texts = pa.chunked_array([["甲", "乙"], [], ["丙"], ["丁", "戊"]], type=pa.large_string())
    assert take_texts(texts, np.array([4, 0, 2, 2, 3])).to_pylist() == ["戊", "甲", "丙", "丙", "丁"]
    assert take_texts(texts, np.array([1, 2, 3])).to_pylist() == ["乙", "丙", "丁"]
    assert take_texts(texts, np.array([], dtype=np.int64)).to_pylist() == []
    with pytest.raises(IndexError, match="5 texts"):
        take_texts(texts, np.array([0, 5]))


def test_a_corpus_held_in_several_arrow_chunks_is_segmented_as_one(seed_corpus, monkeypatch):
    import pyarrow as pa

    plain = seed_corpus.paragraphs["text"].tolist()
    # a pandas column backed by Arrow in three chunks, as a concatenated corpus is
    cut = [0, len(plain) // 3, 2 * len(plain) // 3, len(plain)]
    chunked = pa.chunked_array([plain[a:b] for a, b in zip(cut, cut[1:])], type=pa.large_string())
    paragraphs = seed_corpus.paragraphs.assign(
        text=pd.Series(pd.arrays.ArrowExtensionArray(chunked), index=seed_corpus.paragraphs.index))
    corpus = SimpleNamespace(docs=seed_corpus.docs, paragraphs=paragraphs)
    monkeypatch.setattr(segment, "_CHUNK_CHARS", 300)  # jobs that straddle the Arrow chunks
    assert tokenize_corpus(corpus, cache=False).tokens == tokenize(plain, cache=False)
