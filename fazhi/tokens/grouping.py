"""Building blocks shared by the frequency analyses: the document-feature matrix and groups.

A group is any combination of ``Tokens.units`` columns. A group that lies within one report
(``doc_id`` among its columns) carries that report's metadata, as docvars in quanteda; any
other group carries only its own columns. Which columns a table has depends on ``by`` alone,
never on the values in the corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from ..corpus.model import META_COLUMNS
from ..exceptions import ParameterError
from ..io import plain_columns
from .segment import Tokens

PER = 10_000  # rates are per 10,000 tokens


def check_tokens(tokens: Any) -> Tokens:
    if not isinstance(tokens, Tokens):
        raise ParameterError("tokens: expected fazhi Tokens (from fazhi.tokenize_corpus), got "
                             f"{type(tokens).__name__}")
    return tokens


def dfm(tokens: Tokens) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Document-feature matrix (units × terms, counts) and its vocabulary, sorted."""
    return tokens.dtm()


def by_columns(tokens: Tokens, by: str | Sequence[str] | None, name: str = "by") -> list[str]:
    """The grouping columns ``by`` names (docs/glossary.md): a str or a list; None = none."""
    cols = [] if by is None else [by] if isinstance(by, str) else list(by)
    missing = [c for c in cols if c not in tokens.units.columns]
    if missing:
        raise ParameterError(f"{name}: no column {missing[0]!r} in the tokens' units; choose "
                             f"from {', '.join(tokens.units.columns)}")
    return cols


def groups(units: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code of each unit, and one row per group with its keys (missing keys kept).

    No columns is no grouping: every unit in one group, a keys table of one row and no column.
    """
    if not cols:
        return np.zeros(len(units), dtype=np.int64), pd.DataFrame(index=[0])
    grouped = units.groupby(cols, sort=True, dropna=False, observed=True)
    keys = grouped.size().reset_index()[cols]
    return grouped.ngroup().to_numpy(), plain_columns(keys)


def indicator(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                             shape=(n_groups, len(codes)))


def carried_columns(units: pd.DataFrame, cols: Sequence[str]) -> list[str]:
    """The metadata that rides along with groups of ``cols``: the report's
    :data:`~fazhi.corpus.load.META_COLUMNS` when ``doc_id`` is one of them, else none.

    The one metadata rule of every table (docs/glossary.md, "Carried metadata"): decided
    from the column names only, never from the values. Carrying whatever happened to be
    constant made ``by="kind"`` gain a province column on a one-province corpus and lose it
    on another, and a topic model's ``doc_topics`` gain ``kind`` for a report of one kind.
    """
    if "doc_id" not in cols:
        return []
    return [c for c in META_COLUMNS if c in units.columns and c not in cols]


def carried_meta(units: pd.DataFrame, codes: np.ndarray, keys: pd.DataFrame) -> pd.DataFrame:
    """One row per group: its keys, then the metadata of :func:`carried_columns`."""
    carried = carried_columns(units, list(keys.columns))
    if not carried:
        return keys.copy()
    # Every unit of a report holds the report's metadata, so any row of a group speaks for it.
    firsts = plain_columns(units[carried].groupby(codes, sort=True).first())
    return pd.concat([keys.reset_index(drop=True), firsts.reset_index(drop=True)], axis=1)


def doc_metadata(units: pd.DataFrame) -> pd.DataFrame:
    """One row per report (first-seen order): ``doc_id`` and the metadata
    :func:`carried_columns` keeps for it."""
    carried = carried_columns(units, ["doc_id"])
    return plain_columns(units.groupby("doc_id", sort=False, observed=True)[carried].first()
                         .reset_index())


def doc_freq(tokens: Tokens, matrix: sparse.csr_matrix, codes: np.ndarray) -> sparse.csr_matrix:
    """Documents (within each group) that contain each term: groups × terms."""
    combo = pd.MultiIndex.from_arrays([codes, tokens.units["doc_id"].to_numpy()])
    combo_codes, combo_keys = pd.factorize(combo)
    present = (indicator(combo_codes, len(combo_keys)) @ matrix) > 0
    group_of_combo = np.asarray([k[0] for k in combo_keys])
    return indicator(group_of_combo, int(codes.max()) + 1 if len(codes) else 0) @ present


def check_top_n(top_n: int | None, name: str = "top_n") -> None:
    if top_n is not None and (not isinstance(top_n, (int, np.integer)) or top_n < 1):
        raise ParameterError(f"{name}: expected a positive integer or None, got {top_n!r}")
