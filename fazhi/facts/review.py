"""The review loop: a researcher's verdicts on extracted figures, kept in a
``facts_review.csv`` next to the corpus and applied on every run, as ``metadata.csv`` is.

Each fact has a ``fact_id`` (the document text's digest and the figure's offset, see
:func:`fazhi.facts.extract.extract_facts`), so a verdict stays attached to its figure across
runs, and across corpora holding the same text. The file has the columns

- ``fact_id`` — the figure;
- ``verdict`` — ``accept`` (the figure is right), ``reject`` (not a fact: dropped) or
  ``correct`` (right figure, wrong reading: the next columns replace what was read);
- ``value``, ``unit``, ``indicator`` — for ``correct``, the corrected reading; an empty cell
  keeps what was extracted.

Other columns are ignored and rows with an empty verdict are skipped, so the sheet
:func:`facts_to_review` writes can be filled in and saved as ``facts_review.csv``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..exceptions import ParameterError, ReviewError

#: the file name looked for next to a corpus
REVIEW_FILE = "facts_review.csv"
VERDICTS = ("accept", "reject", "correct")
#: columns of a review file (others are ignored)
REVIEW_COLUMNS = ["fact_id", "verdict", "value", "unit", "indicator"]
_CONTEXT = ["place", "year", "about", "label", "sentence", "doc_id"]


def read_review(path: str | Path) -> pd.DataFrame:
    """The verdicts of a review file, checked: one row per reviewed fact.

    Raises
    ------
    ReviewError
        Naming the file and the line of a bad row (unknown verdict, a value that is not a
        number, a correction that changes nothing, a fact reviewed twice).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "facts_review.csv"
    >>> _ = f.write_text("fact_id,verdict,value\\n3f2a9c1b7e4d-120,correct,822\\n", "utf-8")
    >>> read_review(f)[["fact_id", "verdict", "value"]].values.tolist()
    [['3f2a9c1b7e4d-120', 'correct', 822.0]]
    """
    path = Path(path)
    if not path.is_file():
        raise ReviewError(path, "review file not found")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as e:
        raise ReviewError(path, f"cannot be read as CSV ({e}); save it as CSV, UTF-8") from e
    missing = [c for c in ("fact_id", "verdict") if c not in table.columns]
    if missing:
        raise ReviewError(path, f"needs the column(s) {missing}; the columns are "
                                f"{', '.join(REVIEW_COLUMNS)}")
    for column in ("value", "unit", "indicator"):
        if column not in table.columns:
            table[column] = ""
    table = table[REVIEW_COLUMNS].apply(lambda col: col.str.strip())
    table["line"] = range(2, len(table) + 2)  # as a spreadsheet numbers them, header = 1
    table = table[table["verdict"] != ""]
    seen: dict[str, int] = {}
    values = []
    for row in table.itertuples(index=False):
        where = f"line {row.line} (fact_id {row.fact_id or '?'})"
        if not row.fact_id:
            raise ReviewError(path, f"line {row.line}: fact_id is empty")
        if row.fact_id in seen:
            raise ReviewError(path, f"{where}: the fact is reviewed twice, also on line "
                                    f"{seen[row.fact_id]}; keep one verdict")
        seen[row.fact_id] = row.line
        if row.verdict not in VERDICTS:
            raise ReviewError(path, f"{where}: verdict {row.verdict!r} is not one of "
                                    f"{', '.join(VERDICTS)}")
        try:
            values.append(float(row.value.replace(",", "")) if row.value else None)
        except ValueError:
            raise ReviewError(path, f"{where}: value {row.value!r} is not a number; write "
                                    "it plainly, 万 and 亿 applied (4130000, 12.5)") from None
        if row.verdict == "correct" and not (row.value or row.unit or row.indicator):
            raise ReviewError(path, f"{where}: a correction needs a value, unit or indicator")
    table["value"] = pd.array(values, dtype="Float64")
    return table.reset_index(drop=True)


def apply_review(facts: pd.DataFrame, review: str | Path) -> pd.DataFrame:
    """``facts`` with the verdicts of ``review`` applied.

    Rejected facts are dropped; corrected ones take the value, unit and indicator given;
    column ``reviewed`` is ``accept`` or ``correct`` for reviewed facts, ``""`` for the
    others. ``facts.attrs["review"]`` counts what was applied. A verdict on a document of
    these facts whose figure is no longer found (the text or the extractor changed) is
    warned about.

    Examples
    --------
    >>> import tempfile, pathlib, fazhi
    >>> facts = fazhi.extract_facts("受理行政复议案件156件,办复率100%。", doc_id="d")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "facts_review.csv"
    >>> rows = [f"{facts.fact_id[0]},correct,158", f"{facts.fact_id[1]},reject,"]
    >>> _ = f.write_text("\\n".join(["fact_id,verdict,value", *rows]), "utf-8")
    >>> apply_review(facts, f)[["value", "reviewed"]].values.tolist()
    [[158.0, 'correct']]
    """
    verdicts = read_review(review)
    facts = facts.copy()
    hit = facts["fact_id"].isin(verdicts["fact_id"])
    rows = verdicts.set_index("fact_id").loc[facts.loc[hit, "fact_id"]]
    rows.index = facts.index[hit]
    corrected = rows.index[rows["verdict"] == "correct"]
    for column in ("value", "unit", "indicator"):
        given = rows.loc[corrected, column]
        given = given[given.notna() & (given != "")]
        facts.loc[given.index, column] = given.astype(float if column == "value" else object)
    facts.loc[rows.index, "reviewed"] = rows["verdict"]
    rejected = rows.index[rows["verdict"] == "reject"]
    _warn_lost(verdicts, facts, review)
    facts = facts.drop(index=rejected)
    facts.attrs["review"] = {"file": str(review),
                             "accepted": int((rows["verdict"] == "accept").sum()),
                             "corrected": len(corrected), "rejected": len(rejected)}
    return facts


def _document_key(fact_ids: pd.Series) -> pd.Series:
    return fact_ids.str.rsplit("-", n=1).str[0]


def _warn_lost(verdicts: pd.DataFrame, facts: pd.DataFrame, review: str | Path) -> None:
    # A verdict on a text not in this corpus is simply not for it (a filtered corpus); one
    # on a text that is here but whose figure is gone would silently stop applying.
    lost = verdicts[~verdicts["fact_id"].isin(facts["fact_id"])
                    & _document_key(verdicts["fact_id"]).isin(_document_key(facts["fact_id"]))]
    if len(lost):
        lines = ", ".join(map(str, lost["line"].head(10)))
        warnings.warn(f"{review}: {len(lost)} verdict(s) name a figure of a loaded report that "
                      f"is no longer found (lines {lines}); check them against "
                      "facts_to_review()", stacklevel=3)


def review_summary(facts: pd.DataFrame) -> pd.DataFrame:
    """How many figures were extracted, reviewed (accepted or corrected), rejected, and
    are left to review.

    Examples
    --------
    >>> import fazhi
    >>> review_summary(fazhi.extract_facts("受理行政复议案件156件。")).to_dict("records")
    [{'facts': 1, 'reviewed': 0, 'accepted': 0, 'corrected': 0, 'rejected': 0, 'to_review': 1, 'file': ''}]
    """
    applied = facts.attrs.get("review") or {}
    reviewed = facts["reviewed"].fillna("")
    return pd.DataFrame([{
        "facts": len(facts), "reviewed": int((reviewed != "").sum()),
        "accepted": int((reviewed == "accept").sum()),
        "corrected": int((reviewed == "correct").sum()),
        "rejected": int(applied.get("rejected", 0)), "to_review": int((reviewed == "").sum()),
        "file": applied.get("file", ""),
    }])


def facts_to_review(facts: pd.DataFrame) -> pd.DataFrame:
    """The figures not reviewed yet, as a sheet to check: ``fact_id``, an empty ``verdict``,
    the ``value``, ``unit`` and ``indicator`` read (edit them for ``correct``), then what to
    judge them by (``place, year, about, label, sentence, doc_id`` as far as known).

    Fill in the verdicts and save the sheet as ``facts_review.csv`` next to the corpus.

    Examples
    --------
    >>> import fazhi
    >>> sheet = facts_to_review(fazhi.extract_facts("受理行政复议案件156件。", doc_id="d"))
    >>> sheet.columns.tolist()
    ['fact_id', 'verdict', 'value', 'unit', 'indicator', 'about', 'label', 'sentence', 'doc_id']
    """
    todo = facts[facts["reviewed"].fillna("") == ""]
    sheet = todo[["fact_id"]].assign(verdict="")
    for column in ["value", "unit", "indicator", *_CONTEXT]:
        if column in todo.columns:
            sheet[column] = todo[column]
    return sheet.reset_index(drop=True)


def facts_sample(facts: pd.DataFrame, n: int = 20, random_state: int = 0) -> pd.DataFrame:
    """A seeded random sample of figures with their sentences, to check by hand.

    ``n`` figures are drawn with ``random_state`` (the same facts give the same sample).
    Mark each row's ``correct`` column 1 when the figure is a quantity the report states,
    read right (value, unit, bound), and its ``label`` says what it counts — else 0 — then
    compute :func:`fazhi.precision` (``category`` is the indicator, ``未归类`` for a figure
    the dictionary does not know).

    Returns
    -------
    DataFrame
        fact_id, place, year, category, label, value, unit, bound, running, about,
        sentence, correct (empty), as far as the columns are known.

    Examples
    --------
    >>> import fazhi
    >>> sample = facts_sample(fazhi.extract_facts(fazhi.load_corpus()), n=5)
    >>> len(sample), bool(sample["correct"].isna().all())
    (5, True)
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"n must be a positive integer, got {n!r}")
    drawn = facts.sample(n=n, random_state=random_state).sort_index() if len(facts) > n else facts
    out = drawn.assign(category=drawn["indicator"].fillna("").replace("", "未归类"),
                       correct=pd.NA)
    columns = ["fact_id", "place", "year", "category", "label", "value", "unit", "bound",
               "running", "about", "sentence", "correct"]
    return out[[c for c in columns if c in out.columns]].reset_index(drop=True)
