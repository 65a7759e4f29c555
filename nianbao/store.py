"""The DuckDB store: schema and views from queries/, raw files by hash, one transaction per ingest."""

from __future__ import annotations

import contextlib
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
        if con.execute("select count(*) from documents where stored_path like '/%'").fetchall()[0][0]:
            relative_paths(con, path)  # a store from before stored paths were relative
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
    return data_dir(db) / "raw"


def data_dir(db: str | Path) -> Path:
    """The store's data directory: the folder holding the database file and its raw/."""
    return Path(db).resolve().parent


TEMP_PREFIX = ".incoming-"  # half-written raw files; fsck removes leftovers


class RawFileError(Exception):
    """A stored document's raw file is missing or does not hash to its sha256."""

    def __init__(self, sha: str, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.sha = sha
        self.path = path
        self.problem = problem  # "missing" | "corrupt"


def save_raw(db: str | Path, data: bytes) -> tuple[str, Path]:
    """Write the bytes under their sha256 (atomically and durably; an existing copy is kept).

    The temporary file is fsynced before the rename and the folder after it, so a crash or a
    full disk leaves either no file or the whole file under its name, never a torn one.
    """
    sha = hashlib.sha256(data).hexdigest()
    target = raw_dir(db) / sha[:2] / sha
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(target.parent)
    return sha, target


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def relative_raw(db: str | Path, path: Path) -> str:
    """How documents.stored_path names a raw file: relative to the data directory (raw/ab/abcd...),
    so a copied or restored store reads its own raw files."""
    return Path(path).resolve().relative_to(data_dir(db)).as_posix()


def raw_path(db: str | Path, sha: str, stored_path: str | None = None) -> Path:
    """Where a document's raw file is: its stored path resolved against the data directory (an
    absolute path from an old store is used when it still exists), else raw/<sha[:2]>/<sha>."""
    if stored_path:
        p = Path(stored_path)
        if not p.is_absolute():
            return data_dir(db) / p
        if p.is_file():
            return p
    return raw_dir(db) / sha[:2] / sha


def read_raw(db: str | Path, sha: str, stored_path: str | None = None) -> bytes:
    """A document's raw bytes, verified against its sha256 (RawFileError: missing or corrupt)."""
    path = raw_path(db, sha, stored_path)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise RawFileError(sha, path, "missing") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise RawFileError(sha, path, "corrupt")
    return data


def relative_paths(con: duckdb.DuckDBPyConnection, db: str | Path) -> int:
    """Migrate absolute documents.stored_path values under this store's raw/ to relative ones
    (stores written before paths were relative). Returns how many rows changed."""
    rows = con.execute("select sha256, stored_path from documents where stored_path like '/%'").fetchall()
    changes = []
    for sha, stored in rows:
        p = Path(str(stored))
        if p.name == sha and p.parent.name == sha[:2] and p.parent.parent.name == "raw":
            # the raw file of this store, wherever the store was when it was written
            changes.append([f"raw/{sha[:2]}/{sha}", sha])
    if changes:
        con.executemany("update documents set stored_path = ? where sha256 = ?", changes)
    return len(changes)


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
) -> Stored:
    """Store one parsed document in a single transaction; idempotent by content hash.

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
            [sha, file_name, media_type, len(data), source, source_url, relative_raw(db, path), now],
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
        for table in DERIVED_TABLES:  # leftovers of an earlier copy of the same bytes (scratch stores)
            con.execute(f"delete from {table} where report_id = ?", [sha]).fetchall()
        if refresh:
            _refresh(con)
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
