"""Units and places: canonical names, the district a unit belongs to, and its kind."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nianbao.recognize.normalize import fold


@dataclass(frozen=True)
class Unit:
    """A reporting unit as the store keeps it."""

    unit_id: str
    name: str
    district: str | None
    kind: str
    deadline_class: str


@cache
def config() -> dict[str, Any]:
    """The embedded city configuration."""
    text = resources.files("nianbao").joinpath("units.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def districts() -> list[str]:
    """The city's districts and counties, in configuration order."""
    return [d["name"] for d in config()["districts"]]


def _district_of(name: str) -> tuple[str | None, str]:
    """The district named in a unit name, and the name with the district written canonically."""
    for d in config()["districts"]:
        for form in sorted([*d["variants"], d["name"]], key=len, reverse=True):
            if form in name:
                return d["name"], name.replace(form, d["name"], 1)
    return None, name


def kind_of(name: str, district: str | None) -> str:
    """government | town | zone | department, from the name's suffix."""
    kinds = config()["kinds"]
    if district and any(name == district + s or name.endswith(district + s) for s in kinds["government"]):
        return "government"
    for kind in ("town", "zone"):
        if any(
            name.endswith(s) or (s in name and kind == "town" and name.endswith("人民政府"))
            for s in kinds[kind]
        ):
            return kind
    if name.endswith("人民政府"):
        return "government"
    return "department"


def resolve(name: str | None) -> Unit | None:
    """The canonical unit for a name found in a report (city prefix dropped, old names mapped)."""
    if not name:
        return None
    n = fold(name).replace(" ", "").strip()
    city = config()["city"]
    if n.startswith(city) and len(n) > len(city):
        n = n[len(city) :]
    district, n = _district_of(n)
    kind = kind_of(n, district)
    deadline = {"government": "government", "department": "department"}.get(kind, "town")
    return Unit(unit_id=n, name=n, district=district, kind=kind, deadline_class=deadline)
