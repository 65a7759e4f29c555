"""Every cell of the seed and of each full gold report, cell by cell: raw, value and state."""

from __future__ import annotations

import json
import re

import goldkit
import pytest

from nianbao.ingest import parse_bytes
from nianbao.recognize.normalize import fold
from nianbao.templates import template

from conftest import CORPUS

GOLD = [p.stem for p in goldkit.GOLD_FILES]
SECTIONS = ["一", "二", "三", "四", "五", "六"]

# Cells a careful reader cannot take from the file itself: each must come back null with a note that
# names its row (never a guess), and no other cell may.
UNREADABLE = {
    # The markdown cell is empty; the gold's 1 stands displaced as a lone line inside （六）2's label.
    "shanghai_kewei_2024_pdf2md": {("t3", "carried_out", "total")},
    # （六）其他处理 is printed as one 2019-shaped row: the three 2021 sub-rows are not in the report.
    "jiangsu_huaian_hongzequ_2024": {
        ("t3", r, c.key) for r in ("r6_1", "r6_2", "r6_3") for c in template("2021").t3_columns
    },
}


def _source(name: str):
    """The file a gold answer was written for, found by the gold's `file` field."""
    return goldkit.source(goldkit.load(CORPUS / "gold" / f"{name}.json"))


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


def _noted(report, cell) -> bool:
    """Whether a parse note says why this cell was not read."""
    for n in report.notes:
        if n.table == cell.table and n.row == cell.row:
            return True
        if n.table == cell.table and n.code == "stray_value":
            return True
        if n.code == "r6_2019_shape" and cell.table == "t3" and cell.row.startswith("r6_"):
            return True
    return False


@pytest.mark.parametrize("name", GOLD)
def test_every_gold_cell_is_read_exactly_or_null_with_a_note(name: str) -> None:
    gold = (
        json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
        if CORPUS.is_dir()
        else None
    )
    if gold is None:
        pytest.skip("no corpus")
    report = parse_bytes(_source(name).read_bytes(), name).report
    got = {(c.table, c.row_label, c.col_label): c for c in report.cells}
    assert len(got) == len(gold["cells"])
    wrong = []
    unread = set()
    for g in gold["cells"]:
        c = got[(g["table"], g["row_label"], g["col_label"])]
        want_state = expected_state(g["raw"], g["value"])
        if (c.raw, c.value, c.state) == (g["raw"], g["value"], want_state):
            continue
        if c.value is None and c.state in ("ambiguous", "missing") and _noted(report, c):
            unread.add((c.table, c.row, c.col))
            continue
        wrong.append((g["row_label"], g["col_label"], g["raw"], c.raw, c.value, c.state))
    assert wrong == []
    assert unread == UNREADABLE.get(name, set())


@pytest.mark.parametrize("name", GOLD)
def test_gold_report_metadata(name: str) -> None:
    answer = goldkit.load(CORPUS / "gold" / f"{name}.json")
    src = goldkit.source(answer)
    report = parse_bytes(src.read_bytes(), src.name).report
    assert (report.year, report.template, report.published) == (
        answer["year"],
        answer["template"],
        answer["published"],
    )
    if src.suffix == ".pdf" or fold(answer["unit"]) in fold(src.read_bytes().decode("utf-8", "replace")):
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
