"""Streamed XLSX sheets to hand on: openpyxl's write-only workbook with named (shared) styles.

A write-only sheet writes each row as it is appended, so its column widths go in first: the rows
are measured in one pass, then streamed. Every cell of a column shares one styled cell object and
one named style, instead of a style object per cell.
"""

from __future__ import annotations

import io
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

WRAP_WIDTH = 40  # columns wider than this wrap instead of growing
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_LINES = 12

TITLE, NOTE, HEADER, CELL, WRAPPED = "nb-title", "nb-note", "nb-header", "nb-cell", "nb-wrapped"


def _styles() -> list[NamedStyle]:
    """The workbook's named styles (new objects per workbook: openpyxl binds a style to one)."""
    return [
        NamedStyle(TITLE, font=Font(bold=True, size=14), alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle(NOTE, font=Font(color="555555"), alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle(
            HEADER,
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="DDE6F0"),
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle(CELL, font=copy(DEFAULT_FONT), alignment=Alignment(horizontal="left", vertical="top")),
        NamedStyle(
            WRAPPED,
            font=copy(DEFAULT_FONT),
            alignment=Alignment(horizontal="left", vertical="top", wrap_text=True),
        ),
    ]


def workbook() -> Workbook:
    """An empty write-only workbook with the named styles registered."""
    wb = Workbook(write_only=True)
    for style in _styles():
        wb.add_named_style(style)
    return wb


def saved(wb: Workbook) -> bytes:
    """The workbook's bytes."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def text(v: Any) -> str:
    """A value as the text a reader sees (missing values and NaN as empty)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return str(int(v)) if v.is_integer() else f"{v:g}"
    if isinstance(v, datetime | date):
        return v.isoformat()
    return str(v)


NUMBER_TEXT = re.compile(r"^-?\d{1,12}(?:\.\d{1,6})?$")


def value(v: Any) -> Any:
    """A value openpyxl writes as itself: numbers (numpy's too, and numbers written as text, such
    as a finding's 应为 15) are stored as numbers, the rest as text."""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        f = float(v)
        return None if f != f else (int(f) if f.is_integer() else f)
    if isinstance(v, str) and NUMBER_TEXT.match(v.strip()):
        f = float(v)
        return int(f) if f.is_integer() and "." not in v else f
    return text(v) or None


def display_width(s: str) -> int:
    """Columns a string takes in a spreadsheet: CJK characters count two."""
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _rough_width(s: str) -> float:
    """display_width without a look-up per character, for long text: CJK characters (wide, three
    bytes in UTF-8) count two, ASCII one (and two-byte letters one and a half)."""
    return (len(s.encode("utf-8")) + len(s)) / 2


def _width(v: Any, cap: int) -> int:
    """display_width of a value's text, exact up to `cap` (longer text is wider than any cap)."""
    s = text(v)
    return len(s) if len(s) > cap else display_width(s)


def write_sheet(
    wb: Workbook,
    name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    narrow: dict[str, int] | None = None,
) -> None:
    """One sheet: an optional title row and note rows (merged across), the header row in bold,
    frozen and filtered, columns fitted to their values (long text wraps), numbers as numbers,
    printed A4 landscape, one page wide, the header repeated on every page."""
    ws = wb.create_sheet(name[:31])
    body = [[value(v) for v in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in body:
        for i, v in enumerate(row):
            if v is not None:
                widths[i] = max(widths[i], _width(v, WRAP_WIDTH))
    narrow = narrow or {}
    wraps = [w + 2 > WRAP_WIDTH for w in widths]
    fitted = [min(WRAP_WIDTH, max(narrow.get(h, 0), w + 2)) for h, w in zip(headers, widths, strict=True)]
    for i, width in enumerate(fitted, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrapped = [i for i, wrap in enumerate(wraps) if wrap]

    lead = (1 + len(notes)) if title else 0
    head_row = lead + 1
    # The sheet's top (properties, view, columns) is written with the first row: set it first.
    ws.freeze_panes = f"A{head_row + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    leading = [(TITLE, title), *((NOTE, n) for n in notes)] if title else []
    across = sum(fitted) if len(headers) > 1 else max(fitted[0], WRAP_WIDTH * 2)
    for row_no, (style, line) in enumerate(leading, start=1):
        lines = _lines(line, across * (0.8 if style == TITLE else 1))  # the title's 14-point text is wider
        if lines > 1:  # a note wider than the table (a narrow summary sheet) wraps rather than being cut
            ws.row_dimensions[row_no].height = LINE_HEIGHT * (1.3 if style == TITLE else 1) * lines
        ws.append([_styled(ws, line, style)])
        if len(headers) > 1:
            ws.merged_cells.add(CellRange(min_row=row_no, min_col=1, max_row=row_no, max_col=len(headers)))
    ws.append([_styled(ws, h, HEADER) for h in headers])
    # One styled cell per column, reused row after row: the writer serialises each cell as it is
    # yielded, so the object only carries the value to the stream (and one shared style index).
    cells = [_styled(ws, None, WRAPPED if wrap else CELL) for wrap in wraps]
    for row_no, row in enumerate(body, start=head_row + 1):
        out: list[WriteOnlyCell | None] = []
        for cell, v in zip(cells, row, strict=True):
            if v is None:
                out.append(None)  # an empty cell is not written at all
            else:
                cell.value = v
                out.append(cell)
        lines = max((_lines(row[i], fitted[i]) for i in wrapped), default=1)
        if lines > 1:
            # A row's height is written with the row. Spreadsheet programs do not all grow a row to
            # its wrapped text on opening (LibreOffice prints such rows one line high).
            ws.row_dimensions[row_no].height = LINE_HEIGHT * lines
        ws.append(out)
    last = head_row + len(body)
    if body:
        ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(headers))}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _lines(v: Any, width: float) -> int:
    """How many lines a value wraps to in a column `width` characters wide (at most MAX_LINES)."""
    if v is None:
        return 1
    per_line = max(1.0, width - 1)  # less the cell's padding
    return min(MAX_LINES, max(1, math.ceil(_rough_width(text(v)) / per_line)))


def _styled(ws: Any, v: Any, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=v)
    cell.style = style
    return cell
