"""What recognition produces: a Report with its metadata, sections, cells, facts and notes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

CellState = Literal["number", "zero", "blank", "dash", "none", "text", "unit", "ambiguous", "missing"]
STATES: tuple[str, ...] = ("number", "zero", "blank", "dash", "none", "text", "unit", "ambiguous", "missing")


@dataclass
class Cell:
    """One cell of the official template, as found in the document."""

    table: str  # t2, t3, t4
    row: str  # canonical row key
    col: str  # canonical column key
    row_label: str  # official label path, outermost first, joined by '/'
    col_label: str
    raw: str  # the text as found, surrounding whitespace removed
    value: float | None
    unit: str | None
    state: str  # one of STATES

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form with the CLI's key names."""
        d = asdict(self)
        if isinstance(self.value, float) and self.value.is_integer() and "." not in self.raw:
            d["value"] = int(self.value)
        return d


@dataclass
class Section:
    """One of the six sections: its number, the heading as written, and its running text."""

    no: str  # 一 .. 六
    key: str  # overview, proactive, requests, appeals, problems, other
    heading: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass
class Fact:
    """A number stated in the narrative, with what it counts."""

    section: str  # section key
    quantity: str  # canonical quantity key, e.g. 'applications_received'
    label: str  # what the text says it counts, e.g. '通知公告'
    value: float | None  # None when the number is left blank in the text
    unit: str
    sentence: str
    position: int  # character offset within the section text
    role: str = "item"  # item | total
    qualifier: str | None = None  # a hedge written next to the number: 预计, 约, 余, 左右

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = asdict(self)
        if isinstance(self.value, float) and self.value.is_integer():
            d["value"] = int(self.value)
        return d


@dataclass
class Note:
    """Something the parser could not read with certainty."""

    code: str  # glued, ambiguous, missing_table, ...
    message: str
    table: str | None = None
    row: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass
class Report:
    """Everything recognised in one document."""

    unit: str | None
    year: int | None
    template: str | None  # '2019' or '2021'; None when no official table format was found
    title: str | None
    published: str | None  # YYYY-MM-DD
    sections: list[Section] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    tables_found: list[str] = field(default_factory=list)
    # Where each metadata value was read: unit -> title | signature | given; published -> page |
    # list | signature | given (given: passed in by the caller, e.g. `ingest --published`).
    sources: dict[str, str] = field(default_factory=dict)

    def cell(self, table: str, row: str, col: str) -> Cell | None:
        """The cell at (table, row, col), if the template has it."""
        for c in self.cells:
            if c.table == table and c.row == row and c.col == col:
                return c
        return None

    def as_dict(self, file: str | None = None) -> dict[str, Any]:
        """The `nianbao parse --json` object."""
        return {
            "file": file,
            "report": {
                "unit": self.unit,
                "year": self.year,
                "template": self.template,
                "title": self.title,
                "published": self.published,
                "sources": dict(self.sources),
            },
            "sections": [s.as_dict() for s in self.sections],
            "tables_found": list(self.tables_found),
            "cells": [c.as_dict() for c in self.cells],
            "facts": [f.as_dict() for f in self.facts],
            "notes": [n.as_dict() for n in self.notes],
        }
