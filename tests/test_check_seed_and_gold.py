"""The real reports: the seed's findings are a careful supervisor's list; gold defects are all found."""

from __future__ import annotations

from pathlib import Path

import goldkit
import pytest
from checkkit import clone, open_store, store

from nianbao.checks import check_reports, scores
from nianbao.ingest import ingest_bytes, parse_file

from conftest import SEED


def _check(tmp_path: Path, path: Path) -> tuple[list[dict[str, object]], dict[str, object]]:
    con, db = open_store(tmp_path)
    stored, _ = ingest_bytes(con, db, path.read_bytes(), str(path))
    found = check_reports(con, [stored.report_id])
    sc = scores(con, stored.report_id)
    con.close()
    return found, sc


def _seed() -> Path:
    if not SEED.exists():
        pytest.skip("seed not found")
    return SEED


def test_the_seed_findings_are_the_supervisors_list(tmp_path: Path) -> None:
    found, sc = _check(tmp_path, _seed())
    got = sorted((f["rule_id"], f["location"]) for f in found)
    assert got == sorted(
        [
            ("ART-50", "全文"),
            ("CS-1", "表二"),
            ("CS-1", "表三"),
            ("CS-1", "表四"),
            ("CS-4", "表二·第二十条第（九）项/政府集中采购·采购总金额"),
            ("CT-1", "一、总体情况"),
            ("NAR-3", "一、总体情况·发布信息"),
            ("PL-1", "表二·第二十条第（五）项/行政许可·上一年项目数量"),
            ("TITLE-1", "标题"),
            ("TIME-3", "发布时间"),
        ]
    )
    assert sc["consistency"] == 100.0 and sc["vetoes"] == 0


def test_the_seed_blank_counts_match_the_gold_answers(tmp_path: Path) -> None:
    found, _ = _check(tmp_path, _seed())
    counts = {f["location"]: f["actual"] for f in found if f["rule_id"] == "CS-1"}
    assert counts == {"表二": "6", "表三": "140", "表四": "13"}


def test_the_seed_itemised_counts_add_up_to_its_total(tmp_path: Path) -> None:
    found, _ = _check(tmp_path, _seed())
    assert "NAR-1" not in {f["rule_id"] for f in found}


def test_a_broken_copy_of_the_seed_itemised_counts_fires(tmp_path: Path) -> None:
    report = clone(parse_file(_seed()).report)
    total = next(f for f in report.facts if f.role == "total")
    total.value = 470
    con, db = open_store(tmp_path)
    rid = store(con, db, report)
    msgs = [f["message"] for f in check_reports(con, [rid]) if f["rule_id"] == "NAR-1"]
    con.close()
    assert msgs == ["一、总体情况·发布信息：分项 100+50+46+38+37+189 = 460条，正文合计为 470条。"]


GOLD = goldkit.GOLD_FILES
KIND_RULES = {
    "blank": {"CS-1"},
    "unit": {"CS-4"},
    "template": {"TITLE-1", "CT-1", "CS-12"},
    "identity": {"OFF-1", "LBL-1", "LBL-2", "LBL-3"},
}
TABLES = {"t2": "表二", "t3": "表三", "t4": "表四"}


def _gold_source(answer: dict[str, object]) -> Path:
    if answer["file"] == SEED.stem:
        return _seed()
    return goldkit.source(answer)


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_every_gold_identity_blank_unit_and_template_defect_is_found(tmp_path: Path, gold: Path) -> None:
    answer = goldkit.load(gold)
    found, _ = _check(tmp_path, _gold_source(answer))
    fired = {f["rule_id"] for f in found}
    for defect in answer["defects"]:
        table = TABLES.get(defect["detail"][:2], "")
        count = defect["detail"].split(":")[1].split(" of ")[0].strip() if ":" in defect["detail"] else ""
        if defect["kind"] == "blank" and count.startswith("no blank cells"):
            # Cells of rows the report lacks are missing, not blank: CS-1 must not count them.
            assert not any(f["rule_id"] == "CS-1" and f["location"] == table for f in found), defect
            continue
        wanted = KIND_RULES.get(defect["kind"])
        if wanted:
            assert fired & wanted, defect
        if defect["kind"] == "blank":
            assert any(
                f["rule_id"] == "CS-1" and f["location"] == table and f["actual"] == count for f in found
            ), defect


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_no_identity_error_on_a_gold_report_whose_identities_hold(tmp_path: Path, gold: Path) -> None:
    answer = goldkit.load(gold)
    if any(d["kind"] == "identity" for d in answer["defects"]):
        pytest.skip("this gold report has identity defects")
    found, _ = _check(tmp_path, _gold_source(answer))
    assert [f for f in found if f["rule_id"] in KIND_RULES["identity"] and f["severity"] == "错误"] == []
