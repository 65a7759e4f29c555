"""Finding lists as CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX (headers, widths, summary).

Pure: no Streamlit here, so the command line can write the same files.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

SEVERITY_ORDER = ("否决", "错误", "警告", "提示")
CATEGORY_ORDER = ("完整性", "一致性", "及时性", "规范性", "内容")

# (key in a finding row, Chinese header)
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("district", "区县"),
    ("unit_id", "单位"),
    ("year", "年度"),
    ("rule_id", "规则编号"),
    ("rule_title", "规则"),
    ("category", "类别"),
    ("severity", "严重程度"),
    ("status", "状态"),
    ("location", "位置"),
    ("expected", "应为"),
    ("actual", "实际"),
    ("message", "问题描述"),
    ("fingerprint", "问题指纹"),
)

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
MAX_WIDTH = 60


def _text(v: Any) -> str:
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


def _cell(v: Any) -> Any:
    """A value openpyxl writes as itself: numbers (numpy's too, and numbers written as text, such
    as a finding's 应为 15) are stored as numbers, the rest as text."""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        f = float(v)
        return None if f != f else (int(f) if f.is_integer() else f)
    if isinstance(v, str) and NUMBER_TEXT.match(v.strip()):
        f = float(v)
        return int(f) if f.is_integer() and "." not in v else f
    return _text(v) or None


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    present = set().union(*(r.keys() for r in rows)) if rows else {k for k, _ in FINDING_COLUMNS}
    return [(k, h) for k, h in FINDING_COLUMNS if k in present]


def findings_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The findings as CSV with Chinese headers, UTF-8 with a byte-order mark."""
    cols = _columns(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for _, h in cols])
    for r in rows:
        w.writerow([_text(r.get(k)) for k, _ in cols])
    return buf.getvalue().encode("utf-8-sig")


WRAP_WIDTH = 40  # columns wider than this wrap instead of growing
NARROW = {"年度": 6, "严重程度": 8, "类别": 7, "状态": 7, "规则编号": 9}


def file_name(title: str, scope: Sequence[str] = (), day: date | None = None) -> str:
    """问题清单_城东区_2025年度_20261201: the title, the scope (district, year, ...) and the date."""
    parts = [title, *[str(p) for p in scope if p], (day or date.today()).strftime("%Y%m%d")]
    return "_".join(p.replace("/", "／").replace("_", "－") for p in parts)


def filter_text(filters: Mapping[str, Sequence[Any]]) -> str:
    """The filters a list was exported with, in words: 区县：城东区；严重程度：否决、错误."""
    used = [f"{k}：{'、'.join(_text(v) for v in vals)}" for k, vals in filters.items() if vals]
    return "；".join(used) or "全部"


def _write_sheet(
    ws: Worksheet,
    headers: Sequence[str],
    body: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
) -> None:
    """An optional title row and note rows, then the header row in bold, frozen and filtered;
    columns fitted to their values (long text wraps), printed A4 landscape, one page wide."""
    lead = 0
    if title:
        ws.append([title])
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        lead = 1
        for note in notes:
            ws.append([note])
            ws.cell(row=ws.max_row, column=1).font = Font(color="555555")
            lead += 1
        if len(headers) > 1:
            for r in range(1, lead + 1):
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headers))
    head_row = lead + 1
    ws.append(list(headers))
    widths = [display_width(h) for h in headers]
    for row in body:
        values = [_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = max(widths[i], display_width(_text(v)))
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, w in enumerate(widths, start=1):
        width = min(WRAP_WIDTH, max(NARROW.get(headers[i - 1], 0), w + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
        if w + 2 > WRAP_WIDTH:
            for (cell,) in ws.iter_rows(min_row=head_row + 1, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            for (cell,) in ws.iter_rows(min_row=head_row + 1, min_col=i, max_col=i):
                cell.alignment = Alignment(vertical="top")
    ws.freeze_panes = f"A{head_row + 1}"
    if ws.max_row > head_row:
        ws.auto_filter.ref = f"A{head_row}:{get_column_letter(len(headers))}{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _ordered(counter: Counter[str], order: Sequence[str]) -> list[str]:
    known = [k for k in order if k in counter]
    return known + sorted(k for k in counter if k not in order)


def findings_xlsx(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str = "问题清单",
    scope: Sequence[str] = (),
    filters: str = "全部",
    day: date | None = None,
) -> bytes:
    """The findings as a workbook to hand on: the list (title row, export date and filters, Chinese
    headers, wrapped text, A4 landscape, fingerprint last) and a summary sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    cols = _columns(rows)
    heading = "　".join([title, *[str(p) for p in scope if p]])
    from nianbao.ui.text import cn_date

    notes = [f"导出日期：{cn_date(day or date.today())}　筛选条件：{filters}　共 {len(rows)} 条"]
    _write_sheet(
        ws, [h for _, h in cols], ([r.get(k) for k, _ in cols] for r in rows), title=heading, notes=notes
    )

    summary = wb.create_sheet("汇总")
    sev = Counter(_text(r.get("severity")) for r in rows)
    cat = Counter(_text(r.get("category")) for r in rows)
    body: list[list[Any]] = [["合计", "全部问题", len(rows)]]
    body += [["严重程度", k, sev[k]] for k in _ordered(sev, SEVERITY_ORDER)]
    body += [["类别", k, cat[k]] for k in _ordered(cat, CATEGORY_ORDER)]
    by_district = Counter(_text(r.get("district")) or "（未归属区县）" for r in rows)
    body += [["区县", k, n] for k, n in sorted(by_district.items(), key=lambda kv: (-kv[1], kv[0]))]
    by_rule = Counter(f"{_text(r.get('rule_id'))} {_text(r.get('rule_title'))}".strip() for r in rows)
    body += [["规则", k, n] for k, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    _write_sheet(summary, ["维度", "项目", "问题数"], body, title=f"{heading}　汇总", notes=notes)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
