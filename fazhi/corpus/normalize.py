"""Normalisation: one form of every character (NFKC), 繁→简 with OpenCC, whitespace, and
removal of the web boilerplate that scraped reports carry.

The result keeps what was removed, so nothing the user gave is silently lost: the corpus
overview shows it and metadata inference still reads the dates and sources it held.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .._resources import data_path, read_list
from .._text import CJK

# PDF and HTML extraction often leave spaces between every character: 法 治 政 府
_CJK_OR_PUNCT = rf"[{CJK}\u3000-\u303f\uff00-\uffef]"
_SPACE = r"[ \t\u3000\xa0]"
# Both patterns start with the character they remove and look back only after it, so the
# regex engine skips to the next space or bracket instead of trying the look-behind at
# every position (the same matches as a leading look-behind, ~5x faster).
_SPACE_BETWEEN_CJK = re.compile(rf"{_SPACE}(?<={_CJK_OR_PUNCT}{_SPACE}){_SPACE}*(?={_CJK_OR_PUNCT})")
# Pinyin that a mirror site sets after characters: 我区(qū)坚持…, 印发(fā).
_PINYIN_GLOSS = re.compile(rf"[(（](?<=[{CJK}][(（])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{{1,6}}[)）]")
_SPACES = re.compile(r"[ \t\u3000\xa0\u200b\ufeff]+")
# Share of CJK characters that OpenCC changes above which the original counts as 繁體.
# Simplified reports change well under 1 % (a few variant characters); 繁體 ones ~20–30 %.
TRADITIONAL_THRESHOLD = 0.05
# Breadcrumb separators; the parts of a breadcrumb are navigation wherever they stand alone.
_CRUMB_SPLIT = re.compile(r"\s*[>›»＞]\s*")


@dataclass(frozen=True)
class Normalized:
    """A normalised report.

    Attributes
    ----------
    text : clean 简体 text, one paragraph per line, boilerplate removed.
    script : ``"simplified"`` or ``"traditional"`` — the script of the original.
    removed : the lines removed as boilerplate, in order.
    lines : every non-empty line before removal (简体), for metadata cues.
    """

    text: str
    script: str
    removed: tuple[str, ...] = field(default_factory=tuple)
    lines: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def t2s_converter():
    import opencc

    return opencc.OpenCC("t2s")


# The ranges of the CJK class, as code points.
_CJK_RANGES = tuple((ord(a), ord(b)) for a, b in re.findall(r"(.)-(.)", CJK))


def _code_points(text: str) -> np.ndarray:
    # UTF-32 holds one code point in four bytes: array index = str index.
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def to_simplified(text: str) -> tuple[str, str]:
    """Convert to 简体 with OpenCC; return ``(text, script_of_original)``.

    Examples
    --------
    >>> to_simplified("市政府辦公廳2020年度法治政府建設情況")
    ('市政府办公厅2020年度法治政府建设情况', 'traditional')
    """
    converted = t2s_converter().convert(text)
    if converted == text:  # most reports: nothing to count
        return converted, "simplified"
    # Counted on code-point arrays, not character by character: this runs on every 繁體 report.
    before, after = _code_points(text), _code_points(converted)
    cjk = int(sum(((before >= lo) & (before <= hi)).sum() for lo, hi in _CJK_RANGES)) or 1
    n = min(len(before), len(after))  # OpenCC can change a phrase's length: compare the overlap
    changed = int((before[:n] != after[:n]).sum())
    script = "traditional" if changed / cjk >= TRADITIONAL_THRESHOLD else "simplified"
    return converted, script


@lru_cache(maxsize=8)
def load_patterns(paths: tuple[str, ...] = ()) -> tuple[re.Pattern[str], ...]:
    """Compile boilerplate patterns: the shipped ``data/boilerplate.txt`` plus ``paths``."""
    patterns = []
    for path in (str(data_path("boilerplate.txt")), *paths):
        patterns.extend(re.compile(line) for line in read_list(path))
    return tuple(patterns)


@lru_cache(maxsize=8)
def _boilerplate_line(paths: tuple[str, ...] = ()) -> Callable[[str], bool]:
    """Whether a whole line matches one of the patterns of :func:`load_patterns`: one
    ``fullmatch`` of their alternation (a line matches it exactly when it matches one of
    them), or one per pattern when they cannot be joined — a back-reference (``\\1``,
    ``(?P=name)``) would point at another group, an inline flag (``(?i)``) at the whole."""
    patterns = load_patterns(paths)
    joinable = all(p.flags == re.UNICODE and not re.search(r"\\[1-9]|\(\?P=", p.pattern)
                   for p in patterns)
    if joinable and patterns:
        try:
            joined = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
        except re.error:  # e.g. two patterns naming a group alike
            pass
        else:
            return lambda line: joined.fullmatch(line) is not None
    return lambda line: any(p.fullmatch(line) for p in patterns)


def _is_prose(line: str) -> bool:
    # Navigation and footers are short and unpunctuated; a long sentence is report text
    # even when it mentions 承办单位 or 信息来源.
    return len(line) > 60 and "。" in line


def _clean_line(text: str) -> str:
    text = _PINYIN_GLOSS.sub("", _SPACE_BETWEEN_CJK.sub("", text))
    return _SPACES.sub(" ", text)


def normalize_text(text: str, boilerplate: Iterable[str | Path] = ()) -> Normalized:
    """Normalise a report's raw text.

    Parameters
    ----------
    text : str
        Text as read from the file.
    boilerplate : iterable of paths, optional
        Extra pattern files (same format as ``fazhi/data/boilerplate.txt``).

    Examples
    --------
    >>> n = normalize_text("您现在的位置 首页 > 政务公开\\n二、存在問題\\n掃一掃在手機打開當前頁")
    >>> n.text, n.script, n.removed
    ('二、存在问题', 'traditional', ('您现在的位置首页 > 政务公开', '扫一扫在手机打开当前页'))
    """
    text = unicodedata.normalize("NFKC", text)
    text, script = to_simplified(text)
    # One pass of each pattern over the whole text, not three per line: none of them matches
    # or looks across a line break, so the lines come out as if cleaned one by one.
    lines = [c for c in (raw.strip() for raw in _clean_line(text).splitlines()) if c]
    is_boilerplate = _boilerplate_line(tuple(str(p) for p in boilerplate))
    drop = [not _is_prose(line) and is_boilerplate(line) for line in lines]
    # A bare navigation line (市政府部门) is one that reappears as a breadcrumb part.
    crumbs = {part for line, d in zip(lines, drop) if d and _CRUMB_SPLIT.search(line)
              for part in _CRUMB_SPLIT.split(line)[1:] if part}
    for i, line in enumerate(lines):
        if not drop[i] and line in crumbs:
            drop[i] = True
    kept = [line for line, d in zip(lines, drop) if not d]
    removed = tuple(line for line, d in zip(lines, drop) if d)
    return Normalized("\n".join(kept), script, removed, tuple(lines))
