"""DOCX to Document: paragraphs and tables in body order, merged cells expanded into a full grid."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from nianbao.document import Block, Document, Paragraph, Table
from nianbao.errors import UnreadableReport
from nianbao.extract.bounds import check_docx_zip

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SPACES = " \t\r\n\u00a0\u3000"


def _tag(name: str) -> str:
    return f"{{{_W}}}{name}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _tag(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
R, T, TAB, BR, CR, NB_HYPHEN, DEL, MOVE_FROM = (
    _tag(n) for n in ("r", "t", "tab", "br", "cr", "noBreakHyphen", "del", "moveFrom")
)
TC_PR, TR_PR, GRID_SPAN, V_MERGE, H_MERGE, GRID_BEFORE, GRID_AFTER, VAL, TYPE = (
    _tag(n)
    for n in ("tcPr", "trPr", "gridSpan", "vMerge", "hMerge", "gridBefore", "gridAfter", "val", "type")
)
# Elements that hold runs inside a paragraph (links, tracked insertions, fields, content controls).
_RUN_CONTAINERS = {
    _tag(n) for n in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml")
}


def _unreadable(detail: str) -> UnreadableReport:
    return UnreadableReport(
        "corrupt_docx",
        "Word 文件（.docx）已损坏或不完整（可能下载中断），无法读取，请重新获取原文件后上传。",
        f"the Word file (.docx) is damaged or incomplete (perhaps a broken download) and cannot be read: {detail}",
    )


def extract_docx(data: bytes) -> Document:
    """Read a .docx; a damaged or truncated file raises UnreadableReport, never anything else."""
    import docx

    check_docx_zip(data, _unreadable)  # before anything inflates: zip bombs are refused here
    try:
        word = docx.Document(BytesIO(data))
        body = word.element.body
    except Exception as exc:  # zip, XML and package errors all mean the same thing to the user
        raise _unreadable(type(exc).__name__) from exc
    try:
        blocks = _body_blocks(body)
    except Exception as exc:
        raise _unreadable(f"unexpected document structure ({type(exc).__name__})") from exc
    if not blocks:
        if _has_pictures(word):
            raise UnreadableReport(
                "needs_ocr",
                "Word 文件中只有图片、没有文字，需要先进行文字识别（OCR）后才能检查。",
                "the Word file holds only pictures and no text: it needs OCR before it can be checked",
            )
        raise UnreadableReport(
            "empty", "Word 文件中没有任何文字内容。", "the Word file contains no text at all"
        )
    return Document(blocks=blocks, media_type=MEDIA_TYPE)


def _has_pictures(word: Any) -> bool:
    try:
        return any("image" in rel.reltype for rel in word.part.rels.values())
    except Exception:
        return False


# ------------------------------------------------------------------------------------------ body order


def _body_blocks(container: Any) -> list[Block]:
    """Paragraphs and tables of a body (or of a cell being unwrapped), in document order."""
    blocks: list[Block] = []
    for child in _content_children(container):
        if child.tag == P:
            text = _paragraph_text(child)
            if text:
                blocks.append(Paragraph(text))
        elif child.tag == TBL:
            blocks.extend(_table_blocks(child))
    return blocks


def _content_children(container: Any) -> list[Any]:
    """Block-level children, looking through content controls and custom XML wrappers."""
    out: list[Any] = []
    for child in container:
        if child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            out.extend(_content_children(child))
        elif child.tag in (P, TBL):
            out.append(child)
    return out


def _clean(text: str) -> str:
    return text.strip(_SPACES)


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    _collect_runs(p, parts)
    return _clean("".join(parts))


def _collect_runs(element: Any, parts: list[str]) -> None:
    for child in element:
        if child.tag == R:
            parts.append(_run_text(child))
        elif child.tag in _RUN_CONTAINERS:
            _collect_runs(child, parts)
        # w:pPr, w:del, w:moveFrom, bookmarks, comments: no visible text


def _run_text(r: Any) -> str:
    parts: list[str] = []
    for child in r:
        if child.tag == T:
            parts.append(child.text or "")
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == BR:
            if child.get(TYPE) not in ("page", "column"):
                parts.append("\n")
        elif child.tag == CR:
            parts.append("\n")
        elif child.tag == NB_HYPHEN:
            parts.append("-")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------- tables


def _table_blocks(tbl: Any) -> list[Block]:
    """One Table block; a one-cell table used only as a frame is unwrapped into its contents."""
    rows = _rows(tbl)
    cells = [tc for tr in rows for tc in _row_cells(tr)]
    if len(cells) == 1:
        return _body_blocks(cells[0])
    grid, ids = _grid_ids(rows)
    if not grid:
        return []
    return [Table(rows=tuple(tuple(row) for row in grid), spans=tuple(tuple(r) for r in ids))]


def _rows(tbl: Any) -> list[Any]:
    out: list[Any] = []
    for child in tbl:
        if child.tag == TR:
            out.append(child)
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            out.extend(_rows(child))
    return out


def _row_cells(tr: Any) -> list[Any]:
    out: list[Any] = []
    for child in tr:
        if child.tag == TC:
            out.append(child)
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            out.extend(_row_cells(child))
    return out


def _int_prop(parent: Any, prop_tag: str, name: str, default: int) -> int:
    if parent is None:
        return default
    prop = parent.find(prop_tag)
    el = prop.find(name) if prop is not None else None
    if el is None:
        return default
    try:
        return max(int(el.get(VAL, default)), 0)
    except ValueError:
        return default


def _grid(rows: list[Any]) -> list[list[str]]:
    """Expand gridSpan, vMerge (and the legacy hMerge) so every slot carries its cell's text."""
    return _grid_ids(rows)[0]


def _grid_ids(rows: list[Any]) -> tuple[list[list[str]], list[list[int]]]:
    """The expanded grid, and per slot which source cell filled it (a gridSpan's slots share one id)."""
    grid: list[list[str]] = []
    ids: list[list[int]] = []
    n_cell = 0
    for tr in rows:
        before = _int_prop(tr, TR_PR, GRID_BEFORE, 0)
        line: list[str] = [""] * before
        line_ids: list[int] = [-1 - i for i in range(before)]
        for tc in _row_cells(tr):
            span = max(_int_prop(tc, TC_PR, GRID_SPAN, 1), 1)
            text = _cell_text(tc)
            tc_pr = tc.find(TC_PR)
            v_merge = tc_pr.find(V_MERGE) if tc_pr is not None else None
            h_merge = tc_pr.find(H_MERGE) if tc_pr is not None else None
            col = len(line)
            n_cell += 1
            cell_id = n_cell
            if v_merge is not None and v_merge.get(VAL, "continue") == "continue" and grid:
                above = grid[-1]
                text = above[col] if col < len(above) else text
                cell_id = ids[-1][col] if col < len(ids[-1]) else cell_id
            elif h_merge is not None and h_merge.get(VAL, "continue") == "continue" and line:
                text = line[-1]
                cell_id = line_ids[-1]
            line.extend([text] * span)
            line_ids.extend([cell_id] * span)
        after = _int_prop(tr, TR_PR, GRID_AFTER, 0)
        line.extend([""] * after)
        line_ids.extend(-1000 - len(line_ids) - i for i in range(after))
        grid.append(line)
        ids.append(line_ids)
    width = max((len(line) for line in grid), default=0)
    if width == 0:
        return [], []
    out_ids = [r + [-2000 - i for i in range(len(r), width)] for r in ids]
    return [line + [""] * (width - len(line)) for line in grid], out_ids


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs joined with newlines; a table nested in the cell gives one line per row."""
    lines: list[str] = []
    for child in _content_children(tc):
        if child.tag == P:
            text = _paragraph_text(child)
            if text:
                lines.append(text)
        else:
            for row in _grid(_rows(child)):
                distinct = [cell for i, cell in enumerate(row) if cell and (i == 0 or cell != row[i - 1])]
                if distinct:
                    lines.append(" ".join(distinct))
    return _clean("\n".join(lines))
