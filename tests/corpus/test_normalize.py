"""Normalisation: 繁→简, boilerplate removal that keeps what it removed, whitespace."""

from __future__ import annotations

from fazhi.corpus.normalize import normalize_text, to_simplified


def test_traditional_report_is_converted_and_marked():
    n = normalize_text("按照有關規定,現將市政府辦公廳2020年度法治政府建設情況總結如下。")
    assert n.text == "按照有关规定,现将市政府办公厅2020年度法治政府建设情况总结如下。"
    assert n.script == "traditional"


def test_simplified_text_is_left_as_it_is():
    text = "2022年,市政府办坚持以习近平新时代中国特色社会主义思想为指导。"
    assert to_simplified(text) == (text, "simplified")


def test_scraped_page_furniture_is_removed_and_recorded():
    page = ("市政府部门\n\n您现在的位置 首页 > 政务公开 > 法治政府建设 > 市政府部门\n\n"
            "市政府办公厅2018年法治政府建设重点工作落实情况\n\n"
            "信息来源:市政府办公厅 信息提供日期:2019-01-04 17:09 【字体: 视力保护色:\n\n"
            "  2018年,我厅深入学习贯彻习近平新时代中国特色社会主义思想。\n\n触碰右侧展开")
    n = normalize_text(page)
    assert n.text == ("市政府办公厅2018年法治政府建设重点工作落实情况\n"
                      "2018年,我厅深入学习贯彻习近平新时代中国特色社会主义思想。")
    assert n.removed[0] == "市政府部门"
    assert len(n.removed) == 4


def test_leaving_site_notice_and_traditional_share_line_are_removed():
    n = normalize_text("五是加强政务公开平台建设。\n掃一掃在手機打開當前頁\n"
                       "您访问的链接即将离开“海丰县人民政府”门户网站,是否继续?")
    assert n.text == "五是加强政务公开平台建设。"
    assert n.removed == ("扫一扫在手机打开当前页", "您访问的链接即将离开“海丰县人民政府”门户网站,是否继续?")


def test_prose_that_mentions_page_words_is_kept():
    line = ("督促决策事项承办单位根据重大行政决策的公众影响范围和程度,采用座谈会、协商会、听证会、"
            "民意调查等多种形式广泛听取意见,信息来源真实可靠。")
    assert normalize_text(line).text == line


def test_footer_lines_are_removed():
    n = normalize_text("全年办理行政复议案件15件。\n主办单位:某市人民政府办公室\n网站标识码:4403000001 粤ICP备05025426号")
    assert n.text == "全年办理行政复议案件15件。"


def test_full_width_forms_and_spaces_are_normalised():
    n = normalize_text("  全年办结率达到１００％,\u3000群众满意度９８．５％。 \r\n\r\n法 治 政 府")
    assert n.text == "全年办结率达到100%, 群众满意度98.5%。\n法治政府"


def test_user_patterns_extend_the_shipped_ones(tmp_path):
    extra = tmp_path / "mine.txt"
    extra.write_text("# our portal\n本文由.*编辑\n", encoding="utf-8")
    n = normalize_text("依法行政工作扎实推进。\n本文由区司法局编辑", boilerplate=[extra])
    assert n.text == "依法行政工作扎实推进。"
