"""Who wrote a report, for which place, covering which year, signed when.

Every cue real reports carry is read: the title line, the signature block (organ + date) at
the end, the page furniture the normaliser removed (信息来源, 信息提供日期, the site a
“leaving this site” notice names), the opening ``2022年,…`` or ``现将…2020年度…报告如下``, and the
places the text mentions. Places are resolved through the administrative-division table in
:mod:`fazhi.corpus.places`. What cannot be inferred stays empty and is named in ``warnings``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .._text import CJK
from . import organs, places
from .dates import (
    CN_DIGITS,
    DATE,
    ISO,
    MONTH_ONLY,
    ROC_OFFSET,
    byline_date,
    cue_date,
    is_date,
    parse_date,
    year_month,
)
from .normalize import Normalized

__all__ = ["Inferred", "infer_metadata", "parse_date", "refresh_derived"]

_CN_YEAR = re.compile(r"[二一][〇○零Ｏ一二三四五六七八九]{3}(?=\s*年)")
# A year of the Republic of China calendar (108年度, 民国98年): read only where the text
# counts that way. A span of years is no year covered.
_ROC_YEAR = re.compile(r"(?:民国\s*)?(?<![\d.])(?P<y>[1-9]\d{1,2})(?=\s*年(?!代))")
_ROC_TITLE_YEAR = re.compile(r"(?<![\d.])1[0-4]\d\s*年度?")
_SPAN_TO = r"\s*年?\s*(?:[-—–~～至到]|年到|年至)\s*(?:19|20)\d{2}\s*年?"
_SPAN_SINCE = r"\s*(?:19|20)\d{2}\s*年(?:以来|起|开始)"
# (从|自)? 2016—2020年, or 从2019年以来: written as alternatives that each start with one
# character, tried in that order, so the regex engine jumps from one 从, 自, 1 or 2 to the
# next instead of trying the optional 从 at every position (~8x faster on a report).
_SPAN = re.compile("|".join([rf"从\s*(?:19|20)\d{{2}}{_SPAN_TO}", rf"自\s*(?:19|20)\d{{2}}{_SPAN_TO}",
                             rf"19\d{{2}}{_SPAN_TO}", rf"20\d{{2}}{_SPAN_TO}",
                             rf"从{_SPAN_SINCE}", rf"自{_SPAN_SINCE}"]))
HEADER_LINES = 15
# 政府建设 for a copy whose mirror deleted 法治; 行政复议/行政执法 for statistical reports.
_TITLE_WORDS = re.compile(r"(法治|依法行政|依法治|政府建设|行政复议|行政应诉|行政执法)")
_TITLE_KIND = re.compile(r"(报告|情况|总结|要点|工作|统计|数据)")
_ORGAN_ENDS = re.compile(r"关于|(?:19|20)\d{2}\s*年|法治|依法|政府建设|行政复议|行政应诉|行政执法")
# What an HTML page leaves between characters: 海南省人民政府br关于….
_HTML_JUNK = re.compile(rf"(?<=[{CJK}])(?:br|nbsp)(?=[{CJK}])")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、])")
_YEAR_COVERED = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年度?(?:(?:全面)?(?:推进)?(?:法治政府建设|依法行政|法治建设|依法治[省市县区])"
    r"[^。]{0,20}?(?:报告|情况|总结|工作))")
_OPENING_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})\s*年(?:以来|来|度)?[,，]")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_OPENING_ORGAN = re.compile(r"现将(?P<o>[^,，。;；:：“”《》\n]{2,25}?)(?:(?:19|20)\d{2}\s*年)")
_SOURCE = re.compile(r"(?:信息来源|发布机构|发文机关)\s*[:：]?\s*(?P<o>[^\s:：]{2,30}?)(?=\s|信息|发布|成文|$)")
# A title set on two lines under its organ: 洛阳市人民政府 / 关于2019年度…的报告.
_TITLE_CONTINUES = re.compile(r"^(关于|(?:19|20)\d{2}\s*年)")
# The date a title carries in brackets, at its end or on the line under it: (2018年3月30日).
_BRACKETED = re.compile(r"\s*[(（]\s*(?P<d>[^()（）]{6,20}?)\s*[)）]\s*$")
_SITE = re.compile(r"即将离开[“\"]?(?P<o>[^”\"]{2,30}?)[”\"]?(?:门户)?网站")
# A report signed by June covers the year before (reports are due in the first quarter,
# often published late); one signed later in the year reports on that same year.
LAST_MONTH_FOR_PREVIOUS_YEAR = 6
TITLE_WITHIN_LINES = 6


@lru_cache(maxsize=1)
def _title_prefix() -> re.Pattern[str]:
    return re.compile(organs.rules()["title_prefix"])


@dataclass
class Inferred:
    """Metadata inferred from one report; ``skip`` holds the indices of text lines that are
    title or signature, not body."""

    title: str = ""
    organ: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    place: str = ""
    level: str = ""
    organ_type: str = ""
    adcode: str = ""
    year: int | None = None
    date: str = ""
    warnings: list[str] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)

    def as_row(self) -> dict:
        row = {k: v for k, v in self.__dict__.items() if k not in ("skip", "warnings")}
        row["warnings"] = "; ".join(self.warnings)
        return row


def _find_title(lines: list[str]) -> tuple[int, str, set[int]] | None:
    """The title line (without a field label or tag before it, joined to a last word set on
    the next line: …法治政府建设 / 工作的报告) and the lines it takes."""
    # Scraped pages can keep a few column names (政务公开, 部门文件…) above the title; a line
    # that is a sentence, or leads into one (…报告如下:), is never a title.
    for i, raw in enumerate(lines[:TITLE_WITHIN_LINES]):
        line, used = _HTML_JUNK.sub("", _title_prefix().sub("", raw)), {i}
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if (_TITLE_WORDS.search(line) and not _TITLE_KIND.search(line) and len(after) <= 20
                and _TITLE_KIND.search(after) and "。" not in after):
            line, used = line + after, {i, i + 1}
        if (len(line) <= 70 and "。" not in line and not line.endswith((",", ",", ":", ";"))
                and not _HEADING.match(line) and _TITLE_WORDS.search(line) and _TITLE_KIND.search(line)):
            return i, line, used
    return None


def _find_signature(lines: list[str], body: int = 0) -> tuple[str, str, set[int]]:
    """Organ and date from the last lines: ``普宁市人民政府办公室`` / ``2020年12月23日``; never
    above line ``body``, where the report's text begins (a byline is no signature)."""
    organ, date, skip = "", "", set()
    start = max(body, len(lines) - 4)
    for i in range(len(lines) - 1, start - 1, -1):
        line = lines[i].strip("()（） ")
        m = DATE.search(line) or ISO.search(line) or MONTH_ONLY.search(line)
        if m and len(line) <= 45 and "。" not in line:
            date = parse_date(line) or year_month(m)
            skip.add(i)
            before = line[: m.start()].strip()
            if before and organs.organ_line().match(before):
                organ = before
            elif i > 0 and organs.organ_line().match(lines[i - 1]):
                organ = lines[i - 1]
                skip.add(i - 1)
            elif i + 1 < len(lines) and organs.organ_line().match(lines[i + 1]):
                organ = lines[i + 1]  # some sign with the date above the organ
                skip.add(i + 1)
            break
    return organ, date, skip


def _organ_from_title(title: str) -> str:
    """The organ a title starts with: 成都市公安局法治政府建设年度报告(2020年) → 成都市公安局.
    A title that starts with a place alone (朝阳区2021年法治政府建设…, 2018年上海市法治政府…)
    is its government's."""
    title = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", title)
    m = _ORGAN_ENDS.search(title)
    return _organ_named(title[:m.start()].strip() if m and m.start() else "")


def _organ_named(name: str) -> str:
    """``name`` if it is an organ's; its government's if it is a place alone (罗源县)."""
    if organs.organ_line().match(name):
        return name
    if any(p.name == name for p in places.lookup(name)) or organs.is_anonymised(name):
        return name + "人民政府"
    return ""


def _title_lines(lines: list[str], found: tuple[int, str, set[int]]) -> tuple[str, str, set[int]]:
    """The title found at line ``t`` (joined to the organ line above it), without the
    date it carries, that date, and the lines they take."""
    t, title, used = found
    date = ""
    if t > 0 and _TITLE_CONTINUES.match(title) and organs.organ_line().match(lines[t - 1]):
        title, used = lines[t - 1] + title, used | {t - 1}
    m = _BRACKETED.search(title)
    if m and is_date(m["d"]):
        title, date = title[: m.start()], parse_date(m["d"])
    elif (n := max(used) + 1) < len(lines) and is_date(lines[n].strip("()（）[]【】 ")):
        date, used = parse_date(lines[n]), used | {n}
    return title, date, used


# Which divisions an organ of each tier can be: 市 is a prefecture or a county-level city.
_TIER_PLACES = {"省": ("province",), "自治区": ("province",), "市": ("city", "county"),
                "州": ("city",), "自治州": ("city",), "盟": ("city",), "县": ("county",),
                "自治县": ("county",), "区": ("county",), "旗": ("county",)}


def _years_text(s: str, roc: bool) -> str:
    """``s`` with Chinese-numeral years in digits, ROC years in the common era (民国108年 →
    2019年) when the text counts that way, and spans of years (2016—2020年, 从1980年到2018年)
    blanked: a span is never the year a report covers."""
    s = _CN_YEAR.sub(lambda y: y.group(0).translate(CN_DIGITS), s)
    if roc:
        s = _ROC_YEAR.sub(lambda y: str(int(y["y"]) + ROC_OFFSET), s)
    return _SPAN.sub(" ", s)


def _year_covered(title: str, text: str, date: str, warn: list[str], roc: bool = False) -> int | None:
    title, text = _years_text(title, roc), _years_text(text, roc)
    for source in (title, text[:1500]):
        m = _YEAR_COVERED.search(source)
        if m:
            return int(m["y"])
    if title:
        m = _ANY_YEAR.search(title)
        if m and not DATE.search(title):
            return int(m.group(1))
    m = _OPENING_YEAR.search(text)
    if m:
        return int(m["y"])
    if date:
        y, mo = int(date[:4]), int(date[5:7])
        warn.append("year inferred from the signing date")
        return y - 1 if mo <= LAST_MONTH_FOR_PREVIOUS_YEAR else y
    years = Counter(int(y) for y in _ANY_YEAR.findall(text))
    if years:
        warn.append("year guessed from the most frequent year in the text")
        return years.most_common(1)[0][0]
    warn.append("year not found")
    return None


def _organ_place(organ: str, counts: Counter[str], warn: list[str]) -> places.Place | None:
    """The place an organ's own name gives: its leading place, narrowed to the district a
    branch names (广州市公安局增城区分局) or the county of the township it ends with."""
    town = organs.township_name(organ)
    # 北京街道办事处 is a street of 广州, not 北京: a place that starts the township's own
    # name is not a place above it.
    found = None if town and organ.startswith(town) else places.leading_place(organ)
    if found and found.level != "county":
        if re.search(organs.rules()["branch"], organ):
            found = places.place_within(organ, found) or found
        if town:
            found = places.township_place(town, counts, within=found) or found
    if found or not town:
        return found
    counties = [t.county for t in places.townships(town)]
    if len(counties) > 1 and not any(places.support(p, counts) for p in counties):
        # The text names none of their places: its own mentions decide, if anything does.
        warn.append(f"{town}: a township name several counties share")
        return None
    found = places.township_place(town, counts)
    if found is None or found.level != "county":
        warn.append(f"{town}: a township name several counties share; county left empty")
    return found or _NO_PLACE


# The answer "the organ's place cannot be told" (an anonymised or ambiguous township).
_NO_PLACE = places.Place("", "", "", "", "", "")


def _candidates(counts: Counter[str], tier: str, wanted: tuple[str, ...] | None
                ) -> list[tuple[int, places.Place]]:
    """The places the text mentions that an organ of ``tier`` can be, with their counts."""
    found = []
    for spelling, n in counts.items():
        for p in places.lookup(spelling):
            if wanted and p.level not in wanted:
                continue
            if tier in ("市", "县", "区") and p.level == "county" and not p.name.endswith(tier):
                continue
            found.append((n, p))
    return found


def _resolve_place(organ: str, counts: Counter[str], site: str, tier: str,
                   warn: list[str]) -> places.Place | None:
    if organ and organs.is_anonymised(organ):
        warn.append("place anonymised in the text")
        return None
    found = _organ_place(organ, counts, warn) if organ else None
    if found is _NO_PLACE:
        return None
    if found:
        return found
    named = places.match_name(organ) if organ else ""
    if named and places.lookup(named):
        return places.resolve(places.lookup(named), counts)
    if site:
        site_place = places.leading_place(site)
        if site_place:
            return site_place
    tier = (organs.relative(organ) if organ else "") or tier
    wanted = _TIER_PLACES.get(tier)
    if wanted is None and (tier in ("镇", "乡", "街道") or (organ and re.search(organs.rules()["township"], organ))):
        wanted = ("county",)  # a township's text names its county and city; it is in the county
    candidates = _candidates(counts, tier, wanted)
    if not candidates and tier == "区":
        candidates = _candidates(counts, "", None)  # 我区 of an autonomous region
    if not candidates:
        warn.append("place not found")
        return None
    if not organ:
        warn.append("place guessed from the places the text mentions")
    most = max(n for n, _ in candidates)
    return places.resolve([p for n, p in candidates if n == most], counts)


def _find_date(doc: Normalized, lines: list[str], signed: str, title: str, title_date: str) -> str:
    """The signature date, else the date a title carries, a header's cue (发布时间:…), a
    byline under the title, a cue in the page furniture removed, a date in the title."""
    head: list[str] = []
    for line in doc.lines[:HEADER_LINES]:
        if len(line) > 60 and "。" in line:
            break  # the body has begun
        head.append(line)
    for found in (signed, title_date, lambda: cue_date(head), lambda: byline_date(head),
                  lambda: cue_date(doc.removed), lambda: parse_date(title) if title else ""):
        date = found() if callable(found) else found
        if date:
            return date
    return ""


def _header_organ(doc: Normalized) -> str:
    """The organ a page's first line names (a ministry's site header: 中华人民共和国司法部)."""
    first = doc.lines[0] if doc.lines else ""
    if organs.organ_line().match(first) and (organs.is_national(first) or places.leading_place(first)):
        return first
    return ""


def infer_metadata(doc: Normalized) -> Inferred:
    """Infer the ``docs`` metadata fields of one normalised report.

    Examples
    --------
    >>> from fazhi.corpus.normalize import normalize_text
    >>> m = infer_metadata(normalize_text("2021年,县司法局坚持依法行政。\\n海丰县司法局\\n2022年1月5日"))
    >>> (m.organ, m.county, m.city, m.province, m.level, m.organ_type, m.year, m.date, m.adcode)
    ('海丰县司法局', '海丰县', '汕尾市', '广东省', '县', '部门', 2021, '2022-01-05', '441521')
    """
    lines = doc.text.split("\n") if doc.text else []
    warn: list[str] = []
    removed = "\n".join(doc.removed)
    found_title = _find_title(lines)
    after_title = max(found_title[2]) + 1 if found_title else 0
    body = next((i for i, ln in enumerate(lines) if i >= after_title and "。" in ln), after_title)
    organ, date, skip = _find_signature(lines, body)
    month = ""
    if len(date) == len("YYYY-MM"):
        month, date = date, ""
    title, title_date, body_from = "", "", 0
    if found_title is not None:
        title, title_date, used = _title_lines(lines, found_title)
        # Above the title there is only page furniture the patterns did not know.
        skip |= used | {i for i in range(min(used)) if "。" not in lines[i]}
        body_from = max(used) + 1
    date = _find_date(doc, lines, date, title, title_date)
    src = _SOURCE.search(removed)
    opening = _OPENING_ORGAN.search(doc.text[:1500])
    title_organ = _organ_from_title(title)
    tier = organs.relative(organ)
    if tier and title_organ.endswith(organ[len(tier):]) and not organs.relative(title_organ):
        organ = title_organ  # 省生态环境厅 signs a report titled 湖北省生态环境厅…
    opening_organ = _organ_named(opening["o"]) if opening else ""  # 现将X2020年…报告如下
    subject = organs.read_opening([ln for i, ln in enumerate(lines) if i >= body_from and i not in skip])
    for cue in (title_organ, src["o"] if src else "", opening_organ, subject.organ, _header_organ(doc)):
        if not organ and cue:
            organ = cue
    if not organ and organs.TIER_LEVEL.get(subject.tier) in ("省", "市", "县") and not subject.department:
        organ = subject.tier + "人民政府"  # 我市…: the government, named once its place is known
    organ = re.sub(organs.rules()["party_prefix"], "", organ)
    site = _SITE.search(removed)
    counts = places.mentions("\n".join([title, doc.text, removed]))
    # A ministry is about no place, however many places its report names.
    place = None if organ and organs.is_national(organ) else _resolve_place(
        organ, counts, site["o"] if site else "", subject.tier, warn)
    organ = organs.full_organ(organ, place) if organ else ""
    level = organs.level(organ, place, subject.tier)
    if organ and organ == organs.relative(organ) + "人民政府" and not place:
        organ = ""  # 市人民政府 of no known city names nothing, though it gives the tier
    if not organ:
        warn.append("organ not found")
    if not date:
        warn.append("date without a day" if month else "no date line")
    roc = "民国" in doc.text or bool(_ROC_TITLE_YEAR.search(title))
    year = _year_covered(title, doc.text, date or month, warn, roc)
    if not title and organ and year:
        title = f"{organ}{year}年度法治政府建设情况报告"
    return Inferred(
        title=title, organ=organ,
        province=place.province if place else "", city=place.city if place else "",
        county=place.county if place else "", place=place.name if place else "",
        level=level, organ_type=organs.organ_type(organ) if organ else "",
        adcode=places.adcode(place), year=year, date=date, warnings=warn, skip=skip,
    )


# Warnings that a value given later (a sidecar metadata.csv) answers.
_ANSWERED_BY = {"place": ("place not found", "place guessed"), "organ": ("organ not found",),
                "date": ("no date line",), "year": ("year ",)}


def refresh_derived(row: dict, given: set[str]) -> dict:
    """Recompute the fields derived from others after some were set by hand.

    ``given`` names the fields a sidecar set. ``place`` and ``adcode`` follow
    province/city/county, ``level`` and ``organ_type`` follow organ and place unless given
    too, a national organ (国务院) clears the places no column gives, and warnings that the
    given values answer are dropped.

    Examples
    --------
    >>> row = {"organ": "", "province": "广东省", "city": "揭阳市", "county": "普宁市", "place": "",
    ...        "level": "", "organ_type": "", "warnings": "place not found; no date line"}
    >>> r = refresh_derived(row, {"province", "city", "county"})
    >>> r["place"], r["adcode"], r["level"], r["warnings"]
    ('普宁市', '445281', '县', 'no date line')
    """
    row = dict(row)
    places_given = given & {"province", "city", "county", "place"}
    if "organ" in given and organs.is_national(row.get("organ", "")) and not places_given:
        # The State Council's reports name every province; none of them is the organ's.
        row.update(province="", city="", county="", place="", adcode="")
        given = given | {"place"}
    if given & {"province", "city", "county"} and "place" not in given:
        row["place"] = row.get("county") or row.get("city") or row.get("province") or ""
    if given & {"province", "city", "county", "place"}:
        given = given | {"place"}
    found = [p for p in places.lookup(row.get("place", "")) if p.province == row.get("province")]
    place = found[0] if found else (places.lookup(row["place"]) or [None])[0] if row.get("place") else None
    if places_given and "adcode" not in given:
        row["adcode"] = places.adcode(place)
    if "level" not in given and given & {"organ", "place"}:
        row["level"] = organs.level(row.get("organ", ""), place)
    if "organ_type" not in given and "organ" in given:
        row["organ_type"] = organs.organ_type(row.get("organ", ""))
    answered = tuple(w for field_, ws in _ANSWERED_BY.items() if field_ in given for w in ws)
    kept = [w for w in str(row.get("warnings", "")).split("; ") if w and not w.startswith(answered)]
    row["warnings"] = "; ".join(kept)
    return row
