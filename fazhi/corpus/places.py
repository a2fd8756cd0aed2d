"""China's administrative divisions, from the adcode table that the ``cpca`` package
maintains (province → prefecture → county, 2020 edition): name look-up, hierarchy, and
counting the places a text mentions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from .._resources import data_path, read_list
from .._text import CJK

# Suffixes dropped to get the short form people write: 广东省 → 广东, 延边朝鲜族自治州 → 延边.
_SUFFIX = re.compile(rf"((维吾尔|[{CJK}]{{1,2}}族)*自治[区州]|特别行政区|省|市|地区|盟)$")
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Place:
    """One administrative division and its parents (full 简体 names)."""

    adcode: str
    name: str
    level: str  # "province" | "city" | "county"
    province: str
    city: str
    county: str


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    with resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as f:
        df = pd.read_csv(f, dtype={"adcode": str}, usecols=["adcode", "name"])
    df = df[~df["name"].isin(_PLACEHOLDERS)].copy()
    df["level"] = "county"
    df.loc[df["adcode"].str[4:].eq("0" * 8), "level"] = "city"
    df.loc[df["adcode"].str[2:].eq("0" * 10), "level"] = "province"
    return df.reset_index(drop=True)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, str]:
    return dict(zip(_table()["adcode"], _table()["name"]))


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
def _autonomous() -> re.Pattern[str]:
    """The ethnic part and 自治 of an autonomous county's or banner's name."""
    groups = sorted(read_list(data_path("ethnic_groups.txt")), key=len, reverse=True)
    one = "|".join(g for g in groups if len(g) == 1)
    more = "|".join(g for g in groups if len(g) > 1)
    return re.compile(rf"(?:(?:{more})族?|(?:{one})族)+自治(?=[县旗]$)")


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Place]]:
    """Every spelling (full name, and short name for provinces and prefectures) → places."""
    skip = set(read_list(data_path("places_ambiguous.txt")))
    index: dict[str, list[Place]] = {}
    names = set(_table()["name"])
    provinces = {_SUFFIX.sub("", n) for n in _table().loc[_table()["level"] == "province", "name"]}
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
            short = _SUFFIX.sub("", name)
            if len(short) >= 2 and short != name and short not in skip:
                index.setdefault(short, []).append(place)
    return index


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted(_index(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


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
    """First two characters → the spellings that start with them, longest first."""
    index: dict[str, list[str]] = {}
    for name in sorted(_index(), key=len, reverse=True):
        index.setdefault(name[:2], []).append(name)
    return {k: tuple(v) for k, v in index.items()}


def mentions(text: str) -> Counter[str]:
    """Count the place spellings that occur in ``text`` (longest match first).

    Examples
    --------
    >>> mentions("积极对标深圳、上海等先进城市,扎实推进高效青岛建设")
    Counter({'深圳': 1, '上海': 1, '青岛': 1})
    """
    # The same matches as _pattern().finditer (leftmost, longest, not overlapping), found
    # ~20x faster: every spelling has two or more characters, and under 1 % of positions in
    # a report start a known two-character prefix, so only those are tried.
    prefixes = _by_prefix()
    counts: Counter[str] = Counter()
    end = 0
    for i in [i for i in range(len(text) - 1) if text[i:i + 2] in prefixes]:
        if i < end:
            continue
        for name in prefixes[text[i:i + 2]]:
            if text.startswith(name, i):
                counts[name] += 1
                end = i + len(name)
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
    while (m := _pattern().match(name, pos)) is not None:
        chain.append(m.group(0))
        pos = m.end()
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

    def support(p: Place) -> int:
        names = {p.province, p.city, _SUFFIX.sub("", p.province), _SUFFIX.sub("", p.city)} - {""}
        return sum(counts.get(n, 0) for n in names)

    return max(candidates, key=support)
