"""process_corpus: the stages a part of the files at a time into the Parquet store, with the
rows load_corpus, tokenize_corpus and extract_facts give on the whole corpus."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

import fazhi
import fazhi._parallel
from fazhi.exceptions import MetadataError, ParameterError
from fazhi.process import process_corpus
from fazhi.tokens.store import read_corpus, read_facts, read_table, read_tokens


def _quietly(fn, *args, **kwargs):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        value = fn(*args, **kwargs)
    return value, sorted(str(w.message) for w in seen)


@pytest.fixture(scope="module")
def single(mixed_reports):
    return _quietly(fazhi.load_corpus, mixed_reports)


@pytest.fixture(scope="module")
def written(mixed_reports, tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    # Parts of 4 files: the copies and the sidecar's report fall in other parts than the
    # reports they repeat or override.
    counts, said = _quietly(process_corpus, mixed_reports, out, docs_per_part=4)
    return out, counts, said


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: str for c in frame.columns
                         if isinstance(frame[c].dtype, pd.CategoricalDtype)})


def test_corpus_tables_equal_load_corpus_in_order(written, single):
    corpus = read_corpus(written[0])
    for name in ("docs", "paragraphs", "removed", "errors"):
        pd.testing.assert_frame_equal(getattr(corpus, name), getattr(single[0], name), obj=name)
    assert corpus.root == single[0].root  # its sidecars (facts_review.csv) are found
    assert written[1]["docs"] == len(single[0]) and written[1]["errors"] == 3
    assert written[2] == single[1]  # the same warnings: the copies, the empty file


def test_ids_duplicates_and_sidecar_are_decided_across_parts(written):
    docs = read_corpus(written[0]).docs.set_index("doc_id")
    assert "000_eceb35f4adc4fa97-2" in docs.index  # same stem in sub/, a different text
    assert not docs["path"].str.endswith("zz_copy_of_001.txt").any()
    assert docs.loc["report_00003", "year"] == 2017
    parts = sorted(p.name for p in (written[0] / "docs").iterdir())
    assert len(parts) == written[1]["parts"] >= 4
    assert [len(pd.read_parquet(written[0] / "docs" / p)) <= 4 for p in parts] == [True] * len(parts)


def test_tokens_and_facts_equal_the_whole_corpus_stages(written, single):
    got = read_tokens(written[0])
    expected = fazhi.tokenize_corpus(single[0])
    assert got.tokens == expected.tokens
    pd.testing.assert_frame_equal(_plain(got.units), _plain(expected.units))
    facts = fazhi.extract_facts(single[0], review=False)
    assert written[1]["facts"] == len(facts)
    pd.testing.assert_frame_equal(_plain(read_facts(written[0])), _plain(facts),
                                  check_dtype=False)


def test_read_facts_reads_only_the_columns_asked_for(written):
    some = read_facts(written[0], columns=["doc_id", "indicator", "value", "year"])
    assert list(some.columns) == ["doc_id", "indicator", "value", "year"]
    pd.testing.assert_frame_equal(_plain(some), _plain(read_facts(written[0])[list(some.columns)]),
                                  check_dtype=False)
    with pytest.raises(ParameterError, match="list of column names"):
        read_facts(written[0], columns="value")


def test_the_mapped_facts_alone_give_the_same_trends(written):
    every = read_facts(written[0])
    mapped = read_facts(written[0], mapped=True)
    assert 0 < len(mapped) < len(every)
    pd.testing.assert_frame_equal(
        _plain(mapped), _plain(every[every["indicator"] != ""].reset_index(drop=True)),
        check_dtype=False)
    few = read_facts(written[0], columns=["doc_id", "value", "year"], mapped=True)
    assert list(few.columns) == ["doc_id", "value", "year"] and len(few) == len(mapped)
    for by in ("place", "level"):
        pd.testing.assert_frame_equal(fazhi.trend_table(mapped, by=by),
                                      fazhi.trend_table(every, by=by))
    with pytest.raises(ParameterError, match="mapped"):
        read_facts(written[0], mapped="yes")


def test_through_processes_the_store_is_the_same(written, mixed_reports, tmp_path, monkeypatch):
    monkeypatch.setattr(fazhi._parallel, "PARALLEL_MIN_CHARS", 1)
    pools = []
    real = fazhi._parallel.ProcessPoolExecutor
    monkeypatch.setattr(fazhi._parallel, "ProcessPoolExecutor",
                        lambda *a, **k: pools.append(1) or real(*a, **k))
    counts, _ = _quietly(process_corpus, mixed_reports, tmp_path, docs_per_part=7, workers=2)
    # one pool for the three stages of every part: processes forked, dictionaries loaded once
    assert counts["parts"] >= 2 and len(pools) == 1
    assert counts["docs"] == written[1]["docs"] and counts["facts"] == written[1]["facts"]
    for table in ("docs", "paragraphs", "facts"):
        pd.testing.assert_frame_equal(_plain(read_table(tmp_path, table)),
                                      _plain(read_table(written[0], table)), obj=table)
    assert read_tokens(tmp_path).tokens == read_tokens(written[0]).tokens


def test_a_failed_run_leaves_the_store_as_it_was(mixed_reports, tmp_path):
    out = tmp_path / "store"
    _quietly(process_corpus, fazhi.seeds_dir(), out, tokens=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    folder = tmp_path / "reports"
    shutil.copytree(mixed_reports, folder)
    (folder / "metadata.csv").write_text("file,year\nreport_00005,二〇二〇\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="is not a number"):
        _quietly(process_corpus, folder, out, docs_per_part=3)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # nothing half-written, no staging folder left
    assert (folder / "metadata.csv").read_text(encoding="utf-8").startswith("file,year")


def test_without_tokens_or_facts_only_the_corpus_is_written(tmp_path):
    counts, _ = _quietly(process_corpus, fazhi.seeds_dir(), tmp_path, tokens=False, facts=False)
    assert counts["facts"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "docs", "paragraphs", "removed", "source_root.txt"]


@pytest.mark.parametrize("bad", [{"docs_per_part": 0}, {"docs_per_part": True},
                                 {"tokens": "yes"}, {"workers": 0}])
def test_bad_parameters_are_refused(tmp_path, bad):
    with pytest.raises(ParameterError):
        process_corpus(fazhi.seeds_dir(), tmp_path, **bad)
    assert not any(tmp_path.iterdir())


def test_a_store_or_a_table_file_is_refused_with_what_to_do(written, tmp_path):
    with pytest.raises(ParameterError, match="load_corpus"):
        process_corpus(written[0], tmp_path / "again")
    table = tmp_path / "reports.csv"
    table.write_text("text\n2021年,全市办结行政复议案件12件。\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="table file"):
        process_corpus(table, tmp_path / "out")


@pytest.mark.parametrize("agg", ["max", "min", "first", "mean", "sum", "count"])
@pytest.mark.parametrize("by", ["place", "level", None, ["province", "organ_type"]])
def test_a_trend_table_of_the_store_equals_the_one_of_its_facts_in_memory(written, agg, by):
    # parts of 4 reports: the cells by level and of the whole corpus take figures of every part
    expected = fazhi.trend_table(read_facts(written[0]), by=by, agg=agg)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(fazhi.trend_table(written[0], by=by, agg=agg), expected)


@pytest.mark.parametrize("options", [{"about": None}, {"running": None}, {"min_reports": 2},
                                     {"indicators": ["主动公开信息数", "行政复议案件数"]},
                                     {"parts": True, "about": ["本级", "全国"]}])
def test_a_trend_table_of_the_store_takes_every_option_as_in_memory(written, options):
    facts = read_facts(written[0])
    expected = fazhi.trend_table(facts, by="level", **options)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(fazhi.trend_table(written[0], by="level", **options), expected)


def test_a_trend_table_of_the_store_refuses_what_memory_refuses(written, tmp_path):
    with pytest.raises(ParameterError, match="unknown indicator"):
        fazhi.trend_table(written[0], indicators="没有这个指标")
    with pytest.raises(ParameterError, match="by must be one of"):
        fazhi.trend_table(written[0], by="nowhere")
    with pytest.raises(ParameterError, match="no facts"):
        fazhi.trend_table(tmp_path)
    with pytest.raises(ParameterError, match="min_reports"):
        fazhi.trend_table(written[0], min_reports=0)


def test_stored_facts_know_every_report_of_every_part(written, single):
    facts = read_facts(written[0])
    assert [d["doc_id"] for d in facts.attrs["docs"]] == single[0].docs["doc_id"].tolist()
    # the share of reports disclosing an indicator counts the reports of every part
    pd.testing.assert_frame_equal(fazhi.most_disclosed(facts),
                                  fazhi.most_disclosed(fazhi.extract_facts(single[0], review=False)))


def test_the_reports_behind_the_facts_are_shared_not_copied_by_each_operation(seed_corpus):
    import pickle

    facts = fazhi.extract_facts(seed_corpus)
    docs = facts.attrs["docs"]
    assert len(docs) == len(seed_corpus)
    derived = facts[facts["indicator"] != ""].sort_values("value").reset_index(drop=True)
    assert derived.attrs["docs"] is docs  # pandas deep-copies attrs on every operation
    again = pickle.loads(pickle.dumps(facts))
    assert again.attrs["docs"] == docs and type(again.attrs["docs"]) is type(docs)
    assert pickle.loads(pickle.dumps(again))[["doc_id", "value"]].equals(facts[["doc_id", "value"]])


@pytest.mark.parametrize("top_n", [None, 5])
@pytest.mark.parametrize("by", [None, "year", "level", "doc_id", ["province", "kind"]])
def test_term_frequency_of_the_store_equals_the_one_of_its_tokens_in_memory(written, by, top_n):
    expected = fazhi.term_frequency(read_tokens(written[0]), by=by, top_n=top_n)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(fazhi.term_frequency(written[0], by=by, top_n=top_n), expected)


def test_term_frequency_of_the_store_refuses_what_memory_refuses(written, tmp_path):
    with pytest.raises(ParameterError):
        fazhi.term_frequency(written[0], by="nowhere")
    with pytest.raises(ParameterError, match="top_n"):
        fazhi.term_frequency(written[0], top_n=0)
    _quietly(process_corpus, fazhi.seeds_dir(), tmp_path, tokens=False)
    with pytest.raises(fazhi.exceptions.CorpusError, match="no tokens"):
        fazhi.term_frequency(tmp_path)


def test_a_sample_of_the_store_holds_the_paragraphs_drawn_with_their_tokens(written):
    from fazhi.tokens.store import sample_tokens

    every = read_tokens(written[0])
    whole = sample_tokens(written[0], 10**6)
    assert whole.tokens == every.tokens
    pd.testing.assert_frame_equal(_plain(whole.units), _plain(every.units))
    some = sample_tokens(written[0], 40, random_state=3)
    assert len(some.units) == 40
    assert some.tokens == sample_tokens(written[0], 40, random_state=3).tokens  # seeded
    assert some.tokens != sample_tokens(written[0], 40, random_state=4).tokens
    # each paragraph drawn has its own tokens and metadata, in the store's order
    where = {(d, p): i for i, (d, p) in enumerate(zip(every.units["doc_id"].astype(str),
                                                      every.units["para_id"]))}
    rows = [where[(d, p)] for d, p in zip(some.units["doc_id"].astype(str), some.units["para_id"])]
    assert rows == sorted(rows) and len(set(rows)) == 40
    assert some.tokens == [every.tokens[i] for i in rows]
    pd.testing.assert_frame_equal(_plain(some.units).reset_index(drop=True),
                                  _plain(every.units).iloc[rows].reset_index(drop=True))
    with pytest.raises(fazhi.exceptions.CorpusError, match="positive integer"):
        sample_tokens(written[0], 0)


def test_topics_of_the_store_are_fitted_on_the_sample_it_draws(written):
    from fazhi.tokens.store import sample_tokens

    got = fazhi.fit_topics(written[0], n_topics=4, store_sample=120, random_state=1)
    expected = fazhi.fit_topics(sample_tokens(written[0], 120, random_state=1), n_topics=4,
                                random_state=1)
    assert len(got.unit_topics) == 120
    pd.testing.assert_frame_equal(got.top_terms_table(), expected.top_terms_table())
    every = fazhi.fit_topics(written[0], n_topics=4)  # the store is smaller than the sample
    pd.testing.assert_frame_equal(every.top_terms_table(),
                                  fazhi.fit_topics(read_tokens(written[0]), n_topics=4)
                                  .top_terms_table())
