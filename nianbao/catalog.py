"""The rule catalog and the scoring configuration, as data (rules.toml, scoring.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

import duckdb

from nianbao import units
from nianbao.templates import VERSIONS, sections, template

CATEGORIES = ("完整性", "一致性", "及时性", "规范性", "内容")
WEBSITE_CATEGORY = "网站监测"  # rules with scope = "website": their own verdict, never a report's score
SEVERITIES = ("否决", "错误", "警告", "提示")


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("nianbao").joinpath(name).read_text(encoding="utf-8"))


@cache
def scoring() -> dict[str, Any]:
    """nianbao/scoring.toml."""
    return _toml("scoring.toml")


def view_name(rule_id: str) -> str:
    """The view that implements a rule: rule_<id>, lower case, '-' -> '_'."""
    return "rule_" + rule_id.lower().replace("-", "_")


@cache
def rules() -> tuple[dict[str, Any], ...]:
    """The catalog, with deduction and cap merged in from scoring.toml."""
    weights = scoring()["rules"]
    out: list[dict[str, Any]] = []
    for r in _toml("rules.toml")["rule"]:
        w = weights[r["id"]]
        out.append(
            {
                "rule_id": r["id"],
                "title": r["title"],
                "category": r["category"],
                "severity": r["severity"],
                "deduction": float(w["deduction"]),
                "cap": float(w["cap"]),
                "basis": r["basis"],
                "templates": r["templates"],
                "message_template": r["message_template"],
                "view_name": view_name(r["id"]),
                "scope": r.get("scope", "report"),
            }
        )
    return tuple(out)


def override_rows() -> list[list[Any]]:
    """(rule, template, severity, deduction) for rules whose severity or deduction depends on the format."""
    weights = scoring()["rules"]
    out: list[list[Any]] = []
    for r in _toml("rules.toml")["rule"]:
        severities = r.get("severity_by_template", {})
        deductions = weights[r["id"]].get("deduction_by_template", {})
        for t in sorted(set(severities) | set(deductions)):
            out.append(
                [
                    r["id"],
                    t,
                    severities.get(t, r["severity"]),
                    float(deductions.get(t, weights[r["id"]]["deduction"])),
                ]
            )
    return out


def settings_rows(config: dict[str, Any] | None = None) -> list[tuple[str, str, float | None]]:
    """scoring.toml flattened to (section.key, text, number); lists become regex alternations."""
    rows: list[tuple[str, str, float | None]] = []
    for section, values in (config or scoring()).items():
        if section == "rules" or not isinstance(values, dict):
            continue
        for key, v in values.items():
            if isinstance(v, list):
                text = "|".join(str(x) for x in v)
                rows.append((f"{section}.{key}", text, None))
            elif isinstance(v, bool):
                rows.append((f"{section}.{key}", str(v).lower(), float(v)))
            elif isinstance(v, int | float):
                rows.append((f"{section}.{key}", str(v), float(v)))
            else:
                rows.append((f"{section}.{key}", str(v), None))
    return rows


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[Any]]) -> None:
    """Insert many rows in one statement (executemany is slow in DuckDB): one list per column, unnested."""
    if not rows:
        return
    columns = [list(col) for col in zip(*rows, strict=True)]
    picks = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"insert into {table} select {picks}", columns).fetchall()


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Refill the rules, settings and template_cells tables from the data files."""
    con.execute("delete from rules").fetchall()
    cols = (
        "rule_id",
        "title",
        "category",
        "severity",
        "deduction",
        "cap",
        "basis",
        "templates",
        "message_template",
        "view_name",
        "scope",
    )
    _insert(con, "rules", [[r[c] for c in cols] for r in rules()])
    con.execute("delete from rule_overrides").fetchall()
    _insert(con, "rule_overrides", override_rows())
    con.execute("delete from settings").fetchall()
    _insert(con, "settings", [list(r) for r in settings_rows()])
    con.execute("delete from template_cells").fetchall()
    cells = [
        [v, c.table, c.row, c.col, c.row_label, c.col_label, c.signed, i, c.decimal]
        for v in VERSIONS
        for i, c in enumerate(template(v).cells)
    ]
    _insert(con, "template_cells", cells)
    con.execute("delete from template_sections").fetchall()
    _insert(con, "template_sections", [[s["no"], s["key"], s["title"], i] for i, s in enumerate(sections())])
    _seed_units(con)


def _seed_units(con: duckdb.DuckDBPyConnection) -> None:
    """Register each district's own consolidated report (its 人民政府), so a missing one is noticed,
    and load the unit kinds' labels from the units file."""
    for name in units.districts():
        unit = units.own_report_unit(name)
        if unit is not None:
            units.upsert(con, unit)
    con.execute("delete from unit_kinds").fetchall()
    _insert(con, "unit_kinds", [[k, v["label"], v["basis"]] for k, v in units.kind_labels().items()])


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str | float) -> None:
    """Change one setting in a store (e.g. timeliness.as_of) until the schema is reinstalled.

    The stored findings and scores are recomputed with it.
    """
    from nianbao.store import settings_changed

    num = float(value) if isinstance(value, int | float) else None
    con.execute("insert or replace into settings values (?, ?, ?)", [key, str(value), num]).fetchall()
    settings_changed(con)
