"""The stored scorecards: read when they fit the store as it is, computed live when anything moved."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest
from checkkit import make_report, open_store, rows, store

from nianbao import store as store_mod
from nianbao import verdicts

UNITS = ("西宁市城中区人民政府", "城中区民政局", "城中区教育局", "西宁市城西区人民政府", "城西区财政局")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five units, 2021 and 2022 reports, one 2022 report missing, judged on 2023-06-01."""
    con, db = open_store(tmp_path_factory.mktemp("city"))
    for year in (2021, 2022):
        for unit in UNITS:
            if (unit, year) != ("城中区教育局", 2022):
                store(con, db, make_report("2021", year, unit=unit, published=f"{year + 1}-01-20"))
    con.close()
    _raw(db, "insert or replace into settings values ('timeliness.as_of', '2023-06-01', null)")
    return db


@pytest.fixture
def city(built: Path, tmp_path: Path) -> Path:
    """A copy of the built store for one test to change."""
    db = tmp_path / "store.duckdb"
    shutil.copy(built, db)
    return db


@contextmanager
def _reader(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A plain read-only connection: the views compute the scorecards live (the variable unset)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _live(db: Path) -> list[tuple[Any, ...]]:
    """unit_scorecards as the views compute it from the store."""
    with _reader(db) as con:
        return rows(con, "select * from unit_scorecards order by all")


def _read(db: Path) -> list[tuple[Any, ...]]:
    """unit_scorecards as the dashboard reads it."""
    with store_mod.reading(db) as cur:
        return rows(cur, "select * from unit_scorecards order by all")


def _column(db: Path, name: str) -> dict[tuple[str, int], Any]:
    """One column of unit_scorecards as the dashboard reads it, by (unit, year)."""
    with store_mod.reading(db) as cur:
        found = rows(cur, f"select unit_id, year, {name} from unit_scorecards")
    return {(u, y): v for u, y, v in found}


def _raw(db: Path, sql: str, params: list[Any] | None = None) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _raw_rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with _reader(db) as con:
        return rows(con, sql)


def _fresh(db: Path) -> bool:
    with _reader(db) as con:
        return store_mod.scorecards_fresh(con)


def test_the_stored_scorecards_are_what_the_views_compute(city: Path) -> None:
    assert _fresh(city)
    read = _read(city)
    assert read == _live(city)
    statuses = _column(city, "status")
    assert len([k for k in statuses if k[0].startswith(("城中区民", "城中区教", "城西区财"))]) == 6
    assert statuses[("城中区教育局", 2022)] == "逾期未发布"
    assert statuses[("城中区教育局", 2021)] == "已发布"


def test_a_read_only_read_takes_the_stored_table(city: Path) -> None:
    # Changed behind the refresh's back, with nothing it was built from changed: only a read of
    # the table itself can show the changed score.
    _raw(city, "update scorecard_store set score = 12.5 where unit_id = '城中区民政局' and year = 2022")
    assert _fresh(city)
    assert _column(city, "score")[("城中区民政局", 2022)] == 12.5
    assert 12.5 not in {r for row in _live(city) for r in row}


def test_a_read_during_a_write_computes_live(city: Path) -> None:
    _raw(city, "update scorecard_store set score = 12.5 where unit_id = '城中区民政局' and year = 2022")
    with store_mod.writing(city), store_mod.reading(city) as cur:
        assert 12.5 not in {r[0] for r in rows(cur, "select score from unit_scorecards")}


# Each input of scorecard_rows changed without a refresh: the stamp no longer fits, so the reads
# compute live (and show the change).
CHANGES: dict[str, Callable[[Path], None]] = {
    "a unit's district": lambda db: _raw(
        db, "update units set district = '城北区' where unit_id = '城中区民政局'"
    ),
    "a unit gone": lambda db: _raw(db, "delete from units where unit_id = '城西区财政局'"),
    "a report's year": lambda db: _raw(
        db, "update reports set year = 2020 where unit_id = '城中区民政局' and year = 2022"
    ),
    "a deadline": lambda db: _raw(db, "update settings set text = '05-31' where key like 'deadlines.%'"),
    "the year's reports stored outside the city": lambda db: _raw(
        db,
        "insert into outside_reports select report_id, 'outside', now() from reports where year = 2022",
    ),
    "a score": lambda db: _raw(
        db, "update score_store set score = 7, verdict = '不合格' where unit_id = '城中区民政局'"
    ),
    "a unit kind's label": lambda db: _raw(db, "update unit_kinds set label = label || '（改）'"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_the_refresh_did_not_see_is_read_live(city: Path, change: str) -> None:
    before = _read(city)
    CHANGES[change](city)
    assert not _fresh(city)
    assert _read(city) == _live(city)
    if change != "a unit kind's label":  # not shown in the scorecards: the stamp still notices it
        assert _read(city) != before


def test_a_refresh_brings_the_table_back_to_the_store(city: Path) -> None:
    CHANGES["a unit's district"](city)
    CHANGES["a score"](city)
    con = store_mod.connect(city)
    try:
        store_mod.refresh(con)
    finally:
        con.close()
    assert _fresh(city)
    assert _read(city) == _live(city)
    assert {d for (u, _), d in _column(city, "district").items() if u == "城中区民政局"} == {"城北区"}


def test_the_day_is_applied_on_every_read_not_stored(city: Path) -> None:
    # The as-of day moves (a round closing on its date, or the calendar): the table still fits.
    _raw(city, "update settings set text = '2023-01-05' where key = 'timeliness.as_of'")
    assert _fresh(city)
    statuses = _column(city, "status")
    assert statuses[("城中区教育局", 2022)] == "未到期"
    assert _read(city) == _live(city)


def test_an_ingest_keeps_the_table_fitting_the_store(city: Path) -> None:
    con = store_mod.connect(city)
    try:
        store(con, city, make_report("2021", 2022, unit="城中区教育局", published="2023-01-21"))
    finally:
        con.close()
    assert _fresh(city)
    statuses = _column(city, "status")
    assert statuses[("城中区教育局", 2022)] == "已发布"
    assert _read(city) == _live(city)


def _scans(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, set[str]]:
    """The columns each table scan of a query's plan reads, by table."""
    plan = json.loads(con.execute("explain (format json) " + sql).fetchall()[0][1])
    found: dict[str, set[str]] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            info = node.get("extra_info", {})
            if isinstance(info, dict) and "Table" in info:
                cols = info.get("Projections", [])
                cols = [cols] if isinstance(cols, str) else cols
                found.setdefault(str(info["Table"]).split(".")[-1], set()).update(c for c in cols if c)
            walk(node.get("children", []))

    walk(plan if isinstance(plan, list) else [plan])
    return found


def test_the_fingerprint_reads_every_column_the_scorecards_are_computed_from(city: Path) -> None:
    with _reader(city) as con:
        computed = _scans(con, "select * from scorecard_rows")
        stamped = _scans(con, "select * from scorecard_inputs")
    assert {"reports", "units", "settings", "score_store"} <= set(computed)  # the walk sees the scans
    uncovered = {
        t: cols - stamped.get(t, set()) for t, cols in computed.items() if cols - stamped.get(t, set())
    }
    assert uncovered == {}


def test_the_computed_rows_have_the_tables_columns_in_its_order(city: Path) -> None:
    # The refresh compares a stored row with a computed one as a whole (queries/refresh_scorecards.sql).
    with _reader(city) as con:
        computed = rows(con, "select column_name, column_type from (describe scorecard_rows)")
        stored = rows(con, "select column_name, column_type from (describe scorecard_store)")
    assert computed == stored


def test_a_refresh_adds_the_new_rows_drops_the_gone_and_keeps_the_rest(city: Path) -> None:
    before = dict(
        ((u, y), s) for u, y, s in _raw_rows(city, "select unit_id, year, score from scorecard_store")
    )
    con = store_mod.connect(city)
    try:
        store(con, city, make_report("2021", 2022, unit="城中区教育局", published="2023-01-21"))
        con.execute("delete from units where unit_id = '城西区财政局'").fetchall()
        store_mod.refresh(con)
    finally:
        con.close()
    after = dict(
        ((u, y), s) for u, y, s in _raw_rows(city, "select unit_id, year, score from scorecard_store")
    )
    assert after[("城中区教育局", 2022)] is not None and before[("城中区教育局", 2022)] is None
    assert ("城西区财政局", 2022) in before and ("城西区财政局", 2022) not in after
    assert {k: v for k, v in after.items() if k[0] not in ("城中区教育局",)} == {
        k: v for k, v in before.items() if k[0] not in ("城中区教育局", "城西区财政局")
    }
    assert _fresh(city) and _read(city) == _live(city)


def test_a_read_only_connection_and_its_cursors_take_the_stored_table(city: Path) -> None:
    # What `nianbao scorecard` reads: store.connect read-only, a cursor per query (verdicts._rows).
    _raw(city, "update scorecard_store set score = 12.5 where unit_id = '城中区民政局' and year = 2022")
    con = store_mod.connect(city, read_only=True)
    try:
        card = verdicts.scorecard(con, "城中区", 2022)
    finally:
        con.close()
    assert 12.5 in [u["score"] for u in card["units"]]
