"""Whose figure a fact is: the reporting organ's own (``本级``), or one of a body its clause
names — the congress whose deputies made the suggestions (全国人大代表建议5件), a higher or
other government whose total is quoted (全省共受理…), a named place (揭阳人大代表建议) —
and whether it is a part of a total stated just before it (其中…, 包括…).

The words are read while the facts are extracted, as written (:func:`about_cue`, the
facts cache keeps them); what they mean depends on the report — 市 in a city's report is the
city itself, in a county's the prefecture above it — so they are resolved against each
document's metadata afterwards (:func:`resolve_about`). The cue words are in
``fazhi/data/facts_about.yml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import yaml

from .._resources import data_path
from ..corpus import places
from .labels import own_words
from .numbers import ParsedNumber

#: ``about`` of a figure that is the reporting organ's own
OWN = "本级"
#: levels of government, highest first (the values of the ``level`` metadata column)
LEVELS = ("国家", "省", "市", "县", "乡")
_PLACE_COLUMNS = ("level", "province", "city", "county", "place")
_MAX_PLACE = 8  # characters of the longest place spelling tried before a body


@dataclass(frozen=True)
class AboutRules:
    """The compiled rules of ``facts_about.yml``."""

    body: re.Pattern[str]
    between: re.Pattern[str]
    tier_end: re.Pattern[str]
    tier_cue: re.Pattern[str]
    clause_scope: re.Pattern[str]
    tier_of: dict[str, str]
    own: frozenset[str]
    parts: re.Pattern[str]
    part_ends: re.Pattern[str]
    clause_lead: re.Pattern[str]
    place_follows: re.Pattern[str]


def _words(items) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(items, key=len, reverse=True))


@lru_cache(maxsize=1)
def about_rules() -> AboutRules:
    """The shipped rules, compiled once."""
    spec = yaml.safe_load(data_path("facts_about.yml").read_text(encoding="utf-8"))
    tier_of = {str(w): level for level, words in spec["tiers"].items() for w in words}
    tiers, mods = _words(tier_of), _words([*spec["own"], *spec["scope"]])
    cue = rf"(?P<mod>{mods})?(?P<tier>{tiers})"
    return AboutRules(
        body=re.compile(_words(spec["bodies"])),
        between=re.compile(f"(?:{spec['between']})$"),
        tier_end=re.compile(f"{cue}$"),
        tier_cue=re.compile(cue),
        clause_scope=re.compile(rf"{spec['clause_start']}(?P<cue>(?:{_words(spec['scope'])}|"
                                rf"{_words(spec['own'])})(?:{tiers})|{_words(spec['tiers']['国家'])})"),
        tier_of=tier_of,
        own=frozenset(map(str, spec["own"])),
        parts=re.compile(spec["parts"]),
        part_ends=re.compile(spec["part_ends"]),
        clause_lead=re.compile(spec["clause_start"]),
        place_follows=re.compile(spec["place_follows"]),
    )


def _place_before(prefix: str) -> str:
    """The longest place spelling that ends ``prefix`` (办理揭阳 → 揭阳), or ``""``."""
    for n in range(min(len(prefix), _MAX_PLACE), 1, -1):
        if places.lookup(prefix[-n:]):
            return prefix[-n:]
    return ""


_FULL_NAME = re.compile(r"(?:省|市|县|区|州|旗|盟)$")


def _place_leading(clause: str, rules: AboutRules) -> str:
    """The (longest) place spelling that opens ``clause`` (after 2022年, 目前 …), or ``""``: a full
    name (海丰县) before anything but 、 (a list of places names none alone), a short one
    (汕尾) only before a quote, a bracket, a pause or the end, so that 中山大学 or
    黄山风景区 name no place (``place_follows`` in ``facts_about.yml``)."""
    rest = clause[rules.clause_lead.match(clause).end():]
    head = places.match_name(rest)
    if not head or rest[len(head):len(head) + 1] == "、":
        return ""
    follows = _FULL_NAME.search(head) or rules.place_follows.match(rest, len(head))
    return head if follows else ""


def about_cue(label: str, clause: str = "", joined: bool = False) -> str:
    """The words of a fact that name whose figure it is, as written, or ``""``.

    A tier word or a place right before a body in the label (全国人大代表建议, 省政协提案,
    揭阳人大代表建议, 市十五届人大五次会议人大代表建议), else a scope at the start of the
    clause before the number (全省共受理, 我市), else a place opening the clause
    (汕尾“粤省事”累计本地服务事项 → 汕尾); ``joined`` as in :func:`fazhi.labels.make_label`.

    Examples
    --------
    >>> about_cue("办理全国人大代表建议"), about_cue("办理揭阳人大代表建议")
    ('全国', '揭阳')
    >>> about_cue("受理行政复议案件", "全省共受理行政复议案件"), about_cue("发布各类信息")
    ('全省', '')
    >>> about_cue("汕尾粤省事累计本地服务事项", "汕尾“粤省事”累计本地服务事项")
    '汕尾'
    """
    rules = about_rules()
    for m in rules.body.finditer(label):
        prefix = rules.between.sub("", label[:m.start()])
        found = _place_before(prefix)
        if found:
            return found
        tier = rules.tier_end.search(prefix)
        if tier:
            return tier.group()
    own = own_words(clause, joined)
    m = rules.clause_scope.match(own)
    return m["cue"] if m else _place_leading(own, rules)


def part_cues(text: str) -> list[tuple[int, int]]:
    """The spans of the part words (其中, 包括 …) in ``text``, for :func:`part_total`."""
    return [m.span() for m in about_rules().parts.finditer(text)]


def part_total(text: str, numbers: Sequence[ParsedNumber], k: int, sentence_start: int,
               previous_start: int, cues: list[tuple[int, int]] | None = None) -> int:
    """Index in ``numbers`` of the figure that figure ``k`` is a part of, or -1.

    A part follows a part word (其中, 包括) that follows a figure of the same unit: in the
    same sentence, or in the sentence before when the word opens the sentence
    (…156件。其中,审结142件). It ends at a semicolon, and at the closing bracket when the
    word opens a bracket. A rate after a count (其中线下9件,答复率100%) is no part.
    ``cues`` are :func:`part_cues` of ``text``, found once for all its figures.

    Examples
    --------
    >>> from fazhi.facts.numbers import find_numbers
    >>> text = "发布各类信息9351条,其中疫情防控信息1795条。"
    >>> part_total(text, find_numbers(text), 1, 0, 0)
    0
    """
    cues = part_cues(text) if cues is None else cues
    start = numbers[k].start
    i = bisect_left(cues, (start,)) - 1
    if i < 0 or cues[i][0] < sentence_start or cues[i][1] > start:
        return -1
    at, end = cues[i]
    between = text[end:start]
    if about_rules().part_ends.search(between):
        return -1
    if text[at - 1:at] in ("(", "（") and re.search(r"[)）]", between):
        return -1
    opens = not re.sub(r"[\s,，、:：]", "", text[sentence_start:at])
    earliest = previous_start if opens else sentence_start
    for j in range(k - 1, -1, -1):
        if numbers[j].end <= at:
            same = numbers[j].start >= earliest and numbers[j].unit == numbers[k].unit
            return j if same else -1
    return -1


def _tier(word: str, level: str, province: str, county: str) -> str:
    tier = about_rules().tier_of[word]
    if word == "市" and level == "省" and province.endswith("市"):
        return "省"  # a 直辖市's own 市
    if word == "市" and level == "县" and county.endswith("市"):
        return "县"  # a county-level city (普宁市) speaking of itself
    return tier


def resolve_about(cue: str, level: str = "", province: str = "", city: str = "",
                  county: str = "", place: str = "") -> str:
    """What ``cue`` (:func:`about_cue`) means in a report of this level and place.

    ``本级`` for the organ's own figures (no cue, 我市, the report's own tier or place);
    ``全国``; the full name of a higher government (广东省, 揭阳市) or of a named place; the
    tier word as written (省, 市, 区) when the report's level or place is unknown or a body
    below the report's is named (区人大 in a city's report). A scope (全市) not above the
    report's level, or of unknown level, is the organ's own (reports speak of their own
    area so); a tier before a body (省人大) of unknown level is not.

    Examples
    --------
    >>> resolve_about("市", "市", "广东省", "深圳市", "", "深圳市")
    '本级'
    >>> resolve_about("省", "市", "广东省", "深圳市", "", "深圳市")
    '广东省'
    >>> resolve_about("揭阳", "县", "广东省", "揭阳市", "普宁市", "普宁市")
    '揭阳市'
    >>> resolve_about("市", "县", "广东省", "揭阳市", "普宁市", "普宁市")
    '本级'
    """
    if not cue:
        return OWN
    rules = about_rules()
    m = rules.tier_cue.fullmatch(cue)
    if m is None:
        return _named(cue, level, province, city, county, place)
    if m["mod"] in rules.own:
        return OWN
    tier = _tier(m["tier"], level, province, county)
    if level not in LEVELS:
        return OWN if m["mod"] else ("全国" if tier == "国家" else m["tier"])
    if LEVELS.index(tier) < LEVELS.index(level):
        return {"国家": "全国", "省": province, "市": city, "县": county}.get(tier) or m["tier"]
    # A report speaks of its own area as 全镇 or 全县; one below its level is far more often
    # a level read wrongly than a town's total quoted.
    if tier == level or m["mod"]:
        return OWN
    return m["tier"]


def _named(spelling: str, level: str, province: str, city: str, county: str,
           place: str) -> str:
    found = places.lookup(spelling)
    own = {place, {"省": province, "市": city, "县": county}.get(level, "")} - {""}
    if any(p.name in own for p in found):
        return OWN
    near = [p for p in found if province and p.province == province] or found
    return near[0].name if len({p.name for p in near}) == 1 else spelling


def resolve_column(facts: pd.DataFrame) -> pd.Series:
    """``about`` of every fact: its cue resolved against its document's metadata columns
    (those of ``level, province, city, county, place`` it has)."""
    have = [c for c in _PLACE_COLUMNS if c in facts.columns]
    # A few distinct (cue, place) pairs stand for thousands of facts: resolve each once.
    # Grouped on integer codes, so no column is copied as a million Python strings.
    codes, names = {}, {}
    for column in ("about", *have):
        values = facts[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            code, uniques = values.cat.codes.to_numpy(), values.cat.categories
        else:
            code, uniques = pd.factorize(values)
        # a missing value (code -1) means "", as an empty cell does
        names[column] = [*("" if pd.isna(v) else str(v) for v in uniques), ""]
        codes[column] = np.where(code < 0, len(uniques), code)
    groups = pd.DataFrame(codes, index=facts.index).groupby(list(codes), sort=False)
    meaning = [resolve_about(names["about"][key[0]],
                             **{c: names[c][i] for c, i in zip(have, key[1:])})
               for key in groups.size().index.to_frame(index=False)
               .itertuples(index=False, name=None)]
    at = groups.ngroup().to_numpy()
    return pd.Series(pd.Series(meaning, dtype=object).to_numpy()[at] if len(at) else [],
                     index=facts.index, dtype="str")
