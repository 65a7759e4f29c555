"""What an extractor returns: the document's text and tables in body order."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph or line of running text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table as a full grid: spans expanded, every cell a string (inner line breaks kept as '\\n')."""

    rows: tuple[tuple[str, ...], ...]
    # Per row and slot, which source cell filled the slot (equal ids side by side = one spanned cell);
    # None when the source has no spans (text tables).
    spans: tuple[tuple[int, ...], ...] | None = field(default=None, compare=False)
    # Rows whose cells could not be put under the header's columns in exactly one way (PDF x-extents).
    ambiguous_rows: frozenset[int] = frozenset()


Block = Paragraph | Table


@dataclass
class Document:
    """The blocks of one file in body order, plus page metadata found outside the article."""

    blocks: list[Block]
    media_type: str
    # Lines from outside the article body that may carry metadata (page <title>, 发布时间 lines).
    header_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """All text, paragraphs and cells, one per line (for sniffing and searching)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                out.extend(" | ".join(row) for row in block.rows)
        return "\n".join(out)
