"""上传即检: check an uploaded report at once, against the store, and save it on request.

The check is nianbao.instant: the store's own views, on the store's reports plus the upload held
in an attached in-memory database, so it gives the findings the stored check will give (last
year's report and the peers included). Nothing reaches the store until the user saves.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import streamlit as st

from nianbao import instant, scope, store, units
from nianbao.ingest import Parsed, parse_bytes
from nianbao.ui.auth import current_actor
from nianbao.ui.data import FORBIDDEN, Forbidden, reading, refresh, writing
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
    """The bytes to check and their file name: the uploaded file, else the pasted text."""
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
    outside: bool = False  # the unit is not the city's: checked, not stored
    version: int = 1  # the version it would be stored as


def _with_overrides(parsed: Parsed, unit: str | None, year: int | None) -> Any:
    report = copy.deepcopy(parsed.report)
    if unit:
        report.unit = unit.strip()
    if year:
        report.year = int(year)
    return report


def _in_city(db: str, unit: str | None) -> bool:
    """Whether the unit is the city's: the units file or the store's harvest sources file."""
    from nianbao.harvest.sources import SourcesError

    try:
        return scope.in_scope(unit, db=db)
    except SourcesError as e:
        raise UiError(f"采集源文件无效：{e}", "请在“数据采集”页修正采集源文件。") from e


@st.cache_data(show_spinner=False, max_entries=16)
def check_upload(db: str, data: bytes, file_name: str, unit: str | None, year: int | None) -> UploadCheck:
    """Run every rule on the upload (with the unit and year as corrected by the user), against
    the store as it is, peers included (nianbao.instant): the findings it would get if saved.
    A unit outside the city is checked as it would be kept outside; nothing is written."""
    started = time.perf_counter()
    parsed = parse_upload(data, file_name)
    report = _with_overrides(parsed, unit, year)
    outside = not _in_city(db, report.unit)
    with reading(db) as cur:  # read only: the upload is held in an attached in-memory database
        result = instant.check(
            cur,
            data,
            report,
            file_name=Path(file_name).name,
            media_type=parsed.media_type,
            outside=outside,
        )
    found = list(result.findings)
    found.sort(key=lambda f: (SEVERITY_RANK.get(f.get("severity") or "", 9), f.get("rule_id") or ""))
    return UploadCheck(
        report_id=result.report_id,
        unit=result.unit_id or report.unit,
        district=result.district,
        year=report.year,
        template=report.template,
        media_type=parsed.media_type,
        cells=result.cells,
        findings=found,
        score=result.scores or None,
        notes=[n.as_dict() for n in report.notes],
        seconds=time.perf_counter() - started,
        outside=outside,
        version=result.version,
    )


def acting() -> str:
    """Who is acting, for the audit log: the signed-in user (web:<name>), else web:demo."""
    return current_actor()


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
    actor: str | None = None,
) -> str:
    """Store the upload in the real store as a new version, as `user` (None: the demo, no login;
    district staff only for their own district's units), logged under `actor`; returns the message.

    A unit outside the city is refused (非本市单位：仅检查，不入库)."""
    parsed = parse_upload(data, file_name)
    report = _with_overrides(parsed, unit, year)
    if not report.unit or not report.year:
        raise UiError("请先填写单位和年度，再保存。")
    if not _in_city(db, report.unit):
        raise UiError(f"{report.unit}：{scope.OUTSIDE_MESSAGE}。", "请核对单位名称；本市单位名称应含区县名。")
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
    try:
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
                actor=actor or acting(),
            )
    except store.DeletedReport as e:
        raise UiError("这份文件曾被删除。", "请在该年报的版本记录中恢复它。") from e
    refresh()
    who = f"{stored.unit_id or report.unit} {stored.year or report.year} 年度"
    if not stored.created:
        return f"这份文件已在库中（{who}第 {stored.version} 版），未重复保存。"
    return f"已保存为 {who}第 {stored.version} 版。"


def delete_version(db: str, report_id: str, reason: str | None) -> str:
    """Hide one stored version (restorable); returns the message to show."""
    with writing(db) as cur:
        row = store.delete_report(cur, report_id, actor=acting(), reason=reason or None)
    refresh()
    return f"已删除 {row['unit_id'] or row['unit_name']} {row['year']} 年度第 {row['version']} 版（可恢复，原始文件保留）。"


def restore_version(db: str, report_id: str) -> str:
    """Bring a deleted version back; returns the message to show."""
    with writing(db) as cur:
        row = store.undelete_report(cur, report_id, actor=acting())
    refresh()
    return f"已恢复 {row.get('unit_id') or row.get('unit_name')} {row.get('year')} 年度第 {row.get('version')} 版。"
