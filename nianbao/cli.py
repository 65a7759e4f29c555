"""The command line: a thin layer over the library (`nianbao parse | ingest | reports | ...`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from nianbao.errors import UnreadableReport
from nianbao.model import Report
from nianbao.paths import DEFAULT_DB

Command = Callable[[argparse.Namespace], int]


def _fail(path: str, message: str) -> None:
    print(f"nianbao: {path}: {message}", file=sys.stderr)


def _bytes_or_problem(path: str) -> bytes | str:
    """A file's bytes, or why it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return "no such file (文件不存在)"
    except IsADirectoryError:
        return "is a folder, not a file (这是文件夹)"
    except PermissionError:
        return "permission denied (没有读取权限)"


def _read(path: str) -> bytes | None:
    data = _bytes_or_problem(path)
    if isinstance(data, str):
        _fail(path, data)
        return None
    return data


_SOURCE_NAMES = {
    "title": "标题",
    "signature": "落款",
    "page": "页面发布日期",
    "list": "栏目列表日期",
    "given": "手工指定",
}


def _source(report: Report, key: str) -> str:
    """Where a metadata value came from, for the parse listing: "（来源：标题 title）"."""
    src = report.sources.get(key)
    return f"  （来源：{_SOURCE_NAMES.get(src, src)} {src}）" if src else ""


def _print_report(path: str, report: Report) -> None:
    states = Counter(c.state for c in report.cells)
    print(f"== {path}")
    print(f"单位 unit:       {report.unit or '（未识别）'}{_source(report, 'unit')}")
    print(f"年度 year:       {report.year or '（未识别）'}")
    print(f"格式 template:   {report.template or '（未识别）'}")
    print(f"标题 title:      {report.title or '（未识别）'}")
    print(f"发布 published:  {report.published or '（页面未显示）'}{_source(report, 'published')}")
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
    """Parse and store files: parsed first (on every core for many files: nianbao.parse_pool), then
    stored in order a batch at a time ([ingest] batch_reports files per write, with one refresh for
    the batch), so the write lock is held only while storing."""
    from nianbao.audit import cli_actor
    from nianbao.harvest.sources import SourcesError
    from nianbao.ingest import OutOfScope, incoming, store_batch
    from nianbao.limits import limit
    from nianbao.parse_pool import parsed_files, workers_for
    from nianbao.scope import harvest_units
    from nianbao.store import DeletedReport, Incoming

    try:
        harvest_units(args.sources, args.db)  # a broken sources file is one line, before anything is read
    except SourcesError as e:
        _fail(str(args.sources or "sources"), f"harvest sources file unusable (采集源文件无效): {e}")
        return 2
    size = max(1, int(limit("ingest", "batch_reports")))
    status = 0
    batch: list[tuple[str, Incoming]] = []

    def flush() -> int:
        failed = 0
        for (path, item), stored in zip(batch, store_batch(args.db, [i for _, i in batch]), strict=True):
            if isinstance(stored, DeletedReport):
                _fail(
                    path,
                    f"this file was deleted (已删除): `nianbao undelete {stored.report_id[:12]}` restores it",
                )
                failed = 2
                continue
            what = "stored" if stored.created else "already stored"
            print(
                f"{path}: {what} as {stored.report_id[:12]} "
                f"({item.report.unit or '?'}, {item.report.year or '?'}, version {stored.version})",
                flush=True,
            )
        batch.clear()
        return failed

    for path, data, parse in parsed_files(args.files, _bytes_or_problem, workers_for(len(args.files))):
        if isinstance(data, str):
            _fail(path, data)
            status = 2
            continue
        try:
            parsed = parse()
        except UnreadableReport as e:
            _fail(path, str(e) + " — nothing stored (未入库)")
            status = 2
            continue
        try:
            item = incoming(
                data,
                path,
                parsed,
                unit=args.unit,
                year=args.year,
                published=args.published,
                outside=args.outside,
                actor=cli_actor(),
                db=args.db,
                sources=args.sources,
            )
        except OutOfScope as e:
            _fail(path, f"{e} — not a unit of the city; --outside stores it outside the city's figures")
            status = 2
            continue
        batch.append((path, item))
        if len(batch) >= size:
            status = max(status, flush())
    if batch:
        status = max(status, flush())
    return status


def cmd_reports(args: argparse.Namespace) -> int:
    """List the stored reports."""
    from nianbao.store import list_reports, reading

    if not Path(args.db).exists():
        _fail(str(args.db), "no store here yet: run `nianbao ingest` first (尚无数据库)")
        return 2
    with reading(args.db) as con:
        rows = list_reports(con)
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


YEARS = (2019, 2100)


def report_year(text: str) -> int:
    """argparse type for --year: a report year the official formats can have (2019-2100)."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r} (年度应为数字)") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise argparse.ArgumentTypeError(
            f"{text} is not a report year between {YEARS[0]} and {YEARS[1]} (年度超出范围)"
        )
    return year


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(prog="nianbao", description="政务公开年报检查台 — annual report checker")
    parser.add_argument(
        "--units",
        metavar="PATH",
        help="units file of another city (default $NIANBAO_UNITS, else nianbao/units.toml)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="print what was recognised in report files")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ingest", help="parse report files and store them")
    p.add_argument("files", nargs="+")
    _add_db(p)
    p.add_argument("--unit", help="override the unit name found in the report")
    p.add_argument("--year", type=report_year, help="override the report year")
    p.add_argument("--published", help="publication date YYYY-MM-DD, when the file does not show it")
    p.add_argument(
        "--outside",
        action="store_true",
        help="store a report of a unit outside the city, in the outside scope (never counted)",
    )
    p.add_argument(
        "--sources",
        metavar="PATH",
        help="harvest sources file whose units count as the city's "
        "(default: sources.toml beside the store, else the shipped Xining file)",
    )
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
    for module in (
        "nianbao.check_cli",
        "nianbao.demo_cli",
        "nianbao.reparse_cli",
        "nianbao.harvest.cli",
        "nianbao.round_cli",
        "nianbao.verdict_cli",
        "nianbao.users_cli",
        "nianbao.maintenance_cli",
    ):
        try:
            mod = __import__(module, fromlist=["register"])
        except ImportError:
            continue
        found.append(mod.register)
    return found


class _Parser(argparse.ArgumentParser):
    """argparse with errors as one line on stderr (exit 2), not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code. Store, memory and pipe trouble end in one line, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)  # --help and usage errors end here, before DuckDB is imported
    import duckdb

    from nianbao.limits import limit
    from nianbao.store import StoreError

    if args.units:
        from nianbao import units

        if not Path(args.units).is_file():
            _fail(args.units, "no such units file (单位名录文件不存在)")
            return 2
        units.use(args.units)
        try:
            units.validate()
        except ValueError as e:
            _fail(args.units, f"{e} (单位名录文件有误)")
            return 2
    try:
        status = int(args.func(args))
        sys.stdout.flush()  # a closed pipe must fail here, inside the handler, not at exit
        return status
    except KeyboardInterrupt:
        return 130
    except StoreError as e:
        _fail(str(getattr(args, "db", None) or "store"), str(e))
        return 2
    except MemoryError:
        _fail("-", "out of memory (内存不足)")
        return 2
    except duckdb.OutOfMemoryException:
        cap = limit("duckdb", "memory_limit_mb")
        _fail(
            str(getattr(args, "db", None) or "store"),
            f"the database ran out of memory at its cap of {cap:.0f} MB; the operation was rolled back "
            f"(数据库内存不足，本次操作已回滚). Raise the cap with NIANBAO_DUCKDB_MEMORY_LIMIT_MB",
        )
        return 2
    except duckdb.Error as e:  # anything else DuckDB refuses: its first line, not a traceback
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        _fail(str(getattr(args, "db", None) or "store"), f"database error (数据库错误): {first}")
        return 2
    except BrokenPipeError:
        # The reader went away (`nianbao parse … | head`): stop quietly, and keep Python's own
        # flush at exit from raising again on the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
