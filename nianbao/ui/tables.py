"""Tables 2–4 of a report as HTML, laid out like the official format, flagged cells highlighted.

A cell a finding points at takes the colour of the finding's severity and carries its messages
as a tooltip; when the finding says what the cell should hold, the cell shows it: `12 → 应为 15`.
Pure: no Streamlit here (the page renders the string with st.html).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from nianbao.templates import Template, for_year, template

TITLES = {
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
}
SEVERITY_RANK = {"否决": 0, "错误": 1, "警告": 2, "提示": 3}
COLOURS = {  # background, border
    "否决": ("#f9c7c3", "#b42318"),
    "错误": ("#fde3e1", "#d92d20"),
    "警告": ("#fff0c2", "#b54708"),
    "提示": ("#e1ecfe", "#1d4ed8"),
}
FILLED = ("number", "zero", "unit")
# Rules that report a table's unfilled cells as one finding per table: the cells are those not filled.
UNFILLED_RULES = ("CS-1",)
NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")

TABLE_STYLE = (
    "border-collapse:collapse;width:100%;font-size:0.85rem;background:#ffffff;color:#1f2328;"
    "table-layout:auto;margin:0.25rem 0 0.75rem 0"
)
TH_STYLE = "border:1px solid #c9ced6;background:#eef2f7;padding:4px 6px;font-weight:600;text-align:center"
TD_STYLE = "border:1px solid #c9ced6;padding:4px 6px"
LABEL_STYLE = TD_STYLE + ";text-align:left"
VALUE_STYLE = TD_STYLE + ";text-align:right;white-space:nowrap"


@dataclass
class Mark:
    """What the findings say about one cell (or a whole row or column)."""

    severity: str
    messages: list[str] = field(default_factory=list)
    fix: str | None = None  # the value that would make the cell right

    def add(self, severity: str, message: str, fix: str | None) -> None:
        """Merge one more finding: the worst severity wins, messages accumulate."""
        if SEVERITY_RANK.get(severity, 9) < SEVERITY_RANK.get(self.severity, 9):
            self.severity = severity
        if message and message not in self.messages:
            self.messages.append(message)
        if fix is not None and self.fix is None:
            self.fix = fix


@dataclass
class Marks:
    """The findings of one report, sorted by what they point at."""

    cells: dict[tuple[str, str, str], Mark] = field(default_factory=dict)
    rows: dict[tuple[str, str], Mark] = field(default_factory=dict)
    cols: dict[tuple[str, str], Mark] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    other: list[dict[str, Any]] = field(default_factory=list)

    unfilled: dict[str, Mark] = field(default_factory=dict)

    def at(self, tbl: str, row: str, col: str, state: str | None) -> tuple[Mark | None, bool]:
        """The cell's mark (its own, its row's, its column's, merged) and whether it is the suspect cell."""
        found = [self.cells.get((tbl, row, col)), self.rows.get((tbl, row)), self.cols.get((tbl, col))]
        if state not in FILLED:
            found.append(self.unfilled.get(tbl))
        present = [m for m in found if m is not None]
        if not present:
            return None, False
        own = found[0]
        merged = Mark(present[0].severity, fix=own.fix if own is not None else None)
        for m in present:
            for msg in m.messages or [""]:
                merged.add(m.severity, msg, None)
        return merged, own is not None


def _fix_value(expected: Any) -> str | None:
    """The expected value when it is a plain number (a cell can be set to it)."""
    if expected is None:
        return None
    text = str(expected).strip()
    if isinstance(expected, float) and expected.is_integer():
        text = str(int(expected))
    return text if NUMBER.match(text) else None


def marks_for(findings: Sequence[Mapping[str, Any]]) -> Marks:
    """Sort findings into cell, row, column, table and report-level marks."""
    m = Marks()
    for f in findings:
        tbl, row, col = f.get("tbl"), f.get("row_key"), f.get("col_key")
        sev, msg = str(f.get("severity") or "提示"), str(f.get("message") or "")
        if tbl and row and col:
            m.cells.setdefault((tbl, row, col), Mark(sev)).add(sev, msg, _fix_value(f.get("expected")))
        elif tbl and row:
            m.rows.setdefault((tbl, row), Mark(sev)).add(sev, msg, None)
        elif tbl and col:
            m.cols.setdefault((tbl, col), Mark(sev)).add(sev, msg, None)
        elif tbl:
            m.tables.setdefault(str(tbl), []).append(dict(f))
            if f.get("rule_id") in UNFILLED_RULES:
                m.unfilled.setdefault(str(tbl), Mark(sev)).add(sev, msg, None)
        else:
            m.other.append(dict(f))
    return m


def _shown(cell: Mapping[str, Any] | None) -> str:
    if cell is None or cell.get("state") == "missing":
        return '<span style="color:#98a2b3">（缺）</span>'
    raw = str(cell.get("raw") or "")
    if cell.get("state") == "blank" or not raw:
        return '<span style="color:#98a2b3">（空）</span>'
    return escape(raw)


FOCUS_STYLE = ";outline:3px solid #1d4ed8;outline-offset:-3px;box-shadow:0 0 0 4px #93c5fd"


def _value_td(
    cell: Mapping[str, Any] | None, mark: Mark | None, suspect: bool, key: str, focus: bool = False
) -> str:
    text = _shown(cell)
    style = VALUE_STYLE
    attrs = f' data-cell="{escape(key)}"'
    if focus:
        attrs += ' data-focus="1" id="focus-cell"'
    if mark is not None:
        bg, border = COLOURS.get(mark.severity, COLOURS["提示"])
        style += f";background:{bg}"
        if suspect:
            style += f";outline:2px solid {border};outline-offset:-2px"
        if suspect and mark.fix is not None:
            text += f' <b style="color:{border}">→ 应为 {escape(mark.fix)}</b>'
        tip = "；".join(mark.messages) or mark.severity
        attrs += f' title="{escape(f"【{mark.severity}】{tip}")}" data-flag="{escape(mark.severity)}"'
    if focus:
        style += FOCUS_STYLE
    return f'<td style="{style}"{attrs}>{text}</td>'


def _th(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f'<th style="{TH_STYLE}"{span}>{escape(text)}</th>'


def _label_cells(paths: Sequence[tuple[str, ...]], i: int, depth: int) -> str:
    """The label cells of row i: group labels span the rows that share them, the last level fills the width."""
    path = paths[i]
    out = []
    for level, part in enumerate(path):
        last = level == len(path) - 1
        if not last:
            if i > 0 and paths[i - 1][: level + 1] == path[: level + 1]:
                continue  # spanned from an earlier row
            run = 1
            while i + run < len(paths) and paths[i + run][: level + 1] == path[: level + 1]:
                run += 1
            out.append(f'<td style="{LABEL_STYLE}" rowspan="{run}">{escape(part)}</td>')
        else:
            span = depth - level
            out.append(
                f'<td style="{LABEL_STYLE}"'
                + (f' colspan="{span}"' if span > 1 else "")
                + f">{escape(part)}</td>"
            )
    return "".join(out)


def _header_rows(paths: Sequence[tuple[str, ...]], lead: str | None, lead_span: int) -> str:
    """Multi-level column headers from label paths (e.g. 行政诉讼/复议后起诉/结果维持)."""
    depth = max(len(p) for p in paths)
    rows: list[str] = []
    for level in range(depth):
        cells = [_th(lead, colspan=lead_span, rowspan=depth)] if level == 0 and lead is not None else []
        j = 0
        while j < len(paths):
            p = paths[j]
            if level >= len(p):
                j += 1
                continue
            if level == len(p) - 1:
                cells.append(_th(p[level], rowspan=depth - level))
                j += 1
                continue
            run = 1
            while (
                j + run < len(paths)
                and len(paths[j + run]) > level + 1
                and paths[j + run][: level + 1] == p[: level + 1]
            ):
                run += 1
            cells.append(_th(p[level], colspan=run))
            j += run
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(rows)


def _template(version: str | None, year: int | None) -> Template:
    if version:
        return template(version)
    if year:
        try:
            return for_year(year)
        except KeyError:
            pass
    return template("2021")


def _table(tbl: str, body: str) -> str:
    return (
        f'<div style="overflow-x:auto"><table data-table="{tbl}" style="{TABLE_STYLE}">{body}</table></div>'
    )


def render_table(
    tbl: str,
    cells: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    *,
    version: str | None,
    year: int | None = None,
    focus: str | None = None,
) -> str:
    """One of t2, t3, t4 as an HTML table in the official layout, flagged cells highlighted;
    `focus` ("t3.row.col") is the cell a link pointed at, outlined."""
    tpl = _template(version, year)
    by_key = {(c["tbl"], c["row_key"], c["col_key"]): c for c in cells if c.get("tbl") == tbl}
    marks = marks_for(findings)

    def td(row: str, col: str) -> str:
        cell = by_key.get((tbl, row, col))
        mark, suspect = marks.at(tbl, row, col, None if cell is None else str(cell.get("state")))
        key = f"{tbl}.{row}.{col}"
        return _value_td(cell, mark, suspect, key, focus=key == focus)

    if tbl == "t2":
        width = max(len(b.columns) for b in tpl.t2_blocks)
        parts: list[str] = []
        for b in tpl.t2_blocks:
            parts.append(
                f'<tr><th style="{TH_STYLE};text-align:left" colspan="{width + 1}">{escape(b.label)}</th></tr>'
            )
            heads = [_th("信息内容")] + [_th(c.label) for c in b.columns]
            heads += [f'<th style="{TH_STYLE}"></th>'] * (width - len(b.columns))
            parts.append("<tr>" + "".join(heads) + "</tr>")
            for r in b.rows:
                tds = [td(r.key, c.key) for c in b.columns]
                tds += [f'<td style="{TD_STYLE}"></td>'] * (width - len(b.columns))
                parts.append(f'<tr><td style="{LABEL_STYLE}">{escape(r.label)}</td>' + "".join(tds) + "</tr>")
        return _table(tbl, "".join(parts))

    if tbl == "t3":
        col_paths: list[tuple[str, ...]] = [
            (c.label,) if c.key in ("natural", "total") else ("法人或其他组织", c.label)
            for c in tpl.t3_columns
        ]
        row_paths: list[tuple[str, ...]] = [
            ("三、本年度办理结果", *r.label.split("/")) if r.key.startswith("r") else (r.label,)
            for r in tpl.t3_rows
        ]
        depth = max(len(p) for p in row_paths)
        parts = [_header_rows(col_paths, "申请人情况", depth)]
        for i, r in enumerate(tpl.t3_rows):
            cells3 = "".join(td(r.key, c.key) for c in tpl.t3_columns)
            parts.append("<tr>" + _label_cells(row_paths, i, depth) + cells3 + "</tr>")
        return _table(tbl, "".join(parts))

    if tbl == "t4":
        row = tpl.t4_row
        cells4 = "".join(td(row.key, c.key) for c in tpl.t4_columns)
        body = _header_rows([tuple(c.label.split("/")) for c in tpl.t4_columns], None, 0)
        return _table(tbl, body + "<tr>" + cells4 + "</tr>")
    raise ValueError(tbl)


def legend() -> str:
    """The colour key shown under the tables."""
    chips = "".join(
        f'<span style="display:inline-block;margin-right:12px;padding:1px 8px;background:{bg};'
        f'outline:1px solid {border};color:#1f2328">{escape(sev)}</span>'
        for sev, (bg, border) in COLOURS.items()
    )
    return (
        f'<div style="font-size:0.8rem;color:#475467;margin:0.25rem 0">{chips}'
        "有色单元格为检查发现的问题（悬停可看说明）；加框的是可疑单元格，“→ 应为”后是能使表内关系成立的数值。</div>"
    )
