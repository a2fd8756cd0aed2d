"""The course guide's metadata.csv template is a sidecar load_corpus accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import fazhi
from fazhi.corpus.load import _OVERRIDABLE, read_sidecar

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_template_has_every_column_a_sidecar_allows():
    side = read_sidecar(DOCS / "metadata_template.csv")
    assert set(side.columns) == _OVERRIDABLE | {"file"}


def test_the_template_overrides_the_seed_report_it_names(tmp_path):
    shutil.copy(fazhi.seeds_dir() / "000_eceb35f4adc4fa97.txt", tmp_path)
    text = (DOCS / "metadata_template.csv").read_text(encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(text.replace(",2020,", ",2021,"), encoding="utf-8")
    assert fazhi.load_corpus(tmp_path).docs["year"].tolist() == [2021]


def test_the_course_guide_is_linked_from_both_readmes():
    root = DOCS.parent
    assert "docs/teaching.md" in (root / "README.md").read_text(encoding="utf-8")
    assert "../docs/teaching.md" in (root / "notebooks" / "README.md").read_text(encoding="utf-8")
