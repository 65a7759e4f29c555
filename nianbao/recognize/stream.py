"""The document as one searchable string: paragraphs end in '\\n', cells in '\\x1f', table rows in '\\x1e'."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from nianbao.document import Document, Paragraph
from nianbao.recognize.normalize import fold

CELL = "\x1f"
ROW = "\x1e"


@dataclass
class GridCell:
    """One source cell of a table row: its text span in the stream and the grid columns it covers."""

    start: int
    end: int
    col: int
    span: int


@dataclass
class GridRow:
    """One table row in the stream: which table, its index there, its span and its source cells."""

    table: int
    index: int
    start: int
    end: int  # position of the row separator
    cells: list[GridCell]
    spanned: bool = False  # the source gave cell spans (HTML, DOCX), so grid columns can be trusted
    unplaced: bool = False  # the extractor could not put its cells under the header in one way


@dataclass
class Stream:
    """Raw and folded text of the same length, and which positions lie inside table cells."""

    raw: str
    text: str
    in_table: bytearray
    consumed: bytearray  # positions that table recognition used (kept out of section text)
    grid_rows: list[GridRow] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    # Header cells found per (table, columns), so each table's header is read once.
    header_cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def row_at(self, pos: int) -> GridRow | None:
        """The table row holding position pos, if any."""
        if len(self._starts) != len(self.grid_rows):
            self._starts = [r.start for r in self.grid_rows]
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.grid_rows[i].start <= pos <= self.grid_rows[i].end:
            return self.grid_rows[i]
        return None

    def is_unplaced(self, pos: int) -> bool:
        """Whether position pos lies in a table row whose cells could not be placed one way."""
        row = self.row_at(pos)
        return row is not None and row.unplaced

    def header_rows(self, row: GridRow) -> list[GridRow]:
        """The rows of the same table above `row`."""
        return [r for r in self.grid_rows if r.table == row.table and r.index < row.index]

    def is_grid(self, pos: int) -> bool:
        """Whether position pos lies inside a table grid cell."""
        return 0 <= pos < len(self.in_table) and bool(self.in_table[pos])

    def consume(self, start: int, end: int) -> None:
        """Mark a span as table content."""
        for i in range(max(0, start), min(end, len(self.consumed))):
            self.consumed[i] = 1


def build(doc: Document) -> Stream:
    """Lay the blocks out in body order."""
    parts: list[str] = []
    mask: list[int] = []
    grid_rows: list[GridRow] = []
    pos = 0
    for t_no, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            text = block.text.replace(CELL, " ").replace(ROW, " ")
            for line in text.split("\n"):
                parts.append(line + "\n")
                mask.extend([0] * (len(line) + 1))
                pos += len(line) + 1
        else:
            spans = block.spans
            for r_no, row in enumerate(block.rows):
                ids = spans[r_no] if spans is not None and r_no < len(spans) else None
                cells: list[GridCell] = []
                row_start = pos
                col = 0
                while col < len(row):
                    # Slots filled from one source cell (a colspan) are one cell, not copies.
                    width = 1
                    if ids is not None and col < len(ids):
                        while (
                            col + width < len(row) and col + width < len(ids) and ids[col + width] == ids[col]
                        ):
                            width += 1
                    c = row[col].replace(CELL, " ").replace(ROW, " ")
                    cells.append(GridCell(pos, pos + len(c), col, width))
                    parts.append(c + CELL)
                    mask.extend([1] * (len(c) + 1))
                    pos += len(c) + 1
                    col += width
                parts.append(ROW)
                mask.append(1)
                grid_rows.append(
                    GridRow(
                        t_no, r_no, row_start, pos, cells, spans is not None, r_no in block.ambiguous_rows
                    )
                )
                pos += 1
            parts.append("\n")
            mask.append(0)
            pos += 1
    raw = "".join(parts)
    return Stream(
        raw=raw,
        text=fold(raw),
        in_table=bytearray(mask),
        consumed=bytearray(len(raw)),
        grid_rows=grid_rows,
    )
