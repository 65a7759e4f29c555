"""A refresh reads only the reports it refreshes (and their context), and still gives the full recompute's answers."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from checkkit import make_report, open_store, put, rows, store

from nianbao import store as store_mod
from nianbao.demo.bench import build_bench_store, direct_report
from nianbao.demo.generate import DemoConfig, generate
from nianbao.demo.spec import DemoReport

FINDING_COLS = "report_id, fingerprint, rule_id, severity, location, expected, actual, detail, message"


def _stored(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (
        rows(con, f"select {FINDING_COLS} from finding_store order by all"),
        rows(con, "select * from score_store order by all"),
    )


class Profiled:
    """A connection whose every statement but `set` runs under EXPLAIN ANALYZE, adding up the rows the
    scans of `cells` emit and read."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.emitted: list[int] = []
        self.scanned: list[int] = []

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        if sql.lstrip().lower().startswith(("set ", "reset ", "select getvariable")):
            return self.con.execute(sql, params)
        plan = json.loads(self.con.execute("explain (analyze, format json) " + sql, params).fetchall()[0][1])
        self._walk(plan["operator"] if isinstance(plan, dict) else plan)
        if sql.lstrip().lower().startswith(("select", "with")):
            return self.con.execute(sql, params)  # a read whose rows the refresh uses: run again, unprofiled
        return self.con.execute("select 1")

    def _walk(self, nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node.get("type") == "TABLE_SCAN" and str(node["extra_info"].get("Table", "")).endswith(
                ".cells"
            ):
                self.emitted.append(int(node["intermediate_rows"]))
                self.scanned.append(int(node.get("rows_scanned", 0)))
            self._walk(node.get("children", []))


def _new_version(r: DemoReport, tag: str) -> tuple[bytes, Any]:
    return f"a new version {tag} of {r.unit.name} {r.year}".encode(), direct_report(r)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """A benchmark store of 2,000 reports (the demo corpus, replicated), every one refreshed."""
    db = tmp_path_factory.mktemp("big") / "store.duckdb"
    build_bench_store(db, 2000)
    con = store_mod.connect(db)
    yield con, db
    con.close()


def _history_report(year_offset: int = 1, kind: str | None = None) -> DemoReport:
    """A demo report of a unit that has a previous year and a next year in the corpus."""
    corpus = generate(DemoConfig())
    top = max(r.year for r in corpus.reports)
    for r in corpus.reports:
        if r.year == top - year_offset and (kind is None or r.unit.kind == kind):
            return r
    raise AssertionError("the demo corpus has no such report")


def test_refreshing_one_new_report_reads_under_one_percent_of_the_cells(
    big: tuple[duckdb.DuckDBPyConnection, Path],
) -> None:
    con, db = big
    total = rows(con, "select count(*) from cells")[0][0]
    data, report = _new_version(_history_report(kind="department"), "scoped")
    store_mod.ingest_report(con, db, data, report, file_name="x.txt", media_type="text/plain", refresh=False)
    stale = rows(con, "select count(*) from stale_reports")[0][0]
    assert stale >= 3  # the new version, the old one (no longer current), next year's report
    profiled = Profiled(con)
    with store_mod.transaction(con):
        store_mod.run_refresh(profiled)  # type: ignore[arg-type]
    # every scan of `cells` keeps only the scope's rows (the filter is pushed into the scan), and the
    # rules read them from the scratch copy: one scan per step (peer levels, findings), not one per rule
    assert 0 < sum(profiled.emitted) < total / 100, (profiled.emitted, total)
    assert len(profiled.emitted) == 2, profiled.emitted
    assert rows(con, "select count(*) from stale_reports") == [(0,)]


def test_a_new_report_refreshes_the_next_years_cross_year_findings_of_its_unit(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    prev = make_report("2019", 2019, unit="西宁市城中区民政局", published="2020-01-15")
    for col in ("natural", "total"):
        put(prev, "t3", "carried_out", col, "2")
        put(prev, "t3", "new", col, "2")
    store(con, db, make_report("2019", 2019, unit="西宁市城西区民政局", published="2020-01-15"))
    store(con, db, prev)
    now = store(con, db, make_report("2019", 2020, unit="西宁市城中区民政局", published="2021-01-15"))
    # last year's cells are read as context: XY-1 compares this year's 上年结转 with them
    assert rows(con, "select distinct report_id from finding_store where rule_id = 'XY-1'") == [(now,)]
    fixed = make_report("2019", 2019, unit="西宁市城中区民政局", published="2020-01-16")
    store(con, db, fixed)  # a corrected version of last year: nothing carried over, and XY-1 is gone
    assert rows(con, "select count(*) from finding_store where rule_id = 'XY-1'") == [(0,)]
    assert _stored(con) == _recomputed(con)
    con.close()


def _recomputed(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    store_mod.refresh(con, everything=True)
    return _stored(con)


def _peer(con: duckdb.DuckDBPyConnection, db: Path, name: str, value: str) -> str:
    r = make_report("2019", 2020, unit=name)
    put(r, "t3", "new", "natural", value)
    put(r, "t3", "new", "total", value)
    put(r, "t3", "carried_out", "natural", value)
    put(r, "t3", "carried_out", "total", value)
    return store(con, db, r)


def test_a_new_peer_changes_the_peer_levels_and_the_other_peers_findings(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    towns = [
        f"西宁市湟中区{n}镇人民政府"
        for n in ("多巴", "拦隆口", "上新庄", "田家寨", "甘河滩", "共和", "李家山")
    ]
    for name in towns[:5]:
        _peer(con, db, name, "10")
    outlier = _peer(con, db, towns[5], "500")  # 5 peers at 10: 500 is more than ten times their level
    assert rows(con, "select report_id, detail from finding_store where rule_id = 'PL-3' group by all") == [
        (outlier, "同类单位 5 个，四分之三不超过 10")
    ]
    _peer(con, db, towns[6], "12")  # a sixth peer: the outlier's finding now says so, and the level moved
    assert rows(con, "select report_id, detail from finding_store where rule_id = 'PL-3' group by all") == [
        (outlier, "同类单位 6 个，四分之三不超过 11")
    ]
    _peer(con, db, "西宁市湟中区汉东回族乡人民政府", "400")
    _peer(con, db, "西宁市湟中区大才回族乡人民政府", "400")  # the peers' level is now 400: no outlier left
    assert rows(con, "select count(*) from finding_store where rule_id = 'PL-3'") == [(0,)]
    assert _stored(con) == _recomputed(con)
    con.close()


def test_ingesting_reports_one_by_one_gives_the_findings_and_scores_of_a_full_recompute(
    tmp_path: Path,
) -> None:
    towns = [f"西宁市湟中区{n}镇人民政府" for n in ("多巴", "拦隆口", "上新庄", "田家寨", "甘河滩", "共和")]
    reports = []
    for name, value in zip(towns, ("10", "10", "12", "9", "10", "500"), strict=True):
        r = make_report("2019", 2020, unit=name)
        for col in ("natural", "total"):
            put(r, "t3", "new", col, value)
            put(r, "t3", "carried_out", col, value)
        reports.append(r)
    last_year = make_report("2019", 2019, unit=towns[5], published="2020-02-01")
    for col in ("natural", "total"):  # carried out 3, but 2020 says nothing was carried in: XY-1
        put(last_year, "t3", "new", col, "3")
        put(last_year, "t3", "carried_out", col, "3")
    reports += [last_year, make_report("2019", 2020, unit=towns[2], published="2021-03-02")]  # a new version
    random.Random(7).shuffle(reports)
    con, db = open_store(tmp_path)
    for r in reports:
        store(con, db, r)
    incremental = _stored(con)
    assert len(incremental[1]) == len(reports)
    assert {row[2] for row in incremental[0]} >= {"PL-3", "XY-1"}  # the cross-report rules are exercised
    assert incremental == _recomputed(con)
    con.close()


def _tables_scanned(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The tables a query's physical plan scans (their names without the catalog and schema)."""
    plan = json.loads(con.execute("explain (format json) " + sql).fetchall()[0][1])
    found: set[str] = set()

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            table = node.get("extra_info", {}).get("Table")
            if table:
                found.add(str(table).rsplit(".", 1)[-1])
            walk(node.get("children", []))

    walk(plan if isinstance(plan, list) else [plan])
    return found


def test_the_refresh_reads_its_rules_bound_to_the_scratch_copies_alone(
    big: tuple[duckdb.DuckDBPyConnection, Path],
) -> None:
    con, _ = big
    per_report = {"cells", "sections", "facts", "parse_notes", "tables_found"}
    for root in store_mod.REFRESH_ROOTS:
        # outside a refresh the main schema's views read the whole tables ...
        assert per_report & _tables_scanned(con, f"select * from main.{root}"), root
        # ... and the refresh's own schema reads only the scope's copies, whatever the variables say
        scanned = _tables_scanned(con, f"select * from {store_mod.REFRESH_SCHEMA}.{root}")
        assert not per_report & scanned, (root, sorted(scanned))
        assert {"scratch_cells", "scratch_report_meta"} & scanned, (root, sorted(scanned))


def _levels(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return rows(
        con,
        "select kind, year, template, tbl, row_key, col_key, peers, p75, list_sort(members) from peer_levels"
        " order by all",
    )


def test_a_refresh_in_small_chunks_gives_the_answers_of_one_chunk(
    big: tuple[duckdb.DuckDBPyConnection, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    con, _ = big
    monkeypatch.setenv("NIANBAO_REFRESH_CHUNK_REPORTS", "100000")
    whole = _recomputed(con), _levels(con)
    assert len(whole[1]) > 1000 and len(whole[0][1]) >= 2000  # (earlier tests add versions)
    monkeypatch.setenv("NIANBAO_REFRESH_CHUNK_REPORTS", "150")  # peer groups cut across chunks
    assert (_recomputed(con), _levels(con)) == whole


def test_new_reports_in_many_peer_groups_are_levelled_a_few_groups_at_a_time(
    big: tuple[duckdb.DuckDBPyConnection, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    con, db = big
    corpus = generate(DemoConfig())
    by_group: dict[tuple[str, int, str], DemoReport] = {}
    for r in corpus.reports:
        by_group.setdefault((r.unit.kind, r.year, r.version), r)
    picked = list(by_group.values())[:8]
    ids = []
    for i, r in enumerate(picked):
        data, report = _new_version(r, f"grouped {i}")
        ids.append(
            store_mod.ingest_report(
                con, db, data, report, file_name=f"g{i}.txt", media_type="text/plain", refresh=False
            ).report_id
        )
    stored = dict(rows(con, "select kind || year || template, count(*) from peer_reports group by all"))
    biggest = max(stored.values())
    passes = store_mod._level_passes(con, ids, biggest + 1)
    assert sorted(r for p in passes for r in p) == sorted(ids)
    assert 1 < len(passes) < len(ids)  # a few groups per pass, not one pass for all of them
    monkeypatch.setenv("NIANBAO_REFRESH_CHUNK_REPORTS", str(biggest + 1))
    store_mod.refresh(con)
    assert (_stored(con), _levels(con)) == (_recomputed(con), _levels(con))
