"""The document as one searchable string: paragraphs end in '\\n', cells in '\\x1f', table rows in '\\x1e'."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.document import Document, Paragraph
from nianbao.recognize.normalize import fold

CELL = "\x1f"
ROW = "\x1e"


@dataclass
class Stream:
    """Raw and folded text of the same length, and which positions lie inside table cells."""

    raw: str
    text: str
    in_table: bytearray
    consumed: bytearray  # positions that table recognition used (kept out of section text)
    # Positions in table rows the extractor could not place under the header in exactly one way.
    unplaced: bytearray = field(default_factory=bytearray)

    def is_unplaced(self, pos: int) -> bool:
        """Whether position pos lies in a table row whose cells could not be placed one way."""
        return 0 <= pos < len(self.unplaced) and bool(self.unplaced[pos])

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
    unplaced: list[int] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = block.text.replace(CELL, " ").replace(ROW, " ")
            for line in text.split("\n"):
                parts.append(line + "\n")
                mask.extend([0] * (len(line) + 1))
                unplaced.extend([0] * (len(line) + 1))
        else:
            for i, row in enumerate(block.rows):
                flag = 1 if i in block.ambiguous_rows else 0
                for cell in row:
                    c = cell.replace(CELL, " ").replace(ROW, " ") + CELL
                    parts.append(c)
                    mask.extend([1] * len(c))
                    unplaced.extend([flag] * len(c))
                parts.append(ROW)
                mask.append(1)
                unplaced.append(flag)
            parts.append("\n")
            mask.append(0)
            unplaced.append(0)
    raw = "".join(parts)
    return Stream(
        raw=raw,
        text=fold(raw),
        in_table=bytearray(mask),
        consumed=bytearray(len(raw)),
        unplaced=bytearray(unplaced),
    )
