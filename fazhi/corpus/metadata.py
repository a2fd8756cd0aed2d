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

import cn2an
import yaml

from .._resources import data_path
from .._text import CN_DIGITS
from . import places
from .normalize import Normalized

_CN_DIGITS = str.maketrans({c: str(v) for c, v in CN_DIGITS.items()})
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DATE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[二][〇○零Ｏ一二三四五六七八九]{{3}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日")
# A signature dated to the month only (2022年1月): it still marks the signature block.
_MONTH_ONLY = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[二][〇○零Ｏ一二三四五六七八九]{{3}})\s*年\s*(?P<m>{_NUM})\s*月$")
# A year written in Chinese numerals, as some titles do: 关于二〇二一年度…
_CN_YEAR = re.compile(r"二[〇○零Ｏ一二三四五六七八九]{3}(?=\s*年)")
_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_DATE_CUE = re.compile(r"(信息提供日期|发布日期|发布时间|成文日期|发文日期|日期)[:：]\s*")
_TITLE_WORDS = re.compile(r"(法治|依法行政|依法治)")
_TITLE_KIND = re.compile(r"(报告|情况|总结|要点|工作)")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、])")
_YEAR_COVERED = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年度?(?:(?:全面)?(?:推进)?(?:法治政府建设|依法行政|法治建设|依法治[省市县区])"
    r"[^。]{0,20}?(?:报告|情况|总结|工作))")
_OPENING_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})\s*年(?:以来|来|度)?[,，]")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_OPENING_ORGAN = re.compile(r"现将(?P<o>[^,，。;；:：“”《》\n]{2,25}?)(?:(?:19|20)\d{2}\s*年)")
_SOURCE = re.compile(r"(?:信息来源|发布机构|发文机关)[:：]\s*(?P<o>[^\s:：]{2,30}?)(?=\s|信息|发布|$)")
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
def _rules() -> dict:
    return yaml.safe_load(data_path("organs.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _organ_line() -> re.Pattern[str]:
    return re.compile(rf"^[^,，。;；:：]{{2,40}}{_rules()['organ_suffix']}$")


def parse_date(text: str) -> str:
    """First date in ``text`` as ISO ``YYYY-MM-DD``, or ``""``.

    Examples
    --------
    >>> parse_date("二〇二三年一月十日"), parse_date("信息提供日期:2019-01-04 17:09")
    ('2023-01-10', '2019-01-04')
    """
    for rx in (_DATE, _ISO):
        m = rx.search(text)
        if m:
            y = int(m["y"].translate(_CN_DIGITS))
            mo, d = (int(v) if v.isdigit() else int(cn2an.cn2an(v, "smart")) for v in (m["m"], m["d"]))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return ""


def _year_month(m: re.Match[str]) -> str:
    month = int(m["m"]) if m["m"].isdigit() else int(cn2an.cn2an(m["m"], "smart"))
    return f"{int(m['y'].translate(_CN_DIGITS)):04d}-{month:02d}" if 1 <= month <= 12 else ""


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
    year: int | None = None
    date: str = ""
    warnings: list[str] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)

    def as_row(self) -> dict:
        row = {k: v for k, v in self.__dict__.items() if k not in ("skip", "warnings")}
        row["warnings"] = "; ".join(self.warnings)
        return row


def _find_title(lines: list[str]) -> int | None:
    # Scraped pages can keep a few column names (政务公开, 部门文件…) above the title; a line
    # that is a sentence, or leads into one (…报告如下:), is never a title.
    for i, line in enumerate(lines[:TITLE_WITHIN_LINES]):
        if (len(line) <= 70 and "。" not in line and not line.endswith((",", ",", ":", ";"))
                and not _HEADING.match(line) and _TITLE_WORDS.search(line) and _TITLE_KIND.search(line)):
            return i
    return None


def _find_signature(lines: list[str]) -> tuple[str, str, set[int]]:
    """Organ and date from the last lines: ``普宁市人民政府办公室`` / ``2020年12月23日``."""
    organ, date, skip = "", "", set()
    start = max(0, len(lines) - 4)
    for i in range(len(lines) - 1, start - 1, -1):
        line = lines[i].strip("()（） ")
        m = _DATE.search(line) or _ISO.search(line) or _MONTH_ONLY.search(line)
        if m and len(line) <= 45 and "。" not in line:
            date = parse_date(line) or _year_month(m)
            skip.add(i)
            before = line[: m.start()].strip()
            if before and _organ_line().match(before):
                organ = before
            elif i > 0 and _organ_line().match(lines[i - 1]):
                organ = lines[i - 1]
                skip.add(i - 1)
            elif i + 1 < len(lines) and _organ_line().match(lines[i + 1]):
                organ = lines[i + 1]  # some sign with the date above the organ
                skip.add(i + 1)
            break
    return organ, date, skip


def _organ_from_title(title: str) -> str:
    """The organ a title starts with: 成都市公安局法治政府建设年度报告(2020年) → 成都市公安局.
    A title that starts with a place alone (朝阳区2021年法治政府建设…) is its government's."""
    m = re.match(r"^(?P<o>.+?)(?:关于|(?:19|20)\d{2}\s*年|法治|依法)", title)
    organ = m["o"].strip() if m else ""
    if _organ_line().match(organ):
        return organ
    if any(p.name == organ for p in places.lookup(organ)):
        return organ + "人民政府"
    return ""


def _is_date(text: str) -> bool:
    return bool(_DATE.fullmatch(text) or _ISO.fullmatch(text))


def _title_lines(lines: list[str], t: int) -> tuple[str, str, set[int]]:
    """The title that starts at line ``t`` (joined to the organ line above it), without the
    date it carries, that date, and the lines they take."""
    title, used, date = lines[t], {t}, ""
    if t > 0 and _TITLE_CONTINUES.match(title) and _organ_line().match(lines[t - 1]):
        title, used = lines[t - 1] + title, used | {t - 1}
    m = _BRACKETED.search(title)
    if m and _is_date(m["d"]):
        title, date = title[: m.start()], parse_date(m["d"])
    elif t + 1 < len(lines) and _is_date(lines[t + 1].strip("()（） ")):
        date, used = parse_date(lines[t + 1]), used | {t + 1}
    return title, date, used


def _relative(organ: str) -> str:
    """The tier an organ's name starts with instead of its place (市政府办公厅 → 市)."""
    m = re.match(_rules()["relative_prefix"], organ)
    return m.group(0) if m else ""


def _is_national(organ: str) -> bool:
    return bool(re.search(_rules()["national"], organ)) or bool(
        re.search(_rules()["national_suffix"], organ) and not _relative(organ)
        and not places.mentions(organ))


def _year_covered(title: str, text: str, date: str, warn: list[str]) -> int | None:
    def arabic(s: str) -> str:
        return _CN_YEAR.sub(lambda y: y.group(0).translate(_CN_DIGITS), s)

    title = arabic(title)
    for source in (title, arabic(text[:1500])):
        m = _YEAR_COVERED.search(source)
        if m:
            return int(m["y"])
    if title:
        m = _ANY_YEAR.search(title)
        if m and not _DATE.search(title):
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


def _resolve_place(organ: str, counts: Counter[str], site: str, warn: list[str]) -> places.Place | None:
    found = places.leading_place(organ) if organ else None
    if found:
        return found
    m = places._pattern().match(organ) if organ else None
    if m and places.lookup(m.group(0)):
        return places.resolve(places.lookup(m.group(0)), counts)
    if site:
        site_place = places.leading_place(site)
        if site_place:
            return site_place
    tier = _relative(organ) if organ else ""
    wanted = {"省": ("province",), "自治区": ("province",), "市": ("city", "county"),
              "州": ("city",), "自治州": ("city",), "盟": ("city",), "县": ("county",),
              "自治县": ("county",), "区": ("county",), "旗": ("county",)}.get(tier)
    if wanted is None and organ and re.search(_rules()["township"], organ):
        wanted = ("county",)  # a township's text names its county and city; it is in the county
    best: tuple[int, places.Place] | None = None
    for spelling, n in counts.most_common():
        for p in places.lookup(spelling):
            if wanted and p.level not in wanted:
                continue
            if tier in ("市", "县", "区") and p.level == "county" and not p.name.endswith(tier):
                continue
            if best is None or n > best[0]:
                best = (n, p)
    if best is None:
        warn.append("place not found")
        return None
    if not organ:
        warn.append("place guessed from the places the text mentions")
    return best[1]


def _full_organ(organ: str, place: places.Place | None) -> str:
    tier = _relative(organ)
    if place and tier and not organ.startswith(place.name):
        organ = place.name + organ[len(tier):]
    if "人民政府" not in organ:
        for pattern, repl in _rules()["expand"].items():
            if re.search(pattern, organ):
                return re.sub(pattern, repl, organ)
    return organ


def _level(organ: str, place: places.Place | None) -> str:
    if organ and _is_national(organ):
        return "国家"
    if organ and re.search(_rules()["township"], organ):
        return "乡"
    if place is None:
        return ""
    return {"province": "省", "city": "市", "county": "县"}[place.level]


def _organ_type(organ: str) -> str:
    for kind, pattern in _rules()["organ_type"].items():
        if organ and re.search(pattern, organ):
            return kind
    return "其他"


def infer_metadata(doc: Normalized) -> Inferred:
    """Infer the ``docs`` metadata fields of one normalised report.

    Examples
    --------
    >>> from fazhi.corpus.normalize import normalize_text
    >>> m = infer_metadata(normalize_text("2021年,县司法局坚持依法行政。\\n海丰县司法局\\n2022年1月5日"))
    >>> (m.organ, m.county, m.city, m.province, m.level, m.organ_type, m.year, m.date)
    ('海丰县司法局', '海丰县', '汕尾市', '广东省', '县', '部门', 2021, '2022-01-05')
    """
    lines = doc.text.split("\n") if doc.text else []
    warn: list[str] = []
    removed = "\n".join(doc.removed)
    t = _find_title(lines)
    organ, date, skip = _find_signature(lines)
    month = ""
    if len(date) == len("YYYY-MM"):
        month, date = date, ""
    title, title_date = "", ""
    if t is not None:
        title, title_date, used = _title_lines(lines, t)
        # Above the title there is only page furniture the patterns did not know.
        skip |= used | {i for i in range(min(used)) if "。" not in lines[i]}
    date = date or title_date
    if not date:
        for line in doc.removed:
            cue = _DATE_CUE.search(line)
            if cue:
                date = parse_date(line[cue.end():])
                if date:
                    break
    if not date and title:
        date = parse_date(title)
    src = _SOURCE.search(removed)
    opening = _OPENING_ORGAN.search(doc.text[:1500])
    title_organ = _organ_from_title(title)
    tier = _relative(organ)
    if tier and title_organ.endswith(organ[len(tier):]) and not _relative(title_organ):
        organ = title_organ  # 省生态环境厅 signs a report titled 湖北省生态环境厅…
    opening_organ = opening["o"] if opening and _organ_line().match(opening["o"]) else ""
    for cue in (title_organ, src["o"] if src else "", opening_organ):
        if not organ and cue:
            organ = cue
    organ = re.sub(_rules()["party_prefix"], "", organ)
    site = _SITE.search(removed)
    counts = places.mentions("\n".join([title, doc.text, removed]))
    # A ministry is about no place, however many places its report names.
    place = None if _is_national(organ) else _resolve_place(
        organ, counts, site["o"] if site else "", warn)
    organ = _full_organ(organ, place) if organ else ""
    if not organ:
        warn.append("organ not found")
    if not date:
        warn.append("date without a day" if month else "no date line")
    year = _year_covered(title, doc.text, date or month, warn)
    if not title and organ and year:
        title = f"{organ}{year}年度法治政府建设情况报告"
    return Inferred(
        title=title, organ=organ,
        province=place.province if place else "", city=place.city if place else "",
        county=place.county if place else "", place=place.name if place else "",
        level=_level(organ, place), organ_type=_organ_type(organ) if organ else "",
        year=year, date=date, warnings=warn, skip=skip,
    )


# Warnings that a value given later (a sidecar metadata.csv) answers.
_ANSWERED_BY = {"place": ("place not found", "place guessed"), "organ": ("organ not found",),
                "date": ("no date line",), "year": ("year ",)}


def refresh_derived(row: dict, given: set[str]) -> dict:
    """Recompute the fields derived from others after some were set by hand.

    ``given`` names the fields a sidecar set. ``place`` follows province/city/county,
    ``level`` and ``organ_type`` follow organ and place unless given too, and warnings that
    the given values answer are dropped.

    Examples
    --------
    >>> row = {"organ": "", "province": "广东省", "city": "揭阳市", "county": "普宁市", "place": "",
    ...        "level": "", "organ_type": "", "warnings": "place not found; no date line"}
    >>> r = refresh_derived(row, {"province", "city", "county"})
    >>> r["place"], r["level"], r["warnings"]
    ('普宁市', '县', 'no date line')
    """
    row = dict(row)
    if given & {"province", "city", "county"} and "place" not in given:
        row["place"] = row.get("county") or row.get("city") or row.get("province") or ""
    if given & {"province", "city", "county", "place"}:
        given = given | {"place"}
    found = [p for p in places.lookup(row.get("place", "")) if p.province == row.get("province")]
    place = found[0] if found else (places.lookup(row["place"]) or [None])[0] if row.get("place") else None
    if "level" not in given and given & {"organ", "place"}:
        row["level"] = _level(row.get("organ", ""), place)
    if "organ_type" not in given and "organ" in given:
        row["organ_type"] = _organ_type(row.get("organ", ""))
    answered = tuple(w for field_, ws in _ANSWERED_BY.items() if field_ in given for w in ws)
    kept = [w for w in str(row.get("warnings", "")).split("; ") if w and not w.startswith(answered)]
    row["warnings"] = "; ".join(kept)
    return row
