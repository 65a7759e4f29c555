"""Where things are by default: importable without DuckDB, so `nianbao --help` stays quick."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("data") / "nianbao.duckdb"


def cache_dir() -> Path:
    """nianbao's cache folder: $NIANBAO_CACHE, else $XDG_CACHE_HOME/nianbao, else ~/.cache/nianbao."""
    own = os.environ.get("NIANBAO_CACHE", "").strip()
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "nianbao"
