"""Character classes every stage shares, defined once.

``CJK`` is the body of a regex character class (use it as ``f"[{CJK}]"``): the CJK Unified
Ideographs, Extension A and the Compatibility Ideographs — every Han character a report can
hold before or after normalisation (NFKC folds the compatibility forms into the unified
ones, so normalised text only meets the first two ranges).

``CN_DIGITS`` maps each Chinese digit to its value: ordinary (一 … 九, 〇 零 两), financial
(壹 … 玖), their 繁體 forms, and the circle and the full-width letter O that reports write for
〇 in years (二○二○年, 二Ｏ二Ｏ年) — those two only ever in years (:data:`YEAR_ONLY_ZEROS`),
so number extraction leaves them out.
"""

from __future__ import annotations

#: Han characters, as the body of a regex character class.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

#: Zeros written only in years: a circle and a full-width O are not numerals elsewhere.
YEAR_ONLY_ZEROS = "○Ｏ"

#: Chinese digit → value.
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
