"""A PDF as printed from Word: A4, STSong-Light (a CID font every reader has), ruled tables."""

from __future__ import annotations

import io
from typing import Any

from nianbao.demo.render import outline
from nianbao.demo.render.grid import SpanTable, expand, tables
from nianbao.demo.spec import DemoReport

FONT = "STSong-Light"
# Column widths in points (A4 less 2 x 50 pt margins leaves 495 pt).
WIDTHS = {
    "t2": [135.0, 118.0, 118.0, 118.0],
    "t3": [48.0, 62.0, 150.0] + [33.0] * 7,
    "t4": [32.6] * 15,
}


def _font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render_pdf(report: DemoReport) -> bytes:
    """The PDF bytes (reportlab's invariant mode: no timestamp, the same report gives the same file)."""
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _font()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, spaceBefore=6)
    # A long title is set smaller so that it stays on one line (as a clerk shrinks it in Word).
    size = min(16.0, 480.0 / max(len(report.title), 1))
    title = ParagraphStyle(
        "title", fontName=FONT, fontSize=size, leading=size * 1.5, alignment=TA_CENTER, wordWrap="CJK"
    )
    sign = ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, alignment=TA_CENTER, wordWrap="CJK")
    tabs = tables(report)
    story: list[Any] = []
    for kind, text in outline(report):
        if kind == "title":
            story += [Paragraph(_esc(text), title), Spacer(1, 8)]
        elif kind == "heading":
            story.append(Paragraph(_esc(text), head))
        elif kind == "table":
            story += [_table(tabs[text], WIDTHS[text], cell), Spacer(1, 6)]
        elif kind == "sign":
            story.append(Paragraph(_esc(text), sign))
        else:
            story.append(Paragraph(_esc(text), body))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=50,
        rightMargin=50,
        topMargin=56,
        bottomMargin=56,
        title=report.title,
        author=report.unit.name,
        invariant=True,
    )
    doc.build(story)
    return out.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def _table(table: SpanTable, widths: list[float], style: Any) -> Any:
    from reportlab.platypus import Paragraph, Table, TableStyle

    grid = expand(table)
    data: list[list[Any]] = []
    for row in grid.texts():
        data.append([Paragraph(_esc(t), style) if t else "" for t in row])
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for r0, c0, r1, c1 in grid.merges():
        commands.append(("SPAN", (c0, r0), (c1, r1)))
    return Table(data, colWidths=widths, style=TableStyle(commands), repeatRows=0)
