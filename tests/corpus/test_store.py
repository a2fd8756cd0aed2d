"""fazhi.corpus.store: a corpus, its tokens and facts written as partitioned Parquet and read back
unchanged; load_corpus reads such a folder directly."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import fazhi
from fazhi.corpus.readers import iter_documents
from fazhi.exceptions import CorpusError, ParameterError
from fazhi.tokens.store import (
    read_corpus,
    read_facts,
    read_tokens,
    save_corpus,
    save_facts,
    save_tokens,
)

TABLES = ("docs", "paragraphs", "removed", "errors")


def assert_same_corpus(got, expected):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), obj=name)


def test_round_trip_keeps_every_table_and_dtype(seed_corpus, tmp_path):
    assert_same_corpus(read_corpus(save_corpus(seed_corpus, tmp_path)), seed_corpus)


def test_parts_hold_consecutive_documents_and_read_back_in_order(seed_corpus, tmp_path):
    save_corpus(seed_corpus, tmp_path, docs_per_part=2)
    parts = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    first = pd.read_parquet(tmp_path / "paragraphs" / "part-00000.parquet")
    assert set(first["doc_id"]) == set(seed_corpus.docs["doc_id"][:2])
    assert_same_corpus(read_corpus(tmp_path), seed_corpus)


def test_skipped_files_are_stored_in_errors(tmp_path):
    src = tmp_path / "reports"
    shutil.copytree(fazhi.seeds_dir(), src)
    (src / "empty.txt").write_bytes(b"")
    with pytest.warns(UserWarning, match="empty"):
        corpus = fazhi.load_corpus(src)
    back = read_corpus(save_corpus(corpus, tmp_path / "store"))
    assert back.errors["path"].str.endswith("empty.txt").tolist() == [True]
    assert_same_corpus(back, corpus)


def test_saving_again_replaces_the_previous_corpus(seed_corpus, tmp_path):
    save_corpus(seed_corpus, tmp_path, docs_per_part=1)
    smaller = seed_corpus.filter(years=2020)
    save_corpus(smaller, tmp_path)
    assert read_corpus(tmp_path).docs["doc_id"].tolist() == smaller.docs["doc_id"].tolist()


def test_load_corpus_reads_a_stored_folder_and_filters_it(seed_corpus, tmp_path):
    save_corpus(seed_corpus, tmp_path)
    assert_same_corpus(fazhi.load_corpus(tmp_path), seed_corpus)
    guangdong = fazhi.load_corpus(str(tmp_path), places="广东省")
    assert guangdong.docs["place"].tolist() == ["普宁市", "汕尾市", "海丰县", "深圳市"]
    assert guangdong.paragraphs["doc_id"].isin(guangdong.docs["doc_id"]).all()


def test_a_store_given_as_a_list_of_one_is_read_as_the_store(seed_corpus, tmp_path):
    # the command line passes its PATH arguments as a list
    save_corpus(seed_corpus, tmp_path / "store")
    assert_same_corpus(fazhi.load_corpus([tmp_path / "store"]), seed_corpus)
    with pytest.raises(ParameterError, match="read on its own"):
        fazhi.load_corpus([tmp_path / "store", fazhi.seeds_dir()])


def test_a_store_inside_a_reports_folder_is_not_read_as_reports(seed_corpus, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(fazhi.seeds_dir(), folder)
    save_corpus(seed_corpus, folder / "tables")  # its source_root.txt is no report
    corpus = fazhi.load_corpus(folder)
    assert corpus.docs["doc_id"].tolist() == seed_corpus.docs["doc_id"].tolist()
    assert corpus.errors.empty
    problems = []
    assert iter_documents(folder / "tables", problems) == []
    assert "Parquet store written by fazhi" in problems[0][1]


def test_load_corpus_refuses_a_sidecar_for_a_stored_folder(seed_corpus, tmp_path):
    save_corpus(seed_corpus, tmp_path / "store")
    sidecar = tmp_path / "metadata.csv"
    sidecar.write_text("file,year\n000_eceb35f4adc4fa97.txt,2019\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="sidecar"):
        fazhi.load_corpus(tmp_path / "store", metadata=sidecar)


def test_reading_a_folder_without_docs_names_the_fix(tmp_path):
    with pytest.raises(CorpusError, match="save_corpus"):
        read_corpus(tmp_path)


def test_tokens_round_trip_equal_tokenize_corpus(seed_corpus, tmp_path):
    pytest.importorskip("fazhi.tokens.segment")
    tokens = fazhi.tokenize_corpus(seed_corpus)
    back = read_tokens(save_tokens(tokens, tmp_path, docs_per_part=2), seed_corpus)
    assert back.tokens == tokens.tokens
    pd.testing.assert_frame_equal(back.units, tokens.units)


def test_section_tokens_are_not_stored(seed_corpus, tmp_path):
    pytest.importorskip("fazhi.tokens.segment")
    with pytest.raises(CorpusError, match="paragraph"):
        save_tokens(fazhi.tokenize_corpus(seed_corpus, unit="section"), tmp_path)


def test_facts_round_trip(tmp_path):
    facts = pd.DataFrame({
        "doc_id": ["a", "a", "b"], "indicator": ["办复率", "行政复议案件", "办复率"],
        "label": ["办复率", "行政复议案件", "办复率"], "value": [100.0, 15.0, 98.5],
        "unit": ["%", "件", "%"], "qualifier": ["", "共", "约"], "approx": [False, False, True],
        "sentence": ["建议提案办复率100%。", "共办理行政复议案件15件。", "办复率约98.5%。"],
        "start": [3, 2, 0], "end": [7, 12, 8]})
    save_facts(facts, tmp_path, docs_per_part=1)
    assert len(list((tmp_path / "facts").iterdir())) == 2
    pd.testing.assert_frame_equal(read_facts(tmp_path), facts)
