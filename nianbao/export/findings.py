"""The issue list (问题清单) as CSV (UTF-8 with BOM), XLSX (with a summary sheet) or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Column key -> Chinese header, in output order.
HEADERS: tuple[tuple[str, str], ...] = (
    ("district", "区县"),
    ("unit_id", "单位"),
    ("year", "年度"),
    ("severity", "严重程度"),
    ("category", "类别"),
    ("rule_id", "规则编号"),
    ("rule_title", "规则"),
    ("location", "位置"),
    ("expected", "应为"),
    ("actual", "实际"),
    ("message", "问题描述"),
    ("report_id", "报告编号"),
    ("fingerprint", "指纹"),  # last: a key for machines, not for the reader
)
FORMATS = ("csv", "xlsx", "json")


def _cell(value: Any) -> Any:
    return "" if value is None else value


def to_csv(findings: Sequence[dict[str, Any]]) -> bytes:
    """CSV with Chinese headers, UTF-8 with BOM so Excel opens it correctly."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([h for _, h in HEADERS])
    for f in findings:
        w.writerow([_cell(f.get(k)) for k, _ in HEADERS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(findings: Sequence[dict[str, Any]]) -> bytes:
    """A JSON array of findings (keys as in the findings view)."""
    return json.dumps(list(findings), ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def to_xlsx(findings: Sequence[dict[str, Any]], path: str | Path) -> None:
    """An XLSX workbook: 汇总 (counts by district, unit and severity) and 问题清单 (one row per finding),
    streamed (XlsxWriter's constant-memory mode, shared formats: see nianbao.export.sheet)."""
    from nianbao.export import sheet

    severities = ("否决", "错误", "警告", "提示")
    counts: Counter[tuple[str, str, int, str]] = Counter(
        (f.get("district") or "", f.get("unit_id") or "", int(f.get("year") or 0), str(f["severity"]))
        for f in findings
    )
    summary: list[list[Any]] = []
    for d, u, y in sorted({(d, u, y) for d, u, y, _ in counts}):
        row = [counts[(d, u, y, s)] for s in severities]
        summary.append([d, u, y or "", *row, sum(row)])
    total = [sum(1 for f in findings if f["severity"] == s) for s in severities]
    summary.append(["合计", "", "", *total, sum(total)])
    wb = sheet.workbook()
    sheet.write_sheet(wb, "汇总", ["区县", "单位", "年度", *severities, "合计"], summary)
    sheet.write_sheet(
        wb, "问题清单", [h for _, h in HEADERS], ([f.get(k) for k, _ in HEADERS] for f in findings)
    )
    Path(path).write_bytes(sheet.saved(wb))


def write(findings: Sequence[dict[str, Any]], fmt: str, out: str | Path) -> None:
    """Write findings to a file in one of FORMATS."""
    if fmt == "xlsx":
        to_xlsx(findings, out)
    elif fmt == "csv":
        Path(out).write_bytes(to_csv(findings))
    elif fmt == "json":
        Path(out).write_bytes(to_json(findings))
    else:
        raise ValueError(fmt)
