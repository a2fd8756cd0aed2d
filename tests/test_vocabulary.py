"""The shared parameter names of docs/glossary.md: one meaning each, the old names warning.

Also the rules written once and used by several stages: ``workers`` and the process pool,
``by`` (str, list or None), the carried metadata, the doc-id rule and the shared lists and
character classes.
"""

from __future__ import annotations

import types
import warnings

import matplotlib
import pandas as pd
import pytest

import fazhi
import fazhi._parallel as parallel
from fazhi._compat import renamed
from fazhi._resources import read_list
from fazhi._text import CJK, CN_DIGITS, YEAR_ONLY_ZEROS
from fazhi.corpus.load import DocIds
from fazhi.exceptions import ParameterError
from fazhi.tokens.compact import Tokens
from fazhi.tokens.grouping import carried_columns, doc_metadata

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def seed_tokens(seed_corpus):
    return fazhi.tokenize_corpus(seed_corpus)


@pytest.fixture(scope="module")
def seed_facts(seed_corpus):
    return fazhi.extract_facts(seed_corpus)


def _warns_renamed(old: str, new: str):
    return pytest.warns(FutureWarning, match=f"'{old}' is now '{new}'")


# ---- renamed keywords: the old name works, warns, and names the new one -------------------

def test_a_renamed_keyword_still_works_with_a_warning_naming_the_new_one():
    @renamed(top_n="n_terms")
    def f(n_terms=10):
        return n_terms

    with _warns_renamed("top_n", "n_terms"):
        assert f(top_n=3) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(n_terms=4) == 4 and f() == 10


def test_both_spellings_at_once_are_refused():
    @renamed(output_dir="out_dir")
    def f(out_dir=None):
        return out_dir

    with pytest.raises(ParameterError, match="'output_dir' is the old name of 'out_dir'"):
        f(output_dir="a", out_dir="b")


def test_fit_topics_top_n_is_now_n_terms(seed_tokens):
    new = fazhi.fit_topics(seed_tokens, n_topics=3, n_terms=4)
    with _warns_renamed("top_n", "n_terms"):
        old = fazhi.fit_topics(seed_tokens, n_topics=3, top_n=4)
    pd.testing.assert_frame_equal(old.top_terms, new.top_terms)
    assert new.top_terms.groupby("topic").size().eq(4).all()
    assert new.params["n_terms"] == 4


def test_coherence_by_k_top_n_is_now_n_terms(seed_tokens):
    new = fazhi.coherence_by_k(seed_tokens, [3, 4], n_terms=5)
    with _warns_renamed("top_n", "n_terms"):
        old = fazhi.coherence_by_k(seed_tokens, [3, 4], top_n=5)
    pd.testing.assert_frame_equal(old, new)


def test_cooccurrence_top_n_is_now_n_terms(seed_tokens):
    new = fazhi.cooccurrence(seed_tokens, n_terms=15)
    with _warns_renamed("top_n", "n_terms"):
        old = fazhi.cooccurrence(seed_tokens, top_n=15)
    pd.testing.assert_frame_equal(old, new)
    assert len(set(new["term1"]) | set(new["term2"])) <= 15


def test_keyness_column_is_now_compare(seed_tokens):
    new = fazhi.keyness(seed_tokens, "问题", "成效", compare="kind")
    with _warns_renamed("by", "compare"):
        old = fazhi.keyness(seed_tokens, "问题", "成效", by="kind")
    pd.testing.assert_frame_equal(old, new)
    with pytest.raises(ParameterError, match="compare: no column 'nope'"):
        fazhi.keyness(seed_tokens, "问题", compare="nope")


def test_plot_trends_top_n_is_now_n_indicators(seed_facts):
    new = fazhi.plot_trends(seed_facts, n_indicators=2, units="dominant")
    with _warns_renamed("top_n", "n_indicators"):
        old = fazhi.plot_trends(seed_facts, top_n=2, units="dominant")
    assert len(new.axes) == len(old.axes) == 2


def test_save_table_and_export_facts_write_into_out_dir(tmp_path, seed_facts):
    table = pd.DataFrame({"a": [1]})
    fazhi.save_table(table, "new", out_dir=tmp_path)
    with _warns_renamed("output_dir", "out_dir"):
        fazhi.save_table(table, "old", output_dir=tmp_path)
    assert (tmp_path / "new.csv").read_bytes() == (tmp_path / "old.csv").read_bytes()
    assert len(fazhi.export_facts(seed_facts, out_dir=tmp_path, name="f1")) == 2
    with _warns_renamed("output_dir", "out_dir"):
        assert len(fazhi.export_facts(seed_facts, output_dir=tmp_path, name="f2")) == 2


def test_load_corpus_reads_path(seed_corpus):
    folder = fazhi.seeds_dir()
    assert fazhi.load_corpus(path=folder).docs.equals(seed_corpus.docs)
    with _warns_renamed("path_or_files", "path"):
        assert fazhi.load_corpus(path_or_files=folder).docs.equals(seed_corpus.docs)


def test_stored_tables_are_read_from_path(tmp_path, seed_corpus):
    from fazhi.corpus.store import read_corpus, save_corpus

    save_corpus(seed_corpus, tmp_path)
    assert read_corpus(path=tmp_path).docs.equals(read_corpus(tmp_path).docs)
    with _warns_renamed("out_dir", "path"):
        assert len(read_corpus(out_dir=tmp_path)) == len(seed_corpus)


# ---- workers: None or an int >= 1, one check, one pool, one threshold --------------------

@pytest.mark.parametrize("workers", [True, False, 0, -1, 1.0, "2"])
def test_every_stage_refuses_a_workers_value_that_is_not_a_positive_int(workers):
    docs = types.SimpleNamespace(docs=pd.DataFrame({"doc_id": ["a"], "text": ["办复率100%。"]}))
    calls = [lambda: fazhi.load_corpus(workers=workers),
             lambda: fazhi.tokenize(["推进改革。"], workers=workers),
             lambda: fazhi.extract_facts(docs, workers=workers),
             lambda: fazhi.extract_facts("办复率100%。", workers=workers)]
    for call in calls:
        with pytest.raises(ParameterError, match="workers: expected a positive integer or None"):
            call()


def test_check_workers_accepts_none_and_positive_ints_only():
    assert parallel.check_workers(None) is None
    assert parallel.check_workers(3) == 3
    for bad in (True, 0, 2.0, "1"):
        with pytest.raises(ParameterError, match="n_jobs: expected"):
            parallel.check_workers(bad, name="n_jobs")


def test_one_threshold_rule_decides_when_processes_start(monkeypatch):
    limit = parallel.PARALLEL_MIN_CHARS
    assert parallel.n_processes(None, 10 * limit) == 1
    assert parallel.n_processes(1, 10 * limit) == 1
    assert parallel.n_processes(4, limit - 1) == 1
    assert parallel.n_processes(4, limit) == 4


def test_a_map_in_processes_gives_what_a_loop_gives(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    jobs = list(range(20))
    assert parallel.map_in_processes(abs, [-j for j in jobs], 2, size=1) == jobs
    assert parallel.map_in_processes(abs, [-j for j in jobs], None, size=1) == jobs


# ---- by: a str, a list, or None (no grouping) --------------------------------------------

def test_trend_table_groups_by_a_list_of_columns(seed_facts):
    by_place = fazhi.trend_table(seed_facts, "政协提案数")
    by_two = fazhi.trend_table(seed_facts, "政协提案数", by=["province", "place"])
    assert by_two.index.names == ["indicator", "unit", "province", "place"]
    # 深圳's own CPPCC's 536, not the national members' 9 the same sentence names first
    assert by_two.loc[("政协提案数", "件", "广东省", "深圳市"), 2018] == 536.0
    assert by_two.droplevel("province").equals(by_place)


def test_trend_table_without_grouping_has_one_row_per_indicator_and_unit(seed_facts):
    table = fazhi.trend_table(seed_facts, "政协提案数", by=None)
    assert table.index.names == ["indicator", "unit"]
    assert table.loc[("政协提案数", "件"), 2018] == 536.0  # 深圳, the one 2018 report


def test_trend_table_refuses_an_unknown_column_in_a_list(seed_facts):
    with pytest.raises(ParameterError, match="by must be one of"):
        fazhi.trend_table(seed_facts, by=["place", "nope"])


def test_plot_trends_draws_one_line_per_group_of_a_list(seed_facts):
    fig = fazhi.plot_trends(seed_facts, ["政协提案数"], by=["province", "place"])
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels and all(" · " in label for label in labels)
    fig = fazhi.plot_trends(seed_facts, ["政协提案数"], by=None)
    assert fig.axes[0].get_legend_handles_labels()[1] == ["全部 all"]


def test_by_none_is_no_grouping_in_every_table(seed_tokens):
    overall = fazhi.dictionary_counts(seed_tokens, by=None)
    per_doc = fazhi.dictionary_counts(seed_tokens)
    assert overall["category"].is_unique
    assert "doc_id" in per_doc.columns and "doc_id" not in overall.columns
    assert overall.set_index("category")["count"].equals(
        per_doc.groupby("category", sort=False)["count"].sum().rename("count"))
    assert "doc_id" not in fazhi.term_frequency(seed_tokens, by=None).columns
    model = fazhi.fit_topics(seed_tokens, n_topics=3)
    whole = model.prevalence(by=None)
    assert len(whole) == 1 and whole["n_units"].iloc[0] == model.prevalence()["n_units"].sum()


# ---- one metadata rule, by column name ---------------------------------------------------

def _units(kinds_a: list[str]) -> pd.DataFrame:
    n = len(kinds_a)
    return pd.DataFrame({"doc_id": ["a"] * n + ["b", "b"], "para_id": [*range(n), 0, 1],
                         "kind": [*kinds_a, "成效", "问题"], "place": ["深圳市"] * (n + 2),
                         "year": [2020] * n + [2021, 2021]})


def test_report_metadata_is_carried_by_name_not_by_constant_value():
    # kind is constant within every report of the first corpus, not of the second: the
    # columns must not depend on it.
    one_kind = doc_metadata(_units(["问题", "问题"]).assign(kind="成效"))
    mixed = doc_metadata(_units(["问题", "成效"]))
    assert one_kind.columns.tolist() == mixed.columns.tolist() == ["doc_id", "place", "year"]
    assert carried_columns(_units(["问题"]), ["doc_id"]) == ["place", "year"]
    assert carried_columns(_units(["问题"]), ["kind"]) == []


def test_topic_models_and_frequency_tables_carry_the_same_metadata(seed_tokens):
    model = fazhi.fit_topics(seed_tokens, n_topics=3)
    by_doc = fazhi.term_frequency(seed_tokens, by="doc_id", top_n=1)
    meta = [c for c in by_doc.columns if c not in ("term", "count", "rate", "doc_freq")]
    assert model.doc_topics.columns.tolist()[:len(meta)] == meta
    keywords = fazhi.keywords_per_doc(seed_tokens, top_n=1)
    assert keywords.columns.tolist()[4:] == meta[1:]


def test_hand_built_tokens_keep_only_the_metadata_they_have():
    units = _units(["问题", "成效"])
    toks = Tokens(units=units, tokens=[["改革"], ["法治"], ["改革"], ["复议"]], unit="paragraph")
    table = fazhi.term_frequency(toks, by="doc_id")
    assert table.columns.tolist() == ["doc_id", "term", "count", "rate", "doc_freq",
                                      "place", "year"]


# ---- rules written once ---------------------------------------------------------------

def test_doc_ids_are_stems_de_duplicated_in_order_and_repeats_kept_once():
    ids = DocIds()
    assert ids.assign("x/a.txt", "1") == "a"
    assert ids.assign("y/a.txt", "2") == "a-2"
    with pytest.warns(UserWarning, match="same text as x/a.txt"):
        assert ids.assign("z/b.txt", "1") is None
    assert ids.assign("z/a.docx", "3") == "a-3"
    assert ids.errors == [{"path": "z/b.txt", "error": "z/b.txt: same text as x/a.txt, kept once"}]


def test_a_list_file_skips_blanks_and_comments_and_tolerates_a_bom(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("\ufeff# a comment\n 放管服 \n\n  # indented comment\n营商环境\n", "utf-8")
    assert read_list(path) == ["放管服", "营商环境"]


def test_one_han_class_and_one_digit_table():
    import re

    han = re.compile(f"[{CJK}]")
    assert all(han.match(c) for c in "法治㐀\uf900")  # unified, extension A, compatibility
    assert not any(han.match(c) for c in "a1，。")
    assert {v for v in CN_DIGITS.values()} == set(range(10))
    from fazhi.corpus.dates import CN_DIGITS as year_digits
    from fazhi.facts.numbers import _CN_DIGITS as numerals

    assert "二○二○".translate(year_digits) == "2020" == "二Ｏ二Ｏ".translate(year_digits)
    assert not set(YEAR_ONLY_ZEROS) & set(numerals)
    assert set(numerals) | set(YEAR_ONLY_ZEROS) == set(CN_DIGITS)
