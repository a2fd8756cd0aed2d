"""Building blocks shared by the frequency analyses: the document-feature matrix and groups.

A group is any combination of ``Tokens.units`` columns; its metadata is whatever is constant
within it (a document's title and place when grouping by doc_id), as docvars in quanteda.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from .exceptions import ParameterError
from .segment import DOC_META, Tokens

PER = 10_000  # rates are per 10,000 tokens
_CARRIED = ("doc_id", "kind", "section", *DOC_META)


def check_tokens(tokens: Any) -> Tokens:
    if not isinstance(tokens, Tokens):
        raise ParameterError("tokens: expected fazhi Tokens (from fazhi.tokenize_corpus), got "
                             f"{type(tokens).__name__}")
    return tokens


def dfm(tokens: Tokens) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Document-feature matrix (units × terms, counts) and its vocabulary, sorted."""
    return tokens.dtm()


def by_columns(tokens: Tokens, by: str | Sequence[str] | None, name: str = "by") -> list[str]:
    cols = [] if by is None else [by] if isinstance(by, str) else list(by)
    missing = [c for c in cols if c not in tokens.units.columns]
    if missing:
        raise ParameterError(f"{name}: no column {missing[0]!r} in the tokens' units; choose "
                             f"from {', '.join(tokens.units.columns)}")
    return cols


def groups(units: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code of each unit, and one row per group with its keys (missing keys kept)."""
    grouped = units.groupby(cols, sort=True, dropna=False)
    keys = grouped.size().reset_index()[cols]
    return grouped.ngroup().to_numpy(), keys


def indicator(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                             shape=(n_groups, len(codes)))


def carried_meta(units: pd.DataFrame, codes: np.ndarray, keys: pd.DataFrame) -> pd.DataFrame:
    """Add the metadata columns that take one value within every group."""
    out = keys.copy()
    cands = [c for c in _CARRIED if c in units.columns and c not in keys.columns]
    if not cands:
        return out
    frame = units[cands].assign(_g=codes)
    constant = frame.groupby("_g")[cands].nunique(dropna=False).le(1).all()
    firsts = frame.groupby("_g")[[c for c in cands if constant[c]]].first()
    return pd.concat([out, firsts.reset_index(drop=True)], axis=1)


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
