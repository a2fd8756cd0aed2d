"""The ``fazhi`` command: a thin skin over the Python API. Every subcommand defaults to the
bundled seeds."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

import pandas as pd

from .exceptions import FazhiError

FORMATS = ("table", "csv", "json")
WORKERS_HELP = "processes (none: one; worth it from a few hundred reports)"
EPILOG = ("Exit codes: 0 done; 1 a notebook failed (render); 2 a usage, input or output error "
          "(the message names the file and the problem); 130 interrupted. CSV output quotes a "
          "text cell starting with = + - @ with a leading ' so spreadsheets never run it.")


def _emit(df: pd.DataFrame, fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        from .io import spreadsheet_safe

        spreadsheet_safe(df).to_csv(out, index=False)
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 40):
            out.write(df.to_string(index=False) + "\n")


def _corpus(args):
    from .corpus.load import load_corpus

    return load_corpus(args.path or None, metadata=getattr(args, "metadata", None),
                       workers=getattr(args, "workers", None))


def _add_path(p: argparse.ArgumentParser, fmt: bool = True) -> None:
    p.add_argument("path", nargs="*",
                   help="folder, files, or one table file (.csv .jsonl .xlsx .parquet, one "
                        "report a row); none: the bundled seeds")
    p.add_argument("--metadata", help="sidecar metadata.csv (none: PATH/metadata.csv if there)")
    if fmt:
        p.add_argument("--format", choices=FORMATS, default="table",
                       help="table to read, csv or json to pipe on")


def cmd_corpus(args) -> int:
    corpus = _corpus(args)
    cols = [c for c in corpus.docs.columns if c != "text"]
    if args.format == "table":
        cols = ["doc_id", "title", "organ", "province", "city", "county", "level", "year",
                "date", "script", "n_chars"]
    _emit(corpus.docs[cols], args.format)
    return 0


def cmd_indicators(args) -> int:
    from .facts.extract import extract_facts

    facts = extract_facts(_corpus(args), workers=args.workers)
    if args.format == "table":
        facts = facts[["doc_id", "place", "year", "indicator", "label", "value", "unit",
                       "qualifier", "approx", "bound", "running"]].assign(
            value=lambda f: f["value"].map(lambda v: f"{v:f}".rstrip("0").rstrip(".")))
    _emit(facts, args.format)
    return 0


def cmd_terms(args) -> int:
    from .analysis.frequency import term_frequency
    from .tokens.segment import tokenize_corpus

    tokens = tokenize_corpus(_corpus(args), workers=args.workers)
    _emit(term_frequency(tokens, by=args.by, top_n=args.top), args.format)
    return 0


def cmd_topics(args) -> int:
    from .analysis.topics import fit_topics
    from .tokens.segment import tokenize_corpus

    tokens = tokenize_corpus(_corpus(args), unit=args.unit, workers=args.workers)
    model = fit_topics(tokens, n_topics=args.k, method=args.method)
    _emit(model.top_terms_table(), args.format)
    return 0


def cmd_store(args) -> int:
    from .process import process_corpus

    counts = process_corpus(args.path or None, args.out, workers=args.workers,
                            metadata=args.metadata, docs_per_part=args.docs_per_part,
                            tokens=not args.no_tokens, facts=not args.no_facts)
    print(f"{counts['docs']:,} reports, {counts['paragraphs']:,} paragraphs, "
          f"{counts['facts']:,} facts in {counts['parts']:,} parts; {counts['errors']:,} files "
          f"skipped or merged: {args.out}")
    return 0


def cmd_render(args) -> int:
    from .exceptions import RenderInterrupted
    from .reports.execute import render

    try:
        report = render(args.path or None, config=args.config, notebooks=args.notebooks,
                        out=args.out, workers=args.workers, no_input=args.no_input,
                        metadata=args.metadata, each=args.each, answers=not args.no_answers)
    except RenderInterrupted as stop:
        done = [r for r in stop.report.results if r.status in ("ok", "failed")]
        print(f"fazhi: interrupted: {len(done)}/{len(stop.report.results)} notebooks had "
              f"finished; {stop.report.index} says which", file=sys.stderr)
        return 130
    for failure in report.failures:
        print(f"fazhi: failed: {failure.run}/{failure.notebook}: {failure.error}", file=sys.stderr)
    n_ok = len(report.results) - len(report.failures)
    print(f"{n_ok}/{len(report.results)} notebooks rendered in {report.duration:.1f} s: "
          f"{report.index}")
    return 0 if report.ok else 1


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default; an option whose default is "none" says in
    its help what none means."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, False) or action.default is argparse.SUPPRESS:
            return action.help or ""
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fazhi", description="Quantitative analysis of 法治政府建设 reports.",
        epilog=EPILOG)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("corpus", formatter_class=_Help, epilog=EPILOG, help="one row per document, metadata only")
    _add_path(p)
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("indicators", formatter_class=_Help, epilog=EPILOG, help="one row per quantitative fact")
    _add_path(p)
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("terms", formatter_class=_Help, epilog=EPILOG, help="term frequencies")
    _add_path(p)
    p.add_argument("--top-n", "--top", dest="top", type=int, default=30,
                   help="terms kept (of each group); --top is the old spelling")
    p.add_argument("--by", nargs="+", default=None,
                   help="group by docs/paragraphs column(s): year, province, kind… (none: "
                        "the whole corpus)")
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("topics", formatter_class=_Help, epilog=EPILOG, help="TF-IDF topics")
    _add_path(p)
    p.add_argument("-k", type=int, default=None,
                   help="number of topics (none: the most coherent k)")
    p.add_argument("--unit", choices=("paragraph", "section", "document"), default="paragraph",
                   help="what the topic model sees as one text")
    p.add_argument("--method", choices=("nmf", "lda"), default="nmf",
                   help="NMF on TF-IDF, or LDA on counts")
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("store", formatter_class=_Help, epilog=EPILOG,
                       help="read, segment and extract facts a part at a time into a Parquet "
                            "store (memory does not grow with the corpus)")
    _add_path(p, fmt=False)
    p.add_argument("--out-dir", dest="out", required=True,
                   help="the store's folder; the other commands read it as PATH")
    p.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    p.add_argument("--docs-per-part", type=int, default=1000,
                   help="report files per part: what memory holds at a time")
    p.add_argument("--no-tokens", action="store_true", help="leave out the tokens table")
    p.add_argument("--no-facts", action="store_true", help="leave out the facts table")
    p.set_defaults(func=cmd_store)

    p = sub.add_parser("render", formatter_class=_Help, epilog=EPILOG, help="execute the notebooks and write HTML reports")
    _add_path(p, fmt=False)
    p.add_argument("--config", help="runs.yml: named parameter sets (none: one run named "
                                    "after the corpus)")
    p.add_argument("--notebooks", nargs="+", help="notebook names, numbers or paths "
                                                  "(none: all four)")
    p.add_argument("--out-dir", "--out", dest="out", default="outputs",
                   help="output folder (--out is the old spelling)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="notebooks executed at once, one kernel each (the CPUs of this "
                        "machine)")
    p.add_argument("--no-input", action="store_true",
                   help="hide the code cells in the HTML (reports for readers, not learners)")
    p.add_argument("--no-answers", action="store_true",
                   help="leave the exercises' answers out of the HTML (a handout for students)")
    p.add_argument("--each", metavar="COLUMN", default=None,
                   help="one report set per value of a docs column: province, city, county, "
                        "year, organ, level … (none: one for the whole corpus)")
    p.set_defaults(func=cmd_render)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FazhiError as e:
        print(f"fazhi: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `fazhi corpus | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
