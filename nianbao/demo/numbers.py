"""The tables' true values for one unit over the years, consistent within and across years.

Within a year: Table 3 一+二 = （七）+四 per column, 总计 = the six applicant columns, （七） =
the outcome rows; Table 4 group totals. Across years: 上年结转 = last year's 结转下年度继续办理
(XY-1); 2021 format 现行有效件数 chain (XY-2); 2019 format 上一年项目数量 chain (XY-3).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from nianbao.demo.places import DemoUnit
from nianbao.demo.spec import CellKey
from nianbao.templates import template

APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")
ORG_SHARE = {"commercial": 0.15, "research": 0.02, "nonprofit": 0.03, "legal": 0.06, "other_org": 0.04}
OUTCOMES_2021 = {
    "r1_disclosed": 45,
    "r2_partial": 12,
    "r3_1": 0.5,
    "r3_2": 1,
    "r3_3": 0.5,
    "r3_4": 2,
    "r3_5": 1,
    "r3_6": 2,
    "r3_7": 1,
    "r3_8": 2,
    "r4_1": 15,
    "r4_2": 3,
    "r4_3": 2,
    "r5_1": 3,
    "r5_2": 3,
    "r5_3": 0.5,
    "r5_4": 0.5,
    "r5_5": 1,
    "r6_1": 1,
    "r6_2": 0.3,
    "r6_3": 1,
}
OUTCOMES_2019 = {k: v for k, v in OUTCOMES_2021.items() if not k.startswith("r6_")} | {"r6": 2.3}
T4_GROUPS = ("review", "direct", "after")
T4_PARTS = ("upheld", "corrected", "other", "pending")

# The seed (湟中区人民政府 2020) states these 上一年项目数量; its 2019 report must lead to them.
SEED_PREV_ITEMS = {"licensing": 49469, "other_services": 0, "penalty": 2096, "enforcement": 1653, "fees": 0}


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth for small means, a rounded normal for large ones)."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@dataclass
class UnitState:
    """What carries from one year to the next."""

    carried: dict[str, int] = field(default_factory=lambda: dict.fromkeys(APPLICANTS, 0))
    prev_items: dict[str, int] = field(default_factory=dict)  # 2019 format, next year's 上一年项目数量
    in_force: int | None = None  # 2021 format 现行有效件数 of 行政规范性文件
    norm_total: int | None = None  # 2019 format 对外公开总数量 of 规范性文件


def scale(unit: DemoUnit) -> float:
    """How busy a unit is."""
    return {"government": 4.0, "department": unit.activity, "town": 0.35}[unit.kind]


def table3(
    unit: DemoUnit, year: int, version: str, state: UnitState, rng: random.Random, close_all: bool = False
) -> dict[CellKey, float]:
    """Table 3, consistent, with 上年结转 from the state; updates the state's carried-over counts.

    `close_all` carries nothing over to next year (the year before the seed, whose 上年结转 is 0).
    """
    s = scale(unit)
    growth = 1.0 + 0.06 * (year - 2019)
    lam = {"government": 6.0, "department": 2.2, "town": 0.8}[unit.kind] * s * growth
    new = {"natural": poisson(rng, lam)}
    for col, share in ORG_SHARE.items():
        new[col] = poisson(rng, lam * share)
    carried_in = dict(state.carried)
    carried_out: dict[str, int] = {}
    for col in APPLICANTS:
        pool = new[col] + carried_in[col]
        carried_out[col] = 0 if close_all else sum(1 for _ in range(pool) if rng.random() < 0.06)
    outcomes = OUTCOMES_2019 if version == "2019" else OUTCOMES_2021
    keys, weights = list(outcomes), list(outcomes.values())
    per: dict[str, dict[str, int]] = {k: dict.fromkeys(APPLICANTS, 0) for k in keys}
    for col in APPLICANTS:
        handled = new[col] + carried_in[col] - carried_out[col]
        for k in rng.choices(keys, weights, k=handled) if handled else []:
            per[k][col] += 1
    out: dict[CellKey, float] = {}

    def put(row: str, vals: dict[str, int]) -> None:
        for col in APPLICANTS:
            out[("t3", row, col)] = vals[col]
        out[("t3", row, "total")] = sum(vals.values())

    put("new", new)
    put("carried_in", carried_in)
    for k in keys:
        put(k, per[k])
    put("r7_total", {col: sum(per[k][col] for k in keys) for col in APPLICANTS})
    put("carried_out", carried_out)
    state.carried = carried_out
    return out


def table4(unit: DemoUnit, rng: random.Random) -> dict[CellKey, float]:
    """Table 4: cases in three groups, each with its total."""
    s = scale(unit)
    means = {
        "review": {"government": 0.5, "department": 0.12, "town": 0.03}[unit.kind] * s,
        "direct": {"government": 0.15, "department": 0.04, "town": 0.01}[unit.kind] * s,
        "after": {"government": 0.08, "department": 0.02, "town": 0.0}[unit.kind] * s,
    }
    out: dict[CellKey, float] = {}
    for g in T4_GROUPS:
        counts = dict.fromkeys(T4_PARTS, 0)
        for part in rng.choices(T4_PARTS, (55, 12, 15, 18), k=poisson(rng, means[g])):
            counts[part] += 1
        for part in T4_PARTS:
            out[("t4", "cases", f"{g}_{part}")] = counts[part]
        out[("t4", "cases", f"{g}_total")] = sum(counts.values())
    return out


def table2_2019(
    unit: DemoUnit, year: int, state: UnitState, rng: random.Random, seed_chain: bool = False
) -> dict[CellKey, float]:
    """Table 2 in the 2019 format; 上一年项目数量 follows last year's 上一年项目数量 + 本年增/减."""
    s = scale(unit)
    out: dict[CellKey, float] = {}
    for col in ("made", "published", "total"):
        out[("t2", "rules", col)] = 0  # district-level bodies make no 规章
    made = poisson(rng, {"government": 1.5, "department": 0.5, "town": 0.0}[unit.kind] * s)
    published = made
    if state.norm_total is None:
        state.norm_total = made * 4 + poisson(rng, 3 * s) if unit.kind != "town" else 0
    state.norm_total += published
    out[("t2", "normative", "made")] = made
    out[("t2", "normative", "published")] = published
    out[("t2", "normative", "total")] = state.norm_total
    base = {
        "licensing": 30 * s,
        "other_services": 8 * s,
        "penalty": 25 * s,
        "enforcement": 4 * s,
        "fees": 1.5 * s,
    }
    if unit.kind == "town":
        base = {k: v * 0.3 for k, v in base.items()}
    decisions_per_item = {"licensing": 40, "other_services": 25, "penalty": 3, "enforcement": 1.5}
    for row, b in base.items():
        prev = state.prev_items.get(row)
        if prev is None:
            prev = poisson(rng, b)
        change = rng.randint(-2, 3) if prev > 2 else rng.randint(0, 2)
        if seed_chain:
            change = rng.randint(-20, 40) if SEED_PREV_ITEMS[row] > 40 else 0
            prev = SEED_PREV_ITEMS[row] - change
        out[("t2", row, "prev_items")] = prev
        out[("t2", row, "change")] = change
        if row in decisions_per_item:
            per_item = 0.3 if seed_chain else decisions_per_item[row]
            out[("t2", row, "decisions")] = poisson(rng, max(prev, 0) * per_item)
        state.prev_items[row] = prev + change
    items = poisson(rng, {"government": 20, "department": 6, "town": 1.5}[unit.kind] * max(s, 0.5))
    out[("t2", "procurement", "proc_items")] = items
    out[("t2", "procurement", "proc_amount")] = round(items * rng.uniform(3, 60), 2) if items else 0
    return out


def table2_2021(unit: DemoUnit, year: int, state: UnitState, rng: random.Random) -> dict[CellKey, float]:
    """Table 2 in the 2021 format; 现行有效件数 = last year's + 制发 − 废止."""
    s = scale(unit)
    out: dict[CellKey, float] = {}
    for col in ("issued", "repealed", "in_force"):
        out[("t2", "rules", col)] = 0
    if state.in_force is None:
        state.in_force = poisson(rng, {"government": 8, "department": 1.5, "town": 0.0}[unit.kind] * s)
    issued = poisson(rng, {"government": 1.5, "department": 0.4, "town": 0.0}[unit.kind] * s)
    repealed = min(state.in_force, poisson(rng, 0.15 * state.in_force))
    state.in_force = state.in_force + issued - repealed
    out[("t2", "normative", "issued")] = issued
    out[("t2", "normative", "repealed")] = repealed
    out[("t2", "normative", "in_force")] = state.in_force
    town = 0.3 if unit.kind == "town" else 1.0
    out[("t2", "licensing", "decisions")] = poisson(rng, 1000 * s * town)
    out[("t2", "penalty", "decisions")] = poisson(rng, 60 * s * town)
    out[("t2", "enforcement", "decisions")] = poisson(rng, 5 * s * town)
    has_fees = unit.kind == "government" or (unit.kind == "department" and unit.activity >= 1.0)
    out[("t2", "fees", "fee_amount")] = round(rng.uniform(0.5, 40) * s, 2) if has_fees else 0
    return out


def check(values: dict[CellKey, float], version: str) -> list[str]:
    """The identities that fail in a set of true values (empty for every generated report)."""
    bad: list[str] = []
    tpl = template(version)
    rows = [r.key for r in tpl.t3_rows]
    outcome_rows = [r for r in rows if r not in ("new", "carried_in", "r7_total", "carried_out")]
    for row in rows:
        if sum(values[("t3", row, c)] for c in APPLICANTS) != values[("t3", row, "total")]:
            bad.append(f"LBL-1 {row}")
    for col in (*APPLICANTS, "total"):
        v = {r: values[("t3", r, col)] for r in rows}
        if sum(v[r] for r in outcome_rows) != v["r7_total"]:
            bad.append(f"LBL-2 {col}")
        if v["new"] + v["carried_in"] != v["r7_total"] + v["carried_out"]:
            bad.append(f"OFF-1 {col}")
    for g in T4_GROUPS:
        if (
            sum(values[("t4", "cases", f"{g}_{p}")] for p in T4_PARTS)
            != values[("t4", "cases", f"{g}_total")]
        ):
            bad.append(f"LBL-3 {g}")
    return bad
