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


def install_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables, (re)load the rule catalog and settings, then every view in order."""
    from nianbao import catalog

    con.execute("begin transaction").fetchall()
    try:
        con.execute((QUERIES / "schema.sql").read_text(encoding="utf-8")).fetchall()
        catalog.load(con)
        for name in view_names():
            sql = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
            con.execute(sql).fetchall()
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise


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
) -> Stored:
    """Store one parsed document in a single transaction; idempotent by content hash."""
    sha, path = save_raw(db, data)
    existing = con.execute(
        "select report_id, version, unit_id, year from reports where report_id = ?", [sha]
    ).fetchall()
    if existing:
        rid, version, unit_id, year = existing[0]
        return Stored(rid, False, int(version), unit_id, year)
    unit = resolve(report.unit)
    now = received_at or datetime.now()
    con.execute("begin transaction").fetchall()
    try:
        if unit is not None:
            _upsert_unit(con, unit)
        version = (
            1
            + int(
                con.execute(
                    "select coalesce(max(version), 0) from reports where unit_id is not distinct from ? and year is not distinct from ?",
                    [unit.unit_id if unit else None, report.year],
                ).fetchall()[0][0]
            )
            if unit is not None
            else 1
        )
        con.execute(
            "insert into documents values (?, ?, ?, ?, ?, ?, ?, ?)",
            [sha, file_name, media_type, len(data), source, source_url, str(path), now],
        ).fetchall()
        con.execute(
            "insert into reports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
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
            ],
        ).fetchall()
        _insert_parts(con, sha, report)
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise
    return Stored(sha, True, version, unit.unit_id if unit else None, report.year)


def _upsert_unit(con: duckdb.DuckDBPyConnection, unit: Unit) -> None:
    con.execute(
        "insert into units values (?, ?, ?, ?, ?) on conflict (unit_id) do nothing",
        [unit.unit_id, unit.name, unit.district, unit.kind, unit.deadline_class],
    ).fetchall()


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[Any]], chunk: int = 250) -> None:
    """Multi-row inserts: executemany costs a round trip per row, which dominates an ingest."""
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ", ".join(["?"] * width) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        sql = f"insert into {table} values " + ", ".join([one] * len(part))
        con.execute(sql, [v for row in part for v in row]).fetchall()


def _insert_parts(con: duckdb.DuckDBPyConnection, rid: str, report: Report) -> None:
    _insert_many(
        con,
        "cells",
        [
            [rid, c.table, c.row, c.col, c.row_label, c.col_label, c.raw, c.value, c.unit, c.state]
            for c in report.cells
        ],
    )
    _insert_many(
        con, "sections", [[rid, i, s.no, s.key, s.heading, s.text] for i, s in enumerate(report.sections)]
    )
    _insert_many(
        con,
        "facts",
        [
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
    )
    _insert_many(
        con, "parse_notes", [[rid, i, n.code, n.message, n.table, n.row] for i, n in enumerate(report.notes)]
    )
    _insert_many(con, "tables_found", [[rid, t] for t in report.tables_found])


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
