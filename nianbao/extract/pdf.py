"""PDF to Document: ruled tables as full grids and the text around them as lines, page by page.

Per page, in vertical order: every ruled table pdfplumber finds becomes a Table (spanned slots
filled from the cell that covers them), and the text outside the tables becomes one Paragraph
per line. Across pages: page numbers and lines repeated at the top or bottom of every page are
dropped, and a table that runs on from the previous page is joined to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from nianbao.document import Block, Document, Paragraph, Table
from nianbao.errors import UnreadableReport
from nianbao.extract.bounds import check_pdf_pages

MEDIA_TYPE = "application/pdf"

# Ruled tables: cell borders are drawn lines or rectangle edges.
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
# A filled, unstroked rectangle thicker than this is a background box (WPS draws one behind every
# line of prose and every table cell), not a ruling; thinner ones are how some writers draw lines.
RULE_MAX_WIDTH = 2.0
MARGIN = 0.12  # top and bottom share of the page where running headers and footers live
MIN_TEXT_CHARS = 10  # a page with pictures and fewer characters than this is a scanned page

_SPACES = " \t\r\n\u00a0\u3000"
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-—–－~～]\s*\d{1,4}\s*[-—–－~～]              # - 3 -
      | 第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?  # 第3页 / 第3页 共10页
      | (?:共\s*\d{1,4}\s*页\s*[,，]?\s*)?第\s*\d{1,4}\s*页  # 共10页 第3页
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?   # Page 3 / Page 3 of 10
      | \d{1,4}\s*/\s*\d{1,4}                           # 3 / 10
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")  # a page number alone; "2020" on its own is not one
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_NUMBER = re.compile(r"^[-+]?\d[\d,，.]*\s*[%％]?$")
_VALUE_TEXT = re.compile(r"^(?:[-—–/]+|无|[-+]?\d[\d,，.]*\s*(?:元|万元|亿元|亿|万|千元|%|％))$")
# A gap wider than this many character sizes between two characters separates two columns.
COLUMN_GAP = 1.0
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")  # a column label, not a value such as 无 or 10亿


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


@dataclass
class _Grid:
    rows: list[list[str]]
    top: float
    edges: list[float]  # column boundaries as shares of the table's width, left to right
    xs: list[float]  # the same boundaries in page points
    ids: list[list[int]]  # per slot, the index in `spans` of the source cell covering it (-1: none)
    spans: list[tuple[float, float]]  # x-extent of each source cell, in page points
    ambiguous: set[int] = field(default_factory=set)  # rows whose cells cannot be placed one way


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Line | _Grid] = field(default_factory=list)
    visible_chars: int = 0
    has_images: bool = False


# ----------------------------------------------------------------------------------------- the entry


def extract_pdf(data: bytes) -> Document:
    """Read a PDF with a text layer; scans, damaged and locked files raise UnreadableReport."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    if _truncated(data):
        raise _corrupt("the file ends before its end-of-file marker")
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if _is_password_error(cause):
            raise _encrypted() from exc
        raise _corrupt(type(cause).__name__) from exc
    except Exception as exc:
        raise _corrupt(type(exc).__name__) from exc
    try:
        with pdf:
            check_pdf_pages(pdf)  # the page cap, before any layout analysis
            pages = [_read_and_release(page, n) for n, page in enumerate(pdf.pages, start=1)]
    except UnreadableReport:
        raise
    except Exception as exc:
        if _is_password_error(exc):
            raise _encrypted() from exc
        raise _corrupt(type(exc).__name__) from exc
    if not pages:
        raise _corrupt("no pages")

    notes: list[str] = []
    scanned = [p.number for p in pages if p.has_images and p.visible_chars < MIN_TEXT_CHARS]
    if sum(p.visible_chars for p in pages) == 0 or len(scanned) == len(pages):
        raise UnreadableReport(
            "needs_ocr",
            "这是扫描件或图片版 PDF，没有可用的文字层，需要先进行文字识别（OCR）后才能检查。",
            "this PDF is a scan or has no usable text layer: it needs OCR before it can be checked",
        )
    if scanned:
        notes.append(f"第{'、'.join(map(str, scanned))}页只有图片没有文字，内容未能读取（需要 OCR）。")

    _drop_running_lines(pages)
    blocks, joined = _assemble(pages)
    if joined:
        notes.append(f"有 {joined} 处跨页的表格已接续合并为一张表。")
    return Document(blocks=blocks, media_type=MEDIA_TYPE, notes=notes)


def _truncated(data: bytes) -> bool:
    """Was the file cut off? pdfminer would otherwise read some cut files only in part.

    Without any %%EOF the file is cut when it ends inside an object (a file that lost only its
    cross-reference table is left to pdfminer's repair). With an %%EOF, more than a few kilobytes
    of objects after the last one mean that a later part (an incremental update, or the rest of a
    linearized file) was cut off before its own %%EOF.
    """
    last = data.rfind(b"%%EOF")
    if last < 0:
        tail = data[-65536:]
        return tail.rfind(b"endobj") < _last_match(_OBJECT, tail)
    tail = data[last:]
    return len(tail) > 4096 and _OBJECT.search(tail) is not None


def _last_match(pattern: re.Pattern[bytes], data: bytes) -> int:
    found = -1
    for match in pattern.finditer(data):
        found = match.start()
    return found


def _is_password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError)


def _corrupt(detail: str) -> UnreadableReport:
    return UnreadableReport(
        "corrupt_pdf",
        "PDF 文件已损坏或不完整（可能下载中断），无法读取，请重新获取原文件后上传。",
        f"the PDF is damaged or incomplete (perhaps a broken download) and cannot be read: {detail}",
    )


def _encrypted() -> UnreadableReport:
    return UnreadableReport(
        "encrypted",
        "PDF 文件已加密，需要密码才能打开，请上传未加密的版本。",
        "the PDF is encrypted and needs a password to open: upload an unprotected copy",
    )


# ------------------------------------------------------------------------------------------ one page


def _read_and_release(page: Any, number: int) -> _Page:
    """Read one page, then drop its layout caches: memory stays at about one page's worth."""
    try:
        return _read_page(page, number)
    finally:
        page.close()


def _read_page(page: Any, number: int) -> _Page:
    out = _Page(number=number, height=float(page.height), has_images=bool(page.images))
    # Glyphs without a Unicode mapping come back as "(cid:123)": as good as no text at all.
    out.visible_chars = sum(
        1 for ch in page.chars if ch.get("text", "").strip(_SPACES) and not ch["text"].startswith("(cid:")
    )
    if out.visible_chars == 0:
        return out
    boxes: list[tuple[float, float, float, float]] = []
    for table in page.filter(_not_a_background).find_tables(TABLE_SETTINGS):
        grid = _table_grid(table)
        if grid is None:  # a frame around text, not a table: its text stays running text
            continue
        boxes.append(table.bbox)
        out.items.append(grid)

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    lines = page.filter(outside_tables).extract_text_lines(return_chars=True)
    out.items.extend(_aligned(lines))
    out.items.sort(key=lambda item: item.top)
    return out


# ------------------------------------------------------------------------ tables without ruling lines


@dataclass
class _Segment:
    text: str
    x0: float
    x1: float


def _segments(line: dict[str, Any]) -> list[_Segment]:
    """A text line cut where the gap between two characters is wider than a column gap."""
    out: list[_Segment] = []
    chars = [c for c in line["chars"] if c.get("text", "").strip(_SPACES)]
    for ch in chars:
        gap = COLUMN_GAP * float(ch.get("size") or (ch["bottom"] - ch["top"]))
        if out and float(ch["x0"]) - out[-1].x1 <= gap:
            last = out[-1]
            last.text, last.x1 = last.text + ch["text"], float(ch["x1"])
        else:
            out.append(_Segment(ch["text"], float(ch["x0"]), float(ch["x1"])))
    return out


def _is_value(text: str) -> bool:
    return bool(_NUMBER.match(text) or _VALUE_TEXT.match(text))


def _aligned(lines: list[dict[str, Any]]) -> list[_Line | _Grid]:
    """Text lines, and the tables drawn without ruling lines that column alignment shows.

    A header line (two or more word segments) directly above lines made of a label and values
    is such a table. Each header segment owns the band out to halfway to its neighbours; a value
    is put in the band that holds it whole, and a value across two bands makes its row ambiguous.
    Anything less clean stays text.
    """
    segs = [_segments(line) for line in lines]
    kinds = []
    for parts in segs:
        if len(parts) >= 2 and all(_WORD.search(p.text) and not _is_value(p.text) for p in parts):
            kinds.append("header")
        elif len(parts) >= 2 and not _is_value(parts[0].text) and all(_is_value(p.text) for p in parts[1:]):
            kinds.append("data")
        else:
            kinds.append("text")
    out: list[_Line | _Grid] = []
    i = 0
    while i < len(lines):
        end = i + 1
        while end < len(lines) and kinds[end] == "data":
            end += 1
        if kinds[i] == "header" and end > i + 1:
            out.append(_aligned_grid(lines[i:end], segs[i:end]))
            i = end
            continue
        text = _tidy(lines[i]["text"])
        if text:
            out.append(_Line(text=text, top=float(lines[i]["top"]), bottom=float(lines[i]["bottom"])))
        i += 1
    return out


def _aligned_grid(lines: list[dict[str, Any]], segs: list[list[_Segment]]) -> _Grid:
    head = segs[0]
    inner = [(a.x1 + b.x0) / 2 for a, b in zip(head, head[1:], strict=False)]
    x0 = min(p.x0 for parts in segs for p in parts)
    x1 = max(p.x1 for parts in segs for p in parts)
    xs = [x0, *inner, x1]
    spans = [(xs[j], xs[j + 1]) for j in range(len(xs) - 1)]
    grid = _Grid(rows=[], top=float(lines[0]["top"]), edges=[], xs=xs, ids=[], spans=list(spans))
    width = (x1 - x0) or 1.0
    grid.edges = [(x - x0) / width for x in xs]
    n = len(spans)
    for i, parts in enumerate(segs):
        row = [""] * n
        if i == 0:
            row = [p.text for p in parts]
        else:
            row[0] = parts[0].text
            for p in parts[1:]:
                bands = [j for j, (a, b) in enumerate(spans) if p.x0 < b and p.x1 > a]
                if len(bands) != 1 or bands[0] == 0 or row[bands[0]]:
                    grid.ambiguous.add(i)
                    continue
                row[bands[0]] = p.text
        grid.rows.append(row)
        grid.ids.append(list(range(i * n, i * n + n)))
    # Every slot is its own cell: extend the spans so each id has an x-extent.
    grid.spans = [spans[j % n] for j in range(len(segs) * n)]
    return grid


def _not_a_background(obj: dict[str, Any]) -> bool:
    """Keep everything but filled boxes without a border: text over them is prose, not a table."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return min(float(obj["width"]), float(obj["height"])) <= RULE_MAX_WIDTH


def _tidy(text: str) -> str:
    return _SPACE_IN_CJK.sub("", text).strip(_SPACES)


def _table_grid(table: Any) -> _Grid | None:
    """The table as a rectangular grid of strings; None for a single box around some text."""
    if len(table.cells) < 2:
        return None
    rows = table.rows
    texts = table.extract()
    x0, top, x1, bottom = table.bbox
    xs = sorted({cell[0] for cell in table.cells}) + [x1]
    ys = sorted({cell[1] for cell in table.cells}) + [bottom]
    # Every cell rectangle with the text pdfplumber read inside it.
    text_of: dict[tuple[float, float, float, float], str] = {}
    for row, row_texts in zip(rows, texts, strict=True):
        for cell, text in zip(row.cells, row_texts, strict=True):
            if cell is not None:
                text_of[tuple(cell)] = _cell_text(text or "")
    rects = list(text_of)
    grid: list[list[str]] = []
    ids: list[list[int]] = []
    for i in range(len(ys) - 1):
        line: list[str] = []
        line_ids: list[int] = []
        cy = (ys[i] + ys[i + 1]) / 2
        for j in range(len(xs) - 1):
            cx = (xs[j] + xs[j + 1]) / 2
            k = _covering(rects, cx, cy)
            line.append(text_of[rects[k]] if k >= 0 else "")
            line_ids.append(k)
        grid.append(line)
        ids.append(line_ids)
    width = (x1 - x0) or 1.0
    edges = [(x - x0) / width for x in xs]
    spans = [(float(r[0]), float(r[2])) for r in rects]
    return _Grid(rows=grid, top=float(top), edges=edges, xs=[float(x) for x in xs], ids=ids, spans=spans)


def _covering(rects: list[tuple[float, float, float, float]], cx: float, cy: float) -> int:
    """The index of the cell whose rectangle covers a grid slot (a merged cell covers several)."""
    for k, (x0, top, x1, bottom) in enumerate(rects):
        if x0 <= cx <= x1 and top <= cy <= bottom:
            return k
    return -1


def _cell_text(raw: str) -> str:
    """Tidy a cell; a label typeset one character per line ("结\\n果\\n维\\n持") is joined up."""
    lines = [_tidy(line) for line in raw.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > 1 and all(len(line) == 1 for line in lines):
        return "".join(lines)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- across pages


def _running_key(text: str) -> tuple[str, tuple[int, ...]]:
    """A line with its numbers taken out, and the numbers."""
    compact = re.sub(r"\s+", "", text)
    return re.sub(r"\d+", "#", compact), tuple(int(n) for n in re.findall(r"\d+", compact)[:8])


def _in_margin(page: _Page, line: _Line) -> bool:
    return line.bottom <= page.height * MARGIN or line.top >= page.height * (1 - MARGIN)


def _edge_lines(page: _Page) -> list[_Line]:
    """Lines in the top or bottom margin that have no table or other text further out."""
    out: list[_Line] = []
    for items in (page.items, list(reversed(page.items))):
        for item in items:
            if not isinstance(item, _Line) or not _in_margin(page, item):
                break
            if not any(item is seen for seen in out):
                out.append(item)
    return out


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop page numbers, and header/footer lines that repeat at the page edges.

    A line repeats when its text, numbers aside, is at an edge of at least two pages and of half
    of them, and each of its numbers is either the same everywhere (a year) or moves in step with
    the page (a page number). Body text that merely looks alike ("第1段", "第38段") does not.
    """
    edges = {page.number: _edge_lines(page) for page in pages}
    found: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
    for page in pages:
        for line in edges[page.number]:
            key, numbers = _running_key(line.text)
            found.setdefault(key, []).append((page.number, numbers))
    repeated = {
        key
        for key, seen in found.items()
        if len({n for n, _ in seen}) >= 2 and len(seen) * 2 >= len(pages) and _in_step(seen)
    }
    for page in pages:
        drop = [
            line
            for line in edges[page.number]
            if _PAGE_NUMBER.match(line.text)
            or _BARE_NUMBER.match(line.text)
            or _running_key(line.text)[0] in repeated
        ]
        page.items = [item for item in page.items if not any(item is line for line in drop)]


def _in_step(seen: list[tuple[int, tuple[int, ...]]]) -> bool:
    """Is every number of a repeated line constant, or the page number plus a constant?"""
    for position in range(len(seen[0][1])):
        values = [numbers[position] for _, numbers in seen]
        offsets = {value - page for (page, _), value in zip(seen, values, strict=True)}
        if len(set(values)) > 1 and len(offsets) > 1:
            return False
    return True


def _assemble(pages: list[_Page]) -> tuple[list[Block], int]:
    """Blocks in reading order; a table that runs on from the previous page is joined to it."""
    blocks: list[Block | _Grid] = []
    joined = 0
    open_grid: _Grid | None = None  # the previous page ended with this table
    for page in pages:
        for index, item in enumerate(page.items):
            if isinstance(item, _Line):
                blocks.append(Paragraph(item.text))
                continue
            if index == 0 and open_grid is not None and _continues(open_grid, item):
                skip = _header_rows(open_grid.rows, item.rows)
                _append_part(open_grid, item, skip)
                joined += 1
                item = open_grid
            else:
                blocks.append(item)
            page.items[index] = item
        last = page.items[-1] if page.items else None
        if isinstance(last, _Grid):
            open_grid = last
        elif page.items:
            open_grid = None
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, _Grid):
            _place_in_header_columns(block)
            block = Table(
                rows=tuple(tuple(r) for r in block.rows),
                spans=_source_ids(block),
                ambiguous_rows=frozenset(block.ambiguous),
            )
        out.append(block)
    return out, joined


def _source_ids(grid: _Grid) -> tuple[tuple[int, ...], ...]:
    """Per slot, its source cell; a slot no cell covers is a cell of its own."""
    width = len(grid.xs)
    return tuple(
        tuple(k if k >= 0 else len(grid.spans) + i * width + j for j, k in enumerate(row))
        for i, row in enumerate(grid.ids)
    )


def _append_part(grid: _Grid, part: _Grid, skip: int) -> None:
    """Add the rows of a table's part from the next page, each source cell put by its x-extent.

    A cell goes into the slots of the first part that it covers; when its edges do not meet the
    first part's column boundaries, its row cannot be placed one way and is marked ambiguous.
    """
    tolerance = _tolerance(grid)
    new_rows: list[list[str]] = []
    new_ids: list[list[int]] = []
    n = len(grid.xs) - 1
    for i in range(skip, len(part.rows)):
        row = [""] * n
        row_ids = [-1] * n
        placed = True
        for k in dict.fromkeys(part.ids[i]):
            if k < 0:
                continue
            x0, x1 = part.spans[k]
            slots = _slots_of(grid.xs, x0, x1, tolerance)
            text = part.rows[i][part.ids[i].index(k)]
            if slots is None and _WORD.search(text):
                # A label whose cell edges the first part does not have: it goes into the slot
                # that holds its middle (a label is not a value, so no column is guessed).
                middle = (x0 + x1) / 2
                slots = range(j, j + 1) if (j := _slot_at(grid.xs, middle)) >= 0 else None
            if slots is None:
                placed = placed and not text
                continue
            for j in slots:
                row[j] = text
                row_ids[j] = len(grid.spans)
            grid.spans.append((x0, x1))
        if not placed:
            grid.ambiguous.add(len(grid.rows) + len(new_rows))
        new_rows.append(row)
        new_ids.append(row_ids)
    _carry_split_labels(grid.rows, new_rows)
    grid.rows.extend(new_rows)
    grid.ids.extend(new_ids)


def _tolerance(grid: _Grid) -> float:
    return max(3.0, 0.02 * (grid.xs[-1] - grid.xs[0]))


def _slots_of(xs: list[float], x0: float, x1: float, tolerance: float) -> range | None:
    """The slots between boundaries that meet x0 and x1, or None when either edge meets none."""
    left = [j for j, x in enumerate(xs) if abs(x - x0) <= tolerance]
    right = [j for j, x in enumerate(xs) if abs(x - x1) <= tolerance]
    if len(left) != 1 or len(right) != 1 or right[0] <= left[0]:
        return None
    return range(left[0], right[0])


def _slot_at(xs: list[float], x: float) -> int:
    return next((j for j in range(len(xs) - 1) if xs[j] <= x < xs[j + 1]), -1)


def _place_in_header_columns(grid: _Grid) -> None:
    """Match each data row's cells to its header's columns by x-extent, not by their order.

    A header row holds no number and has a word over a column where numbers stand (a table may
    hold several headers, as Table 2 does: one per block); the header's columns are the cells of
    its last row. A data row's empty cell that shares a header column with the label on its left,
    in a column where no number ever stands, belongs to that label as if the label spanned it
    (WPS draws a （七）总计 spanning the sub-label column as two cells). A value whose cell runs
    over the edge of a header column cannot be placed one way: its row is ambiguous.
    """
    tolerance = _tolerance(grid)
    numeric = {j for row in grid.rows for j, cell in enumerate(row) if _NUMBER.match(cell)}
    header: list[tuple[float, float]] | None = None
    last_header: int | None = None
    for i, row in enumerate(grid.rows):
        if not any(_NUMBER.match(cell) for cell in row) and any(
            j in numeric and _WORD.search(cell) for j, cell in enumerate(row)
        ):
            last_header, header = i, None
            continue
        if last_header is None:
            continue
        if header is None:
            header = _columns(grid, last_header)
        _place_row(grid, i, header, numeric, tolerance)


def _columns(grid: _Grid, i: int) -> list[tuple[float, float]]:
    """The x-extents of the cells of row i, left to right, each once."""
    out = [grid.spans[k] if k >= 0 else (grid.xs[j], grid.xs[j + 1]) for j, k in enumerate(grid.ids[i])]
    return list(dict.fromkeys(out))


def _place_row(
    grid: _Grid, i: int, header: list[tuple[float, float]], numeric: set[int], tolerance: float
) -> None:
    row, row_ids = grid.rows[i], grid.ids[i]

    def column(x0: float, x1: float) -> int | None:
        inside = [c for c, (c0, c1) in enumerate(header) if c0 - tolerance <= x0 and x1 <= c1 + tolerance]
        return inside[0] if len(inside) == 1 else None

    for j, k in enumerate(row_ids):
        if k >= 0 and row[j] and not _WORD.search(row[j]) and column(*grid.spans[k]) is None:
            grid.ambiguous.add(i)
    for j in range(1, len(row)):
        left = row_ids[j - 1]
        if row[j] or j in numeric or not row[j - 1] or not _WORD.search(row[j - 1]):
            continue
        if left >= 0 and left == row_ids[j]:
            continue
        here = column(grid.xs[j], grid.xs[j + 1])
        if here is not None and here == column(grid.xs[j - 1], grid.xs[j]):
            row[j], row_ids[j] = row[j - 1], left


def _continues(previous: _Grid, grid: _Grid) -> bool:
    """Does a table at the top of a page carry on the table that ended the previous page?

    It does when it repeats the header, when each of its column boundaries meets one of the
    previous part's (it may have fewer: a part with no sub-rows lacks the sub-label boundary), or
    when its first row holds numbers and it has the same frame or the same number of columns.
    """
    if not grid.rows:
        return False
    if len(grid.rows[0]) == len(previous.rows[0]) and _header_rows(previous.rows, grid.rows):
        return True  # the header was repeated on the new page
    tolerance = _tolerance(previous)
    same_frame = all(
        abs(a - b) <= tolerance for a, b in ((previous.xs[0], grid.xs[0]), (previous.xs[-1], grid.xs[-1]))
    )
    lined_up = same_frame and all(any(abs(x - y) <= tolerance for y in previous.xs) for x in grid.xs)
    first_is_data = any(_NUMBER.match(cell) for cell in grid.rows[0])
    return lined_up or (first_is_data and (same_frame or len(grid.rows[0]) == len(previous.rows[0])))


def _header_rows(previous: list[list[str]], rows: list[list[str]]) -> int:
    """How many leading rows of the new part repeat the leading rows of the table so far."""
    n = 0
    while n < len(rows) - 1 and n < len(previous) and rows[n] == previous[n]:
        n += 1
    return n


def _carry_split_labels(previous: list[list[str]], rows: list[list[str]]) -> None:
    """A row label merged down across the page break is printed on the first page only.

    In the label columns (left of the first column holding a number), the empty cells at the top
    of the new part take the label above them, as a vertical merge would, but only while every
    label to their left is the one above too: an empty sub-label beside a new label (（七）总计)
    is not the previous row's. Data cells are never filled: a blank number stays blank.
    """
    if not previous or not rows:
        return
    numeric = [j for j in range(len(rows[0])) if any(_NUMBER.match(row[j]) for row in previous + rows)]
    open_columns = set(range(min(numeric, default=0)))
    above = previous[-1]
    for row in rows:
        for j in sorted(open_columns):
            if row[j] or not above[j] or any(row[x] != above[x] for x in range(j)):
                open_columns.discard(j)
                continue
            row[j] = above[j]
        if not open_columns:
            break
        above = row
