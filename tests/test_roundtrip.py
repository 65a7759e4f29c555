"""Reports written as DOCX and PDF in code read back cell-exact (merged headers, vertical headers, page breaks)."""

from __future__ import annotations

import random

import pytest
from pdfdocx_writers import write_docx, write_pdf

from nianbao.ingest import parse_bytes
from nianbao.templates import Template, template

Values = dict[tuple[str, str, str], str]


def sample_values(tpl: Template, seed: int) -> Values:
    """Random cells of every state the parser tells apart (no unit slips: the checks test those)."""
    rng = random.Random(seed)
    out: Values = {}
    for c in tpl.cells:
        roll = rng.random()
        if roll < 0.1:
            out[(c.table, c.row, c.col)] = ""
        elif roll < 0.4:
            out[(c.table, c.row, c.col)] = "0"
        elif c.signed and roll < 0.5:
            out[(c.table, c.row, c.col)] = str(-rng.randint(1, 50))
        elif c.decimal:
            out[(c.table, c.row, c.col)] = f"{rng.randint(0, 900)}.{rng.randint(1, 99):02d}"
        else:
            out[(c.table, c.row, c.col)] = str(rng.randint(1, 3000))
    return out


def table2(tpl: Template, v: Values) -> list[list[str]]:
    rows: list[list[str]] = []
    for b in tpl.t2_blocks:
        width = 4
        rows.append([b.label] * width)
        rows.append((["信息内容"] + [c.label for c in b.columns] + [""] * 3)[:width])
        for r in b.rows:
            cells = [v[("t2", r.key, c.key)] for c in b.columns]
            rows.append(([r.label] + cells + [cells[-1]] * 3)[:width])
    return rows


def table3(tpl: Template, v: Values) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    head = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    cols = [c.key for c in tpl.t3_columns]
    rows = [
        [
            head,
            head,
            head,
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
            "申请人情况",
        ],
        [head, head, head, "自然人", "法人或其他组织", "", "", "", "", "总计"],
        [head, head, head, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]
    merges = [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)]
    for r in tpl.t3_rows:
        parts = r.label.split("/")
        vals = [v[("t3", r.key, c)] for c in cols]
        if r.key in ("new", "carried_in", "carried_out"):
            label = [r.label, r.label, r.label]
        elif len(parts) == 1:
            label = ["三、本年度办理结果", parts[0], parts[0]]
        else:
            label = ["三、本年度办理结果", parts[0], parts[1]]
        rows.append(label + vals)
    return rows, merges


def table4(
    tpl: Template, v: Values, vertical: bool
) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    def lab(text: str) -> str:
        return "\n".join(text) if vertical else text

    leaf = [lab(x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    rows = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        leaf + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        leaf + leaf + leaf,
        [v[("t4", "cases", c.key)] for c in tpl.t4_columns],
    ]
    merges = [
        (0, 0, 0, 4),
        (0, 5, 0, 14),
        (1, 0, 2, 0),
        (1, 1, 2, 1),
        (1, 2, 2, 2),
        (1, 3, 2, 3),
        (1, 4, 2, 4),
        (1, 5, 1, 9),
        (1, 10, 1, 14),
    ]
    return rows, merges


def report_blocks(tpl: Template, v: Values, *, vertical: bool, tall_rows: bool) -> list[tuple]:
    year = 2022 if tpl.version == "2021" else 2020
    t3, m3 = table3(tpl, v)
    t4, m4 = table4(tpl, v, vertical)
    opt3: dict = {"merges": m3}
    if tall_rows:
        opt3 |= {"row_height": 26, "font_size": 6}
    return [
        ("p", f"西宁市城东区民政局{year}年政府信息公开工作年度报告"),
        ("p", "一、总体情况"),
        ("p", "本年度依法做好政府信息公开工作。"),
        ("p", "二、主动公开政府信息情况"),
        ("table", table2(tpl, v), {"font_size": 7}),
        ("p", "三、收到和处理政府信息公开申请情况"),
        ("table", t3, opt3),
        ("p", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", t4, {"merges": m4, "font_size": 6, **({"row_height": 60} if vertical else {})}),
        ("p", "五、存在的主要问题及改进情况"),
        ("p", "信息公开的及时性还需加强。"),
        ("p", "六、其他需要报告的事项"),
        ("p", "本年度未收取信息处理费。"),
    ]


def assert_cells_match(data: bytes, tpl: Template, v: Values) -> None:
    report = parse_bytes(data, "x").report
    assert report.template == tpl.version
    got = {(c.table, c.row, c.col): c.raw for c in report.cells}
    wrong = {k: (want, got.get(k)) for k, want in v.items() if got.get(k) != want}
    assert wrong == {}
    assert report.tables_found == ["t2", "t3", "t4"]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_docx_with_merged_header_cells_reads_back_cell_exact(version: str) -> None:
    tpl = template(version)
    v = sample_values(tpl, 7)
    assert_cells_match(write_docx(report_blocks(tpl, v, vertical=False, tall_rows=False)), tpl, v)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_pdf_with_vertical_table4_headers_reads_back_cell_exact(version: str) -> None:
    tpl = template(version)
    v = sample_values(tpl, 11)
    assert_cells_match(write_pdf(report_blocks(tpl, v, vertical=True, tall_rows=False)), tpl, v)


def test_pdf_with_table3_broken_across_pages_reads_back_cell_exact() -> None:
    tpl = template("2021")
    v = sample_values(tpl, 13)
    data = write_pdf(report_blocks(tpl, v, vertical=True, tall_rows=True))
    import pdfplumber, io  # noqa: E401, I001

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
    assert_cells_match(data, tpl, v)
