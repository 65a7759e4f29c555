"""Where things are by default: importable without DuckDB, so `nianbao --help` stays quick."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
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


def cached_file(
    name: str, prefix: str, build: Callable[[Path], bool], *, keep: int = 1, folder: Path | None = None
) -> Path | None:
    """The file `name` (which starts with `prefix`) in the cache folder, built by `build(path)` when
    missing (`folder`: another folder): in a temporary folder beside it, then moved in whole (a concurrent reader sees no file
    or all of it). Only the `keep` newest files of the prefix are kept. None when `build` returns
    False (not a file to keep) or the cache folder cannot be written."""
    folder = cache_dir() if folder is None else folder
    target = folder / name
    if target.is_file():
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".building-") as tmp:
            built = Path(tmp) / name
            if not build(built):
                return None
            os.replace(built, target)
        older = sorted(folder.glob(f"{prefix}*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in older if p != target][max(0, keep - 1) :]:
            with suppress(OSError):
                old.unlink()
    except OSError:
        return None
    return target
