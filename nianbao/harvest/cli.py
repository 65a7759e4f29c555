"""`nianbao harvest`: fetch the units' reports from their websites, with a progress bar and a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from nianbao.paths import DEFAULT_DB

# Tests replace these to keep every name off the real network (see tests/test_harvest.py).
RESOLVER: Any = None
TRANSPORT: Any = None


def summary_lines(result: Any) -> list[str]:
    """The per-unit summary in Chinese: found, new, unchanged, failed and why."""
    out = []
    for r in result.sources:
        reasons = list(dict.fromkeys(why.removeprefix("栏目：") for _u, why in r.failures))
        if r.found == 0 and not r.columns_ok and reasons:
            out.append(f"{r.source}：失败（{'；'.join(reasons)}）")  # an unreachable site: one line
            continue
        out.append(f"{r.source}：找到 {r.found} 份，新增 {r.new}，未变化 {r.unchanged}，失败 {r.failed}")
        for url, why in r.failures:
            out.append(f"  失败 {url}：{why}")
        for c in r.columns:
            if c.error:
                continue
            when = f"最近更新 {c.newest}" if c.newest else "未找到带日期的条目"
            out.append(f"  栏目 {c.name or c.url}（{c.type}）：{when}")
    return out


def cmd_harvest(args: argparse.Namespace) -> int:
    """Harvest the sources file (or one URL) into the store."""
    from tqdm import tqdm

    from nianbao.audit import cli_actor
    from nianbao.cli import _fail
    from nianbao.harvest.fetch import AddressPolicy, system_resolver
    from nianbao.harvest.run import Harvest
    from nianbao.harvest.sources import (
        Settings,
        Source,
        SourcesError,
        SourcesFile,
        default_path,
        load_sources,
        parse_sources,
        shipped_text,
    )

    try:
        if args.url:
            parse_sources(f'[[source]]\nunit = "x"\ndetails = [{_quote(args.url)}]\n')  # validates the URL
            sources = SourcesFile(Settings(), (Source(unit=args.unit or "", details=(args.url,)),), args.url)
        elif args.sources:
            sources = load_sources(args.sources)
        elif default_path(args.db).is_file():
            sources = load_sources(default_path(args.db))
        else:
            sources = parse_sources(shipped_text(), "（内置：西宁市各单位）")
    except SourcesError as e:
        _fail(args.sources or args.url or "sources", f"采集源文件无效：{e}")
        return 2
    if args.unit and not args.url and not any(_matches(s.unit, args.unit) for s in sources.sources):
        _fail(args.sources or "sources", f"采集源文件中没有单位“{args.unit}”")
        return 2
    bar = tqdm(total=1, unit="源", file=sys.stderr, disable=None, leave=False)

    def progress(done: int, total: int, what: str) -> None:
        bar.total = max(total, 1)
        bar.n = done
        bar.set_description_str(what[:60], refresh=False)
        bar.refresh()

    try:
        harvest = Harvest(
            args.db,
            sources,
            actor=cli_actor(),
            policy=AddressPolicy(allow_loopback=args.allow_loopback, allow_private=args.allow_private),
            resolver=RESOLVER or system_resolver,
            transport=TRANSPORT,
            progress=progress,
        )
        result = harvest.run(None if args.url else args.unit)
    finally:
        bar.close()
    _print(summary_lines(result), sys.stdout)
    return result.exit_code


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _matches(a: str, b: str) -> bool:
    from nianbao.units import resolve

    ua, ub = resolve(a), resolve(b)
    return a == b or (ua is not None and ub is not None and ua.unit_id == ub.unit_id)


def _print(lines: list[str], out: TextIO) -> None:
    for line in lines:
        print(line, file=out)


def register(sub: Any) -> None:
    """Add `nianbao harvest`."""
    p = sub.add_parser("harvest", help="fetch reports from the units' websites (sources file, or one URL)")
    p.add_argument("url", nargs="?", help="one report page or file to fetch, instead of the sources file")
    p.add_argument(
        "--sources",
        type=Path,
        help="sources file (TOML); default: sources.toml beside the store, else the shipped Xining file",
    )
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")
    p.add_argument("--unit", help="only this unit's sources (with URL: the unit when the report names none)")
    p.add_argument(
        "--allow-loopback", action="store_true", help="admit 127.0.0.0/8 and ::1 (tests, local mirrors)"
    )
    p.add_argument("--allow-private", action="store_true", help="admit private ranges (an intranet mirror)")
    p.set_defaults(func=cmd_harvest)
