"""Figures in tables written as text rows with ``|`` between cells, as web pages and
statistical annexes print them::

    庆元县2024年度行政许可实施情况统计表
    行政许可实施数量(宗) | ||||
    申请数量 | 受理数量 | 许可数量 |
    26569 | 26569 | 26462 |

A number alone in a cell is measured by its row and column heads, not by the cell beside it:
its *label* is the nearest text cell to its left in the same row (广东 in
``广东 | 31392 | 河北 | 7040``) followed by the head of its column in the nearest row of
heads above (数量). Its *unit*, when the cell has none, comes from the first of: its column
head (``罚没金额(万元)``), a head spanning that column in a row above (``行政许可实施数量(宗)``
over empty cells), or a caption line above the table (``单位:件``). A row of heads is a
row without figures; the caption is one of the two lines before the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .numbers import ParsedNumber, find_numbers, units

_ROW = re.compile(r"^[^\n|]*\|[^\n]*$", re.M)
_RULER = re.compile(r"[\s|:：\-—=+]*")
# a unit at the end of a head or caption: 罚没金额(万元), 合计（件）, 单位:宗, 单位：万元
_HEAD_UNIT = r"(?:[(（]\s*(?:单位\s*[:：]\s*)?(?P<u1>{u})\s*[)）]\s*$|单位\s*[:：]\s*(?P<u2>{u})(?![\u4e00-\u9fff]))"
_DIGIT = re.compile(r"\d")
# a head wrapped onto two lines in the source keeps a space: 没收违法 所得
_WRAPPED = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class TableCell:
    """A figure alone in a table cell: what measures it and in what unit."""

    start: int
    end: int
    label: str
    unit: str
    context: str


@lru_cache(maxsize=1)
def _head_unit() -> re.Pattern[str]:
    words = "|".join(re.escape(u) for u in sorted(units(), key=len, reverse=True))
    return re.compile(_HEAD_UNIT.format(u=words))


def _unit_of(text: str) -> str:
    m = _head_unit().search(text)
    return (m["u1"] or m["u2"]) if m else ""


def _without_unit(head: str) -> str:
    m = _head_unit().search(head)
    return (head[:m.start()] if m else head).strip()


def _cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The cells of one row: (start, end, stripped text), trailing empty cells kept."""
    out, pos = [], start
    for part in text[start:end].split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((pos + lead, pos + len(part.rstrip()), part.strip()))
        pos += len(part) + 1
    while out and not out[-1][2]:
        out.pop()
    return out


def _figure(cell: str, numbers: list[ParsedNumber]) -> ParsedNumber | None:
    """The number a cell holds when it holds nothing else."""
    if len(numbers) == 1 and numbers[0].text.strip() == cell:
        return numbers[0]
    return None


def table_cells(text: str) -> list[TableCell]:
    """Every figure alone in a cell of the ``|`` tables of ``text``, in order.

    Examples
    --------
    >>> text = "单位:件\\n区县 | 受理 | 办结 |\\n城关区 | 35 | 32 |"
    >>> [(c.label, c.unit) for c in table_cells(text)]
    [('城关区受理', '件'), ('城关区办结', '件')]
    """
    found: list[TableCell] = []
    rows = [m for m in _ROW.finditer(text) if not _RULER.fullmatch(m.group())]
    block: list[re.Match[str]] = []
    for m in [*rows, None]:
        if m is not None and (not block or text[block[-1].end():m.start()].strip() == ""):
            block.append(m)
            continue
        if len(block) > 1:
            found.extend(_read_block(text, block))
        block = [m] if m is not None else []
    return found


def _read_block(text: str, block: list[re.Match[str]]) -> list[TableCell]:
    lines = [s.strip() for s in text[:block[0].start()].rstrip("\n").split("\n")[-2:]]
    caption = " ".join(s for s in lines if s)
    caption_unit = next((u for u in map(_unit_of, reversed(lines)) if u), "")
    heads: list[list[tuple[int, int, str]]] = []  # rows of heads above, nearest last
    out: list[TableCell] = []
    for m in block:
        cells = _cells(text, m.start(), m.end())
        figures = [_figure(c, find_numbers(c)) if c else None for _, _, c in cells]
        if not any(figures):
            heads.append(cells)
            continue
        for j, ((start, _, _), num) in enumerate(zip(cells, figures)):
            if num is None:
                continue
            row_head = next((cells[i][2] for i in range(j - 1, -1, -1)
                             if cells[i][2] and figures[i] is None), "")
            column = [h for h in (_head_over(cells, j) for cells in heads) if h]
            own = column[-1] if column else ""
            unit = num.unit or next((u for u in map(_unit_of, reversed(column)) if u),
                                    caption_unit)
            # a column of years (2023年) dates the figure; the row says what it measures
            col_label = "" if _DIGIT.search(own) else _without_unit(own)
            label = row_head + col_label if col_label != row_head else row_head
            label = _WRAPPED.sub("", label)
            out.append(TableCell(start + num.start, start + num.end, label, unit,
                                 " ".join([caption, *column, row_head])))
    return out


def _head_over(cells: list[tuple[int, int, str]], j: int) -> str:
    """The head over column ``j`` in one row of heads: a head spans the empty cells after
    it (``行政许可实施数量(宗) | ||||`` heads every column)."""
    k = min(j, len(cells) - 1)
    while k >= 0 and not cells[k][2]:
        k -= 1
    return cells[k][2] if k >= 0 else ""
