"""Labels: the phrase a number measures (办复率, 发布各类信息, 12345热线工单), cut out of the
text around the number by the steps described in ``fazhi/data/indicators_label_rules.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .._resources import data_path
from .._text import CJK

_NOT_HAN_EDGE = re.compile(rf"^[^{CJK}\w]+|[^{CJK}\w]+$")
_PLACE_WORD = re.compile(r"(?:全|各|本|我)[市县区省镇乡级]?")


@dataclass(frozen=True)
class LabelRules:
    """The compiled label rules (see ``indicators_label_rules.yml``). ``change_to``,
    ``change_only`` and ``change_from`` recognise 由A提升到B and 较上年提高N个百分点."""

    breaks: re.Pattern[str]
    remove: re.Pattern[str]
    leading: re.Pattern[str]
    trailing: re.Pattern[str]
    verbs: re.Pattern[str]
    verb_end: re.Pattern[str]
    not_noun: re.Pattern[str]
    change_to: re.Pattern[str]
    change_only: re.Pattern[str]
    change_from: re.Pattern[str]
    noun_stop: re.Pattern[str]
    max_noun: int
    max_label: int


@lru_cache(maxsize=1)
def label_rules() -> LabelRules:
    """The shipped label rules, compiled once."""
    spec = yaml.safe_load(data_path("indicators_label_rules.yml").read_text(encoding="utf-8"))
    verbs = "|".join(map(re.escape, sorted(spec["verbs"], key=len, reverse=True)))
    change = spec["change_verbs"]
    trailing = [*spec["trailing"], f"(?:{change})(?:至|到)$"]
    return LabelRules(
        re.compile(f"[{re.escape(spec['clause_breaks'])}]"),
        re.compile("|".join(spec["remove"])),
        re.compile("|".join(f"(?:{p})" for p in spec["leading"])),
        re.compile("|".join(f"(?:{p})" for p in trailing)),
        re.compile(verbs),
        re.compile(f"(?:{verbs})$"),
        re.compile(f"(?:{verbs}|{change})"),
        re.compile(f"(?:{change})?了?(?:至|到)(?:(?:19|20)\\d{{2}}年(?:度)?|今年|本年|当年)?的?"),
        re.compile(f"(?:同比|环比)?(?:{change})了?"),
        re.compile(r"[由从](?:上年|去年|上一年|原来|原有|以前|(?:19|20)\d{2}年(?:度)?)?的?$"),
        re.compile(spec["noun_stops"]),
        int(spec["max_noun"]),
        int(spec["max_label"]),
    )


def _strip(text: str, pattern: re.Pattern[str]) -> str:
    while True:
        stripped = pattern.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _noun_after(text: str, rules: LabelRules) -> str:
    noun = rules.noun_stop.split(rules.remove.sub("", text), maxsplit=1)[0][:rules.max_noun]
    noun = _NOT_HAN_EDGE.sub("", noun)
    return "" if rules.not_noun.match(noun) else noun


def own_words(clause: str, joined: bool) -> str:
    """The words of ``clause`` that are its number's own: when the clause follows the
    previous number directly (3件揭阳人大代表建议和10件…), the words before 和 are the
    previous number's."""
    if not joined:
        return clause
    parts = re.split(r"[和及与、+＋]", clause)
    return parts[-1] if len(parts) > 1 else ""


def _head(before: str, joined: bool, rules: LabelRules) -> tuple[str, str]:
    """The clause before the number, cleaned, and the character that ended it raw."""
    head = own_words(rules.breaks.split(before)[-1], joined)
    head = rules.remove.sub("", head)
    last = head.rstrip()[-1:]
    return _strip(_strip(head, rules.leading), rules.trailing), last


def make_label(before: str, after: str = "", joined: bool = False) -> str:
    """The phrase a number measures, from the text before it and the words after it.

    Parameters
    ----------
    before : the text before the number (its clause is used).
    after : the text after the number and its unit (a noun there names what is counted).
    joined : the clause follows the previous number with no break between.

    Examples
    --------
    >>> make_label("普宁市人民政府网站发布各类信息")
    '发布各类信息'
    >>> make_label("所有人大代表建议和政协委员提案均在规定时限内办复,办复率达到")
    '办复率'
    >>> make_label("今年共办理", "揭阳人大代表建议和")
    '办理揭阳人大代表建议'
    """
    rules = label_rules()
    head, last = _head(before, joined, rules)
    noun = _noun_after(after, rules) if after else ""
    verb_end = rules.verb_end.search(head)
    if noun and (last == "的" or last == "、" or not head):
        label = noun if len(noun) >= 2 else head
    elif noun and (verb_end or last == "等"):
        verb = verb_end or rules.verbs.search(head)
        label = (verb.group() if verb else "") + noun
    elif (len(noun) >= 2 and (first := rules.verbs.search(head))
          and _PLACE_WORD.fullmatch(head[first.end():])):  # 组织全市2.3万名国家工作人员参加学法考试
        label = first.group() + noun
    elif len(noun) >= 2 and not rules.verbs.search(head):
        label = head + noun
    else:
        tail = head.rsplit("的", 1)[-1]
        label = tail if len(tail) >= 3 else head
        for m in reversed(list(rules.verbs.finditer(label))):
            if len(label) - m.end() >= 2:
                label = label[m.start():]
                break
    return _NOT_HAN_EDGE.sub("", label)[-rules.max_label:]
