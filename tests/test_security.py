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


def test_categorical_text_from_a_report_is_quoted_too(tmp_path):
    # the facts table keeps sentences and metadata as categoricals: the sentence here starts
    # with a formula and must come out as text in both files
    facts = fazhi.extract_facts("=1+1,全年办理行政复议案件128件。", doc_id="r1")
    assert isinstance(facts["sentence"].dtype, pd.CategoricalDtype)
    assert facts["sentence"].iloc[0].startswith("=")
    csv_path, xlsx_path = fazhi.export_facts(facts, tmp_path)
    back = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert back["sentence"].iloc[0].startswith("'=1+1")
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx_path)["facts"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("sentence") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=1+1")


def test_xlsx_drops_control_characters_from_every_text_dtype(tmp_path):
    from openpyxl import load_workbook

    table = pd.DataFrame({"s": pd.Series(["办复率\x01100%"], dtype="str"),
                          "c": pd.Categorical(["信息\x02公开"])})
    from fazhi.io import write_xlsx

    write_xlsx(table, tmp_path / "t.xlsx")
    row = [c.value for c in load_workbook(tmp_path / "t.xlsx").active[2]]
    assert row == ["办复率100%", "信息公开"]


# -- text from a report is never markup in the shared HTML ----------------------------------

# Each payload marks the page if a browser ever runs it.
MARK = "document.documentElement.dataset.xss='1'"
IMG = f'<img src=x onerror="{MARK}">'
SCRIPT = f"<script>{MARK}</script>"


@pytest.fixture(scope="module")
def hostile_render(tmp_path_factory):
    """The four notebooks rendered on two seeds carrying payloads in their text, their file
    name and the sidecar's title and organ."""
    from fazhi._resources import seeds_dir
    from fazhi.reports.execute import render

    corpus = tmp_path_factory.mktemp("hostile")
    seeds = sorted(seeds_dir().glob("*.txt"))[:2]
    first = seeds[0].read_text(encoding="utf-8").replace("。", f"。{IMG}", 3)
    (corpus / f"{IMG}.txt").write_text(first, encoding="utf-8")
    second = seeds[1].read_text(encoding="utf-8").replace("放管服", f"放管服{SCRIPT}", 2)
    (corpus / "second.txt").write_text(second, encoding="utf-8")
    pd.DataFrame({"file": ["second.txt"], "title": [f"汕尾{SCRIPT}报告"],
                  "organ": [f"汕尾市人民政府{IMG}"]}).to_csv(corpus / "metadata.csv",
                                                             index=False)
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    report = render(corpus, out=tmp_path_factory.mktemp("out"), workers=2, progress=False)
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before  # inputs untouched
    return report


@pytest.mark.slow
@pytest.mark.browser
def test_no_payload_runs_in_any_report_or_the_index(hostile_render, browser):
    assert [(f.notebook, f.error) for f in hostile_render.failures] == []
    pages = [hostile_render.index, *sorted(hostile_render.out.glob("*/*.html"))]
    assert len(pages) == 5
    shown = 0
    for page in pages:
        browser.open(page)
        browser.wait_for_tables()  # the tables hold most of the text: judge them once drawn
        reply = browser.call("Runtime.evaluate", returnByValue=True, expression=(
            "[document.documentElement.dataset.xss || '', document.body.innerText]"))
        marked, text = reply["result"]["value"]
        assert marked == "", f"a payload ran in {page.name}"
        shown += ("onerror=" in text) or ("<script>" in text)
    assert shown >= 2  # the payloads are there, shown as the text they are
