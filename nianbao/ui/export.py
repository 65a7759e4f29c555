"""Finding lists as CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX (headers, widths, summary).

Pure: no Streamlit here, so the command line can write the same files.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
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


def _cell(v: Any) -> Any:
    """A value openpyxl writes as itself: numbers stay numbers, the rest becomes text."""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return None if v != v else (int(v) if v.is_integer() else v)
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


def _write_sheet(ws: Worksheet, headers: Sequence[str], body: Iterable[Sequence[Any]]) -> None:
    """Header row in bold, frozen, filtered; columns fitted to their longest value."""
    ws.append(list(headers))
    widths = [display_width(h) for h in headers]
    for row in body:
        values = [_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = max(widths[i], display_width(_text(v)))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, w + 2)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def _ordered(counter: Counter[str], order: Sequence[str]) -> list[str]:
    known = [k for k in order if k in counter]
    return known + sorted(k for k in counter if k not in order)


def findings_xlsx(rows: Sequence[Mapping[str, Any]], *, title: str = "问题清单") -> bytes:
    """The findings as a workbook: the list (Chinese headers, fitted widths, frozen header) and a summary."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    cols = _columns(rows)
    _write_sheet(ws, [h for _, h in cols], ([r.get(k) for k, _ in cols] for r in rows))

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
    _write_sheet(summary, ["维度", "项目", "问题数"], body)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
