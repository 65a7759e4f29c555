"""`nianbao reparse`: stored reports read again from their raw files; fingerprints that carry over."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from checkkit import make_report, rows, store

from nianbao import audit
from nianbao.cli import main
from nianbao.ingest import ingest_bytes
from nianbao.parser_version import PARSER_VERSION
from nianbao.reparse import reparse
from nianbao.store import connect, raw_dir


def _seed_store(db: Path, seed_bytes: bytes, **overrides: object) -> tuple[duckdb.DuckDBPyConnection, str]:
    con = connect(db)
    stored, _ = ingest_bytes(con, db, seed_bytes, "huangzhong_2020.txt", **overrides)  # type: ignore[arg-type]
    return con, stored.report_id


def _as_if_read_by_an_old_parser(con: duckdb.DuckDBPyConnection, rid: str) -> None:
    """The stored report looks like an older parser read it: old version, one cell misread."""
    con.execute("update reports set parser_version = '0.1.0' where report_id = ?", [rid])
    con.execute(
        "update cells set raw = '7', value = 7, state = 'number'"
        " where report_id = ? and tbl = 't3' and row_key = 'carried_out' and col_key = 'natural'",
        [rid],
    )
    con.execute("delete from score_store where report_id = ?", [rid])
    con.execute("delete from finding_store where report_id = ?", [rid])
    from nianbao.store import refresh

    refresh(con)


def test_reparse_restores_what_an_older_parser_read_and_logs_it(db_path: Path, seed_bytes: bytes) -> None:
    con, rid = _seed_store(db_path, seed_bytes, published="2021-03-20")
    good = rows(con, "select fingerprint, message from report_findings where report_id = ? order by 1", [rid])
    _as_if_read_by_an_old_parser(con, rid)
    broken = rows(
        con, "select fingerprint, message from report_findings where report_id = ? order by 1", [rid]
    )
    assert broken != good  # the misread cell breaks OFF-1
    out = reparse(con, db_path)
    assert [(r.report_id, r.old_version, r.new_version, r.cells_changed) for r in out.reports] == [
        (rid, "0.1.0", PARSER_VERSION, 1)
    ]
    cell = rows(
        con,
        "select raw from cells where report_id = ? and tbl = 't3' and row_key = 'carried_out' and col_key = 'natural'",
        [rid],
    )
    after = rows(
        con, "select fingerprint, message from report_findings where report_id = ? order by 1", [rid]
    )
    version = rows(con, "select parser_version from reports where report_id = ?", [rid])
    events = audit.events(con, subject_kind="report", subject=rid)
    con.close()
    assert cell != [("7",)]
    assert after == good
    assert version == [(PARSER_VERSION,)]
    logged = [e for e in events if e["action"] == "reparse"]
    assert len(logged) == 1
    assert logged[0]["detail"]["old_parser_version"] == "0.1.0"
    assert logged[0]["detail"]["new_parser_version"] == PARSER_VERSION
    assert logged[0]["detail"]["cells_changed"] == 1


def test_reparse_without_all_leaves_reports_read_by_todays_parser_alone(
    db_path: Path, seed_bytes: bytes
) -> None:
    con, rid = _seed_store(db_path, seed_bytes)
    assert reparse(con, db_path).reports == []
    everything = reparse(con, db_path, everything=True)
    events = [e for e in audit.events(con, subject_kind="report", subject=rid) if e["action"] == "reparse"]
    con.close()
    assert [(r.report_id, r.cells_changed) for r in everything.reports] == [(rid, 0)]
    assert len(events) == 1


def test_reparse_keeps_what_was_given_at_ingest(db_path: Path, seed_bytes: bytes) -> None:
    con, rid = _seed_store(db_path, seed_bytes, unit="西宁市湟源县人民政府", published="2021-03-25")
    reparse(con, db_path, everything=True)
    got = rows(
        con, "select unit_id, unit_name, cast(published as varchar) from reports where report_id = ?", [rid]
    )
    con.close()
    assert got == [("湟源县人民政府", "西宁市湟源县人民政府", "2021-03-25")]


def test_a_report_whose_raw_file_is_gone_is_left_as_it_was(db_path: Path, seed_bytes: bytes) -> None:
    con, rid = _seed_store(db_path, seed_bytes)
    con.execute("update reports set parser_version = '0.1.0'")
    before = rows(con, "select count(*) from cells where report_id = ?", [rid])
    con.close()
    (raw_dir(db_path) / rid[:2] / rid).unlink()
    con = connect(db_path)
    out = reparse(con, db_path)
    after = rows(con, "select count(*) from cells where report_id = ?", [rid])
    version = rows(con, "select parser_version from reports")
    con.close()
    assert [r.error is not None for r in out.reports] == [True]
    assert after == before and version == [("0.1.0",)]


def test_the_reparse_command_reports_each_document_and_fails_cleanly_without_a_store(
    db_path: Path, seed_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reparse", "--db", str(db_path)]) == 2
    assert "尚无数据库" in capsys.readouterr().err
    con, rid = _seed_store(db_path, seed_bytes)
    con.execute("update reports set parser_version = '0.1.0'")
    con.close()
    assert main(["reparse", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"{rid[:12]}: parser 0.1.0 → {PARSER_VERSION}, 0 cell(s) changed" in out
    assert main(["reparse", "--db", str(db_path)]) == 0
    assert "0 report(s) reparsed" in capsys.readouterr().out


def _fingerprints(con: duckdb.DuckDBPyConnection, rid: str) -> dict[str, str]:
    return {
        str(r[1]): str(r[0])
        for r in rows(
            con, "select fingerprint, rule_id || location from report_findings where report_id = ?", [rid]
        )
    }


def test_fingerprints_carry_over_across_a_reparse(db_path: Path, seed_bytes: bytes) -> None:
    con, rid = _seed_store(db_path, seed_bytes)
    before = _fingerprints(con, rid)
    reparse(con, db_path, everything=True)
    after = _fingerprints(con, rid)
    con.close()
    assert before and after == before


def test_fingerprints_carry_over_to_the_next_version_of_the_same_report(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    con = connect(db)
    first, second = make_report(published="2021-04-02"), make_report(published="2021-04-02")
    second.sections[0].text += "（修订）"  # another document of the same unit and year
    ids = [store(con, db, r) for r in (first, second)]
    versions = rows(con, "select version from reports order by version")
    prints = [_fingerprints(con, rid) for rid in ids]
    con.close()
    assert versions == [(1,), (2,)]
    assert "TIME-1发布时间" in prints[0]
    assert prints[0] == prints[1]


def test_a_report_without_a_unit_is_fingerprinted_by_its_title_not_its_id(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    con = connect(db)
    reports = [make_report(published="2021-04-02") for _ in range(2)]
    for r in reports:
        r.unit = None
        r.title = "某单位2020年政府信息公开工作年度报告"
    ids = [store(con, db, r) for r in reports]
    prints = [_fingerprints(con, rid) for rid in ids]
    con.close()
    assert ids[0] != ids[1]
    assert prints[0] and prints[0] == prints[1]


def test_the_parser_version_is_stored_with_each_report(db_path: Path, seed_bytes: bytes) -> None:
    con, rid = _seed_store(db_path, seed_bytes)
    got = rows(con, "select parser_version from reports where report_id = ?", [rid])
    con.close()
    assert got == [(PARSER_VERSION,)]
    assert json.dumps(PARSER_VERSION).startswith('"2+')
