"""Synthetic corpora for the benchmarks: N distinct reports recombined from the bundled seeds.

Every report is built from the seeds' own sentences so that vocabulary, paragraph lengths and
headings are real, yet no two reports share a text, nor (but for ~0.01 %) a paragraph (no cache can cheat) and metadata
inference has the same work to do as on scraped reports:

- a real place from the administrative-division table (:mod:`fazhi.corpus.places`) at province,
  prefecture or county level, and an issuing organ there (人民政府, 办公室, 司法局…);
- the seeds' place names replaced by that place's, the years shifted to the report's year,
  and every other number varied;
- sections in the seeds' order and wording (举措和成效 / 问题 / 第一责任人 / 计划), blocks of
  paragraphs drawn from the seeds' sections of the same kind and renumbered;
- in every paragraph (every 一是…二是… item) one sentence of the report's own, with its organ,
  place and figures, so that ≥ 99 % of the paragraphs are distinct (``run.py`` measures the
  share on every corpus it loads);
- the title line present or not, the signature block (organ + date, Arabic or Chinese
  numerals), web-page furniture (breadcrumbs, 信息来源, 信息提供日期, 扫一扫) on a share of
  reports, some saved as HTML, some in 繁體, some encoded in GB18030.

The generator is deterministic: report ``i`` depends only on ``(seed, i)``, so the 1,000
report corpus is the first thousand of the 10,000 one. ``truth.csv`` beside the reports holds
the place, organ, year and date each report was built with (not a sidecar: load_corpus
only reads ``metadata.csv``).

Usage: ``.venv/bin/python benchmarks/synth.py N OUT_DIR [--seed S]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fazhi._resources import seeds_dir
from fazhi.corpus import places
from fazhi.corpus.metadata import infer_metadata
from fazhi.corpus.normalize import normalize_text
from fazhi.corpus.structure import heading_level, section_kind

GENERATOR_VERSION = 2
_CN = "一二三四五六七八九十"
_CN_YEAR_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
_LEADING_NUMBER = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
# A year is shifted; any other number is varied. 2021—2025 style ranges are plan periods: kept.
_NUMBER = re.compile(r"(?<![\d.—–-])(\d+(?:\.\d+)?)(?![\d—–-])(%?)")
_YEAR = re.compile(r"(?:19|20)\d{2}")

SUFFIXES = {
    "province": ["人民政府", "人民政府办公厅", "司法厅", "公安厅", "生态环境厅", "自然资源厅"],
    "city": ["人民政府", "人民政府办公室", "司法局", "公安局", "生态环境局",
             "政务服务数据管理局", "市场监督管理局", "自然资源局"],
}
SUFFIXES["county"] = SUFFIXES["city"]
HEADINGS = {
    "成效": ["{year}年推进法治政府建设的主要举措和成效", "主要工作及成效", "工作开展情况",
             "主要举措及成效"],
    "问题": ["存在问题", "存在的问题和不足", "存在的不足和原因"],
    "责任": ["党政主要负责人履行推进法治建设第一责任人职责情况"],
    "计划": ["{next}年工作打算", "下一步工作计划", "{next}年度工作计划", "下一步工作思路"],
}
# The seeds have no section of their own on the leaders' duty: its paragraphs follow the
# wording of the reports that do.
DUTY = [
    "{organ}主要负责人认真履行推进法治建设第一责任人职责,全年召开党组会议{a}次专题研究法治政府建设,"
    "亲自部署重要工作、亲自过问重大问题、亲自协调重点环节、亲自督办重要任务。",
    "坚持领导干部带头尊法学法守法用法,组织党组理论学习中心组专题学法{b}次,"
    "将法治建设情况纳入年度述职述廉内容,层层压实法治建设责任。",
    "把法治政府建设纳入{place}经济社会发展总体规划和年度工作计划,与业务工作同部署、同推进、同督促、同考核,"
    "全年听取法治建设工作汇报{c}次,解决重点难点问题{d}个。",
]
# A body paragraph is given one sentence of the report's own (organ, place, figures): the
# seeds hold a few hundred paragraphs, many without a number, so recombined reports would
# otherwise repeat whole paragraphs, and a tool that segments each distinct paragraph once
# would be timed on half the text its baseline segments. These keep ≥ 99 % of paragraphs
# distinct (measured by run.py on every corpus).
DETAILS = [
    "{organ}全年共办理相关事项{a}件,按期办结率{p}%。",
    "{place}各级各部门围绕这项工作开展专项检查{a}次,发现并整改问题{b}个。",
    "全年组织相关培训{a}场次,参训人员{b}人次。",
    "{organ}对照年度任务清单逐项推进,{a}项重点任务已完成{b}项。",
    "在{place}范围内公开相关信息{a}条,收集群众意见建议{b}条,采纳{c}条。",
    "截至{year}年底,{place}已建成相关工作站点{a}个,覆盖率达到{p}%。",
]
_SENTENCE = re.compile(r"(?<=[。;；!！?？])")
_ITEM_START = re.compile(r"(?<=[。;；!！])(?=[一二三四五六七八九十]{1,3}是)")


@dataclass(frozen=True)
class _Seed:
    place: places.Place
    year: int
    opening: str
    blocks: dict[str, list[list[str]]]


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市",
                   "地区", "盟", "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _seed_blocks(lines: list[str], skip: set[int]) -> tuple[str, dict[str, list[list[str]]]]:
    """The opening line and the blocks (a sub-heading with its paragraphs) of each kind."""
    opening, kind = "", ""
    blocks: dict[str, list[list[str]]] = {}
    current: list[str] | None = None
    for i, line in enumerate(lines):
        if i in skip:
            continue
        level = heading_level(line)
        if level == 1:
            kind, current = section_kind([line]), None
        elif not kind:
            opening = opening or line
        elif level == 2 or current is None:
            current = [line]
            blocks.setdefault(kind, []).append(current)
        else:
            current.append(line)
    return opening, blocks


@lru_cache(maxsize=1)
def seeds() -> tuple[_Seed, ...]:
    """The seeds, normalised and cut into an opening and blocks of each section kind."""
    out = []
    for path in sorted(seeds_dir().glob("*.txt")):
        norm = normalize_text(path.read_text(encoding="utf-8"))
        meta = infer_metadata(norm)
        place = next(p for p in places.lookup(meta.place))
        opening, blocks = _seed_blocks(norm.text.split("\n"), meta.skip)
        out.append(_Seed(place, int(meta.year), opening, blocks))
    return tuple(out)


@lru_cache(maxsize=1)
def _place_names() -> dict[str, list[str]]:
    table = places._table()
    return {level: sorted(set(table.loc[table["level"] == level, "name"]))
            for level in ("province", "city", "county")}


def _pick_place(rng: random.Random) -> places.Place:
    level = rng.choices(["province", "city", "county"], weights=[1, 4, 5])[0]
    name = rng.choice(_place_names()[level])
    return rng.choice([p for p in places.lookup(name) if p.level == level])


def _renames(seed: places.Place, new: places.Place) -> list[tuple[str, str]]:
    """Seed place spellings → the new report's, longest first (汕尾市 before 汕尾)."""
    own = {"county": seed.county, "city": seed.city, "province": seed.province}[seed.level]
    pairs = {own: new.name, _short(own): _short(new.name)}
    if seed.level == "county":
        parent = new.city or new.province
        pairs.update({seed.city: parent, _short(seed.city): _short(parent)})
    pairs.update({seed.province: new.province, _short(seed.province): _short(new.province)})
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def _vary(text: str, rng: random.Random, shift: int, renames: list[tuple[str, str]]) -> str:
    for old, new in renames:
        text = text.replace(old, new)

    def number(m: re.Match[str]) -> str:
        value, percent = m.group(1), m.group(2)
        if _YEAR.fullmatch(value) and not percent:
            return str(int(value) + shift)
        x = float(value) * rng.uniform(0.6, 1.4)
        if percent:
            x = min(x, 100.0)
        if "." in value:
            return f"{x:.{len(value.split('.')[1])}f}{percent}"
        return f"{max(1, round(x))}{percent}"

    return _NUMBER.sub(number, text)


def _own_sentence(line: str, rng: random.Random, organ: str, place: str, year: int) -> str:
    """A body line with a sentence of the report's own in each of its 一是…二是… items (the
    loader splits a paragraph there), after the item's first sentence: an inline sub-heading
    stands before it. A heading line without text of its own is left as it is."""
    if heading_level(line) is not None and not _heading_text_follows(line):
        return line
    out = []
    for item in _ITEM_START.split(line):
        parts = [x for x in _SENTENCE.split(item) if x]
        a = rng.randint(3, 400)
        extra = rng.choice(DETAILS).format(organ=organ, place=place, year=year, a=a,
                                           b=rng.randint(1, a), c=rng.randint(1, 60),
                                           p=f"{rng.uniform(80, 100):.1f}")
        parts.insert(min(1, len(parts)) if len(parts) > 1 else len(parts), extra)
        out.append("".join(parts))
    return "".join(out)


def _heading_text_follows(line: str) -> bool:
    # "(一)着力推进改革。市政府办公室…": a sub-heading with its paragraph on the same line.
    head = _SENTENCE.split(line, maxsplit=1)
    return len(head) == 2 and len(head[1]) > 10


def _renumber(block: list[str], n: int) -> list[str]:
    head = _LEADING_NUMBER.sub(f"({_CN[n]})", block[0], count=1)
    return [head, *block[1:]]


def _date(year: int, rng: random.Random, chinese: bool) -> tuple[str, str]:
    """Signing date a few weeks either side of the new year (reports are due in Q1)."""
    signed_year, month = rng.choice([(year, 12), (year + 1, 1), (year + 1, 2), (year + 1, 3)])
    day = rng.randint(1, 28)
    iso = f"{signed_year:04d}-{month:02d}-{day:02d}"
    if chinese:
        cn = str(signed_year).translate(_CN_YEAR_DIGITS)
        return f"{cn}年{_cn_number(month)}月{_cn_number(day)}日", iso
    return f"{signed_year}年{month}月{day}日", iso


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[units - 1] if units else "")


def report(i: int, seed: int = 0) -> tuple[dict, list[str]]:
    """Report number ``i``: its ground truth and its lines (body, title and signature).

    Examples
    --------
    >>> truth, lines = report(0)
    >>> truth["organ"], truth["city"], truth["year"], truth["date"]
    ('萨迦县生态环境局', '日喀则市', 2019, '2020-02-18')
    >>> lines[0]
    '萨迦县生态环境局2019年度法治政府建设情况报告'
    """
    rng = random.Random(f"{seed}:{i}")
    pool = seeds()
    place = _pick_place(rng)
    organ = place.name + rng.choice(SUFFIXES[place.level])
    year = rng.randint(2018, 2023)
    date_text, iso = _date(year, rng, chinese=rng.random() < 0.1)
    base = rng.choice(pool)
    lines = [_own_sentence(_vary(base.opening, rng, year - base.year,
                                 _renames(base.place, place)), rng, organ, place.name, year)]
    counts = {"成效": rng.randint(3, 7), "问题": rng.randint(1, 3),
              "责任": rng.randint(0, 1), "计划": rng.randint(2, 5)}
    number = 0
    for kind, n_blocks in counts.items():
        if not n_blocks:
            continue
        heading = rng.choice(HEADINGS[kind]).format(year=year, next=year + 1)
        lines.append(f"{_CN[number]}、{heading}")
        number += 1
        if kind == "责任":
            lines += [_own_sentence(p.format(organ=organ, place=place.name, a=rng.randint(3, 15),
                                             b=rng.randint(2, 12), c=rng.randint(2, 8),
                                             d=rng.randint(3, 30)), rng, organ, place.name, year)
                      for p in DUTY]
            continue
        for k in range(n_blocks):
            source = rng.choice([s for s in pool if s.blocks.get(kind)])
            block = rng.choice(source.blocks[kind])
            renames = _renames(source.place, place)
            varied = _renumber([_vary(x, rng, year - source.year, renames) for x in block], k)
            lines += [_own_sentence(x, rng, organ, place.name, year) for x in varied]
    layout = rng.choices(["plain", "titled", "web"], weights=[3, 4, 3])[0]
    title = f"{organ}{year}年度法治政府建设情况报告"
    if layout == "titled":
        lines = [title, *lines, organ, date_text]
    elif layout == "plain":
        lines = [*lines, organ, date_text]
    else:
        lines = ["您现在的位置 首页 > 政务公开 > 法治政府建设", title,
                 f"信息来源:{organ} 信息提供日期:{iso} {rng.randint(8, 18)}:{rng.randint(10, 59)} "
                 "【字体: 大 中 小】 视力保护色:", *lines]
        if rng.random() < 0.5:
            lines += [organ, date_text]
        lines.append("扫一扫在手机打开当前页")
    truth = {"file": "", "organ": organ, "province": place.province, "city": place.city,
             "county": place.county, "place": place.name, "year": year, "date": iso,
             "layout": layout}
    return truth, lines


def _html(lines: list[str], title: str) -> str:
    body = "\n".join(f"<p>{line}</p>" for line in lines)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>"
            "<body><div class=\"nav\">首页 | 政务公开 | 法治政府建设</div>"
            f"<div class=\"TRS_Editor\">\n{body}\n</div>"
            "<div class=\"footer\">版权所有 网站标识码</div></body></html>\n")


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def write_report(i: int, out_dir: Path, seed: int = 0) -> dict:
    """Write report ``i`` into ``out_dir``; return its truth row (with ``file``)."""
    truth, lines = report(i, seed)
    rng = random.Random(f"{seed}:{i}:file")
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.1:
        text = _s2t().convert(text)
    if truth["layout"] == "web" and rng.random() < 0.3:
        name, data = f"report_{i:05d}.html", _html(lines, truth["organ"]).encode("utf-8")
    elif rng.random() < 0.1:
        name, data = f"report_{i:05d}.txt", text.encode("gb18030")
    else:
        name, data = f"report_{i:05d}.txt", text.encode("utf-8")
    (out_dir / name).write_bytes(data)
    truth["file"] = name
    return truth


def build_corpus(n: int, out_dir: str | Path, seed: int = 0) -> Path:
    """Write ``n`` synthetic reports and ``truth.csv`` into ``out_dir``; reuse it when a
    previous call with the same ``n`` and ``seed`` completed there.

    Examples
    --------
    >>> import tempfile
    >>> folder = build_corpus(3, tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())
    ['report_00000.txt', 'report_00001.txt', 'report_00002.txt', 'synth.json', 'truth.csv']
    """
    out = Path(out_dir)
    manifest = out / "synth.json"
    wanted = {"n": n, "seed": seed, "version": GENERATOR_VERSION}
    if manifest.is_file() and json.loads(manifest.read_text()) == wanted:
        return out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("report_*"):
        old.unlink()
    manifest.unlink(missing_ok=True)
    rows = [write_report(i, out, seed) for i in range(n)]
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    manifest.write_text(json.dumps(wanted))
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = build_corpus(args.n, args.out_dir, args.seed)
    size = sum(p.stat().st_size for p in folder.glob("report_*"))
    print(f"{args.n} reports, {size / 1e6:.1f} MB in {folder}")


if __name__ == "__main__":
    main(sys.argv[1:])
