"""Column freshness (网站监测): WEB-1 flags a stale column, WEB-2 the veto at 5, and neither touches a report's score."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from checkkit import make_report, open_store, rows, store

from nianbao.catalog import rules, set_setting

SEEN = datetime(2024, 6, 1, 9, 0)


def _observe(
    con: duckdb.DuckDBPyConnection,
    url: str,
    kind: str,
    days_old: int | None,
    *,
    run_id: int = 1,
    seen: datetime = SEEN,
    status: str = "ok",
    site: str = "www.xncz.gov.cn",
) -> None:
    newest = None if days_old is None else seen.date() - timedelta(days=days_old)
    con.execute(
        "insert into column_observations values (?, ?, '城中区人民政府', '城中区人民政府', '城中区', ?, ?, ?, ?, ?, 3, ?, null)",
        [run_id, seen, site, url, url.rsplit("/", 2)[-2], kind, newest, status],
    ).fetchall()


def _rule_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r for (r,) in rows(con, "select rule_id from website_findings order by rule_id")]


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """An empty store."""
    c, _db = open_store(tmp_path)
    return c


# (column type, days since the newest item, stale?) on each side of the DOMAIN §5.2 thresholds.
BOUNDARIES = [
    ("动态/要闻", 14, False),
    ("动态/要闻", 15, True),
    ("通知公告", 180, False),
    ("通知公告", 190, True),
    ("政策文件", 150, False),
    ("政策文件", 200, True),
]


@pytest.mark.parametrize(("kind", "days", "stale"), BOUNDARIES)
def test_web_1_fires_past_the_threshold_of_the_column_type_only(
    con: duckdb.DuckDBPyConnection, kind: str, days: int, stale: bool
) -> None:
    _observe(con, "https://www.xncz.gov.cn/col/", kind, days)
    assert _rule_ids(con) == (["WEB-1"] if stale else [])


def test_web_1_reads_the_latest_successful_observation(con: duckdb.DuckDBPyConnection) -> None:
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", 30, run_id=1, seen=SEEN - timedelta(days=20))
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", 2, run_id=2)  # updated since
    _observe(
        con,
        "https://www.xncz.gov.cn/zwdt/",
        "动态/要闻",
        None,
        run_id=3,
        seen=SEEN + timedelta(days=1),
        status="failed",
    )
    assert _rule_ids(con) == []


def test_a_column_without_any_dated_item_is_not_called_stale(con: duckdb.DuckDBPyConnection) -> None:
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", None)
    assert _rule_ids(con) == []


def test_web_2_is_the_veto_at_five_stale_columns_of_one_site(con: duckdb.DuckDBPyConnection) -> None:
    for i in range(4):
        _observe(con, f"https://www.xncz.gov.cn/c{i}/", "动态/要闻", 30)
    _observe(con, "https://other.xncz.gov.cn/c4/", "动态/要闻", 30, site="other.xncz.gov.cn")
    assert _rule_ids(con) == ["WEB-1"] * 5  # four on one site, one on another: no veto
    _observe(con, "https://www.xncz.gov.cn/c5/", "通知公告", 365)
    assert _rule_ids(con) == ["WEB-1"] * 6 + ["WEB-2"]
    verdicts = rows(con, "select site, stale_columns, vetoes, verdict from website_verdicts order by site")
    assert verdicts == [("other.xncz.gov.cn", 1, 0, "合格"), ("www.xncz.gov.cn", 5, 1, "不合格")]


def test_the_thresholds_are_configuration(con: duckdb.DuckDBPyConnection) -> None:
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", 20)
    assert _rule_ids(con) == ["WEB-1"]
    set_setting(con, "website.stale_days_dynamic", 30)
    assert _rule_ids(con) == []


def test_website_findings_never_change_a_report_score(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    rid = store(con, db, make_report(unit="西宁市城中区人民政府", published="2021-03-20"))
    before = rows(con, "select * from report_scores where report_id = ?", [rid])
    findings = rows(con, "select count(*) from findings")
    for i in range(6):
        _observe(con, f"https://www.xncz.gov.cn/c{i}/", "动态/要闻", 60)
    con.execute("update score_store set verdict = verdict").fetchall()
    assert "WEB-2" in _rule_ids(con)
    assert rows(con, "select * from report_scores where report_id = ?", [rid]) == before
    assert rows(con, "select * from live_scores where report_id = ?", [rid]) == before
    assert rows(con, "select count(*) from findings") == findings
    con.close()


def test_website_findings_keep_their_fingerprint_from_one_harvest_to_the_next(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", 30, run_id=1)
    first = rows(con, "select fingerprint from website_findings")
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", 37, run_id=2, seen=SEEN + timedelta(days=7))
    assert rows(con, "select fingerprint, days_stale from website_findings") == [(first[0][0], 37)]


def test_every_website_rule_has_a_case_here() -> None:
    covered = {"WEB-1", "WEB-2"}
    assert {r["rule_id"] for r in rules() if r["scope"] == "website"} == covered


def test_the_observation_date_not_today_decides(con: duckdb.DuckDBPyConnection) -> None:
    _observe(con, "https://www.xncz.gov.cn/zwdt/", "动态/要闻", 3, seen=datetime(2020, 1, 10))
    assert date.today() > date(2020, 2, 1) and _rule_ids(con) == []
