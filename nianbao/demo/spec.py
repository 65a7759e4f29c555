"""What the generator decides for one report, before any file is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nianbao.demo.places import DemoUnit

CellKey = tuple[str, str, str]  # (table, row, col), the template's canonical keys

LAYOUTS = ("html", "docx", "pdf", "txt")
EXTENSIONS = {"html": "html", "docx": "docx", "pdf": "pdf", "txt": "txt"}

DEFECT_KINDS = (
    "blank_cells",
    "broken_identity",
    "wrong_template",
    "late",
    "missing_year",
    "copied_problems",
    "unit_slip",
    "narrative_contradiction",
)


@dataclass
class Defect:
    """One injected defect, as the manifest lists it."""

    unit: str
    year: int
    kind: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"unit": self.unit, "year": self.year, "kind": self.kind, "details": self.details}


@dataclass
class SectionText:
    """One of the six sections: heading, paragraphs before its table, paragraphs after it."""

    no: str
    key: str
    heading: str
    before: list[str]
    after: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The running text the parser should find for the section (tables excluded)."""
        return "\n".join([*self.before, *self.after])


@dataclass
class DemoReport:
    """One generated report: metadata, narrative, the cells as written, and its defects."""

    unit: DemoUnit
    year: int
    version: str  # the template the tables are written in ('2019' or '2021')
    layout: str  # html | docx | pdf | txt
    title: str
    published: date
    deadline: date
    preamble: list[str]
    sections: list[SectionText]
    values: dict[CellKey, float]  # the true values
    cells: dict[CellKey, str]  # the text written in each cell (defects applied)
    signature: str  # the closing line: unit and date
    defects: list[Defect] = field(default_factory=list)
    variant: int = 0  # a layout detail drawn per report (site style, label wording)

    @property
    def file_stem(self) -> str:
        """The file name without extension."""
        return f"{self.unit.name}_{self.year}"

    @property
    def file_name(self) -> str:
        """The file name, under the district's folder."""
        return f"{self.unit.district.name}/{self.file_stem}.{EXTENSIONS[self.layout]}"

    def section(self, key: str) -> SectionText:
        """The section with that key."""
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)
