"""read_document / iter_documents: every format, every common encoding, every bad input."""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from pathlib import Path

import pytest

from fazhi._resources import seeds_dir
from fazhi.corpus import html_text as html
from fazhi.corpus.readers import (
    SUPPORTED_SUFFIXES,
    RawDocument,
    decode_bytes,
    html_to_text,
    iter_documents,
    read_document,
)
from fazhi.exceptions import EmptyDocumentError, EncodingError, ReadError, UnsupportedFormatError

# From seeds/000 (普宁市人民政府办公室, 2020).
SIMPLIFIED = (
    "今年来,市政府办公室在市委、市政府的正确领导和市委全面依法治市委员会办公室的精心指导下,"
    "认真贯彻党的十九大和十九届四中、五中全会精神,按照《普宁市2020年全面依法治市工作要点》"
    "和2020年度工作部署,着力推动依法治市重大决策部署落实,全面深化依法执政和依法行政,"
    "努力为推动法治政府建设贡献力量。\n"
    "一、工作开展情况\n"
    "(一)着力推进“放管服”改革。推进251项事项进驻市政务服务中心,累计进驻事项663项。"
)
# From seeds/003 (青島市人民政府辦公廳, 2020), in 繁體.
TRADITIONAL = (
    "按照有關規定,現將市政府辦公廳2020年度法治政府建設情況總結如下。\n"
    "一、建立健全規章制度體系\n"
    "(一)修訂完善工作規則。協助市政府黨組加強法治政府建設,修訂了《中共青島市人民政府黨組"
    "工作規則》,強調堅持科學決策、民主決策、依法決策。"
)
SHORT_SIMPLIFIED = "法治政府建设年度报告"
SHORT_TRADITIONAL = "法治政府建設年度報告"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# -- plain text in every encoding ---------------------------------------------------------

ENCODED = [
    pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8", id="simplified-utf8"),
    pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-8-sig"), "utf-8-sig", id="simplified-utf8-bom"),
    pytest.param(SIMPLIFIED, SIMPLIFIED.encode("gb18030"), "gb18030", id="simplified-gb18030"),
    pytest.param(SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030", id="simplified-gbk"),
    pytest.param(SIMPLIFIED, SIMPLIFIED.encode("gb2312"), "gb18030", id="simplified-gb2312"),
    pytest.param(SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16",
                 id="simplified-utf16le-bom"),
    pytest.param(SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16",
                 id="simplified-utf16be-bom"),
    pytest.param(TRADITIONAL, TRADITIONAL.encode("utf-8"), "utf-8", id="traditional-utf8"),
    pytest.param(TRADITIONAL, TRADITIONAL.encode("big5"), "big5", id="traditional-big5"),
    pytest.param(TRADITIONAL, TRADITIONAL.encode("gbk"), "gb18030", id="traditional-gbk"),
    pytest.param(TRADITIONAL, codecs.BOM_UTF16_LE + TRADITIONAL.encode("utf-16-le"), "utf-16",
                 id="traditional-utf16le-bom"),
    pytest.param(SHORT_SIMPLIFIED, SHORT_SIMPLIFIED.encode("gbk"), "gb18030", id="short-gbk"),
    pytest.param(SHORT_TRADITIONAL, SHORT_TRADITIONAL.encode("big5"), "big5", id="short-big5"),
]


@pytest.mark.parametrize(("text", "data", "encoding"), ENCODED)
def test_text_file_decodes_to_the_original_text(tmp_path, text, data, encoding):
    doc = read_document(write(tmp_path, "报告.txt", data))
    assert doc.text == text


@pytest.mark.parametrize(("text", "data", "encoding"), ENCODED)
def test_text_file_reports_its_encoding(tmp_path, text, data, encoding):
    assert read_document(write(tmp_path, "报告.txt", data)).encoding == encoding


def test_short_gbk_text_is_not_taken_for_another_encoding():
    # charset-normalizer alone reads these GBK bytes as UTF-16-BE Hangul.
    data = "关于2022年度法治政府建设情况的报告".encode("gbk")
    assert decode_bytes(data) == ("关于2022年度法治政府建设情况的报告", "gb18030")


def test_short_big5_text_is_not_taken_for_gbk():
    # As GB18030 these bytes decode without error, to 俔賸.
    assert decode_bytes("總結".encode("big5")) == ("總結", "big5")


def test_markdown_file_is_read_as_text_without_its_markup(tmp_path):
    doc = read_document(write(tmp_path, "report.md", "# 法治政府建设年度报告\n\n一、工作开展情况\n"))
    assert (doc.format, doc.text) == ("md", "法治政府建设年度报告\n\n一、工作开展情况\n")


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings_become_newlines(tmp_path, newline):
    data = newline.join(["一、工作开展情况", "二、存在的不足", ""]).encode("gbk")
    assert read_document(write(tmp_path, "r.txt", data)).text == "一、工作开展情况\n二、存在的不足\n"


def test_uppercase_suffix_is_recognised(tmp_path):
    assert read_document(write(tmp_path, "REPORT.TXT", SIMPLIFIED)).format == "txt"


def test_all_seeds_read_as_utf8_text():
    docs = [read_document(p) for p in sorted(seeds_dir().glob("*.txt"))]
    assert [(d.format, d.encoding, len(d.text) > 1000) for d in docs] == [("txt", "utf-8", True)] * 5


def test_raw_document_is_frozen(tmp_path):
    doc = read_document(write(tmp_path, "r.txt", SIMPLIFIED))
    with pytest.raises(AttributeError):
        doc.text = "改写"


# -- HTML ------------------------------------------------------------------------------------

GOV_PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="普宁市人民政府办公室2020年法治政府建设年度报告">
<title>普宁市人民政府办公室2020年法治政府建设年度报告_普宁市人民政府门户网站</title>
<style>.TRS_Editor P{{font-size:16px;line-height:2}} body{{font-family:宋体}}</style>
<script>var _hmt = _hmt || []; document.write("统计代码加载中");</script>
</head><body>
<div class="header"><img src="logo.png"><span>普宁市人民政府门户网站</span></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/bsfw">办事服务</a></li></ul></div>
<div class="position">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
<div class="main">
  <h1 class="title">普宁市人民政府办公室2020年法治政府建设年度报告</h1>
  <div class="info">信息来源：普宁市人民政府办公室 发布日期：2021-01-15 【字体：大 中 小】</div>
  <div class="TRS_Editor">
    <p>　　今年来，市政府办公室在市委、市政府的正确领导下，认真贯彻党的十九大精神，
    着力推动依法治市重大决策部署落实。</p>
    <p><strong>一、工作开展情况</strong></p>
    <p>（一）着力推进“放管服”改革。推进251项事项进驻市政务服务中心，累计进驻事项663项。</p>
    <p>（二）规范行政决策程序。全年办理人大代表建议和政协提案<span>45</span>件，办复率100%。</p>
  </div>
  <div class="bdsharebuttonbox">分享到：微信 微博 QQ空间</div>
</div>
<div class="footer"><p>主办单位：普宁市人民政府办公室</p>
<p>网站标识码：4452810001 粤ICP备05083466号</p></div>
<script>console.log("页面统计脚本");</script>
</body></html>"""

ARTICLE = (
    "普宁市人民政府办公室2020年法治政府建设年度报告\n"
    "今年来，市政府办公室在市委、市政府的正确领导下，认真贯彻党的十九大精神，"
    "着力推动依法治市重大决策部署落实。\n"
    "一、工作开展情况\n"
    "（一）着力推进“放管服”改革。推进251项事项进驻市政务服务中心，累计进驻事项663项。\n"
    "（二）规范行政决策程序。全年办理人大代表建议和政协提案45件，办复率100%。"
)


@pytest.fixture
def gov_page(tmp_path) -> Path:
    return write(tmp_path, "report.html", GOV_PAGE.format(charset="utf-8"))


def test_html_article_is_extracted_with_paragraph_breaks(gov_page):
    assert read_document(gov_page).text == ARTICLE


@pytest.mark.parametrize("junk", [
    "var _hmt", "统计代码", "页面统计脚本", "font-size", "您现在的位置", "互动交流",
    "网站标识码", "ICP备", "分享到", "门户网站",
])
def test_html_page_furniture_is_dropped(gov_page, junk):
    assert junk not in read_document(gov_page).text


def test_html_format_is_html(gov_page):
    assert (read_document(gov_page).format, read_document(gov_page).encoding) == ("html", "utf-8")


def test_gbk_page_with_meta_charset_is_decoded(tmp_path):
    page = write(tmp_path, "report.htm", GOV_PAGE.format(charset="gb2312").encode("gbk"))
    doc = read_document(page)
    assert (doc.text, doc.encoding, doc.format) == (ARTICLE, "gb18030", "html")


def test_utf8_page_that_wrongly_declares_gb2312_is_read_as_utf8(tmp_path):
    page = write(tmp_path, "report.html", GOV_PAGE.format(charset="gb2312"))
    assert (read_document(page).text, read_document(page).encoding) == (ARTICLE, "utf-8")


def test_page_without_known_container_uses_the_block_with_most_chinese():
    page = """<html><body>
    <div class="links"><a href="#">省政府</a><a href="#">市政府</a></div>
    <div class="wrap"><div class="left"><p>热点新闻</p></div>
      <div class="right">
        <p>2022年，县政务服务数据管理局在县委县政府的正确领导下，深入学习贯彻党的二十大精神。</p>
        <p>二、存在的不足和原因。法治宣传教育的针对性和实效性有待进一步提高。</p>
      </div></div></body></html>"""
    assert html_to_text(page) == (
        "2022年，县政务服务数据管理局在县委县政府的正确领导下，深入学习贯彻党的二十大精神。\n"
        "二、存在的不足和原因。法治宣传教育的针对性和实效性有待进一步提高。"
    )


def test_small_content_match_does_not_hide_the_article():
    # A sidebar box with class "content" is not the article.
    page = """<body><div class="side"><div class="content">相关链接</div></div>
    <div id="main"><p>现将市政府办公厅2020年度法治政府建设情况总结如下。</p>
    <p>一、建立健全规章制度体系。修订完善工作规则，强调坚持科学决策、民主决策、依法决策。</p></div>
    </body>"""
    assert html_to_text(page) == (
        "现将市政府办公厅2020年度法治政府建设情况总结如下。\n"
        "一、建立健全规章制度体系。修订完善工作规则，强调坚持科学决策、民主决策、依法决策。"
    )


def test_furniture_inside_the_article_container_is_removed():
    page = """<body><div class="content">
    <div class="position">您现在的位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
    <p>2021年，我县深入学习贯彻习近平法治思想，全面推进法治政府建设。</p>
    <div class="bdsharebuttonbox">分享到：微信 微博</div>
    <p>二、存在的问题。一是法治意识有待增强。</p>
    <div class="print">【打印本页】【关闭窗口】</div></div></body>"""
    assert html_to_text(page) == (
        "2021年，我县深入学习贯彻习近平法治思想，全面推进法治政府建设。\n"
        "二、存在的问题。一是法治意识有待增强。"
    )


def test_long_article_wrapper_with_a_menu_like_class_is_kept():
    paragraph = "<p>2021年，我县深入学习贯彻习近平法治思想，全面推进法治政府建设。</p>" * 8
    page = f'<body><div class="nav">首页 政务公开</div><div class="top">{paragraph}</div></body>'
    assert html_to_text(page).count("全面推进法治政府建设") == 8


def test_title_block_outside_the_article_becomes_the_first_line():
    # The layout of www.gov.cn article pages.
    page = """<body><div class="BreadcrumbNav"><a>首页</a> &gt; <a>政策</a></div>
    <div class="pages-title">国务院办公厅2022年法治政府建设年度报告</div>
    <div class="pages-date">2023-03-30 来源: 中国政府网 【字体：大 中 小】</div>
    <div class="pages_content" id="UCAP-CONTENT">
      <p>2022年，国务院办公厅坚持以习近平新时代中国特色社会主义思想为指导。</p>
      <p>一、主要举措和成效</p></div>
    <div class="share">扫一扫在手机打开当前页</div><div style="display:none">隐藏的统计文字</div>
    </body>"""
    assert html_to_text(page) == (
        "国务院办公厅2022年法治政府建设年度报告\n"
        "2022年，国务院办公厅坚持以习近平新时代中国特色社会主义思想为指导。\n"
        "一、主要举措和成效"
    )


def test_logo_heading_is_not_taken_for_the_title():
    page = """<body><h1><a href="/"><img src="logo.png">普宁市人民政府</a></h1>
    <div class="TRS_Editor"><p>2020年，市政府办公室全面深化依法执政和依法行政。</p></div></body>"""
    assert html_to_text(page) == "2020年，市政府办公室全面深化依法执政和依法行政。"


def test_br_and_table_cells_become_line_breaks():
    page = """<div id="zoom">一、主要举措<br>（一）深化改革<br/>
    <table><tr><td>办复率</td><td>100%</td></tr></table></div>"""
    assert html_to_text(page) == "一、主要举措\n（一）深化改革\n办复率\n100%"


def test_source_line_wrap_between_chinese_characters_is_not_a_space():
    assert html_to_text('<div class="TRS_Editor"><p>依法治市\n      重大决策</p></div>') == "依法治市重大决策"


def test_broken_html_still_yields_its_text(tmp_path):
    truncated = ('<html><head><title>报告</title></head><body><div class="TRS_Editor">'
                 "<p>一、工作开展情况<p>（一）着力推进“放管服”改革。推进251项事项进驻<b>市政务服务中")
    doc = read_document(write(tmp_path, "broken.html", truncated))
    assert doc.text == "一、工作开展情况\n（一）着力推进“放管服”改革。推进251项事项进驻市政务服务中"


def test_html_with_only_scripts_and_menus_is_empty(tmp_path):
    page = write(tmp_path, "empty.html", '<html><head><script>var a="正文";</script></head>'
                                         '<body><div class="nav">首页 政务公开</div></body></html>')
    with pytest.raises(EmptyDocumentError, match="empty.html"):
        read_document(page)


# -- Word ------------------------------------------------------------------------------------

@pytest.fixture
def report_docx(tmp_path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("青岛市人民政府办公厅2020年度法治政府建设情况", level=1)
    document.add_paragraph("一、建立健全规章制度体系")
    table = document.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "指标", (0, 1): "数值", (1, 0): "办复率", (1, 1): "100%"}.items():
        table.cell(row, col).text = value
    document.add_paragraph("二、存在的不足")
    path = tmp_path / "report.docx"
    document.save(path)
    return path


def test_docx_paragraphs_and_table_cells_are_read_in_order(report_docx):
    assert read_document(report_docx).text == (
        "青岛市人民政府办公厅2020年度法治政府建设情况\n一、建立健全规章制度体系\n"
        "指标\n数值\n办复率\n100%\n二、存在的不足"
    )


def test_docx_has_format_docx_and_no_encoding(report_docx):
    doc = read_document(report_docx)
    assert (doc.format, doc.encoding) == ("docx", "")


def test_merged_docx_cell_is_read_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "法治政府建设"
    table.cell(0, 2).text = "年度报告"
    document.save(tmp_path / "merged.docx")
    assert read_document(tmp_path / "merged.docx").text == "法治政府建设\n年度报告"


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [
    pytest.param(zip_bytes({"readme.txt": "不是Word文档"}), id="zip-but-not-docx"),
    pytest.param(random.Random(1).randbytes(4096), id="random-bytes"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), id="old-doc"),
])
def test_corrupt_docx_is_a_read_error_naming_the_file(tmp_path, data):
    with pytest.raises(ReadError, match=r"坏文件\.docx.*not a valid Word|坏文件\.docx.*old Word"):
        read_document(write(tmp_path, "坏文件.docx", data))


def test_docx_without_text_is_empty(tmp_path):
    import docx

    docx.Document().save(tmp_path / "blank.docx")
    with pytest.raises(EmptyDocumentError, match="blank.docx"):
        read_document(tmp_path / "blank.docx")


# -- PDF -------------------------------------------------------------------------------------

PDF_LINES = ["普宁市人民政府办公室2020年法治政府建设年度报告", "一、工作开展情况",
             "（一）着力推进“放管服”改革，办复率100%。"]


def pdf_bytes(pages: list[list[str]], rectangle: bool = False) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(50, 780 - 20 * i, line)
        if rectangle:
            pdf.rect(100, 300, 300, 200, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def report_pdf(tmp_path) -> Path:
    return write(tmp_path, "report.pdf", pdf_bytes([PDF_LINES, ["二、存在的不足"]]))


def test_pdf_text_layer_is_read_with_pages_joined(report_pdf):
    assert read_document(report_pdf).text == "\n".join([*PDF_LINES, "二、存在的不足"])


def test_pdf_has_format_pdf_and_no_encoding(report_pdf):
    doc = read_document(report_pdf)
    assert (doc.format, doc.encoding) == ("pdf", "")


def test_pdf_without_text_layer_is_reported_as_scanned(tmp_path):
    path = write(tmp_path, "扫描件.pdf", pdf_bytes([[]], rectangle=True))
    with pytest.raises(EmptyDocumentError, match=r"扫描件\.pdf.*scanned PDF.*OCR"):
        read_document(path)


def test_truncated_pdf_is_a_read_error(tmp_path):
    data = pdf_bytes([PDF_LINES])
    path = write(tmp_path, "truncated.pdf", data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"truncated\.pdf.*(damaged|truncated)") as caught:
        read_document(path)
    assert not isinstance(caught.value, EmptyDocumentError)


def test_pdf_cut_before_its_end_marker_is_truncated_not_scanned(tmp_path):
    data = pdf_bytes([[]], rectangle=True)
    path = write(tmp_path, "cut.pdf", data[: data.rindex(b"%%EOF")])
    with pytest.raises(ReadError, match=r"cut\.pdf: the PDF is truncated") as caught:
        read_document(path)
    assert not isinstance(caught.value, EmptyDocumentError)


def test_text_file_named_pdf_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match=r"notes\.pdf.*not a PDF"):
        read_document(write(tmp_path, "notes.pdf", SIMPLIFIED))


# -- bad input -------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@pytest.mark.parametrize(("name", "data"), [
    ("empty.txt", b""),
    ("empty.html", b""),
    ("empty.docx", b""),
    ("empty.pdf", b""),
    ("blank.txt", " \n\t\r\n　　\n".encode()),
    ("blank.md", "\ufeff\n\n".encode()),
])
def test_empty_or_whitespace_file_is_empty_document(tmp_path, name, data):
    with pytest.raises(EmptyDocumentError, match=name.replace(".", r"\.")):
        read_document(write(tmp_path, name, data))


@pytest.mark.parametrize(("data", "problem"), [
    pytest.param(PNG, "PNG image", id="png"),
    pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(32), "JPEG image", id="jpeg"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(64), "PDF document", id="pdf"),
    pytest.param(random.Random(0).randbytes(4096), "NUL bytes", id="random-bytes"),
    pytest.param("依法行政\x00\x00\x00\x01\x02".encode(), "NUL bytes", id="text-with-nuls"),
])
def test_binary_file_named_txt_is_unsupported(tmp_path, data, problem):
    with pytest.raises(UnsupportedFormatError, match=rf"报告\.txt.*{problem}"):
        read_document(write(tmp_path, "报告.txt", data))


def test_undecodable_bytes_without_nuls_are_an_encoding_error(tmp_path):
    data = bytes(b for b in random.Random(2).randbytes(4096) if b)
    with pytest.raises(EncodingError, match=r"noise\.txt.*cannot be decoded"):
        read_document(write(tmp_path, "noise.txt", data))


def test_utf16_without_bom_is_decoded(tmp_path):
    doc = read_document(write(tmp_path, "r.txt", "一、工作开展情况\n".encode("utf-16-le")))
    assert (doc.text, doc.encoding) == ("一、工作开展情况\n", "utf-16-le")


def test_directory_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="is a folder"):
        read_document(tmp_path)


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match=r"missing\.txt: no such file"):
        read_document(tmp_path / "missing.txt")


@pytest.mark.parametrize("name", ["report.doc", "report.wps", "data.csv", "README"])
def test_unknown_suffix_is_unsupported(tmp_path, name):
    with pytest.raises(UnsupportedFormatError, match=rf"{name.replace('.', '[.]')}: fazhi cannot read"):
        read_document(write(tmp_path, name, SIMPLIFIED))


# -- files are never changed -----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["txt", "html", "docx", "pdf"])
def test_reading_leaves_bytes_and_mtime_unchanged(tmp_path, kind, request):
    path = {
        "txt": lambda: write(tmp_path, "r.txt", SIMPLIFIED.encode("gbk")),
        "html": lambda: request.getfixturevalue("gov_page"),
        "docx": lambda: request.getfixturevalue("report_docx"),
        "pdf": lambda: request.getfixturevalue("report_pdf"),
    }[kind]()
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_document(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# -- iter_documents --------------------------------------------------------------------------

@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    for name in ["b.txt", "a.html", "sub/c.pdf", "sub/d.docx", "notes.doc", ".hidden.txt",
                 ".git/config.txt", "~$d.docx", "metadata.csv", "index.json", "runs.yml",
                 "scan.png", "photo.jpg"]:
        write(tmp_path, name, "法治")
    return tmp_path


def test_folder_expands_to_sorted_report_files(corpus_dir):
    assert [p.relative_to(corpus_dir).as_posix() for p in iter_documents(corpus_dir)] == [
        "a.html", "b.txt", "notes.doc", "sub/c.pdf", "sub/d.docx"]


def test_files_and_folders_are_listed_once_in_the_order_given(corpus_dir):
    listed = iter_documents([corpus_dir / "b.txt", corpus_dir / "sub", corpus_dir / "sub/c.pdf"])
    assert [p.name for p in listed] == ["b.txt", "c.pdf", "d.docx"]


def test_single_path_string_is_accepted(corpus_dir):
    assert iter_documents(str(corpus_dir / "b.txt")) == [corpus_dir / "b.txt"]


def test_explicit_file_with_unknown_suffix_is_unsupported(corpus_dir):
    with pytest.raises(UnsupportedFormatError, match=r"index\.json"):
        iter_documents([corpus_dir / "index.json"])


def test_missing_path_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match=r"nowhere: no such file or folder"):
        iter_documents([tmp_path / "nowhere"])


def test_seeds_folder_lists_the_five_seeds():
    assert len(iter_documents(seeds_dir())) == 5


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def test_read_document_returns_path_as_given(tmp_path):
    path = write(tmp_path, "r.txt", SIMPLIFIED)
    assert read_document(path) == RawDocument(str(path), SIMPLIFIED, "txt", "utf-8")


def test_invalid_selector_in_the_data_file_is_named(tmp_path, monkeypatch):
    selectors = write(tmp_path, "html_content_selectors.txt", "[content]\n#zoom\ndiv[class=\n")
    monkeypatch.setattr(html, "data_path", lambda name: selectors)
    html._html_selectors.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"line 3: 'div\[class=' is not a valid CSS selector"):
            html_to_text("<p>法治</p>")
    finally:
        monkeypatch.undo()
        html._html_selectors.cache_clear()


# -- damaged UTF-8 ---------------------------------------------------------------------------

def seed_bytes() -> bytes:
    return sorted(seeds_dir().glob("*.txt"))[0].read_bytes()


def test_utf8_file_with_one_bad_byte_is_read_with_a_warning(tmp_path):
    data = seed_bytes()
    at = data.index("依法行政".encode())
    path = write(tmp_path, "坏字节.txt", data[:at] + b"\xff" + data[at + 3:])
    with pytest.warns(UserWarning, match=r"坏字节\.txt: 1 byte that (is|are) not valid UTF-8"):
        doc = read_document(path)
    assert doc.encoding == "utf-8"
    assert doc.text.count("\ufffd") == 1
    assert "\ufffd法行政" in doc.text
    assert doc.text.replace("\ufffd法行政", "依法行政") == data.decode("utf-8")


def test_utf8_file_with_many_bad_bytes_is_still_an_encoding_error(tmp_path):
    data = bytearray(seed_bytes())
    for i in range(0, len(data), 200):  # 0.5 % of the bytes
        data[i] = 0xFF
    with pytest.raises(EncodingError, match=r"damaged\.txt.*cannot be decoded"):
        read_document(write(tmp_path, "damaged.txt", bytes(data)))


def test_gbk_file_with_few_chinese_bytes_is_not_taken_for_damaged_utf8(tmp_path, recwarn):
    # Two GBK characters in 2,000 bytes of ASCII are under 0.1 % invalid UTF-8, yet GBK
    # explains them fully.
    data = b"Annual report, 2020. " * 100 + "报告".encode("gbk")
    assert read_document(write(tmp_path, "r.txt", data)).text.endswith("报告")
    assert not [w for w in recwarn if "UTF-8" in str(w.message)]


# -- Markdown --------------------------------------------------------------------------------

MARKDOWN_REPORT = """\
# 普宁市人民政府办公室2020年法治政府建设年度报告

> 来源：普宁市人民政府办公室

今年来，市政府办公室在市委、市政府的**正确领导**下，认真贯彻党的十九大精神，着力推动依法治市重大决策部署落实。

## 一、工作开展情况

### （一）着力推进“放管服”改革

推进**251项**事项进驻[市政务服务中心](http://www.puning.gov.cn/zwfw)，累计进驻事项*663项*。

![政务服务大厅](images/hall.png)

### （二）全力推行政务公开

- 一是全市政府信息公开目录系统公开信息5293条；
- 二是收到网友咨询、投诉等留言355条。

| 指标 | 数量 |
|------|-----:|
| 依申请公开信件 | 22件 |

## 二、存在问题

部分单位对法治政府建设的重要性认识不足。

#### 1. 宣传不够深入

1. 普法形式单一。

## 三、2021年工作打算

* 进一步深化`放管服`改革。

```
附件：工作台账
```

普宁市人民政府办公室

2020年12月23日
"""


def test_markdown_syntax_is_stripped(tmp_path):
    text = read_document(write(tmp_path, "report.md", MARKDOWN_REPORT)).text
    lines = [ln for ln in text.split("\n") if ln]
    assert lines[:3] == ["普宁市人民政府办公室2020年法治政府建设年度报告", "来源：普宁市人民政府办公室",
                         "今年来，市政府办公室在市委、市政府的正确领导下，认真贯彻党的十九大精神，"
                         "着力推动依法治市重大决策部署落实。"]
    assert "推进251项事项进驻市政务服务中心，累计进驻事项663项。" in lines
    assert "一是全市政府信息公开目录系统公开信息5293条；" in lines
    assert "依申请公开信件 22件" in lines
    assert ["1. 宣传不够深入", "1.普法形式单一。", "进一步深化放管服改革。", "附件：工作台账"] == [
        ln for ln in lines if ln.startswith(("1.", "进一步", "附件"))]
    assert not [ln for ln in lines if any(mark in ln for mark in "#*>|[]()`!")]


def test_markdown_report_has_its_title_year_and_sections(tmp_path):
    from fazhi import load_corpus

    corpus = load_corpus(write(tmp_path, "report.md", MARKDOWN_REPORT))
    doc = corpus.docs.iloc[0]
    assert (doc["title"], doc["year"]) == ("普宁市人民政府办公室2020年法治政府建设年度报告", 2020)
    paras = corpus.paragraphs
    kinds = dict(zip(paras["text"].str[:6], paras["kind"]))
    assert kinds["推进251项"] == "成效"
    assert kinds["一是全市政府"] == "成效"
    assert kinds["部分单位对法"] == "问题"
    assert kinds["1.普法形式"] == "问题"
    assert kinds["进一步深化放"] == "计划"
    assert set(paras["section"]) >= {"一、工作开展情况", "二、存在问题", "三、2021年工作打算"}
    assert paras.loc[paras["text"].str.startswith("推进251项"), "heading"].item() == (
        "一、工作开展情况 > (一)着力推进“放管服”改革")


@pytest.mark.parametrize(("markdown", "text"), [
    ("Setext 标题\n========", "Setext 标题"),
    ("---\n正文", "正文"),
    ("2\\*3 与 \\# 号", "2*3 与 # 号"),
    ("1. First item", "First item"),
    ("重点*工作*与__推进__", "重点工作与推进"),
    ("<p>段落</p><!-- 注释 -->", "段落"),
    ("[链接][1]\n\n[1]: http://example.cn", "链接\n"),
])
def test_markdown_inline_and_block_syntax(tmp_path, markdown, text):
    assert read_document(write(tmp_path, "r.md", markdown)).text == text
