"""WPS-exported PDFs: prose over filled boxes, table cells placed under the header by x-extent."""

from __future__ import annotations

import pytest
from wps_writer import write_wps_pdf

from nianbao.document import Paragraph, Table
from nianbao.extract.pdf import extract_pdf
from nianbao.ingest import parse_bytes

T3_WIDTHS = [26, 70, 110] + [34] * 7
VALUES = ["95", "0", "0", "0", "0", "0", "95"]
PROSE = [
    "一、总体情况",
    "本年度我区主动公开政府信息2428条，解读信息发布7条。",
    "二、主动公开政府信息情况",
]


def values_at(row: int, values: list[str], first_col: int = 3) -> list[tuple[int, int, int, int, str]]:
    return [(row, row, first_col + i, first_col + i, v) for i, v in enumerate(values)]


def t3_head() -> list[tuple[int, int, int, int, str]]:
    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    return [
        (0, 2, 0, 2, "项目"),
        (0, 0, 3, 9, "申请人情况"),
        (1, 2, 3, 3, "自然人"),
        (1, 1, 4, 8, "法人或其他组织"),
        (1, 2, 9, 9, "总计"),
        *[(2, 2, 4 + i, 4 + i, org) for i, org in enumerate(orgs)],
        (3, 3, 0, 2, "一、本年新收政府信息公开申请数量"),
        *values_at(3, VALUES),
        (4, 4, 0, 2, "二、上年结转政府信息公开申请数量"),
        *values_at(4, ["0"] * 7),
        (5, 8, 0, 0, "三"),
        (5, 5, 1, 2, "（一）予以公开"),
        *values_at(5, ["50", "0", "0", "0", "0", "0", "50"]),
        (6, 6, 1, 2, "（二）部分公开"),
        *values_at(6, ["45", "0", "0", "0", "0", "0", "45"]),
        (7, 8, 1, 1, "（三）不予公开"),
        (7, 7, 2, 2, "1.属于国家秘密"),
        *values_at(7, ["0"] * 7),
        (8, 8, 2, 2, "2.其他法律行政法规禁止公开"),
        *values_at(8, ["0"] * 7),
    ]


def report_pdf(continuation: list[tuple[int, int, int, int, str]], widths: list[int] = T3_WIDTHS) -> bytes:
    """Table 3 over a page break, as the real WPS report prints it; the second page is given."""
    page1 = [
        ("line", "淮安市洪泽区人民政府"),
        ("line", "2024年政府信息公开工作年度报告"),
        ("line", "三、收到和处理政府信息公开申请情况"),
        ("grid", T3_WIDTHS, 16, t3_head()),
    ]
    page2 = [("grid", widths, 16, continuation), ("line", "四、政府信息公开行政复议、行政诉讼情况")]
    return write_wps_pdf([page1, page2])


def total_row_spanning_the_sub_label_column() -> list[tuple[int, int, int, int, str]]:
    """WPS draws the （七）总计 label and an empty sub-label cell beside it as two cells."""
    return [
        (0, 0, 0, 0, ""),
        (0, 0, 1, 1, "（七）总计"),
        (0, 0, 2, 2, ""),
        *values_at(0, VALUES),
        (1, 1, 0, 2, "四、结转下年度继续办理"),
        *values_at(1, ["0"] * 7),
    ]


def t3_row(data: bytes, key: str) -> list[tuple[str, float | None, str]]:
    report = parse_bytes(data, "x.pdf").report
    return [(c.raw, c.value, c.state) for c in report.cells if c.table == "t3" and c.row == key]


@pytest.mark.parametrize("fill", [(1.0, 1.0, 1.0), (0.78, 0.85, 0.95)], ids=["white", "tinted"])
def test_prose_drawn_over_filled_boxes_reads_as_paragraphs_not_a_table(fill: tuple[float, ...]) -> None:
    grid = [(0, 0, 0, 0, "信息内容"), (0, 0, 1, 1, "本年制发件数"), (1, 1, 0, 0, "规章"), (1, 1, 1, 1, "3")]
    data = write_wps_pdf([[*[("line", text) for text in PROSE], ("grid", [200, 200], 20, grid)]], fill=fill)
    blocks = extract_pdf(data).blocks
    assert blocks == [
        *[Paragraph(text) for text in PROSE],
        Table((("信息内容", "本年制发件数"), ("规章", "3"))),
    ]


def test_the_sections_of_a_wps_report_keep_their_prose() -> None:
    lines = [
        "淮安市洪泽区人民政府",
        "2024年政府信息公开工作年度报告",
        *PROSE[:2],
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "存在的主要问题是政策解读形式不够丰富。",
        "六、其他需要报告的事项",
        "全年收取信息处理费0元。",
    ]
    report = parse_bytes(write_wps_pdf([[("line", text) for text in lines]]), "x.pdf").report
    texts = {s.no: s.text for s in report.sections}
    assert list(texts) == ["一", "二", "三", "四", "五", "六"]
    assert (texts["一"], texts["五"], texts["六"]) == (PROSE[1], lines[8], lines[10])


def test_a_total_label_spanning_the_sub_label_column_on_a_continuation_page_keeps_its_columns() -> None:
    data = report_pdf(total_row_spanning_the_sub_label_column())
    assert t3_row(data, "r7_total") == [(v, float(v), "number" if v != "0" else "zero") for v in VALUES]
    assert t3_row(data, "r1_disclosed")[0] == ("50", 50.0, "number")


def test_a_value_cell_spanning_two_header_columns_makes_its_row_ambiguous() -> None:
    page2 = [
        (0, 0, 0, 0, ""),
        (0, 0, 1, 2, "（七）总计"),
        (0, 0, 3, 4, "95"),  # one cell over 自然人 and 商业企业: which column is it?
        *values_at(0, VALUES[2:], first_col=5),
    ]
    data = report_pdf(page2)
    assert t3_row(data, "r7_total") == [("", None, "ambiguous")] * 7
    notes = parse_bytes(data, "x.pdf").report.notes
    assert any(n.code == "ambiguous" and n.row == "r7_total" for n in notes)


def test_a_continuation_whose_columns_do_not_meet_the_header_is_ambiguous_not_shifted() -> None:
    shifted = [26, 70, 120] + [34] * 6 + [24]  # every value column after the labels moved 10pt right
    data = report_pdf(total_row_spanning_the_sub_label_column(), widths=shifted)
    assert t3_row(data, "r7_total") == [("", None, "ambiguous")] * 7
    assert t3_row(data, "r1_disclosed")[0] == ("50", 50.0, "number")


# -------------------------------------------------------------------- tables without ruling lines

T2_HEAD = [(0, "信息内容"), (120, "本年制发件数"), (220, "本年废止件数"), (320, "现行有效件数")]


def unruled_report(rows: list[list[tuple[float, str]]]) -> bytes:
    lines = ["西宁市城中区人民政府2024年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]
    page = [*[("line", x) for x in lines], ("line", "第二十条第（一）项"), ("words", T2_HEAD)]
    page += [("words", row) for row in rows]
    return write_wps_pdf([[*page, ("line", "三、收到和处理政府信息公开申请情况")]])


def t2_row(data: bytes, key: str) -> list[tuple[str, str]]:
    report = parse_bytes(data, "x.pdf").report
    return [(c.raw, c.state) for c in report.cells if c.table == "t2" and c.row == key]


def test_an_unruled_table_is_read_by_column_alignment_with_its_blank_cell_in_place() -> None:
    data = unruled_report(
        [[(0, "规章"), (140, "3"), (340, "5")], [(0, "行政规范性文件"), (140, "1"), (240, "2"), (340, "8")]]
    )
    assert t2_row(data, "rules") == [("3", "number"), ("", "blank"), ("5", "number")]
    assert t2_row(data, "normative") == [("1", "number"), ("2", "number"), ("8", "number")]
    tables = [b for b in extract_pdf(data).blocks if isinstance(b, Table)]
    assert [t.rows[0] for t in tables] == [tuple(text for _, text in T2_HEAD)]


def test_an_unruled_value_between_two_columns_makes_its_row_ambiguous_not_shifted() -> None:
    # "33333" runs across the halfway line between 本年制发件数 and 本年废止件数: which is it?
    data = unruled_report([[(0, "规章"), (185, "33333"), (340, "5")]])
    assert t2_row(data, "rules") == [("", "ambiguous")] * 3
