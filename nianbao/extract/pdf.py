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
    for table in page.find_tables(TABLE_SETTINGS):
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

    for line in page.filter(outside_tables).extract_text_lines(return_chars=False):
        text = _tidy(line["text"])
        if text:
            out.items.append(_Line(text=text, top=float(line["top"]), bottom=float(line["bottom"])))
    out.items.sort(key=lambda item: item.top)
    return out


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
    grid: list[list[str]] = []
    for i in range(len(ys) - 1):
        line: list[str] = []
        cy = (ys[i] + ys[i + 1]) / 2
        for j in range(len(xs) - 1):
            cx = (xs[j] + xs[j + 1]) / 2
            line.append(_covering_text(text_of, cx, cy))
        grid.append(line)
    width = (x1 - x0) or 1.0
    edges = [(x - x0) / width for x in xs]
    return _Grid(rows=grid, top=float(top), edges=edges)


def _covering_text(text_of: dict[tuple[float, float, float, float], str], cx: float, cy: float) -> str:
    """The text of the cell whose rectangle covers a grid slot (a merged cell covers several)."""
    for (x0, top, x1, bottom), text in text_of.items():
        if x0 <= cx <= x1 and top <= cy <= bottom:
            return text
    return ""


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
    blocks: list[Block] = []
    joined = 0
    open_grid: _Grid | None = None  # the previous page ended with this table
    for page in pages:
        for index, item in enumerate(page.items):
            if isinstance(item, _Line):
                blocks.append(Paragraph(item.text))
                continue
            if index == 0 and open_grid is not None and _continues(open_grid, item):
                rows = _without_repeated_header(open_grid.rows, item.rows)
                _carry_split_labels(open_grid.rows, rows)
                open_grid.rows.extend(rows)
                blocks[-1] = Table(rows=tuple(tuple(r) for r in open_grid.rows))
                joined += 1
                item = open_grid
            else:
                blocks.append(Table(rows=tuple(tuple(r) for r in item.rows)))
            page.items[index] = item
        last = page.items[-1] if page.items else None
        if isinstance(last, _Grid):
            open_grid = last
        elif page.items:
            open_grid = None
    return blocks, joined


def _continues(previous: _Grid, grid: _Grid) -> bool:
    """Does a table at the top of a page carry on the table that ended the previous page?"""
    if not grid.rows or len(grid.rows[0]) != len(previous.rows[0]):
        return False
    if _header_rows(previous.rows, grid.rows):
        return True  # the header was repeated on the new page
    lined_up = all(abs(a - b) <= 0.02 for a, b in zip(previous.edges, grid.edges, strict=True))
    first_is_data = any(_NUMBER.match(cell) for cell in grid.rows[0])
    return lined_up or first_is_data


def _header_rows(previous: list[list[str]], rows: list[list[str]]) -> int:
    """How many leading rows of the new part repeat the leading rows of the table so far."""
    n = 0
    while n < len(rows) - 1 and n < len(previous) and rows[n] == previous[n]:
        n += 1
    return n


def _without_repeated_header(previous: list[list[str]], rows: list[list[str]]) -> list[list[str]]:
    return rows[_header_rows(previous, rows) :]


def _carry_split_labels(previous: list[list[str]], rows: list[list[str]]) -> None:
    """A row label merged down across the page break is printed on the first page only.

    In the label columns (left of the first column holding a number), the empty cells at the top
    of the new part take the label above them, as a vertical merge would. Data cells are never
    filled: a blank number stays blank.
    """
    if not previous or not rows:
        return
    numeric = [j for j in range(len(rows[0])) if any(_NUMBER.match(row[j]) for row in previous + rows)]
    for j in range(min(numeric, default=0)):
        above = previous[-1][j]
        for row in rows:
            if row[j] or not above:
                break
            row[j] = above
