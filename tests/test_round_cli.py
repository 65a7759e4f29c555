"""`nianbao round close|list|show`, `nianbao review` and `nianbao bulletin` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkkit import open_store, rows, store
from test_rounds import B_ID, R8, R9, A, B, _broken, _vetoed

from nianbao.cli import main

KEYS = {
    "round",
    "closed_on",
    "report_year",
    "units_due",
    "pass_rate",
    "new",
    "open",
    "rectified",
    "overdue",
    "not_applicable",
    "escalated",
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    con, path = open_store(tmp_path)
    store(con, path, _vetoed(A))
    store(con, path, _broken(B))
    con.close()
    return path


def test_close_list_and_show_print_the_rounds(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["round", "close", "--on", "2026-04-15", "--db", str(db)]) == 0
    assert "round 8 (revision 1) closed: 2026-04-13" in capsys.readouterr().out
    assert main(["round", "close", "--on", str(R8), "--db", str(db)]) == 0
    assert "already closed" in capsys.readouterr().out
    assert main(["round", "close", "--on", str(R9), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["round", "list", "--json", "--db", str(db)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["round"] for r in listed] == [8, 9] and all(set(r) == KEYS for r in listed)
    assert 0 <= listed[0]["pass_rate"] <= 100 and listed[0]["new"] == listed[0]["open"] > 0
    assert main(["round", "show", "9", "--json", "--db", str(db)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {f["status"] for f in shown["findings"]} == {"仍未整改"}
    assert len(shown["units"]) == listed[1]["units_due"]


def test_review_by_fingerprint_prefix_and_its_errors(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    con = duckdb.connect(str(db))
    fp = rows(con, "select fingerprint from findings where unit_id = ? and rule_id = 'OFF-1'", [B_ID])[0][0]
    con.close()
    assert main(["review", "dismiss", fp[:12], "--db", str(db)]) == 2
    assert "驳回必须填写理由" in capsys.readouterr().err
    assert main(["review", "dismiss", fp[:12], "--reason", "误报", "--actor", "王五", "--db", str(db)]) == 0
    assert main(["review", "extend", fp[:12], "--reason", "延期", "--db", str(db)]) == 2
    assert main(["review", "confirm", "ffffffffffff0", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "--deadline" in err and "no finding" in err and "Traceback" not in err


def test_bulletin_and_round_errors_are_one_line_with_exit_2(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bulletin", "--out", str(tmp_path / "x.docx"), "--db", str(db)]) == 2
    assert main(["round", "show", "3", "--db", str(db)]) == 2
    assert main(["round", "close", "--on", "2025-01-01", "--db", str(db)]) == 2
    assert main(["bulletin", "--out", str(tmp_path / "x.txt"), "--db", str(db)]) == 2
    assert main(["round", "list", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 5 and all(line.startswith("nianbao: ") for line in err)
    assert main(["round", "close", "--on", str(R8), "--db", str(db)]) == 0
    assert main(["bulletin", "--out", str(tmp_path / "x.docx"), "--db", str(db)]) == 0
    assert (tmp_path / "x.docx").read_bytes()[:2] == b"PK"
