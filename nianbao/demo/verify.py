"""Compare what the parser read from a rendered file with what the generator wrote."""

from __future__ import annotations

from nianbao.demo.spec import DemoReport
from nianbao.model import Report
from nianbao.recognize.values import read_value
from nianbao.templates import template
from nianbao.units import resolve


def differences(intended: DemoReport, parsed: Report) -> list[str]:
    """Every way the parsed report differs from the intended one (empty when they agree)."""
    out: list[str] = []
    unit = resolve(parsed.unit)
    if unit is None or unit.unit_id != intended.unit.name:
        out.append(
            f"unit: {parsed.unit!r} (resolved {unit.unit_id if unit else None!r}) != {intended.unit.name!r}"
        )
    if parsed.year != intended.year:
        out.append(f"year: {parsed.year} != {intended.year}")
    if parsed.template != intended.version:
        out.append(f"template: {parsed.template} != {intended.version}")
    if intended.layout == "html" and parsed.published != intended.published.isoformat():
        out.append(f"published: {parsed.published} != {intended.published.isoformat()}")
    want_cells = {(c.table, c.row, c.col) for c in template(intended.version).cells}
    got = {(c.table, c.row, c.col): c for c in parsed.cells}
    if set(got) != want_cells:
        out.append(
            f"cell keys differ: extra {sorted(set(got) - want_cells)[:5]}, missing {sorted(want_cells - set(got))[:5]}"
        )
    for key, raw in intended.cells.items():
        cell = got.get(key)
        if cell is None:
            continue
        value, _unit, state = read_value(raw)
        if cell.raw != raw or cell.state != state or cell.value != value:
            out.append(
                f"cell {key}: parsed {cell.raw!r}/{cell.state}/{cell.value} != written {raw!r}/{state}/{value}"
            )
    keys = [s.key for s in parsed.sections]
    if keys != [s.key for s in intended.sections]:
        out.append(f"sections: {keys}")
    for s in intended.sections:
        found = next((p for p in parsed.sections if p.key == s.key), None)
        if found is None:
            continue
        squeeze = "".join(found.text.split())
        for para in [*s.before, *s.after]:
            if "".join(para.split()) not in squeeze:
                out.append(f"section {s.key}: paragraph not found: {para[:30]}…")
    return out
