"""Time topic fitting on synthetic corpora of 1,000 and 10,000 reports.

A synthetic report recombines segmented paragraphs drawn from the bundled seeds (as many
paragraphs as a seed report has), with a year and place drawn from the seeds, so the
vocabulary and paragraph lengths are real while the corpus is large. The seeds are segmented
once; only keyword extraction and topic fitting are timed.

The default fit chooses k by coherence; above ``fazhi.analysis.topics.K_SEARCH_SAMPLE`` paragraphs each
candidate k is fitted on that many sampled paragraphs, and only the final model sees them all.

Usage: ``.venv/bin/python benchmarks/topics_bench.py [N_DOCS ...]`` (default: 1000 10000).
"""

from __future__ import annotations

import sys
import time
from functools import lru_cache

import numpy as np

import fazhi
from fazhi.analysis.topics import fit_topics, keywords_per_doc
from fazhi.tokens.compact import take_rows
from fazhi.tokens.segment import Tokens


@lru_cache(maxsize=1)
def _seed_tokens():
    return fazhi.tokenize_corpus(fazhi.load_corpus(), unit="paragraph")


def synthetic_tokens(n_docs: int, random_state: int = 0):
    """Paragraph tokens of ``n_docs`` reports recombined from the seeds' paragraphs."""
    seeds = _seed_tokens()
    units = seeds.units.reset_index(drop=True)
    rng = np.random.default_rng(random_state)
    paras_per_doc = units.groupby("doc_id").size().to_numpy()
    lengths = rng.choice(paras_per_doc, size=n_docs)
    picks = rng.integers(0, len(units), size=int(lengths.sum()))
    doc_index = np.repeat(np.arange(n_docs), lengths)
    meta_of_doc = rng.integers(0, len(units), size=n_docs)  # a seed paragraph lends its doc's metadata

    synthetic = units.iloc[picks].reset_index(drop=True)
    for column in ("year", "province", "city", "county", "place", "level"):
        if column in synthetic.columns:
            synthetic[column] = units[column].to_numpy()[meta_of_doc][doc_index]
    synthetic["doc_id"] = [f"syn{i:05d}" for i in doc_index]
    synthetic["para_id"] = np.concatenate([np.arange(n) for n in lengths])
    ids, offsets = take_rows(seeds.ids, seeds.offsets, picks)
    return Tokens.from_ids(synthetic, seeds.vocab, ids, offsets, unit=seeds.unit)


def bench_topics(n_docs: int, n_topics: int | None = None, method: str = "nmf") -> dict:
    """Seconds to find keywords per report and to fit topics (default: k by coherence).

    Examples
    --------
    >>> result = bench_topics(50)
    >>> sorted(result)
    ['k', 'keywords_seconds', 'n_docs', 'n_units', 'topics_seconds']
    """
    tokens = synthetic_tokens(n_docs)
    start = time.perf_counter()
    keywords_per_doc(tokens)
    keywords_seconds = time.perf_counter() - start
    start = time.perf_counter()
    model = fit_topics(tokens, n_topics=n_topics, method=method)
    topics_seconds = time.perf_counter() - start
    return {"n_docs": n_docs, "n_units": len(tokens), "k": model.n_topics,
            "keywords_seconds": round(keywords_seconds, 2),
            "topics_seconds": round(topics_seconds, 2)}


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 10000]
    for n in sizes:
        r = bench_topics(n)
        print(f"topics  {r['n_docs']:>6} docs  {r['n_units']:>7} paragraphs  k={r['k']:<3} "
              f"keywords {r['keywords_seconds']:6.2f} s  topics {r['topics_seconds']:6.2f} s",
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
