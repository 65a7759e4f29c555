"""The instant check (上传即检, `nianbao check --db`): a report checked against the store, writing nothing.

A scratch database is attached to the store's own connection. It holds the new report in a
`pending` schema, and its `main` schema has, for every stored table, a view over the store's rows
plus the pending ones, and every view of queries/ built on those. The store's own refresh
(store.run_refresh) then computes the report's findings and scores into the pending tables:
the same rules, on the same reports and peers, as `nianbao ingest` would run, so the findings are
the same. The scratch database is a private copy of a file built once in the cache folder
(`_template`); it is detached and deleted after each check. The store is only read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from nianbao import store, units
from nianbao.model import Report
from nianbao.recognize.sanity import tame_numbers
from nianbao.units import resolve

# Tables a new report adds rows to (or the refresh writes), with the column (or expression) naming a
# row in them: a pending row hides the stored row of the same name.
PENDING = {
    "units": "unit_id",
    "documents": "sha256",
    "reports": "report_id",
    "cells": "report_id",
    "sections": "report_id",
    "facts": "report_id",
    "parse_notes": "report_id",
    "tables_found": "report_id",
    "report_overrides": "report_id",
    "outside_reports": "report_id",
    "finding_store": "report_id",
    "score_store": "report_id",
    "peer_reports": "report_id",
    "peer_levels": "concat_ws('|', kind, year, template, tbl, row_key, col_key)",
    "peer_level_work": "concat_ws('|', kind, year, template, tbl, row_key, col_key)",
    **{table: "report_id" for table in store.SCRATCH_TABLES if table != "peer_level_work"},
}


_LOCK = threading.Lock()

TEMPLATE_PREFIX = "instant-views-"
TEMPLATES_KEPT = 4


@dataclass
class Instant:
    """One report checked against a store, as it would be stored."""

    report_id: str
    unit_id: str | None
    district: str | None
    version: int
    findings: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    cells: list[dict[str, Any]] = field(default_factory=list)


def _dicts(rel: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in rel.description or []]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def _macros() -> list[str]:
    """The macro definitions of queries/schema.sql (views use them unqualified)."""
    text = (store.QUERIES / "schema.sql").read_text(encoding="utf-8")
    return [part for part in text.split(";") if "create or replace macro" in part]


def _build(cur: duckdb.DuckDBPyConnection, scratch: str, home: str) -> None:
    """The pending tables, the union views over the store's tables, then every view of queries/."""
    cur.execute(f"create schema {scratch}.pending").fetchall()
    tables = [
        r[0]
        for r in cur.execute(
            "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main'",
            [home],
        ).fetchall()
    ]
    for table in tables:
        src = f'"{home}".main.{table}'
        key = PENDING.get(table)
        if key is None:
            cur.execute(f"create view {scratch}.main.{table} as select * from {src}").fetchall()
            continue
        cur.execute(f"create table {scratch}.pending.{table} as select * from {src} limit 0").fetchall()
        if table in store.SCRATCH_TABLES:
            # A refresh's scratch tables are empty outside its transaction, so the store's side of
            # the union is always empty: the pending table alone (a smaller plan for every rule).
            cur.execute(
                f"create view {scratch}.main.{table} as select * from {scratch}.pending.{table}"
            ).fetchall()
            continue
        cur.execute(
            f"create view {scratch}.main.{table} as "
            f"select * from {src} where {key} not in (select {key} from {scratch}.pending.{table}) "
            f"union all by name select * from {scratch}.pending.{table}"
        ).fetchall()
    cur.execute(f"use {scratch}").fetchall()
    for macro in _macros():
        cur.execute(macro).fetchall()
    for name in store.view_names():
        cur.execute((store.QUERIES / f"{name}.sql").read_text(encoding="utf-8")).fetchall()
    # The refresh's own schema, as in the store. Its views would find the pending tables first on the
    # refresh's search path (pending rows only): every table is shown there as its union view.
    store.install_refresh_views(cur, scratch, passthrough=tables)


def _write(
    cur: duckdb.DuckDBPyConnection,
    sha: str,
    data: bytes,
    report: Report,
    file_name: str | None,
    media_type: str,
    outside: bool,
) -> tuple[str | None, int]:
    """The report's rows, into the pending tables (as store.ingest_report writes them)."""
    tame_numbers(report)
    unit = resolve(report.unit)
    now = datetime.now()
    if unit is not None and not outside:  # as units.upsert: the unit as resolved now
        cols = ", ".join(units.UNIT_COLUMNS)
        marks = ", ".join("?" for _ in units.UNIT_COLUMNS)
        cur.execute(f"insert into pending.units ({cols}) values ({marks})", units.unit_row(unit)).fetchall()
    version = store.next_version(cur, unit.unit_id if unit else None, report.year)
    cur.execute(
        "insert into pending.documents values (?, ?, ?, ?, ?, ?, ?, ?)",
        [sha, file_name, media_type, len(data), "upload", None, "", now],
    ).fetchall()
    cur.execute(
        "insert into pending.reports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        store.report_row(sha, report, unit, version, now),
    ).fetchall()
    for table, rows in store.part_rows(sha, report).items():
        store.insert_many(cur, f"pending.{table}", rows)
    if outside:
        cur.execute(
            "insert into pending.outside_reports values (?, ?, ?)", [sha, unit.kind if unit else "other", now]
        ).fetchall()
    return (unit.unit_id if unit else None), version


def _template(cur: duckdb.DuckDBPyConnection, scratch: str, home: str) -> Path | None:
    """A database file with the pending tables (empty) and every view built for this store, kept in
    the cache folder (paths.cache_dir()) under a digest of what it is built from: the checks and
    code (checks.schema_digest), the store's alias and its tables' columns. Building the views binds
    every rule (most of a check's cost), so it is done once, not per check. None when the cache
    folder cannot be written (the check then builds them in memory)."""
    import hashlib

    from nianbao.checks import schema_digest
    from nianbao.paths import cached_file

    columns = cur.execute(
        "select table_name, column_name, data_type from duckdb_columns()"
        " where database_name = ? and schema_name = 'main' order by all",
        [home],
    ).fetchall()
    key = hashlib.sha256(f"{schema_digest()}|{scratch}|{home}|{columns!r}".encode()).hexdigest()

    def build(path: Path) -> bool:
        _attached(cur, scratch, path, home, build=True)
        return not Path(str(path) + ".wal").exists()  # not fully checkpointed: not a file to copy

    try:
        return cached_file(f"{TEMPLATE_PREFIX}{key[:24]}.duckdb", TEMPLATE_PREFIX, build, keep=TEMPLATES_KEPT)
    except duckdb.IOException:
        return None


def _attached(
    cur: duckdb.DuckDBPyConnection, scratch: str, path: Path | None, home: str, *, build: bool
) -> None:
    """Attach `path` (or a new in-memory database) as `scratch`; build its tables and views if asked;
    on `build` the database is detached again when built."""
    where = ":memory:" if path is None else str(path).replace("'", "''")
    cur.execute(f"attach '{where}' as {scratch} (read_only false)").fetchall()
    if not build:
        return
    try:
        _build(cur, scratch, home)
    finally:
        cur.execute(f'use "{home}"').fetchall()
        if path is not None:
            cur.execute(f"detach {scratch}").fetchall()


def check(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    report: Report,
    *,
    file_name: str | None,
    media_type: str,
    outside: bool = False,
) -> Instant:
    """Check one parsed report against the store behind `con` (read-only or not): its findings,
    scores and cells as `store.ingest_report` would store them. Nothing is written to the store."""
    import hashlib
    import shutil
    import tempfile

    sha = hashlib.sha256(data).hexdigest()
    scratch = "instant_" + store.checks_version()[:16]
    # One check at a time per process: the scratch database is attached to the whole connection.
    with _LOCK, tempfile.TemporaryDirectory(prefix="nianbao-instant-") as tmp:
        cur = con.cursor()
        try:
            home = str(cur.execute("select current_database()").fetchall()[0][0])
            template = _template(cur, scratch, home)
            if template is None:
                _attached(cur, scratch, None, home, build=True)
            else:  # a copy of the built views: this check's pending rows go into the copy
                work = Path(tmp) / "check.duckdb"
                shutil.copyfile(template, work)
                _attached(cur, scratch, work, home, build=False)
            # One transaction, rolled back at the end: nothing of the check is ever written to the
            # scratch file (no commit per statement, no checkpoint when it is detached).
            cur.execute("begin transaction").fetchall()
            try:
                cur.execute(f"use {scratch}").fetchall()
                unit_id, version = _write(cur, sha, data, report, file_name, media_type, outside)
                # The store's own refresh, with the pending tables first on the search path: its
                # deletes and inserts land there, its reads go through the union views.
                cur.execute(f"set search_path = '{scratch}.pending,{scratch}.main'").fetchall()
                store.run_refresh(cur)
                cur.execute(f"set search_path = '{scratch}.main'").fetchall()
                findings = _dicts(
                    cur.execute("select * from main.report_findings where report_id = ?", [sha])
                )
                scored = _dicts(cur.execute("select * from main.report_scores where report_id = ?", [sha]))
                cells = _dicts(
                    cur.execute(
                        "select tbl, row_key, col_key, raw, value, state from pending.cells where report_id = ?",
                        [sha],
                    )
                )
                district = cur.execute(
                    "select district from main.units where unit_id = ?", [unit_id]
                ).fetchall()
            finally:  # nothing of this upload stays behind: the database and its file go
                cur.execute("rollback").fetchall()
                cur.execute(f'use "{home}"').fetchall()
                cur.execute("reset search_path").fetchall()
                cur.execute(f"detach {scratch}").fetchall()
        finally:
            cur.close()
    return Instant(
        report_id=sha,
        unit_id=unit_id,
        district=district[0][0] if district else None,
        version=version,
        findings=findings,
        scores=scored[0] if scored else {},
        cells=cells,
    )
