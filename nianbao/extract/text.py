"""Plain text: the Word-dump layout (tab-led cells), pipe rows, markdown tables, one cell per line."""

from __future__ import annotations

import re

from nianbao.document import Block, Document, Paragraph, Table
from nianbao.extract.decode import decode

_PIPE_ONLY = re.compile(r"^\s*\|[\s|]*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def extract_text(data: bytes) -> Document:
    """Read decoded text into blocks."""
    text = decode(data)
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            i = _word_dump_table(lines, i, blocks)
            continue
        if "|" in line and not _PIPE_ONLY.match(line) and line.count("|") >= 1 and _is_pipe_row(line):
            i = _pipe_table(lines, i, blocks)
            continue
        if _PIPE_ONLY.match(line) or _MD_RULE.match(line):
            i += 1
            continue
        blocks.append(Paragraph(line.rstrip()))
        i += 1
    return Document(blocks=blocks, media_type="text/plain")


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") or s.endswith("|") or s.count("|") >= 2 or bool(re.search(r"\S\s\|\s\S", s))


def _word_dump_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    """Cells are tab-led lines; a blank line ends a row; untabbed lines continue the cell above."""
    rows: list[tuple[str, ...]] = []
    row: list[str] = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            row.append(line[1:])
        elif line.strip() == "":
            if row:
                rows.append(tuple(row))
                row = []
            # Two blank lines in a row end the table.
            if i + 1 < len(lines) and not lines[i + 1].startswith("\t"):
                i += 1
                break
        elif row:
            row[-1] = row[-1] + "\n" + line
        else:
            break
        i += 1
    if row:
        rows.append(tuple(row))
    if rows:
        blocks.append(Table(tuple(rows)))
    return i


def _pipe_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    """Rows of pipe-separated cells (markdown tables included, with or without a rule row)."""
    rows: list[tuple[str, ...]] = []
    while i < len(lines):
        line = lines[i]
        if _MD_RULE.match(line) or _PIPE_ONLY.match(line):
            i += 1
            continue
        if "|" not in line or not _is_pipe_row(line):
            break
        s = line.strip()
        if s.startswith("|"):
            s = s[1:]
        if s.endswith("|"):
            s = s[:-1]
        cells = tuple(c.strip() for c in s.split("|"))
        rows.append(cells)
        i += 1
    # "cell |" on every line is one cell per line, not a table of one-cell rows.
    single = sum(1 for r in rows if sum(1 for c in r if c) <= 1)
    if rows and single >= 0.8 * len(rows):
        blocks.extend(Paragraph(next((c for c in r if c), "")) for r in rows)
    elif rows:
        blocks.append(Table(tuple(rows)))
    return i
