"""PDF reports: paragraphs rebuilt from printed lines, page numbers kept out of the text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import fazhi
from fazhi._resources import seeds_dir
from fazhi.corpus.readers import read_document

pytest.importorskip("reportlab")

FONT = "STSong-Light"
SIZE = 14
PAGE_W, PAGE_H = 595.2756, 841.8898  # A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72, 72, 90
# A line may not start with closing punctuation; Word moves the previous character down.
NO_LINE_START = "，。、；：？！）》”’,.;:?!)"


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def seed_text() -> str:
    return sorted(seeds_dir().glob("000_*.txt"))[0].read_text(encoding="utf-8")


def wrap(paragraph: str, width: float, indent: float) -> list[str]:
    """Break a paragraph into lines as a word processor does: a run of digits or Latin
    letters stays whole, and no line starts with closing punctuation."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_font()
    tokens = re.findall(r"[A-Za-z0-9.%]+|.", paragraph)
    lines, line, room = [], "", width - indent
    for token in tokens:
        if line and stringWidth(line + token, FONT, SIZE) > room:
            if token in NO_LINE_START:
                line, token = line[:-1], line[-1] + token
            lines.append(line)
            line, room = "", width
        line += token
    return [*lines, line]


def render(paragraphs: list[str], *, columns: int = 30, indent: bool = True,
           footer: str = "— {n} —") -> bytes:
    """A report as a government office prints it: 2-character first-line indents (or none),
    the signature and date set right, a page number centred in every footer."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    register_font()
    width = columns * SIZE
    placed: list[tuple[str, float]] = []  # (line, x)
    for i, paragraph in enumerate(paragraphs):
        if i >= len(paragraphs) - 2:  # signature and date
            placed.append((paragraph, MARGIN_X + width - pdfmetrics.stringWidth(paragraph, FONT, SIZE)))
            continue
        first = 2 * SIZE if indent else 0
        for j, line in enumerate(wrap(paragraph, width, first)):
            placed.append((line, MARGIN_X + (first if j == 0 else 0)))
    per_page = int((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) // (1.5 * SIZE))
    pages = [placed[i:i + per_page] for i in range(0, len(placed), per_page)]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
    for n, page in enumerate(pages, 1):
        pdf.setFont(FONT, SIZE)
        for k, (line, x) in enumerate(page):
            pdf.drawString(x, PAGE_H - MARGIN_TOP - SIZE - k * 1.5 * SIZE, line)
        pdf.setFont(FONT, 10)
        pdf.drawCentredString(PAGE_W / 2, 45, footer.format(n=n, total=len(pages)))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def columns_cutting(paragraphs: list[str], number: str) -> int:
    """A line width at which a line ends right after ``number``, cutting it from its unit."""
    for columns in range(26, 40):
        lines = [ln for p in paragraphs for ln in wrap(p, columns * SIZE, 2 * SIZE)]
        if any(ln.endswith(number) for ln in lines):
            return columns
    raise AssertionError(f"no width between 26 and 40 characters cuts after {number}")


def paragraphs_of(path: Path) -> list[str]:
    corpus = fazhi.load_corpus(path)
    return corpus.paragraphs["text"].tolist()


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> tuple[Path, Path]:
    text = seed_text()
    paragraphs = text.strip().split("\n")
    folder = tmp_path_factory.mktemp("pdf")
    txt = folder / "txt" / "report.txt"
    txt.parent.mkdir()
    txt.write_text(text, encoding="utf-8")
    pdf = folder / "pdf" / "report.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(render(paragraphs, columns=columns_cutting(paragraphs, "5293")))
    return txt, pdf


def test_seed_pdf_spans_several_pages_and_cuts_5293_from_its_unit(seed_pdf):
    import pdfplumber

    with pdfplumber.open(seed_pdf[1]) as pdf:
        printed = [ln["text"] for page in pdf.pages for ln in page.extract_text_lines()]
        assert len(pdf.pages) >= 3
    assert any(ln.endswith("5293") for ln in printed)
    assert "— 2 —" in printed


def test_seed_pdf_has_the_paragraphs_of_the_text_file(seed_pdf):
    txt, pdf = seed_pdf
    assert paragraphs_of(pdf) == paragraphs_of(txt)


def test_seed_pdf_has_the_text_of_the_text_file(seed_pdf):
    txt, pdf = seed_pdf
    assert fazhi.load_corpus(pdf).docs["text"].tolist() == fazhi.load_corpus(txt).docs["text"].tolist()


def test_page_numbers_are_removed_and_recorded(seed_pdf):
    corpus = fazhi.load_corpus(seed_pdf[1])
    assert {"— 1 —", "— 2 —"} <= set(corpus.removed["line"])
    assert "—" not in corpus.docs["text"].iloc[0]


def test_no_fact_comes_from_a_page_number_and_5293_keeps_its_unit(seed_pdf):
    txt, pdf = seed_pdf
    facts = fazhi.extract_facts(fazhi.load_corpus(pdf), cache=False)
    expected = fazhi.extract_facts(fazhi.load_corpus(txt), cache=False)
    columns = ["label", "value", "unit"]
    assert facts[columns].values.tolist() == expected[columns].values.tolist()
    assert facts.loc[facts["value"] == 5293, "unit"].tolist() == ["条"]
    assert not facts["sentence"].str.contains("—").any()


@pytest.mark.parametrize("footer", ["- {n} -", "第 {n} 页 共 {total} 页", "第{n}页", "{n}/{total}"])
def test_footer_styles_are_kept_out_of_paragraphs(tmp_path, footer):
    paragraphs = seed_text().strip().split("\n")
    path = tmp_path / "report.pdf"
    path.write_bytes(render(paragraphs, footer=footer))
    corpus = fazhi.load_corpus(path)
    seed = fazhi.load_corpus(sorted(seeds_dir().glob("000_*.txt"))[0])
    assert corpus.docs["text"].tolist() == seed.docs["text"].tolist()
    assert len(corpus.removed) == len(seed.removed) + 3  # one page number a page


def test_pdf_without_indents_breaks_at_short_lines_and_headings(tmp_path):
    # Without indents or spacing a full line ending in 。 may or may not end its paragraph;
    # headings, cut words and cut units are still unambiguous.
    paragraphs = seed_text().strip().split("\n")
    path = tmp_path / "report.pdf"
    path.write_bytes(render(paragraphs, indent=False, columns=columns_cutting(paragraphs, "5293")))
    lines = read_document(path).text.split("\n")
    heading = re.compile(r"[一二三]、|\([一二三四]\)")
    headings = [p for p in paragraphs if heading.match(p)]
    starts = [ln for ln in lines if heading.match(ln)]
    assert len(starts) == len(headings)
    assert all(p.startswith(ln) for p, ln in zip(headings, starts))
    text = "".join(lines)
    assert "".join(paragraphs) == re.sub(r"— \d —", "", text)
    assert any("全市政府信息公开目录系统公开信息5293条" in ln for ln in lines)
