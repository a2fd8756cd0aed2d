"""Accuracy of the corpus loader and the fact extractor on published reports.

Reads ``../shared/realdev`` (or ``--realdev DIR``, or ``$FAZHI_REALDEV``): the openings of
30 real reports with a careful reader's values. Its README gives the conventions, which are
the ones this script scores:

- **metadata**: year, province, city, county, level, date and organ of every text against
  ``meta.tsv``. ``*`` in a cell is not scored; an empty cell must come out empty (a place
  the software guesses for an anonymised report is wrong). Both sides are compared in 简体.
- **recall**: each row of ``facts.tsv`` (the clearest figures of each text) is found when
  the text's facts hold its value with one of its units (``|件`` = none or 件).
- **precision, judged**: every extracted figure that matches a row of ``fact_labels.tsv``
  (same document and value; the row whose sentence snippet agrees best with the text around
  the figure) counts as right when the row says ``fact`` and as wrong when it says
  ``not_fact`` or ``misread``; figures no row judges are left out.
- **precision, strict**: every extracted figure counts; it is right only when it matches a
  ``facts.tsv`` row or a ``fact`` label. The figures that match neither are listed: they are
  new figures to check by reading.
- **forbidden**: figures judged to be years, dates, index or document numbers, plus any
  whole number between 1949 and 2035 without a unit (what a year read as a count looks like).

Every miss is printed, then the summary (the last lines). ``--json FILE`` writes the figures.

    .venv/bin/python benchmarks/accuracy.py
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
META_FIELDS = ("year", "province", "city", "county", "level", "date", "organ")
# judged reasons that the issue forbids outright
FORBIDDEN_WHY = {"year", "docno", "index", "date"}


def default_realdev() -> Path:
    env = os.environ.get("FAZHI_REALDEV")
    return Path(env) if env else ROOT.parent / "shared" / "realdev"


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _simplified():
    import opencc

    conv = opencc.OpenCC("t2s")
    return conv.convert


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@dataclass
class Result:
    n_docs: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> [right, scored]
    field_misses: list[str] = field(default_factory=list)
    recall: list[int] = field(default_factory=lambda: [0, 0])
    approx: list[int] = field(default_factory=lambda: [0, 0])
    recall_misses: list[str] = field(default_factory=list)
    judged: list[int] = field(default_factory=lambda: [0, 0])  # right, judged
    strict: list[int] = field(default_factory=lambda: [0, 0])  # right, all
    false_judged: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        def ratio(pair: list[int]) -> float:
            return pair[0] / pair[1] if pair[1] else float("nan")

        out = {f"meta.{k}": ratio(v) for k, v in self.fields.items()}
        out.update({"facts.recall": ratio(self.recall),
                    "facts.approx_agreement": ratio(self.approx),
                    "facts.precision_judged": ratio(self.judged),
                    "facts.precision_strict": ratio(self.strict),
                    "facts.forbidden": float(len(self.forbidden)),
                    "facts.extracted": float(self.strict[1])})
        return out


def _score_meta(docs, meta_rows: list[dict[str, str]], t2s, res: Result) -> None:
    by_id = {str(d["doc_id"]): d for d in docs.to_dict("records")}
    for row in meta_rows:
        doc_id = Path(row["file"]).stem
        got = by_id.get(doc_id)
        for name in META_FIELDS:
            want = (row.get(name) or "").strip()
            if want == "*":
                continue
            right_scored = res.fields.setdefault(name, [0, 0])
            right_scored[1] += 1
            value = "" if got is None else got.get(name)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                value = ""
            try:
                import pandas as pd

                if value is pd.NA:
                    value = ""
            except ImportError:  # pragma: no cover
                pass
            value = t2s(str(value).strip())
            if value == t2s(want):
                right_scored[0] += 1
            else:
                res.field_misses.append(f"{name:8} {doc_id}: got {value or '∅'!s}, "
                                        f"want {want or '∅'}")


def _context_score(text: str, start: int, end: int, snippet: str) -> int:
    """How many characters of the label's snippet agree with the text around a figure."""
    if "【" not in snippet:
        return 0
    left, _, rest = snippet.partition("【")
    _, _, right = rest.partition("】")
    before, after = text[:start], text[end:]
    n = 0
    for a, b in zip(reversed(left), reversed(before)):
        if a != b:
            break
        n += 1
    m = 0
    for a, b in zip(right, after):
        if a != b:
            break
        m += 1
    return n + m


def _score_facts(corpus, facts, fact_rows, label_rows, res: Result) -> None:
    texts = dict(zip(corpus.docs["doc_id"].astype(str), corpus.docs["text"]))
    gold: dict[str, list[dict]] = {}
    for row in fact_rows:
        units = set(row["unit"].split("|"))
        gold.setdefault(Path(row["file"]).stem, []).append(
            {"value": float(row["value"]), "units": units, "approx": row["approx"] == "1",
             "hint": row.get("hint", "")})
    labels: dict[str, list[dict]] = {}
    for row in label_rows:
        labels.setdefault(row["doc_id"], []).append({**row, "value": float(row["value"])})
    by_doc = {d: g for d, g in facts.groupby(facts["doc_id"].astype(str))}

    # recall: each gold figure, value and unit
    for doc_id, rows in gold.items():
        got = by_doc.get(doc_id)
        for g in rows:
            res.recall[1] += 1
            hits = [] if got is None else [
                f for f in got.to_dict("records") if _same_value(f["value"], g["value"])]
            exact = [f for f in hits if (f["unit"] or "") in g["units"]]
            if exact:
                res.recall[0] += 1
                res.approx[1] += 1
                res.approx[0] += any(bool(f["approx"]) == g["approx"] for f in exact)
                continue
            why = ("value found with unit " + "/".join(sorted({f["unit"] or "∅" for f in hits}))
                   if hits else "not found")
            res.recall_misses.append(f"{doc_id}: {g['value']:g} {'|'.join(sorted(g['units']))}"
                                     f" ({g['hint']}) — {why}")

    # precision: each extracted figure
    for f in facts.to_dict("records"):
        doc_id = str(f["doc_id"])
        text = texts.get(doc_id, "")
        where = f"{doc_id}: {f['value']:g}{f['unit'] or ''} «{_around(text, f['start'], f['end'])}»"
        # A label judges the figure as it was given, value and unit: a "misread" row no
        # longer applies once the figure carries another unit (a table cell given its unit).
        candidates = [r for r in labels.get(doc_id, []) if _same_value(r["value"], f["value"])
                      and not (r["verdict"] == "misread" and (r["unit"] or "") != (f["unit"] or ""))]
        label = max(candidates, key=lambda r: _context_score(text, f["start"], f["end"],
                                                              r["sentence_snippet"]),
                    default=None)
        in_gold = any(_same_value(g["value"], f["value"]) and (f["unit"] or "") in g["units"]
                      for g in gold.get(doc_id, []))
        res.strict[1] += 1
        if label is not None:
            res.judged[1] += 1
            if label["verdict"] == "fact":
                res.judged[0] += 1
            else:
                res.false_judged.append(f"{label['verdict']}/{label['why'] or '?'} {where}")
                if label["why"] in FORBIDDEN_WHY:
                    res.forbidden.append(f"{label['why']} {where}")
        if in_gold or (label is not None and label["verdict"] == "fact"):
            res.strict[0] += 1
        elif label is None:
            res.unjudged.append(where)
        value = f["value"]
        if (not f["unit"] and float(value).is_integer() and 1949 <= value <= 2035
                and not (label is not None and label["verdict"] == "fact")
                and not any(w.endswith(where) for w in res.forbidden)):
            res.forbidden.append(f"year-like {where}")


def _around(text: str, start: int, end: int, width: int = 12) -> str:
    s = text[max(0, start - width):start] + "【" + text[start:end] + "】" + text[end:end + width]
    return s.replace("\n", " ")


def evaluate(realdev: str | Path | None = None) -> Result:
    """Score ``fazhi.load_corpus`` and ``fazhi.extract_facts`` on a realdev folder."""
    import fazhi

    realdev = Path(realdev) if realdev else default_realdev()
    if not (realdev / "texts").is_dir():
        raise FileNotFoundError(f"{realdev}: no texts/ folder (the real development set)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = fazhi.load_corpus(realdev / "texts")
        facts = fazhi.extract_facts(corpus, cache=False)
    res = Result(n_docs=len(corpus))
    _score_meta(corpus.docs, _tsv(realdev / "meta.tsv"), _simplified(), res)
    _score_facts(corpus, facts, _tsv(realdev / "facts.tsv"), _tsv(realdev / "fact_labels.tsv"),
                 res)
    return res


def report(res: Result, out=sys.stdout) -> None:
    def block(title: str, lines: list[str]) -> None:
        print(f"\n## {title} ({len(lines)})", file=out)
        for line in lines:
            print("  " + line, file=out)

    block("metadata misses", res.field_misses)
    block("facts missed (facts.tsv)", res.recall_misses)
    block("false figures (judged not_fact / misread)", res.false_judged)
    block("figures no label judges (check by reading)", res.unjudged)
    block("years, dates, index or document numbers read as facts", res.forbidden)
    fig = res.figures()
    print(f"\n# accuracy on {res.n_docs} real reports", file=out)
    print("  ".join(f"{k[5:]} {fig['meta.' + k[5:]]:.3f}" for k in
                    sorted(f"meta.{n}" for n in res.fields) if k[5:] in META_FIELDS), file=out)
    print(f"facts recall {fig['facts.recall']:.3f} ({res.recall[0]}/{res.recall[1]}), "
          f"approx agreement {fig['facts.approx_agreement']:.3f}", file=out)
    print(f"precision judged {fig['facts.precision_judged']:.3f} "
          f"({res.judged[0]}/{res.judged[1]}), strict {fig['facts.precision_strict']:.3f} "
          f"({res.strict[0]}/{res.strict[1]}), forbidden {len(res.forbidden)}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdev", type=Path, default=None,
                    help="the real development set (default: ../shared/realdev)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    realdev = args.realdev or default_realdev()
    if not (realdev / "texts").is_dir():
        print(f"skipped: {realdev} is absent (the real development set, see the README)")
        return 0
    res = evaluate(realdev)
    report(res)
    if args.json:
        args.json.write_text(json.dumps(res.figures(), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
