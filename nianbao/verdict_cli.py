"""`nianbao ranking`, `nianbao scorecard`, `nianbao delete` and `nianbao undelete`: verdicts and
soft deletion from the command line, over the same functions as the dashboard."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from nianbao.paths import DEFAULT_DB


def _open(db: str, *, write: bool = False) -> Any:
    from nianbao.cli import _fail
    from nianbao.store import connect

    if not Path(db).exists():
        _fail(db, "no store here yet: run `nianbao ingest` first (尚无数据库)")
        return None
    return connect(db)  # read-write: an old store gets its views migrated first


def _year(con: Any, wanted: int | None) -> int | None:
    from nianbao.cli import _fail
    from nianbao.verdicts import years

    known = years(con)
    if wanted is None:
        if not known:
            _fail("-", "the store has no scored year yet (尚无可评分的年度)")
            return None
        return known[0]
    if wanted not in known:
        _fail(str(wanted), "no ranking for this year (该年度无排名); years: " + ", ".join(map(str, known)))
        return None
    return wanted


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:g}%"


def _pts(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def cmd_ranking(args: argparse.Namespace) -> int:
    """Print the district ranking of one year."""
    from nianbao.verdicts import RANKING_KEYS, ranking

    con = _open(args.db)
    if con is None:
        return 2
    try:
        year = _year(con, args.year)
        if year is None:
            return 2
        rows = ranking(con, year)
    finally:
        con.close()
    if args.json:
        print(json.dumps([{k: r[k] for k in RANKING_KEYS} for r in rows], ensure_ascii=False))
        return 0
    print(f"{year} 年度区县排名")
    for r in rows:
        print(
            f"{r['rank']:>2}  {r['district']:<10} 得分 {_pts(r['score']):>5}  {r['verdict']}  "
            f"合格率 {_pct(r['pass_rate']):>6}  应报 {r['due']}  已发布 {r['published']}  否决 {r['vetoes']}"
            + (f"  （{r['reason']}）" if r["reason"] else "")
        )
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    """Print one district's units for one year, worst first."""
    from nianbao.cli import _fail
    from nianbao.units import districts
    from nianbao.verdicts import UNIT_KEYS, scorecard

    if args.district not in districts():
        _fail(args.district, "not a district of the city (不是本市区县); one of: " + "、".join(districts()))
        return 2
    con = _open(args.db)
    if con is None:
        return 2
    try:
        year = _year(con, args.year)
        if year is None:
            return 2
        card = scorecard(con, args.district, year)
    finally:
        con.close()
    if args.json:
        out = {
            "district": card["district"],
            "year": card["year"],
            "units": [{k: u[k] for k in UNIT_KEYS} for u in card["units"]],
        }
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(
        f"{card['district']} {year} 年度：{card['verdict'] or '—'}  得分 {_pts(card['score'])}  "
        f"合格率 {_pct(card['pass_rate'])}  应报 {card['due']}  已发布 {card['published']}  否决 {card['vetoes']}"
    )
    if card["reason"]:
        print(f"  不合格原因：{card['reason']}")
    for u in card["units"]:
        before = (
            f"（否决前得分 {_pts(u['score_before_veto'])}）"
            if u["vetoes"] and u["score_before_veto"] is not None
            else ""
        )
        print(f"  {u['unit']:<20} {u['status']}  {u['verdict']}  得分 {_pts(u['score'])}{before}")
    return 0


def _resolve_id(con: Any, prefix: str, table: str) -> str | None:
    """A full report id from an id or an unambiguous prefix of at least 8 characters."""
    from nianbao.cli import _fail

    if len(prefix) < 8:
        _fail(prefix, "give at least 8 characters of the report id (报告编号至少 8 位)")
        return None
    found = [
        r[0]
        for r in con.execute(
            f"select report_id from {table} where starts_with(report_id, ?)", [prefix.lower()]
        ).fetchall()
    ]
    if len(found) != 1:
        _fail(prefix, "no such report (无此年报)" if not found else "ambiguous id (编号不唯一)")
        return None
    return str(found[0])


def _soft(args: argparse.Namespace, table: str, verb: str) -> int:
    """Delete (hide) or restore one stored version found by an id prefix in `table`."""
    from nianbao.audit import cli_actor
    from nianbao.store import delete_report, undelete_report

    con = _open(args.db, write=True)
    if con is None:
        return 2
    try:
        rid = _resolve_id(con, args.report_id, table)
        if rid is None:
            return 2
        act = delete_report if verb == "deleted" else undelete_report
        row = act(con, rid, actor=cli_actor(), reason=args.reason)
    finally:
        con.close()
    unit = row.get("unit_id") or row.get("unit_name") or "?"
    print(f"{verb} {rid[:12]} ({unit}, {row.get('year')}, version {row.get('version')})")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Hide one stored version (restorable; the raw file is kept)."""
    return _soft(args, "reports", "deleted")


def cmd_undelete(args: argparse.Namespace) -> int:
    """Restore a soft-deleted version."""
    return _soft(args, "deleted_reports", "restored")


def register(sub: Any) -> None:
    """Add the subcommands to `nianbao`."""
    db_help = f"DuckDB store (default {DEFAULT_DB})"
    p = sub.add_parser("ranking", help="the district ranking of one year (default: the newest)")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true", help="a list, one object per district")
    p.add_argument("--db", default=str(DEFAULT_DB), help=db_help)
    p.set_defaults(func=cmd_ranking)

    p = sub.add_parser("scorecard", help="one district's units and verdicts for one year")
    p.add_argument("district")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true", help="one object with the district and its units")
    p.add_argument("--db", default=str(DEFAULT_DB), help=db_help)
    p.set_defaults(func=cmd_scorecard)

    p = sub.add_parser("delete", help="hide one stored report version (soft delete, restorable)")
    p.add_argument("report_id", help="the report id (or at least 8 leading characters)")
    p.add_argument("--reason", help="why, for the audit log")
    p.add_argument("--db", default=str(DEFAULT_DB), help=db_help)
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("undelete", help="restore a deleted report version")
    p.add_argument("report_id", help="the report id (or at least 8 leading characters)")
    p.add_argument("--reason", help="why, for the audit log")
    p.add_argument("--db", default=str(DEFAULT_DB), help=db_help)
    p.set_defaults(func=cmd_undelete)
