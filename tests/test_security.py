"""Text from a report is never a formula in a spreadsheet (CSV injection) and never markup."""

from __future__ import annotations

import pandas as pd
import pytest

import fazhi
from fazhi.io import save_table, spreadsheet_safe

PAYLOADS = ['=HYPERLINK("http://example.invalid","点击")', "+1+1", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_facts():
    facts = fazhi.extract_facts("全年办理行政复议案件128件,办复率达到100%。", doc_id="r1")
    facts["title"] = PAYLOADS[0]
    facts["organ"] = PAYLOADS[1]
    return facts


def test_xlsx_keeps_formula_like_text_as_text(tmp_path, hostile_facts):
    from openpyxl import load_workbook

    csv_path, xlsx_path = fazhi.export_facts(hostile_facts, tmp_path)
    sheet = load_workbook(xlsx_path)["facts"]
    header = [c.value for c in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    value = sheet.cell(row=2, column=header.index("value") + 1)
    assert (title.value, title.data_type) == (PAYLOADS[0], "s")
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert (value.value, value.data_type) == (128, "n")


def test_csv_quotes_every_formula_start_and_leaves_numbers(tmp_path):
    table = pd.DataFrame({"label": PAYLOADS, "value": [-5, 1, 2, 3, 4, 5]})
    save_table(table, "t", tmp_path)
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", keep_default_na=False)
    assert back["label"].tolist() == ["'" + p for p in PAYLOADS]
    assert back["value"].tolist() == [-5, 1, 2, 3, 4, 5]


def test_ordinary_text_is_left_as_it_is():
    table = pd.DataFrame({"label": ["办复率", "某县 - 2020", "100%"], "n": [1.5, -2.0, 3.0]})
    assert spreadsheet_safe(table).equals(table)


def test_export_facts_csv_is_safe_too(tmp_path, hostile_facts):
    csv_path, _ = fazhi.export_facts(hostile_facts, tmp_path)
    back = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert back["title"].tolist() == ["'" + PAYLOADS[0]] * len(hostile_facts)
    assert back["organ"].tolist() == ["'+1+1"] * len(hostile_facts)
