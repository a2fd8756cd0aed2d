"""The facts cache: keyed by text and by everything else that decides the facts, equal to a
cold extraction, batched, and never fatal."""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import warnings

import pandas as pd
import pyarrow as pa
import pytest

from fazhi import _cache
from fazhi._cache import KEY, ParquetCache, arrow_texts, text_keys
from fazhi._resources import data_path
from fazhi.exceptions import IndicatorDictionaryError, ParameterError
from fazhi.facts import extract as indicators
from fazhi.facts.extract import extract_facts, facts_version

_SCHEMA = pa.schema([("key", pa.string()), ("tokens", pa.string())])
TEXT = "全年共受理行政复议案件156件,办复率达到100%,承接省级下放事项600余项。"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(folder))
    return folder


def _batches(folder):
    return sorted((folder / "facts").glob("*/*.parquet"))


def _no_extraction(*args, **kwargs):
    raise AssertionError("facts were extracted again instead of read from the cache")


def test_a_cache_hit_equals_a_cold_extraction(seed_corpus, cache_dir, monkeypatch):
    cold = extract_facts(seed_corpus, cache=False)
    first = extract_facts(seed_corpus)
    assert len(_batches(cache_dir)) == 1  # one file for the whole call
    monkeypatch.setattr(indicators, "_fresh_table", _no_extraction)
    warm = extract_facts(seed_corpus)
    pd.testing.assert_frame_equal(first, cold)
    pd.testing.assert_frame_equal(warm, cold)
    assert len(_batches(cache_dir)) == 1


def test_a_text_hit_keeps_its_doc_id_and_dtypes(cache_dir, monkeypatch):
    cold = extract_facts(TEXT, doc_id="a", cache=False)
    empty = extract_facts("没有数字。", cache=False)
    extract_facts(TEXT, doc_id="other")
    extract_facts("没有数字。")
    monkeypatch.setattr(indicators, "_facts_chunk", _no_extraction)
    pd.testing.assert_frame_equal(extract_facts(TEXT, doc_id="a"), cold)
    pd.testing.assert_frame_equal(extract_facts("没有数字。"), empty)  # no facts is cached too


def test_the_cache_lives_under_fazhi_cache_dir(cache_dir):
    extract_facts(TEXT)
    (batch,) = _batches(cache_dir)
    assert batch.parent.name == facts_version()


def test_editing_the_dictionary_changes_the_key(tmp_path, cache_dir):
    mine = tmp_path / "indicators.yml"
    shutil.copy(data_path("indicators.yml"), mine)
    assert facts_version(mine) == facts_version()  # the content counts, not the path
    before = extract_facts(TEXT, dictionary=mine)
    assert "行政复议案件数" in before["indicator"].tolist()
    mine.write_text(mine.read_text(encoding="utf-8").replace(
        "indicator: 行政复议案件数", "indicator: 复议案件受理数"), encoding="utf-8")
    assert facts_version(mine) != facts_version()
    after = extract_facts(TEXT, dictionary=mine)
    assert "复议案件受理数" in after["indicator"].tolist()
    assert len({b.parent for b in _batches(cache_dir)}) == 2


def test_a_malformed_dictionary_still_fails_and_caches_nothing(tmp_path, cache_dir):
    bad = tmp_path / "bad.yml"
    bad.write_text("indicators: {}\n", encoding="utf-8")
    with pytest.raises(IndicatorDictionaryError, match="bad.yml"):
        extract_facts(TEXT, dictionary=bad)
    assert not _batches(cache_dir)


def test_a_different_text_misses(cache_dir):
    extract_facts(TEXT)
    other = TEXT.replace("156", "157")
    facts = extract_facts(other)
    assert len(_batches(cache_dir)) == 2
    assert 157.0 in facts["value"].tolist()
    pd.testing.assert_frame_equal(facts, extract_facts(other, cache=False))


def test_a_corrupt_cache_file_is_recomputed_with_a_warning(seed_corpus, cache_dir):
    cold = extract_facts(seed_corpus, cache=False)
    extract_facts(seed_corpus)
    (batch,) = _batches(cache_dir)
    batch.write_bytes(b"PAR1 not really parquet")
    with pytest.warns(RuntimeWarning, match="unreadable"):
        again = extract_facts(seed_corpus)
    pd.testing.assert_frame_equal(again, cold)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the bad file is gone, the new batch reads back
        pd.testing.assert_frame_equal(extract_facts(seed_corpus), cold)


def test_no_cache_writes_nothing(seed_corpus, cache_dir):
    extract_facts(seed_corpus, cache=False)
    extract_facts(TEXT, cache=False)
    assert not cache_dir.exists() or not any(cache_dir.rglob("*"))


def test_batches_are_merged_and_each_key_is_read_once(tmp_path, monkeypatch):
    monkeypatch.setattr(_cache, "MAX_BATCHES", 3)
    store = ParquetCache(tmp_path, "v1", _SCHEMA)
    for i in range(5):  # the same key written again and again
        store.put(pa.table({"key": ["same", f"k{i}"], "tokens": ["x", str(i)]}, schema=_SCHEMA))
    assert len(store.batches()) <= 3
    found = store.get(["same", "k4", "absent"])
    assert sorted(found["key"].to_pylist()) == ["k4", "same"]
    assert store.get(pa.array(["k4", "k4"])).to_pylist() == [{"key": "k4", "tokens": "4"}]
    assert store.get([]).num_rows == 0
    assert not list(tmp_path.rglob("*.part"))


def test_a_merge_holds_a_few_batches_at_a_time_never_the_whole_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(_cache, "MAX_BATCHES", 4)
    store = ParquetCache(tmp_path, "v1", _SCHEMA)
    batch = lambda i: pa.table({"key": [f"k{i}-{j}" for j in range(200)],  # noqa: E731
                                "tokens": [f"{i}-{j}" * 20 for j in range(200)]}, schema=_SCHEMA)
    store.put(batch(0))
    one = store.batches()[0].stat().st_size
    monkeypatch.setattr(_cache, "MERGE_BYTES", 3 * one)
    merged_from = []
    real = ParquetCache._merge_group
    monkeypatch.setattr(ParquetCache, "_merge_group",
                        lambda self, files: (merged_from.append(len(files)), real(self, files)))
    for i in range(1, 40):
        store.put(batch(i))
    # a merge reads about MERGE_BYTES (three batches here, a fourth when they fall short)
    assert merged_from and max(merged_from) <= 4
    # full files are left alone, the small ones never pile up
    assert sum(f.stat().st_size < 3 * one for f in store.batches()) <= 4
    keys = [f"k{i}-{j}" for i in range(40) for j in range(200)]
    found = store.get(keys)
    assert found.num_rows == len(keys)
    assert dict(zip(found["key"].to_pylist(), found["tokens"].to_pylist())) == {
        k: k[1:] * 20 for k in keys}


def _writer(args):
    root, who = args
    store = ParquetCache(root, "v1", _SCHEMA)
    for i in range(12):
        store.put(pa.table({"key": [f"{who}-{i}", "shared"], "tokens": [str(i), "x"]},
                           schema=_SCHEMA))


def test_parallel_writers_lose_nothing_and_leave_no_partial_files(tmp_path, monkeypatch):
    monkeypatch.setattr(_cache, "MAX_BATCHES", 4)  # forked writers inherit it: many merges
    with multiprocessing.get_context("fork").Pool(3) as pool:
        pool.map(_writer, [(tmp_path, w) for w in "abc"])
    store = ParquetCache(tmp_path, "v1", _SCHEMA)
    keys = [f"{w}-{i}" for w in "abc" for i in range(12)] + ["shared"]
    found = store.get(keys)
    assert sorted(found["key"].to_pylist()) == sorted(keys)
    assert not list(tmp_path.rglob("*.part"))


def test_a_look_up_reads_the_wanted_rows_of_many_row_groups(tmp_path):
    store = ParquetCache(tmp_path, "v1", _SCHEMA)
    keys = [f"k{i:04d}" for i in range(3000)]  # three row groups of 1,024 rows, and a rest
    store.put(pa.table({"key": keys, "tokens": [k[::-1] for k in keys]}, schema=_SCHEMA))
    wanted = ["k2999", "k0000", "k1024", "k1023", "k2048", "k0500", "nowhere"]
    found = store.get(wanted)
    assert dict(zip(found["key"].to_pylist(), found["tokens"].to_pylist())) == {
        k: k[::-1] for k in wanted if k != "nowhere"}
    assert store.get(keys).num_rows == 3000


def test_text_keys_are_the_sha1_of_each_text_however_it_is_held():
    texts = ["行政复议", "", "办复率达到100%", "行政复议"]
    expected = [hashlib.sha1(t.encode("utf-8")).digest() for t in texts]
    assert text_keys(texts).to_pylist() == expected
    assert text_keys(texts).type == KEY
    assert text_keys(pa.array(texts, pa.string())).to_pylist() == expected
    sliced = pa.chunked_array([pa.array(["x", *texts[:2]]).slice(1), pa.array(texts[2:])])
    assert text_keys(sliced).to_pylist() == expected
    assert len(text_keys([])) == 0


def test_arrow_texts_shares_a_corpus_column_and_names_a_missing_text(seed_corpus):
    column = seed_corpus.paragraphs["text"]
    assert str(column.dtype) == "str"
    array = arrow_texts(column)
    # the same Arrow buffer as the corpus's column: no copy of the text
    source = pa.array(column.array)
    first = array.chunks[0] if isinstance(array, pa.ChunkedArray) else array
    held = source.chunks[0] if isinstance(source, pa.ChunkedArray) else source
    assert first.buffers()[2].address == held.buffers()[2].address
    assert array.to_pylist() == column.tolist()

    holed = pd.Series(["行政复议", None, "办复率达到100%"], dtype="str")
    assert arrow_texts(holed, missing="").to_pylist() == ["行政复议", "", "办复率达到100%"]
    with pytest.raises(ParameterError, match="item 1 is missing"):
        arrow_texts(holed)
    mixed = ["行政复议", "办复率", 3.5]
    assert arrow_texts(mixed, missing="").to_pylist() == ["行政复议", "办复率", ""]
    with pytest.raises(ParameterError, match="item 2 is float"):
        arrow_texts(mixed)
    assert arrow_texts(iter(["一", "二"])).to_pylist() == ["一", "二"]


@pytest.mark.parametrize("text_dtype", ["str", object])
def test_repeated_and_missing_texts_in_a_corpus(seed_corpus, cache_dir, text_dtype,
                                                monkeypatch):
    import fazhi._parallel
    from fazhi.corpus.model import Corpus

    # in processes, a few documents to an Arrow batch: what a large corpus goes through
    monkeypatch.setattr(fazhi._parallel, "PARALLEL_MIN_CHARS", 1)
    monkeypatch.setattr(indicators, "_BATCH_DOCS", 2)
    serial = extract_facts(seed_corpus, cache=False)

    docs = seed_corpus.docs
    first = docs.iloc[0]
    extra = pd.DataFrame([{**first.to_dict(), "doc_id": "copy"},
                          {**first.to_dict(), "doc_id": "blank", "text": None}])
    docs = pd.concat([docs, extra], ignore_index=True)
    docs["text"] = docs["text"].astype(text_dtype)
    corpus = Corpus(docs=docs, paragraphs=seed_corpus.paragraphs)
    for _ in range(2):  # cold, then from the cache
        facts = extract_facts(corpus, workers=2)
        original = facts[facts["doc_id"] == first["doc_id"]].reset_index(drop=True)
        copy = facts[facts["doc_id"] == "copy"].reset_index(drop=True)
        assert len(original) > 10
        # the same text, the same figures and fact ids: only the doc_id differs
        pd.testing.assert_frame_equal(copy.drop(columns="doc_id"),
                                      original.drop(columns="doc_id"))
        assert not (facts["doc_id"] == "blank").any()
        assert "blank" in {d["doc_id"] for d in facts.attrs["docs"]}
        seeds = facts[facts["doc_id"].isin(seed_corpus.docs["doc_id"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(seeds, serial, check_categorical=False)
