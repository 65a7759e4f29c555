"""Write PDFs the way WPS 文字 exports them, in code: a filled box behind every line of prose, and
table cells drawn as filled boxes with separate ruling lines.

A page is a list of items, drawn top to bottom:

    ("line", text)                     one line of prose over a filled box as wide as the text block
    ("grid", col_widths, row_height, cells)
                                       a ruled table; ``cells`` are (row0, row1, col0, col1, text),
                                       inclusive, each drawn as its own filled box with its borders
    ("words", [(x, text), ...])        one line of words, each drawn at x points from the left edge,
                                       with no box and no lines (a table without ruling lines)
    ("gap", points)                    empty space
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from pdfdocx_writers import CJK_FONT, _register_font

Item = tuple[Any, ...]
Cell = tuple[int, int, int, int, str]
LEFT = 74.0
WIDTH = 444.0
LINE_HEIGHT = 28.0
FONT_SIZE = 12.0


def write_wps_pdf(pages: Sequence[Sequence[Item]], *, fill: tuple[float, float, float] = (1, 1, 1)) -> bytes:
    """An A4 PDF with WPS's drawing habits (see the module docstring)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    height = A4[1]
    for page in pages:
        y = height - 80.0  # the top of the next item, in PDF coordinates (origin bottom left)
        for item in page:
            if item[0] == "line":
                pdf.setFillColorRGB(*fill)
                pdf.rect(LEFT, y - LINE_HEIGHT, WIDTH, LINE_HEIGHT, stroke=0, fill=1)
                pdf.setFillColorRGB(0, 0, 0)
                pdf.setFont(CJK_FONT, FONT_SIZE)
                pdf.drawString(LEFT + 2, y - LINE_HEIGHT + 9, item[1])
                y -= LINE_HEIGHT
            elif item[0] == "grid":
                y = _grid(pdf, y, item[1], item[2], item[3])
            elif item[0] == "words":
                pdf.setFillColorRGB(0, 0, 0)
                pdf.setFont(CJK_FONT, 9)
                for x, text in item[1]:
                    pdf.drawString(LEFT + x, y - 14, text)
                y -= 18
            elif item[0] == "gap":
                y -= float(item[1])
            else:
                raise ValueError(f"write_wps_pdf cannot draw a {item[0]!r} item")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _grid(pdf: Any, top: float, widths: Sequence[float], row_height: float, cells: Sequence[Cell]) -> float:
    xs = [LEFT]
    for w in widths:
        xs.append(xs[-1] + w)
    rows = max(c[1] for c in cells) + 1
    for r0, r1, c0, c1, text in cells:
        x0, x1 = xs[c0], xs[c1 + 1]
        y1 = top - r0 * row_height
        y0 = top - (r1 + 1) * row_height
        pdf.setFillColorRGB(1, 1, 1)
        pdf.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        pdf.setStrokeColorRGB(0, 0, 0)
        pdf.setLineWidth(0.5)
        for a, b, c, d in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
            pdf.line(a, b, c, d)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont(CJK_FONT, 5)
        pdf.drawString(x0 + 2, (y0 + y1) / 2 - 2, text)
    return top - rows * row_height
