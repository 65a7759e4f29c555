"""Checks: read findings and scores from the views in queries/ (no rule lives here)."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from nianbao.cursors import sub_cursor
from nianbao.model import Report

FINDING_COLUMNS = (
    "fingerprint",
    "report_id",
    "unit_id",
    "district",
    "year",
    "rule_id",
    "rule_title",
    "category",
    "severity",
    "deduction",
    "tbl",
    "row_key",
    "col_key",
    "section",
    "location",
    "expected",
    "actual",
    "message",
)
SEVERITY_ORDER = {"否决": 0, "错误": 1, "警告": 2, "提示": 3}
BLOCKING = ("否决", "错误")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = sub_cursor(con)
    try:
        result = cur.execute(sql, list(params))
        cols = [d[0] for d in result.description]
        return [dict(zip(cols, row, strict=True)) for row in result.fetchall()]
    finally:
        cur.close()


def check_reports(con: duckdb.DuckDBPyConnection, report_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Every finding on these stored reports (any version), most severe first."""
    if not report_ids:
        return []
    cols = ", ".join(FINDING_COLUMNS)
    rows = _rows(
        con,
        f"select {cols} from report_findings where list_contains(?, report_id)",
        [list(report_ids)],
    )
    rows.sort(key=lambda r: (SEVERITY_ORDER.get(r["severity"], 9), r["rule_id"], r["location"] or ""))
    return rows


def scores(con: duckdb.DuckDBPyConnection, report_id: str) -> dict[str, Any]:
    """One report's scores: completeness, consistency, deductions, score, verdict, counts, on_time."""
    rows = _rows(con, "select * from report_scores where report_id = ?", [report_id])
    if not rows:
        raise KeyError(report_id)
    row = rows[0]
    for key in ("published", "deadline"):
        if row.get(key) is not None:
            row[key] = str(row[key])
    return row


def all_findings(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The `findings` view (current reports and missing reports), most severe first."""
    cols = ", ".join(FINDING_COLUMNS)
    rows = _rows(con, f"select {cols} from findings")
    rows.sort(
        key=lambda r: (
            r["district"] or "",
            r["unit_id"] or "",
            -(r["year"] or 0),
            SEVERITY_ORDER.get(r["severity"], 9),
            r["rule_id"],
            r["location"] or "",
        )
    )
    return rows


def rule_catalog(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The `rules` table, in catalog order of category and id."""
    return _rows(con, "select * from rules order by category, rule_id")


def blocking(findings: Sequence[dict[str, Any]]) -> bool:
    """Whether any finding is a veto or an error (exit code 1 for `nianbao check`)."""
    return any(f["severity"] in BLOCKING for f in findings)


@dataclass
class Checked:
    """One file checked: its report, where it is stored, its findings and scores."""

    report: Report
    report_id: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)


def check_bytes(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    data: bytes,
    file_name: str,
    *,
    unit: str | None = None,
    year: int | None = None,
    published: str | None = None,
    scoped: bool = False,
) -> Checked:
    """Check one file against the store, writing nothing (nianbao.instant): the findings and
    scores it would get if it were stored now. `scoped`: a unit outside the city is checked as
    it would be stored with --outside (the store's figures are the city's)."""
    from nianbao import instant
    from nianbao.ingest import parse_bytes
    from nianbao.scope import in_scope

    parsed = parse_bytes(data, file_name)
    report = parsed.report
    if unit:
        report.unit = unit
    if year:
        report.year = year
    if published:
        report.published = published
    result = instant.check(
        con,
        data,
        report,
        file_name=Path(file_name).name,
        media_type=parsed.media_type,
        outside=scoped and not in_scope(report.unit),
    )
    found = [{k: f.get(k) for k in FINDING_COLUMNS} for f in result.findings]
    found.sort(key=lambda r: (SEVERITY_ORDER.get(str(r["severity"]), 9), r["rule_id"], r["location"] or ""))
    score = dict(result.scores)
    for key in ("published", "deadline"):
        if score.get(key) is not None:
            score[key] = str(score[key])
    return Checked(report, result.report_id, found, score)


class ScratchStore:
    """A throw-away store in a temporary folder, for `nianbao check FILE` without --db.

    It starts as a copy of an empty store kept in the user's cache folder (`empty_store`), so a
    check does not build the schema, catalog and views again; `connect` still verifies the copy's
    checks version and rebuilds it if it were not current.
    """

    def __init__(self) -> None:
        from nianbao.store import connect

        self._dir = tempfile.TemporaryDirectory(prefix="nianbao-check-")
        self.db = Path(self._dir.name) / "check.duckdb"
        empty = empty_store()
        if empty is not None:
            try:
                shutil.copyfile(empty, self.db)
            except OSError:  # removed meanwhile by a check with other data files: build afresh
                self.db.unlink(missing_ok=True)
        self.con = connect(self.db)

    def close(self) -> None:
        """Close the connection and delete the folder."""
        self.con.close()
        self._dir.cleanup()

    def __enter__(self) -> ScratchStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


EMPTY_PREFIX = "empty-store-"


def schema_digest() -> str:
    """What an empty store is built from: the checks version (queries/, rules, scoring, templates,
    units), the code that installs it and the DuckDB version that wrote it."""
    import hashlib

    import duckdb

    from nianbao import store

    h = hashlib.sha256()
    h.update(store.checks_version().encode() + b"\0" + duckdb.__version__.encode() + b"\0")
    h.update(_code_digest().encode())
    return h.hexdigest()


@functools.cache
def _code_digest() -> str:
    """A digest of the code that installs a store (read once per process: every instant check asks)."""
    import hashlib

    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *(package / "templates").glob("*.py")]):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def empty_store(cache: Path | None = None) -> Path | None:
    """An empty, current store file in the cache folder (paths.cache_dir()), built when its digest
    is missing; older ones are removed. None when the cache folder cannot be written."""
    from nianbao.paths import cached_file
    from nianbao.store import connect

    def build(path: Path) -> bool:
        connect(path).close()
        return not Path(str(path) + ".wal").exists()  # not fully checkpointed: not a file to copy

    return cached_file(f"{EMPTY_PREFIX}{schema_digest()[:24]}.duckdb", EMPTY_PREFIX, build, folder=cache)
