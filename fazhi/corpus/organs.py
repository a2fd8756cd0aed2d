"""How a report names the organ that wrote it, when no signature or title says so.

The subject of the opening sentence is the organ in most reports (2022年,泾源县公安局在县委…;
2024年,云南省委、省政府坚持…; 2025年,罗源县坚持…), and the way a report speaks of itself
(我市, 全县, 我镇, 我局) gives its tier even when it never names itself. The rules are in
``data/organs.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .._resources import data_path
from . import places

# The opening: this many sentences of the body; only the first may name an organ by its
# place, later ones only refer to the reporting government (自治区人民政府把学习…作为…).
OPENING_SENTENCES = 4
OPENING_CHARS = 1200
# A clause without a predicate word is a subject only when it is this short.
SUBJECT_MAX_CHARS = 20
_LEADING_YEAR = re.compile(r"^(?:(?:19|20)\d{2}\s*年(?:度|以来|来)?|今年以来|今年来|一年来)\s*")
# A salutation before the report (福州市人民政府: / 市委、市政府:) names whom it is sent to.
_ADDRESSEE = re.compile(r"^[^。,，]{2,60}[:：]$")
_CLAUSE = re.compile(r"[,，;；:：]")
_SENTENCE = re.compile(r"(?<=[。!！?？])|\n")
# A tier a report speaks of itself with, as the levels the docs table uses.
TIER_LEVEL = {"省": "省", "自治区": "省", "市": "市", "州": "市", "自治州": "市", "盟": "市",
               "县": "县", "自治县": "县", "区": "县", "旗": "县", "镇": "乡", "乡": "乡", "街道": "乡"}


@lru_cache(maxsize=1)
def rules() -> dict:
    return yaml.safe_load(data_path("organs.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def organ_line() -> re.Pattern[str]:
    return re.compile(rf"^[^,，。;；:：]{{2,40}}{rules()['organ_suffix']}$")


@lru_cache(maxsize=1)
def _predicate() -> re.Pattern[str]:
    return re.compile(rules()["predicate"])


def relative(organ: str) -> str:
    """The tier an organ's name starts with instead of its place (市政府办公厅 → 市)."""
    m = re.match(rules()["relative_prefix"], organ)
    return m.group(0) if m else ""


def is_national(organ: str) -> bool:
    return bool(re.search(rules()["national"], organ)) or bool(
        re.search(rules()["national_suffix"], organ) and not relative(organ)
        and not places.mentions(organ))


def is_anonymised(name: str) -> bool:
    return bool(re.match(rules()["anonymised"], name))


def township_name(organ: str) -> str:
    """The township or street an organ's name ends with: 桐木漯瑶族乡人民政府 → 桐木漯瑶族乡."""
    m = re.search(rules()["township_name"], organ)
    return m["name"] if m and places.townships(m["name"]) else ""


def _is_place(name: str) -> bool:
    return bool(places.lookup(name)) or bool(places.townships(name))


def _subject_organ(subject: str, first: bool) -> str:
    """The organ a clause's subject names, or ``""``."""
    joint = re.match(rules()["joint_government"] + "$", subject)
    if joint:
        p = joint["p"]
        if p and (_is_place(p) or is_anonymised(p) or (relative(p) == p)):
            government = "办事处" if p.endswith("街道") else "人民政府"
            return p + government if first or relative(p) == p else ""
        return ""
    if relative(subject) and re.search(rf"{rules()['organ_suffix']}$", subject) \
            and not re.search(rules()["party_organ"], subject):
        government = re.search(r"政府$|办事处$", subject)
        return subject if first or government else ""  # 区政府坚持…, 自治区人民政府把…
    if re.search(rules()["party_organ"], subject) or not organ_line().match(subject):
        if first and is_anonymised(subject):
            return subject + "人民政府"
        found = places.lookup(subject) if first else []
        if len({p.name for p in found}) == 1:
            return found[0].name + "人民政府"  # 2025年,罗源县坚持… : the place's government
        return ""
    if not first:
        return ""
    if (is_anonymised(subject) or township_name(subject) or is_national(subject)
            or re.match(rules()["township_shape"], subject)):
        return subject
    return subject if places.leading_place(subject) or places.mentions(subject[:8]) else ""


@dataclass(frozen=True)
class Opening:
    """What the opening sentences say of the organ: its name, the tier it speaks of itself
    with (我市 → 市), and whether it speaks as a department (我局)."""

    organ: str = ""
    tier: str = ""
    department: bool = False


def read_opening(lines: list[str]) -> Opening:
    """Read the organ from the subjects of a report's opening sentences.

    Examples
    --------
    >>> read_opening(["2023年,在县委、县政府的正确领导下,梅林镇深入推进依法行政。"]).organ
    '梅林镇'
    >>> read_opening(["2021年,市委、市政府坚持以习近平法治思想为指导,全力推进法治政府建设。"]).organ
    '市人民政府'
    >>> o = read_opening(["县委、县政府:", "2022年,我局认真贯彻县委部署,全县执法水平持续提升。"])
    >>> (o.organ, o.tier, o.department)
    ('', '县', True)
    """
    body = "\n".join(ln for ln in lines if not _ADDRESSEE.match(ln))[:OPENING_CHARS]
    tier, department = "", False
    sentences = [s for s in _SENTENCE.split(body) if s.strip()][:OPENING_SENTENCES]
    for k, sentence in enumerate(sentences):
        for clause in _CLAUSE.split(sentence):
            clause = _LEADING_YEAR.sub("", clause.strip())
            if not clause or re.match(rules()["adverbial"], clause):
                continue
            # The predicate follows a place's name (将乐县坚持…: 将 is the name's).
            place = places.match_name(clause)
            verb = _predicate().search(clause, len(place) or 1)
            subject = clause[:verb.start()] if verb else clause
            # A department's report (我局…) quotes its government later on: 县政府印发….
            if subject and (verb or len(subject) <= SUBJECT_MAX_CHARS) and not (k and department):
                organ = _subject_organ(subject, first=k == 0)
                if organ:
                    return Opening(organ, tier, department)
            self_ref = re.search(rules()["self_reference"], clause) or re.search(rules()["own_tier"], clause)
            tier = tier or (self_ref["tier"] if self_ref else "")
            department = department or bool(re.search(rules()["department_self_reference"], clause))
    return Opening("", tier, department)


def full_organ(organ: str, place: places.Place | None) -> str:
    """The organ's full name once its place is known: 区政府 → 西湖区人民政府, 棣棠乡 →
    棣棠乡人民政府, 东城区政府 → 北京市东城区人民政府."""
    written, tier = organ, relative(organ)
    if place and tier and not organ.startswith(place.name):
        organ = place.name + organ[len(tier):]
    if "人民政府" not in organ:
        for pattern, repl in rules()["expand"].items():
            if re.search(pattern, organ):
                organ = re.sub(pattern, repl, organ)
                break
    # The government of a district of 北京, 上海, 天津 or 重庆 is named with its city
    # (北京市东城区人民政府): so is one read from 东城区政府 or 区政府.
    if (place and organ != written and place.level == "county" and place.city == place.province
            and organ.startswith(place.name) and organ.endswith("人民政府")):
        organ = place.province + organ
    return organ


def level(organ: str, place: places.Place | None, tier: str = "") -> str:
    """The tier of the organ's government: 国家 for a ministry, 乡 for a township or street
    whatever place above it is known, else its place's tier or, with no place, the tier its
    name or the report's words (``tier``: 我市 → 市) give."""
    if organ and is_national(organ):
        return "国家"
    if organ and re.search(rules()["township"], organ):
        return "乡"
    anonymised = re.match(rules()["anonymised"], organ) if organ else None
    tier = anonymised["tier"] if anonymised else (relative(organ) if organ else "") or tier
    if TIER_LEVEL.get(tier) == "乡" or place is None:
        return TIER_LEVEL.get(tier, "")
    return {"province": "省", "city": "市", "county": "县"}[place.level]


def organ_type(organ: str) -> str:
    """政府, 办公厅, 部门 or 其他, by the rules of ``data/organs.yml``."""
    for kind, pattern in rules()["organ_type"].items():
        if organ and re.search(pattern, organ):
            return kind
    return "其他"
