"""The city's scope: which units' reports are stored and counted (the units file, for now the
configured city and its districts); any other report is only checked."""

from __future__ import annotations

from nianbao import units
from nianbao.recognize.normalize import fold

OUTSIDE_MESSAGE = "非本市单位：仅检查，不入库"


def in_scope(name: str | None) -> bool:
    """Whether a unit name (as read from a report or typed by a user) belongs to the configured
    city: a unit of the units file, or a name of the city or one of its districts and counties
    (with their variants)."""
    if not name:
        return False
    unit = units.resolve(name)
    if unit is not None and (unit.registered or unit.district):
        return True
    n = fold(name).replace(" ", "").strip()
    cfg = units.config()
    if cfg["city"] in n:
        return True
    return any(form in n for d in cfg["districts"] for form in (d["name"], *d["variants"]))
