"""Segmentation: agreement of the fast engine with jieba, and speed against plain jieba.lcut.

Both are measured on the seeds' paragraphs with the domain dictionary active:

- agreement: the share of jieba's tokens that rjieba cuts identically (same characters at the
  same place), over every piece and over the kept content words only. ``engine="auto"`` may
  use rjieba only while this stays ≥ 99.9 %.
- speed: MB/s of plain single-process ``jieba.lcut`` (the default dictionary, nothing
  filtered) against ``fazhi.tokenize`` (domain dictionary, filters, no cache, one process)
  on the same text in the same process. The seeds are replicated with a distinct suffix on
  every copy, so no deduplication or cache can help; each figure is the best of ``repeat``.

Usage: ``.venv/bin/python benchmarks/segment_agreement.py [COPIES]`` (default 20 copies,
about 1 MB). ``measure()`` returns the figures for ``benchmarks/run.py``.
"""

from __future__ import annotations

import logging
import sys
import time

import fazhi
from fazhi.tokens.engines import Segmenter, SegmentOptions
from fazhi.tokens.segment import tokenize


def span_agreement(texts: list[str], engine: str = "rjieba", *, kept_only: bool = False,
                   opts: SegmentOptions | None = None) -> float:
    """Share of jieba's tokens that ``engine`` cuts identically (same characters, same place).

    With ``kept_only`` only the tokens that survive the stopword/number filters are compared.
    """
    base = opts or SegmentOptions()
    ref = Segmenter.get(SegmentOptions(**{**base.__dict__, "engine": "jieba", "pos": None}))
    other = Segmenter.get(SegmentOptions(**{**base.__dict__, "engine": engine, "pos": None}))
    total = same = 0
    for text in texts:
        a, b = spans(ref, text, kept_only), spans(other, text, kept_only)
        total += len(a)
        same += len(a & b)
    return same / total if total else 1.0


def spans(seg: Segmenter, text: str, kept_only: bool) -> set[tuple[int, int, str]]:
    out = set()
    pos = 0
    for tok in seg.cut(text):
        if not kept_only or seg.keep[tok]:
            out.add((pos, pos + len(tok), tok))
        pos += len(tok)
    return out


def _best_seconds(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(paragraphs: list[str] | None = None, copies: int = 20, repeat: int = 3,
            engine: str = "auto") -> dict:
    """Agreement with jieba and throughput against plain ``jieba.lcut``.

    Parameters
    ----------
    paragraphs : list of str, optional
        Default: the paragraphs of the bundled seeds.
    copies : int
        How many distinct copies of the paragraphs to time (more copies, steadier figures).
    repeat : int
        Timings take the best of this many runs.
    engine : str
        The fazhi engine to time.

    Returns
    -------
    dict
        agreement_all, agreement_kept (shares of jieba's tokens), mb, jieba_mb_s,
        fazhi_mb_s, speedup.
    """
    import jieba

    if paragraphs is None:
        paragraphs = fazhi.load_corpus().paragraphs["text"].tolist()
    agreement_all = span_agreement(paragraphs, "rjieba")
    agreement_kept = span_agreement(paragraphs, "rjieba", kept_only=True)

    texts = [f"{p}（{i}）" for i in range(copies) for p in paragraphs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    jieba.setLogLevel(logging.WARNING)
    jieba.lcut("预热")  # load jieba's dictionary outside the timing
    tokenize(["预热"], engine=engine, cache=False)
    jieba_s = _best_seconds(lambda: [jieba.lcut(t) for t in texts], repeat)
    fazhi_s = _best_seconds(lambda: tokenize(texts, engine=engine, cache=False, workers=1),
                            repeat)
    return {
        "agreement_all": agreement_all, "agreement_kept": agreement_kept, "mb": mb,
        "jieba_mb_s": mb / jieba_s, "fazhi_mb_s": mb / fazhi_s, "speedup": jieba_s / fazhi_s,
    }


def main(argv: list[str]) -> int:
    copies = int(argv[0]) if argv else 20
    r = measure(copies=copies)
    print(f"agreement with jieba (domain dictionary active): {r['agreement_all']:.4%} of all "
          f"tokens, {r['agreement_kept']:.4%} of kept tokens")
    print(f"text: {r['mb']:.2f} MB")
    print(f"plain jieba.lcut, 1 process:        {r['jieba_mb_s']:6.2f} MB/s")
    print(f"fazhi.tokenize (auto, no cache):     {r['fazhi_mb_s']:6.2f} MB/s")
    print(f"speed-up: {r['speedup']:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
