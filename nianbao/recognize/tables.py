"""Read Tables 2-4 out of the stream, label-anchored, in template order; never guess a split."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

from nianbao.model import Note
from nianbao.recognize.normalize import CJK, label_pattern, squash
from nianbao.recognize.stream import CELL, ROW, GridRow, Stream
from nianbao.recognize.values import clean_raw, read_value, split_glued
from nianbao.templates import Column, Row, Template

# Same-line text after a label that can still be values: no CJK except units and 无.
_TAIL = re.compile(r"(?:[^\u3400-\u9fff\n\x1e\x1f]|万元|亿元|千元|元|万|亿|件|条|个|项|无)*")
_PUNCT_EDGE = " \t()[]:：,，.。;；、\"'“”（）［］"
# An item number or an opening group bracket left at the end of a row's values: it belongs to the next row.
_TRAILING_NO = re.compile(r"(\d{1,2})\s*[.．、]\s*$")
_TRAILING_BRACKET = re.compile(r"[(（][一二三四五六七八九十]*\s*$")
_LEADING_NO = re.compile(r"^(\d{1,2})")
_GLUED_RUN = re.compile(r"^[\d.\-]+$")


@dataclass
class RowRead:
    """The raw texts found for one template row, and per-cell state overrides."""

    raws: list[str]
    override: list[str | None]
    start: int
    end: int
    # The label was found but no cells follow it (its cells may stand elsewhere, unlabelled).
    label_only: bool = False


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


# Labels that may follow a row's values: (pattern of the label without its item number, that number).
Nexts = tuple[tuple[re.Pattern[str], str | None], ...]
# Per Table 3 row index, the labels that can follow it.
Bodies = tuple[tuple[int, tuple[re.Pattern[str], str | None]], ...]


def read_row(
    s: Stream,
    m_start: int,
    m_end: int,
    n: int,
    signed: tuple[bool, ...],
    nexts: Nexts = (),
    columns: tuple[Column, ...] = (),
) -> tuple[RowRead, bool]:
    """Values after a row label; the bool says the row was glued text cut by the only possible split."""
    if s.is_grid(m_start):
        return _read_grid_row(s, m_start, m_end, n, signed, columns)
    return _read_text_row(s, m_start, m_end, n, signed, nexts)


def _cut_at_next(s: Stream, start: int, end: int, nexts: Nexts) -> int | None:
    """Where a row's values end: before the next label and its item number; None when that is unsure.

    `… 0 0 0 02.其他` ends before `2.` because the next template label is numbered 2; an item number
    that no following label explains leaves the row unreadable rather than giving a value.
    """
    t = s.text
    stop = end
    numbers: set[str | None] = set()
    longest = 0
    for pat, no in nexts:
        m = pat.search(t, start, min(len(t), end + 200))
        if m is None or m.start() > stop:
            continue
        # At one place the longest label wins (其他法律… over 其他).
        if m.start() < stop or m.end() - m.start() > longest:
            stop, numbers, longest = m.start(), set(), m.end() - m.start()
        if m.end() - m.start() == longest:
            numbers.add(no)
    seg = t[start:stop]
    if _TRAILING_NO.search(seg):
        only = next(iter(numbers)) if len(numbers) == 1 else None
        own = re.search(rf"{only}\s*[.．、]\s*$", seg) if only else None
        if own:
            return start + own.start()
        return None
    br = _TRAILING_BRACKET.search(seg)
    if br:
        return start + br.start()
    return stop


@cache
def _squash_cell(text: str) -> str:
    return squash(text)


@cache
def _column_forms(columns: tuple[Column, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(squash(f) for f in (col.label, *col.match)) for col in columns)


def _header_spans(s: Stream, row: GridRow, columns: tuple[Column, ...]) -> list[tuple[int, int]] | None:
    """The grid columns each template column covers, from the header cells above the row."""
    found: list[tuple[int, int] | None] = [None] * len(columns)
    for index, j, span in _header_cells(s, row.table, columns):
        if index < row.index:
            found[j] = span
    spans = [f for f in found if f is not None]
    if len(spans) != len(columns):
        return None
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
        return None
    return spans


def _header_cells(
    s: Stream, table: int, columns: tuple[Column, ...]
) -> list[tuple[int, int, tuple[int, int]]]:
    """(row index, template column, grid span) of every cell of a table that names a column, in order."""
    key = (table, columns)
    cached: list[tuple[int, int, tuple[int, int]]] | None = s.header_cache.get(key)
    if cached is not None:
        return cached
    forms = _column_forms(columns)
    out: list[tuple[int, int, tuple[int, int]]] = []
    for hr in s.grid_rows:
        if hr.table != table:
            continue
        for c in hr.cells:
            text = _squash_cell(s.raw[c.start : c.end])
            if not text or len(text) > 40 or any(ch.isdigit() for ch in text):
                continue
            for j, col_forms in enumerate(forms):
                if any(text == f or (len(f) >= 4 and text.startswith(f)) for f in col_forms):
                    out.append((hr.index, j, (c.col, c.col + c.span)))
    s.header_cache[key] = out
    return out


def _by_spans(s: Stream, row: GridRow, after: int, spans: list[tuple[int, int]]) -> list[str] | None:
    """A data row's cells matched to the header's column spans, or None when not exactly one way."""
    cells = [c for c in row.cells if c.start > after and c.col >= spans[0][0]]
    vals: list[str] = []
    for a, b in spans:
        inside = [clean_raw(s.raw[c.start : c.end]) for c in cells if a <= c.col and c.col + c.span <= b]
        full = [x for x in inside if x]
        if len(full) > 1:
            return None
        vals.append(full[0] if full else "")
    for c in cells:
        text = clean_raw(s.raw[c.start : c.end])
        if not text or any(a <= c.col and c.col + c.span <= b for a, b in spans):
            continue
        left = [v for (a, _), v in zip(spans, vals, strict=True) if a < c.col]
        if c.col >= spans[-1][1] and left and text == left[-1]:
            continue  # past the last column, a copy of the value before it (an unmarked span)
        return None  # a value straddling two columns, or outside every column
    if not any(vals) and not any(c.start > after for c in row.cells):
        return None
    return vals


def _read_grid_row(
    s: Stream, m_start: int, m_end: int, n: int, signed: tuple[bool, ...], columns: tuple[Column, ...] = ()
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
    raws = [clean_raw(c) for c in cells]
    if not raws:
        return RowRead([""] * n, ["missing"] * n, m_start, row_end, label_only=True), False
    grid_row = s.row_at(m_start)
    spans = _header_spans(s, grid_row, columns) if grid_row is not None and columns else None
    if spans is not None and grid_row is not None and grid_row.spanned:
        placed = _by_spans(s, grid_row, cell_end, spans)
        if placed is None:
            return _ambiguous(n, m_start, row_end), False
        return RowRead(placed, [None] * n, m_start, row_end), False
    first_col = None
    if spans is not None and grid_row is not None:
        # Where the header puts the first column, counted from the first cell after the label.
        label_col = next((c.col + c.span for c in grid_row.cells if c.start <= m_start <= c.end), None)
        first_col = None if label_col is None else spans[0][0] - label_col
    fitted = _fit(raws, n, first_col)
    if fitted is None:
        # A short row, or a long one that fits more than one way: never filled from the left.
        return _ambiguous(n, m_start, row_end), False
    return RowRead(fitted, [None] * n, m_start, row_end), False


def _read_text_row(
    s: Stream, m_start: int, m_end: int, n: int, signed: tuple[bool, ...], nexts: Nexts = ()
) -> tuple[RowRead, bool]:
    t = s.text
    tail_start = _label_tail(s, m_end)
    tail = _TAIL.match(t, tail_start)
    tail_end = tail.end() if tail else tail_start
    cut = _cut_at_next(s, tail_start, tail_end, nexts)
    if cut is None:
        return _ambiguous(n, m_start, tail_end), False
    tail_end = cut
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
    if not any(clean_raw(x) for x in lines) and len(lines) < n:
        # Nothing follows the label: its cells are not here (not blank), maybe unlabelled elsewhere.
        return RowRead([""] * n, ["missing"] * n, m_start, m_end, label_only=True), False
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
    t2_from = bounds["proactive"][0] if "proactive" in bounds else 0
    cursor = t2_from
    # Table 2: each block is looked for from the start of the section, so blocks printed out of
    # order (（一）'s table after （五）（六）（八）) are all found.
    any_t2 = False
    for block in tpl.t2_blocks:
        bm = _search(s, block.match, t2_from, t2_limit)
        block_start = cursor
        row_from = cursor
        if bm:
            any_t2 = True
            block_start = bm.start()
            row_from = bm.end()
            if out.t2_start is None or bm.start() < out.t2_start:
                out.t2_start = bm.start()
        signed = tuple(c.signed for c in block.columns)
        for row in block.rows:
            rm = _search(s, row.match, row_from, t2_limit)
            if not rm:
                continue
            any_t2 = True
            rr, glued = read_row(s, rm.start(), rm.end(), len(block.columns), signed, (), block.columns)
            _note_row(out, "t2", row.key, row.label, rr, glued, s)
            out.rows[("t2", row.key)] = rr
            row_from = max(row_from, rr.end)
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
    bodies = _label_bodies(tpl)
    for i, row in enumerate(tpl.t3_rows):
        # A row whose label starts right where the previous row ended is found there even when its
        # item number is glued to the last value (`…00000003.其他`).
        rm = label_pattern(row.match, glued=True).match(s.text, _skip_space(s, cursor)) if any_t3 else None
        if rm is None or rm.end() > t3_end_limit:
            rm = _search(s, row.match, cursor, t3_end_limit)
        if not rm:
            continue
        any_t3 = True
        if out.t3_start is None:
            out.t3_start = start3
        nexts = tuple(b for k, b in bodies if k > i)
        rr, glued = read_row(s, rm.start(), rm.end(), n3, (), nexts, tpl.t3_columns)
        _note_row(out, "t3", row.key, row.label, rr, glued, s)
        out.rows[("t3", row.key)] = rr
        cursor = max(cursor, rr.end)
    if any_t3:
        out.found.append("t3")
        end3 = _t3_region_end(s, cursor, t3_end_limit)
        _place_by_likeness(s, tpl, out, bodies)
        _read_2019_r6(s, tpl, out, bodies)
        _place_by_order(s, tpl, out, start3, end3)
        _doubt_blanks(s, tpl, out, start3, end3)
        cursor = max([cursor] + [v.end for k, v in out.rows.items() if k[0] == "t3"])
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


# The three parts of Table 4, in order, and the words that name each in its own table or just before it.
_T4_PARTS = (
    re.compile(r"行政\W*复议(?!\W*后)"),
    re.compile(r"未经\W*复议|直接\W*起诉"),
    re.compile(r"复议\W*后\W*起诉"),
)


def _t4_from_parts(s: Stream, head: int, end: int, n: int) -> RowRead | None:
    """Table 4 printed as three 5-column tables (复议, 直接起诉, 复议后起诉): one value row each, in order."""
    if n % 3:
        return None
    width = n // 3
    tables: dict[int, list[GridRow]] = {}
    for r in s.grid_rows:
        if head <= r.start and r.end <= end:
            tables.setdefault(r.table, []).append(r)
    if len(tables) != 3:
        return None
    vals: list[str] = []
    prev_end = head
    stop = head
    for part, rows in zip(_T4_PARTS, tables.values(), strict=True):
        value_rows = [v for v in (_value_row(s, r, width) for r in rows) if v is not None]
        words = s.text[prev_end : rows[0].start] + "".join(
            s.text[r.start : r.end] for r in rows if _value_row(s, r, width) is None
        )
        if len(value_rows) != 1 or len(value_rows[0]) != width or not part.search(words):
            return None
        vals += value_rows[0]
        prev_end = stop = rows[-1].end
    return RowRead(vals, [None] * n, head, stop)


def _read_t4(s: Stream, start: int, end: int, n: int) -> RowRead | None:
    """Table 4: one data row of 15 numbers, identified by position after the header."""
    head = _find_t4_head(s, start, end)
    if head is None:
        return None
    for reader in (_t4_from_grid, _t4_from_parts, _t4_from_lines, _t4_glued):
        found = reader(s, head.start(), end, n)
        if found is not None:
            s.consume(found.start, found.end)
            return found
    return None


def _all_tokens_values(line: str) -> bool:
    toks = line.split()
    return bool(toks) and all(read_value(x)[2] != "text" for x in toks)


def _skip_space(s: Stream, pos: int) -> int:
    while pos < len(s.text) and s.text[pos] in " \t\n":
        pos += 1
    return pos


@cache
def _label_bodies(tpl: Template) -> Bodies:
    """Per Table 3 row index, the labels that can follow it: row labels without their item numbers,
    and group labels (（三）不予公开 …), each with the number it is printed with (None for brackets)."""
    out: list[tuple[int, tuple[re.Pattern[str], str | None]]] = []
    seen_groups: set[str] = set()
    for i, row in enumerate(tpl.t3_rows):
        parts = row.label.split("/")
        if len(parts) > 1 and parts[0] not in seen_groups:
            seen_groups.add(parts[0])
            body = squash(re.sub(r"^[(（][一二三四五六七八九十]+[)）]", "", parts[0]))
            if body:
                out.append((i, (label_pattern((body,)), None)))
        forms = []
        number: str | None = None
        for form in row.match:
            m = _LEADING_NO.match(squash(form))
            if m:
                number = m.group(1)
            body = squash(form)[m.end() :] if m else squash(form)
            if len(body) >= 2:
                forms.append(body)
        if forms:
            out.append((i, (label_pattern(tuple(forms)), number)))
    return tuple(out)


def _t3_region_end(s: Stream, cursor: int, limit: int) -> int:
    """The end of Table 3: the end of the table block holding the last row read, else the cursor."""
    row = s.row_at(cursor)
    if row is None:
        return cursor
    last = max((r.end for r in s.grid_rows if r.table == row.table), default=cursor)
    return min(max(cursor, last), limit)


def _unread(rr: RowRead | None) -> bool:
    return rr is None or rr.label_only or all(o == "missing" for o in rr.override)


def _value_row(s: Stream, row: GridRow, n: int) -> list[str] | None:
    """The cells of a table row that holds only values (no label), trimmed to n, or None."""
    raws = [clean_raw(s.raw[c.start : c.end]) for c in row.cells]
    if not any(raws) or any(read_value(x)[2] == "text" for x in raws):
        return None
    return _fit(raws, n)


def _fit(raws: list[str], n: int, first_col: int | None = None) -> list[str] | None:
    """A row's cells placed in the template's n columns, or None when that is not exactly one way.

    A longer row may end in a ragged edge (empty cells, or copies of the last value) or start with an
    empty cell the label spans into; `first_col` (from the header) decides when both readings fit.
    """
    if len(raws) == n:
        return raws
    if len(raws) < n:
        return None
    if n == 1 and len({x for x in raws if x}) == 1:
        # One column: copies of one value (a span the source did not mark) read the same every way.
        return [next(x for x in raws if x)]
    readings: dict[int, list[str]] = {}
    trail = raws[:]
    while len(trail) > n and (not trail[-1] or trail[-1] == trail[-2]):
        trail.pop()
    # After dropping the edge the row must end in a value: a blank there is not told from the edge.
    if len(trail) == n and trail[-1]:
        readings[0] = trail
    k = len(raws) - n
    if not any(raws[:k]):
        readings[k] = raws[k:]
    if len({tuple(v) for v in readings.values()}) == 1:
        return next(iter(readings.values()))
    if first_col is not None and first_col in readings:
        return readings[first_col]
    return None


def _gaps(tpl: Template, out: TableRead) -> list[tuple[int, int, int, int]]:
    """(first unread row, last unread row + 1, text start, text end) between two read Table 3 rows."""
    rows = tpl.t3_rows
    anchors = [i for i, r in enumerate(rows) if not _unread(out.rows.get(("t3", r.key)))]
    gaps = []
    for a, b in zip(anchors, anchors[1:], strict=False):
        if b > a + 1:
            gaps.append((a + 1, b, out.rows[("t3", rows[a].key)].end, out.rows[("t3", rows[b].key)].start))
    return gaps


_NUMBERED_LABEL = re.compile(r"(?<![\d.])(\d{1,2})\s*[.、]\s*([\u3400-\u9fff\"'“”]+)")


def _place_by_likeness(s: Stream, tpl: Template, out: TableRead, bodies: Bodies) -> None:
    """A row whose label has a typo (`2.其他法律行政止公开`) is matched when it carries the row's item
    number, stands in the row's place between the rows read around it, and reads much like the label."""
    n = len(tpl.t3_columns)
    for lo_i, hi_i, lo, hi in _gaps(tpl, out):
        for row in tpl.t3_rows[lo_i:hi_i]:
            if not _unread(out.rows.get(("t3", row.key))):
                continue
            form = squash(row.match[0])
            num = _LEADING_NO.match(form)
            if num is None:
                continue
            body = form[num.end() :]
            hits = [
                m
                for m in _NUMBERED_LABEL.finditer(s.text, lo, hi)
                if m.group(1) == num.group(1)
                and SequenceMatcher(None, squash(m.group(2)), body).ratio() >= 0.75
            ]
            if len(hits) != 1:
                continue
            m = hits[0]
            i = tpl.t3_rows.index(row)
            nexts = tuple(b for k, b in bodies if k > i)
            rr, glued = read_row(s, m.start(), m.end(), n, (), nexts, tpl.t3_columns)
            if rr.label_only or all(o is not None for o in rr.override):
                continue
            out.rows[("t3", row.key)] = rr
            _note_row(out, "t3", row.key, row.label, rr, glued, s)
            out.notes.append(
                Note(
                    "label_variant",
                    f"t3「{row.label}」的行标签写作「{clean_raw(s.raw[m.start() : m.end()])}」，"
                    "按其编号与在表中的位置认定为该行。",
                    table="t3",
                    row=row.key,
                )
            )


def _read_2019_r6(s: Stream, tpl: Template, out: TableRead, bodies: Bodies) -> None:
    """A 2019-shaped （六）其他处理 single row inside a 2021 table: read, noted; its sub-rows stay missing."""
    subs = [r for r in tpl.t3_rows if r.key.startswith("r6_")]
    if not subs or not all(_unread(out.rows.get(("t3", r.key))) for r in subs):
        return
    i0 = tpl.t3_rows.index(subs[0])
    for lo_i, hi_i, lo, hi in _gaps(tpl, out):
        if not lo_i <= i0 < hi_i:
            continue
        m = label_pattern(("六其他处理",)).search(s.text, lo, hi)
        if m is None:
            return
        nexts = tuple(b for k, b in bodies if k > tpl.t3_rows.index(subs[-1]))
        rr, _ = read_row(s, m.start(), m.end(), len(tpl.t3_columns), (), nexts, tpl.t3_columns)
        if rr.label_only or any(o is not None for o in rr.override):
            return
        out.rows[("t3", "r6")] = rr
        out.notes.append(
            Note(
                "r6_2019_shape",
                f"表三「（六）其他处理」按 2019 版格式印为一行（{' '.join(x or '空' for x in rr.raws)}），"
                "缺少 2021 版格式的 3 个子行；子行数值无从读取，记为缺失。",
                table="t3",
                row="r6",
            )
        )
        return


def _orphans(s: Stream, out: TableRead, start: int, end: int) -> list[GridRow]:
    """Table rows in Table 3 that hold only values and that no labelled row read."""
    taken = [(v.start, v.end) for k, v in out.rows.items() if k[0] == "t3" and not v.label_only]
    found = []
    for r in s.grid_rows:
        if r.start < start or r.end > end:
            continue
        if any(a <= r.end and r.start <= b for a, b in taken):
            continue
        raws = [clean_raw(s.raw[c.start : c.end]) for c in r.cells]
        if any(raws) and all(read_value(x)[2] != "text" for x in raws):
            found.append(r)
    return found


def _place_by_order(s: Stream, tpl: Template, out: TableRead, start: int, end: int) -> None:
    """Number rows that lost their label go to the rows whose label was not read, when the order
    leaves one possibility: between two read rows, as many unlabelled rows as unread template rows."""
    n = len(tpl.t3_columns)
    rows = tpl.t3_rows
    orphans = _orphans(s, out, start, end)
    if not orphans:
        return
    anchors = [i for i, r in enumerate(rows) if not _unread(out.rows.get(("t3", r.key)))]
    for a, b in zip(anchors, anchors[1:], strict=False):
        gap: list[Row] = list(rows[a + 1 : b])
        if not gap:
            continue
        lo = out.rows[("t3", rows[a].key)].end
        hi = out.rows[("t3", rows[b].key)].start
        inside = [r for r in orphans if lo < r.start and r.end < hi]
        if not inside:
            continue
        if len(inside) == len(gap):
            for row, src in zip(gap, inside, strict=True):
                vals = _value_row(s, src, n)
                if vals is None or len(vals) != n:
                    out.rows[("t3", row.key)] = _ambiguous(n, src.start, src.end)
                    _note_row(out, "t3", row.key, row.label, out.rows[("t3", row.key)], False, s)
                    continue
                out.rows[("t3", row.key)] = RowRead(vals, [None] * n, src.start, src.end)
                out.notes.append(
                    Note(
                        "by_order",
                        f"t3「{row.label}」的行标签与数值分离，按表中顺序（前后两行之间唯一的一行数值）读取。",
                        table="t3",
                        row=row.key,
                    )
                )
        else:
            for row in gap:
                out.rows[("t3", row.key)] = _ambiguous(n, lo, hi)
                out.notes.append(
                    Note(
                        "ambiguous",
                        f"t3「{row.label}」所在位置有 {len(inside)} 行无标签的数值、{len(gap)} 个未读行，"
                        "无法唯一对应，数值未读取。",
                        table="t3",
                        row=row.key,
                    )
                )


_VALUE_LINE = re.compile(r"^[\d\s.,\-]+$")


def _doubt_blanks(s: Stream, tpl: Template, out: TableRead, start: int, end: int) -> None:
    """A value left over in Table 3 (placed nowhere) may belong in any blank cell: blanks become unsure."""
    taken = [(v.start, v.end) for k, v in out.rows.items() if k[0] == "t3" and not v.label_only]
    stray: list[str] = []
    p = start
    while p < end:
        q = s.text.find("\n", p, end)
        q = end if q < 0 else q
        line = clean_raw(s.raw[p:q])
        if (
            line
            and not s.is_grid(p)
            and _VALUE_LINE.match(line)
            and not any(a <= p and q <= b + 1 for a, b in taken)
        ):
            stray.append(line)
        p = q + 1
    stray += [
        " ".join(clean_raw(s.raw[c.start : c.end]) for c in r.cells).strip()
        for r in _orphans(s, out, start, end)
    ]
    if not stray:
        return
    hit = False
    for row in tpl.t3_rows:
        rr = out.rows.get(("t3", row.key))
        if rr is None:
            continue
        for j, raw in enumerate(rr.raws):
            if not clean_raw(raw) and rr.override[j] is None:
                rr.override[j] = "ambiguous"
                hit = True
    if hit:
        out.notes.append(
            Note(
                "stray_value",
                f"表三中有未能定位到单元格的数值（{'；'.join(stray)[:60]}），空白单元格可能正是其位置，未按空白读取。",
                table="t3",
            )
        )
