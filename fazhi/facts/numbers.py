"""Numbers as reports write them: Arabic (11,224 · 94.13), Chinese (三批, 二十六, 两万),
mixed (56.9万, 3万余, 1.2亿, 413萬), percentages (100%, 百分之九十), percentage points
(1.02个百分点), ranges (3至5个) and the qualifiers around them (约, 近, 余, 以上 make a figure
approximate; 累计, 共, 达到 only stress it). An approximate figure is either an estimate (约,
近, 左右) or a bound: ``bound`` is ``≥`` for a lower bound (以上, 超过, 不少于, 600余项) and
``≤`` for an upper one (以内, 不超过, 不足).

What is *not* a number here — years (ROC years too), dates, document and index numbers,
session names, versions, ordinals, list sizes, multi-year spans (五年来, 连续3年), slogans
and names that contain digits, redacted figures — is listed, with the reasons, in
``fazhi/data/numbers_not_facts.yml``, as is the one ordinal that counts: a rank written in
digits (位居全国第28位); the measure words that may follow a number are in
``numbers_units.txt`` and the qualifiers in ``numbers_qualifiers.yml``.

Conventions
-----------
- A magnitude multiplies: 413万件 → 4,130,000 件, 56.9万 → 569,000.
- Money is kept in 万元 whenever it is written with 万 or 亿 (5000万元 → 5000 万元,
  1.2亿元 → 12000 万元); plain 元 stays 元.
- A range keeps its lower bound as ``value`` and its upper bound as ``high``; it is
  approximate, with qualifier ``区间``.
- A fraction (三分之一, 1/4) is a percentage (33.33 %, 25 %).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .._resources import data_path, read_list
from .._text import CJK, CN_DIGITS, YEAR_ONLY_ZEROS
from ..corpus.normalize import t2s_converter

_CN_DIGITS = "".join(c for c in CN_DIGITS if c not in YEAR_ONLY_ZEROS)
_CN_CHARS = _CN_DIGITS + "十百千万亿拾佰仟萬億"
# cn2an reads 简体 financial and ordinary numerals only.
_CN_FOLD = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "貳": "贰", "參": "叁",
                          "陸": "陆", "〇": "零", "．": "."})
_MAGNITUDE = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "萬": 10_000,
              "亿": 100_000_000, "億": 100_000_000}
_MONEY = {"元", "美元"}
_RANGE = "区间"
_HAN = re.compile(f"[{CJK}]")
_LATIN = re.compile(r"[A-Za-z]")
_RANK_TAIL = re.compile(r"\d+\s*[位名]$")

_AR = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:[.．]\d+)?"
# 千米, 千克, 千瓦 and 百分点 are units, not magnitudes.
_MAG = r"(?:(?:十|百(?!分)|千(?![米克瓦]))[万萬亿億]?|[万萬][亿億]?|[亿億])"
_CN = (rf"(?:(?=[{_CN_CHARS}]*[{_CN_DIGITS}十拾])(?![一壹](?![{_CN_CHARS}]))[{_CN_CHARS}]+"
       rf"(?:点[{_CN_DIGITS}]+)?|[百千万亿](?=[余多]))")


@dataclass(frozen=True)
class ParsedNumber:
    """One number as written, with its reading.

    Attributes
    ----------
    value : the number (lower bound of a range); magnitudes applied.
    unit : measure word, 简体 (``%``, ``个百分点``, ``件``, ``万元`` …), or ``""``.
    qualifier : the word that qualifies it (``约``, ``余``, ``累计``, ``区间`` …) or ``""``.
    approx : whether the qualifier makes the figure approximate (not an exact figure).
    start, end : span of the number as written (qualifier and unit included).
    text : the number as written, ``source[start:end]``.
    high : upper bound of a range, else ``None``.
    bound : ``≥`` when the true value is at least ``value`` (15%以上, 超过90%, 600余项),
        ``≤`` when it is at most (以内, 不超过, 不足), ``""`` for an exact figure, an
        estimate (约, 近, 左右) or a range.
    """

    value: float
    unit: str
    qualifier: str
    approx: bool
    start: int
    end: int
    text: str
    high: float | None = None
    bound: str = ""


def _words(items: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def _simplify(text: str) -> str:
    return t2s_converter().convert(text)


@dataclass(frozen=True)
class _Rules:
    number: re.Pattern[str]
    blocked: re.Pattern[str]
    ranks: re.Pattern[str]
    named_lists: re.Pattern[str]
    quoted: re.Pattern[str]
    approx: frozenset[str]
    hotlines: frozenset[str]
    bounds: dict[str, str]


def _read_lines(name: str) -> list[str]:
    return read_list(data_path(name))


@lru_cache(maxsize=1)
def units() -> tuple[str, ...]:
    """The measure words and units a number may carry (``numbers_units.txt``), 简体.

    Examples
    --------
    >>> "个百分点" in units() and "万元" in units()
    True
    """
    return tuple(_read_lines("numbers_units.txt"))


@lru_cache(maxsize=1)
def _qualifier_spec() -> dict:
    """``numbers_qualifiers.yml``, read once for the number pattern and the running-total
    rule."""
    return yaml.safe_load(data_path("numbers_qualifiers.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    words = sorted({*units(), *(_s2t().convert(u) for u in units()), "％"}, key=len, reverse=True)
    unit_re = "|".join(re.escape(u) for u in words)
    q = _qualifier_spec()
    approx = frozenset([*q["before_approx"], *q["inside_approx"], *q["after_approx"], _RANGE])
    bounds = {**{w: "≥" for w in q["lower_bound"]}, **{w: "≤" for w in q["upper_bound"]}}
    # parse_number also reads 繁體 as written: 600餘項, 約3000人, 達到100%
    q = {k: sorted({*v, *(_s2t().convert(w) for w in v)}) for k, v in q.items()
         if isinstance(v, list)}
    # 最近, 附近 are not 近; 公共 is not 共; 送达, 下达 are not 达; 节约, 制约 are not 约.
    guards = {"近": "最附将接", "共": "公", "达": "到送下传表抵发直通转",
              "约": "制节签预邀公条契合履违特婚"}

    def words(items: list[str]) -> str:
        return "|".join(
            rf"(?<![{guards[_simplify(w)]}]){re.escape(w)}" if _simplify(w) in guards
            else re.escape(w) for w in sorted(items, key=len, reverse=True))

    # 约为80%, 约有300件, 超过了90%: a linking verb may stand between an approximate
    # qualifier and its number; an emphasis word (共, 达到) only stresses and takes none.
    link = _words(q["link"])
    before = (rf"(?:{words(q['before_approx'])})(?P<link>{link})?"
              rf"|{words(q['before_exact'])}")
    after = _words(q["after_approx"]).replace("多", rf"多(?![{CJK}])|多(?=时间|的)")
    one = rf"(?:{_AR}(?:{_MAG})?|{_CN})"
    # A lookahead on the possible first characters lets the engine skip the rest of the
    # text quickly: the alternations below have no literal prefix of their own.
    first = "".join(sorted({w[0] for w in q["before_approx"] + q["before_exact"]}))
    number = re.compile(
        rf"(?=[\d{_CN_CHARS}{first}])"
        # 接近2017年的2倍: the comparison base sits between qualifier and number
        rf"(?:(?P<pre>{before})(?P<base>(?:上年|去年|(?:19|20)\d{{2}}年)(?:同期)?的)?[ \u3000]?)?"
        rf"(?:百分之(?P<pct>{_AR}|[{_CN_CHARS}]+(?:点[{_CN_DIGITS}]+)?)"
        rf"|(?P<den>{_AR}|[{_CN_CHARS}]+)分之(?P<num>{_AR}|[{_CN_CHARS}]+)"
        # 1/4左右: a share written with a slash is one value, not 1 and 4
        rf"|(?<![\d/.])(?P<snum>\d{{1,3}})\s*/\s*(?P<sden>\d{{1,3}})(?![\d/.])"
        rf"|(?P<ar>{_AR})(?P<mag>{_MAG})?"
        rf"|(?P<cn>{_CN}))"
        # 10余万件, 十余万人: the magnitude may follow 余
        rf"(?:(?P<inside>{_words(q['inside_approx'])})(?P<mag2>{_MAG})?)?"
        rf"(?:(?P<lopct>[%％])?\s*(?P<sep>[至到~～\-－—–])\s*(?P<hi>{one}))?"
        # PDF text often has a space between digits and characters: 共 12 件
        rf"(?:[ \u3000]?(?P<unit>{unit_re}))?"
        rf"(?P<post>{after}(?![额額]))?")
    nf = yaml.safe_load(data_path("numbers_not_facts.yml").read_text(encoding="utf-8"))
    starts = "".join(sorted({*nf["starts"], *(w[0] for w in nf["phrases"])}))
    after_number = "|".join(f"(?:{p})" for p in nf["after_number"])
    blocked = re.compile(rf"(?=[\d\s{_CN_CHARS}{re.escape(starts)}])(?:"
                         + "|".join([*(f"(?:{p})" for p in nf["patterns"]),
                                     rf"[{_CN_CHARS}\d.]+\s*(?:{after_number})",
                                     _words(nf["phrases"])]) + ")", re.M)
    quoted = re.compile(r"[“\"「『‘][^“”\"「」『』‘’\n]{1,20}[”\"」』’]")
    ranks = re.compile("|".join(f"(?:{p})" for p in nf["ranks"]))
    named_lists = re.compile(nf["named_lists"])
    return _Rules(number, blocked, ranks, named_lists, quoted, approx,
                  frozenset(str(h) for h in nf["hotlines"]), bounds)


@lru_cache(maxsize=4096)
def chinese_to_float(text: str) -> float | None:
    """Value of a Chinese numeral (二十六, 两万, 三点五), or ``None`` if it is not one.

    Examples
    --------
    >>> chinese_to_float("两万"), chinese_to_float("二十六"), chinese_to_float("三八")
    (20000.0, 26.0, None)
    """
    import cn2an

    folded = text.translate(_CN_FOLD)
    if folded in _MAGNITUDE:  # 百余人, 千余件
        return float(_MAGNITUDE[folded])
    if len(folded) > 1 and not any(ch in _MAGNITUDE or ch in "拾佰仟点" for ch in folded):
        return None  # 三五年 is "three to five years", not 35; 二〇二〇 is a year
    try:
        return float(cn2an.cn2an(folded, "normal"))
    except (ValueError, KeyError, IndexError):
        return None


def _arabic(text: str, magnitude: str | None = None) -> float:
    value = float(text.replace(",", "").replace("．", "."))
    for ch in magnitude or "":
        value *= _MAGNITUDE[ch]
    return value


def _one(text: str) -> float | None:
    m = re.fullmatch(rf"({_AR})({_MAG})?", text)
    return _arabic(m[1], m[2]) if m else chinese_to_float(text)


@lru_cache(maxsize=512)
def _unit(raw: str) -> str:
    unit = _simplify(raw).replace("％", "%")
    return "个百分点" if unit == "百分点" else unit


def _value(m: re.Match[str]) -> tuple[float | None, str, str]:
    """Value, unit and the magnitude as written, or ``None`` when it does not parse."""
    unit = _unit(m["unit"] or m["lopct"] or "")
    if m["pct"] is not None:
        return _one(m["pct"]), "%", ""
    if m["den"] is not None or m["snum"] is not None:
        den, num = ((_one(m["den"]), _one(m["num"])) if m["den"] is not None
                    else (float(m["sden"]), float(m["snum"])))
        if not den or num is None or num > den:
            return None, "", ""
        return round(100 * num / den, 2), "%", ""
    mag2 = m["mag2"] or ""
    if m["ar"] is not None:
        magnitude = (m["mag"] or "") + mag2
        return _arabic(m["ar"], magnitude), unit, magnitude
    value = chinese_to_float(m["cn"])
    if value is not None and mag2:
        value = _arabic("1", mag2) * value
    return value, unit, "".join(ch for ch in m["cn"] + mag2 if ch in "万萬亿億")


def _is_name(m: re.Match[str], text: str, inside_quote: bool) -> bool:
    """Digits that name something rather than count it (12345热线, 深圳90, IPv6, 5G)."""
    start, end = m.start("ar") if m["ar"] else m.start(), m.end()
    if start and _LATIN.match(text[start - 1]):
        return True
    if m["cn"] is not None and inside_quote:
        return True
    if m["unit"] or m["pct"] is not None or m["den"] is not None or m["snum"] is not None:
        return False
    if m["cn"] is not None or inside_quote:
        return True
    after = text[end:end + 1]
    return bool(after and (_HAN.match(after) or _LATIN.match(after)))


def _overlaps(spans: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, ends = spans
    i = bisect_right(ends, start)
    return i < len(starts) and starts[i] < end


def _spans(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    found = [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
    return [s for s, _ in found], [e for _, e in found]


def _rank_spans(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    # Only the rank itself is exempt, not a year that stands between 位居 and 第.
    found = [(m.start() + r.start(), m.end()) for m in pattern.finditer(text)
             if (r := _RANK_TAIL.search(m.group()))]
    return [s for s, _ in found], [e for _, e in found]


def _named_list_spans(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    found = []
    for m in pattern.finditer(text):
        sentence = text[max(0, m.start() - 80):m.start()]
        sentence = re.split(r"[。！？!?；;\n]", sentence)[-1]
        # the items end with the noun: …述法责任制、…普法责任制”等两项责任制 (the pattern
        # may take one character too many: 等2项机制在…)
        nouns = "|".join(map(re.escape, {m["noun"], m["noun"][:2]}))
        if re.search(rf"(?:{nouns})[”\"」』]?(?:[、,，和及与]|$)", sentence):
            found.append((m.start(), m.start("noun")))
    return [s for s, _ in found], [e for _, e in found]


def _qualifier(m: re.Match[str], approx_words: frozenset[str]) -> tuple[str, bool]:
    pre = m["pre"][:len(m["pre"]) - len(m["link"] or "")] if m["pre"] else None
    words = [w for w in (pre, m["inside"], m["post"]) if w]
    if m["hi"] is not None:
        words.insert(0, _RANGE)
    words = [_simplify(w) for w in words]
    for w in words:
        if w in approx_words:
            return w, True
    return (words[0], False) if words else ("", False)


def _parse(m: re.Match[str], text: str, rules: _Rules) -> ParsedNumber | None:
    value, unit, magnitude = _value(m)
    if value is None:
        return None
    if unit == "年" and value >= 1000:  # a year written without a blocked pattern
        return None
    if unit in _MONEY and magnitude:
        value, unit = value / 10_000, "万" + unit
    elif unit in ("亿元", "億元"):
        value, unit = value * 10_000, "万元"
    high = None
    if m["hi"] is not None:
        high = _one(m["hi"])
        if high is None or high < value:
            return None
    qualifier, approx = _qualifier(m, rules.approx)
    bound = rules.bounds.get(qualifier, "") if approx else ""
    # 接近2017年的2倍: the figure as written starts at the qualifier, after the year
    start = m.end("base") if m["base"] else m.start()
    return ParsedNumber(value, unit, qualifier, approx, start, m.end(), text[start:m.end()], high,
                        bound)


@lru_cache(maxsize=1)
def running_rules() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words that make a figure a running total (累计) and those that date it to the
    year instead (全年, 2022年 …), from ``numbers_qualifiers.yml``."""
    q = _qualifier_spec()
    return re.compile(q["running"]), re.compile(q["running_not"])


def is_running(clause: str, sentence: str) -> bool:
    """Whether a figure is a running total: 累计 in its ``clause``, and the ``sentence``
    before the figure does not date it to the year.

    Examples
    --------
    >>> is_running("累计进驻事项", "推进251项事项进驻市政务服务中心,累计进驻事项")
    True
    >>> is_running("累计处理网民有效留言", "2022年市政府门户网站累计处理网民有效留言")
    False
    >>> is_running("累计办理", "截至2022年底,累计办理")
    True
    """
    running, annual = running_rules()
    return bool(running.search(clause)) and not annual.search(sentence)


def find_numbers(text: str) -> list[ParsedNumber]:
    """Every quantitative number in ``text``, in order, with spans into ``text``.

    Years, dates, document numbers, session names, versions, ordinals and names that
    contain digits are left out (see the module docstring).

    Examples
    --------
    >>> [(n.value, n.unit, n.approx) for n in find_numbers("承接事项600余項,办复率达到100%。")]
    [(600.0, '项', True), (100.0, '%', False)]
    >>> find_numbers("根据《汕尾市2022年全面依法治市工作要点》(汕法治办〔2022〕39号)")
    []
    """
    rules = _rules()
    blocked = _spans(rules.blocked, text)
    ranks = _rank_spans(rules.ranks, text)
    lists = _named_list_spans(rules.named_lists, text)
    quotes = _spans(rules.quoted, text)
    found = []
    for m in rules.number.finditer(text):
        # where the digits start: the first of these groups that took part (start ≥ 0)
        core = m.start("pct") - 3 if m["pct"] is not None else max(
            m.start("den"), m.start("snum"), m.start("ar"), m.start("cn"))
        if _overlaps(blocked, core, m.end()) and not _overlaps(ranks, core, m.end()):
            continue
        if _overlaps(lists, core, m.end()):
            continue
        in_quote = _overlaps(quotes, core, m.end())
        if _is_name(m, text, in_quote):
            continue
        if m["ar"] and not m["mag"] and m["unit"] is None and m["ar"] in rules.hotlines:
            continue
        parsed = _parse(m, text, rules)
        if parsed is not None:
            found.append(parsed)
    return found


def parse_number(text: str) -> ParsedNumber | None:
    """The first quantitative number in ``text``, or ``None``.

    Parameters
    ----------
    text : str
        A phrase or sentence (简体 or 繁體).

    Returns
    -------
    ParsedNumber or None
        ``value``, ``unit``, ``qualifier``, ``approx`` and the span ``start:end``.

    Examples
    --------
    >>> parse_number("累计受理413萬件")
    ParsedNumber(value=4130000.0, unit='件', qualifier='', approx=False, start=4, end=9, text='413萬件', high=None, bound='')
    >>> parse_number("满意度提高了1.02個百分點").unit
    '个百分点'
    >>> parse_number("2020年") is None
    True
    """
    found = find_numbers(text)
    return found[0] if found else None
