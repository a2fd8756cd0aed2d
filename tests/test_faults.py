"""Hostile and broken input: every case ends in a clear message naming the file, the rest of
the batch goes on, and no input file is ever modified."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

import fazhi
from fazhi.corpus.html_text import _MAX_DEPTH, _flatten_deep_nesting, html_to_text
from fazhi.corpus.readers import OUTPUT_MARKER, iter_documents, read_document
from fazhi.exceptions import ReadError

REPORT = ("某市人民政府2021年法治政府建设情况报告\n"
          "一、主要工作\n全年办理行政复议案件128件,行政机关负责人出庭应诉率达100%。\n"
          "某市人民政府\n2022年1月20日\n")


def checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    return folder


# -- HTML nested to any depth ---------------------------------------------------------------

def nested_page(depth: int, tag: str = "div") -> str:
    body = "<p>法治政府建设情况报告。全年受理行政复议案件86件。</p>" * 20
    return f"<html><body>{f'<{tag}>' * depth}{body}{f'</{tag}>' * depth}</body></html>"


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_page_keeps_its_text(depth):
    text = html_to_text(nested_page(depth))
    assert text.count("全年受理行政复议案件86件") == 20


def test_nesting_beyond_the_limit_is_flattened_to_it():
    flat = _flatten_deep_nesting(nested_page(5 * _MAX_DEPTH, "section"))
    assert flat.count("<section>") == _MAX_DEPTH == flat.count("</section>")


def test_ordinary_page_is_parsed_as_it_is():
    page = nested_page(30) + "<ul><li>一<li>二<li>三</ul>" * 1000
    assert _flatten_deep_nesting(page) is page


# -- archives that unpack to far more than a report -----------------------------------------

def zip_bomb_docx(path: Path, paragraphs: int) -> Path:
    body = "<w:p/>" * paragraphs
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{body}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    path.write_bytes(buf.getvalue())
    return path


def test_docx_that_unpacks_a_thousand_fold_is_refused_by_name(tmp_path):
    bomb = zip_bomb_docx(tmp_path / "炸弹.docx", 2_000_000)  # 12 MB of XML in ~20 KB
    assert bomb.stat().st_size < 200_000
    with pytest.raises(ReadError, match=r"炸弹\.docx.*word/document\.xml would unpack to 11 MB"):
        read_document(bomb)


def test_batch_goes_on_past_a_zip_bomb(corpus_dir):
    zip_bomb_docx(corpus_dir / "bomb.docx", 2_000_000)
    before = checksums(corpus_dir)
    with pytest.warns(UserWarning, match="bomb.docx"):
        corp = fazhi.load_corpus(corpus_dir)
    assert corp.docs["doc_id"].tolist() == ["report"]
    assert corp.errors["path"].str.endswith("bomb.docx").tolist() == [True]
    assert checksums(corpus_dir) == before


# -- folders that cannot be read, links that loop -------------------------------------------

def test_unreadable_subfolder_is_reported_by_name(corpus_dir, monkeypatch):
    locked = corpus_dir / "2020"
    locked.mkdir()
    (locked / "hidden.txt").write_text(REPORT.replace("128", "64"), encoding="utf-8")
    if os.geteuid() == 0:  # root reads any folder: make listing it fail as it would for a user
        real = os.scandir

        def scandir(path="."):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    try:
        with pytest.warns(UserWarning, match="2020.*cannot be read"):
            corp = fazhi.load_corpus(corpus_dir)
    finally:
        locked.chmod(0o755)
    assert corp.docs["doc_id"].tolist() == ["report"]
    assert any(p.endswith("2020") for p in corp.errors["path"])


def test_symlink_loop_is_reported_as_a_loop(corpus_dir):
    (corpus_dir / "a.txt").symlink_to(corpus_dir / "b.txt")
    (corpus_dir / "b.txt").symlink_to(corpus_dir / "a.txt")
    with pytest.raises(ReadError, match=r"a\.txt: is a symbolic link .* loops"):
        read_document(corpus_dir / "a.txt")
    with pytest.raises(ReadError, match="loops"):
        iter_documents(corpus_dir / "a.txt")
    with pytest.warns(UserWarning, match="loops"):
        corp = fazhi.load_corpus(corpus_dir)
    assert corp.docs["doc_id"].tolist() == ["report"]
    assert sorted(Path(p).name for p in corp.errors["path"]) == ["a.txt", "b.txt"]


# -- what fazhi wrote is never read back as a report ----------------------------------------

def test_output_folder_inside_the_corpus_is_not_read(corpus_dir):
    out = corpus_dir / "outputs"
    out.mkdir()
    (out / OUTPUT_MARKER).write_text("", encoding="utf-8")
    (out / "index.html").write_text("<html><body><p>某县人民政府2019年报告</p></body></html>",
                                    encoding="utf-8")
    (out / "run").mkdir()
    (out / "run" / "01_term_frequency.html").write_text("<p>词频</p>", encoding="utf-8")
    assert [p.name for p in iter_documents(corpus_dir)] == ["report.txt"]


def test_output_folder_given_as_the_corpus_is_refused(corpus_dir):
    (corpus_dir / OUTPUT_MARKER).write_text("", encoding="utf-8")
    with pytest.warns(UserWarning, match="output folder"), \
            pytest.raises(fazhi.exceptions.CorpusError, match="output folder written by fazhi"):
        fazhi.load_corpus(corpus_dir)


# -- caches that cannot be written or hold strange things ------------------------------------

def test_corrupt_batch_in_a_read_only_cache_costs_only_speed(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(cache))
    text = "全年办理行政复议案件128件,办复率达到100%。"
    first = fazhi.extract_facts(text, doc_id="r")
    batch = next(cache.rglob("*.parquet"))
    batch.write_bytes(b"not parquet at all")
    folder = batch.parent
    real_unlink = Path.unlink

    def read_only_unlink(self, missing_ok=False):  # root ignores a folder's permissions
        if self.parent == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only_unlink)
    folder.chmod(0o555)
    try:
        with pytest.warns(RuntimeWarning, match="unreadable"):
            again = fazhi.extract_facts(text, doc_id="r")
    finally:
        folder.chmod(0o755)
    assert again[["value", "unit"]].values.tolist() == first[["value", "unit"]].values.tolist()


def test_a_folder_named_like_a_batch_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path / "cache"))
    text = "发布政府信息9351条。"
    fazhi.extract_facts(text, doc_id="r")
    batch = next((tmp_path / "cache").rglob("*.parquet"))
    (batch.parent / "odd.parquet").mkdir()
    assert fazhi.extract_facts(text, doc_id="r")["value"].tolist() == [9351.0]
