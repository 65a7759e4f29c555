"""Units: the units file (every unit of the city, with its kind), and resolving a name found in a report.

Resolution, first match wins: (1) the units file, by canonical name or variant; (2..5) the kind rules
of the units file (organ suffixes, towns, governments, zones), in order; (6) `other`. The unit keeps
the rule that chose its kind (`kind_rule`, `kind_basis`), so every timeliness finding can say why.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from nianbao import audit
from nianbao.recognize.normalize import fold

ENV = "NIANBAO_UNITS"  # path of another units file (another city, a test)
KINDS = ("government", "department", "town", "zone", "other")
FILE_RULE = "units_file"
MIGRATION_ACTOR = "system:units"  # who moves reports when the units file changes
OTHER_RULE = "other"
# Bumped when the resolution code changes, so stores migrate their reports (see `migrate`).
RESOLUTION_VERSION = "2"


@dataclass(frozen=True)
class Unit:
    """A reporting unit as the store keeps it."""

    unit_id: str
    name: str
    district: str | None
    kind: str
    deadline_class: str
    kind_rule: str = OTHER_RULE  # units_file | organ | town | government | zone | other
    kind_basis: str = ""  # in words: which entry or pattern chose the kind
    own_report: bool = False  # the district government's own consolidated report
    registered: bool = False  # listed in the units file


@dataclass(frozen=True)
class Entry:
    """One unit of the units file."""

    name: str
    district: str | None  # None: the city level
    kind: str
    local: str  # the part after the district's name (民政局, 桥头镇人民政府, 人民政府)
    variants: tuple[str, ...] = field(default=())
    own_report: bool = False


_override: list[Path] = []


def use(path: str | Path | None) -> None:
    """Read units from another file from now on (None: back to $NIANBAO_UNITS or the packaged file)."""
    _override.clear()
    if path is not None:
        _override.append(Path(path))
    for cached in (_config, registry, _index, _city_names):
        cached.cache_clear()


def units_path() -> Path | None:
    """The units file in use: `use(...)`, else $NIANBAO_UNITS, else None for the packaged units.toml."""
    if _override:
        return _override[0]
    env = os.environ.get(ENV, "").strip()
    return Path(env) if env else None


def units_text() -> str:
    """The text of the units file in use."""
    path = units_path()
    if path is None:
        return resources.files("nianbao").joinpath("units.toml").read_text(encoding="utf-8")
    return path.read_text(encoding="utf-8")


def units_digest() -> str:
    """A hash of the units file in use and of the resolution code's version."""
    return hashlib.sha256((RESOLUTION_VERSION + "\0" + units_text()).encode("utf-8")).hexdigest()


@cache
def _config(path: str) -> dict[str, Any]:
    return tomllib.loads(units_text())


def config() -> dict[str, Any]:
    """The units file in use, parsed (cached per path)."""
    return _config(str(units_path()))


def validate() -> None:
    """Check the units file in use; raises ValueError with a readable message."""
    try:
        cfg = config()
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"units file unreadable: {e}") from e
    if not isinstance(cfg.get("city"), str) or not cfg["city"]:
        raise ValueError("units file: `city` is missing")
    for d in cfg.get("districts", []):
        if not d.get("name"):
            raise ValueError("units file: a [[districts]] entry has no name")
    for u in cfg.get("units", []):
        if not u.get("name") or u.get("kind") not in KINDS:
            raise ValueError(
                f"units file: [[units]] {u.get('name')!r} needs a name and a kind of {', '.join(KINDS)}"
            )
    for r in cfg.get("kind_rules", []):
        if r.get("kind") not in KINDS or not r.get("patterns"):
            raise ValueError(f"units file: kind rule {r.get('rule')!r} needs a kind and patterns")
        for p in [*r["patterns"], *r.get("unless", [])]:
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"units file: kind rule {r.get('rule')!r}: bad pattern {p!r} ({e})") from e


def city() -> str:
    """The configured city."""
    return str(config()["city"])


def districts() -> list[str]:
    """The city's districts and counties, in file order."""
    return [d["name"] for d in config().get("districts", [])]


def district_forms(d: dict[str, Any]) -> list[str]:
    """Every way a district is written: canonical, short, variants (longest first)."""
    forms = {d["name"], d.get("short", d["name"]), *d.get("variants", [])}
    return sorted(forms, key=len, reverse=True)


def common_departments() -> list[str]:
    """The departments every district has, in file order."""
    return list(config().get("departments", []))


def kind_labels() -> dict[str, dict[str, str]]:
    """Each kind's label and the basis of its deadline, from the units file."""
    found = config().get("kinds", {})
    return {
        k: {"label": found.get(k, {}).get("label", k), "basis": found.get(k, {}).get("basis", "")}
        for k in KINDS
    }


def _short_local(local: str) -> str:
    """A town's name without 人民政府 / 办事处 (鲁沙尔镇, 东关大街街道)."""
    for suffix in ("人民政府", "办事处"):
        if local.endswith(suffix) and len(local) > len(suffix) + 1:
            return local[: -len(suffix)]
    return local


def _town_forms(local: str) -> list[str]:
    """A town as reports write it: 桥头镇人民政府, 桥头镇政府, 桥头镇."""
    short = _short_local(local)
    forms = [local, short]
    if local.endswith("人民政府"):
        forms.append(short + "政府")
    return forms


@cache
def registry() -> tuple[Entry, ...]:
    """Every unit of the units file, with its variants: per district its 人民政府 (the district's own
    report), its departments and its towns; then the file's [[units]]."""
    cfg = config()
    out: list[Entry] = []
    locals_seen: dict[str, int] = {}
    for d in cfg.get("districts", []):
        for t in d.get("towns", []):
            for form in set(_town_forms(t)):
                locals_seen[form] = locals_seen.get(form, 0) + 1
    for d in cfg.get("districts", []):
        forms = district_forms(d)
        gov = d["name"] + "人民政府"
        gov_variants = [f + s for f in forms for s in ("", "人民政府", "政府")]
        out.append(Entry(gov, d["name"], "government", "人民政府", _variants(gov, gov_variants), True))
        for dept in [*cfg.get("departments", []), *d.get("departments", [])]:
            vs = [f + dept for f in forms]
            if dept.startswith("人民政府"):  # 城中区政府办公室
                vs += [f + "政府" + dept[4:] for f in forms]
            else:
                vs += [f + "人民政府" + dept for f in forms]
            out.append(
                Entry(d["name"] + dept, d["name"], "department", dept, _variants(d["name"] + dept, vs))
            )
        for t in d.get("towns", []):
            vs = [f + x for f in forms for x in _town_forms(t)]
            # a town's name alone, when no other district has a town of that name
            vs += [x for x in _town_forms(t) if locals_seen.get(x, 0) == 1]
            out.append(Entry(d["name"] + t, d["name"], "town", t, _variants(d["name"] + t, vs)))
    for u in cfg.get("units", []):
        district = u.get("district") or None
        local = u["name"][len(district) :] if district and u["name"].startswith(district) else u["name"]
        out.append(
            Entry(
                u["name"],
                district,
                u["kind"],
                local,
                _variants(u["name"], u.get("variants", [])),
                bool(u.get("own_report", False)),
            )
        )
    return tuple(out)


def _variants(name: str, forms: list[str]) -> tuple[str, ...]:
    return tuple(sorted({f for f in forms if f and f != name}))


def _bare(name: str) -> str:
    """Folded, without spaces or brackets."""
    return re.sub(r"[\s()\[\]【】〔〕]", "", fold(name))


def _strip_city(n: str) -> str:
    """The name without the city's name in front (a city-level unit keeps it: 西宁市人民政府)."""
    if n in _city_names():
        return n
    for c in sorted([city(), *config().get("city_variants", [])], key=len, reverse=True):
        if n.startswith(c) and len(n) > len(c):
            return n[len(c) :]
    return n


def _key(name: str) -> str:
    """A name as resolution compares it: folded, without spaces, brackets or the city prefix."""
    return _strip_city(_bare(name))


@cache
def _city_names() -> frozenset[str]:
    out: set[str] = set()
    for u in config().get("units", []):
        if not u.get("district"):
            out.add(_bare(u["name"]))
            out.update(_bare(v) for v in u.get("variants", []))
    return frozenset(out)


@cache
def _index() -> dict[str, Entry]:
    """Every canonical name and variant of the units file, as resolution keys."""
    out: dict[str, Entry] = {}
    for e in registry():
        for form in (e.name, *e.variants):
            out.setdefault(_key(form), e)
            out.setdefault(_bare(form), e)
    return out


def entry(name: str | None) -> Entry | None:
    """The units file's entry for a name, when it has one."""
    if not name:
        return None
    idx = _index()
    return idx.get(_key(name)) or idx.get(_bare(name))


def _district_of(name: str) -> tuple[str | None, str]:
    """The district named in a unit name, and the name with the district written canonically."""
    for d in config().get("districts", []):
        for form in district_forms(d):
            if name.startswith(form):
                return d["name"], d["name"] + name[len(form) :]
    for d in config().get("districts", []):
        for form in district_forms(d):
            if form in name:
                return d["name"], name.replace(form, d["name"], 1)
    return None, name


def kind_rule(name: str) -> tuple[str, str, str]:
    """(kind, rule, basis) for a name not in the units file: the first kind rule that matches."""
    key = _bare(name)
    for rule in config().get("kind_rules", []):
        unless = [re.compile(p) for p in rule.get("unless", [])]
        if any(p.search(key) for p in unless):
            continue
        for pattern in rule["patterns"]:
            m = re.search(pattern, key)
            if m:
                return rule["kind"], rule["rule"], f"{rule.get('what', rule['rule'])}“{m.group(0)}”"
    return "other", OTHER_RULE, "名称无法判定类别"


def resolve(name: str | None) -> Unit | None:
    """The canonical unit for a name found in a report (city prefix dropped, old names mapped)."""
    if not name or not name.strip():
        return None
    found = entry(name)
    if found is not None:
        return Unit(
            unit_id=found.name,
            name=found.name,
            district=found.district,
            kind=found.kind,
            deadline_class=found.kind,
            kind_rule=FILE_RULE,
            kind_basis="单位名录",
            own_report=found.own_report,
            registered=True,
        )
    n = _key_name(name)
    district, n = _district_of(n)
    kind, rule, basis = kind_rule(n)
    return Unit(n, n, district, kind, kind, rule, basis)


def _key_name(name: str) -> str:
    """The canonical id of a name outside the units file: folded, no spaces, city prefix dropped."""
    n = fold(name).replace(" ", "").strip()
    rest = _strip_city(n)
    # the city's own bodies (西宁市教育局) keep the city's name; a district's drop it
    if rest != n and any(
        rest.startswith(f) for d in config().get("districts", []) for f in district_forms(d)
    ):
        return rest
    return n


def own_report_unit(district: str) -> Unit | None:
    """The unit whose report is the district's own consolidated report."""
    for e in registry():
        if e.district == district and e.own_report:
            return resolve(e.name)
    return None


# --- the store side --------------------------------------------------------------------------

UNIT_COLUMNS = (
    "unit_id",
    "name",
    "district",
    "kind",
    "deadline_class",
    "kind_rule",
    "kind_basis",
    "own_report",
    "registered",
)


def unit_row(unit: Unit) -> list[Any]:
    """The unit as a row of the units table, in UNIT_COLUMNS order."""
    return [
        unit.unit_id,
        unit.name,
        unit.district,
        unit.kind,
        unit.deadline_class,
        unit.kind_rule,
        unit.kind_basis,
        unit.own_report,
        unit.registered,
    ]


def upsert(con: duckdb.DuckDBPyConnection, unit: Unit) -> None:
    """Insert a unit, or bring its kind and the rule that chose it up to date."""
    cols = ", ".join(UNIT_COLUMNS)
    marks = ", ".join("?" for _ in UNIT_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in UNIT_COLUMNS[2:])
    con.execute(
        f"insert into units ({cols}) values ({marks}) on conflict (unit_id) do update set {updates}",
        unit_row(unit),
    ).fetchall()


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Re-resolve every stored report's unit (in the caller's transaction): a report whose name now
    resolves to another unit moves there, versions are renumbered per (unit, year) by arrival, units
    left without reports by the move are dropped, and every unit's kind is brought up to date.
    Returns how many reports moved."""
    # A report kept outside the city's scope (outside_reports) moves too, but never registers its unit.
    names = con.execute(
        "select unit_name, unit_id, bool_and(report_id in (select report_id from outside_reports))"
        " from reports where unit_name is not null or unit_id is not null group by unit_name, unit_id"
    ).fetchall()
    moved = 0
    touched: set[tuple[str | None, str | None]] = set()
    emptied: set[str] = set()
    for unit_name, old_id, outside in names:
        unit = resolve(unit_name) if unit_name else None
        if unit_name is None:
            continue
        new_id = unit.unit_id if unit else None
        if unit is not None and not outside:
            upsert(con, unit)
        if new_id == old_id:
            continue
        ids = [
            str(r[0])
            for r in con.execute(
                "select report_id from reports where unit_name = ? and unit_id is not distinct from ?",
                [unit_name, old_id],
            ).fetchall()
        ]
        n = len(ids)
        # the findings' fingerprints follow the unit: the log says where each report went, so that
        # what is keyed on the old fingerprints (reviews, rectification) can follow it
        for rid in ids:
            audit.record(
                con,
                actor=MIGRATION_ACTOR,
                action="unit_move",
                subject_kind="report",
                subject=rid,
                reason="单位名录或单位识别规则已更新",
                detail={"unit_name": unit_name, "unit_before": old_id, "unit_after": new_id},
            )
        con.execute(
            "update reports set unit_id = ? where unit_name = ? and unit_id is not distinct from ?",
            [new_id, unit_name, old_id],
        ).fetchall()
        moved += int(n)
        touched.add((old_id, unit_name))
        touched.add((new_id, unit_name))
        if old_id is not None:
            emptied.add(old_id)
    for (uid,) in con.execute("select unit_id from units").fetchall():
        row = con.execute("select name from units where unit_id = ?", [uid]).fetchall()
        unit = resolve(row[0][0]) if row else None
        if unit is not None and unit.unit_id == uid:
            upsert(con, unit)
    if moved:
        renumber_versions(con, {uid for uid, _ in touched})
        for uid in emptied:
            con.execute(
                "delete from units where unit_id = ? and not own_report"
                " and not exists (select 1 from reports where unit_id = ?)",
                [uid, uid],
            ).fetchall()
    return moved


def renumber_versions(con: duckdb.DuckDBPyConnection, unit_ids: set[str | None]) -> None:
    """Number each (unit, year)'s versions 1, 2, ... again, in the order the documents arrived."""
    for uid in sorted(u for u in unit_ids if u is not None):
        con.execute(
            """
            update reports set version = n.version
            from (
                select r.report_id,
                    row_number() over (
                        partition by r.year order by d.received_at, r.version, r.report_id
                    ) as version
                from reports as r
                join documents as d on d.sha256 = r.sha256
                where r.unit_id = ?
            ) as n
            where reports.report_id = n.report_id
            """,
            [uid],
        ).fetchall()
