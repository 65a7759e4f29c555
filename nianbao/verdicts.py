"""Verdicts read from the views: the district ranking and a district's scorecard, for one year.

The same functions feed `nianbao ranking` / `nianbao scorecard` and the dashboard's pages, so the
command line and the pages always show the same figures.
"""

from __future__ import annotations

from typing import Any

import duckdb

from nianbao.cursors import sub_cursor

RANKING_KEYS = ("district", "rank", "score", "verdict", "pass_rate", "due", "published", "vetoes")
UNIT_KEYS = ("unit", "kind", "status", "score", "verdict", "vetoes")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = sub_cursor(con)
    try:
        rel = cur.execute(sql, params)
        cols = [d[0] for d in rel.description or []]
        return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
    finally:
        cur.close()


def years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Report years with a district verdict, newest first."""
    found = _rows(
        con, "select distinct year from district_ranking where year is not null order by year desc", []
    )
    return [int(r["year"]) for r in found]


def default_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest year with a ranking."""
    found = years(con)
    return found[0] if found else None


def _num(x: Any) -> float | None:
    return None if x is None else float(x)


def ranking(con: duckdb.DuckDBPyConnection, year: int) -> list[dict[str, Any]]:
    """One row per district, best first: the ranking keys plus the reason for a 不合格, the
    government report's verdict, completeness, consistency and the change since last year."""
    found = _rows(con, "select * from district_ranking where year = ? order by rank, district", [year])
    return [
        {
            "district": r["district"],
            "rank": int(r["rank"]),
            "score": _num(r["score"]),
            "verdict": r["verdict"],
            "pass_rate": _num(r["pass_rate"]),
            "due": int(r["units_due"] or 0),
            "published": int(r["units_published"] or 0),
            "vetoes": int(r["vetoes"] or 0),
            "government_verdict": r["government_verdict"],
            "reason": r["verdict_reason"] or "",
            "completeness": _num(r["completeness"]),
            "consistency": _num(r["consistency"]),
            "change": _num(r["change_since_previous_year"]),
        }
        for r in found
    ]


def scorecard(con: duckdb.DuckDBPyConnection, district: str, year: int) -> dict[str, Any]:
    """One district's units for one year, worst first (不合格 before 合格, then by score)."""
    card = _rows(con, "select * from district_scorecards where district = ? and year = ?", [district, year])
    units = _rows(
        con,
        """
        select * from unit_scorecards where district = ? and year = ?
        order by verdict = '合格', score nulls first, own_government desc, unit_id
        """,
        [district, year],
    )
    c = card[0] if card else {}
    return {
        "district": district,
        "year": year,
        "verdict": c.get("verdict"),
        "reason": c.get("verdict_reason") or "",
        "score": _num(c.get("score")),
        "pass_rate": _num(c.get("pass_rate")),
        "due": int(c.get("units_due") or 0),
        "published": int(c.get("units_published") or 0),
        "vetoes": int(c.get("vetoes") or 0),
        "units": [
            {
                "unit": u["unit_id"],
                "kind": u["kind"],
                "status": u["status"],
                "score": _num(u["score"]),
                "verdict": u["verdict"],
                "vetoes": int(u["vetoes"] or 0),
                "score_before_veto": _num(u["score_before_veto"]),
                "own_government": bool(u["own_government"]),
                "report_id": u["report_id"],
                "due": bool(u["due"]),
            }
            for u in units
        ],
    }
