"""The audit log appends events and reads them back, newest first."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import audit
from nianbao.store import connect


def test_audit_events_are_appended_and_read_newest_first(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    first = audit.record(con, actor="张三", action="upload", subject_kind="report", subject="abc")
    second = audit.record(
        con,
        actor="李四",
        action="delete",
        subject_kind="report",
        subject="abc",
        reason="重复上传",
        detail={"version": 2},
    )
    assert second > first
    got = audit.events(con, subject_kind="report", subject="abc")
    assert [e["action"] for e in got] == ["delete", "upload"]
    assert got[0]["reason"] == "重复上传" and got[0]["detail"] == {"version": 2}


def test_an_audit_event_needs_an_actor_and_a_known_subject_kind(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb")
    with pytest.raises(ValueError):
        audit.record(con, actor=" ", action="upload", subject_kind="report", subject="x")
    with pytest.raises(ValueError):
        audit.record(con, actor="a", action="upload", subject_kind="planet", subject="x")
