"""Numbers are data, never a crash: absurd values become text with a note, and no view can overflow."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from checkkit import fact, make_report, open_store, put, rows, store

from nianbao import store as store_mod
from nianbao.ingest import parse_bytes
from nianbao.recognize.sanity import NOTE_CODE, tame_numbers
from nianbao.store import connect, view_names

# 39 digits (past HUGEINT), 500 digits and 1e400 (inf as a double), 3,000,000,000 (past INTEGER).
EXTREMES = (
    float("9" * 39),
    float("9" * 500),
    float("1e400"),
    -float("1e400"),
    float("nan"),
    3_000_000_000.0,
    -3_000_000_000.0,
    1e300,
)
RAWS = ("9" * 39, "9" * 500, "1e400", "-1e400", "nan", "3000000000", "-3000000000", "1e300")


def test_a_39_digit_cell_is_stored_as_text_with_a_note() -> None:
    r = make_report()
    put(r, "t3", "new", "natural", "9" * 39, float("9" * 39), "number")
    tame_numbers(r)
    cell = r.cell("t3", "new", "natural")
    assert cell is not None and cell.state == "text" and cell.value is None and cell.raw == "9" * 39
    assert [n.code for n in r.notes] == [NOTE_CODE]
    assert r.notes[0].table == "t3" and r.notes[0].row == "new"


def test_a_sane_number_just_below_the_cap_is_still_a_number() -> None:
    r = make_report()
    put(r, "t3", "new", "natural", "999999999999999", 999999999999999.0, "number")
    tame_numbers(r)
    cell = r.cell("t3", "new", "natural")
    assert cell is not None and cell.state == "number" and r.notes == []


def test_absurd_precision_and_non_finite_values_become_text(monkeypatch: pytest.MonkeyPatch) -> None:
    r = make_report()
    put(r, "t2", "procurement", "proc_amount", "1.1234567890123", 1.1234567890123, "number")
    put(r, "t3", "new", "legal", "inf", math.inf, "number")
    tame_numbers(r)
    assert {c.state for c in r.cells if c.raw in ("1.1234567890123", "inf")} == {"text"}
    assert len(r.notes) == 2
    monkeypatch.setenv("NIANBAO_NUMBERS_MAX_DECIMALS", "20")  # the cap is configurable
    r = make_report()
    put(r, "t2", "procurement", "proc_amount", "1.1234567890123", 1.1234567890123, "number")
    assert tame_numbers(r).notes == []


def test_a_huge_narrative_number_is_not_a_fact_but_a_note() -> None:
    r = make_report()
    fact(r, "overview", "proactive_published", "发布信息", float("9" * 500))
    fact(r, "overview", "proactive_published", "发布信息", 12.0)
    tame_numbers(r)
    assert [f.value for f in r.facts] == [12.0]
    assert [n.code for n in r.notes] == [NOTE_CODE]


def test_taming_twice_adds_no_second_note() -> None:
    r = make_report()
    put(r, "t3", "new", "natural", "9" * 39, float("9" * 39), "number")
    tame_numbers(tame_numbers(r))
    assert len(r.notes) == 1


def test_parsing_a_report_with_a_500_digit_cell_keeps_the_text(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    parsed = parse_bytes(text.replace("\u3000531\n", "\u3000" + "9" * 500 + "\n", 1).encode(), "seed.txt")
    states = [c.state for c in parsed.report.cells if c.raw == "9" * 500]
    assert states == ["text"]
    assert NOTE_CODE in {n.code for n in parsed.report.notes}


def test_an_absurd_report_year_is_dropped_before_it_reaches_the_store(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    r = make_report()
    r.year = 99_999_999_999
    rid = store(con, db, r)
    assert rows(con, "select year from reports where report_id = ?", [rid]) == [(None,)]
    con.close()


def _fill_with_extremes(con: duckdb.DuckDBPyConnection) -> None:
    """Write the extremes straight into the stored cells and facts (as an older build could have)."""
    cells = rows(con, "select report_id, tbl, row_key, col_key from cells order by all")
    for i, (rid, tbl, row, col) in enumerate(cells):
        con.execute(
            "update cells set value = ?, raw = ?, state = 'number' where report_id = ? and tbl = ? and row_key = ? and col_key = ?",
            [EXTREMES[i % len(EXTREMES)], RAWS[i % len(RAWS)], rid, tbl, row, col],
        )
    facts = rows(con, "select report_id, seq from facts order by all")
    for i, (rid, seq) in enumerate(facts):
        con.execute(
            "update facts set value = ? where report_id = ? and seq = ?",
            [EXTREMES[i % len(EXTREMES)], rid, seq],
        )


def test_every_view_survives_the_extremes_in_cells_and_facts(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    unit = "西宁市城西区人民政府"
    for year, version in ((2020, "2019"), (2021, "2019"), (2022, "2021"), (2023, "2021")):
        r = make_report(version, year, unit=unit, published=f"{year + 1}-03-01")
        fact(r, "overview", "applications_received", "收到申请", 3.0)
        fact(r, "requests", "applications_received", "共收到申请", 4.0, position=2, role="total")
        store(con, db, r)
    _fill_with_extremes(con)
    assert rows(con, "select count(*) from cells where value = 3000000000") != [(0,)]
    for view in view_names():
        con.execute(f"select * from {view}").fetchall()  # raised ConversionException before
    store_mod.refresh(con, everything=True)  # every rule, into finding_store and score_store
    assert rows(con, "select count(*) from score_store") == [(4,)]
    con.close()


def test_pl_2_describes_a_jump_to_three_billion_without_overflow(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    unit = "西宁市城西区人民政府"
    last = make_report(unit=unit, year=2019, published="2020-03-01")
    put(last, "t2", "licensing", "prev_items", "100")
    store(con, db, last)
    this = make_report(unit=unit, year=2020)
    put(this, "t2", "licensing", "prev_items", "3000000000")
    rid = store(con, db, this)
    found = rows(
        con, "select actual, detail from report_findings where report_id = ? and rule_id = 'PL-2'", [rid]
    )
    assert ("3000000000", "是上年的 30000000 倍") in found
    con.close()


def test_a_store_holding_a_bad_report_from_an_older_build_still_opens(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    store(con, db, make_report())
    _fill_with_extremes(con)
    con.execute("delete from score_store").fetchall()  # stale: the next open rechecks it
    con.close()
    again = connect(db)
    try:
        assert rows(again, "select count(*) from score_store") == [(1,)]
        assert rows(again, "select count(*) from stale_reports") == [(0,)]
    finally:
        again.close()


def test_a_scoring_failure_rolls_back_the_whole_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con, db = open_store(tmp_path)
    kept = store(con, db, make_report())

    def broken(con: duckdb.DuckDBPyConnection, everything: bool = False) -> None:
        raise duckdb.ConversionException("scoring failed")

    monkeypatch.setattr(store_mod, "_refresh", broken)
    with pytest.raises(duckdb.ConversionException, match="scoring failed"):
        store(con, db, make_report(unit="西宁市城东区人民政府"))
    for table in ("reports", "documents", "cells", "facts", "sections", "score_store"):
        ids = {
            r[0]
            for r in rows(
                con, f"select distinct {'sha256' if table == 'documents' else 'report_id'} from {table}"
            )
        }
        assert ids <= {kept}, table
    assert rows(con, "select count(*) from units where unit_id = '城东区人民政府' and name <> unit_id") == [
        (0,)
    ]
    con.close()


def test_a_failed_commit_reports_its_own_error_not_no_transaction_is_active() -> None:
    con = duckdb.connect()
    con.execute("create table t (k integer primary key)")
    other = con.cursor()
    with pytest.raises(duckdb.Error) as caught, store_mod.transaction(con):
        con.execute("insert into t values (1)")
        other.execute("insert into t values (1)")  # commits first: ours conflicts at commit
    assert "no transaction is active" not in str(caught.value)
    assert rows(con, "select count(*) from t") == [(1,)]
