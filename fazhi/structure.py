"""Sections and paragraphs: headings (一、 (一) 1. (1) and 一是…二是… enumerations), the
heading path of every paragraph, and its section kind (成效 / 问题 / 责任 / 计划 / 其他)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import yaml

from ._resources import data_path

KINDS = ("成效", "问题", "责任", "计划", "其他")
_LEVELS = (
    re.compile(r"^(第[一二三四五六七八九十]+(部分|章)|[一二三四五六七八九十]+[、.．])"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"),
    re.compile(r"^[(（]\d{1,2}[)）]"),
)
# 一是… 二是… inside a paragraph: split when at least two items are present.
_ITEM = re.compile(r"(?:(?<=^)|(?<=[。;；!！]))\s*(?=[一二三四五六七八九十]{1,3}是)")
_HEADING_MAX = 60


@lru_cache(maxsize=1)
def _kind_rules() -> dict[str, re.Pattern[str]]:
    raw = yaml.safe_load(data_path("section_kinds.yml").read_text(encoding="utf-8"))
    return {kind: re.compile(rx) for kind, rx in raw.items()}


def heading_level(line: str) -> int | None:
    """Level (1–4) of a heading line, or None for body text.

    Examples
    --------
    >>> heading_level("一、工作开展情况"), heading_level("(一)着力推进“放管服”改革。"), heading_level("2022年,…")
    (1, 2, None)
    """
    for level, rx in enumerate(_LEVELS, start=1):
        if rx.match(line):
            return level
    return None


def _heading_text(line: str) -> tuple[str, str]:
    """Split ``(一)着力推进改革。市政府办公室…`` into the heading and the body that follows."""
    cut = line.find("。")
    if cut == -1 and len(line) <= _HEADING_MAX:
        return line, ""
    if 0 < cut <= _HEADING_MAX:
        return line[: cut + 1], line[cut + 1:].strip()
    return line[:_HEADING_MAX], line


def section_kind(path: Iterable[str]) -> str:
    """Kind of a paragraph from its heading path (top level first).

    Examples
    --------
    >>> section_kind(["三、2021年工作打算", "(一)进一步深化“放管服”改革。"])
    '计划'
    >>> section_kind(["二、依法全面履行政府职能"])
    '成效'
    >>> section_kind([])
    '其他'
    """
    path = list(path)
    if not path:
        return "其他"
    fallback = None
    for heading in path:
        named = [k for k, rx in _kind_rules().items() if rx.search(heading)]
        if len(named) == 1:
            return named[0]
        if named and fallback is None:
            fallback = next(k for k in KINDS if k in named)
    return fallback or "成效"


def _items(text: str) -> list[str]:
    parts = [p for p in _ITEM.split(text) if p.strip()]
    items = [p for p in parts if re.match(r"\s*[一二三四五六七八九十]{1,3}是", p)]
    return parts if len(items) >= 2 else [text]


def split_paragraphs(text: str, skip: Iterable[int] = ()) -> list[dict]:
    """Paragraph rows of one report: para_id, heading, section, kind, text, start, end.

    ``text`` has one paragraph per line (as :func:`fazhi.normalize.normalize_text` gives it);
    ``skip`` lists line numbers that are not body (title, signature). Offsets index ``text``.

    Examples
    --------
    >>> rows = split_paragraphs("一、存在问题\\n一是宣传不够。二是队伍薄弱。")
    >>> [(r["heading"], r["kind"], r["text"]) for r in rows]
    [('一、存在问题', '问题', '一是宣传不够。'), ('一、存在问题', '问题', '二是队伍薄弱。')]
    """
    skip = set(skip)
    rows: list[dict] = []
    path: list[str] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        start, offset = offset, offset + len(line) + 1
        if number in skip or not line.strip():
            continue
        level = heading_level(line)
        body, body_start = line, start
        if level is not None:
            head, body = _heading_text(line)
            path = path[: level - 1] + [head]
            if not body:
                continue
            # An inline heading sentence is part of the paragraph's prose: keep the line whole.
            body = line
        heading = " > ".join(path)
        kind = section_kind(path)
        pos = body_start
        for part in _items(body):
            at = text.find(part, pos)
            rows.append({"para_id": len(rows), "heading": heading, "section": path[0] if path else "",
                         "kind": kind, "text": part.strip(), "start": at, "end": at + len(part)})
            pos = at + len(part)
    return rows
