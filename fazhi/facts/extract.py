"""Quantitative facts: every figure a report states, with what it measures (the *label*, as
written, and the canonical *indicator* from ``fazhi/data/indicators.yml``), its value, unit
and qualifier, and its provenance (sentence and character offsets into the document text).

How a label is cut out of the text is described, step by step, in
``fazhi/data/indicators_label_rules.yml``; which numbers count is decided by
:mod:`fazhi.facts.numbers`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from .._cache import KEY, ParquetCache, arrow_texts, cache_root, digest, library_versions, text_keys
from .._compat import renamed
from .._memory import release_memory
from .._parallel import check_workers, imap_in_processes
from .._resources import DATA_DIR, data_path
from ..corpus.model import META_COLUMNS
from ..corpus.normalize import t2s_converter
from ..exceptions import IndicatorDictionaryError, ParameterError
from ..io import SharedRecords, categorical_meta, sorted_categorical, write_csv, write_xlsx
from .about import about_cue, part_cues, part_total, resolve_column
from .labels import label_rules, make_label
from .numbers import find_numbers, is_running
from .tables import table_cells

FACT_COLUMNS = ["doc_id", "indicator", "label", "value", "unit", "qualifier", "approx",
                "bound", "running", "sentence", "start", "end", "high", "fact_id", "about", "part_of", "reviewed"]
#: document metadata joined onto facts extracted from a corpus: the same columns as every
#: other analysis table, so ``by=`` means the same everywhere
JOIN_COLUMNS = META_COLUMNS
_KINDS = ("rate", "count", "any")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_EXACT = re.compile(r"累计|共计|合计|总计|(?<!公)共(?![享同建治产青性识])")
# what a finished text ends with; an excerpt that stops elsewhere may have cut its last figure
_TEXT_END = re.compile(r"[。！？!?；;…”\"’）)】」』|]\s*$")


@dataclass(frozen=True)
class _Rule:
    label: re.Pattern[str]
    not_label: re.Pattern[str] | None
    context: re.Pattern[str] | None
    not_context: re.Pattern[str] | None


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator of the dictionary."""

    name: str
    kind: str
    units: frozenset[str]
    rules: tuple[_Rule, ...]

    def accepts(self, unit: str) -> bool:
        if self.units:
            return unit in self.units
        if self.kind == "rate":
            return unit == "%"
        if self.kind == "count":
            return unit not in ("%", "个百分点")
        return True


def _compile(pattern: Any, where: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(str(pattern))
    except re.error as e:
        raise IndicatorDictionaryError(where, f"pattern {pattern!r} is not a valid regular "
                                              f"expression ({e})") from e


def _dictionary_key(path: str | Path | None) -> tuple[str, int]:
    """The dictionary's path and modification time: an edited file is read again."""
    path = Path(path) if path is not None else data_path("indicators.yml")
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError as e:
        raise IndicatorDictionaryError(path, f"cannot be read ({e})") from e


def load_indicators(path: str | Path | None = None) -> tuple[Indicator, ...]:
    """Read and check an indicator dictionary (default: the shipped ``indicators.yml``).

    Examples
    --------
    >>> names = [i.name for i in load_indicators()]
    >>> "人大代表建议办复率" in names and "负责人出庭应诉率" in names
    True
    """
    return _load_indicators(*_dictionary_key(path))


@lru_cache(maxsize=8)
def _load_indicators(path: str, stamp: int) -> tuple[Indicator, ...]:
    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise IndicatorDictionaryError(path, f"cannot be read as YAML ({e})") from e
    if not isinstance(spec, dict) or not isinstance(spec.get("indicators"), list):
        raise IndicatorDictionaryError(path, "needs a top-level list `indicators:`")
    out = []
    for n, entry in enumerate(spec["indicators"], 1):
        name = entry.get("indicator") if isinstance(entry, dict) else None
        where = f"{path}, indicator {name or n}"
        if not name or not entry.get("rules"):
            raise IndicatorDictionaryError(where, "each indicator needs `indicator:` and `rules:`")
        kind = entry.get("kind", "any")
        if kind not in _KINDS:
            raise IndicatorDictionaryError(where, f"kind {kind!r} is not one of {_KINDS}")
        units = entry.get("units") or []
        if not isinstance(units, list):
            raise IndicatorDictionaryError(where, f"units must be a list such as [件, 条], got {units!r}")
        rules = []
        for r in entry["rules"]:
            if not isinstance(r, dict) or "label" not in r:
                raise IndicatorDictionaryError(where, "each rule needs a `label:` pattern")
            rules.append(_Rule(*(_compile(r.get(k), where)
                                 for k in ("label", "not_label", "context", "not_context"))))
        out.append(Indicator(str(name), kind, frozenset(map(str, units)), tuple(rules)))
    return tuple(out)


def indicator_table(path: str | Path | None = None) -> pd.DataFrame:
    """The dictionary as a table: indicator, kind, units and the label patterns.

    Examples
    --------
    >>> len(indicator_table()) >= 40
    True
    """
    return pd.DataFrame(
        [{"indicator": i.name, "kind": i.kind, "units": " ".join(sorted(i.units)),
          "labels": " ; ".join(r.label.pattern for r in i.rules)} for i in load_indicators(path)])


@lru_cache(maxsize=65536)
def _candidates(label: str, unit: str, key: tuple[str, int]) -> tuple[tuple[str, _Rule], ...]:
    return tuple((ind.name, rule) for ind in _load_indicators(*key) if ind.accepts(unit)
                 for rule in ind.rules
                 if rule.label.search(label) and not (rule.not_label and rule.not_label.search(label)))


def canonical_indicator(label: str, unit: str, context: str = "", wider: str = "",
                        dictionary: str | Path | None = None) -> str:
    """The canonical indicator a label measures, or ``""``.

    ``context`` is the sentence up to the number; ``wider`` adds the sentence before, used
    only when nothing matches on ``context`` alone (全年共受理413万件 after a sentence
    about the 12345 hotline).

    Examples
    --------
    >>> canonical_indicator("办复率", "%", "所有立案提案已按时办结并答复提案人,办复率")
    '政协提案办复率'
    >>> canonical_indicator("发布各类信息", "条")
    '主动公开信息数'
    """
    return _canonical(label, unit, context, wider, _dictionary_key(dictionary))


def _canonical(label: str, unit: str, context: str, wider: str, key: tuple[str, int]) -> str:
    found = _candidates(label, unit, key)
    for text in (context, wider) if wider else (context,):
        for name, rule in found:
            if rule.context and not rule.context.search(text):
                continue
            if rule.not_context and rule.not_context.search(text):
                continue
            return name
    return ""


def _bounds(positions: list[int], start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    i = bisect_left(positions, start)
    left = positions[i - 1] + 1 if i else lo
    j = bisect_right(positions, end - 1)
    right = positions[j] if j < len(positions) else hi
    return max(left, lo), min(right, hi)


def _facts_in(text: str, doc_id: Any, dictionary: tuple[str, int]) -> list[dict]:
    numbers = find_numbers(text)
    if not numbers:
        return []
    rules = label_rules()
    # the fact's id: the document text's digest and the figure's offset, the same in every
    # run and every corpus holding this text
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    stops = [m.start() for m in _SENTENCE_END.finditer(text)]
    cues = part_cues(text)
    breaks = [m.start() for m in rules.breaks.finditer(text)]
    rows: list[dict] = []
    cut = len(text.rstrip()) if not _TEXT_END.search(text) else -1
    cells = {c.start: c for c in table_cells(text)} if "|" in text else {}
    for k, num in enumerate(numbers):
        s0, s1 = _bounds(stops, num.start, num.end, 0, len(text))
        if num.end == cut and s0 > 0:
            # 时限由21个工作日压减至3个 at the end of an excerpt: 3个 may be 3个工作日, or 35
            continue
        if (cell := cells.get(num.start)) is not None:
            rows.append(_table_fact(doc_id, num, cell, text[s0:s1].strip(), dictionary, key))
            continue
        same_sentence = k > 0 and numbers[k - 1].end > s0
        prev_end = numbers[k - 1].end if same_sentence else s0
        next_start = numbers[k + 1].start if k + 1 < len(numbers) else len(text)
        c0, c1 = _bounds(breaks, num.start, num.end, prev_end, min(next_start, s1))
        clause = text[c0:num.start]
        joined = same_sentence and c0 == prev_end
        label = make_label(clause, text[num.end:c1], joined=joined)
        qualifier, unit = num.qualifier, num.unit
        if same_sentence and joined and rules.change_to.fullmatch(clause.strip()):
            # 群众满意率由上年的92.3%提升到96.1%: the second figure is the same measure, and
            # in 由20个工作日压缩至5个 (or 至5) the unit written first stands for both
            label, qualifier = rows[-1]["label"], qualifier or "至"
            if rows[-1]["unit"].startswith(unit) and not num.high:
                unit = rows[-1]["unit"]
        elif same_sentence and rules.change_only.fullmatch(label):
            # 纠错率为18.5%,较上年提高2.1个百分点: a change of the measure before it
            label = rows[-1]["label"] + label
        if not qualifier and rules.change_from.search(clause):
            qualifier = "由"
        if not qualifier:
            m = _CLAUSE_EXACT.search(clause)
            qualifier = m.group() if m else ""
        context = text[max(s0, text.rfind(";", s0, num.start) + 1,
                           text.rfind("；", s0, num.start) + 1):num.start]
        p0 = _bounds(stops, s0 - 1, s0, 0, s0)[0] if s0 else 0
        wider = text[p0:num.start]
        total = part_total(text, numbers, k, s0, p0, cues)
        # a part without words of its own is about what its total is about
        about = about_cue(label, clause, joined) or (rows[total]["about"] if total >= 0 else "")
        rows.append({
            "doc_id": doc_id, "label": label,
            "indicator": _canonical(label, unit, context, wider, dictionary),
            "value": num.value, "unit": unit, "qualifier": qualifier, "approx": num.approx,
            "bound": num.bound, "running": is_running(clause, text[s0:num.start]),
            "sentence": text[s0:min(s1 + 1, len(text))].strip(),
            "start": num.start, "end": num.end, "high": num.high, "fact_id": f"{key}-{num.start}",
            "about": about, "part_of": f"{key}-{numbers[total].start}" if total >= 0 else "",
        })
    return rows


def _table_fact(doc_id: Any, num: Any, cell: Any, row: str,
                dictionary: tuple[str, int], key: str) -> dict:
    """A figure alone in a table cell, measured by its row and column heads (see
    :mod:`fazhi.tables`); money from a head in 亿元 is kept in 万元 like any other."""
    value, unit = num.value, cell.unit
    if unit == "亿元":
        value, unit = value * 10_000, "万元"
    return {"doc_id": doc_id, "label": cell.label,
            "indicator": _canonical(cell.label, unit, cell.context, "", dictionary),
            "value": value, "unit": unit, "qualifier": num.qualifier, "approx": num.approx,
            "bound": num.bound, "running": False, "sentence": row,
            "start": num.start, "end": num.end, "high": num.high,
            "fact_id": f"{key}-{num.start}", "about": "", "part_of": ""}


def simplified_same_length(text: str) -> str:
    """``text`` in 简体 when OpenCC converts it character for character, else unchanged.

    Offsets into the result are then offsets into the original.

    Examples
    --------
    >>> simplified_same_length("承接落實省級下放行政權力事項600余項")
    '承接落实省级下放行政权力事项600余项'
    """
    converted = t2s_converter().convert(text)
    return converted if len(converted) == len(text) else text


def _facts_chunk(args: tuple[list[tuple[Any, str]], tuple[str, int]]) -> list[dict]:
    docs, dictionary = args
    return [row for did, text in docs for row in _facts_in(text, did, dictionary)]


def _facts_columns(args: tuple[list[tuple[Any, str]], tuple[str, int]]) -> list[list]:
    """The facts of a job's documents as columns, in :data:`CACHED_COLUMNS` order: what a
    process sends back, a list per column rather than a dict per fact (a third of the
    bytes to pickle, and of the memory they take until they are made Arrow)."""
    rows = _facts_chunk(args)
    return [[row[c] for row in rows] for c in CACHED_COLUMNS]


#: documents whose facts are turned into one Arrow table at a time: a million facts held
#: as Python values take a few GB, as Arrow columns a few hundred MB
_BATCH_DOCS = 64


def _fresh_table(todo: dict[bytes, int], texts: pa.Array | pa.ChunkedArray,
                 dictionary: tuple[str, int], workers: int | None) -> pa.Table:
    """The cache rows of the texts in ``todo`` (key → its row in ``texts``), extracted in
    processes and made compact a batch of documents at a time, as the results come in.

    Each text becomes a Python string only when its job is sent: the corpus's texts held as
    Python strings took as much memory again as the corpus (100 MB at 4,000 reports)."""
    lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False)
    size = int(lengths[list(todo.values())].sum())
    jobs = (([(key, texts[i].as_py())], dictionary) for key, i in todo.items())
    per_doc = imap_in_processes(_facts_columns, jobs, workers, size=size, total=len(todo))
    tables, keys, found = [], [], []
    for key, columns in zip(todo, per_doc):  # a job is one document
        keys.append(key)
        found.append(columns)
        if len(keys) >= _BATCH_DOCS:
            tables.append(_to_table(keys, found))
            keys, found = [], []
    tables.append(_to_table(keys, found))
    return pa.concat_tables(tables)


# -- the facts cache: a document's facts keyed by the sha1 of its text ----------------------

#: the per-document columns kept in the cache (doc_id and the metadata are added on reading)
#: (``reviewed`` is not: a review is applied on every run, after the cache)
CACHED_COLUMNS = [c for c in FACT_COLUMNS[1:] if c != "reviewed"]
_CACHE_SCHEMA = pa.schema([
    ("key", KEY),
    *((c, pa.list_(pa.string())) for c in ("indicator", "label", "unit", "qualifier")),
    ("value", pa.list_(pa.float64())), ("approx", pa.list_(pa.bool_())),
    ("bound", pa.list_(pa.string())), ("running", pa.list_(pa.bool_())),
    ("sentence", pa.list_(pa.string())),
    ("start", pa.list_(pa.int64())), ("end", pa.list_(pa.int64())),
    ("high", pa.list_(pa.float64())),
    *((c, pa.list_(pa.string())) for c in ("fact_id", "about", "part_of")),
])
# What turns a text into facts besides the dictionary: the shipped rules and the code.
_RULE_FILES = ("indicators_label_rules.yml", "numbers_*.txt", "numbers_*.yml",
               "facts_about.yml")
# places and cpca: a place named before a body (揭阳人大) is looked up there
_CODE_FILES = ("extract.py", "labels.py", "numbers.py", "tables.py", "about.py",
               "../corpus/places.py")
_LIBRARIES = ("cn2an", "opencc", "cpca", "cpca-new")


@lru_cache(maxsize=1)
def _rules_digest() -> str:
    """Digest of the shipped rules, the code applying them and the libraries they call.

    Computed once per process, as the rules themselves are loaded once. The source files
    count as well as the version number: in a development checkout the code changes while
    the version does not.
    """
    from .._version import __version__

    parts: list[str | bytes] = [__version__, *library_versions(_LIBRARIES)]
    files = sorted({p for pattern in _RULE_FILES for p in DATA_DIR.glob(pattern)})
    here = Path(__file__).parent
    for path in [*files, *(here / name for name in _CODE_FILES)]:
        try:
            parts += [path.name, path.read_bytes()]
        except OSError:  # a package installed without its sources: the version stands in
            parts += [path.name, b""]
    return digest(parts)


@lru_cache(maxsize=8)
def _dictionary_digest(path: str, stamp: int) -> str:
    # Keyed like _load_indicators: an edited dictionary is read, and hashed, again.
    try:
        return digest([Path(path).read_bytes()])
    except OSError as e:
        raise IndicatorDictionaryError(path, f"cannot be read ({e})") from e


def facts_version(dictionary: str | Path | None = None) -> str:
    """The cache version of facts: a digest of everything but the text that decides them.

    That is the content of the indicator dictionary (shipped or given), of the label and
    number rules (``indicators_label_rules.yml``, ``numbers_*.txt``, ``numbers_*.yml``), the
    fazhi version and source of the extraction modules, and the cn2an and OpenCC versions.

    Examples
    --------
    >>> facts_version() == facts_version(data_path("indicators.yml"))
    True
    """
    return _version(_dictionary_key(dictionary))


def _version(dictionary: tuple[str, int]) -> str:
    return digest([_rules_digest(), _dictionary_digest(*dictionary)])


def _to_table(keys: list[bytes], found: list[list[list]]) -> pa.Table:
    """One cache row per key, holding lists of its facts: ``found[i]`` is the columns
    (:func:`_facts_columns`) of the document of ``keys[i]``."""
    columns = {c: [doc[i] for doc in found] for i, c in enumerate(CACHED_COLUMNS)}
    return pa.table({"key": keys, **columns}, schema=_CACHE_SCHEMA)


def _expand(table: pa.Table, doc_ids: list[Any], keys: list[bytes]) -> pd.DataFrame:
    """The facts of each document in order, from cache rows holding each key's facts.

    When the rows are already the documents' in order (a first extraction of distinct
    texts), the frame's columns are the lists' own values, not a copy of them.
    """
    where = {k: i for i, k in enumerate(table["key"].to_pylist())}
    rows = np.fromiter((where[k] for k in keys), dtype=np.int64, count=len(keys))
    if len(rows) != table.num_rows or not np.array_equal(rows, np.arange(len(rows))):
        table = table.take(pa.array(rows))  # a text repeated, or hits and misses mixed
    counts = pc.list_value_length(table["indicator"]).to_numpy().astype(np.int64)
    if not counts.sum():
        return _frame([])
    columns = {c: pc.list_flatten(table[c]) for c in CACHED_COLUMNS}
    del table
    sentence = columns.pop("sentence")
    frame = pa.table(columns).to_pandas(self_destruct=True)
    frame.insert(CACHED_COLUMNS.index("sentence"), "sentence", sorted_categorical(sentence))
    ids = np.empty(len(doc_ids), dtype=object)
    ids[:] = doc_ids
    # a list, so doc_id gets the dtype a cold extraction infers from the same values
    frame.insert(0, "doc_id", np.repeat(ids, counts).tolist())
    return _frame(frame)


def _cached_facts(doc_ids: list[Any], texts: pa.Array | pa.ChunkedArray,
                  dictionary: tuple[str, int], workers: int | None,
                  cache: bool = True) -> pd.DataFrame:
    """Facts of the documents ``doc_ids`` whose texts are ``texts`` (Arrow, hashed where
    they lie), reading and filling the facts cache (``cache`` False: neither)."""
    key_array = text_keys(texts)
    keys = key_array.to_pylist()
    store = (ParquetCache(cache_root() / "facts", _version(dictionary), _CACHE_SCHEMA,
                          what="facts") if cache else None)
    found = store.get(key_array) if store is not None else _CACHE_SCHEMA.empty_table()
    have = set(found["key"].to_pylist())
    todo: dict[bytes, int] = {}  # the first row of each text not in the cache
    for row, key in enumerate(keys):
        if key not in have:
            todo.setdefault(key, row)
    if todo or not keys:
        # Fail early on a bad dictionary. When every text is a hit, this dictionary was
        # read without error before (nothing is cached otherwise), so parsing it is skipped.
        _load_indicators(*dictionary)
    if todo:
        # The key stands in for the doc_id, so the same text in two documents is done once.
        fresh = _fresh_table(todo, texts, dictionary, workers)
        if store is not None:
            store.put(fresh)
        found = pa.concat_tables([found, fresh])
    return _expand(found, doc_ids, keys)


def extract_facts(source: Any, doc_id: str | None = None,
                  dictionary: str | Path | None = None,
                  workers: int | None = None, cache: bool = True,
                  review: str | Path | bool | None = None) -> pd.DataFrame:
    """Every quantitative fact in a corpus or a text, with whose figure it is.

    Parameters
    ----------
    source : Corpus or str
        A :class:`fazhi.Corpus` (facts carry each document's place, province, city,
        county, year and organ) or one report's text (简体 or 繁體).
    doc_id : str, optional
        The ``doc_id`` given to facts from a plain text.
    dictionary : path, optional
        An indicator dictionary to use instead of the shipped ``indicators.yml``.
    workers : int, optional
        Processes (``None`` = one; see docs/glossary.md for when more are started).
    cache : bool, default True
        Reuse the facts of texts seen before, cached by the sha1 of each text and
        :func:`facts_version` under ``FAZHI_CACHE_DIR`` (default ``~/.cache/fazhi``)/facts;
        each call that meets new texts writes one parquet file. ``False`` reads and
        writes nothing.
    review : path or bool, optional
        A review file of verdicts on figures (:mod:`fazhi.facts.review`), applied on every run;
        default: ``facts_review.csv`` in the corpus folder when it is there. ``False``
        applies none.

    Returns
    -------
    DataFrame
        ``doc_id, indicator, label, value, unit, qualifier, approx, bound, running,
        sentence, start, end, high, fact_id, about, part_of, reviewed`` (+ the metadata columns of
        :data:`fazhi.corpus.model.META_COLUMNS` for a corpus).
        ``facts.attrs["docs"]`` lists every report read, with its metadata, those without
        any figure included (see :mod:`fazhi.facts.trends`). ``start:end`` spans the number as written
        in the document text; ``indicator`` is empty when the label is not in the dictionary.
        Besides the words of ``numbers_qualifiers.yml``, ``qualifier`` is ``由`` for the
        starting value and ``至`` for the result of a change (由上年的92.3%提升到96.1%).
        ``high`` is the upper bound of a range (1-2天: ``value`` 1, ``high`` 2, qualifier
        ``区间``), else NaN. ``approx`` is True for a figure that is not exact; ``bound``
        says which way a bound points — ``≥`` for a lower bound (15%以上, 超过90%,
        不少于40课时, 600余项), ``≤`` for an upper one (3个工作日以内, 不超过5%) — and is
        ``""`` for an exact figure, an estimate (约, 近, 左右) or a range. ``running`` is
        True for a running total (累计进驻事项663项, 截至年底累计…), not the year's own
        figure (全年累计, 2022年累计 are the year's); trend tables keep the two apart. A figure that ends an excerpt stopping mid-sentence is left
        out: its digits or its unit may have been cut.

        ``fact_id`` is ``<first 12 hex digits of the sha1 of the document text>-<start>``:
        the same in every run and in every corpus holding the same text.

        ``about`` is whose figure it is (:mod:`fazhi.facts.about`, cue words in
        ``fazhi/data/facts_about.yml``): ``本级`` for the reporting organ's own figures
        (no other body named, or its own: 我市, 市人大代表建议 in a city's report); ``全国``;
        the full name of a higher government or a named place (广东省 for
        省人大代表建议 in 深圳's report, 揭阳市 for 揭阳人大代表建议 in 普宁's); the tier
        word as written (省, 市, 区) when the report's level is unknown (a plain text) or
        the body is below it. ``part_of`` is the ``fact_id`` of the total a figure is a part
        of (其中…, 包括…), else ``""``; a part naming no body is about what its total is.
        ``reviewed`` is ``accept`` or ``correct`` for figures a review file judged, else
        ``""``.
    Examples
    --------
    >>> facts = extract_facts("普宁市人民政府网站发布各类信息9351条,办复率达到100%。")
    >>> facts[["indicator", "label", "value", "unit"]].values.tolist()
    [['主动公开信息数', '发布各类信息', 9351.0, '条'], ['', '办复率', 100.0, '%']]
    >>> import fazhi
    >>> facts = extract_facts(fazhi.load_corpus())
    >>> facts.loc[facts["unit"] == "个百分点", ["place", "year", "value"]].values.tolist()
    [['青岛市', 2020, 1.02]]
    >>> deputies = facts[(facts["place"] == "深圳市") & (facts["indicator"] == "人大代表建议数")]
    >>> deputies[["value", "about"]].values.tolist()
    [[5.0, '全国'], [27.0, '广东省'], [822.0, '本级']]
    """
    check_workers(workers)
    dictionary = _dictionary_key(dictionary)
    if not cache:
        _load_indicators(*dictionary)  # fail early on a bad file
    if isinstance(source, str):
        pairs = [(doc_id, simplified_same_length(source))]
        facts = _cached_facts([doc_id], pa.array([pairs[0][1]], type=pa.large_string()),
                              dictionary, 1) if cache else _frame(
            _facts_chunk((pairs, dictionary)))
        facts["about"] = resolve_column(facts)
        facts.attrs["docs"] = SharedRecords([{"doc_id": doc_id}])
        return _reviewed(facts, review if review is not True else None, None)
    docs = getattr(source, "docs", None)
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise ParameterError(f"source must be a Corpus or a str, got {type(source).__name__}")
    facts = _cached_facts(docs["doc_id"].tolist(), arrow_texts(docs["text"], missing=""), dictionary,
                          workers, cache)
    meta = docs[["doc_id", *(c for c in JOIN_COLUMNS if c in docs.columns)]]
    # each fact takes its report's metadata, column by column (a merge would copy the
    # facts' own columns too, a million sentences and labels at 10,000 reports)
    joined = categorical_meta(meta, facts["doc_id"], list(meta.columns[1:]))
    for column in joined.columns:
        facts[column] = joined[column]
    # after the cache: what 市 means depends on the report's level, not only on its text
    facts["about"] = resolve_column(facts)
    # Records, not a DataFrame: pandas compares attrs when it concatenates frames; shared:
    # it deep-copies them on every operation.
    facts.attrs["docs"] = SharedRecords(meta.to_dict("records"))
    facts = _reviewed(facts, review, getattr(source, "root", None))
    release_memory()  # the per-report results and Arrow tables the frame was built from
    return facts


def _reviewed(facts: pd.DataFrame, review: str | Path | bool | None,
              root: Path | None) -> pd.DataFrame:
    """``facts`` with the review file applied: the one given, else the corpus folder's."""
    from .review import REVIEW_FILE, apply_review

    if review is False:
        return facts
    if review is None or review is True:
        found = Path(root) / REVIEW_FILE if root is not None else None
        if found is None or not found.is_file():
            return facts
        review = found
    docs = facts.attrs["docs"]
    facts = apply_review(facts, review)
    facts.attrs["docs"] = docs
    return facts


def _frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    facts = pd.DataFrame(rows, columns=FACT_COLUMNS)
    # pandas' str (Arrow) dtype, not objects: "本级" on a million rows is 10 MB, not 80
    facts["reviewed"] = facts["reviewed"].astype("str").fillna("")
    facts["bound"] = facts["bound"].astype("str").fillna("")
    if not isinstance(facts["sentence"].dtype, pd.CategoricalDtype):
        facts["sentence"] = sorted_categorical(facts["sentence"])
    return facts.astype({"value": float, "approx": bool, "running": bool, "start": int,
                         "end": int, "high": float})


@renamed(output_dir="out_dir")
def export_facts(facts: pd.DataFrame, out_dir: str | Path | None,
                 name: str = "facts") -> list[Path]:
    """Write ``facts`` to ``<out_dir>/<name>.csv`` (UTF-8 with BOM) and ``<name>.xlsx``.

    No text cell can act as a spreadsheet formula: string cells of the workbook are text,
    and text cells of the CSV starting with ``= + - @`` get a leading ``'``
    (:func:`fazhi.io.spreadsheet_safe`).

    Each file is written atomically (never half-written under its final name). With
    ``out_dir=None`` nothing is written.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> export_facts(extract_facts("办复率达到100%。"), None)
    []
    """
    if out_dir is None:
        return []
    out = Path(out_dir)
    csv_path, xlsx_path = out / f"{name}.csv", out / f"{name}.xlsx"
    write_csv(facts, csv_path)
    write_xlsx(facts, xlsx_path, sheet_name="facts")
    return [csv_path, xlsx_path]


def fact_text(facts: pd.DataFrame, texts: pd.Series | dict) -> pd.Series:
    """The number as written for each fact: ``text[start:end]`` of its document.

    Examples
    --------
    >>> text = "承接事项600余项。"
    >>> fact_text(extract_facts(text, doc_id="d"), {"d": text}).tolist()
    ['600余项']
    """
    return pd.Series([texts[d][s:e] for d, s, e in zip(facts["doc_id"], facts["start"], facts["end"])],
                     index=facts.index, dtype=object)

