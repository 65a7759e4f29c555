"""The 通报 as a Word document: every part, its fonts, its tables and its numbers against the store."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from checkkit import make_report, open_store, rows, store
from docx import Document
from docx.oxml.ns import qn
from test_rounds import A_ID, R8, R9, R10, A, B, _broken, _vetoed

from nianbao import rounds
from nianbao.cli import main
from nianbao.export import bulletin

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, Path, Path]:
    """Three rounds: A vetoed and fixed after round 9, B left open, the other governments unpublished."""
    con, db = open_store(tmp_path_factory.mktemp("bulletin"))
    store(con, db, _vetoed(A))
    store(con, db, _broken(B))
    rounds.close_round(con, R8, actor="t")
    rounds.close_round(con, R9, actor="t")
    store(con, db, make_report("2021", 2025, unit=A, published="2026-03-01"))
    rounds.close_round(con, R10, actor="t")
    out = tmp_path_factory.mktemp("out") / "tongbao.docx"
    con.close()
    assert (
        main(["bulletin", "--db", str(db), "--out", str(out), "--annex", str(out.with_suffix(".xlsx"))]) == 0
    )
    con = duckdb.connect(str(db))
    return con, db, out


def _text(doc: object) -> str:
    return "\n".join(p.text for p in doc.paragraphs)  # type: ignore[attr-defined]


def test_the_notice_has_every_part_in_order(closed: tuple) -> None:
    _, _, out = closed
    doc = Document(str(out))
    text = _text(doc)
    parts = [
        "西宁市人民政府办公室文件",
        "宁政办公开〔2026〕10号",
        "关于2025年度政府信息公开工作年度报告第10期检查情况的通报",
        "各区、县人民政府，市政府各部门：",
        "一、总体情况",
        "二、存在的主要问题",
        "（一）检查不合格的单位",
        "（二）问题类别",
        "三、整改情况",
        "四、表现较好的单位",
        "五、工作要求",
        "附件1",
        "附件2",
    ]
    paras = [p.text for p in doc.paragraphs]
    positions = [paras.index(p) if p in paras else -1 for p in parts]
    assert -1 not in positions, [p for p, i in zip(parts, positions, strict=True) if i < 0]
    assert positions == sorted(positions)
    assert "2026年5月11日" in text  # issued on the closing day
    assert "连续3期" in text and "重点通报" in text
    assert "{" not in text and "None" not in text and "nan" not in text


def test_every_number_in_the_notice_matches_the_store(closed: tuple) -> None:
    con, _, out = closed
    text = _text(Document(str(out)))
    due, passed = rows(
        con, "select count(*), count(*) filter (where verdict = '合格') from round_units where round = 10"
    )[0]
    s = rows(con, "select pass_rate, rectified, overdue, open, new from round_summary where round = 10")[0]
    prev_rate = rows(con, "select pass_rate from round_summary where round = 9")[0][0]
    assert f"应发布年度报告单位{due}家" in text
    assert f"检查合格{passed}家，不合格{due - passed}家，合格率{s[0]:.1f}%" in text
    assert f"（第9期，{prev_rate:.1f}%）上升{s[0] - prev_rate:.1f}个百分点" in text
    assert f"已整改{s[1]}个，逾期未整改{s[2]}个" in text and s[1] >= 1
    assert f"未整改问题{s[3]}个，其中新发现{s[4]}个" in text
    cats = Counter(
        r[0]
        for r in rows(
            con,
            "select category from round_findings where round = 10 and status in ('新发现', '仍未整改', '逾期未整改')",
        )
    )
    for cat, n in cats.items():
        assert f"{cat}问题{n}个" in text
    deadline = rows(con, "select deadline from rounds where round = 10")[0][0]
    assert bulletin.cn_date(deadline) + "前完成整改" in text


def test_the_ranking_and_annex_tables_hold_the_round(closed: tuple) -> None:
    con, _, out = closed
    doc = Document(str(out))
    ranking, annex = doc.tables
    assert [c.text for c in ranking.rows[0].cells] == ["排名", "区县", "应报单位", "合格", "合格率", "平均分"]
    districts = rows(
        con, "select count(distinct coalesce(district, '市本级')) from round_units where round = 10"
    )[0][0]
    assert len(ranking.rows) - 1 == districts
    assert [c.text for c in annex.rows[0].cells] == ["序号", "区县", "单位", "问题", "位置", "整改期限"]
    open_ = rows(
        con,
        "select unit_id, location from round_findings where round = 10 and status in ('新发现', '仍未整改', '逾期未整改')",
    )
    got = sorted((r.cells[2].text, r.cells[4].text) for r in annex.rows[1:])
    assert got == sorted((u, loc or "") for u, loc in open_)
    assert A_ID not in {r.cells[2].text for r in annex.rows[1:]}  # rectified: not in the annex
    from openpyxl import load_workbook

    ws = load_workbook(out.with_suffix(".xlsx"))["附件1"]
    assert ws.max_row - 1 == len(open_)


def test_runs_carry_the_official_fonts_with_east_asian_mapping_and_the_page_is_a4(closed: tuple) -> None:
    _, _, out = closed
    doc = Document(str(out))
    by_text = {p.text: p for p in doc.paragraphs if p.text}
    expect = {
        "关于2025年度政府信息公开工作年度报告第10期检查情况的通报": ("方正小标宋简体", 22.0),
        "一、总体情况": ("黑体", 16.0),
        "（一）检查不合格的单位": ("楷体_GB2312", 16.0),
        "各区、县人民政府，市政府各部门：": ("仿宋_GB2312", 16.0),
    }
    for text, (font, size) in expect.items():
        run = by_text[text].runs[0]
        assert run.font.name == font and run.font.size.pt == size, text
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == font, text
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.bottom_margin.mm)) == (37, 35)
    assert (round(sec.left_margin.mm), round(sec.right_margin.mm)) == (28, 26)
    footer = sec.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer and "— " in sec.footer.paragraphs[0].text


def test_a_district_with_nothing_to_report_gets_a_sentence(closed: tuple) -> None:
    _, _, out = closed
    assert "城西区：本期检查的单位均合格。" in _text(Document(str(out)))


def test_libreoffice_renders_the_notice_to_a_few_pages(closed: tuple, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by tools/system-deps.sh"
    _, _, out = closed
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "tongbao.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    # Substitute fonts change the count: body, ranking and the two annexes fit 3–8 pages.
    assert 3 <= pages <= 8, pages
    shots = ROOT / "test-output" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(shots / "bulletin"),
        ],
        check=True,
        timeout=120,
    )
    assert (shots / "bulletin.png").stat().st_size > 10_000
