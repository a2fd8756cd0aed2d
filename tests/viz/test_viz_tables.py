"""Tables for reading: the report label, the one-line summaries that replace bare reprs."""

from __future__ import annotations

import pandas as pd
import pytest

from fazhi.viz.tables import show_table, summary_line


def test_show_table_adds_the_report_label_from_doc_id():
    table = pd.DataFrame({"doc_id": ["a", "b"], "place": ["普宁市", "汕尾市"],
                          "year": [2020, 2022], "organ": ["普宁市人民政府", "汕尾市人民政府"]})
    shown = show_table(table, columns=["report", "organ"])
    assert repr(shown).split("\n")[1].split() == ["0", "普宁市", "2020", "普宁市人民政府"]


def test_summary_line_of_a_corpus_names_its_size_years_and_places(seed_corpus):
    line = summary_line(seed_corpus)
    assert repr(line).startswith("语料 corpus: 5 篇报告 reports · ")
    assert "年份 years 2018–2022" in repr(line) and "青岛市" in repr(line)


def test_summary_line_of_tokens_counts_units_and_kept_tokens(seed_corpus):
    import fazhi

    line = repr(summary_line(fazhi.tokenize_corpus(seed_corpus)))
    assert line.startswith("分词 tokens: 122 个单位 units (paragraph) · ")
    assert "Tokens(" not in line


def test_summary_line_of_paths_shows_file_names_not_reprs():
    from pathlib import PosixPath

    line = summary_line([PosixPath("/tmp/x/普宁.txt"), PosixPath("/tmp/x/汕尾.docx")])
    assert repr(line) == "2 个文件 files: 普宁.txt、汕尾.docx"
    assert "PosixPath" not in line._repr_html_()


def test_summary_line_escapes_text_in_html():
    assert summary_line(["<b>.txt"])._repr_html_() == "<p>1 个文件 files: &lt;b&gt;.txt</p>"


def test_summary_line_refuses_other_objects():
    with pytest.raises(TypeError, match="Corpus, Tokens or a list of files"):
        summary_line(42)
