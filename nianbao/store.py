"""The DuckDB store: schema and views from queries/, raw files by hash, one transaction per ingest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from nianbao import __version__
from nianbao.model import Report
from nianbao.units import Unit, resolve

QUERIES = Path(__file__).resolve().parent.parent / "queries"
DEFAULT_DB = Path("data") / "nianbao.duckdb"


def view_names() -> list[str]:
    """The views, in the order they must be created (queries/ORDER)."""
    order = (QUERIES / "ORDER").read_text(encoding="utf-8").split()
    return [name for name in order if not name.startswith("#")]


def connect(db: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, unless read-only, create or migrate) a store."""
    path = Path(db)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        install_schema(con)
    return con


DERIVED_TABLES = ("finding_store", "score_store")  # rebuilt from the views: never edited by hand
CHECKS_KEY = "checks_version"


def checks_version() -> str:
    """A hash of everything the stored findings and scores are computed from: every file in queries/
    and the package's data files (rule catalog, scoring settings, templates, units)."""
    from importlib import resources

    h = hashlib.sha256()
    files = sorted(QUERIES.glob("*.sql")) + [QUERIES / "ORDER"]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    package = resources.files("nianbao")
    for name in ("rules.toml", "scoring.toml", "units.toml"):
        h.update(name.encode() + b"\0" + package.joinpath(name).read_bytes() + b"\0")
    for path in sorted((Path(__file__).resolve().parent / "templates").glob("*.toml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def install_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Create the tables, (re)load the rule catalog and settings and, when the checks changed since
    the store was last opened (see `checks_version`), every view in order plus a full refresh of the
    stored findings and scores. Otherwise only the reports still stale are refreshed (cheap when none).
    Returns how many reports were rechecked."""
    from nianbao import catalog

    version = checks_version()
    con.execute("begin transaction").fetchall()
    try:
        con.execute((QUERIES / "schema.sql").read_text(encoding="utf-8")).fetchall()
        catalog.load(con)
        if _stored_version(con) != version:
            for table in DERIVED_TABLES:
                con.execute(f"drop table if exists {table}").fetchall()
            con.execute((QUERIES / "schema.sql").read_text(encoding="utf-8")).fetchall()
            for name in view_names():
                sql = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
                con.execute(sql).fetchall()
            _set_version(con, version)
        n = int(con.execute("select count(*) from stale_reports").fetchall()[0][0])
        _refresh(con)
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise
    return n


def _stored_version(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("select value from store_meta where key = ?", [CHECKS_KEY]).fetchall()
    return str(rows[0][0]) if rows else None


def _set_version(con: duckdb.DuckDBPyConnection, version: str) -> None:
    con.execute("insert or replace into store_meta values (?, ?)", [CHECKS_KEY, version]).fetchall()


def _refresh(con: duckdb.DuckDBPyConnection, everything: bool = False) -> None:
    """Recompute the stored findings and scores of the stale reports (in the caller's transaction)."""
    if everything:
        for table in DERIVED_TABLES:
            con.execute(f"delete from {table}").fetchall()
    if not con.execute("select count(*) from stale_reports").fetchall()[0][0]:
        return
    con.execute((QUERIES / "refresh.sql").read_text(encoding="utf-8")).fetchall()


def refresh(con: duckdb.DuckDBPyConnection, everything: bool = False) -> int:
    """Bring the stored findings and scores up to date, in one transaction: for the reports that
    changed (and those that depend on them), or for every report. Returns how many were recomputed."""
    con.execute("begin transaction").fetchall()
    try:
        which = "reports" if everything else "stale_reports"
        n = int(con.execute(f"select count(*) from {which}").fetchall()[0][0])
        _refresh(con, everything)
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise
    return n


def settings_changed(con: duckdb.DuckDBPyConnection) -> None:
    """After a setting was changed in the store: recompute everything, and make the next
    `install_schema` (which reloads the settings from scoring.toml) recompute it again."""
    refresh(con, everything=True)
    con.execute(
        "insert or replace into store_meta values (?, ?)", [CHECKS_KEY, "changed settings"]
    ).fetchall()


def clear_reports(con: duckdb.DuckDBPyConnection) -> None:
    """Delete every stored report, with its findings and scores, in one transaction (scratch stores)."""
    con.execute("begin transaction").fetchall()
    try:
        for table in (*REPORT_TABLES, *DERIVED_TABLES):
            con.execute(f"delete from {table}").fetchall()
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise


REPORT_TABLES = ("cells", "sections", "facts", "parse_notes", "tables_found", "reports", "documents", "units")


def raw_dir(db: str | Path) -> Path:
    """Where raw documents are kept: beside the database, by hash."""
    return Path(db).resolve().parent / "raw"


def save_raw(db: str | Path, data: bytes) -> tuple[str, Path]:
    """Write the bytes under their sha256 (atomically; an existing copy is kept)."""
    sha = hashlib.sha256(data).hexdigest()
    target = raw_dir(db) / sha[:2] / sha
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    return sha, target


@dataclass
class Stored:
    """The outcome of one ingest."""

    report_id: str
    created: bool  # False when the same bytes were already stored
    version: int
    unit_id: str | None
    year: int | None


def ingest_report(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    data: bytes,
    report: Report,
    *,
    file_name: str | None,
    media_type: str,
    source: str = "upload",
    source_url: str | None = None,
    received_at: datetime | None = None,
    refresh: bool = True,
    outside: bool = False,
    actor: str | None = None,
) -> Stored:
    """Store one parsed document in a single transaction; idempotent by content hash.

    `outside`: the report's unit is not one of the city's (see nianbao.scope); it is kept in the
    `outside` scope (table outside_reports), its unit is not registered, and it never counts in the
    city's figures. Callers decide when that is allowed (`nianbao ingest --outside`).
    `actor`: who stored it; the `upload` event goes to the audit log in the same transaction.

    With `refresh` (the default) the same transaction recomputes the stored findings and scores of
    the new report and of the reports that depend on it. Bulk loaders pass refresh=False and call
    `refresh(con)` once at the end (a later `connect` also catches up on anything left stale).
    """
    sha, path = save_raw(db, data)
    existing = con.execute(
        "select report_id, version, unit_id, year from reports where report_id = ?", [sha]
    ).fetchall()
    if existing:
        rid, version, unit_id, year = existing[0]
        return Stored(rid, False, int(version), unit_id, year)
    if con.execute("select 1 from deleted_reports where report_id = ?", [sha]).fetchall():
        raise DeletedReport(sha)
    unit = resolve(report.unit)
    now = received_at or datetime.now()
    con.execute("begin transaction").fetchall()
    try:
        if unit is not None and not outside:
            _upsert_unit(con, unit)
        version = next_version(con, unit.unit_id if unit else None, report.year)
        con.execute(
            "insert into documents values (?, ?, ?, ?, ?, ?, ?, ?)",
            [sha, file_name, media_type, len(data), source, source_url, str(path), now],
        ).fetchall()
        con.execute(
            "insert into reports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            report_row(sha, report, unit, version, now),
        ).fetchall()
        _insert_parts(con, sha, report)
        if outside:
            con.execute(
                "insert or replace into outside_reports values (?, ?, ?)",
                [sha, unit.kind if unit else "other", now],
            ).fetchall()
        if actor:
            from nianbao import audit

            audit.record(
                con,
                actor=actor,
                action="upload",
                subject_kind="report",
                subject=sha,
                detail={
                    "unit": unit.unit_id if unit else report.unit,
                    "year": report.year,
                    "version": version,
                    "file": file_name,
                    "source": source,
                    "scope": "outside" if outside else "city",
                },
            )
        for table in DERIVED_TABLES:  # leftovers of an earlier copy of the same bytes (scratch stores)
            con.execute(f"delete from {table} where report_id = ?", [sha]).fetchall()
        if refresh:
            _refresh(con)
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise
    return Stored(sha, True, version, unit.unit_id if unit else None, report.year)


def report_row(sha: str, report: Report, unit: Unit | None, version: int, now: datetime) -> list[Any]:
    """The `reports` row of one parsed document, in column order."""
    return [
        sha,
        sha,
        unit.unit_id if unit else None,
        report.unit,
        report.year,
        report.template,
        report.title,
        _date(report.published),
        version,
        __version__,
        now,
    ]


def unit_row(unit: Unit) -> list[Any]:
    """The `units` row registered for a unit first seen in a report."""
    return [unit.unit_id, unit.name, unit.district, unit.kind, unit.deadline_class]


class DeletedReport(Exception):
    """The document is stored but was deleted: restore it (`nianbao undelete`) instead."""

    def __init__(self, report_id: str) -> None:
        super().__init__(report_id)
        self.report_id = report_id


def next_version(con: duckdb.DuckDBPyConnection, unit_id: str | None, year: int | None) -> int:
    """The next version number of a unit's report for a year (deleted versions keep their number)."""
    if unit_id is None:
        return 1
    rows = con.execute(
        """
        select coalesce(max(version), 0) from (
            select version from reports where unit_id = ? and year is not distinct from ?
            union all
            select version from deleted_reports where unit_id = ? and year is not distinct from ?
        )
        """,
        [unit_id, year, unit_id, year],
    ).fetchall()
    return 1 + int(rows[0][0])


def _upsert_unit(con: duckdb.DuckDBPyConnection, unit: Unit) -> None:
    con.execute(
        "insert into units (unit_id, name, district, kind, deadline_class) values (?, ?, ?, ?, ?) on conflict (unit_id) do nothing",
        unit_row(unit),
    ).fetchall()


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _insert_many(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[list[Any]],
    chunk: int = 250,
    *,
    or_ignore: bool = False,
) -> None:
    """Multi-row inserts: executemany costs a round trip per row, which dominates an ingest."""
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ", ".join(["?"] * width) + ")"
    verb = "insert or ignore into" if or_ignore else "insert into"
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        sql = f"{verb} {table} values " + ", ".join([one] * len(part))
        con.execute(sql, [v for row in part for v in row]).fetchall()


insert_many = _insert_many


def part_rows(rid: str, report: Report) -> dict[str, list[list[Any]]]:
    """The rows one report adds to each table below `reports`, in column order."""
    return {
        "cells": [
            [rid, c.table, c.row, c.col, c.row_label, c.col_label, c.raw, c.value, c.unit, c.state]
            for c in report.cells
        ],
        "sections": [[rid, i, x.no, x.key, x.heading, x.text] for i, x in enumerate(report.sections)],
        "facts": [
            [
                rid,
                i,
                f.section,
                f.quantity,
                f.label,
                f.value,
                f.unit,
                f.sentence,
                f.position,
                f.role,
                f.qualifier,
            ]
            for i, f in enumerate(report.facts)
        ],
        "parse_notes": [[rid, i, n.code, n.message, n.table, n.row] for i, n in enumerate(report.notes)],
        "tables_found": [[rid, t] for t in report.tables_found],
    }


def _insert_parts(con: duckdb.DuckDBPyConnection, rid: str, report: Report) -> None:
    for table, rows in part_rows(rid, report).items():
        _insert_many(con, table, rows)


def copy_reports(
    src: duckdb.DuckDBPyConnection, dst: duckdb.DuckDBPyConnection, report_ids: list[str]
) -> None:
    """Copy stored reports, with their units and documents, from one store into another (e.g. a
    scratch store), in one transaction; rows already there are kept. Their findings and scores are
    computed by the next refresh of `dst` (they are new there)."""
    if not report_ids:
        return
    picks = {
        "units": "unit_id in (select unit_id from reports where report_id in ({ids}))",
        "documents": "sha256 in (select sha256 from reports where report_id in ({ids}))",
        **{
            t: "report_id in ({ids})"
            for t in ("reports", "cells", "sections", "facts", "parse_notes", "tables_found")
        },
    }
    marks = ", ".join("?" for _ in report_ids)
    rows: dict[str, list[list[Any]]] = {}
    for table, where in picks.items():
        cur = src.cursor()
        try:
            found = cur.execute(f"select * from {table} where {where.format(ids=marks)}", list(report_ids))
            rows[table] = [list(r) for r in found.fetchall()]
        finally:
            cur.close()
    dst.execute("begin transaction").fetchall()
    try:
        for table, part in rows.items():
            _insert_many(dst, table, part, or_ignore=True)
        dst.execute("commit").fetchall()
    except Exception:
        dst.execute("rollback").fetchall()
        raise


def list_reports(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every stored report, newest year first."""
    cur = con.cursor()
    rel = cur.execute(
        """
        select r.report_id, r.unit_id, r.unit_name, u.district, u.kind, r.year, r.template, r.title,
               cast(r.published as varchar) as published, r.version, d.file_name, d.source, d.source_url
        from reports r
        left join units u using (unit_id)
        join documents d on d.sha256 = r.sha256
        order by r.year desc nulls last, u.district nulls last, r.unit_id, r.version
        """
    )
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]


def delete_report(
    con: duckdb.DuckDBPyConnection, report_id: str, *, actor: str, reason: str | None = None
) -> dict[str, Any]:
    """Hide one stored version (soft delete), in one transaction with its audit event: its row
    moves to `deleted_reports`, its findings and scores are recomputed away, the unit's previous
    version (if any) becomes current again. Cells, sections and the raw file are kept."""
    import json

    from nianbao import audit

    cur = con.cursor()
    try:
        rel = cur.execute("select * from reports where report_id = ?", [report_id])
        cols = [d[0] for d in rel.description]
        found = rel.fetchall()
        if not found:
            raise KeyError(report_id)
        row = dict(zip(cols, found[0], strict=True))
        cur.execute("begin transaction").fetchall()
        try:
            cur.execute(
                "insert into deleted_reports values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    report_id,
                    row["unit_id"],
                    row["year"],
                    row["version"],
                    datetime.now(),
                    actor,
                    reason,
                    json.dumps(row, ensure_ascii=False, default=str),
                ],
            ).fetchall()
            cur.execute("delete from reports where report_id = ?", [report_id]).fetchall()
            _refresh(cur)
            audit.record(
                cur,
                actor=actor,
                action="delete",
                subject_kind="report",
                subject=report_id,
                reason=reason,
                detail={"unit": row["unit_id"], "year": row["year"], "version": row["version"]},
            )
            cur.execute("commit").fetchall()
        except Exception:
            cur.execute("rollback").fetchall()
            raise
    finally:
        cur.close()
    return row


def undelete_report(
    con: duckdb.DuckDBPyConnection, report_id: str, *, actor: str, reason: str | None = None
) -> dict[str, Any]:
    """Bring a soft-deleted version back, in one transaction with its audit event."""
    import json

    from nianbao import audit

    cur = con.cursor()
    try:
        found = cur.execute(
            "select row_json from deleted_reports where report_id = ?", [report_id]
        ).fetchall()
        if not found:
            raise KeyError(report_id)
        row: dict[str, Any] = json.loads(found[0][0])
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur.execute("begin transaction").fetchall()
        try:
            cur.execute(f"insert into reports ({names}) values ({marks})", list(row.values())).fetchall()
            cur.execute("delete from deleted_reports where report_id = ?", [report_id]).fetchall()
            _refresh(cur)
            audit.record(
                cur,
                actor=actor,
                action="restore",
                subject_kind="report",
                subject=report_id,
                reason=reason,
                detail={"unit": row.get("unit_id"), "year": row.get("year"), "version": row.get("version")},
            )
            cur.execute("commit").fetchall()
        except Exception:
            cur.execute("rollback").fetchall()
            raise
    finally:
        cur.close()
    return row


def deleted_reports(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The soft-deleted versions, newest deletion first."""
    cur = con.cursor()
    try:
        rel = cur.execute(
            "select report_id, unit_id, year, version, deleted_at, actor, reason from deleted_reports order by deleted_at desc"
        )
        cols = [d[0] for d in rel.description]
        return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
    finally:
        cur.close()
