"""The `fazhi` command: every subcommand runs on the bundled seeds and prints the contract's
columns."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from fazhi.cli import build_parser, main


def test_corpus_as_json_lists_the_five_seed_reports_with_their_metadata(capsys):
    assert main(["corpus", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 5
    puning = next(r for r in records if r["county"] == "普宁市")
    assert (puning["province"], puning["city"], puning["level"]) == ("广东省", "揭阳市", "县")


def test_indicators_as_csv_has_the_facts_columns(capsys):
    assert main(["indicators", "--format", "csv"]) == 0
    facts = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert {"doc_id", "indicator", "value", "unit", "sentence"} <= set(facts.columns)
    assert len(facts) > 20


def test_terms_prints_the_top_terms(capsys):
    assert main(["terms", "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "法治" in out


def test_an_unknown_group_column_is_an_error_that_names_it(capsys):
    assert main(["terms", "--by", "no_such_column"]) != 0
    assert "no_such_column" in capsys.readouterr().err


def test_store_writes_parts_the_other_commands_read(capsys, tmp_path):
    out = tmp_path / "store"
    assert main(["store", "--out-dir", str(out), "--docs-per-part", "2", "--no-tokens"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("5 reports, 122 paragraphs,") and "in 3 parts" in said
    assert len(list((out / "docs").glob("part-*.parquet"))) == 3
    assert not (out / "tokens").exists()
    assert main(["indicators", str(out), "--format", "csv"]) == 0
    stored = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert main(["indicators", "--format", "csv"]) == 0
    pd.testing.assert_frame_equal(stored, pd.read_csv(io.StringIO(capsys.readouterr().out)))
    assert main(["store", str(tmp_path / "nowhere"), "--out-dir", str(out)]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_render_takes_out_dir_and_keeps_out_as_its_old_spelling():
    parser = build_parser()
    assert parser.parse_args(["render", "--out-dir", "a"]).out == "a"
    assert parser.parse_args(["render", "--out", "b"]).out == "b"


@pytest.mark.parametrize("command", ["corpus", "indicators", "terms", "topics", "store",
                                     "render"])
def test_every_option_has_help_text(command):

    sub = next(a for a in build_parser()._actions if a.dest == "command").choices[command]
    silent = [a.option_strings or [a.dest] for a in sub._actions if not a.help]
    assert silent == []
    assert "Exit codes" in sub.format_help()


def test_an_option_with_a_default_shows_it():

    sub = next(a for a in build_parser()._actions if a.dest == "command").choices["terms"]
    text = " ".join(sub.format_help().split())
    assert "(default: 30)" in text and "(default: table)" in text
