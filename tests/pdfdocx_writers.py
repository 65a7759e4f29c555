"""Write small DOCX and PDF files in code, for the extractor tests (and later, whole reports).

Both writers take the same list of blocks:

    ("p", "一、总体情况")                       a paragraph
    ("table", rows, options)                  a table; ``rows`` is a full grid of strings
    ("pagebreak",)                            start a new page
    ("image", width_pt, height_pt)            a grey picture with no text (PDF only: a "scan")

Table options (all optional):
    merges      list of (row0, col0, row1, col1), inclusive; the text is taken from the top-left slot
    nested      DOCX only: {(row, col): rows} puts a table inside that cell, after its text
    col_widths  PDF only: column widths in points
    row_height  PDF only: one height in points for every row
    font_size   PDF only
    repeat_rows PDF only: header rows repeated on every page the table runs onto
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

Block = tuple[Any, ...]
CJK_FONT = "STSong-Light"


def _table_parts(block: Block) -> tuple[list[list[str]], dict[str, Any]]:
    rows = [list(r) for r in block[1]]
    options: dict[str, Any] = dict(block[2]) if len(block) > 2 else {}
    return rows, options


# ---------------------------------------------------------------------------------------------- DOCX


def write_docx(blocks: Sequence[Block]) -> bytes:
    """A .docx with the blocks in order; merged cells become real gridSpan / vMerge cells."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for block in blocks:
        kind = block[0]
        if kind == "p":
            document.add_paragraph(block[1])
        elif kind == "table":
            rows, options = _table_parts(block)
            _add_docx_table(document, rows, options)
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise ValueError(f"write_docx cannot write a {kind!r} block")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_docx_table(document: Any, rows: list[list[str]], options: dict[str, Any]) -> Any:
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    merges = list(options.get("merges", []))
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r0, c0, r1, c1 in merges:
        _set_cell_text(table.cell(r0, c0).merge(table.cell(r1, c1)), rows[r0][c0])
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) not in covered:
                _set_cell_text(table.cell(r, c), text)
    for (r, c), inner_rows in options.get("nested", {}).items():
        _add_docx_table(table.cell(r, c), inner_rows, {})
    return table


def _set_cell_text(cell: Any, text: str) -> None:
    """One Word paragraph per line of ``text``."""
    first, *rest = text.split("\n")
    cell.text = first
    for line in rest:
        cell.add_paragraph(line)


# ----------------------------------------------------------------------------------------------- PDF


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def write_pdf(
    blocks: Sequence[Block],
    *,
    footer: str | None = None,
    header: str | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
    font: str = CJK_FONT,
) -> bytes:
    """An A4 PDF with ruled tables in a CJK font that pdfplumber reads back.

    ``footer`` / ``header`` are drawn on every page; ``{n}`` in them becomes the page number
    (``footer="- {n} -"``). A password makes the file encrypted. ``font`` names the font of the
    paragraphs: reportlab leaves the CID font's strings unencrypted, so an encrypted file reads
    back right only with a standard font such as "Helvetica" (and ASCII text).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    _register_font()
    style = ParagraphStyle("body", fontName=font, fontSize=11, leading=16, wordWrap="CJK")
    story: list[Any] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            story.append(Paragraph(_escape(block[1]), style))
        elif kind == "table":
            rows, options = _table_parts(block)
            story.append(_pdf_table(rows, options))
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "image":
            story.append(_grey_image(float(block[1]), float(block[2])))
        else:
            raise ValueError(f"write_pdf cannot write a {kind!r} block")

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        n = doc.page
        if header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, header.format(n=n))
        if footer:
            canvas.drawCentredString(A4[0] / 2, 10 * mm, footer.format(n=n))
        canvas.restoreState()

    encrypt: Any = None
    if user_password is not None or owner_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(user_password or "", owner_password or user_password or "owner")
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, topMargin=20 * mm, bottomMargin=20 * mm, encrypt=encrypt, invariant=True
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf_table(rows: list[list[str]], options: dict[str, Any]) -> Any:
    from reportlab.platypus import Table, TableStyle

    ncols = max(len(r) for r in rows)
    grid = [list(r) + [""] * (ncols - len(r)) for r in rows]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), options.get("font_size", 9)),
        ("LEADING", (0, 0), (-1, -1), options.get("font_size", 9) + 2),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r0, c0, r1, c1 in options.get("merges", []):
        commands.append(("SPAN", (c0, r0), (c1, r1)))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    grid[r][c] = ""
    row_height = options.get("row_height")
    return Table(
        grid,
        colWidths=options.get("col_widths"),
        rowHeights=[row_height] * len(grid) if row_height else None,
        style=TableStyle(commands),
        repeatRows=options.get("repeat_rows", 0),
    )


def _grey_image(width: float, height: float) -> Any:
    """A picture with stripes and no text layer: what a scanned page looks like to a PDF reader."""
    from PIL import Image, ImageDraw
    from reportlab.platypus import Image as RLImage

    picture = Image.new("L", (int(width), int(height)), 255)
    draw = ImageDraw.Draw(picture)
    for y in range(10, int(height), 14):
        draw.rectangle((10, y, int(width) - 10, y + 5), fill=60)
    buf = io.BytesIO()
    picture.save(buf, format="PNG")
    buf.seek(0)
    return RLImage(buf, width=width, height=height)
