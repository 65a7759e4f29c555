"""A Word document: title, paragraphs, and ruled tables with real merged cells (gridSpan / vMerge)."""

from __future__ import annotations

import io
from typing import Any

from nianbao.demo.render import outline
from nianbao.demo.render.grid import SpanTable, expand, tables
from nianbao.demo.spec import DemoReport


def render_docx(report: DemoReport) -> bytes:
    """The .docx bytes; python-docx writes a fixed timestamp, so the same report gives the same file."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.author = report.unit.name
    props.title = report.title
    from datetime import datetime

    stamp = datetime(report.published.year, report.published.month, report.published.day, 9, 0, 0)
    props.created = stamp
    props.modified = stamp
    props.last_modified_by = report.unit.name
    props.revision = 1
    tabs = tables(report)
    for kind, text in outline(report):
        if kind == "title":
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold = True
            run.font.size = Pt(18)
        elif kind == "heading":
            p = document.add_paragraph()
            p.add_run(text).bold = True
        elif kind == "table":
            _table(document, tabs[text])
        elif kind == "sign":
            p = document.add_paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p = document.add_paragraph(text)
            p.paragraph_format.first_line_indent = Pt(24)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _table(document: Any, table: SpanTable) -> None:
    """The table written as WordprocessingML, the way Word stores merged cells.

    (python-docx's own cell merging looks every cell up anew and takes seconds per table.)
    """
    from docx.oxml import parse_xml

    grid = expand(table)
    width = 9000 // grid.ncols
    parts = [
        f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>',
        f"<w:tblBorders>{BORDERS}</w:tblBorders></w:tblPr><w:tblGrid>",
        f'<w:gridCol w:w="{width}"/>' * grid.ncols,
        "</w:tblGrid>",
    ]
    for r in range(grid.nrows):
        parts.append("<w:tr>")
        for c in range(grid.ncols):
            o = grid.owner[r][c]
            span = grid.spans[o]
            if o == (r, c):
                merge = '<w:vMerge w:val="restart"/>' if span.rowspan > 1 else ""
                paras = "".join(_para(line) for line in span.text.split("\n"))
            elif o[0] < r and o[1] == c:
                merge, paras = "<w:vMerge/>", "<w:p/>"
            else:
                continue
            gspan = f'<w:gridSpan w:val="{span.colspan}"/>' if span.colspan > 1 else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width * span.colspan}" w:type="dxa"/>{gspan}{merge}</w:tcPr>{paras}</w:tc>'
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    document.element.body.append(parse_xml("".join(parts)))
    # Keep the body's section properties last, as Word requires.
    sect = document.element.body.find(f"{{{W}}}sectPr")
    if sect is not None:
        document.element.body.remove(sect)
        document.element.body.append(sect)


def _para(text: str) -> str:
    if not text:
        return "<w:p/>"
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">{esc}</w:t></w:r></w:p>'


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times, so that equal content gives equal bytes."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
