"""Every cell of the seed and of each full gold report, cell by cell: raw, value and state."""

from __future__ import annotations

import json
import re

import pytest

from nianbao.ingest import parse_bytes

from conftest import CORPUS, SEED, corpus_file

GOLD = ["huangzhong_2020", "fujian_pingtan_2019", "fujian_pingtan_2024"]


def _source(name: str):
    if name == "huangzhong_2020":
        corpus_file("index.csv")
        return SEED
    return corpus_file(f"{name}.html")


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


@pytest.mark.parametrize("name", GOLD)
def test_every_gold_cell_is_read_exactly(name: str) -> None:
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
    for g in gold["cells"]:
        c = got[(g["table"], g["row_label"], g["col_label"])]
        want_state = expected_state(g["raw"], g["value"])
        if (c.raw, c.value, c.state) != (g["raw"], g["value"], want_state):
            wrong.append((g["row_label"], g["col_label"], g["raw"], c.raw, c.value, c.state))
    assert wrong == []


@pytest.mark.parametrize("name", GOLD)
def test_gold_report_metadata(name: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    gold = json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    report = parse_bytes(_source(name).read_bytes(), name).report
    assert (report.unit, report.year, report.template, report.published) == (
        gold["unit"],
        gold["year"],
        gold["template"],
        gold["published"],
    )
    assert [s.no for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
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
