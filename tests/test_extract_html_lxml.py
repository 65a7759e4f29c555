"""The HTML extractor on lxml: the same Document html.parser gave, and nothing hostile expanded."""

from __future__ import annotations

import subprocess
import sys
import time

from nianbao.document import Paragraph, Table
from nianbao.extract.html import extract_html

# A portal page with the usual chrome and the markup html.parser and libxml2 read differently:
# entities with and without ";", HTML5-only names, "</br>", a comment inside text, an implied
# end tag in a table, explicit html/head/body, a <title> and a <meta> date, text with "a < b".
PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>城东区民政局2024年度报告_西宁市城东区</title>'
    '<meta name="PubDate" content="2025-01-20 09:00"><style>p{color:red}</style></head>'
    '<body class="page"><div class="nav"><a href="/">首页</a> &gt; <a href="/x">政务公开</a></div>'
    '<div class="main"><h1 class="title">城东区民政局2024年度政府信息公开工作年度报告</h1>'
    '<div class="info">发布时间：2025-01-20&nbsp;&nbsp;来源：本站</div>'
    '<div id="zoom"><p>一、总体情况</p><p>本年度我局主动公开政府信息&ldquo;120&rdquo;条&amp公开率100&#x25;，'
    "其中&#x80;不计；&notin;符号照录。<br>第二行</br>第三行</p>"
    "<p>二、主动公开政府信息情况<!-- 注释 -->（见下表）</p>"
    "<table border=1><tr><td rowspan=2>信息内容</td><td>本年制发件数</td><td>现行有效件数</td></tr>"
    "<tr><td>1<td>2</tr><tr><td>规章<td>0<td>3</table>"
    "<p>六、其他需要报告的事项 a < b</p></div></div>"
    '<div class="footer">版权所有：西宁市城东区人民政府</div><script>var x = "<p>不读</p>";</script>'
    "</body></html>"
)


def test_a_portal_page_reads_exactly_as_the_standard_library_parser_read_it() -> None:
    doc = extract_html(PAGE.encode("utf-8"))
    assert doc.blocks == [
        Paragraph("城东区民政局2024年度政府信息公开工作年度报告"),
        Paragraph("发布时间：2025-01-20 来源：本站"),
        Paragraph("一、总体情况"),
        Paragraph("本年度我局主动公开政府信息“120”条&公开率100%，其中€不计；∉符号照录。"),
        Paragraph("第二行"),
        Paragraph("第三行"),
        Paragraph("二、主动公开政府信息情况（见下表）"),
        Table(
            (("信息内容", "本年制发件数", "现行有效件数"), ("信息内容", "1", "2"), ("规章", "0", "3")),
        ),
        Paragraph("六、其他需要报告的事项 a < b"),
    ]
    table = doc.blocks[7]
    assert isinstance(table, Table) and table.spans == ((1, 2, 3), (1, 4, 5), (6, 7, 8))
    assert doc.header_lines == [
        "城东区民政局2024年度报告_西宁市城东区",
        "发布时间：2025-01-20 来源：本站",
        "发布时间：2025-01-20 09:00",
    ]
    assert doc.notes == []


def test_markup_left_open_at_the_end_of_the_page_is_read_as_text() -> None:
    doc = extract_html("<p>一、总体情况</p><p>未完的注释<!-- 注释没有结束".encode())
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == [
        "一、总体情况",
        "未完的注释<!-- 注释没有结束",
    ]


def test_an_unclosed_comment_is_text_up_to_the_next_angle_bracket() -> None:
    doc = extract_html("<p>甲段文字<!-- 未闭合 <b>乙段</b>文字</p>".encode())
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["甲段文字<!-- 未闭合 <b>乙段文字"]


def test_a_title_left_open_does_not_swallow_the_page() -> None:
    doc = extract_html("<title>页面标题<p>一、总体情况</p><p>正文内容在这里</p>".encode())
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["一、总体情况", "正文内容在这里"]
    assert doc.header_lines == ["页面标题"]


def test_declared_entities_are_never_expanded() -> None:
    page = (
        '<!DOCTYPE html [<!ENTITY secret "机密内容"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<p>一、总体情况 &secret; &xxe; 本年度正文文字足够长</p>"
    ).encode()
    text = extract_html(page).text()
    assert "机密内容" not in text and "root:" not in text
    assert "&secret;" in text and "&xxe;" in text


def test_a_billion_laughs_page_is_read_quickly_without_expansion() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    page = f"<!DOCTYPE lolz [{entities}]><p>一、总体情况 &lol9; 本年度正文</p>".encode()
    started = time.monotonic()
    text = extract_html(page).text()
    assert time.monotonic() - started < 5
    assert "&lol9;" in text and "lollol" not in text


def test_the_html_extractor_does_not_use_the_standard_library_parser() -> None:
    code = "import sys, nianbao.extract.html as h; h.extract_html(b'<p>x</p>'); print('html.parser' in sys.modules, 'lxml.etree' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_references_in_attributes_are_resolved_as_in_text_whatever_libxml2_would_do() -> None:
    # HTML5 leaves "&not=" alone inside an attribute; html.parser (and so every stored report) did not.
    page = '<meta name="PubDate" content="2025-01-20&not=1"><p>一、总体情况</p>'.encode()
    assert extract_html(page).header_lines == ["发布时间：2025-01-20¬=1"]
