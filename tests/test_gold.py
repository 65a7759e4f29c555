"""Every cell of the seed and of each full gold report, cell by cell: raw, value and state."""

from __future__ import annotations

import re

import goldkit
import pytest

from nianbao.ingest import parse_bytes
from nianbao.recognize.normalize import fold

# The converted text read this many cells right before its fix (issue 7): never fewer.
DERIVED_TEXT_FLOOR = 125
SECTIONS = ["一", "二", "三", "四", "五", "六"]


def expected_state(raw: str, value: float | None) -> str:
    """The state a careful reader gives a gold cell (written independently of the parser)."""
    if raw == "":
        return "blank"
    if re.fullmatch(r"-?\d+(\.\d+)?", raw):
        return "zero" if value == 0 else "number"
    if re.fullmatch(r"-?\d+(\.\d+)?(元|万元|亿|亿元|万)", raw):
        return "unit"
    if raw in {"-", "—", "/", "--"}:
        return "dash"
    if raw == "无":
        return "none"
    return "text"


def gold_state(answer: dict, g: dict) -> str:
    """A gold cell's state; a row the report lacks altogether is missing, not blank (see defects)."""
    lacked = goldkit.lacked_rows(answer)
    if g["raw"] == "" and any(g["row_label"].startswith(prefix + "/") for prefix in lacked):
        return "missing"
    return expected_state(g["raw"], g["value"])


def _parsed(path):
    return parse_bytes(path.read_bytes(), path.name).report


@pytest.mark.parametrize("path", goldkit.GOLD_FILES, ids=[p.stem for p in goldkit.GOLD_FILES])
def test_every_gold_cell_is_read_exactly(path) -> None:
    answer = goldkit.load(path)
    report = _parsed(goldkit.source(answer))
    got = {(c.table, c.row_label, c.col_label): c for c in report.cells}
    assert len(got) == len(answer["cells"])
    right, wrong = 0, []
    noted = {(n.table, n.row) for n in report.notes}
    for g in answer["cells"]:
        c = got[(g["table"], g["row_label"], g["col_label"])]
        if (c.raw, c.value, c.state) == (g["raw"], g["value"], gold_state(answer, g)):
            right += 1
        elif not (
            goldkit.is_derived_text(answer)
            and c.value is None
            and c.state in ("ambiguous", "missing")
            and ((c.table, c.row) in noted or (c.table, None) in noted)
        ):
            wrong.append((g["row_label"], g["col_label"], g["raw"], c.raw, c.value, c.state))
    assert wrong == []
    if goldkit.is_derived_text(answer):
        assert right >= DERIVED_TEXT_FLOOR


@pytest.mark.parametrize("path", goldkit.GOLD_FILES, ids=[p.stem for p in goldkit.GOLD_FILES])
def test_gold_report_metadata(path) -> None:
    answer = goldkit.load(path)
    src = goldkit.source(answer)
    report = _parsed(src)
    assert (report.year, report.template, report.published) == (
        answer["year"],
        answer["template"],
        answer["published"],
    )
    if fold(answer["unit"]) in fold(src.read_bytes().decode("utf-8", "replace")) or src.suffix == ".pdf":
        assert report.unit == answer["unit"]
    else:
        # The file writes only a short form (上海市科委): the canonical name is the units file's job.
        assert report.unit and report.title and report.unit in fold(report.title).replace(" ", "")
    if goldkit.is_derived_text(answer):
        # A converter keeps the report's own numbering, which need not be the template's.
        assert [s.no for s in report.sections] == sorted({s.no for s in report.sections}, key=SECTIONS.index)
    else:
        assert [s.no for s in report.sections] == SECTIONS
    assert report.tables_found == ["t2", "t3", "t4"]


def test_seed_unit_in_cell_keeps_value_as_written(seed_bytes: bytes) -> None:
    report = parse_bytes(seed_bytes, "seed.txt").report
    cell = report.cell("t2", "procurement", "proc_amount")
    assert cell is not None
    assert (cell.raw, cell.value, cell.unit, cell.state) == ("10.22亿", 10.22, "亿", "unit")


def test_seed_full_width_padding_is_normalised(seed_bytes: bytes) -> None:
    report = parse_bytes(seed_bytes, "seed.txt").report
    cell = report.cell("t2", "licensing", "prev_items")
    assert cell is not None and (cell.raw, cell.value) == ("49469", 49469)


def test_seed_narrative_facts_itemise_the_total(seed_bytes: bytes) -> None:
    report = parse_bytes(seed_bytes, "seed.txt").report
    items = [f for f in report.facts if f.section == "overview" and f.unit == "条" and f.role == "item"]
    total = [f for f in report.facts if f.section == "overview" and f.role == "total"]
    assert [f.value for f in items] == [100, 50, 46, 38, 37, 189]
    assert [(f.value, f.qualifier) for f in total] == [(460, "预计")]
