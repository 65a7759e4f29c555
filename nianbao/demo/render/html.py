"""An article page of a district government website: navigation, breadcrumb, 发布时间, footer.

Two site styles: a plain CMS page with a bordered table, and a page whose article was pasted
from Word (MsoNormal paragraphs and spans inside the cells, fixed widths).
"""

from __future__ import annotations

from html import escape

from nianbao.demo.render import outline
from nianbao.demo.render.grid import Span, SpanTable, tables
from nianbao.demo.spec import DemoReport

NAV = ("首页", "走进{d}", "政务公开", "政务服务", "互动交流", "专题专栏")


def _cell_html(span: Span, word: bool) -> str:
    text = "<br/>".join(escape(line) for line in span.text.split("\n"))
    attrs = ""
    if span.rowspan > 1:
        attrs += f' rowspan="{span.rowspan}"'
    if span.colspan > 1:
        attrs += f' colspan="{span.colspan}"'
    if word:
        inner = (
            '<p class="MsoNormal" align="center" style="text-align:center">'
            f'<span style="font-family:宋体;font-size:10.5pt">{text or "&nbsp;"}</span></p>'
        )
        return (
            f'<td{attrs} valign="middle" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">{inner}</td>'
        )
    return f"<td{attrs}>{text}</td>"


def _table_html(table: SpanTable, word: bool) -> str:
    if word:
        head = '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">'
    else:
        head = (
            '<table border="1" cellspacing="0" cellpadding="4" width="100%" style="border-collapse:collapse">'
        )
    rows = "".join("<tr>" + "".join(_cell_html(s, word) for s in row) + "</tr>\n" for row in table)
    return f"{head}\n<tbody>\n{rows}</tbody></table>"


def render_html(report: DemoReport) -> bytes:
    """The page's bytes (UTF-8, or GBK for some older sites)."""
    word = report.variant % 2 == 1
    gbk = report.variant % 5 == 3
    d = report.unit.district
    tabs = tables(report)
    body: list[str] = []
    for kind, text in outline(report):
        if kind == "title":
            continue
        if kind == "heading":
            body.append(
                f'<p class="MsoNormal" style="text-indent:32pt"><b><span style="font-family:黑体">{escape(text)}</span></b></p>'
                if word
                else f"<p><strong>{escape(text)}</strong></p>"
            )
        elif kind == "table":
            body.append(_table_html(tabs[text], word))
        elif kind == "sign":
            body.append(f'<p style="text-align:right">{escape(text)}</p>')
        else:
            body.append(
                f'<p class="MsoNormal" style="text-indent:32pt"><span style="font-family:仿宋_GB2312;font-size:16pt">{escape(text)}</span></p>'
                if word
                else f'<p style="text-indent:2em">{escape(text)}</p>'
            )
    p = report.published
    stamp = (
        f"{p.isoformat()} {9 + report.variant % 8:02d}:{report.variant % 60:02d}:{(report.variant * 7) % 60:02d}"
        if report.variant % 3
        else f"{p.year}年{p.month:02d}月{p.day:02d}日"
    )
    nav = "".join(f'<li><a href="/">{escape(n.format(d=d.short))}</a></li>' for n in NAV)
    charset = "gb2312" if gbk else "utf-8"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{escape(report.title)}_{escape(d.site)}</title>
<link rel="stylesheet" href="/css/style.css" />
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<div class="top"><div class="wrap">欢迎访问{escape(d.site)}门户网站 <a href="/">无障碍浏览</a> <a href="/">长者模式</a></div></div>
<div class="header"><div class="logo"><a href="/">{escape(d.site)}</a></div>
<div class="search"><form action="/search"><input type="text" name="q" /><button>搜索</button></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgknb/">政府信息公开年报</a></div>
<div class="main">
<div class="article">
<h1 class="title">{escape(report.title)}</h1>
<div class="info"><span>发布时间：{stamp}</span> <span>来源：{escape(report.unit.name)}</span> <span>字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>
<div class="content" id="zoom">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">打印本页</a> <a href="#">关闭窗口</a></div>
</div>
<div class="sidebar"><h3>相关链接</h3><ul><li><a href="/">政府信息公开指南</a></li><li><a href="/">政府信息公开制度</a></li><li><a href="/">法定主动公开内容</a></li></ul></div>
</div>
<div class="footer">
<p>主办单位：{escape(d.site)}办公室　承办单位：{escape(d.site)}信息中心</p>
<p>版权所有：{escape(d.site)}　网站标识码：63010{report.unit.district.domain.count(".")}0001　青ICP备05000123号-1</p>
<p>地址：青海省西宁市　{escape(d.domain)}</p>
</div>
</body>
</html>
"""
    return page.encode("gb18030" if gbk else "utf-8")
