"""The compact form of tokens: one sorted vocabulary, an int32 id per token, row offsets."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from fazhi import _cache
from fazhi.exceptions import ParameterError
from fazhi.tokens.engines import Segmenter, SegmentOptions
from fazhi.tokens.segment import Tokens, tokenize, tokenize_corpus


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path / "cache"))


def _rows(toks: Tokens) -> list[list[str]]:
    """Each unit's tokens read straight from the compact arrays."""
    return [toks.vocab[toks.ids[a:b]].tolist()
            for a, b in zip(toks.offsets[:-1], toks.offsets[1:])]


def test_ids_give_back_the_reference_segmentation_of_the_seeds(seed_corpus):
    toks = tokenize_corpus(seed_corpus, engine="jieba", cache=False)
    reference = Segmenter(SegmentOptions(engine="jieba"))
    expected = [reference.segment(t).split(" ") if reference.segment(t) else []
                for t in seed_corpus.paragraphs["text"]]
    assert _rows(toks) == expected
    assert toks.tokens == expected


def test_vocabulary_is_sorted_unique_and_used(seed_corpus):
    toks = tokenize_corpus(seed_corpus)
    vocab = toks.vocab.tolist()
    assert vocab == sorted(set(vocab))
    assert np.bincount(toks.ids, minlength=len(vocab)).min() > 0
    assert toks.ids.dtype == np.int32 and toks.offsets.dtype == np.int64


def test_each_word_is_one_string_object(seed_corpus):
    toks = tokenize_corpus(seed_corpus)
    objects = {id(word) for unit in toks.tokens for word in unit}
    assert len(objects) == len(toks.vocab)


def test_dtm_equals_a_count_vectorizer_over_the_token_lists(seed_corpus):
    toks = tokenize_corpus(seed_corpus)
    vectorizer = CountVectorizer(analyzer=lambda words: words)
    expected = vectorizer.fit_transform(toks.tokens).tocsr()
    matrix, vocab = toks.dtm()
    assert vocab.tolist() == vectorizer.get_feature_names_out().tolist()
    assert matrix.shape == expected.shape and (matrix != expected).nnz == 0
    assert matrix.dtype == np.int64


def test_a_cache_hit_gives_the_same_arrays_as_segmenting(seed_corpus):
    cold = tokenize_corpus(seed_corpus)
    warm = tokenize_corpus(seed_corpus)
    for name in ("vocab", "ids", "offsets"):
        assert np.array_equal(getattr(warm, name), getattr(cold, name))


def test_texts_partly_cached_merge_both_vocabularies():
    texts = ["推进行政复议体制改革", "规范行政执法行为", "深化政务公开"]
    tokenize(texts[:2])
    mixed = [texts[2], texts[0], texts[2], "", texts[1]]
    assert tokenize(mixed) == tokenize(mixed, cache=False)


def test_sections_pool_the_ids_of_their_paragraphs(seed_corpus):
    paragraphs = tokenize_corpus(seed_corpus)
    sections = tokenize_corpus(seed_corpus, unit="section")
    keys = paragraphs.units[["doc_id", "section"]].astype(str).agg("|".join, axis=1)
    pooled: dict[str, list[str]] = {}
    for key, words in zip(keys, paragraphs.tokens):
        pooled.setdefault(key, []).extend(words)
    assert sections.tokens == list(pooled.values())


def test_token_lists_and_ids_describe_the_same_tokens():
    units = pd.DataFrame({"doc_id": ["gz2021", "gz2021", "hz2022"]})
    lists = [["行政复议", "案件", "纠错"], [], ["政务公开", "案件", "案件"]]
    by_lists = Tokens(units, lists)
    by_ids = Tokens.from_ids(units, ["纠错", "政务公开", "未用", "案件", "行政复议"],
                             [4, 3, 0, 1, 3, 3], [0, 3, 3, 6])
    assert by_ids.tokens == lists
    assert by_ids.vocab.tolist() == by_lists.vocab.tolist() == ["政务公开", "案件", "纠错",
                                                                "行政复议"]
    assert by_ids.ids.tolist() == by_lists.ids.tolist() == [3, 1, 2, 0, 1, 1]
    assert by_ids.lengths.tolist() == [3, 0, 3]
    assert by_ids.unit_tokens(2) == ["政务公开", "案件", "案件"]


def test_offsets_must_cover_the_ids():
    with pytest.raises(ParameterError, match="offsets"):
        Tokens.from_ids(pd.DataFrame({"doc_id": ["a"]}), ["案件"], [0, 0], [0, 1])


def test_the_compact_arrays_are_read_only(seed_corpus):
    toks = tokenize_corpus(seed_corpus)
    with pytest.raises(ValueError):
        toks.ids[0] = 0


def test_a_corrupt_token_batch_is_segmented_again_with_a_warning(tmp_path):
    texts = ["推进行政复议体制改革", "规范行政执法行为"]
    cold = tokenize(texts, cache=False)
    tokenize(texts)
    (batch,) = (tmp_path / "cache" / "tokens").rglob("*.parquet")
    batch.write_bytes(b"PAR1 not really parquet")
    with pytest.warns(RuntimeWarning, match="token cache: ignoring unreadable"):
        assert tokenize(texts) == cold
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the bad file is gone, the new batch reads back
        assert tokenize(texts) == cold


def test_token_batches_are_merged_and_read_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(_cache, "MAX_BATCHES", 3)
    texts = [f"第{i}批{w}进驻政务服务中心" for i, w in enumerate(
        ["政务服务事项", "行政复议案件", "行政执法案卷", "规范性文件", "法律顾问", "公职律师"])]
    cold = tokenize(texts, cache=False)
    for i in range(len(texts)):  # a batch per call, each with its own dictionary
        tokenize(texts[i:i + 1])
    assert len(list((tmp_path / "cache" / "tokens").rglob("*.parquet"))) <= 3

    def fail(self, text):
        raise AssertionError("segmented again")

    monkeypatch.setattr(Segmenter, "segment", fail)
    assert tokenize(texts) == cold
    assert tokenize(texts[::-1]) == cold[::-1]


def test_a_subset_of_a_cached_corpus_reads_back_from_the_cache(tmp_path, monkeypatch):
    # The whole corpus fills the cache; a later run on part of it reads read-only
    # buffers that hold more words than the part uses.
    import fazhi

    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path))
    corpus = fazhi.load_corpus()
    fazhi.tokenize_corpus(corpus)
    part = corpus.filter(years=[2020])
    cached = fazhi.tokenize_corpus(part)
    fresh = fazhi.tokenize_corpus(part, cache=False)
    assert cached.tokens == fresh.tokens
    assert len(cached.units) == len(part.paragraphs)
