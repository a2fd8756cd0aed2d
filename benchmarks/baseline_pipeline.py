"""The pipeline a researcher would write by hand, frozen: fazhi's end-to-end figure is set
against it, on the same files, in a child process of its own (so its peak memory is its own).

What it does, stage by stage (the same work as fazhi's pipeline, done the plain way):

- read: every file decoded (UTF-8, else GB18030), HTML tags stripped by a regex, 繁→简 with
  OpenCC, split into paragraphs at line breaks (empty lines dropped);
- segment: ``jieba.lcut`` on every paragraph, one process, jieba's default dictionary;
- count: ``collections.Counter`` over the tokens, stopwords of one character and pure
  punctuation dropped;
- topics: ``TfidfVectorizer`` + ``NMF`` at the ``k`` fazhi chose (no search over k: a lower
  bound on what fazhi's coherence search does), one document per report;
- numbers: one regex scan for a number followed by a unit, over the whole text.

It does less than fazhi (no boilerplate removal, no metadata, no sections or kinds, no
indicator labels, no k search), so the ratio against it is a lower bound on fazhi's lead.

Usage: ``.venv/bin/python benchmarks/baseline_pipeline.py FOLDER_OR_JSONL K OUT.json``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections import Counter
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个百分点|件|项|条|次|个|人|万元|家|场|期)")
_WORD = re.compile(r"\w\w")  # a token of two word characters or more: no punctuation, no 的


def read_texts(source: Path) -> list[str]:
    """Every report's text, 简体: the files of a folder, or the text of each JSONL row."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    if source.suffix == ".jsonl":
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
                if line.strip()]
        # The column with the longest cells is the text (``content`` in the real reports).
        column = max(rows[0], key=lambda c: len(str(rows[0][c])))
        return [t2s.convert(str(r[column])) for r in rows]
    texts = []
    for path in sorted(source.iterdir()):
        if path.suffix not in (".txt", ".html", ".htm"):
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        if path.suffix != ".txt":
            text = _TAG.sub("\n", _SCRIPT.sub("", text))
        texts.append(t2s.convert(text))
    return texts


def run(source: Path, k: int) -> dict:
    """Seconds of each stage and the figures they produced."""
    import jieba
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # its dictionary is loaded before any clock starts, as fazhi's is
    seconds = {}
    start = time.perf_counter()
    texts = read_texts(source)
    docs = [[p.strip() for p in t.splitlines() if p.strip()] for t in texts]
    seconds["read"] = time.perf_counter() - start

    start = time.perf_counter()
    tokens = [[jieba.lcut(p) for p in paragraphs] for paragraphs in docs]
    seconds["segment"] = time.perf_counter() - start

    start = time.perf_counter()
    counts = Counter(t for doc in tokens for para in doc for t in para if _WORD.fullmatch(t))
    seconds["count"] = time.perf_counter() - start

    start = time.perf_counter()
    per_doc = [[t for para in doc for t in para if _WORD.fullmatch(t)] for doc in tokens]
    matrix = TfidfVectorizer(analyzer=lambda t: t, min_df=2, max_df=0.9).fit_transform(per_doc)
    NMF(n_components=min(k, matrix.shape[0], matrix.shape[1]), init="nndsvd",
        random_state=0).fit(matrix)
    seconds["topics"] = time.perf_counter() - start

    start = time.perf_counter()
    n_numbers = sum(len(_NUMBER.findall(t)) for t in texts)
    seconds["numbers"] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())
    text_mb = sum(len(p.encode("utf-8")) for doc in docs for p in doc) / 1e6
    return {"seconds": seconds, "n_docs": len(texts), "n_terms": len(counts),
            "n_numbers": n_numbers, "text_mb": text_mb}


def main(argv: list[str]) -> int:
    source, k, out = Path(argv[0]), int(argv[1]), Path(argv[2])
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import PeakMemory

    with PeakMemory() as memory:
        result = run(source, k)
    result["peak_mb"] = memory.peak / 2**20
    out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
