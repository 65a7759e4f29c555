"""`nianbao check`, `nianbao findings` and `nianbao rules`: the checks from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from nianbao.errors import UnreadableReport
from nianbao.paths import DEFAULT_DB


def _finding_json(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": f["rule_id"],
        "title": f["rule_title"],
        "category": f["category"],
        "severity": f["severity"],
        "message": f["message"],
        "location": f["location"],
        "expected": f["expected"],
        "actual": f["actual"],
        "fingerprint": f["fingerprint"],
    }


def _scores_json(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "completeness": s["completeness"],
        "consistency": s["consistency"],
        "identities_holding": s["identities_holding"],
        "identities_checked": s["identities_checked"],
        "identities_total": s["identities_total"],
        "deductions": s["deductions"],
        "total": s["score"],
        "verdict": s["verdict"],
        "vetoes": s["vetoes"],
        "errors": s["errors"],
        "warnings": s["warnings"],
        "deadline": s["deadline"],
        "on_time": s["on_time"],
    }


def _print_text(path: str, checked: Any) -> None:
    r = checked.report
    s = checked.scores
    print(f"== {path}")
    print(f"单位 {r.unit or '（未识别）'}  年度 {r.year or '（未识别）'}  格式 {r.template or '（未识别）'}")
    print(
        f"结论 {s['verdict']}  得分 {s['score']:g}  完整性 {s['completeness']:g}%  {s['consistency_text']}  "
        f"否决 {s['vetoes']}  错误 {s['errors']}  警告 {s['warnings']}"
    )
    for f in checked.findings:
        print(f"  [{f['severity']}] {f['rule_id']} {f['message']}")


def cmd_check(args: argparse.Namespace) -> int:
    """Parse and check each file against --db (or an empty scratch store), storing nothing."""
    from nianbao.checks import ScratchStore, blocking, check_bytes
    from nianbao.cli import _fail, _read
    from nianbao.ingest import parse_bytes
    from nianbao.store import reading

    scratch = None if args.db else ScratchStore()
    db = scratch.db if scratch else Path(args.db)
    unreadable = False
    failed = False
    try:
        for path in args.files:
            data = _read(path)
            if data is None:
                unreadable = True
                continue
            try:
                if scratch:
                    checked = check_bytes(
                        scratch.con, db, data, path, unit=args.unit, year=args.year, published=args.published
                    )
                else:
                    parse_bytes(data, path)  # an unreadable file never opens the store
                    with reading(db) as con:  # the instant check writes nothing to the store
                        checked = check_bytes(
                            con,
                            db,
                            data,
                            path,
                            unit=args.unit,
                            year=args.year,
                            published=args.published,
                            scoped=True,
                        )
            except UnreadableReport as e:
                _fail(path, str(e))
                unreadable = True
                continue
            failed = failed or blocking(checked.findings)
            if args.json:
                out = checked.report.as_dict(file=path)
                out["report_id"] = checked.report_id
                out["findings"] = [_finding_json(f) for f in checked.findings]
                out["scores"] = _scores_json(checked.scores)
                print(json.dumps(out, ensure_ascii=False, default=str))
            else:
                _print_text(path, checked)
    finally:
        if scratch:
            scratch.close()
    if unreadable:
        return 2
    return 1 if failed else 0


def cmd_findings(args: argparse.Namespace) -> int:
    """Export every finding in the store."""
    from nianbao.checks import all_findings
    from nianbao.cli import _fail
    from nianbao.export.findings import to_csv, to_json, write
    from nianbao.store import reading

    if not Path(args.db).exists():
        _fail(str(args.db), "no store here yet: run `nianbao ingest` first (尚无数据库)")
        return 2
    with reading(args.db) as con:
        rows = all_findings(con)
    if args.out:
        write(rows, args.format, args.out)
        print(f"{len(rows)} finding(s) -> {args.out}", file=sys.stderr)
        return 0
    if args.format == "xlsx":
        _fail("-", "--format xlsx needs --out FILE")
        return 2
    sys.stdout.buffer.write(to_csv(rows) if args.format == "csv" else to_json(rows))
    sys.stdout.flush()
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    """Recompute the stored findings and scores: of the stale reports, or (--all) of every report."""
    import time

    from nianbao.cli import _fail
    from nianbao.store import rechecked_on_open, refresh, writing

    if not Path(args.db).exists():
        _fail(str(args.db), "no store here yet: run `nianbao ingest` first (尚无数据库)")
        return 2
    started = time.perf_counter()
    with writing(args.db) as con:
        n = rechecked_on_open(args.db)  # by itself: every report when the rules or settings changed
        if args.all and n == 0:
            n = refresh(con, everything=True)
    print(f"{n} report(s) rechecked in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rule catalog with its basis."""
    import duckdb

    from nianbao.checks import rule_catalog
    from nianbao.store import install_schema

    con = duckdb.connect()
    try:
        install_schema(con)
        rows = rule_catalog(con)
    finally:
        con.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        print(
            f"{r['rule_id']:<8} [{r['category']}/{r['severity']}] 扣 {r['deduction']:g}（上限 {r['cap']:g}）  {r['title']}"
        )
        print(f"         依据：{r['basis']}")
    return 0


def register(sub: Any) -> None:
    """Add the subcommands to `nianbao`."""
    from nianbao.cli import report_year

    p = sub.add_parser("check", help="parse and check report files; exit 1 on 否决/错误 findings")
    p.add_argument("files", nargs="+")
    p.add_argument(
        "--json", action="store_true", help="one JSON object per file: the parse plus findings and scores"
    )
    p.add_argument("--unit", help="override the unit name found in the report")
    p.add_argument("--year", type=report_year, help="override the report year")
    p.add_argument("--published", help="publication date YYYY-MM-DD, when the file does not show it")
    p.add_argument(
        "--db",
        help="check against this store (last year, peers), storing nothing; default: an empty scratch store",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("findings", help="export every finding in the store")
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")
    p.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    p.add_argument("--out", help="output file (required for xlsx); default: standard output")
    p.set_defaults(func=cmd_findings)

    p = sub.add_parser(
        "refresh", help="recompute stored findings and scores (after a rule, setting or parser change)"
    )
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")
    p.add_argument("--all", action="store_true", help="every report, not only the stale ones")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("rules", help="print the rule catalog with each rule's basis")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rules)
