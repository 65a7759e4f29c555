"""Cells placed by source cell and by their place in the template: every failure class built in code."""

from __future__ import annotations

from pathlib import Path

from checkkit import open_store
from pdfdocx_writers import write_docx

from nianbao.checks import check_reports
from nianbao.ingest import ingest_bytes, parse_bytes
from nianbao.model import Report
from nianbao.templates import template

T2021 = template("2021")
T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
HEAD = "某县民政局2022年政府信息公开工作年度报告\n一、总体情况\n本年度依法做好政府信息公开工作。\n"
T2_MD = (
    "二、主动公开政府信息情况\n"
    "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
    "| 第二十条第（一）项 | | | |\n| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 3 | 1 | 7 |\n"
    "| 第二十条第（五）项 | 本年处理决定数量 | | |\n| 行政许可 | 5 | | |\n"
    "| 第二十条第（六）项 | 本年处理决定数量 | | |\n| 行政处罚 | 2 | | |\n| 行政强制 | 0 | | |\n"
    "| 第二十条第（八）项 | 本年收费金额（单位：万元） | | |\n| 行政事业性收费 | 0 | | |\n"
)
TAIL = (
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
    "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    "五、存在的主要问题及改进情况\n仍需改进。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"
)


def _labels() -> list[tuple[str, str]]:
    """(row key, printed label) of every Table 3 row, the leaf label as a report prints it."""
    return [(r.key, r.label.split("/")[-1]) for r in T2021.t3_rows]


def _t3_values() -> dict[str, list[str]]:
    """Distinct values per row, so a cell read from the wrong row or column shows."""
    vals = {
        r.key: [str(i % 9 + 1), "0", "0", "0", "0", "0", str(i % 9 + 1)] for i, r in enumerate(T2021.t3_rows)
    }
    vals["r1_disclosed"] = ["9", "1", "0", "0", "0", "0", "10"]
    return vals


def _md_t3(rows: list[str]) -> str:
    head = "| 申请人情况 | " + " | ".join(T3_COLS) + " |\n|" + "---|" * 8 + "\n"
    return (
        "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
        + head
        + "".join(rows)
    )


def _md_row(label: str, vals: list[str]) -> str:
    return "| " + " | ".join([label, *vals]) + " |\n"


def _parse(text: str) -> Report:
    return parse_bytes(text.encode(), "x.md").report


def _raws(report: Report, table: str, row: str) -> list[str]:
    return [c.raw for c in report.cells if c.table == table and c.row == row]


def _states(report: Report, table: str, row: str) -> set[str]:
    return {c.state for c in report.cells if c.table == table and c.row == row}


def _notes(report: Report, code: str) -> list[str | None]:
    return [n.row for n in report.notes if n.code == code]


# -- spans: HTML and DOCX ---------------------------------------------------------------------------


def _html_t2(header: str, data: str) -> bytes:
    body = (
        "<h1>某县民政局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度依法做好政府信息公开工作。</p>"
        "<p>二、主动公开政府信息情况</p><table>"
        f"<tr><td colspan='5'>第二十条第（一）项</td></tr><tr>{header}</tr><tr>{data}</tr>"
        "<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>7</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
    )
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


HEADER_PLAIN = "<td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td>"


def test_a_value_spanning_two_columns_is_one_value_and_its_row_is_ambiguous() -> None:
    page = _html_t2(HEADER_PLAIN, "<td>规章</td><td colspan='2'>5</td><td>7</td>")
    report = parse_bytes(page, "x.html").report
    assert _states(report, "t2", "rules") == {"ambiguous"}
    assert "rules" in _notes(report, "ambiguous")


def test_data_cells_are_matched_to_the_header_column_spans_in_html() -> None:
    header = "<td>信息内容</td><td colspan='2'>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td>"
    page = _html_t2(header, "<td>规章</td><td>3</td><td></td><td>1</td><td>7</td>")
    report = parse_bytes(page, "x.html").report
    assert _raws(report, "t2", "rules") == ["3", "1", "7"]


def test_a_one_column_value_spanning_the_row_is_read_once_in_html() -> None:
    body = (
        "<h1>某县民政局2022年政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
        "<tr><td>第二十条第（五）项</td><td colspan='3'></td></tr>"
        "<tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
        "<tr><td>行政许可</td><td colspan='3'>97</td></tr></table><p>三、收到和处理政府信息公开申请情况</p>"
    )
    report = parse_bytes(f"<html><body>{body}</body></html>".encode(), "x.html").report
    assert _raws(report, "t2", "licensing") == ["97"]


def _docx_t2(header: list[str], data: list[str], merges: list[tuple[int, int, int, int]]) -> bytes:
    rows = [["第二十条第（一）项"] * 5, header, data, ["行政规范性文件", "3", "1", "7", "7"]]
    return write_docx(
        [
            ("p", "某县民政局2022年政府信息公开工作年度报告"),
            ("p", "二、主动公开政府信息情况"),
            ("table", rows, {"merges": [(0, 0, 0, 4), *merges]}),
            ("p", "三、收到和处理政府信息公开申请情况"),
        ]
    )


def test_a_docx_value_spanning_two_columns_makes_its_row_ambiguous() -> None:
    header = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", ""]
    data = ["规章", "5", "5", "7", ""]  # 5 written once, in a cell merged over two columns
    report = parse_bytes(_docx_t2(header, data, [(2, 1, 2, 2)]), "x.docx").report
    assert _states(report, "t2", "rules") == {"ambiguous"}


def test_docx_data_cells_are_matched_to_the_header_grid_spans() -> None:
    header = ["信息内容", "本年制发件数", "本年制发件数", "本年废止件数", "现行有效件数"]
    data = ["规章", "3", "", "1", "7"]
    report = parse_bytes(_docx_t2(header, data, [(1, 1, 1, 2)]), "x.docx").report
    assert _raws(report, "t2", "rules") == ["3", "1", "7"]


# -- rows that cannot be placed one way ---------------------------------------------------------------


def test_a_short_row_is_ambiguous_not_filled_from_the_left() -> None:
    text = HEAD + T2_MD.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | 4 | 2 |")
    report = _parse(text)
    assert _states(report, "t2", "rules") == {"ambiguous"}
    assert [c.value for c in report.cells if c.row == "rules"] == [None, None, None]


def test_a_long_row_whose_blanks_cannot_be_told_from_the_edge_is_ambiguous() -> None:
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels()]
    rows[0] = _md_row(_labels()[0][1], ["3", "", "", "", "", "", "", "", ""])
    report = _parse(HEAD + T2_MD + _md_t3(rows) + TAIL)
    assert _states(report, "t3", "new") == {"ambiguous"}
    assert _raws(report, "t3", "carried_in") == vals["carried_in"]


# -- running text: where a row ends -----------------------------------------------------------------


def _running_t3(sep: str, join: str) -> str:
    """Table 3 as one line of running text: values separated by `sep`, rows joined by `join`."""
    vals = _t3_values()
    parts = []
    groups_done: set[str] = set()
    for r in T2021.t3_rows:
        path = r.label.split("/")
        if len(path) > 1 and path[0] not in groups_done:
            groups_done.add(path[0])
            parts.append(path[0])
        parts.append(
            path[-1] + sep.join(vals[r.key]) if sep == "" else path[-1] + " " + sep.join(vals[r.key])
        )
    return (
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        + join.join(parts)
        + "\n"
    )


def test_numbering_glued_to_the_last_value_starts_the_next_row() -> None:
    # `… 0 0 0 0 0 0 32.其他法律…`: the 2. belongs to the next label, so 总计 is 3, not 32.
    report = _parse(HEAD + T2_MD + _running_t3(" ", "") + TAIL)
    vals = _t3_values()
    for r in T2021.t3_rows:
        assert _raws(report, "t3", r.key) == vals[r.key], r.key


def test_numbering_after_a_space_does_not_drop_the_row() -> None:
    report = _parse(HEAD + T2_MD + _running_t3(" ", " ") + TAIL)
    vals = _t3_values()
    for r in T2021.t3_rows:
        assert _raws(report, "t3", r.key) == vals[r.key], r.key


def test_glued_digits_split_where_the_template_leaves_one_reading() -> None:
    # `属于国家秘密50000052.其他…`: 5000005 is seven one-digit cells once the next row's 2. is cut off;
    # the row （五）4 `4.无正当理由…` and （六）3 `3.其他` are found in their places.
    report = _parse(HEAD + T2_MD + _running_t3("", "") + TAIL)
    vals = _t3_values()
    single = [r.key for r in T2021.t3_rows if all(len(v) == 1 for v in vals[r.key])]
    assert {"r3_1", "r5_3", "r5_4", "r6_3"} <= set(single)
    for key in single:
        assert _raws(report, "t3", key) == vals[key], key
    assert all(c.value is None for c in report.cells if c.state == "ambiguous")


def test_an_item_number_no_label_explains_leaves_the_row_unread() -> None:
    text = HEAD + T2_MD + _running_t3(" ", "").replace("8.属于行政查询事项", "8.属于行政查询事项 2.")
    report = _parse(text)
    assert _states(report, "t3", "r3_8") == {"ambiguous"}


def test_a_group_bracket_glued_to_the_last_value_keeps_the_number() -> None:
    report = _parse(HEAD + T2_MD + _running_t3(" ", "") + TAIL)
    cell = report.cell("t3", "r2_partial", "total")
    assert cell is not None and (cell.raw, cell.state) == (_t3_values()["r2_partial"][-1], "number")


def test_section_headings_glued_to_digits_are_found() -> None:
    text = (
        HEAD.replace("\n一、", "一、")
        + "二、主动公开政府信息情况第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0"
        + "三、收到和处理政府信息公开申请情况无申请。"
        + "四、政府信息公开行政复议、行政诉讼情况无。10五、存在的主要问题及改进情况仍需改进。"
        + "六、其他需要报告的事项无。"
    )
    report = _parse(text)
    assert [s.no for s in report.sections] == ["一", "二", "三", "四", "五", "六"]


def test_a_renumbered_section_heading_is_found_by_its_title_with_a_note() -> None:
    text = (
        "某县民政局2022年政府信息公开工作年度报告\n一、总体情况\n本年度依法公开。\n二、工作机制保障\n设立小组。\n"
        "三、主动公开工作情况\n发布信息12条。\n二、收到和处理政府信息公开申请情况\n无申请。\n"
        "三、政府信息公开行政复议、行政诉讼情况\n无。\n四、存在的主要问题及改进情况\n仍需改进。\n"
        "五、其他需要报告的事项\n无。\n"
    )
    report = _parse(text)
    assert [(x.no, x.heading) for x in report.sections] == [
        ("一", "一、总体情况"),
        ("二", "三、主动公开工作情况"),
        ("三", "二、收到和处理政府信息公开申请情况"),
        ("四", "三、政府信息公开行政复议、行政诉讼情况"),
        ("五", "四、存在的主要问题及改进情况"),
        ("六", "五、其他需要报告的事项"),
    ]
    assert len([n for n in report.notes if n.code == "section_renumbered"]) == 5


def test_a_lost_problems_heading_is_found_by_its_first_sub_heading() -> None:
    text = (
        HEAD + "二、主动公开政府信息情况\n发布信息。\n三、收到和处理政府信息公开申请情况\n无申请。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n无。\n（一）主要问题\n栏目需调整。\n（二）改进情况\n已调整。\n"
        "六、其他需要报告的事项\n无。\n"
    )
    report = _parse(text)
    got = [(x.no, x.heading) for x in report.sections][4:]
    assert got == [("五", "（一）主要问题"), ("六", "六、其他需要报告的事项")]
    assert any("首个小标题" in n.message for n in report.notes if n.code == "section_renumbered")


def test_a_numbered_phrase_inside_prose_is_not_a_renumbered_heading() -> None:
    text = (
        HEAD + "本年度重点做好三件事：一是依法公开，三、主动公开政府信息，做到应公开尽公开。\n"
        "三、收到和处理政府信息公开申请情况\n无申请。\n"
    )
    report = _parse(text)
    assert [x.no for x in report.sections] == ["一", "三"]


# -- rows by position -----------------------------------------------------------------------------


def test_a_typo_label_in_its_place_is_matched_with_a_note() -> None:
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels()]
    rows = [x.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开") for x in rows]
    report = _parse(HEAD + T2_MD + _md_t3(rows) + TAIL)
    assert _raws(report, "t3", "r3_2") == vals["r3_2"]
    assert "r3_2" in _notes(report, "label_variant")


def test_a_typo_label_out_of_its_place_is_not_matched() -> None:
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels() if k != "r3_2"]
    rows.insert(12, _md_row("2.其他法律行政止公开", vals["r3_2"]))  # after （三）8, out of its place
    report = _parse(HEAD + T2_MD + _md_t3(rows) + TAIL)
    assert _states(report, "t3", "r3_2") == {"missing"}


def _r6_2019_report() -> str:
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels() if not k.startswith("r6_")]
    at = [k for k, _ in _labels() if not k.startswith("r6_")].index("r7_total")
    rows.insert(at, _md_row("（六）其他处理", ["4", "0", "0", "0", "0", "0", "4"]))
    return HEAD + T2_MD + _md_t3(rows) + TAIL


def test_a_2019_shaped_other_row_in_a_2021_table_is_read_and_noted() -> None:
    report = _parse(_r6_2019_report())
    assert _notes(report, "r6_2019_shape") == ["r6"]
    message = next(n.message for n in report.notes if n.code == "r6_2019_shape")
    assert "4 0 0 0 0 0 4" in message
    for key in ("r6_1", "r6_2", "r6_3"):
        assert _states(report, "t3", key) == {"missing"}
    assert _raws(report, "t3", "r7_total") == _t3_values()["r7_total"]


def test_the_missing_2021_sub_rows_are_a_format_finding_not_blank_cells(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    stored, _ = ingest_bytes(con, db, _r6_2019_report().encode(), "x.md")
    found = check_reports(con, [stored.report_id])
    con.close()
    assert [f for f in found if f["rule_id"] == "CS-1" and f["location"] == "表三"] == []
    fmt = [f for f in found if f["rule_id"] == "FMT-1"]
    assert [(f["severity"], f["location"]) for f in fmt] == [("警告", "表三·（六）其他处理")]


def test_label_less_number_rows_are_placed_when_the_order_leaves_one_possibility() -> None:
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels()]
    keys = [k for k, _ in _labels()]
    # （二）'s label stands above the table as text; its numbers come unlabelled after （一）.
    i = keys.index("r2_partial")
    rows[i] = "| " + " | ".join(vals["r2_partial"]) + " |\n"
    report = _parse(HEAD + T2_MD + _md_t3(rows) + TAIL)
    assert _raws(report, "t3", "r2_partial") == vals["r2_partial"]
    assert "r2_partial" in _notes(report, "by_order")


def test_label_less_rows_are_not_placed_when_the_order_leaves_a_choice() -> None:
    vals = _t3_values()
    keys = [k for k, _ in _labels()]
    rows = [_md_row(lab, vals[k]) for k, lab in _labels()]
    i = keys.index("r3_2")
    # Three unlabelled number rows where two rows lost their labels: which is which cannot be told.
    loose = "".join("| " + " | ".join(vals[k]) + " |\n" for k in ("r3_2", "r3_3", "r3_3"))
    rows[i : i + 2] = [loose]
    report = _parse(HEAD + T2_MD + _md_t3(rows) + TAIL)
    assert _states(report, "t3", "r3_2") == {"ambiguous"}
    assert _states(report, "t3", "r3_3") == {"ambiguous"}


def test_a_value_placed_nowhere_makes_the_tables_blanks_unsure() -> None:
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels()]
    keys = [k for k, _ in _labels()]
    i = keys.index("carried_out")
    rows[i] = _md_row("四、结转下年度继续办理", vals["carried_out"][:-1] + [""])
    j = keys.index("r6_3")
    rows[j] = rows[j] + "\n1\n\n"
    report = _parse(HEAD + T2_MD + _md_t3(rows) + TAIL)
    cell = report.cell("t3", "carried_out", "total")
    assert cell is not None and cell.state == "ambiguous"
    assert _notes(report, "stray_value")


def test_table2_items_written_as_plain_lines_are_read() -> None:
    text = (
        HEAD + "二、主动公开政府信息情况\n第二十条第（一）项\n第二十条第（五）项\n信息内容本年处理决定数量\n"
        "行政许可 97\n第二十条第（六）项\n信息内容本年处理决定数量\n行政处罚 3\n行政强制 0\n"
        "第二十条第（八）项\n信息内容本年收费金额（单位：万元）\n行政事业性收费 0\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        "| 规章 | 0 | 0 | 0 |\n| 规范性文件 | 13 | 0 | 55 |\n"
        "三、收到和处理政府信息公开申请情况\n"
    )
    report = _parse(text)
    got = {r: _raws(report, "t2", r) for r in ("licensing", "penalty", "enforcement", "fees", "normative")}
    assert got == {
        "licensing": ["97"],
        "penalty": ["3"],
        "enforcement": ["0"],
        "fees": ["0"],
        "normative": ["13", "0", "55"],
    }


def test_table4_printed_as_three_five_column_tables_is_read() -> None:
    leaf = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
    t4 = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n" + leaf + "| 1 | 2 | 3 | 4 | 10 |\n\n"
        "行政诉讼（未经复议直接起诉）\n" + leaf + "| 0 | 1 | 0 | 0 | 1 |\n\n"
        "行政诉讼（复议后起诉）\n" + leaf + "| 2 | 0 | 0 | 1 | 3 |\n\n"
        "五、存在的主要问题及改进情况\n仍需改进。\n"
    )
    vals = _t3_values()
    rows = [_md_row(lab, vals[k]) for k, lab in _labels()]
    report = _parse(HEAD + T2_MD + _md_t3(rows) + t4)
    assert _raws(report, "t4", "cases") == [
        "1",
        "2",
        "3",
        "4",
        "10",
        "0",
        "1",
        "0",
        "0",
        "1",
        "2",
        "0",
        "0",
        "1",
        "3",
    ]
