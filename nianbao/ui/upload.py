"""上传即检: check an uploaded report at once, in a scratch store, and save it on request.

The check runs the real rule views on a private in-memory store that holds the upload plus the
unit's other stored reports (so rules that compare with last year still work). Nothing reaches
the real store until the user saves.
"""

from __future__ import annotations

import copy
import hashlib
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import streamlit as st

from nianbao import audit, store, units
from nianbao.ingest import Parsed, parse_bytes
from nianbao.ui.data import FORBIDDEN, Forbidden, reading, records, refresh, writing
from nianbao.ui.errors import UiError
from nianbao.ui.plain import md
from nianbao.ui.tables import SEVERITY_RANK
from nianbao.users import User

PASTED_NAME = "粘贴文本.txt"
MAX_BYTES = 50 * 1024 * 1024


class UploadedFile(Protocol):
    """What st.file_uploader returns (only what is used here)."""

    name: str

    def getvalue(self) -> bytes: ...


def upload_source(uploaded: UploadedFile | None, pasted: str | None) -> tuple[bytes, str] | None:
    """The bytes to check and their file name: the uploaded file, else the pasted text.

    Also readies the scratch store, so the first check does not pay for creating its views.
    """
    _scratch()
    if uploaded is not None:
        data = uploaded.getvalue()
        if len(data) > MAX_BYTES:
            raise UiError("文件超过 50 MB，无法检查。请上传年报本身（HTML、DOCX、PDF 或 TXT）。")
        return data, uploaded.name
    if pasted and pasted.strip():
        return pasted.encode("utf-8"), PASTED_NAME
    return None


@st.cache_data(show_spinner=False, max_entries=16)
def parse_upload(data: bytes, file_name: str) -> Parsed:
    """Extract and recognise the upload (raises UnreadableReport with a Chinese message)."""
    return parse_bytes(data, file_name)


@dataclass
class UploadCheck:
    """The outcome of checking one upload."""

    report_id: str
    unit: str | None
    district: str | None
    year: int | None
    template: str | None
    media_type: str
    cells: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    score: dict[str, Any] | None
    notes: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Scratch:
    con: duckdb.DuckDBPyConnection
    folder: Path
    lock: threading.Lock


@st.cache_resource(show_spinner=False)
def _scratch() -> _Scratch:
    """One private in-memory store per process, with the schema and every view, reused per check."""
    con = duckdb.connect(":memory:")
    store.install_schema(con)
    return _Scratch(con, Path(tempfile.mkdtemp(prefix="nianbao-check-")), threading.Lock())


def _with_overrides(parsed: Parsed, unit: str | None, year: int | None) -> Any:
    report = copy.deepcopy(parsed.report)
    if unit:
        report.unit = unit.strip()
    if year:
        report.year = int(year)
    return report


def _copy_rows(
    src: duckdb.DuckDBPyConnection, dst: duckdb.DuckDBPyConnection, table: str, where: str, ids: list[str]
) -> None:
    if not ids:
        return
    marks = ", ".join("?" for _ in ids)
    cur = src.cursor()
    try:
        rows = cur.execute(f"select * from {table} where {where} in ({marks})", ids).fetchall()
    finally:
        cur.close()
    if rows:
        holes = ", ".join("?" for _ in rows[0])
        dst.executemany(f"insert or ignore into {table} values ({holes})", [list(r) for r in rows])


def _load_context(
    db: str,
    dst: duckdb.DuckDBPyConnection,
    unit: str | None,
    upload: str,
    districts: tuple[str, ...] | None = None,
) -> None:
    """The store's settings and the unit's other reports, so year-on-year rules see last year.

    The upload itself (`upload`: its sha256) is left out even when it is stored already, so it is
    stored afresh, with the unit and year as corrected, and its findings computed on the spot.
    """
    with reading(db) as src:
        settings = src.execute("select key, text, num from settings").fetchall()
        dst.executemany("insert or replace into settings values (?, ?, ?)", [list(r) for r in settings])
        resolved = units.resolve(unit)
        if resolved is None or (districts is not None and resolved.district not in districts):
            return  # another district's stored reports are not shown, not even as last year's values
        ids = [
            r[0]
            for r in src.execute(
                "select report_id from reports where unit_id = ? and report_id <> ?",
                [resolved.unit_id, upload],
            ).fetchall()
        ]
        _copy_rows(src, dst, "units", "unit_id", [resolved.unit_id])
        store.copy_reports(src, dst, ids)  # in bulk: row by row (executemany) took seconds


@st.cache_data(show_spinner=False, max_entries=16)
def check_upload(
    db: str,
    data: bytes,
    file_name: str,
    unit: str | None,
    year: int | None,
    districts: tuple[str, ...] | None = None,
) -> UploadCheck:
    """Run every rule on the upload (with the unit and year as corrected by the user); the unit's
    stored reports give the context only when its district is among `districts` (None: all)."""
    started = time.perf_counter()
    parsed = parse_upload(data, file_name)
    report = _with_overrides(parsed, unit, year)
    s = _scratch()
    with s.lock:
        con = s.con
        try:
            _load_context(db, con, report.unit, hashlib.sha256(data).hexdigest(), districts)
            stored = store.ingest_report(
                con,
                s.folder / "scratch.duckdb",
                data,
                report,
                file_name=Path(file_name).name,
                media_type=parsed.media_type,
            )
            rid = stored.report_id
            cur = con.cursor()
            try:
                found = records(cur.execute("select * from report_findings where report_id = ?", [rid]).df())
                score = records(cur.execute("select * from report_scores where report_id = ?", [rid]).df())
                cells = records(
                    cur.execute(
                        "select tbl, row_key, col_key, raw, value, state from cells where report_id = ?",
                        [rid],
                    ).df()
                )
                district = cur.execute(
                    "select district from units where unit_id = ?", [stored.unit_id]
                ).fetchall()
            finally:
                cur.close()
        finally:
            store.clear_reports(con)  # the reports, and the findings and scores stored for them
    found.sort(key=lambda f: (SEVERITY_RANK.get(f.get("severity") or "", 9), f.get("rule_id") or ""))
    return UploadCheck(
        report_id=rid,
        unit=stored.unit_id or report.unit,
        district=district[0][0] if district else None,
        year=report.year,
        template=report.template,
        media_type=parsed.media_type,
        cells=cells,
        findings=found,
        score=score[0] if score else None,
        notes=[n.as_dict() for n in report.notes],
        seconds=time.perf_counter() - started,
    )


def may_save(user: User | None, unit: str | None) -> None:
    """Raise Forbidden unless `user` may store a report of `unit` (None: the demo, no login)."""
    if user is None:
        return
    if not user.may_save:
        raise Forbidden(f"{FORBIDDEN}：只读账号不能保存年报。")
    resolved = units.resolve(unit) if unit else None
    if not user.may_save_for(resolved.district if resolved else None):
        raise Forbidden(
            f"{FORBIDDEN}：当前账号只能为{user.district or '本区县'}的单位保存年报，"
            f"“{md(unit)}”不属于{user.district or '本区县'}。"
        )


def save_upload(
    db: str,
    data: bytes,
    file_name: str,
    unit: str | None,
    year: int | None,
    *,
    user: User | None = None,
    actor: str = "web:demo",
) -> str:
    """Store the upload in the real store as a new version, as `user` (None: the demo, no login;
    district staff only for their own district's units), logged in the audit log under `actor`.
    Returns the message to show."""
    parsed = parse_upload(data, file_name)
    report = _with_overrides(parsed, unit, year)
    if not report.unit or not report.year:
        raise UiError("请先填写单位和年度，再保存。")
    may_save(user, report.unit)
    # what the user corrected is kept by a later reparse
    overrides = {
        k: str(v)
        for k, v, read in (
            ("unit", report.unit, parsed.report.unit),
            ("year", report.year, parsed.report.year),
        )
        if v != read
    }
    with writing(db) as cur:  # the store is open read-write for this one ingest only
        stored = store.ingest_report(
            cur,
            db,
            data,
            report,
            file_name=Path(file_name).name,
            media_type=parsed.media_type,
            source="upload",
            overrides=overrides,
        )
        if stored.created:
            audit.record(
                cur,
                actor=actor,
                action="report.upload",
                subject_kind="report",
                subject=stored.report_id,
                detail={
                    "unit": stored.unit_id or report.unit,
                    "year": stored.year,
                    "version": stored.version,
                },
            )
    refresh()
    who = f"{stored.unit_id or report.unit} {stored.year or report.year} 年度"
    if not stored.created:
        return f"这份文件已在库中（{who}第 {stored.version} 版），未重复保存。"
    return f"已保存为 {who}第 {stored.version} 版。"
