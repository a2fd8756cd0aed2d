"""A Corpus's tables may be lazy: a DataFrame, or a loader read once on first access."""

from __future__ import annotations

import pandas as pd
import pytest

import fazhi
from fazhi.corpus.model import Corpus
from fazhi.corpus.store import read_corpus, save_corpus
from fazhi.exceptions import CorpusError, ParameterError


def test_a_stored_corpus_reads_its_paragraphs_only_when_asked(tmp_path, seed_corpus):
    save_corpus(seed_corpus, tmp_path)
    corp = fazhi.load_corpus(tmp_path)
    assert len(corp) == 5 and corp.docs.equals(seed_corpus.docs)
    assert not any(corp.is_loaded(t) for t in ("paragraphs", "removed", "errors"))
    guangdong = corp.filter(places="广东省")
    assert not guangdong.is_loaded("paragraphs")
    assert set(guangdong.paragraphs["doc_id"]) == set(guangdong.docs["doc_id"])
    assert not corp.is_loaded("paragraphs")  # filtering read the rows, not the original's table
    pd.testing.assert_frame_equal(corp.paragraphs, seed_corpus.paragraphs)
    pd.testing.assert_frame_equal(corp.removed, seed_corpus.removed, check_dtype=False)


def test_a_loader_is_called_once():
    calls = []

    def paragraphs():
        calls.append(1)
        return pd.DataFrame({"doc_id": ["a"], "text": ["第一段"]})

    corp = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2020], "place": ["深圳市"]}), paragraphs)
    assert calls == []
    assert corp.paragraphs is corp.paragraphs and calls == [1]


def test_dataframes_given_by_keyword_still_build_a_corpus(seed_corpus):
    corp = Corpus(docs=seed_corpus.docs, paragraphs=seed_corpus.paragraphs)
    assert corp.removed.columns.tolist() == ["doc_id", "line"]
    assert corp.errors.columns.tolist() == ["path", "error"]
    assert all(corp.is_loaded(t) for t in ("docs", "paragraphs", "removed", "errors"))


def test_a_table_that_is_neither_a_frame_nor_a_loader_is_refused():
    with pytest.raises(ParameterError, match="paragraphs: expected a DataFrame"):
        Corpus(pd.DataFrame({"doc_id": []}), [1, 2])
    corp = Corpus(pd.DataFrame({"doc_id": []}), lambda: "text")
    with pytest.raises(ParameterError, match="paragraphs: the loader returned str"):
        _ = corp.paragraphs


def test_a_store_rewritten_after_reading_is_refused_not_mixed(tmp_path, seed_corpus):
    save_corpus(seed_corpus, tmp_path)
    corp = read_corpus(tmp_path)
    save_corpus(seed_corpus.filter(years=2020), tmp_path)
    with pytest.raises(CorpusError, match="changed after the corpus was read"):
        _ = corp.paragraphs


def test_saving_a_lazy_corpus_into_its_own_folder_keeps_every_table(tmp_path, seed_corpus):
    save_corpus(seed_corpus, tmp_path)
    save_corpus(read_corpus(tmp_path), tmp_path)
    back = read_corpus(tmp_path)
    pd.testing.assert_frame_equal(back.paragraphs, seed_corpus.paragraphs)
    assert len(back.removed) == len(seed_corpus.removed)
