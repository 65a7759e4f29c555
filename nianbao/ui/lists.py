"""Finding lists and the rule catalog as HTML tables that wrap (pure: no Streamlit here).

st.dataframe draws on a canvas, one line per cell: long Chinese messages are cut off, columns
past the width need a horizontal scroll, and missing values read "None". A supervisor reads
these lists, so they are plain tables with fixed column widths whose cells wrap; a missing
value is an empty cell. Rows carry data-* attributes (rule, severity, status) for the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from nianbao.ui.tables import COLOURS

TABLE_STYLE = (
    "border-collapse:collapse;width:100%;table-layout:fixed;font-size:0.85rem;line-height:1.45;"
    "background:#ffffff;color:#1f2328;margin:0.25rem 0 0.75rem 0"
)
TH_STYLE = (
    "border:1px solid #c9ced6;background:#eef2f7;padding:4px 6px;font-weight:600;text-align:left;"
    "white-space:nowrap;overflow:hidden"
)
TD_STYLE = "border:1px solid #c9ced6;padding:4px 6px;vertical-align:top;overflow-wrap:anywhere"
MUTED = "color:#667085;font-size:0.78rem"

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """One column: its header, its CSS width (None: the rest of the table) and how a cell is drawn."""

    header: str
    width: str | None
    cell: Callable[[Row], str]


def text(v: Any) -> str:
    """A value as escaped text: missing values (None, NaN, NA) are empty, whole floats lose their `.0`."""
    if v is None:
        return ""
    if isinstance(v, str):  # the common cases first: a list of 2,000 units asks this 30,000 times
        return escape(v)
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return str(int(v)) if v.is_integer() else escape(str(v))
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return escape(str(v))


def field(key: str) -> Callable[[Row], str]:
    """A cell showing one field as text."""
    return lambda r: text(r.get(key))


def severity_chip(severity: Any) -> str:
    """The severity as a small tag in the colours of the highlighted table cells."""
    sev = text(severity)
    if not sev:
        return ""
    bg, border = COLOURS.get(str(severity), ("#f2f4f7", "#98a2b3"))
    return (
        f'<span style="display:inline-block;padding:0 6px;border-radius:3px;background:{bg};'
        f'border:1px solid {border};color:#1f2328;white-space:nowrap">{sev}</span>'
    )


def _below(main: str, note: str) -> str:
    """A cell's main text with a muted note under it (the note only when there is one)."""
    return main + (f'<div style="{MUTED}">{note}</div>' if note else "")


def _severity(r: Row) -> str:
    return _below(severity_chip(r.get("severity")), text(r.get("category")))


def _rule(r: Row) -> str:
    rid = text(r.get("rule_id"))
    head = f'<code style="font-size:0.78rem;white-space:nowrap">{rid}</code>' if rid else ""
    title = text(r.get("rule_title") if "rule_title" in r else r.get("title"))
    return head + (f"<div>{title}</div>" if title else "")


def _unit(r: Row) -> str:
    year = text(r.get("year"))
    note = " · ".join(p for p in (text(r.get("district")), f"{year} 年度" if year else "") if p)
    return _below(text(r.get("unit_id")), note)


def _location(r: Row) -> str:
    """The finding's place; a link to its report with the cell highlighted, when it has one."""
    where = text(r.get("location"))
    href = r.get("href")
    if href and where:
        return f'<a href="{escape(str(href))}" target="_self">{where}</a>'
    return where


def _status(r: Row) -> str:
    status = text(r.get("status"))
    colour = "#067647" if status == "已整改" else "#1f2328"
    return f'<span style="color:{colour};white-space:nowrap">{status}</span>' if status else ""


REPORT_FINDING_COLUMNS = (
    Column("严重程度", "5em", _severity),
    Column("规则", "11em", _rule),
    Column("位置", "9em", _location),
    Column("应为", "8em", field("expected")),
    Column("实际", "6em", field("actual")),
    Column("问题描述", None, field("message")),
)
"""The findings of one report: its unit and year are said once, above the table."""

FINDING_COLUMNS = (
    Column("单位", "8.5em", _unit),
    Column("严重程度", "5em", _severity),
    Column("规则", "9em", _rule),
    Column("位置", "7em", _location),
    Column("应为", "7em", field("expected")),
    Column("实际", "6em", field("actual")),
    Column("问题描述", None, field("message")),
    Column("状态", "4.2em", _status),
)
"""Findings of many reports: unit, district and year in the first column, status in the last."""


def _deductions(r: Row) -> str:
    each, cap = text(r.get("deduction")), text(r.get("cap"))
    if not each and not cap:
        return ""
    return _below(f"每处 {each or '—'}", f"上限 {cap}" if cap else "")


RULE_COLUMNS = (
    Column("编号", "5.5em", lambda r: f'<code style="font-size:0.78rem">{text(r.get("rule_id"))}</code>'),
    Column("规则", "13em", field("title")),
    Column("类别", "4em", field("category")),
    Column("严重程度", "4.5em", lambda r: severity_chip(r.get("severity"))),
    Column("扣分", "4.5em", _deductions),
    Column("适用格式", "5em", lambda r: text(r.get("templates")).replace(",", "<br>")),
    Column("依据", None, field("basis")),
)


def html_table(
    columns: Sequence[Column], rows: Sequence[Row], *, name: str, attrs: Callable[[Row], str] | None = None
) -> str:
    """A table of fixed-width, wrapping columns; `attrs` adds data-* attributes to each row."""
    cols = "".join(f'<col style="width:{c.width}">' if c.width else "<col>" for c in columns)
    head = "".join(f'<th style="{TH_STYLE}">{escape(c.header)}</th>' for c in columns)
    body = []
    for r in rows:
        extra = attrs(r) if attrs else ""
        tds = "".join(f'<td style="{TD_STYLE}">{c.cell(r)}</td>' for c in columns)
        body.append(f"<tr{extra}>{tds}</tr>")
    return (
        f'<div style="overflow-x:auto"><table data-list="{escape(name)}" style="{TABLE_STYLE}">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        "</table></div>"
    )


def _finding_attrs(r: Row) -> str:
    parts = [
        ("data-rule", r.get("rule_id")),
        ("data-severity", r.get("severity")),
        ("data-year", r.get("year")),
    ]
    parts.append(("data-status", r.get("status")))
    return "".join(f' {k}="{text(v)}"' for k, v in parts if text(v))


def findings_html(rows: Sequence[Row], *, one_report: bool) -> str:
    """Findings as a wrapping table: of one report (no unit, year, status), or of many."""
    columns = REPORT_FINDING_COLUMNS if one_report else FINDING_COLUMNS
    return html_table(columns, rows, name="findings", attrs=_finding_attrs)


def rules_html(rows: Sequence[Row]) -> str:
    """The rule catalog as a wrapping table, the basis in full."""
    return html_table(
        RULE_COLUMNS, rows, name="rules", attrs=lambda r: f' data-rule="{text(r.get("rule_id"))}"'
    )


def _link(label: str, href: Any) -> str:
    return f'<a href="{escape(str(href))}" target="_self">{label}</a>' if href else label


def _verdict(r: Row) -> str:
    verdict = text(r.get("verdict"))
    colour = "#b42318" if verdict == "不合格" else "#067647"
    main = f'<b style="color:{colour}">{verdict}</b>' if verdict else ""
    return _below(main, text(r.get("reason")))


def _pct(key: str) -> Callable[[Row], str]:
    return lambda r: "" if text(r.get(key)) == "" else f"{text(r.get(key))}%"


def _change(r: Row) -> str:
    v = r.get("change")
    if v is None or text(v) == "":
        return ""
    return f"{float(v):+.1f}"


RANKING_COLUMNS = (
    Column("排名", "3.5em", field("rank")),
    Column("区县", "9em", lambda r: _link(text(r.get("district")), r.get("href"))),
    Column("得分", "4.5em", field("score")),
    Column("结论", None, _verdict),
    Column("合格率", "5em", _pct("pass_rate")),
    Column("应报", "3.5em", field("due")),
    Column("已发布", "4em", field("published")),
    Column("否决", "3.5em", field("vetoes")),
    Column("区县政府本级", "6.5em", field("government_verdict")),
    Column("较上年", "4.5em", _change),
)


def ranking_html(rows: Sequence[Row]) -> str:
    """The district ranking; each district links to its scorecard."""
    keys = ("district", "rank", "score", "verdict", "pass_rate", "due", "published", "vetoes")
    return html_table(
        RANKING_COLUMNS,
        rows,
        name="ranking",
        attrs=lambda r: "".join(f' data-{k.replace("_", "")}="{text(r.get(k))}"' for k in keys),
    )


def _unit_cell(r: Row) -> str:
    main = _link(text(r.get("unit")), r.get("href"))
    note = "区县政府本级" if r.get("own_government") else text(r.get("kind_label"))
    return _below(main, note)


def _unit_score(r: Row) -> str:
    before = r.get("score_before_veto")
    note = f"否决前 {text(before)}" if r.get("vetoes") and before is not None and r.get("report_id") else ""
    return _below(text(r.get("score")), note)


UNIT_COLUMNS = (
    Column("单位", None, _unit_cell),
    Column("状态", "6em", field("status")),
    Column("发布日期", "8em", field("published_text")),
    Column("得分", "5.5em", _unit_score),
    Column("结论", "4.5em", _verdict),
    Column("一致性", "12em", field("consistency_text")),
    Column("否决", "3.5em", field("vetoes")),
    Column("错误", "3.5em", field("errors")),
    Column("警告", "3.5em", field("warnings")),
)


def units_html(rows: Sequence[Row]) -> str:
    """A district's units for one year, worst first; each published report links to its page."""
    return html_table(
        UNIT_COLUMNS,
        rows,
        name="units",
        attrs=lambda r: (
            f' data-unit="{text(r.get("unit"))}" data-verdict="{text(r.get("verdict"))}"'
            f' data-status="{text(r.get("status"))}"'
        ),
    )


def _version_cell(r: Row) -> str:
    label = f"第 {text(r.get('version'))} 版"
    if r.get("deleted"):
        return f'<span style="color:#98a2b3;text-decoration:line-through">{label}</span>（已删除）'
    main = _link(label, r.get("href"))
    return main + ("（当前查看）" if r.get("this") else "")


VERSION_COLUMNS = (
    Column("版本", None, _version_cell),
    Column("发布日期", "9em", field("published_text")),
    Column("报告编号", "9em", lambda r: f"<code>{text(str(r.get('report_id') or '')[:12])}</code>"),
)


def versions_html(rows: Sequence[Row]) -> str:
    """A report's versions, newest first, each linking to its page."""
    return html_table(
        VERSION_COLUMNS, rows, name="versions", attrs=lambda r: f' data-version="{text(r.get("version"))}"'
    )
