"""A corpus in one table file: one report a row, other columns as metadata."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

import fazhi
from fazhi.exceptions import CorpusError, ParameterError

REPORTS = [
    "某市人民政府关于2021年法治政府建设情况的报告\n一、主要工作\n全年办理行政复议案件128件。\n"
    "某市人民政府\n2022年1月20日",
    "某县人民政府2020年度法治政府建设情况报告\n一、主要工作\n发布政府信息9351条,办复率达到100%。",
]
GOV_REPORTS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / \
    "government_work_reports.jsonl"


@pytest.fixture
def frame():
    return pd.DataFrame({"content": REPORTS, "year": ["2021", "2020"],
                         "title": ["甲市报告", "乙县报告"], "url": ["u1", "u2"]})


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".xlsx", ".parquet"])
def test_each_table_format_loads_one_report_a_row(tmp_path, frame, suffix):
    path = tmp_path / f"reports{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                  for r in frame.to_dict("records")), encoding="utf-8")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path)
    before = path.read_bytes()
    with pytest.warns(UserWarning, match="url left out"):
        corp = fazhi.load_corpus(path)
    assert corp.docs["doc_id"].tolist() == ["reports-1", "reports-2"]
    assert corp.docs["title"].tolist() == ["甲市报告", "乙县报告"]  # the column wins
    assert corp.docs["year"].tolist() == [2021, 2020]
    assert corp.docs["format"].unique().tolist() == ["table"]
    assert "办复率达到100%" in corp.docs["text"][1]
    assert path.read_bytes() == before


def test_named_text_and_id_columns(tmp_path):
    path = tmp_path / "scraped.csv"
    pd.DataFrame({"编号": ["a7", "b9"], "正文内容": REPORTS}).to_csv(path, index=False)
    corp = fazhi.load_corpus(path, text_column="正文内容", id_column="编号")
    assert corp.docs["doc_id"].tolist() == ["a7", "b9"]
    facts = fazhi.extract_facts(corp)
    assert facts.loc[facts["doc_id"] == "a7", "value"].tolist() == [128.0]


def test_missing_text_column_names_the_file_and_its_columns(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"a": ["x"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"t\.csv: no column 'text'; the table has a"):
        fazhi.load_corpus(path, text_column="text")


def test_text_column_outside_a_table_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="one table file"):
        fazhi.load_corpus(None, text_column="text")


def test_government_work_reports_load_as_72_reports():
    if not GOV_REPORTS.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{GOV_REPORTS} is missing: in CI the shared corpora must be there")
        pytest.skip(f"{GOV_REPORTS} is absent")
    with pytest.warns(UserWarning, match="url"):
        corp = fazhi.load_corpus(GOV_REPORTS)
    assert len(corp) == 72
    assert corp.docs["year"].min() == 1954 and corp.docs["year"].max() == 2025
    assert corp.docs["title"].str.contains("政府工作报告").all()
