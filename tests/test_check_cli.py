"""`nianbao check`, `nianbao findings` and `nianbao rules` from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from checkkit import make_report, open_store, store
from openpyxl import load_workbook

from nianbao.cli import main


def test_check_exits_1_on_the_seed_and_prints_findings_and_scores(
    seed_bytes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "seed.txt"
    f.write_bytes(seed_bytes)
    assert main(["check", "--json", str(f)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {
        "rule",
        "category",
        "severity",
        "message",
        "location",
        "expected",
        "actual",
        "fingerprint",
    } <= set(out["findings"][0])
    assert {"completeness", "consistency", "total", "verdict"} <= set(out["scores"])
    assert out["report"]["unit"] == "西宁市湟中区人民政府"


def test_check_exits_2_when_a_file_cannot_be_read(tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.txt")]) == 2


def test_check_exits_0_when_there_are_only_warnings(tmp_path: Path, seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    # Fill every blank of the seed with 0 and give it a standard title and the 第五十条 words: only warnings remain.
    lines = []
    for line in text.splitlines():
        stripped = line.strip("\t \u3000\u00a0")
        lines.append(line if stripped or not line.startswith("\t") else "\t0")
    fixed = "\n".join(lines).replace("政务公开\n2020年度工作报告", "2020年政府信息公开工作年度报告")
    fixed = fixed.replace("一、总体情况\n", "一、总体情况\n本年度落实工作考核、社会评议和责任追究制度。\n")
    f = tmp_path / "fixed.txt"
    f.write_text(fixed, encoding="utf-8")
    code = main(["check", "--json", "--published", "2021-03-01", str(f)])
    assert code == 0


def test_check_with_a_store_uses_last_years_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_bytes: bytes
) -> None:
    con, db = open_store(tmp_path)
    prev = make_report(unit="西宁市湟中区人民政府", year=2019, published="2020-03-01")
    from checkkit import put

    put(prev, "t3", "carried_out", "natural", "2")
    store(con, db, prev)
    con.close()
    f = tmp_path / "seed.txt"
    f.write_bytes(seed_bytes)
    main(["check", "--json", "--db", str(db), str(f)])
    out = json.loads(capsys.readouterr().out)
    assert "XY-1" in {x["rule"] for x in out["findings"]}


def test_findings_export_csv_has_a_bom_and_chinese_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con, db = open_store(tmp_path)
    store(con, db, make_report(published=None))
    con.close()
    out = tmp_path / "f.csv"
    assert main(["findings", "--db", str(db), "--format", "csv", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:4] == ["区县", "单位", "年度", "严重程度"] and len(table) > 1


def test_findings_export_xlsx_has_a_summary_sheet_and_a_frozen_header(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    store(con, db, make_report(published=None))
    con.close()
    out = tmp_path / "f.xlsx"
    assert main(["findings", "--db", str(db), "--format", "xlsx", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "问题清单"]
    assert wb["问题清单"].freeze_panes == "A2" and wb["问题清单"]["A1"].value == "区县"


def test_findings_export_json_is_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con, db = open_store(tmp_path)
    store(con, db, make_report(published=None))
    con.close()
    assert main(["findings", "--db", str(db), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and rows[0]["rule_id"]


def test_rules_prints_every_rule_with_its_basis(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(r["basis"] for r in rows) and len(rows) >= 30
