"""The demo's round history: six fortnightly rounds up to a fixed as-of date, with re-uploaded fixes,
hand-marked rectifications, dismissals with reasons, an extension, and units left to go overdue.

Everything is dated from DEMO_AS_OF, so two builds from the same seed give the same history.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import duckdb

from nianbao import review, rounds, store
from nianbao.demo.generate import Corpus, fmt
from nianbao.demo.render import render
from nianbao.demo.spec import DemoReport

DEMO_AS_OF = date(2026, 6, 22)  # the demo's fixed as-of date: its last round closes on it
ROUNDS = 6
SUPERVISOR = "市政务公开办 王敏"
FIXABLE = {"blank_cells", "broken_identity"}  # defects a corrected version of the tables removes


def _at(day: date, hour: int = 17) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _fixed(report: DemoReport) -> DemoReport:
    """The same report with its tables as they should have been written (true values)."""
    cells = {key: fmt(key[2], value) for key, value in report.values.items()}
    return dataclasses.replace(report, cells=cells, defects=[])


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    rel = con.execute(sql, params or [])
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def _close(con: duckdb.DuckDBPyConnection, day: date) -> None:
    rounds.close_round(con, day, actor=SUPERVISOR, at=_at(day))


def history(con: duckdb.DuckDBPyConnection, db: str | Path, corpus: Corpus) -> int:
    """Close the demo's rounds in order, acting between them; returns how many rounds were closed."""
    from nianbao.ingest import ingest_bytes
    from nianbao.units import resolve

    cfg = rounds.load_config()
    days = [DEMO_AS_OF - timedelta(days=cfg.days * i) for i in reversed(range(ROUNDS))]
    year = rounds.covered_year(con, days[0], cfg)
    if year not in corpus.config.years:
        return 0  # a corpus without the year the rounds would cover (e.g. a small test store)
    by_unit = {}
    for r in corpus.reports:
        unit = resolve(r.unit.name)
        if r.year == year and unit is not None:
            by_unit[unit.unit_id] = r
    failing = _rows(
        con,
        "select distinct unit_id from findings where year = ? and report_id is not null and severity in ('否决', '错误') "
        "order by unit_id",
        [year],
    )
    fixable = [
        u["unit_id"]
        for u in failing
        if u["unit_id"] in by_unit
        and by_unit[u["unit_id"]].defects
        and {d.kind for d in by_unit[u["unit_id"]].defects} <= FIXABLE
    ]
    early, late = fixable[:3], fixable[3:5]

    def fix(unit_id: str, day: date) -> None:
        r = _fixed(by_unit[unit_id])
        ingest_bytes(
            con,
            db,
            render(r),
            f"{r.file_stem}_更正.{r.layout}",
            source="demo",
            published=r.published.isoformat(),
            received_at=_at(day, 10),
            refresh=False,  # once, before the next round closes
        )

    def open_findings(sql_where: str, params: list[Any]) -> list[dict[str, Any]]:
        return _rows(
            con,
            "select fingerprint, unit_id, rule_id from findings where year = ? and report_id is not null and "
            + sql_where
            + " order by unit_id, rule_id, fingerprint",
            [year, *params],
        )

    _close(con, days[0])
    # Two false positives dismissed with reasons (plausibility hints on real figures).
    hints = open_findings("severity in ('提示', '警告') and unit_id not in (select unnest(?))", [fixable])
    for f, why in zip(
        hints[:2],
        ["经核实原始台账，该数据为实际发生数，非填报错误。", "该单位为新设机构，上年无可比数据。"],
        strict=False,
    ):
        at = _at(days[0] + timedelta(days=2), 10)
        review.dismiss(con, f["fingerprint"], actor=SUPERVISOR, reason=why, at=at, refresh=False)
    store.refresh(con)  # once for both dismissals
    _close(con, days[1])
    for unit_id in early:
        fix(unit_id, days[1] + timedelta(days=3))
    store.refresh(con)
    others = open_findings("severity = '错误' and unit_id not in (select unnest(?))", [fixable])
    if others:
        review.rectify(
            con,
            db,
            others[0]["fingerprint"],
            actor=SUPERVISOR,
            evidence=review.Evidence(
                note="单位已在原栏目发布更正说明，经复核属实。", url="https://www.xining.gov.cn/zwgk/ndbg/"
            ),
            at=_at(days[1] + timedelta(days=8), 15),
        )
    _close(con, days[2])
    if len(others) > 1:
        review.extend(
            con,
            others[1]["fingerprint"],
            actor=SUPERVISOR,
            deadline=days[4],
            reason="单位门户网站改版迁移，申请延期至改版完成后更正。",
            at=_at(days[2] + timedelta(days=2), 11),
        )
    for f in others[2:4]:
        review.confirm(con, f["fingerprint"], actor=SUPERVISOR, at=_at(days[2] + timedelta(days=3), 9))
    _close(con, days[3])
    for unit_id in late:
        fix(unit_id, days[3] + timedelta(days=6))
    store.refresh(con)
    for day in days[4:]:
        _close(con, day)
    return len(days)
