"""Builders for check tests: clean reports made in code, stored in a real DuckDB file."""

from __future__ import annotations

import copy
import itertools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from nianbao.checks import check_reports
from nianbao.model import Cell, Fact, Report, Section
from nianbao.store import connect, ingest_report
from nianbao.templates import sections, template

_counter = itertools.count()

TEXT = {
    "overview": (
        "本年度我局坚持主动公开政府信息，规范办理依申请公开，加强政府信息管理，推进政府信息公开平台建设，"
        "强化监督保障，落实工作考核、社会评议和责任追究制度，全年没有发生责任追究情况。"
    ),
    "proactive": "主动公开情况见下表。",
    "requests": "收到和处理政府信息公开申请情况见下表。",
    "appeals": "本年度未发生政府信息公开行政复议、行政诉讼案件。",
    "problems": "一是公开内容不够全面，二是工作人员业务能力有待提高。下一步将加强培训，完善制度。",
    "other": "本年度未收取信息处理费。无其他需要报告的事项。",
}


def make_report(
    version: str = "2019",
    year: int = 2020,
    unit: str = "西宁市城中区人民政府",
    published: str | None = "2021-03-01",
) -> Report:
    """A report that breaks no rule: every cell 0, all six sections, a standard title."""
    cells = [
        Cell(c.table, c.row, c.col, c.row_label, c.col_label, "0", 0.0, None, "zero")
        for c in template(version).cells
    ]
    secs = [Section(s["no"], s["key"], s["title"], TEXT[s["key"]]) for s in sections()]
    return Report(
        unit=unit,
        year=year,
        template=version,
        title=f"{unit}{year}年政府信息公开工作年度报告",
        published=published,
        sections=secs,
        cells=cells,
        facts=[],
        notes=[],
        tables_found=["t2", "t3", "t4"],
    )


def put(
    report: Report, table: str, row: str, col: str, raw: str, value: float | None = None, state: str = ""
) -> None:
    """Set one cell's text (and value and state, inferred for plain numbers and blanks)."""
    cell = report.cell(table, row, col)
    assert cell is not None, (table, row, col)
    cell.raw = raw
    if state:
        cell.state = state  # type: ignore[assignment]
        cell.value = value
        return
    if raw.strip() == "":
        cell.value, cell.state = None, "blank"
    else:
        cell.value = float(raw)
        cell.state = "zero" if cell.value == 0 else "number"


def section(report: Report, key: str) -> Section:
    """The section with this key."""
    return next(s for s in report.sections if s.key == key)


def fact(
    report: Report,
    section_key: str,
    quantity: str,
    label: str,
    value: float | None,
    *,
    unit: str = "件",
    sentence: str = "",
    position: int = 0,
    role: str = "item",
    qualifier: str | None = None,
) -> None:
    """Add a narrative fact."""
    report.facts.append(
        Fact(section_key, quantity, label, value, unit, sentence or label, position, role, qualifier)
    )


def store(con: duckdb.DuckDBPyConnection, db: Path, report: Report) -> str:
    """Store a report built in code (fake, unique bytes) and return its id."""
    data = (json.dumps(report.as_dict(), ensure_ascii=False) + str(next(_counter))).encode("utf-8")
    return ingest_report(con, db, data, report, file_name="report.txt", media_type="text/plain").report_id


_EMPTY: dict[str, Path] = {}


def open_store(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A fresh store in a real DuckDB file (a copy of one empty store made once per session, for speed)."""
    if "db" not in _EMPTY:
        folder = Path(tempfile.mkdtemp(prefix="nianbao-empty-"))
        empty = folder / "empty.duckdb"
        connect(empty).close()
        _EMPTY["db"] = empty
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "store.duckdb"
    shutil.copy(_EMPTY["db"], db)
    return duckdb.connect(str(db)), db


def rule_ids(con: duckdb.DuckDBPyConnection, rid: str) -> list[str]:
    """The rules that fired on one report."""
    return sorted(f["rule_id"] for f in check_reports(con, [rid]))


def clone(report: Report) -> Report:
    """A deep copy, to break."""
    return copy.deepcopy(report)


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Fetch all rows of a query."""
    return con.execute(sql, params or []).fetchall()
