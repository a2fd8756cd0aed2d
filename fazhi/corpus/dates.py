"""Dates as reports and the web pages that publish them print them.

A signature line (二〇二三年一月十日), an ISO stamp (2024-04-11 15:46), the cue words of a page
header (发布时间:, 更新时间:, 时间:, a table row ``| 发文日期 | 2018-02-28 |``), a byline under
the title, and dates of the Republic of China calendar (民國98年8月6日, ``98-08-06`` after a
cue) are all read as ISO ``YYYY-MM-DD``. The cue words live in ``data/date_cues.yml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .._resources import data_path
from .._text import CN_DIGITS as _CN_DIGIT_VALUES

#: Chinese numerals of a year (二〇二一, 二○二一) to digits
CN_DIGITS = str.maketrans({c: str(v) for c, v in _CN_DIGIT_VALUES.items()})
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:19|20)\d{2}|[二一][〇○零Ｏ一二三四五六七八九]{3}"
DATE = re.compile(rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日")
# A signature dated to the month only (2022年1月): it still marks the signature block.
MONTH_ONLY = re.compile(rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_NUM})\s*月$")
ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
# The Republic of China counts years from 1912 (民国元年): 民国98年 is 2009.
ROC_OFFSET = 1911
_ROC_DATE = re.compile(rf"民国\s*(?P<y>\d{{2,3}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日")
# 98-08-06 or 108/3/5: an ROC date, read only where a cue says a date follows.
_ROC_ISO = re.compile(r"^(?P<y>\d{2,3})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
# A time of day after a date: what a byline or a publication stamp carries.
_TIME = re.compile(r"\d{1,2}\s*[:：时]\s*\d{2}")


@lru_cache(maxsize=1)
def _cues() -> dict:
    return yaml.safe_load(data_path("date_cues.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _cue() -> re.Pattern[str]:
    words = sorted(_cues()["cues"], key=len, reverse=True)
    return re.compile(rf"(?<![失效止])(?:{'|'.join(map(re.escape, words))})\s*[:：|]?\s*\|?\s*")


@lru_cache(maxsize=1)
def _clock() -> re.Pattern[str]:
    return re.compile(_cues()["live_clock"])


def _number(v: str) -> int:
    if v.isdigit():
        return int(v)
    import cn2an  # half a second to import: only for a date written in Chinese numerals

    return int(cn2an.cn2an(v, "smart"))


def _iso(y: int, mo: int, d: int) -> str:
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def parse_date(text: str, roc: bool = False) -> str:
    """First date in ``text`` as ISO ``YYYY-MM-DD``, or ``""``.

    ``roc=True`` also reads a bare ``98-08-06`` at the start as an ROC date (what a page
    prints after 发布日期:); 民國98年8月6日 is read either way.

    Examples
    --------
    >>> parse_date("二〇二三年一月十日"), parse_date("信息提供日期:2019-01-04 17:09")
    ('2023-01-10', '2019-01-04')
    >>> parse_date("民国98年8月6日"), parse_date("98-08-06", roc=True)
    ('2009-08-06', '2009-08-06')
    """
    for rx in (DATE, ISO):
        m = rx.search(text)
        if m:
            found = _iso(int(m["y"].translate(CN_DIGITS)), _number(m["m"]), _number(m["d"]))
            if found:
                return found
    m = _ROC_DATE.search(text) or (_ROC_ISO.match(text.strip()) if roc else None)
    if m:
        return _iso(int(m["y"]) + ROC_OFFSET, _number(m["m"]), _number(m["d"]))
    return ""


def year_month(m: re.Match[str]) -> str:
    month = _number(m["m"])
    return f"{int(m['y'].translate(CN_DIGITS)):04d}-{month:02d}" if 1 <= month <= 12 else ""


def is_date(text: str) -> bool:
    return bool(DATE.fullmatch(text) or ISO.fullmatch(text) or _ROC_DATE.fullmatch(text))


def cue_date(lines: list[str] | tuple[str, ...]) -> str:
    """The date a page's header gives after a cue word (发布时间:, | 发文日期 |, 日期 :), on
    the same line or, when the cue ends its line, on the next one.

    Examples
    --------
    >>> cue_date(["索引号 001/2024-01901", "发文字号 豫政文〔2024〕46号 发布时间 2024年03月22日"])
    '2024-03-22'
    >>> cue_date(["| 发文日期 | 2018-02-28 |"]), cue_date(["发布时间:", "2026-03-04"])
    ('2018-02-28', '2026-03-04')
    """
    for i, line in enumerate(lines):
        if _clock().search(line):
            continue
        for cue in _cue().finditer(line):
            rest = line[cue.end():].strip() or (lines[i + 1] if i + 1 < len(lines) else "")
            found = parse_date(rest[:20], roc=True) if _starts_with_date(rest) else ""
            if found:
                return found
    return ""


def _starts_with_date(text: str) -> bool:
    text = text.lstrip("| ")
    return bool(re.match(rf"(?:{_YEAR}|民国|\d{{2,3}}[-/.]\d)", text))


def byline_date(lines: list[str] | tuple[str, ...]) -> str:
    """The date of a byline: a short header line that carries a date with its time of day
    (``2019-09-06 15:46 来源:…``) or beside the source (``来源:陕西日报 2026-03-16``).

    Examples
    --------
    >>> byline_date(["来源:省政府网站 2023-05-09 09:30 【字体:大 中 小】"])
    '2023-05-09'
    >>> byline_date(["今天是2024年5月6日 星期一 10:02"])
    ''
    """
    for line in lines:
        if len(line) > 80 or "。" in line or _clock().search(line):
            continue
        m = DATE.search(line) or ISO.search(line)
        if m and (_TIME.match(line[m.end():].strip()) or re.search(_cues()["byline"], line)):
            return parse_date(line[m.start():])
    return ""
