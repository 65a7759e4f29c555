"""Read Tables 2-4 out of the stream, label-anchored, in template order; never guess a split."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.model import Note
from nianbao.recognize.normalize import CJK, label_pattern
from nianbao.recognize.stream import CELL, ROW, Stream
from nianbao.recognize.values import clean_raw, read_value, split_glued
from nianbao.templates import Template

# Same-line text after a label that can still be values: no CJK except units and 无.
_TAIL = re.compile(r"(?:[^\u3400-\u9fff\n\x1e\x1f]|万元|亿元|千元|元|万|亿|件|条|个|项|无)*")
_PUNCT_EDGE = " \t()[]:：,，.。;；、\"'“”"
_GLUED_RUN = re.compile(r"^[\d.\-]+$")


@dataclass
class RowRead:
    """The raw texts found for one template row, and per-cell state overrides."""

    raws: list[str]
    override: list[str | None]
    start: int
    end: int


@dataclass
class TableRead:
    """What was read for all tables: cell raws keyed by (table, row, col index)."""

    rows: dict[tuple[str, str], RowRead] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    t2_start: int | None = None
    t3_start: int | None = None
    t4_start: int | None = None
    end: int = 0


def _ambiguous(n: int, start: int, end: int) -> RowRead:
    return RowRead([""] * n, ["ambiguous"] * n, start, end)


def _label_tail(s: Stream, e: int) -> int:
    """Advance over the rest of a label (its wording or annotation), stopping at values or breaks."""
    t = s.text
    i = e
    while i < len(t):
        ch = t[i]
        if ch in "\n\x1e\x1f" or ch.isdigit() or ch in "+-—–":
            break
        if ch.isspace():
            j = i
            while j < len(t) and t[j] in " \t":
                j += 1
            if j < len(t) and CJK.match(t[j]) and t[j] != "无":
                i = j
                continue
            break
        if ch == "无" and (i + 1 >= len(t) or not CJK.match(t[i + 1])):
            break
        if ch == "/" and (i + 1 >= len(t) or t[i + 1] in " \n\x1e\x1f"):
            break
        i += 1
    return i


def _from_tokens(tokens: list[str], n: int, signed: tuple[bool, ...]) -> list[str] | None:
    """Values from whitespace-separated tokens on one line, or a glued run cut the only possible way."""
    if len(tokens) == n:
        return tokens
    if len(tokens) == 1 and n > 1 and _GLUED_RUN.match(tokens[0]):
        return split_glued(tokens[0], n, signed)
    return None


def _count_heuristic(lines: list[str], n: int) -> list[str] | None:
    """Cells laid out one per line with blank lines between: place them only when the count fits."""
    nonblank = [ln for ln in lines if clean_raw(ln)]
    if len(nonblank) == n:
        return nonblank
    if not nonblank:
        return [""] * n
    trimmed = lines[:]
    if trimmed and not clean_raw(trimmed[0]):
        trimmed = trimmed[1:]
    if trimmed and not clean_raw(trimmed[-1]):
        trimmed = trimmed[:-1]
    if len(trimmed) == n:
        return trimmed
    # Double-spaced layout: a cell, a separator line, a cell, ...
    for offset in (0, 1):
        cells = lines[offset::2]
        seps = lines[offset + 1 :: 2]
        while cells and not clean_raw(cells[-1]) and len(cells) > n:
            cells = cells[:-1]
        if len(cells) == n and all(not clean_raw(x) for x in seps):
            return cells
    return None


def read_row(s: Stream, m_start: int, m_end: int, n: int, signed: tuple[bool, ...]) -> tuple[RowRead, bool]:
    """Values after a row label; the bool says the row was glued text cut by the only possible split."""
    if s.is_grid(m_start):
        return _read_grid_row(s, m_start, m_end, n, signed)
    return _read_text_row(s, m_start, m_end, n, signed)


def _read_grid_row(
    s: Stream, m_start: int, m_end: int, n: int, signed: tuple[bool, ...]
) -> tuple[RowRead, bool]:
    t = s.raw
    cell_start = max(t.rfind(CELL, 0, m_start), t.rfind(ROW, 0, m_start)) + 1
    cell_end = t.find(CELL, m_end)
    row_end = t.find(ROW, m_end)
    if cell_end < 0 or row_end < 0 or cell_end > row_end:
        return RowRead([""] * n, ["missing"] * n, m_start, m_end), False
    if s.is_unplaced(m_start):
        return _ambiguous(n, m_start, row_end), False
    label_cell = clean_raw(t[cell_start:cell_end])
    remainder = clean_raw(s.text[_label_tail(s, m_end) : cell_end]).strip(_PUNCT_EDGE)
    cells = t[cell_end + 1 : row_end].split(CELL)[:-1]
    # A label repeated by a colspan is not a value.
    cells = [c for c in cells if clean_raw(c) != label_cell or not CJK.search(c)]
    if remainder and any(ch.isdigit() for ch in remainder) and not any(clean_raw(c) for c in cells):
        vals = _from_tokens(remainder.split(), n, signed)
        if vals is None:
            return _ambiguous(n, m_start, row_end), False
        return RowRead(vals, [None] * n, m_start, row_end), True
    raws = [clean_raw(c) for c in cells[:n]]
    override: list[str | None] = [None] * len(raws)
    while len(raws) < n:
        raws.append("")
        override.append("missing")
    return RowRead(raws, override, m_start, row_end), False


def _read_text_row(
    s: Stream, m_start: int, m_end: int, n: int, signed: tuple[bool, ...]
) -> tuple[RowRead, bool]:
    t = s.text
    tail_start = _label_tail(s, m_end)
    tail = _TAIL.match(t, tail_start)
    tail_end = tail.end() if tail else tail_start
    same_line = t[tail_start:tail_end].strip(_PUNCT_EDGE)
    if same_line:
        tokens = same_line.split()
        vals = _from_tokens(tokens, n, signed)
        glued = len(tokens) == 1 and n > 1
        if vals is None:
            return _ambiguous(n, m_start, tail_end), False
        raw_tokens = s.raw[tail_start:tail_end].strip(_PUNCT_EDGE).split() if not glued else vals
        if len(raw_tokens) != len(vals):
            raw_tokens = vals
        return RowRead(list(raw_tokens), [None] * n, m_start, tail_end), glued
    # Cells on the following lines.
    line_end = t.find("\n", m_end)
    if line_end < 0:
        return RowRead([""] * n, ["missing"] * n, m_start, m_end), False
    pos = line_end + 1
    lines: list[str] = []
    last_end = line_end
    while pos < len(t) and not s.is_grid(pos):
        nxt = t.find("\n", pos)
        if nxt < 0:
            nxt = len(t)
        line = s.raw[pos:nxt]
        if clean_raw(line) and read_value(line)[2] == "text":
            break
        lines.append(line)
        if clean_raw(line):
            last_end = nxt
        pos = nxt + 1
        if len(lines) > 4 * n + 4:
            break
    vals = _count_heuristic(lines, n)
    if vals is None and pos >= len(t):
        # The text stops inside this row (an excerpt): what is there is read, the rest is missing.
        got = [clean_raw(v) for v in lines if clean_raw(v)]
        if len(got) < n:
            return RowRead(
                got + [""] * (n - len(got)),
                [None] * len(got) + ["missing"] * (n - len(got)),
                m_start,
                last_end,
            ), False
    if vals is None:
        return _ambiguous(n, m_start, last_end), False
    return RowRead([clean_raw(v) for v in vals], [None] * n, m_start, last_end), False


def _search(s: Stream, alts: tuple[str, ...], start: int, end: int) -> re.Match[str] | None:
    return label_pattern(alts).search(s.text, start, end)


def read_tables(s: Stream, tpl: Template, bounds: dict[str, tuple[int, int]]) -> TableRead:
    """Read Tables 2, 3 and 4; `bounds` gives section spans by key (may be partial)."""
    out = TableRead()
    n_text = len(s.text)
    t3_anchor = _search(s, tpl.t3_anchor, bounds.get("proactive", (0, 0))[0], n_text)
    t2_limit = min(
        t3_anchor.start() if t3_anchor else n_text,
        bounds["requests"][0] if "requests" in bounds else n_text,
    )
    cursor = bounds["proactive"][0] if "proactive" in bounds else 0
    # Table 2
    any_t2 = False
    for block in tpl.t2_blocks:
        bm = _search(s, block.match, cursor, t2_limit)
        block_start = cursor
        if bm:
            any_t2 = True
            block_start = bm.start()
            if out.t2_start is None:
                out.t2_start = bm.start()
            cursor = bm.end()
        signed = tuple(c.signed for c in block.columns)
        for row in block.rows:
            rm = _search(s, row.match, cursor, t2_limit)
            if not rm:
                continue
            any_t2 = True
            rr, glued = read_row(s, rm.start(), rm.end(), len(block.columns), signed)
            _note_row(out, "t2", row.key, row.label, rr, glued, s)
            out.rows[("t2", row.key)] = rr
            cursor = max(cursor, rr.end)
            s.consume(block_start, rr.end)
    if any_t2:
        out.found.append("t2")
    # Table 3
    t3_end_limit = bounds["appeals"][0] if "appeals" in bounds else n_text
    start3 = t3_anchor.start() if t3_anchor else cursor
    if t3_anchor and t3_anchor.start() >= t3_end_limit:
        t3_end_limit = n_text
    cursor = start3
    any_t3 = False
    n3 = len(tpl.t3_columns)
    for row in tpl.t3_rows:
        rm = _search(s, row.match, cursor, t3_end_limit)
        if not rm:
            continue
        any_t3 = True
        if out.t3_start is None:
            out.t3_start = start3
        rr, glued = read_row(s, rm.start(), rm.end(), n3, ())
        _note_row(out, "t3", row.key, row.label, rr, glued, s)
        out.rows[("t3", row.key)] = rr
        cursor = max(cursor, rr.end)
    if any_t3:
        out.found.append("t3")
        s.consume(start3, cursor)
    # Table 4
    t4_start = bounds["appeals"][0] if "appeals" in bounds else cursor
    t4_start = max(t4_start, cursor)
    t4_end = bounds["problems"][0] if "problems" in bounds and bounds["problems"][0] > t4_start else n_text
    rr4 = _read_t4(s, t4_start, t4_end, len(tpl.t4_columns))
    if rr4 is not None:
        out.found.append("t4")
        out.t4_start = rr4.start
        out.rows[("t4", tpl.t4_row.key)] = rr4
        if "ambiguous" in rr4.override:
            out.notes.append(
                Note("ambiguous", "表四数值粘连，无法唯一拆分，数值未读取。", table="t4", row=tpl.t4_row.key)
            )
        cursor = max(cursor, rr4.end)
    out.end = cursor
    return out


def _note_row(out: TableRead, table: str, key: str, label: str, rr: RowRead, glued: bool, s: Stream) -> None:
    if "ambiguous" in rr.override:
        text = clean_raw(s.raw[rr.start : rr.end])[:80].replace("\x1f", " | ").replace("\x1e", " ")
        out.notes.append(
            Note(
                "ambiguous",
                f"{table}「{label}」的单元格无法唯一确定（原文：{text}），数值未读取。",
                table=table,
                row=key,
            )
        )
    elif glued:
        out.notes.append(
            Note(
                "glued", f"{table}「{label}」的数字粘连，仅有一种拆分方式，已按此读取。", table=table, row=key
            )
        )


_T4_HEAD = re.compile(r"行政\W*复议")
_T4_WORDS = re.compile(r"结果|维持|纠正|审结|总计|起诉|诉讼|复议")


def _find_t4_head(s: Stream, start: int, end: int) -> re.Match[str] | None:
    """The 行政复议 that opens Table 4's header (not the one in the section heading or prose)."""
    for m in _T4_HEAD.finditer(s.text, start, end):
        window = s.text[m.end() : m.end() + 400]
        if "诉讼" in window and ("结果" in window or "维持" in window or "结" in window):
            return m
    return None


def _t4_from_grid(s: Stream, head: int, end: int, n: int) -> RowRead | None:
    """Grid: the first row after the header whose cells are all values (blanks allowed)."""
    t = s.text
    first_cell = t.find(CELL, head, end)
    if not (s.is_grid(head) or (first_cell >= 0 and s.is_grid(first_cell))):
        return None
    fallback: RowRead | None = None
    row_begin = t.rfind(ROW, 0, head) + 1
    while True:
        row_end = t.find(ROW, row_begin, end)
        if row_end < 0:
            break
        cells = s.raw[row_begin:row_end].split(CELL)[:-1]
        labels = [c for c in cells if read_value(c)[2] == "text"]
        vals = [clean_raw(c) for c in cells if read_value(c)[2] != "text"]
        # A leading row label ("行政复议、行政诉讼") is allowed; header words are not.
        if len(vals) >= n and all(not _T4_WORDS.search(x) for x in labels) and len(labels) <= 1:
            found = RowRead(vals[-n:], [None] * n, head, row_end)
            if any(vals):
                return found
            fallback = fallback or found
        row_begin = row_end + 1
    return fallback


def _t4_from_lines(s: Stream, head: int, end: int, n: int) -> RowRead | None:
    """Text: blocks of value-only lines after the header (space-separated, one per line, or glued)."""
    t = s.text
    block: list[tuple[int, int]] = []
    blocks: list[list[tuple[int, int]]] = []
    p = t.rfind("\n", 0, head) + 1
    while p < end:
        q = t.find("\n", p, end)
        q = end if q < 0 else q
        line = s.raw[p:q]
        if clean_raw(line) and read_value(line)[2] == "text" and not _all_tokens_values(line):
            if block:
                blocks.append(block)
            block = []
        else:
            block.append((p, q))
        p = q + 1
    if block:
        blocks.append(block)
    for blk in blocks:
        texts = [s.raw[a:b] for a, b in blk]
        tokens = [tok for x in texts for tok in x.split()]
        if not tokens:
            continue
        stop = blk[-1][1]
        if len(tokens) == n:
            return RowRead([clean_raw(v) for v in tokens], [None] * n, head, stop)
        if len(tokens) == 1 and _GLUED_RUN.match(tokens[0]) and len(tokens[0]) >= n:
            cut = split_glued(tokens[0], n)
            return _ambiguous(n, head, stop) if cut is None else RowRead(cut, [None] * n, head, stop)
        if len(texts) >= n:
            placed = _count_heuristic(texts, n)
            if placed is not None:
                return RowRead([clean_raw(v) for v in placed], [None] * n, head, stop)
    return None


def _t4_glued(s: Stream, head: int, end: int, n: int) -> RowRead | None:
    """Running text: digits right after the last header word."""
    m = re.compile(rf"(?:总计|计)\s*([\d\s.\-]{{{n},}})").search(s.text, head, end)
    if not m:
        return None
    cut = _from_tokens(m.group(1).strip().split(), n, ())
    return _ambiguous(n, head, m.end()) if cut is None else RowRead(cut, [None] * n, head, m.end())


def _read_t4(s: Stream, start: int, end: int, n: int) -> RowRead | None:
    """Table 4: one data row of 15 numbers, identified by position after the header."""
    head = _find_t4_head(s, start, end)
    if head is None:
        return None
    for reader in (_t4_from_grid, _t4_from_lines, _t4_glued):
        found = reader(s, head.start(), end, n)
        if found is not None:
            s.consume(found.start, found.end)
            return found
    return None


def _all_tokens_values(line: str) -> bool:
    toks = line.split()
    return bool(toks) and all(read_value(x)[2] != "text" for x in toks)
