"""Finding lists as CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX (headers, widths, summary).

Pure: no Streamlit here, so the command line can write the same files.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nianbao.export import sheet

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


@dataclass(frozen=True)
class Downloads:
    """A list's files, each built by calling it (when its download button is clicked)."""

    xlsx: Callable[[], bytes]
    csv: Callable[[], bytes]


_text = sheet.text
_cell = sheet.value
display_width = sheet.display_width


HEADER_OF = dict(FINDING_COLUMNS)


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    present = set().union(*(r.keys() for r in rows)) if rows else {k for k, _ in FINDING_COLUMNS}
    return [k for k, _ in FINDING_COLUMNS if k in present]


def _table(rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    cols = _columns(rows)
    return cols, [tuple(r.get(k) for k in cols) for r in rows]


def findings_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The findings as CSV with Chinese headers, UTF-8 with a byte-order mark."""
    return table_csv(*_table(rows))


def table_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Finding rows (tuples in the order of `columns`, keys of FINDING_COLUMNS) as CSV with Chinese
    headers, UTF-8 with a byte-order mark."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([HEADER_OF[k] for k in columns])
    w.writerows([_text(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


NARROW = {"年度": 6, "严重程度": 8, "类别": 7, "状态": 7, "规则编号": 9}


def file_name(title: str, scope: Sequence[str] = (), day: date | None = None) -> str:
    """问题清单_城东区_2025年度_20261201: the title, the scope (district, year, ...) and the date."""
    parts = [title, *[str(p) for p in scope if p], (day or date.today()).strftime("%Y%m%d")]
    return "_".join(p.replace("/", "／").replace("_", "－") for p in parts)


def filter_text(filters: Mapping[str, Sequence[Any]]) -> str:
    """The filters a list was exported with, in words: 区县：城东区；严重程度：否决、错误."""
    used = [f"{k}：{'、'.join(_text(v) for v in vals)}" for k, vals in filters.items() if vals]
    return "；".join(used) or "全部"


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
    return table_xlsx(*_table(rows), title=title, scope=scope, filters=filters, day=day)


def table_xlsx(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "问题清单",
    scope: Sequence[str] = (),
    filters: str = "全部",
    day: date | None = None,
) -> bytes:
    """findings_xlsx of rows given as tuples in the order of `columns` (keys of FINDING_COLUMNS),
    streamed into a write-only workbook."""
    from nianbao.ui.text import cn_date

    cols = [k for k, _ in FINDING_COLUMNS if k in columns]  # the fingerprint last, whatever the order given
    at = [list(columns).index(k) for k in cols]
    heading = "　".join([title, *[str(p) for p in scope if p]])
    notes = [f"导出日期：{cn_date(day or date.today())}　筛选条件：{filters}　共 {len(rows)} 条"]
    wb = sheet.workbook()
    sheet.write_sheet(
        wb,
        title,
        [HEADER_OF[k] for k in cols],
        ([row[i] for i in at] for row in rows),
        title=heading,
        notes=notes,
        narrow=NARROW,
    )

    def counted(key: str) -> Counter[str]:
        i = list(columns).index(key) if key in columns else None
        return Counter(_text(row[i]) if i is not None else "" for row in rows)

    sev, cat = counted("severity"), counted("category")
    body: list[list[Any]] = [["合计", "全部问题", len(rows)]]
    body += [["严重程度", k, sev[k]] for k in _ordered(sev, SEVERITY_ORDER)]
    body += [["类别", k, cat[k]] for k in _ordered(cat, CATEGORY_ORDER)]
    by_district = Counter({k or "（未归属区县）": n for k, n in counted("district").items()})
    body += [["区县", k, n] for k, n in sorted(by_district.items(), key=lambda kv: (-kv[1], kv[0]))]
    ri = list(columns).index("rule_id") if "rule_id" in columns else None
    ti = list(columns).index("rule_title") if "rule_title" in columns else None
    by_rule = Counter(
        f"{_text(row[ri]) if ri is not None else ''} {_text(row[ti]) if ti is not None else ''}".strip()
        for row in rows
    )
    body += [["规则", k, n] for k, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    sheet.write_sheet(wb, "汇总", ["维度", "项目", "问题数"], body, title=f"{heading}　汇总", notes=notes)
    return sheet.saved(wb)
