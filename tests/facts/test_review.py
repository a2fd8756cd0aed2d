"""The review loop: facts_review.csv next to the corpus, applied on every run."""

from __future__ import annotations

import pandas as pd
import pytest

import fazhi
from fazhi.exceptions import ReviewError
from fazhi.facts.extract import extract_facts
from fazhi.facts.review import facts_to_review, read_review, review_summary
from fazhi.io import save_table

REPORT = ("温州市司法局关于2022年法治政府建设情况的报告\n\n一、工作开展情况\n"
          "全年共受理行政复议案件1,128件,办结1,054件,直接纠错率为13.6%。"
          "坚持严格规范公正文明执法。\n")


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "wz22.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def _ids(folder) -> list[str]:
    return extract_facts(fazhi.load_corpus(folder), review=False)["fact_id"].tolist()


def _write(folder, lines: list[str]) -> None:
    (folder / "facts_review.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_review_next_to_the_corpus_is_applied_on_every_run(folder):
    received, closed, rate = _ids(folder)
    _write(folder, ["fact_id,verdict,value,unit,indicator",
                    f"{received},accept,,,",
                    f"{closed},correct,1056,件,行政复议办结数",
                    f"{rate},reject,,,"])
    facts = extract_facts(fazhi.load_corpus(folder))
    assert facts[["value", "unit", "indicator", "reviewed"]].values.tolist() == [
        [1128.0, "件", "行政复议案件数", "accept"],
        [1056.0, "件", "行政复议办结数", "correct"]]
    assert review_summary(facts)[["reviewed", "corrected", "rejected", "to_review"]
                                 ].values.tolist() == [[2, 1, 1, 0]]


def test_an_empty_cell_of_a_correction_keeps_what_was_read(folder):
    _, closed, _ = _ids(folder)
    _write(folder, ["fact_id,verdict,value", f"{closed},correct,1056"])
    facts = extract_facts(fazhi.load_corpus(folder)).set_index("fact_id")
    assert facts.loc[closed, ["value", "unit", "reviewed"]].tolist() == [1056.0, "件", "correct"]


def test_review_false_applies_none(folder):
    received, _, _ = _ids(folder)
    _write(folder, ["fact_id,verdict", f"{received},reject"])
    assert len(extract_facts(fazhi.load_corpus(folder), review=False)) == 3
    assert len(extract_facts(fazhi.load_corpus(folder))) == 2


def test_the_sheet_to_review_filled_in_is_a_review_file(folder):
    sheet = facts_to_review(extract_facts(fazhi.load_corpus(folder)))
    assert sheet.columns[:5].tolist() == ["fact_id", "verdict", "value", "unit", "indicator"]
    assert sheet["sentence"].str.contains("1,128件").all()
    sheet.loc[0, "verdict"] = "accept"
    sheet.loc[2, "verdict"] = "reject"
    save_table(sheet, "facts_review", folder)
    facts = extract_facts(fazhi.load_corpus(folder))
    assert facts["reviewed"].tolist() == ["accept", ""]
    assert facts_to_review(facts)["value"].tolist() == [1054.0]


@pytest.mark.parametrize(("lines", "message"), [
    (["fact_id,verdict", "{id},approve"], r"line 2 \(fact_id .*\): verdict 'approve' is not one "
                                         r"of accept, reject, correct"),
    (["fact_id,verdict,value", "{id},correct,一千"], r"line 2 .*value '一千' is not a number"),
    (["fact_id,verdict", "{id},accept", "{id},reject"], r"line 3 .*reviewed twice, also on line 2"),
    (["fact_id,verdict", "{id},correct"], r"line 2 .*a correction needs a value, unit or indicator"),
    (["id,verdict", "{id},accept"], r"needs the column\(s\) \['fact_id'\]"),
])
def test_a_bad_review_row_names_the_file_and_the_line(folder, lines, message):
    first = _ids(folder)[0]
    _write(folder, [line.format(id=first) for line in lines])
    with pytest.raises(ReviewError, match=r"facts_review\.csv: " + message):
        extract_facts(fazhi.load_corpus(folder))


def test_a_review_file_given_but_missing_is_an_error(folder):
    with pytest.raises(ReviewError, match="review file not found"):
        extract_facts(fazhi.load_corpus(folder), review=folder / "verdicts.csv")


def test_a_verdict_on_a_figure_no_longer_found_is_warned_about(folder):
    received = _ids(folder)[0]
    _write(folder, ["fact_id,verdict", f"{received.rsplit('-', 1)[0]}-9999,accept"])
    with pytest.warns(UserWarning, match="1 verdict.*no longer found .*lines 2"):
        extract_facts(fazhi.load_corpus(folder))


def test_a_verdict_on_a_text_not_loaded_is_silently_not_for_this_corpus(folder):
    _write(folder, ["fact_id,verdict", "0123456789ab-40,reject"])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(extract_facts(fazhi.load_corpus(folder))) == 3


def test_rows_without_a_verdict_are_skipped(tmp_path):
    path = tmp_path / "facts_review.csv"
    path.write_text("fact_id,verdict,value\nabc-1,,\nabc-2,accept,\n", encoding="utf-8")
    assert read_review(path)[["fact_id", "line"]].values.tolist() == [["abc-2", 3]]


def test_a_plain_text_takes_a_review_file_when_given(tmp_path):
    text = "全年共受理行政复议案件1,128件。"
    fact_id = extract_facts(text)["fact_id"][0]
    path = tmp_path / "mine.csv"
    pd.DataFrame({"fact_id": [fact_id], "verdict": ["correct"], "value": ["1129"]}).to_csv(
        path, index=False)
    assert extract_facts(text, review=path)["value"].tolist() == [1129.0]
