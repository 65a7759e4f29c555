"""HTML pages to Documents: decoding, chrome removal, the article, table grids, hostile input."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import pytest

from nianbao.document import Document, Paragraph, Table
from nianbao.errors import UnreadableReport
from nianbao.extract.html import MAX_CELLS, MAX_SPAN, extract_html

CORPUS = Path(
    os.environ.get("NIANBAO_CORPUS", Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus")
)

REPORT_TEXT = (
    "本报告根据《中华人民共和国政府信息公开条例》要求编制，包括总体情况、主动公开政府信息情况、"
    "收到和处理政府信息公开申请情况等六个部分，所列数据的统计期限自1月1日起至12月31日止。"
)


def page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return f'<html><head><meta charset="{charset}"><title>年度报告</title>{head}</head><body>{body}</body></html>'


def html(body: str, head: str = "") -> Document:
    return extract_html(page(body, head).encode("utf-8"))


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


# -- decoding ----------------------------------------------------------------------------------


def test_gbk_bytes_declared_gb2312_decode() -> None:
    # 镕 and 堃 are in GBK / GB18030 but not in GB2312.
    data = page("<p>朱镕基与王堃出席会议并讲话</p>", charset="gb2312").encode("gbk")
    doc = extract_html(data)
    assert paragraphs(doc) == ["朱镕基与王堃出席会议并讲话"]
    assert doc.media_type == "text/html"


def test_utf8_with_bom_decodes() -> None:
    # The BOM outranks the (wrong) declaration, which would turn the text into mojibake.
    data = codecs.BOM_UTF8 + page("<p>政府信息公开工作年度报告</p>", charset="iso-8859-1").encode("utf-8")
    assert paragraphs(extract_html(data)) == ["政府信息公开工作年度报告"]


def test_utf8_page_falsely_declaring_gb2312_decodes_as_utf8() -> None:
    data = page("<p>主动公开政府信息情况</p>", charset="gb2312").encode("utf-8")
    assert paragraphs(extract_html(data)) == ["主动公开政府信息情况"]


# -- tables ------------------------------------------------------------------------------------


def test_rowspan_and_colspan_expand_into_full_grid() -> None:
    doc = html(
        "<table>"
        "<tr><td rowspan=2>甲</td><td colspan=2>乙</td></tr>"
        "<tr><td>丙</td><td>丁</td></tr>"
        "<tr><td colspan=3>戊</td></tr>"
        "</table>"
    )
    assert tables(doc)[0].rows == (("甲", "乙", "乙"), ("甲", "丙", "丁"), ("戊", "戊", "戊"))


def test_short_rows_are_padded_with_empty_cells() -> None:
    doc = html("<table><tr><td>甲</td><td>乙</td><td>丙</td></tr><tr><td>丁</td></tr></table>")
    assert tables(doc)[0].rows == (("甲", "乙", "丙"), ("丁", "", ""))


def test_nbsp_padding_is_stripped_from_cells() -> None:
    doc = html(
        "<table><tr><td><p>0&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p></td><td>&nbsp;0</td>"
        "<td>\u3000\u300023 </td><td>&nbsp;</td></tr></table>"
    )
    assert tables(doc)[0].rows == (("0", "0", "23", ""),)


def test_cell_paragraphs_and_line_breaks_become_newlines() -> None:
    doc = html(
        "<table><tr><td><p>法律</p><p>服<span>务</span>\n &nbsp; &nbsp;</p><p>机构</p></td>"
        "<td>结果<br/>维持</td><td>本年新   制作\t数量</td></tr></table>"
    )
    assert tables(doc)[0].rows == (("法律\n服务\n机构", "结果\n维持", "本年新 制作 数量"),)


def test_nested_layout_table_is_unwrapped_and_only_inner_table_kept() -> None:
    doc = html(
        "<table><tr><td><p>一、总体情况</p></td><td>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p></td></tr></table>"
    )
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert tables(doc)[0].rows == (("信息内容", "本年制发件数"), ("规章", "0"))


def test_two_tables_glued_into_one_table_give_one_grid() -> None:
    doc = html(
        "<table>"
        "<tr><td colspan=2>第二十条第（一）项</td></tr><tr><td>规章</td><td>0</td></tr>"
        "<tr><td colspan=3>第二十条第（五）项</td></tr><tr><td>行政许可</td><td>1</td><td>2</td></tr>"
        "</table>"
    )
    assert len(tables(doc)) == 1
    assert tables(doc)[0].rows == (
        ("第二十条第（一）项", "第二十条第（一）项", ""),
        ("规章", "0", ""),
        ("第二十条第（五）项", "第二十条第（五）项", "第二十条第（五）项"),
        ("行政许可", "1", "2"),
    )


def test_single_column_table_is_read_as_paragraphs() -> None:
    doc = html("<table><tr><td><p>一、总体情况</p><p>二、主动公开政府信息情况</p></td></tr></table>")
    assert doc.blocks == [Paragraph("一、总体情况"), Paragraph("二、主动公开政府信息情况")]


# -- paragraphs and order ----------------------------------------------------------------------


def test_paragraphs_collapse_whitespace_and_drop_empty_ones() -> None:
    doc = html(
        "<p>\u3000\u3000一、&nbsp;&nbsp;总体\n\t情况&nbsp;</p><p>&nbsp;</p><p> \u3000</p>"
        "<div>第一行<br>第二行</div><h2>标题</h2>"
    )
    assert paragraphs(doc) == ["一、 总体 情况", "第一行", "第二行", "标题"]


def test_blocks_keep_document_order() -> None:
    doc = html(
        "<p>二、主动公开</p><table><tr><td>规章</td><td>0</td></tr></table><ul><li>三、依申请</li></ul>"
    )
    assert [b.text if isinstance(b, Paragraph) else b.rows for b in doc.blocks] == [
        "二、主动公开",
        (("规章", "0"),),
        "三、依申请",
    ]


# -- chrome, article, metadata -----------------------------------------------------------------


def test_script_style_nav_footer_text_is_absent() -> None:
    doc = html(
        "<nav><a href='/'>网站首页</a><a>机构概况</a></nav>"
        "<script>var s = '脚本文字';</script><style>.x{content:'样式文字'}</style>"
        f"<div class='article'><p>{REPORT_TEXT}</p><noscript>请启用脚本功能</noscript>"
        "<iframe>内嵌框架文字</iframe><button>关闭窗口</button><p>二、主动公开</p></div>"
        "<aside>热点推荐栏目</aside><footer>版权所有：某某县人民政府办公室 联系电话</footer>",
        head="<script>var h='头部脚本';</script><style>p{}</style>",
    )
    text = doc.text()
    assert REPORT_TEXT in text
    chrome = (
        "网站首页",
        "机构概况",
        "脚本文字",
        "样式文字",
        "请启用脚本",
        "内嵌框架",
        "关闭窗口",
        "热点推荐",
        "版权所有",
    )
    assert [c for c in chrome if c in text] == []
    assert "头部脚本" not in text


def test_chrome_marked_by_class_or_id_is_absent() -> None:
    doc = html(
        "<div class='breadcrumb'>当前位置：首页 > 政务公开 > 年报</div>"
        "<div id='topMenu'><span>政务公开</span><span>互动交流</span></div>"
        f"<div class='content'><p>{REPORT_TEXT}</p>"
        "<div class='share_box'><span>分享到微信朋友圈</span></div></div>"
        "<div class='foot-links'>友情链接：国务院 省政府网站</div>"
    )
    text = doc.text()
    assert REPORT_TEXT in text
    for chrome in ("当前位置", "互动交流", "分享到微信", "友情链接"):
        assert chrome not in text


def test_text_outside_the_article_is_dropped() -> None:
    doc = html(
        "<div class='main'><div class='left'><p>热门信息列表第一条标题文字</p><p>热门信息列表第二条标题文字</p></div>"
        f"<div class='right'><p>{REPORT_TEXT}</p><p>一、总体情况</p><p>{REPORT_TEXT}</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table></div></div>"
    )
    assert "热门信息" not in doc.text()
    assert paragraphs(doc) == [REPORT_TEXT, "一、总体情况", REPORT_TEXT]
    assert len(tables(doc)) == 1


def test_article_keeps_all_paragraphs_and_tables() -> None:
    # The tables sit in an inner wrapper that holds most of the text: the intro paragraph must not be lost.
    doc = html(
        f"<div class='TRS_Editor'><p>{REPORT_TEXT}</p><div class='WordSection1'>"
        + "<table><tr><td>第二十条第（一）项本年新制作数量</td><td>对外公开总数量</td></tr></table>" * 20
        + "</div></div>"
    )
    assert paragraphs(doc) == [REPORT_TEXT]
    assert len(tables(doc)) == 20


def test_publication_date_line_goes_to_header_lines() -> None:
    doc = html(
        "<div class='info'><span>发布时间：2020-01-20</span> <span>浏览次数：12</span></div>"
        "<div class='art'><span class='source'>来源：某某县人民政府</span></div>"
        f"<div class='article'><p>{REPORT_TEXT}</p></div>"
    )
    assert "发布时间：2020-01-20 浏览次数：12" in doc.header_lines
    assert "来源：某某县人民政府" in doc.header_lines
    assert "发布时间" not in doc.text()


def test_page_title_goes_to_header_lines() -> None:
    doc = html(f"<p>{REPORT_TEXT}</p>")
    assert doc.header_lines[0] == "年度报告"
    assert "年度报告" not in paragraphs(doc)


def test_article_title_above_the_body_is_kept_as_paragraph() -> None:
    doc = html(
        "<div class='nav'><a>首页</a></div><div class='article_title'>某某县2024年政府信息公开工作年度报告</div>"
        f"<div class='article_content'><p>{REPORT_TEXT}</p></div>"
    )
    assert paragraphs(doc) == ["某某县2024年政府信息公开工作年度报告", REPORT_TEXT]


def test_page_without_text_is_unreadable() -> None:
    with pytest.raises(UnreadableReport) as err:
        html("<nav><a>首页</a></nav><script>var x = '正文';</script><div>&nbsp;<img src='a.png'></div>")
    assert err.value.code == "no_text"


# -- hostile input -----------------------------------------------------------------------------


def test_hostile_spans_are_capped() -> None:
    doc = html(
        "<table><tr><td rowspan=99999999999999999999 colspan=1000000>甲</td><td colspan=abc>乙</td></tr>"
        "<tr><td colspan=-5>丙</td></tr></table>"
    )
    rows = tables(doc)[0].rows
    assert len(rows) == 2  # a rowspan never reaches past the table's last row
    assert rows[0] == ("甲",) * MAX_SPAN + ("乙",)
    assert rows[1] == ("甲",) * MAX_SPAN + ("丙",)


def test_huge_table_is_cut_at_the_cell_cap_with_a_note() -> None:
    # Uncapped, these spans would fill 50 million slots.
    row = "<tr>" + "<td colspan=50 rowspan=50>1</td>" * 100 + "</tr>"
    doc = html("<table>" + row * 200 + "</table>")
    rows = tables(doc)[0].rows
    assert len(rows) * len(rows[0]) <= MAX_CELLS
    assert doc.notes and "table too large" in doc.notes[0]


def test_deeply_nested_tags_do_not_crash() -> None:
    doc = html(
        "<div>" * 50000 + "<table><tr><td>" * 3000 + "深处的正文<script>var s = '深处的脚本';</script>"
    )
    assert "深处的正文" in doc.text()
    assert "脚本" not in doc.text()


def test_broken_markup_is_read_forgivingly() -> None:
    doc = html(
        "</td></tr></table></p><p>第一段<p>第二段<table><tr><td>甲<td>乙<tr><td>丙</table>"
        "<!DOCTYPE x [ <!ENTITY y 'z'> ]><![foo[ bar ]]><li>第三段<li>第四段"
    )
    assert [b.text if isinstance(b, Paragraph) else b.rows for b in doc.blocks] == [
        "第一段",
        "第二段",
        (("甲", "乙"), ("丙", "")),
        "第三段",
        "第四段",
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"<p>\xff\xfe\x00\x01" * 2000,
        b"<table>" + b"<tr><td rowspan=0 colspan=0>" * 500,
        b"<html><title>" + "只有标题".encode() + b"</title></html>",
        b"<" * 10000 + "正文".encode(),
        "<p>文字</p><!-- 未闭合的注释".encode(),
        b'<meta charset="punycode"><p>a+-b</p>',
        b'<meta charset="rot13"><p>text</p>',
    ],
    ids=["binary", "empty-spans", "title-only", "angle-brackets", "open-comment", "punycode", "rot13"],
)
def test_hostile_input_raises_only_unreadable_report(data: bytes) -> None:
    try:
        doc = extract_html(data)
    except UnreadableReport:
        return
    assert isinstance(doc, Document)


# -- the real pages ----------------------------------------------------------------------------

REAL_PAGES = [("fujian_pingtan_2019.html", "2020-01-20"), ("fujian_pingtan_2024.html", "2025-03-10")]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize(("name", "published"), REAL_PAGES)
def test_real_portal_page_yields_report_tables_without_site_chrome(name: str, published: str) -> None:
    doc = extract_html((CORPUS / name).read_bytes())
    cells = {_compact(cell) for table in tables(doc) for row in table.rows for cell in row}
    for label in ("第二十条第（一）项", "（七）总计", "结果维持"):
        assert label in cells, label
    text = doc.text()
    chrome = (
        "长者模式",
        "无障碍浏览",
        "当前位置",
        "热门搜索",
        "扫一扫在手机上查看当前页面",
        "版权所有",
        "QQ空间",
    )
    assert [c for c in chrome if c in text] == []
    assert any(published in line for line in doc.header_lines)
    assert "一、总体情况" in [_compact(p) for p in paragraphs(doc)]
    assert _compact(paragraphs(doc)[-1]) != ""


def test_meta_pubdate_is_a_fallback_publication_date() -> None:
    page = (
        '<html><head><meta name="PubDate" content="2022-01-14 09:30"><title>某县民政局2021年政府信息公开工作年度报告</title></head>'
        "<body><div class='article'><p>一、总体情况</p><p>本年度主动公开政府信息十二条，依法依规办理依申请公开。</p></div></body></html>"
    )
    doc = html(page)
    assert "发布时间：2022-01-14 09:30" in doc.header_lines


def test_visible_date_line_comes_before_the_meta_date() -> None:
    page = (
        '<html><head><meta name="PubDate" content="2022-01-20"></head><body><div class="info">发布时间：2022-01-14</div>'
        "<div class='article'><p>一、总体情况</p><p>本年度主动公开政府信息十二条，依法依规办理依申请公开。</p></div></body></html>"
    )
    doc = html(page)
    dates = [x for x in doc.header_lines if "发布时间" in x]
    assert dates[0] == "发布时间：2022-01-14"
