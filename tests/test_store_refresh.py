"""Stored findings and scores: refreshed on ingest for the report and its dependants, equal to the live views."""

from __future__ import annotations

from pathlib import Path

import duckdb
from checkkit import make_report, open_store, put, rows, store

from nianbao import store as store_mod
from nianbao.store import CHECKS_KEY, connect, refresh

FINDING_KEY = "report_id, fingerprint, rule_id, severity, location, expected, actual, message"


def _same_as_live(con: duckdb.DuckDBPyConnection) -> None:
    stored = rows(con, f"select {FINDING_KEY} from report_findings where report_id is not null order by all")
    live = rows(con, f"select {FINDING_KEY} from live_findings where report_id is not null order by all")
    assert stored == live
    assert rows(con, "select * from report_scores order by report_id") == rows(
        con, "select * from live_scores order by report_id"
    )
    assert rows(con, "select count(*) from stale_reports") == [(0,)]


def _xy_pair() -> tuple:  # type: ignore[type-arg]
    prev = make_report("2019", 2019, unit="西宁市城中区民政局", published="2020-01-15")
    now = make_report("2019", 2020, unit="西宁市城中区民政局", published="2021-01-15")
    put(prev, "t3", "new", "natural", "2")
    put(prev, "t3", "new", "total", "2")
    put(prev, "t3", "carried_out", "natural", "2")
    put(prev, "t3", "carried_out", "total", "2")
    return prev, now  # now says 上年结转 0: XY-1 once the previous year is stored


def test_storing_last_year_afterwards_refreshes_this_years_findings(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    prev, now = _xy_pair()
    rid_now = store(con, db, now)
    assert rows(con, "select count(*) from report_findings where rule_id = 'XY-1'") == [(0,)]
    store(con, db, prev)
    assert rows(con, "select distinct report_id from report_findings where rule_id = 'XY-1'") == [(rid_now,)]
    _same_as_live(con)
    con.close()


def test_a_new_version_becomes_current_in_the_stored_scores(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    first = store(con, db, make_report())
    second = store(con, db, make_report())
    assert rows(con, "select report_id, is_current from report_scores order by is_current") == [
        (first, False),
        (second, True),
    ]
    _same_as_live(con)
    con.close()


def test_a_report_is_current_exactly_when_current_reports_holds_it(tmp_path: Path) -> None:
    # report_meta asks each report for a newer version of its own (unit, year); current_reports ranks
    # the whole store. Versions, a unit nobody can name (two unit-less reports, each its own), a report
    # without a year and two years of one unit must give the same answer both ways.
    con, db = open_store(tmp_path)
    for report in [
        make_report(),
        make_report(),
        make_report(),
        make_report(year=2021, version="2021"),
    ]:
        store(con, db, report)
    for _ in range(2):
        unnamed = make_report()
        unnamed.unit = None
        store(con, db, unnamed)
    no_year = make_report(unit="西宁市城东区民政局")
    no_year.year = None
    store(con, db, no_year)
    store(con, db, no_year)
    meta = rows(con, "select report_id, is_current from report_meta order by report_id")
    current = {r[0] for r in rows(con, "select report_id from current_reports")}
    assert meta == sorted((rid, rid in current) for rid, _ in meta)
    assert sum(is_current for _, is_current in meta) == 5  # 2020, 2021, two unit-less, one without a year
    con.close()


def test_a_bulk_load_without_refresh_is_caught_up_by_refresh(tmp_path: Path, seed_bytes: bytes) -> None:
    from nianbao.ingest import ingest_bytes

    con, db = open_store(tmp_path)
    for r in _xy_pair():
        store_mod.ingest_report(
            con, db, repr(r).encode(), r, file_name="x", media_type="text/plain", refresh=False
        )
    ingest_bytes(con, db, seed_bytes, "seed.txt", published="2021-03-20", refresh=False)
    assert rows(con, "select count(*) from report_scores") == [(0,)]
    assert refresh(con) == 3
    _same_as_live(con)
    assert refresh(con) == 0
    con.close()


def test_deleted_reports_leave_no_stored_findings(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report()
    put(r, "t3", "carried_out", "natural", "3")
    data = b"the same bytes"
    store_mod.ingest_report(con, db, data, r, file_name="x", media_type="text/plain")
    store_mod.clear_reports(con)
    assert rows(con, "select count(*) from report_findings where report_id is not null") == [(0,)]
    # the same bytes stored again, now with the identity fixed: computed afresh, not the old findings
    put(r, "t3", "carried_out", "natural", "0")
    store_mod.ingest_report(con, db, data, r, file_name="x", media_type="text/plain")
    assert rows(con, "select count(*) from report_findings where rule_id = 'OFF-1'") == [(0,)]
    _same_as_live(con)
    con.close()


def test_changed_checks_rebuild_everything_on_connect_and_refresh_all_on_demand(tmp_path: Path) -> None:
    from nianbao.cli import main

    con, db = open_store(tmp_path)
    for r in _xy_pair():
        store(con, db, r)
    con.execute("delete from score_store").fetchall()  # as if a rule had changed the scores
    con.execute("update store_meta set value = 'older checks' where key = ?", [CHECKS_KEY]).fetchall()
    con.close()
    con = connect(db)
    _same_as_live(con)
    assert rows(con, "select value from store_meta where key = ?", [CHECKS_KEY]) == [
        (store_mod.checks_version(),)
    ]
    con.close()
    assert main(["refresh", "--db", str(db), "--all"]) == 0
    con = duckdb.connect(str(db))
    _same_as_live(con)
    con.close()


def test_a_changed_setting_recomputes_the_stored_findings(tmp_path: Path) -> None:
    from nianbao.catalog import set_setting

    con, db = open_store(tmp_path)
    late = make_report(published="2021-05-01")  # a 人民政府 report due by 2021-03-31
    store(con, db, late)
    assert rows(con, "select count(*) from report_findings where rule_id = 'TIME-1'") == [(1,)]
    set_setting(con, "deadlines.government", "06-30")
    assert rows(con, "select count(*) from report_findings where rule_id = 'TIME-1'") == [(0,)]
    _same_as_live(con)
    con.close()
