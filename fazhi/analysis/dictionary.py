"""Dictionary coding: count the terms of category dictionaries per document or group.

A term is counted where the text says it, whatever the segmenter made of it: inside a
longer token (综合行政执法 holds 行政执法) and across tokens that begin with it (行政 | 执法权).
The shipped dictionary (``data/dictionaries/rule_of_law_government_2021.yml``) codes the
dimensions of rule-of-law government in 《法治政府建设实施纲要(2021—2025年)》; researchers
pass their own as YAML or CSV.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._resources import data_path
from ..exceptions import ParameterError
from ..tokens.grouping import PER, by_columns, carried_meta, check_tokens, groups, indicator
from ..tokens.segment import Tokens

DEFAULT_DICTIONARY = "dictionaries/rule_of_law_government_2021.yml"


def load_dictionary(dictionary: str | Path | dict | None = None) -> dict[str, list[str]]:
    """A category dictionary as {category: [terms]}.

    ``None`` loads the shipped dictionary of the dimensions of 《法治政府建设实施纲要
    (2021—2025年)》; a ``.yml``/``.yaml`` file holds ``categories: {name: {terms: [...]}}``
    (or simply ``{name: [...]}``); a ``.csv`` file has columns ``category`` and ``term``.
    A term may end in ``*`` (``行政复议*``), as in earlier versions; since every term is
    found inside longer words anyway, the star changes nothing.

    Examples
    --------
    >>> list(load_dictionary())[:3]
    ['党的领导', '政府职能', '依法行政制度']
    """
    if isinstance(dictionary, dict):
        raw: Any = dictionary
    else:
        path = data_path(DEFAULT_DICTIONARY) if dictionary is None else Path(dictionary)
        if not path.is_file():
            raise ParameterError(f"dictionary: no file {str(path)!r}")
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
            if not {"category", "term"} <= set(frame.columns):
                raise ParameterError(f"dictionary: {path.name} needs columns category and term")
            raw = {k: g["term"].dropna().str.strip().tolist()
                   for k, g in frame.groupby("category", sort=False)}
        elif path.suffix.lower() in (".yml", ".yaml"):
            import yaml

            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            raw = raw.get("categories", raw)
        else:
            raise ParameterError(f"dictionary: {path.name} is neither .yml/.yaml nor .csv")
    out = {}
    for name, entry in raw.items():
        terms = entry.get("terms", []) if isinstance(entry, dict) else entry
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ParameterError(f"dictionary: category {name!r} needs a list of terms")
        out[str(name)] = [t.strip() for t in terms if t.strip()]
    if not out:
        raise ParameterError("dictionary: no categories found")
    return out


def _term_hits(tokens: Tokens, categories: list[list[str]]) -> np.ndarray:
    """Hits of each category (columns) in each unit (rows); see :func:`dictionary_counts`."""
    import ahocorasick

    owners: dict[str, set[int]] = {}
    for k, terms in enumerate(categories):
        for term in terms:
            if term.rstrip("*"):
                owners.setdefault(term.rstrip("*"), set()).add(k)
    hits = np.zeros((len(tokens.units), len(categories)), dtype=np.int64)
    if not owners:
        return hits
    automaton = ahocorasick.Automaton()
    for term in owners:
        automaton.add_word(term, term)
    automaton.make_automaton()
    for i, words in enumerate(tokens.tokens):
        starts = np.cumsum([0, *map(len, words)]).tolist()
        for last, term in automaton.iter_long("".join(words)):
            first = last - len(term) + 1
            t = bisect_right(starts, first) - 1
            if first != starts[t] and last >= starts[t + 1]:
                continue  # 依法行政 | 执法: the term straddles two words that only touch
            for k in owners[term]:
                hits[i, k] += 1
    return hits


def dictionary_counts(tokens: Tokens, dictionary: str | Path | dict | None = None,
                      by: str | Sequence[str] | None = "doc_id") -> pd.DataFrame:
    """Count the terms of each dictionary category per document or group.

    Parameters
    ----------
    tokens : Tokens
    dictionary : path, dict or None
        See :func:`load_dictionary`; None = the dimensions of the 2021—2025 纲要.
    by : str or list of str, optional
        Group by these columns of ``tokens.units``; default one row per document (doc_id),
        ``None`` one row per category over the whole corpus (docs/glossary.md).

    Returns
    -------
    DataFrame
        [by columns,] category, count, n_tokens, rate (per 10,000 tokens), share (of all
        dictionary hits in the group), plus metadata constant within each group.
        How hits are counted: each unit's tokens are read as one string, without spaces,
        and every term is looked for in it (Aho-Corasick, leftmost-longest, without
        overlaps: 行政执法三项制度 is one hit of that term, not also one of 行政执法). A hit
        counts when it lies within one token (综合行政执法) or begins where a token begins
        (行政 | 执法权); one that starts inside a token and runs on into the next is two
        words that merely touch (依法行政 | 执法) and is not counted. A term listed in two
        categories counts in both.

    Examples
    --------
    >>> import fazhi
    >>> toks = fazhi.tokenize_corpus(fazhi.load_corpus(), unit="document")
    >>> dictionary_counts(toks, by="year").columns[:3].tolist()
    ['year', 'category', 'count']
    """
    tokens = check_tokens(tokens)
    cols = by_columns(tokens, by)
    categories = load_dictionary(dictionary)
    codes, keys = groups(tokens.units, cols)
    hits_per_unit = _term_hits(tokens, list(categories.values()))
    grouped = indicator(codes, len(keys)) @ hits_per_unit
    n_tokens = np.bincount(codes, weights=np.diff(tokens.offsets),
                           minlength=len(keys)).astype(np.int64)
    per_category = {name: grouped[:, k] for k, name in enumerate(categories)}
    counts = pd.DataFrame(per_category).astype(np.int64)
    hits = counts.sum(axis=1).to_numpy()
    long = counts.assign(_g=np.arange(len(keys))).melt("_g", var_name="category",
                                                       value_name="count")
    long["n_tokens"] = n_tokens[long["_g"]]
    long["rate"] = long["count"] / np.where(long["n_tokens"] > 0, long["n_tokens"], 1) * PER
    long["share"] = long["count"] / np.where(hits[long["_g"]] > 0, hits[long["_g"]], 1)
    meta = carried_meta(tokens.units, codes, keys).assign(_g=np.arange(len(keys)))
    long = long.merge(meta, on="_g").sort_values(["_g"], kind="stable").drop(columns="_g")
    extra = [c for c in meta.columns if c not in cols and c != "_g"]
    return long[[*cols, "category", "count", "n_tokens", "rate", "share", *extra]
                ].reset_index(drop=True)


_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_TRUE = {"1", "y", "yes", "true", "对", "是", "✓", "√"}
_FALSE = {"0", "n", "no", "false", "错", "否", "✗", "×"}


def dictionary_sample(corpus: Any, dictionary: str | Path | dict | None = None, n: int = 20,
                      random_state: int = 0) -> pd.DataFrame:
    """A seeded random sample of dictionary hits with their sentences, to check by hand.

    Every occurrence of a dictionary term in the paragraph text (leftmost-longest, as
    :func:`dictionary_counts` reads a unit) is a hit; ``n`` of them are drawn with
    ``random_state``, so the same corpus gives the same sample. Mark each row's ``correct``
    column 1 (the sentence really is about the category) or 0, then compute
    :func:`precision`.

    Returns
    -------
    DataFrame
        doc_id, place, year, para_id, category, term, sentence, correct (empty).

    Examples
    --------
    >>> import fazhi
    >>> sample = dictionary_sample(fazhi.load_corpus(), n=5)
    >>> len(sample), bool(sample["correct"].isna().all())
    (5, True)
    """
    import ahocorasick

    categories = load_dictionary(dictionary)
    owners: dict[str, list[str]] = {}
    for name, terms in categories.items():
        for term in terms:
            if term.rstrip("*"):
                owners.setdefault(term.rstrip("*"), []).append(name)
    automaton = ahocorasick.Automaton()
    for term in owners:
        automaton.add_word(term, term)
    automaton.make_automaton()
    rows = []
    paras = corpus.paragraphs
    for doc_id, para_id, text in zip(paras["doc_id"], paras["para_id"], paras["text"]):
        sentences = _SENTENCE_END.split(text)
        ends = np.cumsum([len(s) for s in sentences])
        for last, term in automaton.iter_long(text):
            sentence = sentences[int(np.searchsorted(ends, last, side="right"))].strip()
            for category in owners[term]:
                rows.append((doc_id, para_id, category, term, sentence))
    hits = pd.DataFrame(rows, columns=["doc_id", "para_id", "category", "term", "sentence"])
    if len(hits) > n:
        hits = hits.sample(n=n, random_state=random_state).sort_index()
    meta = corpus.docs[["doc_id", "place", "year"]]
    out = hits.merge(meta, on="doc_id", how="left").assign(correct=pd.NA)
    return out[["doc_id", "place", "year", "para_id", "category", "term", "sentence",
                "correct"]].reset_index(drop=True)


def precision(marked: pd.DataFrame | str | Path, column: str = "correct") -> pd.DataFrame:
    """Precision of hand-checked hits: the share marked correct, per category and overall.

    ``marked`` is the table of :func:`dictionary_sample` (or its CSV) with ``column`` filled
    in: 1 / 0 (also y / n, 对 / 错, 是 / 否, ✓ / ✗); rows left empty are not counted.

    Returns
    -------
    DataFrame
        category (the last row "全部 all"), n_marked, n_correct, precision.

    Examples
    --------
    >>> import pandas as pd
    >>> marked = pd.DataFrame({"category": ["行政执法", "行政执法", "政府职能"],
    ...                        "correct": [1, 0, "对"]})
    >>> precision(marked)["precision"].tolist()
    [1.0, 0.5, 0.6666666666666666]
    """
    if not isinstance(marked, pd.DataFrame):
        marked = pd.read_csv(marked, dtype={column: str}, encoding="utf-8-sig")
    if column not in marked.columns or "category" not in marked.columns:
        raise ParameterError(f"marked: needs columns category and {column}")
    values = marked[column].map(lambda v: "" if pd.isna(v) else str(v).strip().lower())
    values = values.str.removesuffix(".0")
    unknown = sorted(set(values) - _TRUE - _FALSE - {""})
    if unknown:
        raise ParameterError(f"marked: {column} holds {unknown[:3]}; write 1 (correct) or 0")
    done = marked.assign(_ok=values.isin(_TRUE))[values != ""]
    table = done.groupby("category", sort=True)["_ok"].agg(["size", "sum"]).reset_index()
    table.columns = ["category", "n_marked", "n_correct"]
    total = pd.DataFrame({"category": ["全部 all"], "n_marked": [len(done)],
                          "n_correct": [int(done["_ok"].sum())]})
    table = pd.concat([table, total], ignore_index=True)
    table["precision"] = table["n_correct"] / table["n_marked"].where(table["n_marked"] > 0)
    return table
