"""Consistency = identities holding ÷ identities evaluable; an identity that cannot be evaluated is 未核验."""

from __future__ import annotations

from pathlib import Path

from checkkit import make_report, open_store, put, rows, store

from nianbao.checks import scores
from nianbao.model import Report


def _scores(tmp_path: Path, report: Report) -> dict[str, object]:
    con, db = open_store(tmp_path)
    try:
        return scores(con, store(con, db, report))
    finally:
        con.close()


def test_a_clean_report_is_100_percent_with_every_identity_evaluable(tmp_path: Path) -> None:
    s = _scores(tmp_path, make_report())
    n = s["identities_total"]
    assert isinstance(n, int) and n > 10
    assert s["identities_checked"] == s["identities_holding"] == n
    assert s["consistency"] == 100.0
    assert s["consistency_text"] == f"一致性 100 %（{n}/{n} 成立；可核验 {n}/{n}）"


def test_an_ambiguous_cell_leaves_its_identities_unchecked_and_never_shows_100_percent(
    tmp_path: Path,
) -> None:
    r = make_report()
    put(r, "t3", "r1_disclosed", "natural", "0 0", None, "ambiguous")
    s = _scores(tmp_path, r)
    # its row (LBL-1) and its column (LBL-2) cannot be evaluated; the rest hold
    assert s["identities_checked"] == s["identities_total"] - 2  # type: ignore[operator]
    assert s["identities_holding"] == s["identities_checked"]
    assert "100 %" not in str(s["consistency_text"])
    assert str(s["consistency_text"]).startswith("一致性 未全部核验（")
    assert "1 个单元格未能读取" in str(s["consistency_text"])


def test_an_ambiguous_cell_outside_the_identities_still_denies_100_percent(tmp_path: Path) -> None:
    r = make_report()
    put(r, "t2", "licensing", "decisions", "12 3", None, "ambiguous")
    s = _scores(tmp_path, r)
    assert s["identities_checked"] == s["identities_total"]
    assert "100 %" not in str(s["consistency_text"])


def test_a_cell_the_parser_did_not_store_makes_its_identities_unchecked_not_passed(tmp_path: Path) -> None:
    r = make_report()
    # 予以公开·自然人 is 5, and (七)总计 says 5, but the 一、本年新收 cell never reached the store: OFF-1 for
    # that column must not be evaluated on the remaining terms.
    put(r, "t3", "r1_disclosed", "natural", "5")
    put(r, "t3", "r7_total", "natural", "5")
    r.cells = [c for c in r.cells if not (c.table == "t3" and c.row == "new" and c.col == "natural")]
    con, db = open_store(tmp_path)
    rid = store(con, db, r)
    checks = rows(
        con,
        "select checkable from identity_checks where report_id = ? and rule_id = 'OFF-1' and ident = 'natural'",
        [rid],
    )
    off_1 = rows(con, "select count(*) from report_findings where report_id = ? and rule_id = 'OFF-1'", [rid])
    s = scores(con, rid)
    con.close()
    assert checks == [(False,)]
    assert off_1 == [(0,)]
    assert s["identities_checked"] < s["identities_total"]


def test_consistency_counts_holding_over_evaluable_and_shows_both_counts(tmp_path: Path) -> None:
    r = make_report()
    put(r, "t3", "r5_2", "total", "4")  # LBL-1 (its row) and LBL-2 (total column) fail
    put(r, "t3", "r1_disclosed", "legal", "3 0", None, "ambiguous")  # two identities unchecked
    s = _scores(tmp_path, r)
    total, checked = s["identities_total"], s["identities_checked"]
    assert isinstance(total, int) and isinstance(checked, int)
    holding = checked - 2
    assert (s["identities_holding"], checked) == (holding, total - 2)
    pct = round(100 * holding / checked)
    assert s["consistency_text"] == (
        f"一致性 {pct} %（{holding}/{checked} 成立；可核验 {checked}/{total}；1 个单元格未能读取）"
    )
