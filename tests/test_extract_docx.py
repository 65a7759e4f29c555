"""DOCX extraction: body order, merged cells as a full grid, damaged files refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from pdfdocx_writers import write_docx

from nianbao.document import Paragraph, Table
from nianbao.errors import UnreadableReport
from nianbao.extract import extract
from nianbao.extract.docx import MEDIA_TYPE, extract_docx

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def table3_head() -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Table 3's header and two rows, as typed into Word: text in the top-left slot of each merge."""
    rows = [
        [NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", *ORGS, ""],
        ["一、本年新收政府信息公开申请数量", "", "", "5", "1", "0", "0", "0", "0", "6"],
        ["三、本年度办理结果", "（一）予以公开", "", "3", "1", "0", "0", "0", "0", "4"],
        ["", "（二）部分公开", "", "1", "0", "0", "0", "0", "0", "1"],
    ]
    merges = [
        (0, 0, 2, 2),  # the note: 3 rows x 3 columns
        (0, 3, 0, 9),  # 申请人情况 across all seven columns
        (1, 3, 2, 3),  # 自然人, two rows
        (1, 4, 1, 8),  # 法人或其他组织 above its five kinds
        (1, 9, 2, 9),  # 总计, two rows
        (3, 0, 3, 2),
        (4, 0, 5, 0),  # 三、本年度办理结果 down two rows
        (4, 1, 4, 2),
        (5, 1, 5, 2),
    ]
    return rows, merges


def only_table(blocks: list[Paragraph | Table]) -> Table:
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1, blocks
    return tables[0]


def test_merged_header_cells_read_back_as_the_full_grid() -> None:
    rows, merges = table3_head()
    table = only_table(extract_docx(write_docx([("table", rows, {"merges": merges})])).blocks)
    assert table.rows == (
        (NOTE,) * 3 + ("申请人情况",) * 7,
        (NOTE,) * 3 + ("自然人",) + ("法人或其他组织",) * 5 + ("总计",),
        (NOTE,) * 3 + ("自然人", *ORGS, "总计"),
        ("一、本年新收政府信息公开申请数量",) * 3 + ("5", "1", "0", "0", "0", "0", "6"),
        ("三、本年度办理结果", "（一）予以公开", "（一）予以公开", "3", "1", "0", "0", "0", "0", "4"),
        ("三、本年度办理结果", "（二）部分公开", "（二）部分公开", "1", "0", "0", "0", "0", "0", "1"),
    )


def test_paragraphs_and_tables_come_back_in_body_order() -> None:
    data = write_docx(
        [
            ("p", "二、主动公开政府信息情况"),
            ("table", [["信息内容", "本年新制作数量"], ["规章", "0"]]),
            ("p", "三、收到和处理政府信息公开申请情况"),
            ("table", [["自然人", "总计"], ["5", "6"]]),
            ("p", "四、政府信息公开行政复议、行政诉讼情况"),
        ]
    )
    doc = extract_docx(data)
    assert doc.blocks == [
        Paragraph("二、主动公开政府信息情况"),
        Table((("信息内容", "本年新制作数量"), ("规章", "0"))),
        Paragraph("三、收到和处理政府信息公开申请情况"),
        Table((("自然人", "总计"), ("5", "6"))),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况"),
    ]
    assert doc.media_type == MEDIA_TYPE


def test_cell_paragraphs_are_joined_with_newlines_and_outer_spaces_stripped() -> None:
    data = write_docx([("table", [["本年新\n制作数量", "\u3000 49469\u00a0"]])])
    assert only_table(extract_docx(data).blocks).rows == (("本年新\n制作数量", "49469"),)


def test_a_table_nested_in_a_cell_is_flattened_into_that_cell() -> None:
    data = write_docx(
        [
            (
                "table",
                [["行政事业性收费", ""]],
                {"nested": {(0, 1): [["上一年项目数量", "0"], ["本年增/减", "0"]]}},
            )
        ]
    )
    table = only_table(extract_docx(data).blocks)
    assert table.rows == (("行政事业性收费", "上一年项目数量 0\n本年增/减 0"),)


def test_a_one_cell_frame_around_a_table_is_unwrapped() -> None:
    inner = [["信息内容", "采购项目数量"], ["政府集中采购", "531"]]
    data = write_docx([("p", "前言"), ("table", [[""]], {"nested": {(0, 0): inner}}), ("p", "结语")])
    assert extract_docx(data).blocks == [
        Paragraph("前言"),
        Table((("信息内容", "采购项目数量"), ("政府集中采购", "531"))),
        Paragraph("结语"),
    ]


def test_the_dispatcher_sends_docx_bytes_here() -> None:
    doc = extract(write_docx([("p", "一、总体情况")]), "report.docx")
    assert doc.blocks == [Paragraph("一、总体情况")]
    assert doc.media_type == MEDIA_TYPE


def test_a_truncated_docx_is_unreadable() -> None:
    data = write_docx([("p", "一、总体情况"), ("table", table3_head()[0])])
    with pytest.raises(UnreadableReport) as caught:
        extract_docx(data[: len(data) // 2])
    assert caught.value.code == "corrupt_docx"
    assert "损坏" in caught.value.zh
    assert "damaged" in caught.value.en


def test_a_docx_whose_document_xml_is_garbage_is_unreadable() -> None:
    source = zipfile.ZipFile(io.BytesIO(write_docx([("p", "一、总体情况")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = b"<w:document><<garbage" if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, body)
    with pytest.raises(UnreadableReport) as caught:
        extract_docx(out.getvalue())
    assert caught.value.code == "corrupt_docx"


def test_a_docx_without_any_text_is_unreadable() -> None:
    with pytest.raises(UnreadableReport) as caught:
        extract_docx(write_docx([("p", "  ")]))
    assert caught.value.code == "empty"
