"""Plain-text layouts: Word dump, pipes, markdown, one cell per paragraph, glued text."""

from __future__ import annotations

import pytest

from nianbao.errors import UnreadableReport
from nianbao.ingest import parse_bytes

HEAD = "某县民政局2022年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息12条。\n二、主动公开政府信息情况\n"
T2_2021 = [
    ("规章", ["0", "0", "0"]),
    ("行政规范性文件", ["3", "1", "7"]),
]


def _cells(report, table, row):
    return [c.raw for c in report.cells if c.table == table and c.row == row]


def test_word_dump_cells_wrap_over_lines() -> None:
    text = (
        HEAD
        + "\t第二十条第（一）项\n\n\t信息内容\n\t本年制发\n件数\n\t本年废止件数\n\t现行有效件数\n\n"
        + "\t规章\n\t0\n\t0\n\t0\n\n\t行政规范性文件\n\t3\n\t1\n\t7\n\n\n三、收到和处理政府信息公开申请情况\n"
    )
    report = parse_bytes(text.encode(), "x.txt").report
    assert _cells(report, "t2", "normative") == ["3", "1", "7"]
    assert report.template == "2021"


def test_pipe_rows_are_cells() -> None:
    text = (
        HEAD
        + "第二十条第（一）项 | | |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 3 | 1 | 7 |\n"
    )
    report = parse_bytes(text.encode(), "x.md").report
    assert _cells(report, "t2", "normative") == ["3", "1", "7"]


def test_markdown_table_with_rule_row() -> None:
    text = (
        HEAD
        + "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 第二十条第（一）项 | | | |\n| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 3 | 1 | 7 |\n"
    )
    report = parse_bytes(text.encode(), "x.md").report
    assert _cells(report, "t2", "normative") == ["3", "1", "7"]


def test_one_cell_per_paragraph() -> None:
    lines = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    for label, vals in T2_2021:
        lines += [label, *vals]
    text = HEAD + "\n\n".join(lines) + "\n"
    report = parse_bytes(text.encode(), "x.txt").report
    assert _cells(report, "t2", "normative") == ["3", "1", "7"]


def test_glued_cells_are_ambiguous() -> None:
    text = (
        HEAD
        + "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件898989第二十条第（五）项\n"
    )
    report = parse_bytes(text.encode(), "x.txt").report
    normative = [c for c in report.cells if c.table == "t2" and c.row == "normative"]
    assert {c.state for c in normative} == {"ambiguous"}
    assert _cells(report, "t2", "rules") == ["0", "0", "0"]


def test_label_with_spaces_and_full_width_numbering() -> None:
    text = HEAD + "第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规 章\n1\n0\n4\n"
    report = parse_bytes(text.encode(), "x.txt").report
    assert _cells(report, "t2", "rules") == ["1", "0", "4"]


def test_gbk_text_file_decodes() -> None:
    text = HEAD + "第二十条第（一）项\n规章\n0\n0\n0\n"
    report = parse_bytes(text.encode("gbk"), "x.txt").report
    assert report.unit == "某县民政局"


def test_text_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(UnreadableReport) as err:
        parse_bytes("今天天气很好，我们去公园散步。\n明天再说。".encode(), "x.txt")
    assert err.value.code == "not_a_report"


def test_title_wrapped_mid_word_is_joined() -> None:
    text = "西宁市城中区南川东路街道办事处2021年度政府信息公开工作年度报\n告\n一、总体情况\n本年度主动公开政府信息12条。\n二、主动公开政府信息情况\n第二十条第（一）项\n规章\n0\n0\n0\n"
    report = parse_bytes(text.encode(), "x.txt").report
    assert report.unit == "城中区南川东路街道办事处" or report.unit == "西宁市城中区南川东路街道办事处"
    assert report.title is not None and report.title.endswith("年度报告")


def test_sentence_wrapped_by_the_page_keeps_its_label_whole() -> None:
    text = (
        "某区审计局2020年政府信息公开工作年度报告\n一、总体情况\n"
        "本年度我局共收到政府信息公开申请5件，其中法人或其他组\n织申请2件，均已按时答复。\n二、主动公开政府信息情况\n"
        "第二十条第（一）项\n规章\n0\n0\n0\n"
    )
    report = parse_bytes(text.encode(), "x.txt").report
    org = [f for f in report.facts if f.value == 2]
    assert org and org[0].label.endswith("其他组织申请") and org[0].quantity == "applications_org"
