"""Where the dashboard's store is: `--db PATH` after `--`, else $NIANBAO_DB, else data/demo.duckdb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_DB = Path("data") / "demo.duckdb"


def db_path(argv: list[str] | None = None) -> str:
    """The store path, resolved to an absolute path so every cache key names the same file."""
    args = sys.argv[1:] if argv is None else argv
    chosen: str | None = None
    for i, a in enumerate(args):
        if a == "--db" and i + 1 < len(args):
            chosen = args[i + 1]
        elif a.startswith("--db="):
            chosen = a.split("=", 1)[1]
    if chosen is None:
        chosen = os.environ.get("NIANBAO_DB") or str(DEFAULT_DB)
    return str(Path(chosen).expanduser().resolve())
