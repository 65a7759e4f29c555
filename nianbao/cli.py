"""The command line: a thin layer over the library (`nianbao parse | ingest | reports | ...`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nianbao.errors import UnreadableReport
from nianbao.model import Report
from nianbao.store import DEFAULT_DB

Command = Callable[[argparse.Namespace], int]


def _fail(path: str, message: str) -> None:
    print(f"nianbao: {path}: {message}", file=sys.stderr)


def _read(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        _fail(path, "no such file (文件不存在)")
    except IsADirectoryError:
        _fail(path, "is a folder, not a file (这是文件夹)")
    except PermissionError:
        _fail(path, "permission denied (没有读取权限)")
    return None


def _print_report(path: str, report: Report) -> None:
    states = Counter(c.state for c in report.cells)
    print(f"== {path}")
    print(f"单位 unit:       {report.unit or '（未识别）'}")
    print(f"年度 year:       {report.year or '（未识别）'}")
    print(f"格式 template:   {report.template or '（未识别）'}")
    print(f"标题 title:      {report.title or '（未识别）'}")
    print(f"发布 published:  {report.published or '（页面未显示）'}")
    print(f"章节 sections:   {' '.join(s.no for s in report.sections) or '（无）'}")
    print(f"表格 tables:     {' '.join(report.tables_found) or '（无）'}")
    print("单元格 cells:    " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    for table in ("t2", "t3", "t4"):
        rows: dict[str, list[str]] = {}
        for c in report.cells:
            if c.table == table:
                shown = (
                    c.raw
                    if c.state not in ("missing", "ambiguous", "blank")
                    else {"missing": "∅", "ambiguous": "?", "blank": "·"}[c.state]
                )
                rows.setdefault(c.row_label, []).append(shown)
        if rows:
            print(f"-- {table}")
            for label, vals in rows.items():
                print(f"   {label[:34]:<34} {' | '.join(vals)}")
    for f in report.facts:
        v = "（空）" if f.value is None else f"{f.value:g}"
        print(f"   事实 fact: [{f.section}] {f.label} = {v}{f.unit} ({f.quantity}, {f.role})")
    for n in report.notes:
        print(f"   注意 note: [{n.code}] {n.message}")


def cmd_parse(args: argparse.Namespace) -> int:
    """Print what was recognised in each file."""
    from nianbao.ingest import parse_bytes

    status = 0
    for path in args.files:
        data = _read(path)
        if data is None:
            status = 2
            continue
        try:
            parsed = parse_bytes(data, path)
        except UnreadableReport as e:
            _fail(path, str(e))
            status = 2
            continue
        if args.json:
            print(json.dumps(parsed.report.as_dict(file=path), ensure_ascii=False))
        else:
            _print_report(path, parsed.report)
    return status


def cmd_ingest(args: argparse.Namespace) -> int:
    """Parse and store files."""
    from nianbao.ingest import ingest_bytes
    from nianbao.store import connect, refresh

    con = connect(args.db)
    status = 0
    try:
        for path in args.files:
            data = _read(path)
            if data is None:
                status = 2
                continue
            try:
                stored, report = ingest_bytes(
                    con,
                    args.db,
                    data,
                    path,
                    unit=args.unit,
                    year=args.year,
                    published=args.published,
                    refresh=False,  # once, below, for every file stored
                )
            except UnreadableReport as e:
                _fail(path, str(e) + " — nothing stored (未入库)")
                status = 2
                continue
            what = "stored" if stored.created else "already stored"
            print(
                f"{path}: {what} as {stored.report_id[:12]} "
                f"({report.unit or '?'}, {report.year or '?'}, version {stored.version})"
            )
        refresh(con)
    finally:
        con.close()
    return status


def cmd_reports(args: argparse.Namespace) -> int:
    """List the stored reports."""
    from nianbao.store import connect, list_reports

    if not Path(args.db).exists():
        _fail(str(args.db), "no store here yet: run `nianbao ingest` first (尚无数据库)")
        return 2
    con = connect(args.db, read_only=True)
    try:
        rows = list_reports(con)
    finally:
        con.close()
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False, default=str))
        return 0
    for r in rows:
        print(
            f"{r['report_id'][:12]}  {r['year'] or '?':>4}  {r['template'] or '-':>4}  v{r['version']}  "
            f"{r['district'] or '-'}  {r['unit_id'] or r['unit_name'] or '?'}  {r['published'] or ''}"
        )
    print(f"{len(rows)} report(s)")
    return 0


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="nianbao", description="政务公开年报检查台 — annual report checker")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="print what was recognised in report files")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ingest", help="parse report files and store them")
    p.add_argument("files", nargs="+")
    _add_db(p)
    p.add_argument("--unit", help="override the unit name found in the report")
    p.add_argument("--year", type=int, help="override the report year")
    p.add_argument("--published", help="publication date YYYY-MM-DD, when the file does not show it")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("reports", help="list stored reports")
    _add_db(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reports)

    for register in _extensions():
        register(sub)
    return parser


def _extensions() -> list[Callable[[Any], None]]:
    """Subcommands that live beside their capability (checks, demo, ...)."""
    found: list[Callable[[Any], None]] = []
    for module in ("nianbao.check_cli", "nianbao.demo.cli", "nianbao.users_cli", "nianbao.maintenance_cli"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ImportError:
            continue
        found.append(mod.register)
    return found


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
