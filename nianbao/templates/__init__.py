"""The official templates, loaded from their data files (one per format version)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

VERSIONS = ("2019", "2021")


@dataclass(frozen=True)
class Column:
    """One column of a template table."""

    key: str
    label: str
    match: tuple[str, ...]
    signed: bool = False
    decimal: bool = False
    unit: str | None = None


@dataclass(frozen=True)
class Row:
    """One data row of a template table; `label` is the official label path."""

    key: str
    label: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """A Table 2 block (第二十条第（X）项) with its own columns and rows."""

    label: str
    match: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CellSpec:
    """One cell the template requires."""

    table: str
    row: str
    col: str
    row_label: str
    col_label: str
    signed: bool
    decimal: bool
    unit: str | None


@dataclass(frozen=True)
class Template:
    """One official format version."""

    version: str
    name: str
    basis: str
    first_year: int
    last_year: int
    fingerprints: tuple[str, ...]
    t2_blocks: tuple[Block, ...]
    t3_anchor: tuple[str, ...]
    t3_columns: tuple[Column, ...]
    t3_rows: tuple[Row, ...]
    t4_row: Row
    t4_columns: tuple[Column, ...]
    cells: tuple[CellSpec, ...] = field(default=())

    def applies_to(self, year: int) -> bool:
        """Whether this is the format required for the report year."""
        return self.first_year <= year <= self.last_year


def _read(name: str) -> dict[str, Any]:
    text = resources.files("nianbao.templates").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _column(d: dict[str, Any]) -> Column:
    return Column(
        key=d["key"],
        label=d["label"],
        match=tuple(d.get("match", [d["label"]])),
        signed=bool(d.get("signed", False)),
        decimal=bool(d.get("decimal", False)),
        unit=d.get("unit"),
    )


def _row(d: dict[str, Any]) -> Row:
    return Row(key=d["key"], label=d["label"], match=tuple(d.get("match", [d["label"]])))


@cache
def sections() -> tuple[dict[str, Any], ...]:
    """The six sections with their heading keywords."""
    return tuple(_read("sections.toml")["sections"])


@cache
def template(version: str) -> Template:
    """Load one template version ('2019' or '2021')."""
    if version not in VERSIONS:
        raise KeyError(version)
    own = _read(f"format_{version}.toml")
    shared = _read("tables_3_4.toml")
    blocks = tuple(
        Block(
            label=b["label"],
            match=tuple(b["match"]),
            columns=tuple(_column(c) for c in b["columns"]),
            rows=tuple(_row(r) for r in b["rows"]),
        )
        for b in own["t2"]["blocks"]
    )
    t3_rows = tuple(_row(r) for r in shared["t3"]["rows"] if version in r.get("formats", VERSIONS))
    t3_cols = tuple(_column(c) for c in shared["t3"]["columns"])
    t4_cols = tuple(_column(c) for c in shared["t4"]["columns"])
    t4_row = Row(key=shared["t4"]["row"]["key"], label=shared["t4"]["row"]["label"], match=())
    cells: list[CellSpec] = []
    for b in blocks:
        for r in b.rows:
            for c in b.columns:
                path = f"{b.label}/{r.label}"
                cells.append(CellSpec("t2", r.key, c.key, path, c.label, c.signed, c.decimal, c.unit))
    for r in t3_rows:
        for c in t3_cols:
            cells.append(CellSpec("t3", r.key, c.key, r.label, c.label, False, False, None))
    for c in t4_cols:
        cells.append(CellSpec("t4", t4_row.key, c.key, t4_row.label, c.label, False, False, None))
    return Template(
        version=version,
        name=own["name"],
        basis=own["basis"],
        first_year=int(own["first_year"]),
        last_year=int(own["last_year"]),
        fingerprints=tuple(own["fingerprints"]),
        t2_blocks=blocks,
        t3_anchor=tuple(shared["t3"]["anchor"]),
        t3_columns=t3_cols,
        t3_rows=t3_rows,
        t4_row=t4_row,
        t4_columns=t4_cols,
        cells=tuple(cells),
    )


def for_year(year: int) -> Template:
    """The template a report for this year must use."""
    for v in VERSIONS:
        t = template(v)
        if t.applies_to(year):
            return t
    raise KeyError(year)
