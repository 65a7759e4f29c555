"""Inspection rounds: snapshots, finding and unit states across rounds, deadlines, review actions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from checkkit import clone, make_report, open_store, put, rows, store

from nianbao import review, rounds
from nianbao.audit import events
from nianbao.workdays import Calendar

R8, R9, R10, R11 = date(2026, 4, 13), date(2026, 4, 27), date(2026, 5, 11), date(2026, 5, 25)
A = "西宁市城中区人民政府"
B = "西宁市城西区人民政府"
A_ID, B_ID = "城中区人民政府", "城西区人民政府"  # their canonical unit ids


def _vetoed(unit: str) -> object:
    """A 2025 report without Table 3: a veto (TBL-1), so 不合格."""
    r = make_report("2021", 2025, unit=unit, published="2026-03-01")
    r.cells = [c for c in r.cells if c.table != "t3"]
    r.tables_found = ["t2", "t4"]
    return r


def _broken(unit: str) -> object:
    """A 2025 report with one broken Table 3 identity: an error, still 合格."""
    r = make_report("2021", 2025, unit=unit, published="2026-03-01")
    put(r, "t3", "carried_out", "natural", "3")
    return r


@pytest.fixture
def shop(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A store with a vetoed unit A and a slightly broken unit B for report year 2025."""
    con, db = open_store(tmp_path)
    store(con, db, _vetoed(A))
    store(con, db, _broken(B))
    return con, db


def _unit(con: duckdb.DuckDBPyConnection, k: int, unit: str) -> dict[str, object]:
    view = rounds.show_round(con, k)
    return next(u for u in view.units if u["unit_id"] == unit)


def _statuses(con: duckdb.DuckDBPyConnection, k: int, unit: str) -> dict[str, str]:
    view = rounds.show_round(con, k)
    return {f["rule_id"]: f["status"] for f in view.findings if f["unit_id"] == unit}


def test_a_round_covers_the_latest_report_year_whose_deadline_passed(shop: tuple) -> None:
    con, _ = shop
    cfg = rounds.load_config()
    assert rounds.covered_year(con, date(2026, 3, 31), cfg) == 2024
    assert rounds.covered_year(con, date(2026, 4, 1), cfg) == 2025
    closed = rounds.close_round(con, date(2026, 4, 14), actor="t")
    assert (closed.round, closed.closed_on, closed.report_year) == (8, R8, 2025)


def test_a_named_veto_fixed_by_a_reuploaded_report_is_rectified_and_the_unit_back_to_pass(
    shop: tuple,
) -> None:
    con, db = shop
    rounds.close_round(con, R8, actor="t")
    assert _statuses(con, 8, A_ID)["TBL-1"] == "新发现"
    assert _unit(con, 8, A_ID)["unit_status"] == "新不合格"
    store(con, db, make_report("2021", 2025, unit=A, published="2026-03-01"))  # the fixed version
    rounds.close_round(con, R9, actor="t")
    assert _statuses(con, 9, A_ID) == {"TBL-1": "已整改"}
    assert _unit(con, 9, A_ID)["unit_status"] == "恢复合格"
    found = rows(con, "select how from round_findings where round = 9 and unit_id = ?", [A_ID])
    assert found == [("new_version",)]


def test_a_finding_left_open_goes_overdue_and_a_unit_failing_three_rounds_is_escalated(shop: tuple) -> None:
    con, _ = shop
    for day in (R8, R9, R10):
        rounds.close_round(con, day, actor="t")
    assert _statuses(con, 8, B_ID)["OFF-1"] == "新发现"
    assert _statuses(con, 9, B_ID)["OFF-1"] == "仍未整改"  # its deadline is R9 itself
    assert _statuses(con, 10, B_ID)["OFF-1"] == "逾期未整改"
    assert [_unit(con, k, A_ID)["unit_status"] for k in (8, 9, 10)] == [
        "新不合格",
        "仍不合格",
        "连续N期不合格",
    ]
    assert [_unit(con, k, A_ID)["escalated"] for k in (8, 9, 10)] == [False, False, True]
    listed = {r["round"]: r for r in map(rounds.summary_json, rounds.list_rounds(con))}
    assert listed[10]["overdue"] >= 1 and listed[10]["escalated"] >= 1
    assert listed[8]["pass_rate"] == pytest.approx(
        100 * sum(u["verdict"] == "合格" for u in rounds.show_round(con, 8).units) / listed[8]["units_due"],
        abs=0.1,
    )


def test_a_finding_that_vanishes_from_an_unchanged_report_is_not_applicable_never_rectified(
    shop: tuple,
) -> None:
    con, _ = shop
    rounds.close_round(con, R8, actor="t")
    # A rule change (here: the finding removed from the store as a recheck would) leaves the report unchanged.
    con.execute("delete from finding_store where unit_id = ? and rule_id = 'OFF-1'", [B_ID]).fetchall()
    rounds.close_round(con, R9, actor="t")
    assert _statuses(con, 9, B_ID).get("OFF-1") == "不再适用"
    assert rounds.summary_json(rounds.list_rounds(con)[-1])["rectified"] == 0


def test_closing_a_closed_round_returns_the_stored_snapshot_and_recompute_adds_a_logged_revision(
    shop: tuple,
) -> None:
    con, db = shop
    first = rounds.close_round(con, R8, actor="t")
    before = rows(con, "select * from round_findings order by fingerprint")
    store(con, db, make_report("2021", 2025, unit=A, published="2026-03-01"))
    again = rounds.close_round(con, R8, actor="t")
    assert (again.created, again.revision) == (False, 1) and first.created
    assert rows(con, "select * from round_findings order by fingerprint") == before
    redo = rounds.close_round(con, R8, actor="t", recompute=True)
    assert redo.revision == 2
    assert rows(con, "select count(*) from round_findings where revision = 1") == [(len(before),)]
    assert [e["action"] for e in events(con, subject_kind="round")] == ["round_recompute", "round_close"]
    assert rounds.show_round(con, 8).summary["revision"] == 2


def test_an_earlier_round_cannot_be_closed_after_a_later_one(shop: tuple) -> None:
    con, _ = shop
    rounds.close_round(con, R9, actor="t")
    with pytest.raises(rounds.RoundError):
        rounds.close_round(con, R8, actor="t")


def test_a_dismissed_finding_stops_counting_and_the_round_reports_it_once(shop: tuple) -> None:
    con, _ = shop
    fp = rows(con, "select fingerprint from findings where unit_id = ? and rule_id = 'OFF-1'", [B_ID])[0][0]
    score_before = rows(con, "select score from report_scores where unit_id = ? and is_current", [B_ID])[0][0]
    rounds.close_round(con, R8, actor="t", at=datetime(2026, 4, 13, 17))
    review.dismiss(con, fp, actor="张三", reason="表三该项为跨年结转，实际平衡", at=datetime(2026, 4, 20, 9))
    score_after = rows(con, "select score from report_scores where unit_id = ? and is_current", [B_ID])[0][0]
    assert score_after > score_before
    rounds.close_round(con, R9, actor="t", at=datetime(2026, 4, 27, 17))
    rounds.close_round(con, R10, actor="t", at=datetime(2026, 5, 11, 17))
    assert _statuses(con, 9, B_ID)["OFF-1"] == "已驳回"
    assert "OFF-1" not in _statuses(con, 10, B_ID)
    assert _unit(con, 10, B_ID)["dismissed"] == 1
    with pytest.raises(review.ReviewError):
        review.dismiss(con, fp, actor="张三", reason=" ")


def test_review_actions_survive_reingest_and_reparse_of_the_same_report(shop: tuple) -> None:
    con, db = shop
    fp = rows(con, "select fingerprint from findings where unit_id = ? and rule_id = 'OFF-1'", [B_ID])[0][0]
    errors_before = rows(con, "select errors from report_scores where unit_id = ? and is_current", [B_ID])[0][
        0
    ]
    review.dismiss(con, fp, actor="张三", reason="误报")
    review.extend(con, fp, actor="张三", deadline=date(2026, 6, 1), reason="节假日")
    store(con, db, clone(_broken(B)))  # the same report stored again as a new version
    from nianbao.store import refresh

    refresh(con, everything=True)  # a recheck of every report, as after a parser or rule change
    assert rows(con, "select count(*) from findings where fingerprint = ?", [fp]) == [(1,)]
    state = review.state(con, fp)
    assert (
        state is not None
        and state["decision"] == "dismiss"
        and state["extended_deadline"] == date(2026, 6, 1)
    )
    assert [e["action"] for e in events(con, subject=fp)] == ["extend", "dismiss"]
    errors_after = rows(con, "select errors from report_scores where unit_id = ? and is_current", [B_ID])[0][
        0
    ]
    assert errors_after == errors_before - 1  # the dismissed one is still left out on the new version


def test_a_finding_marked_rectified_by_hand_needs_evidence_and_is_rectified_in_the_next_round(
    shop: tuple,
) -> None:
    con, db = shop
    fp = rows(con, "select fingerprint from findings where unit_id = ? and rule_id = 'OFF-1'", [B_ID])[0][0]
    rounds.close_round(con, R8, actor="t", at=datetime(2026, 4, 13, 17))
    with pytest.raises(review.ReviewError):
        review.rectify(con, db, fp, actor="李四", evidence=review.Evidence())
    review.rectify(
        con,
        db,
        fp,
        actor="李四",
        evidence=review.Evidence(note="已更正并重新发布", file_name="更正说明.pdf", data=b"%PDF-1.4 x"),
        at=datetime(2026, 4, 20),
    )
    state = review.state(con, fp)
    assert state is not None and state["evidence_file"] == "更正说明.pdf"
    from nianbao.store import raw_dir

    assert (
        raw_dir(db) / state["evidence_sha256"][:2] / state["evidence_sha256"]
    ).read_bytes() == b"%PDF-1.4 x"
    rounds.close_round(con, R9, actor="t", at=datetime(2026, 4, 27, 17))
    found = rows(con, "select status, how from round_findings where round = 9 and fingerprint = ?", [fp])
    assert found == [("已整改", "manual")]


def test_working_days_skip_weekends_and_holidays_and_warn_past_the_calendar(tmp_path: Path) -> None:
    cal = Calendar()
    # 2026-04-30 (Thu) + 1 working day: 5月1日–5日 are the May Day holiday.
    assert cal.add_workdays(date(2026, 4, 30), 1) == (date(2026, 5, 6), None)
    day, warning = cal.add_workdays(date(2026, 12, 31), 1)
    assert day == date(2027, 1, 1) and warning and "2027" in warning
    holidays = tmp_path / "holidays.toml"
    holidays.write_text('[2027]\nholidays = ["2027-01-01"]\n', encoding="utf-8")
    filed = Calendar.from_file(holidays)
    assert filed.add_workdays(date(2026, 12, 31), 1) == (date(2027, 1, 4), None)


def test_review_state_survives_reingest_and_a_real_reparse_of_the_seed_report(tmp_path: Path) -> None:
    from nianbao.ingest import ingest_bytes
    from nianbao.reparse import reparse

    from conftest import SEED

    own = Path(__file__).resolve().parent.parent / "data" / "seed" / "huangzhong_2020.txt"
    data = (SEED if SEED.exists() else own).read_bytes()
    con, db = open_store(tmp_path)
    ingest_bytes(con, db, data, "huangzhong_2020.txt", published="2021-03-20")
    fps = [r[0] for r in rows(con, "select fingerprint from findings where report_id is not null order by 1")]
    assert fps
    review.dismiss(con, fps[0], actor="张三", reason="经核实为误报")
    review.confirm(con, fps[-1], actor="张三")
    again, _ = ingest_bytes(con, db, data, "huangzhong_2020.txt", published="2021-03-20")
    assert not again.created
    out = reparse(con, db, everything=True, actor="t")
    assert out.reports and not out.failed
    assert [
        r[0] for r in rows(con, "select fingerprint from findings where report_id is not null order by 1")
    ] == fps
    assert (review.state(con, fps[0]) or {}).get("decision") == "dismiss"
    assert (review.state(con, fps[-1]) or {}).get("decision") == "confirm"
    assert rows(con, "select count(*) from dismissed_findings") == [(1,)]
    assert {e["action"] for e in events(con, subject_kind="finding")} == {"dismiss", "confirm"}


def test_a_website_findings_view_joins_the_round_once_the_store_has_it(shop: tuple) -> None:
    con, _ = shop
    con.execute(
        f"create or replace view website_findings as select 'w1' as fingerprint, '{B_ID}' as unit_id, '城西区' as district, "
        "'WEB-1' as rule_id, '栏目更新' as rule_title, '及时性' as category, '错误' as severity, "
        "'政务公开/年报栏目' as location, '年报栏目超过两周未更新' as message"
    ).fetchall()
    rounds.close_round(con, R8, actor="t")
    assert _statuses(con, 8, B_ID)["WEB-1"] == "新发现"
