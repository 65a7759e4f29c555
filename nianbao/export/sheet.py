"""Streamed XLSX sheets to hand on: XlsxWriter in constant-memory mode, one shared format per style.

A constant-memory sheet writes each row out as soon as the next one starts, so a row's height is set
before its cells. The rows are measured in one pass (column widths, which columns wrap), then
written. Every cell of a column shares one format, registered once per workbook.
"""

from __future__ import annotations

import io
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

WRAP_WIDTH = 40  # columns wider than this wrap instead of growing
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_LINES = 12
A4 = 9  # the paper size code of the sheet's page setup

TITLE, NOTE, HEADER, CELL, WRAPPED = "nb-title", "nb-note", "nb-header", "nb-cell", "nb-wrapped"

# The look of each style: XlsxWriter format properties.
STYLES: dict[str, dict[str, Any]] = {
    TITLE: {"bold": True, "font_size": 14, "valign": "top", "text_wrap": True},
    NOTE: {"font_color": "#555555", "valign": "top", "text_wrap": True},
    HEADER: {"bold": True, "pattern": 1, "bg_color": "#DDE6F0", "valign": "vcenter", "text_wrap": True},
    CELL: {"align": "left", "valign": "top"},
    WRAPPED: {"align": "left", "valign": "top", "text_wrap": True},
}


class Book:
    """A workbook being written into memory, with its shared formats."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.out, {"constant_memory": True})
        self.formats: dict[str, Format] = {name: self.wb.add_format(props) for name, props in STYLES.items()}


def workbook() -> Book:
    """An empty workbook with the styles registered."""
    return Book()


def saved(book: Book) -> bytes:
    """The workbook's bytes (it is closed: nothing more can be written to it)."""
    book.wb.close()
    return book.out.getvalue()


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
    """A value as the sheet stores it: numbers (numpy's too, and numbers written as text, such as a
    finding's 应为 15) as numbers, the rest as text, nothing for an empty value."""
    if isinstance(v, str):
        bare = v.strip()
        if bare[-1:].isdigit() and NUMBER_TEXT.match(bare):  # the cheap test first: most text is not a number
            f = float(v)
            return int(f) if f.is_integer() and "." not in v else f
        return v or None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        f = float(v)
        return None if f != f else (int(f) if f.is_integer() else f)
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
    s = v if isinstance(v, str) else text(v)
    return len(s) if len(s) > cap else display_width(s)


def write_sheet(
    book: Book,
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
    ws = book.wb.add_worksheet(name[:31])
    fmt = book.formats
    body = [[value(v) for v in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in body:
        for i, v in enumerate(row):
            if v is not None:
                w = _width(v, WRAP_WIDTH)
                if w > widths[i]:
                    widths[i] = w
    narrow = narrow or {}
    wraps = [w + 2 > WRAP_WIDTH for w in widths]
    fitted = [min(WRAP_WIDTH, max(narrow.get(h, 0), w + 2)) for h, w in zip(headers, widths, strict=True)]
    for i, width in enumerate(fitted):
        ws.set_column(i, i, width)
    wrapped = [i for i, wrap in enumerate(wraps) if wrap]

    lead = (1 + len(notes)) if title else 0
    head = lead  # the header's row, counted from 0
    ws.freeze_panes(head + 1, 0)
    leading = [(TITLE, title), *((NOTE, n) for n in notes)] if title else []
    across = sum(fitted) if len(headers) > 1 else max(fitted[0], WRAP_WIDTH * 2)
    for row_no, (style, line) in enumerate(leading):
        lines = _lines(line, across * (0.8 if style == TITLE else 1))  # the title's 14-point text is wider
        if lines > 1:  # a note wider than the table (a narrow summary sheet) wraps rather than being cut
            ws.set_row(row_no, LINE_HEIGHT * (1.3 if style == TITLE else 1) * lines)
        if len(headers) > 1:
            ws.merge_range(row_no, 0, row_no, len(headers) - 1, line, fmt[style])
        else:
            ws.write_string(row_no, 0, str(line), fmt[style])
    ws.write_row(head, 0, list(headers), fmt[HEADER])
    formats = [fmt[WRAPPED] if wrap else fmt[CELL] for wrap in wraps]
    write_string, write_number = ws.write_string, ws.write_number
    for row_no, row in enumerate(body, start=head + 1):
        lines = max((_lines(row[i], fitted[i]) for i in wrapped), default=1)
        if lines > 1:
            # Spreadsheet programs do not all grow a row to its wrapped text on opening
            # (LibreOffice prints such rows one line high), so the height is written.
            ws.set_row(row_no, LINE_HEIGHT * lines)
        for col, v in enumerate(row):
            if v is None:
                continue  # an empty cell is not written at all
            if isinstance(v, str):
                write_string(row_no, col, v, formats[col])
            else:
                write_number(row_no, col, v, formats[col])
    if body:
        ws.autofilter(head, 0, head + len(body), len(headers) - 1)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(head)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _lines(v: Any, width: float) -> int:
    """How many lines a value wraps to in a column `width` characters wide (at most MAX_LINES)."""
    if v is None:
        return 1
    per_line = max(1.0, width - 1)  # less the cell's padding
    return min(MAX_LINES, max(1, math.ceil(_rough_width(text(v)) / per_line)))
