"""The deterministic corpus generator: units, years, tables, prose, dates, layouts and defects.

Everything is drawn from `random.Random` instances seeded from the corpus seed and the unit's
name, so one seed always gives the same corpus, and adding a unit does not change the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from nianbao.demo import narrative, numbers
from nianbao.demo.places import DEPARTMENTS, DISTRICTS, DemoUnit, unit_name
from nianbao.demo.spec import DEFECT_KINDS, CellKey, Defect, DemoReport
from nianbao.templates import for_year

SEED_UNIT = "湟中区人民政府"
SEED_YEAR = 2020
SEED_FILE = "seed/huangzhong_2020.txt"

# Probability per report of a defective unit (missing_year: per unit and year).
# Defect rates as seen in the real corpus (../shared/corpus/index.csv, 28 reports): 3 of the 16
# reports on 2021 or later still use the 2019 tables; blank tables or cells in about a quarter
# (雄县, 榆林, the 湟中区 seed with 140 of 161 Table 3 cells blank); broken sums, late and
# missing reports are what the provincial 通报 name every year (DOMAIN §5.3).
DEFAULT_RATES: dict[str, float] = {
    "blank_cells": 0.25,
    "broken_identity": 0.10,
    "wrong_template": 0.19,  # of the 2021+ reports
    "late": 0.15,
    "missing_year": 0.08,
    "copied_problems": 0.07,  # of the reports whose unit reported last year
    "unit_slip": 0.08,  # of the reports in the 2021 format
    "narrative_contradiction": 0.07,
}

LAYOUT_WEIGHTS = {
    "government": {"html": 12, "docx": 4, "pdf": 1, "txt": 2},
    "department": {"html": 8, "docx": 6, "pdf": 1, "txt": 4},
    "town": {"html": 6, "docx": 6, "pdf": 1, "txt": 6},
}
DECIMAL_COLS = ("fee_amount", "proc_amount")
BLANK_FORMS = ("", "", "", "/", "-", "—", "无")


def _configured_deadline(kind: str) -> tuple[int, int]:
    from nianbao.catalog import scoring

    month, day = str(scoring()["deadlines"][kind]).split("-")
    return int(month), int(day)


@dataclass
class DemoConfig:
    """What the generator can be told."""

    seed: int = 2024
    years: tuple[int, ...] = tuple(range(2019, 2026))
    departments_per_district: int = 4
    towns_per_district: int = 2
    clean_share: float = 0.3
    rates: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    # (month, day) of the next year: local notices set it; by default what the checks use (scoring.toml)
    town_deadline: tuple[int, int] = field(default_factory=lambda: _configured_deadline("town"))
    with_seed: bool = True  # 湟中区人民政府 2020 is the shipped seed, not generated

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for the manifest."""
        return {
            "seed": self.seed,
            "years": list(self.years),
            "departments_per_district": self.departments_per_district,
            "towns_per_district": self.towns_per_district,
            "clean_share": self.clean_share,
            "rates": dict(self.rates),
            "town_deadline": f"{self.town_deadline[0]:02d}-{self.town_deadline[1]:02d}",
            "with_seed": self.with_seed,
        }


@dataclass
class Corpus:
    """The generated reports, the units, which units are clean, and the missing years."""

    config: DemoConfig
    units: list[DemoUnit]
    clean: set[str]
    reports: list[DemoReport]
    missing: list[Defect]

    def defects(self) -> list[Defect]:
        """Every injected defect, missing years included, in unit and year order."""
        out = [d for r in self.reports for d in r.defects] + list(self.missing)
        return sorted(out, key=lambda d: (d.unit, d.year, DEFECT_KINDS.index(d.kind)))


def units_of(config: DemoConfig) -> list[DemoUnit]:
    """The reporting units: per district its government, some departments and some towns."""
    out: list[DemoUnit] = []
    for d in DISTRICTS:
        rng = random.Random(f"{config.seed}:units:{d.name}")
        out.append(DemoUnit(unit_name(d, "人民政府"), d, "government", "人民政府", 4.0))
        for dept, activity in sorted(rng.sample(DEPARTMENTS, config.departments_per_district)):
            out.append(DemoUnit(unit_name(d, dept), d, "department", dept, activity))
        towns = list(d.towns)
        picked = ["鲁沙尔镇人民政府"] if d.name == "湟中区" else []
        picked += rng.sample([t for t in towns if t not in picked], config.towns_per_district - len(picked))
        for t in picked:
            out.append(DemoUnit(unit_name(d, t), d, "town", t, 0.35))
    return out


def deadline(unit: DemoUnit, year: int, config: DemoConfig) -> date:
    """条例 第四十九条: departments by 1-31, governments by 3-31; towns by the configured date."""
    if unit.kind == "government":
        return date(year + 1, 3, 31)
    if unit.kind == "department":
        return date(year + 1, 1, 31)
    return date(year + 1, *config.town_deadline)


def _on_time(unit: DemoUnit, year: int, due: date, rng: random.Random) -> date:
    start = date(year + 1, 2, 10) if unit.kind == "government" else date(year + 1, 1, 6)
    span = (due - start).days - 1
    return start + timedelta(days=rng.randint(0, max(span, 0)))


def fmt(col: str, value: float) -> str:
    """A value as a clean report writes it."""
    if col in DECIMAL_COLS:
        return "0" if value == 0 else f"{value:.2f}"
    return str(int(value))


def generate(config: DemoConfig | None = None) -> Corpus:
    """The whole corpus, deterministic from config.seed."""
    config = config or DemoConfig()
    units = units_of(config)
    clean: set[str] = set()
    for u in units:
        r = random.Random(f"{config.seed}:clean:{u.name}")
        if r.random() < config.clean_share and not (config.with_seed and u.name == SEED_UNIT):
            clean.add(u.name)
    reports: list[DemoReport] = []
    missing: list[Defect] = []
    for u in units:
        _unit_reports(u, u.name in clean, config, reports, missing)
    corpus = Corpus(config, units, clean, reports, missing)
    _ensure_every_kind(corpus)
    return corpus


def _unit_reports(
    unit: DemoUnit, is_clean: bool, config: DemoConfig, reports: list[DemoReport], missing: list[Defect]
) -> None:
    rng = random.Random(f"{config.seed}:unit:{unit.name}")
    rates = {k: (0.0 if is_clean else v) for k, v in config.rates.items()}
    state = numbers.UnitState()
    order = narrative.pool_order(rng)
    weights = LAYOUT_WEIGHTS[unit.kind]
    preferred = rng.choices(list(weights), list(weights.values()))[0]
    previous: DemoReport | None = None
    is_seed_unit = config.with_seed and unit.name == SEED_UNIT
    for year in config.years:
        if is_seed_unit and year == SEED_YEAR:
            # The seed states 上年结转 0 and leaves 结转下年度 blank; its 2019 report led to it.
            state.carried = dict.fromkeys(numbers.APPLICANTS, 0)
            state.prev_items = {}
            previous = None
            continue
        # A department or town missing in the first year looks like one that began reporting later:
        # only a 人民政府 (which must always report) is expected every year, so only it can miss it.
        first = year == config.years[0] and unit.kind != "government"
        if rng.random() < rates["missing_year"] and not first:
            missing.append(
                Defect(
                    unit.name, year, "missing_year", {"deadline": deadline(unit, year, config).isoformat()}
                )
            )
            # Nothing is published; next year still carries over what was pending.
            numbers.table3(unit, year, for_year(year).version, state, random.Random(rng.random()))
            previous = None
            continue
        layout = preferred if rng.random() < 0.75 else rng.choices(list(weights), list(weights.values()))[0]
        report = _report(unit, year, config, rng, rates, state, order, layout, previous, is_seed_unit)
        reports.append(report)
        previous = report


def _report(
    unit: DemoUnit,
    year: int,
    config: DemoConfig,
    rng: random.Random,
    rates: dict[str, float],
    state: numbers.UnitState,
    order: tuple[list[int], list[int]],
    layout: str,
    previous: DemoReport | None,
    is_seed_unit: bool,
) -> DemoReport:
    defects: list[Defect] = []
    right = for_year(year).version
    version = right
    if year >= 2021 and rng.random() < rates["wrong_template"]:
        version = "2019"
        defects.append(Defect(unit.name, year, "wrong_template", {"required": right, "used": "2019"}))
    before_seed = is_seed_unit and year == SEED_YEAR - 1
    values: dict[CellKey, float] = {}
    if version == "2019":
        values |= numbers.table2_2019(unit, year, state, rng, seed_chain=before_seed)
    else:
        values |= numbers.table2_2021(unit, year, state, rng)
    values |= numbers.table3(unit, year, version, state, rng, close_all=before_seed)
    values |= numbers.table4(unit, rng)
    if version == "2021" and rng.random() < rates["unit_slip"]:
        key: CellKey = ("t2", "fees", "fee_amount")
        if values[key] == 0:
            values[key] = round(rng.uniform(1, 30), 2)
        yuan = round(values[key] * 10000)
        written = f"{yuan}元" if rng.random() < 0.4 else str(yuan)
        defects.append(
            Defect(
                unit.name,
                year,
                "unit_slip",
                {
                    "cell": _cell_dict(key),
                    "written": written,
                    "expected": fmt("fee_amount", values[key]),
                    "unit": "万元",
                },
            )
        )
    cells = {k: fmt(k[2], v) for k, v in values.items()}
    for d in defects:
        if d.kind == "unit_slip":
            cells[("t2", "fees", "fee_amount")] = d.details["written"]
    touched: set[CellKey] = set()
    if rng.random() < rates["broken_identity"]:
        defects.append(_break_identity(unit, year, version, values, cells, touched, rng))
    if rng.random() < rates["blank_cells"]:
        blank = _blank(unit, year, values, cells, touched, rng)
        if blank is not None:
            defects.append(blank)

    t3 = {c: values[("t3", "new", c)] for c in (*numbers.APPLICANTS, "total")}
    normative_col = "issued" if version == "2021" else "made"
    fee = 100 * rng.choice((0, 0, 0, 0, 1, 2, 3)) if year >= 2021 and unit.kind == "government" else 0
    stated = narrative.Stated(
        received=int(t3["total"]),
        natural=int(t3["natural"]),
        organisations=int(t3["total"] - t3["natural"]),
        carried_in=int(values[("t3", "carried_in", "total")]),
        reviews=int(values[("t4", "cases", "review_total")]),
        lawsuits=int(values[("t4", "cases", "direct_total")] + values[("t4", "cases", "after_total")]),
        normative=int(values[("t2", "normative", normative_col)]),
        processing_fee_yuan=fee,
    )
    if rng.random() < rates["narrative_contradiction"]:
        true = stated.received
        delta = rng.choice((1, 2, 3, 5, 10))
        stated.received = true - delta if true > delta and rng.random() < 0.5 else true + delta
        # The checks accept 一, 一+二 and （七）总计 as "received": a contradiction must differ from all three.
        fits = {true, true + stated.carried_in, int(values.get(("t3", "r7_total", "total"), -1))}
        while stated.received in fits:
            stated.received += 1
        defects.append(
            Defect(
                unit.name,
                year,
                "narrative_contradiction",
                {
                    "section": "overview",
                    "quantity": "applications_received",
                    "stated": stated.received,
                    "table": {"table": "t3", "row": "new", "col": "total", "value": true},
                },
            )
        )
    s = numbers.scale(unit)
    items = [numbers.poisson(rng, m * s) for m in (30, 15, 6, 4)]
    five = narrative.problems(unit, year, order, rng)
    if previous is not None and rng.random() < rates["copied_problems"]:
        five = list(previous.section("problems").before)
        defects.append(
            Defect(unit.name, year, "copied_problems", {"section": "problems", "copied_from": year - 1})
        )
    sections = narrative.sections(unit, year, stated, items, five, rng)

    due = deadline(unit, year, config)
    published = _on_time(unit, year, due, rng)
    if rng.random() < rates["late"]:
        published = due + timedelta(days=rng.randint(10, 120))
        defects.append(
            Defect(unit.name, year, "late", {"published": published.isoformat(), "deadline": due.isoformat()})
        )
    title = narrative.title(unit, year, rng)
    return DemoReport(
        unit=unit,
        year=year,
        version=version,
        layout=layout,
        title=title,
        published=published,
        deadline=due,
        preamble=narrative.preamble(unit, year, version, rng),
        sections=sections,
        values=values,
        cells=cells,
        signature=f"{unit.name}\n{published.year}年{published.month}月{published.day}日",
        defects=defects,
        variant=rng.randrange(1000),
    )


def _cell_dict(key: CellKey) -> dict[str, str]:
    return {"table": key[0], "row": key[1], "col": key[2]}


def _break_identity(
    unit: DemoUnit,
    year: int,
    version: str,
    values: dict[CellKey, float],
    cells: dict[CellKey, str],
    touched: set[CellKey],
    rng: random.Random,
) -> Defect:
    """One wrong cell: a Table 3 outcome cell of one applicant column, or a Table 4 part."""
    if rng.random() < 0.7:
        outcome = numbers.OUTCOMES_2019 if version == "2019" else numbers.OUTCOMES_2021
        row = rng.choice(list(outcome))
        col = rng.choice(numbers.APPLICANTS)
        key: CellKey = ("t3", row, col)
        identities = [f"LBL-1 t3 row {row}", f"LBL-2 t3 col {col}"]
    else:
        group = rng.choice(numbers.T4_GROUPS)
        key = ("t4", "cases", f"{group}_{rng.choice(numbers.T4_PARTS)}")
        identities = [f"LBL-3 t4 {group}"]
    true = int(values[key])
    delta = rng.choice((1, 1, 2, 3, 10))
    written = true - delta if true >= delta and rng.random() < 0.4 else true + delta
    cells[key] = str(written)
    touched.add(key)
    return Defect(
        unit.name,
        year,
        "broken_identity",
        {"cell": _cell_dict(key), "written": str(written), "expected": str(true), "identities": identities},
    )


def _blank(
    unit: DemoUnit,
    year: int,
    values: dict[CellKey, float],
    cells: dict[CellKey, str],
    touched: set[CellKey],
    rng: random.Random,
) -> Defect | None:
    """Cells whose true value is 0 left blank (or written as a dash or 无)."""
    skip_rows = {"new", "carried_in", "carried_out", "r7_total"}
    cands = [
        k
        for k, v in values.items()
        if v == 0
        and k not in touched
        and k[2] != "total"
        and (
            (k[0] == "t3" and k[1] not in skip_rows)
            or (k[0] == "t4" and not k[2].endswith("_total"))
            or (k[0] == "t2" and k[1] == "rules")
        )
    ]
    if not cands:
        return None
    chosen = sorted(rng.sample(cands, min(len(cands), rng.randint(1, 8))))
    form = rng.choice(BLANK_FORMS)
    for k in chosen:
        cells[k] = form
        touched.add(k)
    return Defect(
        unit.name,
        year,
        "blank_cells",
        {"cells": [_cell_dict(k) | {"raw": form} for k in chosen], "expected": "0"},
    )


def _ensure_every_kind(corpus: Corpus) -> None:
    """Fail loudly when a seed yields no example of some defect kind (rates too low for the corpus)."""
    kinds = {d.kind for d in corpus.defects()}
    lacking = [k for k in DEFECT_KINDS if k not in kinds]
    if lacking:
        raise ValueError(f"seed {corpus.config.seed} produced no defect of kind {lacking}; raise the rates")
