"""Data tests for the check views: keys unique and not null, and an arithmetic invariant per view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from checkkit import make_report, open_store, put, rows, store

from nianbao.catalog import rules, set_setting, view_name
from nianbao.ingest import ingest_bytes
from nianbao.store import QUERIES, _statements, scorecards_fresh, view_names

from conftest import SEED


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """A store with a spread of reports: clean, broken, two years of one unit, the real seed.

    Built once for the module: the tests only read it.
    """
    own = Path(__file__).resolve().parent.parent / "data" / "seed" / "huangzhong_2020.txt"
    seed_bytes = (SEED if SEED.exists() else own).read_bytes()
    con, db = open_store(tmp_path_factory.mktemp("busy"))
    set_setting(con, "timeliness.as_of", "2022-06-01")
    store(con, db, make_report())
    r = make_report(unit="西宁市城西区人民政府", published="2021-04-15")
    put(r, "t3", "carried_out", "natural", "3")
    put(r, "t3", "r2_partial", "other_org", "")
    store(con, db, r)
    store(con, db, make_report("2021", 2021, unit="西宁市城西区人民政府", published="2022-03-01"))
    store(con, db, make_report(unit="西宁市城中区民政局", published="2021-01-20"))
    ingest_bytes(con, db, seed_bytes, str(SEED), published="2021-03-20")
    yield con
    con.close()


def _unique_not_null(con: duckdb.DuckDBPyConnection, view: str, key: str) -> None:
    total, distinct, nulls = rows(
        con, f"select count(*), count(distinct ({key})), count(*) - count(({key})) from {view}"
    )[0]
    assert total > 0, view
    assert total == distinct, f"{view}: key ({key}) not unique"
    assert nulls == 0, f"{view}: key ({key}) has nulls"


def test_every_rule_in_the_catalog_has_a_view_and_every_rule_view_is_catalogued() -> None:
    catalogued = {view_name(r["rule_id"]) for r in rules()}
    files = {p.stem for p in QUERIES.glob("rule_*.sql")}
    assert catalogued == files
    assert catalogued <= set(view_names())


def test_every_rule_view_is_part_of_live_findings_or_else_of_website_findings() -> None:
    reports = (QUERIES / "live_findings.sql").read_text(encoding="utf-8")
    website = (QUERIES / "website_findings.sql").read_text(encoding="utf-8")
    for r in rules():
        line = f"select * from {view_name(r['rule_id'])}\n"
        # Website rules (网站监测) have a verdict of their own: never in a report's findings or score.
        assert (line in website, line in reports) == (r["scope"] == "website", r["scope"] == "report"), r[
            "rule_id"
        ]


def test_the_catalog_uses_only_the_five_categories_and_four_severities() -> None:
    for r in rules():
        allowed = (
            ("网站监测",) if r["scope"] == "website" else ("完整性", "一致性", "及时性", "规范性", "内容")
        )
        assert r["category"] in allowed, r
        assert r["severity"] in ("否决", "错误", "警告", "提示"), r
        assert r["basis"] and r["message_template"]
        assert r["cap"] >= r["deduction"] >= 0


def test_findings_have_a_unique_fingerprint_and_all_contract_columns(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "findings", "fingerprint")
    _unique_not_null(busy, "report_findings", "coalesce(report_id, '') || fingerprint")
    assert rows(
        busy, "select count(*) from findings where message is null or severity is null or category is null"
    ) == [(0,)]


def test_every_finding_message_is_filled_in(busy: duckdb.DuckDBPyConnection) -> None:
    assert rows(busy, "select count(*) from report_findings where message like '%{%'") == [(0,)]


def test_identity_checks_hold_exactly_when_the_two_sides_agree(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "identity_checks", "report_id || rule_id || ident")
    assert rows(busy, "select count(*) from identity_checks where holds <> (pos_sum = neg_sum)") == [(0,)]


def test_report_scores_are_one_per_report_and_add_up(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "report_scores", "report_id")
    assert rows(busy, "select count(*) from report_scores") == rows(busy, "select count(*) from reports")
    bad = rows(
        busy,
        """select report_id from report_scores
           where score <> greatest(0, 100 - deductions) or completeness not between 0 and 100
              or (consistency is not null and consistency not between 0 and 100)
              or (vetoes > 0 and verdict <> '不合格')""",
    )
    assert bad == []


def test_a_report_deduction_never_exceeds_the_sum_of_its_rule_caps(busy: duckdb.DuckDBPyConnection) -> None:
    bad = rows(
        busy,
        """with caps as (
               select f.report_id, sum(distinct_caps.cap) as caps
               from (select distinct report_id, rule_id from report_findings where report_id is not null) as f
               join rules as distinct_caps on distinct_caps.rule_id = f.rule_id
               group by f.report_id)
           select s.report_id from report_scores as s join caps as c using (report_id) where s.deductions > c.caps""",
    )
    assert bad == []


def test_the_stored_scorecards_are_the_computed_ones_and_fit_the_store(
    busy: duckdb.DuckDBPyConnection,
) -> None:
    stored = "select * from scorecard_store"
    live = "select * from scorecard_rows"
    assert rows(busy, f"select count(*) from ({stored} except all {live})") == [(0,)]
    assert rows(busy, f"select count(*) from ({live} except all {stored})") == [(0,)]
    assert rows(busy, "select count(*) from scorecard_store") == rows(
        busy, "select count(*) from scorecard_rows"
    )
    assert scorecards_fresh(busy)


def test_unit_scorecards_are_one_per_unit_and_year(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "unit_scorecards", "unit_id || '|' || year")
    missing = rows(
        busy,
        "select count(*) from unit_scorecards where status = '逾期未发布' and (verdict <> '不合格' or score <> 0)",
    )
    assert missing == [(0,)]


def test_district_scorecards_count_no_more_published_than_expected(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "district_scorecards", "district || '|' || year")
    bad = rows(
        busy,
        "select count(*) from district_scorecards where not (units_on_time <= units_published and units_published <= units_expected)",
    )
    assert bad == [(0,)]


def test_district_ranking_ranks_by_score_then_pass_rate_then_fewer_vetoes(
    busy: duckdb.DuckDBPyConnection,
) -> None:
    _unique_not_null(busy, "district_ranking", "district || '|' || year")
    ranked = rows(
        busy,
        "select year, rank, score, coalesce(pass_rate, -1), vetoes from district_ranking order by year, rank",
    )
    for (y1, r1, *k1), (y2, r2, *k2) in zip(ranked, ranked[1:], strict=False):
        if y1 == y2:
            key1, key2 = (k1[0], k1[1], -k1[2]), (k2[0], k2[1], -k2[2])
            assert (r1 == r2) == (key1 == key2) and key1 >= key2


def test_a_missing_district_government_report_is_a_veto_once_the_deadline_passes(
    busy: duckdb.DuckDBPyConnection,
) -> None:
    vetoed = rows(
        busy, "select unit_id from findings where rule_id = 'TIME-2' and year = 2020 order by unit_id"
    )
    assert ("城东区人民政府",) in vetoed and ("城中区人民政府",) not in vetoed


def test_report_meta_and_expected_reports_have_unique_keys(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "report_meta", "report_id")
    _unique_not_null(busy, "expected_reports", "unit_id || '|' || year")
    assert rows(
        busy, "select count(*) from report_meta where deadline is not null and year(deadline) <> year + 1"
    ) == [(0,)]


def test_stored_findings_and_scores_equal_the_live_views(busy: duckdb.DuckDBPyConnection) -> None:
    assert rows(busy, "select count(*) from stale_reports") == [(0,)]
    cols = "report_id, fingerprint, rule_id, location, expected, actual, message"
    assert rows(busy, f"select {cols} from finding_store order by all") == rows(
        busy, f"select {cols} from live_findings where report_id is not null order by all"
    )
    assert rows(busy, "select * from report_scores order by report_id") == rows(
        busy, "select * from live_scores order by report_id"
    )


def test_only_time_2_finds_something_without_a_report(busy: duckdb.DuckDBPyConnection) -> None:
    _unique_not_null(busy, "missing_findings", "fingerprint")
    assert rows(busy, "select distinct rule_id from missing_findings") == [("TIME-2",)]
    assert rows(busy, "select distinct rule_id from live_findings where report_id is null") == [("TIME-2",)]
    assert rows(busy, "select count(*) from missing_findings") == rows(
        busy, "select count(*) from report_findings where report_id is null"
    )


# Every view's key; a view missing here fails the test below, so no view goes without a data test.
VIEW_KEYS = {
    "scoped_reports": "report_id",
    "scoped_cells": "report_id, tbl, row_key, col_key",
    "scoped_sections": "report_id, key",
    "scoped_facts": "report_id, seq",
    "scoped_parse_notes": "report_id, seq",
    "scoped_tables_found": "report_id, tbl",
    "identity_results": "report_id, rule_id, ident",
    "peer_cells": "report_id, tbl, row_key, col_key",
    "peer_level_changes": "kind, year, template, tbl, row_key, col_key",
    "peer_dependants": "report_id",
    "current_reports": "report_id",
    "report_meta": "report_id",
    "identity_terms": "report_id, rule_id, ident, tbl, row_key, col_key",
    "identity_checks": "report_id, rule_id, ident",
    "failed_identities": "report_id, rule_id, coalesce(row_key, '') || coalesce(col_key, '') || location",
    "unit_years_reported": "unit_id, year",
    "as_of_day": "day",
    "expected_reports": "unit_id, year",
    "table2_documents": "report_id, row_key",
    "live_findings": "fingerprint",
    "missing_findings": "fingerprint",
    "report_findings": "fingerprint",
    "findings": "fingerprint",
    "finding_list": "fingerprint",
    "live_scores": "report_id",
    "report_scores": "report_id",
    "stale_reports": "report_id",
    "scorecard_inputs": "fingerprint",
    "scorecard_rows": "unit_id, year",
    "unit_scorecards": "unit_id, year",
    "district_scorecards": "district, year",
    "district_ranking": "year, district",
    "website_findings": "fingerprint",
    "website_verdicts": "coalesce(unit_id, '') || '|' || site",
    "harvest_status": "source",
    "column_freshness": "column_url",
    "finding_reviews": "fingerprint",
    "dismissed_findings": "fingerprint",
    "round_summary": "round",
}
RULE_KEY = "report_id, rule_id, tbl, row_key, col_key, section, location"
# Views that may be empty on the busy store (their rules are exercised in test_check_rules).
# The website views are exercised on harvested stores in tests/test_harvest*.py.
MAY_BE_EMPTY = {
    "stale_reports",
    "peer_level_changes",  # only during a refresh (tests/test_refresh_scope.py)
    "peer_dependants",
    "scoped_parse_notes",  # the busy store's reports parse without notes
    "missing_findings",
    "website_findings",
    "website_verdicts",
    "harvest_status",
    "column_freshness",
}
# Review and round views: filled by tests/test_rounds.py (the busy store has no reviews or rounds).
MAY_BE_EMPTY |= {"finding_reviews", "dismissed_findings", "round_summary"}


def test_every_view_has_a_declared_key() -> None:
    missing = [v for v in view_names() if not v.startswith("rule_") and v not in VIEW_KEYS]
    assert missing == []


@pytest.mark.parametrize("view", [v for v in view_names() if not v.startswith("rule_")])
def test_view_key_is_unique_and_not_null(busy: duckdb.DuckDBPyConnection, view: str) -> None:
    key = VIEW_KEYS[view]
    total, distinct = rows(busy, f"select count(*), count(distinct ({key})) from {view}")[0]
    assert total == distinct, f"{view}: key ({key}) not unique"
    if view not in MAY_BE_EMPTY:
        assert total > 0, view


@pytest.mark.parametrize("view", [v for v in view_names() if v.startswith("rule_")])
def test_rule_view_rows_have_a_report_and_their_own_rule(busy: duckdb.DuckDBPyConnection, view: str) -> None:
    bad = rows(
        busy,
        f"select count(*) from {view} where rule_id is null or lower(replace(rule_id, '-', '_')) <> '{view[5:]}'"
        f" or (report_id is null and rule_id <> 'TIME-2' and rule_id not like 'WEB-%')",
    )[0][0]
    dupes = rows(busy, f"select count(*) - count(distinct ({RULE_KEY})) from {view}")[0][0]
    assert (bad, dupes) == (0, 0)


def test_failed_identities_are_exactly_the_checks_that_do_not_hold(busy: duckdb.DuckDBPyConnection) -> None:
    failed = rows(busy, "select count(*) from failed_identities")[0][0]
    not_holding = rows(busy, "select count(*) from identity_checks where checkable and not holds")[0][0]
    assert failed == not_holding > 0


def test_table2_documents_hold_the_cells_that_are_numbers(busy: duckdb.DuckDBPyConnection) -> None:
    numbers = rows(
        busy,
        "select count(*) from cells where tbl = 't2' and row_key in ('rules', 'normative') and state in ('number', 'zero')",
    )[0][0]
    pivoted = rows(
        busy,
        "select count(made) + count(published) + count(total) + count(issued) + count(repealed) + count(in_force)"
        " from table2_documents",
    )[0][0]
    assert pivoted == numbers > 0


def test_scoped_views_hold_every_row_outside_a_refresh_and_only_the_scope_inside(
    busy: duckdb.DuckDBPyConnection,
) -> None:
    table = ("reports", "cells", "sections", "facts", "parse_notes", "tables_found")
    for t in table:
        assert rows(busy, f"select count(*) from scoped_{t}") == rows(busy, f"select count(*) from {t}"), t
    one = rows(busy, "select report_id from reports order by report_id limit 1")[0][0]
    busy.execute("begin transaction")
    try:
        busy.execute("set variable scope_ids = [?]", [one])
        for statement in _statements("refresh_copy.sql"):  # the refresh's copy of the scope's rows
            busy.execute(statement)
        for t in table:
            assert rows(busy, f"select * from scoped_{t} order by all") == rows(
                busy, f"select * from {t} where report_id = ? order by all", [one]
            ), t
        assert rows(busy, "select count(*) from identity_results") == [(0,)]  # the scratch: empty
    finally:
        busy.execute("reset variable scope_ids")
        busy.execute("rollback")
    assert rows(busy, "select * from identity_results order by all") == rows(
        busy, "select * from identity_checks order by all"
    )


def test_peer_levels_are_the_levels_of_every_current_peer_in_the_store(
    busy: duckdb.DuckDBPyConnection,
) -> None:
    kept = rows(
        busy,
        "select kind, year, template, tbl, row_key, col_key, peers, p75 from peer_levels where peers > 0 order by all",
    )
    computed = rows(
        busy,
        "select kind, year, template, tbl, row_key, col_key, count(*), quantile_cont(value, 0.75)"
        " from peer_cells group by all order by all",
    )
    assert kept == computed and len(kept) > 0
    assert rows(busy, "select count(*) from peer_reports") == rows(
        busy, "select count(distinct report_id) from peer_cells"
    )
