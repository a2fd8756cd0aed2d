"""Metadata and sections of reports unlike the seeds: other provinces, tiers (province,
prefecture, county, township, ministry), departments, years 2016–2024, title and signature
forms, scraped pages and 繁體 copies.

The reports are in ``tests/data/unseen_reports``; ``expected.csv`` holds the values a careful
reader gives each of them (a ``note`` says what the report tries). A field the text cannot
decide is empty there and its warning is listed in ``warnings``.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "unseen_reports"

GROUPS = {
    "title": ("title",),
    "organ": ("organ", "level", "organ_type"),
    "place": ("province", "city", "county"),
    "time": ("year", "date"),
    "script": ("script",),
    "sections": ("sections",),
    "warnings": ("warnings",),
}
# Page furniture that must not survive into a report's text.
JUNK = re.compile(r"位置[:：]|首页|索引号|分享到|打印|关闭窗口|门户网站|发布时间|发布日期|浏览次数|"
                  r"版权所有|ICP|上一篇|下一篇|此件公开发布|字号|字体|抄送|印发$|^(政务公开|部门文件)$")


def _expected() -> list[dict[str, str]]:
    with open(DATA / "expected.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


EXPECTED = {row["file"]: row for row in _expected()}


@cache
def _corpus():
    from fazhi import load_corpus

    return load_corpus(sorted(DATA / name for name in EXPECTED))


def _section_kinds(doc_id: str) -> str:
    """Kinds of the paragraphs under headings, in order, repeats collapsed: 成效|问题|计划."""
    paras = _corpus().paragraphs
    kinds: list[str] = []
    for heading, kind in paras.loc[paras["doc_id"] == doc_id, ["heading", "kind"]].itertuples(index=False):
        if heading and (not kinds or kinds[-1] != kind):
            kinds.append(kind)
    return "|".join(kinds)


def _actual(file: str) -> dict[str, str]:
    docs = _corpus().docs.set_index("doc_id")
    doc_id = Path(file).stem
    row = docs.loc[doc_id]
    got = {k: "" if row[k] is None or row[k] != row[k] else str(row[k])
           for k in ("title", "organ", "province", "city", "county", "level", "organ_type",
                     "year", "date", "script")}
    got["sections"] = _section_kinds(doc_id)
    got["warnings"] = ";".join(sorted(w.strip() for w in str(row["warnings"]).split(";") if w.strip()))
    return got


def test_there_are_enough_reports_of_every_tier():
    levels = [row["level"] for row in EXPECTED.values()]
    assert len(EXPECTED) >= 25
    assert {"国家", "省", "市", "县", "乡"} <= set(levels)
    assert {row["script"] for row in EXPECTED.values()} == {"simplified", "traditional"}


@pytest.mark.parametrize("file, group", [(f, g) for f in EXPECTED for g in GROUPS],
                         ids=[f"{Path(f).stem}-{g}" for f in EXPECTED for g in GROUPS])
def test_unseen_report(file, group):
    want = EXPECTED[file]
    got = _actual(file)
    fields = GROUPS[group]
    expected = {k: want[k] for k in fields}
    if group == "warnings":
        expected["warnings"] = ";".join(sorted(w.strip() for w in want["warnings"].split(";") if w.strip()))
    assert {k: got[k] for k in fields} == expected, want["note"]


@pytest.mark.parametrize("file", list(EXPECTED), ids=[Path(f).stem for f in EXPECTED])
def test_no_page_furniture_left_in_the_text(file):
    text = _corpus().docs.set_index("doc_id").loc[Path(file).stem, "text"]
    assert [line for line in text.split("\n") if JUNK.search(line)] == []
