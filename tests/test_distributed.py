"""The Dask path: process_corpus_dask on a two-worker LocalCluster writes the same tables as
load_corpus, tokenize_corpus and extract_facts on one machine."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import pandas as pd
import pytest

import fazhi
from fazhi.exceptions import CorpusError, ParameterError
from fazhi.tokens.store import read_corpus, read_facts, read_table, read_tokens

distributed = pytest.importorskip("dask.distributed")
from fazhi.distributed import process_corpus_dask  # noqa: E402

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
HAS_SEGMENT = importlib.util.find_spec("fazhi.tokens.segment") is not None
HAS_INDICATORS = importlib.util.find_spec("fazhi.facts.extract") is not None


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        with distributed.Client(cluster) as c:
            yield c


def _quietly(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def single(mixed_reports):
    return _quietly(fazhi.load_corpus, mixed_reports)


@pytest.fixture(scope="module")
def written(client, mixed_reports, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    counts = _quietly(process_corpus_dask, mixed_reports, out, client, batch_size=3)
    return out, counts


def test_docs_and_paragraphs_equal_load_corpus(written, single):
    corpus = read_corpus(written[0])
    for name in ("docs", "paragraphs", "removed", "errors"):
        got, expected = getattr(corpus, name), getattr(single, name)
        keys = [c for c in ("doc_id", "para_id", "line", "path") if c in got.columns]
        pd.testing.assert_frame_equal(got.sort_values(keys).reset_index(drop=True),
                                      expected.sort_values(keys).reset_index(drop=True), obj=name)
        pd.testing.assert_frame_equal(got, expected, obj=f"{name} in order")


def test_ids_duplicates_errors_and_sidecar_decided_over_the_whole_corpus(written, single):
    docs = read_corpus(written[0]).docs.set_index("doc_id")
    assert "000_eceb35f4adc4fa97-2" in docs.index  # same stem in sub/, a different text
    assert not docs["path"].str.endswith("zz_copy_of_001.txt").any()  # same text: kept once
    assert docs.loc["report_00003", "year"] == 2017
    assert written[1]["errors"] == 3  # empty.txt and the two copies
    assert written[1]["docs"] == len(single)


@pytest.mark.skipif(not HAS_SEGMENT, reason="fazhi.tokens.segment not available")
def test_tokens_equal_tokenize_corpus(written, single):
    got = read_tokens(written[0])
    expected = fazhi.tokenize_corpus(single, cache=False)
    assert got.tokens == expected.tokens
    pd.testing.assert_frame_equal(got.units, expected.units)


@pytest.mark.skipif(not HAS_INDICATORS, reason="fazhi.facts.extract not available")
def test_facts_equal_extract_facts(written, single):
    got = read_facts(written[0])
    expected = fazhi.extract_facts(single)
    keys = ["doc_id", "start", "end", "indicator"]
    pd.testing.assert_frame_equal(got.sort_values(keys).reset_index(drop=True),
                                  expected.sort_values(keys).reset_index(drop=True),
                                  check_dtype=False)


def test_load_corpus_opens_the_output_folder(written, single):
    pd.testing.assert_frame_equal(fazhi.load_corpus(written[0]).docs, single.docs)


def test_a_glob_gives_the_tables_of_the_files_it_matches(client, mixed_reports, tmp_path):
    pattern = str(mixed_reports / "report_*.txt")
    _quietly(process_corpus_dask, pattern, tmp_path, client, tokens=False, facts=False)
    files = sorted(mixed_reports.glob("report_*.txt"))
    pd.testing.assert_frame_equal(read_corpus(tmp_path).docs, fazhi.load_corpus(files).docs)
    assert not (tmp_path / "tokens").exists()


def test_each_batch_writes_one_part(written):
    parts = sorted(p.name for p in (written[0] / "docs").iterdir())
    assert parts[:2] == ["part-00000.parquet", "part-00001.parquet"]
    assert len(read_table(written[0], "docs")) == written[1]["docs"]


def test_a_glob_matching_nothing_is_an_error(client, tmp_path):
    with pytest.raises(CorpusError, match="matches no file"):
        process_corpus_dask(str(tmp_path / "*.txt"), tmp_path / "out", client)


def test_batch_size_must_be_positive(client, tmp_path):
    with pytest.raises(ParameterError, match="batch_size"):
        process_corpus_dask(fazhi.seeds_dir(), tmp_path, client, batch_size=0)
