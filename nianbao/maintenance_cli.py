"""`nianbao fsck | backup | restore`: keep a store whole, and a way back (see nianbao.maintenance)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from nianbao.paths import DEFAULT_DB


def _fail(command: str, message: str) -> int:
    print(f"nianbao {command}: {message}", file=sys.stderr)
    return 2


def cmd_fsck(args: argparse.Namespace) -> int:
    """Check raw files against the documents table; with --repair remove orphans and leftovers."""
    from nianbao import maintenance

    try:
        r = maintenance.fsck(
            args.db, repair=args.repair, grace=maintenance.GRACE_SECONDS if args.grace is None else args.grace
        )
    except maintenance.MaintenanceError as e:
        return _fail("fsck", str(e))
    for sha in r.missing:
        print(f"missing  raw file of document {sha} (原始文件缺失)")
    for sha in r.corrupt:
        print(f"corrupt  raw file of document {sha} does not match its sha256 (原始文件损坏)")
    young = set(r.recent)
    for kind, paths in (("orphan", r.orphans), ("temp", r.temporary)):
        for p in paths:
            state = "removed" if p in r.removed else "recent, kept" if p in young else "found"
            print(f"{kind:<8} {p} ({state})")
    print(
        f"{r.documents} document(s): {r.ok} ok, {len(r.missing)} missing, {len(r.corrupt)} corrupt; "
        f"{len(r.orphans)} orphan(s), {len(r.temporary)} temporary file(s), {len(r.removed)} removed"
    )
    if (r.orphans or r.temporary) and not args.repair:
        print("run `nianbao fsck --repair` to remove the orphans and temporary files")
    return 0 if r.clean else 1


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent snapshot of the store and its raw files."""
    from nianbao import maintenance

    try:
        r = maintenance.backup(args.db, args.out)
    except maintenance.MaintenanceError as e:
        return _fail("backup", str(e))
    except OSError as e:
        return _fail("backup", f"cannot write {args.out}: {e.strerror} (无法写入备份)")
    rows = sum(r.tables.values())
    print(f"backup written to {r.out}: {len(r.tables)} tables, {rows} rows, {r.raw_files} raw file(s)")
    if r.missing or r.corrupt:
        print(
            f"warning: {len(r.missing)} raw file(s) missing and {len(r.corrupt)} corrupt in the store "
            "were not backed up; run `nianbao fsck`",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Bring a backup back as a store."""
    from nianbao import maintenance

    try:
        r = maintenance.restore(args.source, args.db, force=args.force)
    except maintenance.MaintenanceError as e:
        return _fail("restore", str(e))
    except OSError as e:
        return _fail("restore", f"cannot restore: {e.strerror} (无法恢复)")
    rows = sum(r.tables.values())
    extra = " and the users file" if r.users_file else ""
    print(f"restored {r.db}: {len(r.tables)} tables, {rows} rows, {r.raw_files} raw file(s){extra}")
    return 0


def register(sub: Any) -> None:
    """Add fsck, backup and restore to the command line."""
    db_help = f"DuckDB store (default {DEFAULT_DB})"
    p = sub.add_parser("fsck", help="check raw files against the store; --repair removes orphans")
    p.add_argument("--db", default=str(DEFAULT_DB), help=db_help)
    p.add_argument(
        "--repair", action="store_true", help="remove orphan raw files and leftover temporary files"
    )
    p.add_argument(
        "--grace",
        type=float,
        help="seconds: younger files may belong to an ingest in flight and are kept (default 600)",
    )
    p.set_defaults(func=cmd_fsck)

    p = sub.add_parser("backup", help="write a consistent snapshot of the store and its raw files")
    p.add_argument("--db", default=str(DEFAULT_DB), help=db_help)
    p.add_argument("--out", required=True, help="an empty or new folder, or a .tar / .tar.gz / .tgz file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="bring a backup back as a store")
    p.add_argument("source", help="a backup folder or .tar / .tar.gz / .tgz file")
    p.add_argument("--db", required=True, help="where the restored store goes")
    p.add_argument("--force", action="store_true", help="replace an existing store")
    p.set_defaults(func=cmd_restore)
