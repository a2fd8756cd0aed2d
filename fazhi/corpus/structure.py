"""Sections and paragraphs: headings (一、 (一) 1. (1) and 一是…二是… enumerations), the
heading path of every paragraph, and its section kind (成效 / 问题 / 责任 / 计划 / 其他)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import yaml

from .._resources import data_path

KINDS = ("成效", "问题", "责任", "计划", "其他")
_LEVELS = (
    re.compile(r"^(第[一二三四五六七八九十]+(部分|章)|[一二三四五六七八九十]+[、.．])"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"),
    re.compile(r"^[(（]\d{1,2}[)）]"),
)
# 第一部分 … 第三部分 stand above the 一、二、 they contain, wherever a report uses them.
_PART = re.compile(r"^第[一二三四五六七八九十]+(部分|章)")
# When one heading names several kinds, the more specific wins: 成效's words (情况, 举措…) are
# the ones that also turn up in 责任 and 问题 headings (…第一责任人职责落实情况).
_PREFERENCE = ("问题", "责任", "计划", "其他", "成效")
# A heading that is a whole sentence (ends like one) and has no text of its own under it is
# itself the content: plans are often a bare list of (一)…。(二)…。
_SENTENCE_END = ("。", ";", "；", "!", "！")
# 一是… 二是… inside a paragraph: split when at least two items are present. An item starts
# the text or follows a sentence's end; the spaces before it are dropped.
_ITEM_FIRST = re.compile(r"\s*(?=[一二三四五六七八九十]{1,3}是)")
# Matched from the punctuation, not looked back to from every position: the same cuts as
# a look-behind split, found ~10x faster.
_ITEM_NEXT = re.compile(r"[。;；!！]\s*(?=[一二三四五六七八九十]{1,3}是)")
_ITEM_MARK = re.compile(r"[一二三四五六七八九十]是")
_HEADING_MAX = 60


@lru_cache(maxsize=1)
def _kind_rules() -> dict[str, re.Pattern[str]]:
    raw = yaml.safe_load(data_path("section_kinds.yml").read_text(encoding="utf-8"))
    return {kind: re.compile(rx) for kind, rx in raw.items()}


@lru_cache(maxsize=1)
def _opening_rules() -> dict[str, re.Pattern[str]]:
    raw = yaml.safe_load(data_path("paragraph_kinds.yml").read_text(encoding="utf-8"))
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
    return _kinds(list(path))[0]


def _kinds(path: list[str]) -> tuple[str, tuple[str, ...]]:
    """The kind of a heading path, and the kinds it hesitated between when no level named
    exactly one (存在的不足和下一步打算 with no sub-heading): those a paragraph's own opening
    words may decide."""
    if not path:
        return "其他", ()
    fallback: tuple[str, ...] = ()
    for heading in path:
        named = [k for k, rx in _kind_rules().items() if rx.search(heading)]
        if len(named) == 1:
            return named[0], ()
        if named and not fallback:
            fallback = tuple(k for k in _PREFERENCE if k in named)
    return (fallback[0], fallback) if fallback else ("成效", ())


def _paragraph_kind(kind: str, candidates: tuple[str, ...], line: str) -> str:
    for other in candidates[1:]:
        rx = _opening_rules().get(other)
        if rx is not None and rx.search(line):
            return other
    return kind


def _items(text: str) -> list[str]:
    if not _ITEM_MARK.search(text):
        return [text]  # no 一是 at all (most paragraphs): nothing to split
    cuts = [(0, m.end())] if (m := _ITEM_FIRST.match(text)) else []
    cuts += [(m.start() + 1, m.end()) for m in _ITEM_NEXT.finditer(text)]
    ends = [0, *(end for _, end in cuts)]
    pieces = [text[ends[i]:start] for i, (start, _) in enumerate(cuts)] + [text[ends[-1]:]]
    parts = [p for p in pieces if p.strip()]
    items = [p for p in parts if re.match(r"\s*[一二三四五六七八九十]{1,3}是", p)]
    return parts if len(items) >= 2 else [text]


def split_paragraphs(text: str, skip: Iterable[int] = ()) -> list[dict]:
    """Paragraph rows of one report: para_id, heading, section, kind, text, start, end.

    ``text`` has one paragraph per line (as :func:`fazhi.corpus.normalize.normalize_text` gives it);
    ``skip`` lists line numbers that are not body (title, signature). Offsets index ``text``.

    Examples
    --------
    >>> rows = split_paragraphs("一、存在问题\\n一是宣传不够。二是队伍薄弱。")
    >>> [(r["heading"], r["kind"], r["text"]) for r in rows]
    [('一、存在问题', '问题', '一是宣传不够。'), ('一、存在问题', '问题', '二是队伍薄弱。')]
    """
    skip = set(skip)
    lines: list[tuple[int, str, int | None]] = []  # (offset, line, heading level)
    offset = 0
    raw = text.split("\n")
    parts = any(_PART.match(line) for line in raw)
    for number, line in enumerate(raw):
        start, offset = offset, offset + len(line) + 1
        if number in skip or not line.strip():
            continue
        level = heading_level(line)
        if parts and level is not None and not _PART.match(line):
            level += 1
        lines.append((start, line, level))
    rows: list[dict] = []
    path: list[str] = []
    for i, (start, line, level) in enumerate(lines):
        body, body_start = line, start
        if level is not None:
            head, body = _heading_text(line)
            path = path[: level - 1] + [head]
            if not body:
                following = lines[i + 1][2] if i + 1 < len(lines) else 1
                leaf = following is not None and following <= level
                if not (leaf and line.endswith(_SENTENCE_END)):
                    continue
            # An inline heading sentence is part of the paragraph's prose: keep the line whole.
            body = line
        heading = " > ".join(path)
        kind, candidates = _kinds(path)
        kind = _paragraph_kind(kind, candidates, body)
        pos = body_start
        for part in _items(body):
            at = text.find(part, pos)
            rows.append({"para_id": len(rows), "heading": heading, "section": path[0] if path else "",
                         "kind": kind, "text": part.strip(), "start": at, "end": at + len(part)})
            pos = at + len(part)
    return rows
