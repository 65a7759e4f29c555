"""Verdicts by the inspection logic, the city's scope, soft deletion and the one instant check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from checkkit import clone, make_report, open_store, put, rows, store

from nianbao import audit, instant
from nianbao.catalog import set_setting
from nianbao.cli import main
from nianbao.model import Report
from nianbao.store import DeletedReport, delete_report, ingest_report, raw_dir, refresh, undelete_report
from nianbao.verdicts import ranking, scorecard

DEPTS = ("民政局", "教育局", "财政局", "司法局")


def _clean(unit: str, year: int = 2021) -> Report:
    return make_report("2021" if year >= 2021 else "2019", year, unit=unit, published=f"{year + 1}-01-20")


def _vetoed(unit: str, year: int = 2021) -> Report:
    """A report with 2019 tables in a 2021 report: CS-12, a 否决."""
    return make_report("2019", year, unit=unit, published=f"{year + 1}-01-20")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """2021, judged on 2022-06-01: every district's government reports, and
    城东区: four clean departments (合格, 100 %);
    城西区: four clean departments but its own government report vetoed (不合格 by the government);
    城中区: one vetoed department of five units (合格率 80 %, so 合格 — the boundary);
    城北区: two of five departments never published 2021 (合格率 60 %: 不合格);
    湟中区 and 湟源县: equal scores and 合格率, one with a vetoed department, one with an unvetoed 不合格 one.
    """
    con, db = open_store(tmp_path_factory.mktemp("city"))
    set_setting(con, "timeliness.as_of", "2022-06-01")
    for d in ("城东区", "城中区", "城北区", "湟中区", "湟源县", "大通县"):
        store(con, db, _clean(f"西宁市{d}人民政府"))
    store(con, db, _vetoed("西宁市城西区人民政府"))
    for dept in DEPTS:
        store(con, db, _clean(f"城东区{dept}"))
        store(con, db, _clean(f"城西区{dept}"))
    for dept in DEPTS[1:]:
        store(con, db, _clean(f"城中区{dept}"))
    store(con, db, _vetoed(f"城中区{DEPTS[0]}"))
    for dept in DEPTS:
        store(con, db, _clean(f"城北区{dept}", 2020))
    for dept in DEPTS[2:]:
        store(con, db, _clean(f"城北区{dept}"))
    # 湟中区 vs 湟源县: each government 100 and one department at 0 points; 湟中区's by a veto,
    # 湟源县's by a late publication that this store makes cost every point (TIME-1, not a veto).
    store(con, db, _vetoed(f"湟中区{DEPTS[0]}"))
    late = _clean(f"湟源县{DEPTS[0]}")
    late.published = "2022-02-20"
    store(con, db, late)
    con.execute("update rules set deduction = 100, cap = 100 where rule_id = 'TIME-1'")
    refresh(con, everything=True)
    yield con, db
    con.close()


def test_a_vetoed_report_is_failed_and_counts_zero_with_its_score_before_the_veto(
    city: tuple[duckdb.DuckDBPyConnection, Path],
) -> None:
    con, _ = city
    vetoed = rows(
        con,
        "select verdict, score, score_before_veto from report_scores where vetoes > 0 and is_current",
    )
    assert len(vetoed) == 3  # 城西区人民政府, 城中区民政局, 湟中区民政局
    assert all(v == "不合格" and s == 0 and before > 0 for v, s, before in vetoed)
    (mean,) = rows(con, "select score from district_scorecards where district = '城中区' and year = 2021")[0]
    assert mean == 80.0  # (100 + 100 + 100 + 100 + 0) / 5: the vetoed department counts 0


def test_pass_rate_counts_a_due_report_never_published_as_failed(
    city: tuple[duckdb.DuckDBPyConnection, Path],
) -> None:
    con, _ = city
    card = scorecard(con, "城北区", 2021)
    assert (card["due"], card["published"], card["pass_rate"], card["vetoes"]) == (5, 3, 60.0, 2)
    assert card["verdict"] == "不合格" and "合格率 60% 低于 80%" in card["reason"]
    missing = [u for u in card["units"] if u["status"] == "逾期未发布"]
    assert len(missing) == 2 and all(u["verdict"] == "不合格" and u["score"] == 0 for u in missing)
    assert card["units"][0]["verdict"] == "不合格"  # worst first


def test_a_district_whose_own_government_report_fails_is_failed(
    city: tuple[duckdb.DuckDBPyConnection, Path],
) -> None:
    con, _ = city
    card = scorecard(con, "城西区", 2021)
    assert card["pass_rate"] == 80.0 and card["score"] == 80.0  # good enough on its own
    assert card["verdict"] == "不合格" and card["reason"] == "区县政府本级年报不合格"
    assert scorecard(con, "城中区", 2021)["verdict"] == "合格"  # 80 % is the minimum, not below it
    assert scorecard(con, "城东区", 2021)["verdict"] == "合格"


def test_a_district_with_a_vetoed_unit_never_outranks_an_equal_one_without(
    city: tuple[duckdb.DuckDBPyConnection, Path],
) -> None:
    con, _ = city
    board = {r["district"]: r for r in ranking(con, 2021)}
    a, b = board["湟中区"], board["湟源县"]
    assert (a["score"], a["pass_rate"]) == (b["score"], b["pass_rate"])
    assert (a["vetoes"], b["vetoes"]) == (1, 0)
    assert b["rank"] < a["rank"]


def test_the_ranking_breaks_ties_by_pass_rate_then_by_vetoes() -> None:
    con = duckdb.connect()
    con.execute(
        "create table district_scorecards as select * from (values"
        " ('A', 2021, 70.0, 50.0, 1), ('B', 2021, 70.0, 50.0, 0), ('C', 2021, 70.0, 75.0, 3),"
        " ('D', 2021, 71.0, 10.0, 9), ('E', 2021, 70.0, 50.0, 0))"
        " as t(district, year, score, pass_rate, vetoes)"
    )
    con.execute(
        "alter table district_scorecards add column verdict varchar; "
        "alter table district_scorecards add column completeness double; "
        "alter table district_scorecards add column consistency double; "
        "alter table district_scorecards add column units_due int; "
        "alter table district_scorecards add column units_published int; "
        "alter table district_scorecards add column units_passed int; "
        "alter table district_scorecards add column government_verdict varchar; "
        "alter table district_scorecards add column verdict_reason varchar"
    )
    from nianbao.store import QUERIES

    con.execute((QUERIES / "district_ranking.sql").read_text(encoding="utf-8"))
    got = dict(con.execute("select district, rank from district_ranking").fetchall())
    assert got == {"D": 1, "C": 2, "B": 3, "E": 3, "A": 5}


def test_one_row_per_district_and_year_even_when_the_units_file_flags_two_governments(
    tmp_path: Path,
) -> None:
    con, db = open_store(tmp_path)
    set_setting(con, "timeliness.as_of", "2022-06-01")
    store(con, db, _clean("西宁市城东区人民政府"))
    store(con, db, _vetoed("城东区民政局"))
    con.execute("update units set own_report = true where unit_id = '城东区民政局'")
    got = rows(con, "select count(*), count(distinct district || year) from district_scorecards")[0]
    assert got[0] == got[1] == 7
    assert rows(con, "select count(*) from district_ranking where year = 2021") == [(7,)]
    assert rows(
        con, "select government_verdict from district_scorecards where district = '城东区' and year = 2021"
    ) == [("不合格",)]
    con.close()


def _peer_store(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """Six towns of one district with small counts, plus last year's report of the checked town."""
    con, db = open_store(tmp_path)
    for i, town in enumerate(("多巴镇", "鲁沙尔镇", "上新庄镇", "田家寨镇", "共和镇", "甘河滩镇")):
        r = _clean(f"西宁市湟中区{town}")
        put(r, "t2", "licensing", "decisions", str(10 + 3 * i))
        store(con, db, r)
    last = _clean("西宁市湟中区李家山镇", 2020)
    put(last, "t3", "carried_out", "natural", "2")
    store(con, db, last)
    return con, db


def _checked() -> Report:
    r = _clean("西宁市湟中区李家山镇")
    put(r, "t2", "licensing", "decisions", "2910")  # far above its peers: PL-3
    put(r, "t3", "carried_out", "natural", "4")
    return r


def _key(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted((f["fingerprint"], f["rule_id"], f["location"], f["message"]) for f in findings)


def test_the_instant_check_gives_the_stored_checks_findings_peers_included(tmp_path: Path) -> None:
    con, db = _peer_store(tmp_path)
    report, data = _checked(), b"the same file"
    reports_before = rows(con, "select count(*) from reports")
    now = instant.check(con, data, clone(report), file_name="x.txt", media_type="text/plain")
    assert rows(con, "select count(*) from reports") == reports_before  # nothing written
    assert not (raw_dir(db) / now.report_id[:2] / now.report_id).exists()
    assert "PL-3" in {f["rule_id"] for f in now.findings}
    stored = ingest_report(con, db, data, clone(report), file_name="x.txt", media_type="text/plain")
    later = [
        dict(zip(("fingerprint", "rule_id", "location", "message"), r, strict=True))
        for r in rows(
            con,
            "select fingerprint, rule_id, location, message from report_findings where report_id = ?",
            [stored.report_id],
        )
    ]
    assert _key(now.findings) == _key(later)
    score = rows(
        con, "select score, verdict, deductions from report_scores where report_id = ?", [stored.report_id]
    )
    assert score == [(now.scores["score"], now.scores["verdict"], now.scores["deductions"])]
    assert now.version == stored.version
    con.close()


def test_the_instant_check_of_a_second_version_is_the_stored_second_version(tmp_path: Path) -> None:
    con, db = _peer_store(tmp_path)
    store(con, db, _checked())
    second = _checked()
    put(second, "t2", "licensing", "decisions", "12")
    now = instant.check(con, b"v2", clone(second), file_name="x.txt", media_type="text/plain")
    stored = ingest_report(con, db, b"v2", clone(second), file_name="x.txt", media_type="text/plain")
    got = rows(
        con,
        "select fingerprint, rule_id, location, message from report_findings where report_id = ?",
        [stored.report_id],
    )
    assert now.version == stored.version == 2
    assert _key(now.findings) == sorted(got)
    con.close()


def test_nianbao_check_with_a_store_writes_nothing(tmp_path: Path, seed_bytes: bytes) -> None:
    con, db = open_store(tmp_path)
    store(con, db, _clean("西宁市城东区人民政府"))
    con.close()
    f = tmp_path / "seed.txt"
    f.write_bytes(seed_bytes)
    main(["check", "--json", "--db", str(db), str(f)])
    con = duckdb.connect(str(db))
    assert rows(con, "select count(*) from reports") == [(1,)]
    con.close()


def _figures(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return rows(con, "select * from district_ranking order by all") + rows(
        con, "select count(*), count(distinct unit_id) from findings"
    )


def test_a_report_stored_outside_the_city_never_changes_the_citys_figures(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    set_setting(con, "timeliness.as_of", "2024-06-01")
    store(con, db, _clean("西宁市城东区人民政府"))
    before = _figures(con)
    far = _vetoed("上海市徐汇区民政局", 2023)  # a later year too: it must not open 2023 for the city
    sid = ingest_report(con, db, b"far away", far, file_name="f.txt", media_type="text/plain", outside=True)
    assert _figures(con) == before
    assert rows(con, "select scope from report_meta where report_id = ?", [sid.report_id]) == [("outside",)]
    assert rows(con, "select count(*) from units where unit_id like '%徐汇%'") == [(0,)]
    assert rows(con, "select count(*) from report_findings where report_id = ?", [sid.report_id])[0][0] > 0
    con.close()


def test_nianbao_ingest_refuses_a_unit_outside_the_city_unless_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_bytes: bytes
) -> None:
    f = tmp_path / "far.txt"
    f.write_bytes(seed_bytes.replace("湟中".encode(), "徐汇".encode()))
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), "--unit", "上海市徐汇区人民政府", str(f)]) == 2
    err = capsys.readouterr().err
    assert "非本市单位：仅检查，不入库" in err and len(err.strip().splitlines()) == 1
    if db.exists():  # refused before the store is opened: nothing stored
        con = duckdb.connect(str(db))
        assert rows(con, "select count(*) from reports") == [(0,)]
        con.close()
    assert main(["ingest", "--db", str(db), "--outside", "--unit", "上海市徐汇区人民政府", str(f)]) == 0
    con = duckdb.connect(str(db))
    assert rows(con, "select count(*) from outside_reports") == [(1,)]
    assert [e["action"] for e in audit.events(con, subject_kind="report")] == ["upload"]
    con.close()
    assert main(["check", "--unit", "上海市徐汇区人民政府", str(f)]) in (0, 1)  # checked, any unit


def test_a_deleted_version_is_hidden_restorable_and_logged(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    set_setting(con, "timeliness.as_of", "2022-06-01")
    first = store(con, db, _clean("西宁市城东区人民政府"))
    data = b"second version"
    second = ingest_report(
        con, db, data, _vetoed("西宁市城东区人民政府"), file_name="v2.txt", media_type="text/plain"
    ).report_id
    assert rows(con, "select report_id from current_reports where unit_id = '城东区人民政府'") == [(second,)]
    delete_report(con, second, actor="审核员", reason="上传错了")
    assert rows(con, "select report_id from current_reports where unit_id = '城东区人民政府'") == [(first,)]
    assert rows(con, "select count(*) from report_findings where report_id = ?", [second]) == [(0,)]
    assert rows(con, "select verdict from unit_scorecards where unit_id = '城东区人民政府'") == [("合格",)]
    assert (raw_dir(db) / second[:2] / second).is_file()
    with pytest.raises(DeletedReport):
        ingest_report(
            con, db, data, _vetoed("西宁市城东区人民政府"), file_name="v2.txt", media_type="text/plain"
        )
    third = ingest_report(
        con, db, b"third", _clean("西宁市城东区人民政府"), file_name="v3.txt", media_type="text/plain"
    )
    assert third.version == 3  # a deleted version keeps its number
    undelete_report(con, second, actor="审核员", reason="恢复")
    assert rows(con, "select count(*) from report_findings where report_id = ?", [second])[0][0] > 0
    events = [(e["action"], e["actor"], e["reason"]) for e in audit.events(con, subject=second)]
    assert events == [("restore", "审核员", "恢复"), ("delete", "审核员", "上传错了")]
    assert rows(con, "select count(*) from stale_reports") == [(0,)]
    con.close()


def test_nianbao_delete_and_undelete_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con, db = open_store(tmp_path)
    rid = store(con, db, _clean("西宁市城东区人民政府"))
    con.close()
    assert main(["delete", "--db", str(db), rid[:12], "--reason", "重复"]) == 0
    assert main(["delete", "--db", str(db), rid[:12]]) == 2  # gone already
    assert main(["undelete", "--db", str(db), rid[:12]]) == 0
    assert main(["undelete", "--db", str(db), "abc"]) == 2  # too short
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2


def test_nianbao_ranking_and_scorecard_json(
    city: tuple[duckdb.DuckDBPyConnection, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con, db = city
    con.execute("checkpoint")
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    assert main(["ranking", "--json", "--year", "2021", "--db", str(copy)]) == 0
    board = json.loads(capsys.readouterr().out)
    assert [set(r) for r in board] == [
        {"district", "rank", "score", "verdict", "pass_rate", "due", "published", "vetoes"}
    ] * 7
    assert board[0]["district"] == "城东区" and board[0]["pass_rate"] == 100.0
    assert main(["scorecard", "城北区", "--json", "--year", "2021", "--db", str(copy)]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["district"] == "城北区" and len(card["units"]) == 5
    assert set(card["units"][0]) == {"unit", "kind", "status", "score", "verdict", "vetoes"}
    assert main(["scorecard", "浦东新区", "--db", str(copy)]) == 2
    assert main(["ranking", "--year", "1999", "--db", str(copy)]) == 2
