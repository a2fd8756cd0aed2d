"""The benchmark's agreement measure: engine="auto" may pick rjieba only because rjieba cuts
the seeds as jieba does. The measure lives with the benchmark (benchmarks/segment_agreement.py),
not in the library."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from segment_agreement import span_agreement  # noqa: E402


def test_rjieba_agrees_with_jieba_on_the_seeds(seed_corpus):
    assert span_agreement(seed_corpus.paragraphs["text"].tolist(), "rjieba") >= 0.999


def test_an_engine_agrees_with_itself_on_every_token():
    assert span_agreement(["法治政府建设年度报告"], "jieba") == 1.0
