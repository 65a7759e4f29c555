"""Reparse stored reports from their raw files after a parser fix: cells, sections, facts and notes
replaced in one transaction per document, the event in the audit log, findings and scores refreshed.

What was given rather than read (report_overrides: --unit, --year, --published, the upload page's
corrections) is kept; a field the new parser cannot read keeps its stored value, so nothing is lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from nianbao import audit, store, units
from nianbao.errors import UnreadableReport
from nianbao.ingest import parse_bytes
from nianbao.model import Report
from nianbao.parser_version import PARSER_VERSION
from nianbao.recognize.sanity import tame_numbers

PARTS = ("cells", "sections", "facts", "parse_notes", "tables_found")


@dataclass
class Reparsed:
    """The outcome for one stored report."""

    report_id: str
    old_version: str
    new_version: str
    cells_changed: int = 0
    unit_before: str | None = None
    unit_after: str | None = None
    error: str | None = None  # why it was left as it was


@dataclass
class Outcome:
    """Every report looked at, and how many findings and scores were recomputed."""

    reports: list[Reparsed] = field(default_factory=list)
    refreshed: int = 0

    @property
    def failed(self) -> list[Reparsed]:
        """The reports left as they were."""
        return [r for r in self.reports if r.error]


def outdated(con: duckdb.DuckDBPyConnection, everything: bool = False) -> list[tuple[str, str]]:
    """(report_id, parser_version) of the reports to reparse: read by another parser, or every one."""
    sql = "select report_id, parser_version from reports"
    params: list[Any] = []
    if not everything:
        sql += " where parser_version is distinct from ?"
        params.append(PARSER_VERSION)
    return [
        (str(r[0]), str(r[1])) for r in con.execute(sql + " order by parsed_at, report_id", params).fetchall()
    ]


def raw_bytes(con: duckdb.DuckDBPyConnection, db: str | Path, sha: str) -> bytes:
    """The raw document by its hash: beside the store, else where it was first written; checked."""
    rows = con.execute("select stored_path from documents where sha256 = ?", [sha]).fetchall()
    candidates = [store.raw_dir(db) / sha[:2] / sha]
    if rows and rows[0][0]:
        candidates.append(Path(str(rows[0][0])))
    for path in candidates:
        if path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha:
                raise UnreadableReport(
                    "raw_damaged", "原始文件已损坏", f"raw file {path} does not match its hash"
                )
            return data
    raise UnreadableReport(
        "raw_missing", "原始文件缺失", f"raw file for {sha[:12]} not found beside the store"
    )


def reparse(
    con: duckdb.DuckDBPyConnection, db: str | Path, *, everything: bool = False, actor: str | None = None
) -> Outcome:
    """Reparse the outdated reports (or every one), then refresh findings and scores."""
    out = Outcome()
    who = actor or audit.cli_actor()
    for rid, old in outdated(con, everything):
        out.reports.append(reparse_one(con, db, rid, old, who))
    out.refreshed = store.refresh(con)
    return out


def _old_cells(con: duckdb.DuckDBPyConnection, rid: str) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    found = con.execute(
        "select tbl, row_key, col_key, raw, value, unit, state from cells where report_id = ?", [rid]
    ).fetchall()
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in found}


def _changed(before: dict[tuple[str, str, str], tuple[Any, ...]], report: Report) -> int:
    after = {(c.table, c.row, c.col): (c.raw, c.value, c.unit, c.state) for c in report.cells}
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _keep(report: Report, stored: dict[str, Any], overrides: dict[str, str]) -> None:
    """Overrides win; a field the new parse left empty keeps its stored value."""
    if "unit" in overrides:
        report.unit = overrides["unit"]
        report.sources["unit"] = "given"
    if "year" in overrides:
        report.year = int(overrides["year"])
    if "published" in overrides:
        report.published = overrides["published"]
        report.sources["published"] = "given"
    report.unit = report.unit or stored["unit_name"]
    report.year = report.year or stored["year"]
    report.title = report.title or stored["title"]
    if not report.published and stored["published"] is not None:
        report.published = str(stored["published"])


def reparse_one(con: duckdb.DuckDBPyConnection, db: str | Path, rid: str, old: str, actor: str) -> Reparsed:
    """One report, in one transaction; a report whose raw file is missing or unreadable is left as it was."""
    rel = con.execute(
        "select r.sha256, r.unit_id, r.unit_name, r.year, r.title, r.published, d.file_name"
        " from reports as r join documents as d on d.sha256 = r.sha256 where r.report_id = ?",
        [rid],
    )
    cols = [d[0] for d in rel.description]
    stored = dict(zip(cols, rel.fetchall()[0], strict=True))
    result = Reparsed(rid, old, PARSER_VERSION, unit_before=stored["unit_id"])
    overrides = {
        str(k): str(v)
        for k, v in con.execute(
            "select field, value from report_overrides where report_id = ?", [rid]
        ).fetchall()
    }
    try:
        data = raw_bytes(con, db, stored["sha256"])
        report = parse_bytes(data, stored["file_name"] or "", list_date=overrides.get("list_date")).report
    except UnreadableReport as e:
        result.error = str(e)
        return result
    _keep(report, stored, overrides)
    unit = units.resolve(report.unit)
    result.unit_after = unit.unit_id if unit else None
    tame_numbers(report)  # as ingest does: absurd numbers kept as text with a note
    with store.transaction(con):
        before = _old_cells(con, rid)
        result.cells_changed = _changed(before, report)
        # the reports whose findings depend on this one, under its old unit and year and its new ones
        _mark_stale(con, stored["unit_id"], stored["year"], rid)
        if unit is not None:
            units.upsert(con, unit)
        for table in PARTS:
            con.execute(f"delete from {table} where report_id = ?", [rid]).fetchall()
        for table, part in store.part_rows(rid, report).items():
            store._insert_many(con, table, part)
        moved = (result.unit_after, report.year) != (stored["unit_id"], stored["year"])
        con.execute(
            "update reports set unit_id = ?, unit_name = ?, year = ?, template = ?, title = ?, published = ?,"
            " parser_version = ?, parsed_at = ? where report_id = ?",
            [
                result.unit_after,
                report.unit,
                report.year,
                report.template,
                report.title,
                _date(report.published),
                PARSER_VERSION,
                datetime.now(),
                rid,
            ],
        ).fetchall()
        if moved:
            units.renumber_versions(con, {stored["unit_id"], result.unit_after})
        _mark_stale(con, result.unit_after, report.year, rid)
        audit.record(
            con,
            actor=actor,
            action="reparse",
            subject_kind="report",
            subject=rid,
            detail={
                "old_parser_version": old,
                "new_parser_version": PARSER_VERSION,
                "cells_changed": result.cells_changed,
                "cells_before": len(before),
                "cells_after": len(report.cells),
                "unit_before": stored["unit_id"],
                "unit_after": result.unit_after,
                "year_before": stored["year"],
                "year_after": report.year,
            },
        )
    return result


def _mark_stale(con: duckdb.DuckDBPyConnection, unit_id: str | None, year: int | None, rid: str) -> None:
    """Drop the stored scores of a report and of the reports that depend on it, so the refresh redoes them."""
    con.execute("delete from score_store where report_id = ?", [rid]).fetchall()
    if unit_id is None or year is None:
        return
    con.execute(
        "delete from score_store where report_id in"
        " (select report_id from reports where unit_id = ? and year in (?, ?))",
        [unit_id, year, year + 1],
    ).fetchall()


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
