"""`nianbao reparse`: read stored reports again from their raw files with today's parser."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nianbao.paths import DEFAULT_DB


def cmd_reparse(args: argparse.Namespace) -> int:
    """Reparse the reports read by an older parser (or every one with --all)."""
    from nianbao.parser_version import PARSER_VERSION
    from nianbao.reparse import reparse
    from nianbao.store import connect

    if not Path(args.db).is_file():
        print(f"nianbao: {args.db}: no store here (尚无数据库)", file=sys.stderr)
        return 2
    con = connect(args.db)
    try:
        out = reparse(con, args.db, everything=args.all)
    finally:
        con.close()
    for r in out.reports:
        if r.error:
            print(f"nianbao: {r.report_id[:12]}: {r.error} — left as it was (未重新解析)", file=sys.stderr)
            continue
        moved = f"，单位 {r.unit_before} → {r.unit_after}" if r.unit_before != r.unit_after else ""
        print(
            f"{r.report_id[:12]}: parser {r.old_version} → {r.new_version}, {r.cells_changed} cell(s) changed{moved}"
        )
    done = len(out.reports) - len(out.failed)
    print(
        f"{done} report(s) reparsed with parser {PARSER_VERSION}; findings and scores of {out.refreshed} refreshed"
    )
    return 2 if out.failed else 0


def register(sub: Any) -> None:
    """Add `reparse` to `nianbao`."""
    p = sub.add_parser("reparse", help="read stored reports again from their raw files (after a parser fix)")
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")
    p.add_argument("--all", action="store_true", help="every report, not only those read by an older parser")
    p.set_defaults(func=cmd_reparse)
