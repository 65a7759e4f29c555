"""A supervisor's review of findings: confirm, dismiss, mark rectified with evidence, extend the deadline.

Every action is one audit event (subject_kind "finding", subject = the finding's fingerprint); the
view `finding_reviews` reads the latest state back from the log, so actions survive re-parsing and
re-ingest (fingerprints are stable across report versions). A dismissed finding stops counting
toward scores: the affected reports are recomputed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from nianbao import audit, store

ACTIONS = ("confirm", "dismiss", "rectify", "reopen", "extend")
ACTION_ZH = {"confirm": "确认", "dismiss": "驳回", "rectify": "已整改", "reopen": "撤销", "extend": "延期"}


class ReviewError(ValueError):
    """A review action that cannot be taken, with a message in Chinese."""


@dataclass
class Evidence:
    """What shows a finding was rectified: a note, a URL and/or a file kept in the raw store."""

    note: str | None = None
    url: str | None = None
    file_name: str | None = None
    data: bytes | None = None

    def empty(self) -> bool:
        """No evidence at all."""
        return not ((self.note or "").strip() or (self.url or "").strip() or self.data)


def _finding(con: duckdb.DuckDBPyConnection, fingerprint: str) -> dict[str, Any]:
    cur = con.cursor()
    try:
        rel = cur.execute(
            "select fingerprint, unit_id, year, rule_id, location from report_findings "
            "where fingerprint = ? limit 1",
            [fingerprint],
        )
        cols = [d[0] for d in rel.description]
        found = rel.fetchall()
        if not found:
            # a finding that has since left the store may still be in a closed round
            rel = cur.execute(
                "select fingerprint, unit_id, year, rule_id, location from round_findings "
                "where fingerprint = ? limit 1",
                [fingerprint],
            )
            found = rel.fetchall()
    finally:
        cur.close()
    if not found:
        raise ReviewError(f"没有指纹为 {fingerprint[:12]} 的问题")
    return dict(zip(cols, found[0], strict=True))


def _act(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    action: str,
    *,
    actor: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    refresh: bool = True,
) -> int:
    if not actor or not actor.strip():
        raise ReviewError("请先填写操作人姓名")
    f = _finding(con, fingerprint)
    info = {"unit_id": f["unit_id"], "year": f["year"], "rule_id": f["rule_id"], "location": f["location"]}
    info.update(detail or {})
    con.execute("begin transaction").fetchall()
    try:
        event = audit.record(
            con,
            actor=actor.strip(),
            action=action,
            subject_kind="finding",
            subject=fingerprint,
            reason=(reason or "").strip() or None,
            detail=info,
            at=at,
        )
        if action in ("dismiss", "reopen"):
            # The scores of the reports carrying it are recomputed (they become stale).
            con.execute(
                "delete from score_store where report_id in "
                "(select report_id from finding_store where fingerprint = ?)",
                [fingerprint],
            ).fetchall()
            if refresh:  # bulk callers pass False and call store.refresh once at the end
                store._refresh(con)
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise
    return event


def confirm(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    *,
    actor: str,
    reason: str | None = None,
    at: datetime | None = None,
) -> int:
    """确认: the finding is real."""
    return _act(con, fingerprint, "confirm", actor=actor, reason=reason, at=at)


def dismiss(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    *,
    actor: str,
    reason: str,
    at: datetime | None = None,
    refresh: bool = True,
) -> int:
    """驳回: a false positive; it stops counting toward scores. A reason is required."""
    if not (reason or "").strip():
        raise ReviewError("驳回必须填写理由")
    return _act(con, fingerprint, "dismiss", actor=actor, reason=reason, at=at, refresh=refresh)


def reopen(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    *,
    actor: str,
    reason: str | None = None,
    at: datetime | None = None,
) -> int:
    """撤销: clear an earlier decision (a dismissed finding counts again)."""
    return _act(con, fingerprint, "reopen", actor=actor, reason=reason, at=at)


def rectify(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    fingerprint: str,
    *,
    actor: str,
    evidence: Evidence,
    reason: str | None = None,
    at: datetime | None = None,
) -> int:
    """已整改 by hand: needs evidence (a note, a URL, or a file, which is kept in the raw store)."""
    if evidence.empty():
        raise ReviewError("标记已整改须提供佐证：说明、网址或上传文件")
    url = (evidence.url or "").strip() or None
    if url and not url.lower().startswith(("http://", "https://")):
        raise ReviewError("佐证网址须以 http:// 或 https:// 开头")
    detail: dict[str, Any] = {"note": (evidence.note or "").strip() or None, "url": url}
    if evidence.data:
        sha, _ = store.save_raw(db, evidence.data)
        detail.update(sha256=sha, file_name=evidence.file_name or sha[:12], size_bytes=len(evidence.data))
    return _act(con, fingerprint, "rectify", actor=actor, reason=reason, detail=detail, at=at)


def extend(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    *,
    actor: str,
    deadline: date,
    reason: str,
    at: datetime | None = None,
) -> int:
    """延期: a new rectification deadline, with a reason."""
    if not (reason or "").strip():
        raise ReviewError("延期必须填写理由")
    return _act(con, fingerprint, "extend", actor=actor, reason=reason, detail={"deadline": deadline}, at=at)


def state(con: duckdb.DuckDBPyConnection, fingerprint: str) -> dict[str, Any] | None:
    """The finding's review state (finding_reviews row), or None if never reviewed."""
    cur = con.cursor()
    try:
        rel = cur.execute("select * from finding_reviews where fingerprint = ?", [fingerprint])
        cols = [d[0] for d in rel.description]
        found = rel.fetchall()
    finally:
        cur.close()
    return dict(zip(cols, found[0], strict=True)) if found else None
