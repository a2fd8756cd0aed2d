"""Exercises: every exercise of the notebooks has an answer computed on the seeds, the
answers are what the parameter change gives, and they are hidden, tagged and removable."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import pytest

import fazhi
from fazhi import lessons
from fazhi._resources import notebooks_dir
from fazhi.reports.export import without_answers

NOTEBOOKS = ["00_corpus_overview", "01_term_frequency", "02_tfidf_topics", "03_indicator_trends"]


def _notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(notebooks_dir() / f"{name}.ipynb", as_version=4)


def _exercise_ids(nb: nbformat.NotebookNode) -> list[str]:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return sorted(set(re.findall(r"练习 (\d\d-\d)", text)))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_notebook_ends_with_three_to_five_exercises_all_known(name):
    ids = _exercise_ids(_notebook(name))
    assert 3 <= len(ids) <= 5
    assert ids == sorted(k for k in lessons.EXERCISES if k.startswith(name[:2]))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_answer_is_a_collapsed_cell_tagged_answer(name):
    nb = _notebook(name)
    answers = [c for c in nb.cells if "fazhi.lessons.answer(" in c.source]
    assert len(answers) == len(_exercise_ids(nb))
    for cell in answers:
        assert "answer" in cell.metadata["tags"]
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert "shown=answers" in cell.source
    assert "answers = True" in next(c.source for c in nb.cells
                                    if "parameters" in c.metadata.get("tags", []))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_removing_the_answers_keeps_the_exercises_and_the_check(name):
    nb = without_answers(_notebook(name))
    assert not [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    assert any("fazhi.lessons.check_all(my_answers)" in c.source for c in nb.cells)
    assert _exercise_ids(nb)


def test_each_expected_answer_is_marked_correct_and_a_wrong_one_is_not():
    for exercise in lessons.EXERCISES:
        want = lessons.expected(exercise)
        assert lessons.check(exercise, want).ok is True, exercise
        wrong = want + 1 if isinstance(want, (int, float)) else f"{want}?"
        assert lessons.check(exercise, wrong).ok is False, exercise


def test_an_answer_hidden_does_not_show_the_value():
    assert str(lessons.expected("00-3")) not in lessons.answer("00-3", shown=False).text


def test_01_1_the_extra_word_is_counted_but_too_rare_for_keyness(seed_corpus):
    toks = fazhi.tokenize_corpus(seed_corpus, extra_words=["两减一即"])
    count = lessons.expected("01-1")
    assert count == 2 < 3  # below keyness's default min_count
    assert "两减一即" not in set(fazhi.keyness(toks, "问题", "成效")["term"])
    assert "两减一即" not in set(fazhi.term_frequency(fazhi.tokenize_corpus(seed_corpus))["term"])


def test_01_2_cunzai_only_appears_in_keyness_without_policy_stopwords(seed_corpus):
    plain = fazhi.keyness(fazhi.tokenize_corpus(seed_corpus), "问题", "成效")
    assert "存在" not in set(plain["term"])
    assert 1 <= lessons.expected("01-2") <= 10


def test_01_3_min_count_1_lets_many_rare_terms_pass(seed_corpus):
    default = fazhi.keyness(fazhi.tokenize_corpus(seed_corpus), "问题", "成效")
    n_default = int(((default["p_value"] < 0.05) & (default["g2"] > 0)).sum())
    assert lessons.expected("01-3") > 3 * n_default


def test_00_answers_on_the_seeds():
    assert lessons.expected("00-1") == "青岛市"
    assert lessons.expected("00-2") == 2


def test_02_answers_on_the_seeds_are_plausible_numbers_of_topics():
    assert lessons.expected("02-1") in range(3, 11)
    assert lessons.expected("02-2") in range(3, 11)
    assert 0 <= lessons.expected("02-3") < 0.05


def test_03_answers_follow_from_the_parameter_they_change(seed_corpus):
    facts = fazhi.extract_facts(seed_corpus, review=False)
    # 03-1: the default keeps one body, about=None shows every body's own row
    assert lessons.expected("03-1") == 3
    assert len(fazhi.trend_table(facts, "人大代表建议数").loc["人大代表建议数"]
               .xs("深圳市", level="place")) == 1
    # 03-2: the running total is not the year's figure the default table shows
    assert lessons.expected("03-2") == 663.0
    assert fazhi.trend_table(facts, "进驻事项数").loc[("进驻事项数", "项", "普宁市"), 2020] == 251.0
    # 03-3: fewer indicators than by default, and each one in two reports at least
    kept = fazhi.most_disclosed(facts, min_reports=2)
    assert lessons.expected("03-3") == len(kept) < len(fazhi.most_disclosed(facts))
    assert (kept["n_reports"] >= 2).all()
    # 03-4: the sum with parts counts 省政协提案41件 and its parts 38 + 3 again
    assert lessons.expected("03-4") == 41.0 + 38.0 + 3.0
    total = fazhi.trend_table(facts, "政协提案数", about="广东省")
    assert total.loc[("政协提案数", "件", "深圳市"), 2018] == 41.0


def test_facts_sample_is_seeded_and_its_marks_give_a_precision(seed_corpus, tmp_path):
    facts = fazhi.extract_facts(seed_corpus, review=False)
    first = fazhi.facts_sample(facts, n=20, random_state=0)
    assert len(first) == 20 and first.equals(fazhi.facts_sample(facts, n=20, random_state=0))
    assert first["fact_id"].isin(facts["fact_id"]).all() and first["correct"].isna().all()
    for label, sentence in zip(first["label"], first["sentence"]):
        assert label[:2] in sentence or not label
    path = tmp_path / "facts_validation.csv"
    first.assign(correct=[1] * 15 + [0] * 5).to_csv(path, index=False, encoding="utf-8-sig")
    table = fazhi.precision(path).set_index("category")
    assert table.loc["全部 all", "precision"] == pytest.approx(0.75)
    with pytest.raises(fazhi.exceptions.ParameterError, match="positive integer"):
        fazhi.facts_sample(facts, n=0)


def test_an_empty_answer_computes_nothing(monkeypatch):
    def boom():
        raise AssertionError("computed")
    monkeypatch.setitem(lessons.EXERCISES, "02-1", ("q", boom))
    lessons.expected.cache_clear()
    try:
        assert lessons.check_all({"02-1": None}).ok is None
    finally:
        lessons.expected.cache_clear()


def test_answers_are_kept_in_the_cache_and_survive_a_bad_file(monkeypatch, tmp_path):
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path))
    lessons.expected.cache_clear()
    calls = []
    monkeypatch.setitem(lessons.EXERCISES, "00-2", ("q", lambda: calls.append(1) or 2))
    try:
        assert lessons.expected("00-2") == 2
        stored = tmp_path / "lessons" / f"{lessons.answers_version()}.json"
        assert json.loads(stored.read_text(encoding="utf-8")) == {"00-2": 2}
        lessons.expected.cache_clear()
        assert lessons.expected("00-2") == 2 and calls == [1]  # read back, not computed
        stored.write_text("{not json", encoding="utf-8")
        lessons.expected.cache_clear()
        assert lessons.expected("00-2") == 2 and calls == [1, 1]
    finally:
        lessons.expected.cache_clear()


def test_unknown_exercise_is_named():
    with pytest.raises(fazhi.exceptions.ParameterError, match="no such exercise"):
        lessons.expected("09-9")


# ---- validation: hand-checked dictionary hits ---------------------------------------

def test_dictionary_sample_is_seeded_and_quotes_the_sentence(seed_corpus):
    first = fazhi.dictionary_sample(seed_corpus, n=20, random_state=0)
    again = fazhi.dictionary_sample(seed_corpus, n=20, random_state=0)
    assert len(first) == 20 and first.equals(again)
    for term, sentence in zip(first["term"], first["sentence"]):
        assert term in sentence
    assert first["correct"].isna().all()


def test_precision_counts_marked_rows_per_category_and_overall(tmp_path):
    marked = pd.DataFrame({"category": ["行政执法", "行政执法", "行政执法", "政府职能"],
                           "term": ["行政执法", "执法", "执法检查", "放管服"],
                           "correct": [1, 0, None, "对"]})
    path = tmp_path / "dictionary_validation.csv"
    marked.to_csv(path, index=False, encoding="utf-8-sig")
    table = fazhi.precision(path).set_index("category")
    assert table.loc["行政执法", ["n_marked", "n_correct"]].tolist() == [2, 1]
    assert table.loc["全部 all", "precision"] == pytest.approx(2 / 3)


def test_precision_refuses_a_mark_it_cannot_read():
    with pytest.raises(fazhi.exceptions.ParameterError, match="write 1"):
        fazhi.precision(pd.DataFrame({"category": ["行政执法"], "correct": ["maybe"]}))
