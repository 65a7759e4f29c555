"""PDF extraction: ruled tables as full grids, text lines around them, pages stitched together."""

from __future__ import annotations

import pytest
from pdfdocx_writers import write_pdf

from nianbao.document import Paragraph, Table
from nianbao.errors import UnreadableReport
from nianbao.extract import extract
from nianbao.extract.pdf import MEDIA_TYPE, extract_pdf

RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def vertical(label: str) -> str:
    """A header typeset one character per line, as narrow PDF columns do."""
    return "\n".join(label)


def table4() -> tuple[list[list[str]], dict[str, object]]:
    """Table 4 as PDFs print it: 5+5+5 vertical headers under merged group cells, one row of values."""
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [""] * 5 + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [vertical(label) for label in RESULTS] * 3,
        ["1", "0", "2", "0", "3", "0", "1", "0", "0", "1", "12", "0", "0", "3", "15"],
    ]
    merges = [(0, 0, 1, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)]
    return rows, {"merges": merges, "col_widths": [30] * 15}


def tables(blocks: list[Paragraph | Table]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def numbered_rows(first: int, last: int) -> list[list[str]]:
    return [[f"{i}.第{i}项", str(i * 10), str(i * 100)] for i in range(first, last + 1)]


def test_a_vertical_table_4_header_reads_back_as_joined_labels_and_exact_numbers() -> None:
    rows, options = table4()
    (table,) = tables(extract_pdf(write_pdf([("table", rows, options)])).blocks)
    assert table.rows == (
        ("行政复议",) * 5 + ("行政诉讼",) * 10,
        ("行政复议",) * 5 + ("未经复议直接起诉",) * 5 + ("复议后起诉",) * 5,
        tuple(RESULTS * 3),
        ("1", "0", "2", "0", "3", "0", "1", "0", "0", "1", "12", "0", "0", "3", "15"),
    )


def test_merged_cells_are_filled_from_the_cell_that_covers_them() -> None:
    rows = [
        ["项目", "", "申请人情况", "", ""],
        ["", "", "自然人", "法人或其他组织", ""],
        ["", "", "", "商业企业", "科研机构"],
        ["三、本年度\n办理结果", "（一）予以公开", "3", "1", "0"],
        ["", "（二）部分公开", "1", "0", "0"],
    ]
    merges = [(0, 0, 2, 1), (0, 2, 0, 4), (1, 2, 2, 2), (1, 3, 1, 4), (3, 0, 4, 0)]
    data = write_pdf([("table", rows, {"merges": merges, "col_widths": [70, 80, 60, 60, 60]})])
    (table,) = tables(extract_pdf(data).blocks)
    assert table.rows == (
        ("项目", "项目", "申请人情况", "申请人情况", "申请人情况"),
        ("项目", "项目", "自然人", "法人或其他组织", "法人或其他组织"),
        ("项目", "项目", "自然人", "商业企业", "科研机构"),
        ("三、本年度\n办理结果", "（一）予以公开", "3", "1", "0"),
        ("三、本年度\n办理结果", "（二）部分公开", "1", "0", "0"),
    )


def test_text_and_tables_come_back_in_reading_order() -> None:
    data = write_pdf(
        [
            ("p", "二、主动公开政府信息情况"),
            ("table", [["信息内容", "本年新制作数量"], ["规章", "0"]]),
            ("p", "三、收到和处理政府信息公开申请情况"),
        ]
    )
    doc = extract_pdf(data)
    assert doc.blocks == [
        Paragraph("二、主动公开政府信息情况"),
        Table((("信息内容", "本年新制作数量"), ("规章", "0"))),
        Paragraph("三、收到和处理政府信息公开申请情况"),
    ]
    assert doc.media_type == MEDIA_TYPE


def test_a_table_broken_across_two_pages_reads_back_as_one_table() -> None:
    rows = [["项目", "数量", "金额"], *numbered_rows(1, 40)]
    data = write_pdf(
        [("p", "三、收到和处理政府信息公开申请情况"), ("table", rows, {"row_height": 20}), ("p", "四、结束")],
        footer="- {n} -",
    )
    doc = extract_pdf(data)
    (table,) = tables(doc.blocks)
    assert [list(row) for row in table.rows] == rows
    assert doc.blocks[-1] == Paragraph("四、结束")


def test_a_row_label_merged_down_across_the_page_break_is_carried_onto_the_next_page() -> None:
    # Word prints a vertically merged label on the first page only; the part on page 2 is blank.
    options = {"col_widths": [120, 160, 60], "row_height": 20}
    first = [["项目", "", "数量"], ["三、本年度办理结果", "（一）予以公开", "3"], ["", "（二）部分公开", "1"]]
    second = [["", "（七）总计", ""], ["四、结转下年度继续办理", "", "0"]]  # a blank total stays blank
    data = write_pdf(
        [
            ("table", first, {**options, "merges": [(0, 0, 0, 1), (1, 0, 2, 0)]}),
            ("pagebreak",),
            ("table", second, {**options, "merges": [(1, 0, 1, 1)]}),
        ]
    )
    (table,) = tables(extract_pdf(data).blocks)
    assert table.rows == (
        ("项目", "项目", "数量"),
        ("三、本年度办理结果", "（一）予以公开", "3"),
        ("三、本年度办理结果", "（二）部分公开", "1"),
        ("三、本年度办理结果", "（七）总计", ""),
        ("四、结转下年度继续办理", "四、结转下年度继续办理", "0"),
    )


def test_a_header_row_repeated_on_the_next_page_is_kept_once() -> None:
    rows = [["项目", "数量", "金额"], *numbered_rows(1, 40)]
    data = write_pdf([("table", rows, {"row_height": 20, "repeat_rows": 1})])
    (table,) = tables(extract_pdf(data).blocks)
    assert [list(row) for row in table.rows] == rows


def test_a_new_table_with_its_own_header_at_the_top_of_a_page_stays_separate() -> None:
    first = [["信息内容", "本年新制作数量", "对外公开总数量"], ["规章", "0", "0"]]
    second = [["申请人", "自然人", "总计"], ["新收申请", "5", "5"]]
    data = write_pdf(
        [
            ("table", first, {"col_widths": [150, 100, 100]}),
            ("pagebreak",),
            ("table", second, {"col_widths": [100, 80, 80]}),
        ]
    )
    assert [t.rows[0] for t in tables(extract_pdf(data).blocks)] == [tuple(first[0]), tuple(second[0])]


def test_page_numbers_and_running_headers_are_dropped() -> None:
    body = [f"第{i}段：本机关坚持以公开为常态、不公开为例外。" for i in range(1, 81)]
    data = write_pdf(
        [("p", text) for text in body], header="湟中区2020年政府信息公开工作年度报告 {n}", footer="第{n}页"
    )
    doc = extract_pdf(data)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == body


def test_a_scanned_pdf_needs_ocr() -> None:
    with pytest.raises(UnreadableReport) as caught:
        extract_pdf(write_pdf([("image", 400, 600)]))
    assert caught.value.code == "needs_ocr"
    assert "OCR" in caught.value.zh
    assert "OCR" in caught.value.en


def test_a_pdf_of_drawn_lines_without_text_needs_ocr() -> None:
    with pytest.raises(UnreadableReport) as caught:
        extract_pdf(write_pdf([("table", [["", "", ""]] * 6)]))
    assert caught.value.code == "needs_ocr"


def test_a_truncated_pdf_is_unreadable() -> None:
    rows, options = table4()
    data = write_pdf([("p", "四、政府信息公开行政复议、行政诉讼情况"), ("table", rows, options)])
    with pytest.raises(UnreadableReport) as caught:
        extract_pdf(data[: len(data) // 2])
    assert caught.value.code == "corrupt_pdf"
    assert "损坏" in caught.value.zh


def test_a_pdf_cut_off_after_an_earlier_end_marker_is_unreadable() -> None:
    # An incremental update (or the rest of a linearized file) whose own %%EOF never arrived:
    # pdfminer would quietly read only the part before the earlier marker.
    first_part = write_pdf([("p", "一、总体情况")])
    cut_update = b"".join(b"%d 0 obj\n<< /Filler (%s) >>\nendobj\n" % (n, b"x" * 100) for n in range(20, 80))
    with pytest.raises(UnreadableReport) as caught:
        extract_pdf(first_part + cut_update)
    assert caught.value.code == "corrupt_pdf"


def test_a_pdf_of_garbage_is_unreadable() -> None:
    with pytest.raises(UnreadableReport) as caught:
        extract_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert caught.value.code == "corrupt_pdf"


def test_a_password_protected_pdf_is_unreadable() -> None:
    data = write_pdf([("p", "一、总体情况")], user_password="secret")
    with pytest.raises(UnreadableReport) as caught:
        extract_pdf(data)
    assert caught.value.code == "encrypted"
    assert "密码" in caught.value.zh


def test_a_pdf_locked_only_against_editing_still_reads() -> None:
    data = write_pdf([("p", "Annual report 2020")], owner_password="owner", font="Helvetica")
    assert extract_pdf(data).blocks == [Paragraph("Annual report 2020")]


def test_the_dispatcher_sends_pdf_bytes_here() -> None:
    doc = extract(write_pdf([("p", "一、总体情况")]), "report.pdf")
    assert doc.blocks == [Paragraph("一、总体情况")]
    assert doc.media_type == MEDIA_TYPE
