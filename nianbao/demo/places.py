"""The demo city: the districts and counties of the units file (Xining's 7), with the departments
and towns/streets of each. Names come from nianbao/units.toml; which of them appear is drawn from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao import units

CITY = units.city()


@dataclass(frozen=True)
class District:
    """A 区县: its canonical name, the short form some titles use, and its sub-units' names."""

    name: str
    short: str  # the form used in some titles (大通县 for 大通回族土族自治县)
    site: str  # the government website's name, for the page chrome
    domain: str
    towns: tuple[str, ...]  # full names of towns / streets, without the district prefix


def _districts() -> tuple[District, ...]:
    """The districts of the units file (the one source of the demo's places)."""
    return tuple(
        District(
            d["name"],
            d.get("short", d["name"]),
            d.get("site", d["name"] + "人民政府"),
            d.get("domain", ""),
            tuple(d.get("towns", [])),
        )
        for d in units.config().get("districts", [])
    )


DISTRICTS: tuple[District, ...] = _districts()

# How busy each department usually is (licences, penalties, fees): scales the demo's numbers.
ACTIVITY: dict[str, float] = {
    "教育局": 0.6,
    "民政局": 0.7,
    "财政局": 0.4,
    "自然资源局": 1.2,
    "人力资源和社会保障局": 1.0,
    "住房和城乡建设局": 1.3,
    "卫生健康局": 0.9,
    "市场监督管理局": 1.6,
    "农业农村局": 0.8,
    "司法局": 0.3,
    "应急管理局": 0.7,
    "交通运输局": 0.9,
}

# The departments every district has (the units file's list), with their activity.
DEPARTMENTS: tuple[tuple[str, float], ...] = tuple(
    (d, ACTIVITY.get(d, 1.0)) for d in units.common_departments()
)


@dataclass(frozen=True)
class DemoUnit:
    """A reporting unit of the demo city."""

    name: str  # canonical name, as the store keeps it (e.g. 城东区民政局)
    district: District
    kind: str  # government | department | town
    local: str  # the part after the district name (民政局, 桥头镇人民政府, 人民政府)
    activity: float  # scales the unit's numbers

    @property
    def short_local(self) -> str:
        """The unit as it speaks of itself in the narrative (本局, 本镇, 本街道, 本区/本县)."""
        if self.kind == "government":
            return "本县" if self.district.name.endswith("县") else "本区"
        if self.kind == "town":
            if self.local.endswith("街道办事处"):
                return "本街道"
            return "本乡" if "乡" in self.local else "本镇"
        return "本局"


def unit_name(district: District, local: str) -> str:
    """The canonical name of a unit of a district."""
    return district.name + local
