"""The city's scope: which units' reports are stored and counted. It is the units file (the
configured city, its districts and units) plus the units named in the harvest sources file; any
other report is only checked."""

from __future__ import annotations

import functools
from pathlib import Path

from nianbao import units
from nianbao.recognize.normalize import fold

OUTSIDE_MESSAGE = "非本市单位：仅检查，不入库"


def _unit_key(name: str) -> str:
    """The canonical id a unit name resolves to (city prefix dropped, old names mapped)."""
    unit = units.resolve(name)
    return unit.unit_id if unit is not None else fold(name).replace(" ", "").strip()


def sources_path(sources: str | Path | None = None, db: str | Path | None = None) -> Path | None:
    """The harvest sources file that widens the scope: `sources` when given, else the store's own
    (sources.toml beside `db`, the one `nianbao harvest` and the 数据采集 page use), else None
    (the shipped Xining file, which goes with the packaged units file only)."""
    from nianbao.harvest.sources import default_path

    if sources is not None:
        return Path(sources)
    if db is not None and default_path(db).is_file():
        return default_path(db)
    return None


@functools.lru_cache(maxsize=8)
def _named(path: str | None, mtime_ns: int, units_digest: str) -> frozenset[str]:
    from nianbao.harvest.sources import load_sources, parse_sources, shipped_text

    found = parse_sources(shipped_text(), "（内置）") if path is None else load_sources(path)
    return frozenset(_unit_key(s.unit) for s in found.sources if s.unit.strip())


def harvest_units(sources: str | Path | None = None, db: str | Path | None = None) -> frozenset[str]:
    """The unit ids named in the harvest sources file (see `sources_path`); raises
    nianbao.harvest.sources.SourcesError for a file that cannot be read."""
    path = sources_path(sources, db)
    if path is None:
        if units.units_path() is not None:  # another city's units: the Xining sources are not its own
            return frozenset()
        return _named(None, 0, units.units_digest())
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1  # load_sources says the file is missing
    return _named(str(path), mtime, units.units_digest())


def in_scope(name: str | None, *, sources: str | Path | None = None, db: str | Path | None = None) -> bool:
    """Whether a unit name (as read from a report or typed by a user) belongs to the configured
    city: a unit of the units file, a name of the city or one of its districts and counties (with
    their variants), or a unit named in the harvest sources file (`sources`, else the store's)."""
    if not name:
        return False
    unit = units.resolve(name)
    if unit is not None and (unit.registered or unit.district):
        return True
    n = fold(name).replace(" ", "").strip()
    cfg = units.config()
    if cfg["city"] in n:
        return True
    if any(form in n for d in cfg["districts"] for form in (d["name"], *d["variants"])):
        return True
    return _unit_key(name) in harvest_units(sources, db)
