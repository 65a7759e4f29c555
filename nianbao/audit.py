"""The append-only audit log: who did what to which report, finding, round or user, when and why."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from typing import Any

import duckdb

SUBJECT_KINDS = ("report", "finding", "round", "user", "store", "source")


def cli_actor() -> str:
    """The actor name for a command-line call: cli:<os user>."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli:unknown"


def record(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    action: str,
    subject_kind: str,
    subject: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Append one event (in the caller's transaction, if one is open); returns its event id."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"unknown audit subject kind: {subject_kind}")
    if not actor.strip():
        raise ValueError("an audit event needs an actor")
    rows = con.execute(
        "insert into audit_log (occurred_at, actor, action, subject_kind, subject, reason, detail) "
        "values (?, ?, ?, ?, ?, ?, ?) returning event_id",
        [
            at or datetime.now(),
            actor,
            action,
            subject_kind,
            subject,
            reason,
            json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        ],
    ).fetchall()
    return int(rows[0][0])


def events(
    con: duckdb.DuckDBPyConnection,
    *,
    subject_kind: str | None = None,
    subject: str | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """The newest events first, optionally for one subject."""
    where, params = [], []
    if subject_kind:
        where.append("subject_kind = ?")
        params.append(subject_kind)
    if subject:
        where.append("subject = ?")
        params.append(subject)
    sql = "select * from audit_log" + (" where " + " and ".join(where) if where else "")
    cur = con.cursor()
    try:
        rel = cur.execute(sql + " order by event_id desc limit ?", [*params, limit])
        cols = [d[0] for d in rel.description]
        out = []
        for row in rel.fetchall():
            item = dict(zip(cols, row, strict=True))
            item["detail"] = json.loads(item["detail"]) if item["detail"] else {}
            out.append(item)
        return out
    finally:
        cur.close()
