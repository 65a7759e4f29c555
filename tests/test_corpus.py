"""Every real report in the corpus parses as far as it goes, with the year and template index.csv gives."""

from __future__ import annotations

import csv

import pytest

from nianbao.errors import UnreadableReport
from nianbao.ingest import parse_bytes

from conftest import CORPUS, corpus_file

ROWS = list(csv.DictReader((CORPUS / "index.csv").open(encoding="utf-8"))) if CORPUS.is_dir() else []
GLUED = {"fujian_pingtan_2020.txt", "fujian_pingtan_2021.txt", "fujian_pingtan_2022.txt"}


def _expected_template(text: str) -> str | None:
    return text[:4] if text[:4] in ("2019", "2021") else None


@pytest.mark.parametrize(
    "row", [r for r in ROWS if not r["template"].startswith("other")], ids=lambda r: r["file"]
)
def test_corpus_report_year_and_template(row: dict[str, str]) -> None:
    report = parse_bytes(corpus_file(row["file"]).read_bytes(), row["file"]).report
    assert report.year == int(row["year"])
    assert report.template == _expected_template(row["template"])


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r["file"] not in GLUED and not r["template"].startswith("other")],
    ids=lambda r: r["file"],
)
def test_corpus_report_reads_without_ambiguity_where_cells_are_separated(row: dict[str, str]) -> None:
    report = parse_bytes(corpus_file(row["file"]).read_bytes(), row["file"]).report
    ambiguous = [n.message for n in report.notes if n.code == "ambiguous"]
    # 雄县: blank cells were dropped from the one-cell-per-line copy, so its 规章 row cannot be placed.
    if row["file"] == "hebei_xiongxian_xiang_2019.txt":
        assert len(ambiguous) == 1
    elif row["file"] == "shaanxi_zhashui_fenghuangzhen_2021_zhtw.md":
        # index.csv: its Table 3 rows collapse to one value then empty cells (columns misaligned),
        # so the rows read so far cannot be placed and must not count as blanks.
        rows = {n.row for n in report.notes if n.code == "ambiguous"}
        assert rows == {"new", "carried_in", "r1_disclosed"}
    else:
        assert ambiguous == []


@pytest.mark.parametrize("name", sorted(GLUED))
def test_glued_text_is_flagged_not_guessed(name: str) -> None:
    report = parse_bytes(corpus_file(name).read_bytes(), name).report
    ambiguous = [c for c in report.cells if c.state == "ambiguous"]
    assert ambiguous, "glued rows must be flagged"
    assert all(c.value is None for c in ambiguous)
    assert any(n.code == "ambiguous" for n in report.notes)


def test_glued_row_with_only_one_possible_split_is_read() -> None:
    report = parse_bytes(corpus_file("fujian_pingtan_2021.txt").read_bytes(), "x").report
    # "规章 000": three cells, three digits, one way to cut them.
    assert [report.cell("t2", "rules", c).value for c in ("issued", "repealed", "in_force")] == [0, 0, 0]  # type: ignore[union-attr]


def test_ambiguous_glued_table2_row_keeps_values_unknown() -> None:
    report = parse_bytes(corpus_file("fujian_pingtan_2021.txt").read_bytes(), "x").report
    # "行政规范性文件693665" could be 6|93|665, 69|36|65, ...
    cells = [report.cell("t2", "normative", c) for c in ("issued", "repealed", "in_force")]
    assert [(c.state, c.value) for c in cells if c] == [("ambiguous", None)] * 3


def test_pre_2019_report_is_not_supported() -> None:
    with pytest.raises(UnreadableReport) as err:
        parse_bytes(corpus_file("fujian_pingtan_2018_oldformat.txt").read_bytes(), "old.txt")
    assert err.value.code == "unsupported_format"


def test_report_without_tables_lists_every_cell_as_missing() -> None:
    report = parse_bytes(
        corpus_file("guangdong_heping_heshuizhen_2024_notables.txt").read_bytes(), "x"
    ).report
    assert report.tables_found == []
    assert {c.state for c in report.cells} == {"missing"}
    assert len(report.cells) == 200
    assert report.unit == "合水镇人民政府"


def test_traditional_mirror_reads_as_simplified_labels() -> None:
    report = parse_bytes(
        corpus_file("guangdong_shenzhen_nanshan_shekoujiedao_2021_zhtw.txt").read_bytes(), "x"
    ).report
    assert report.unit == "南山区蛇口街道办事处"
    penalty = report.cell("t2", "penalty", "decisions")
    normative = report.cell("t2", "normative", "issued")
    assert penalty is not None and penalty.value == 61
    assert normative is not None and normative.state == "dash"


def test_pdf_page_with_vertical_table4_headers_reads_15_values() -> None:
    report = parse_bytes(corpus_file("unknown_district_shenjiju_2020_pdfpage9.txt").read_bytes(), "x").report
    t4 = [c for c in report.cells if c.table == "t4"]
    assert [c.state for c in t4] == ["zero"] * 15
    carried = [c for c in report.cells if c.table == "t3" and c.row == "carried_out"]
    assert [c.value for c in carried] == [0] * 7


def test_blank_applicant_cells_beside_a_total_are_placed_by_count() -> None:
    report = parse_bytes(
        corpus_file("shaanxi_yulin_yuyang_tuofengludaojie_2020.txt").read_bytes(), "x"
    ).report
    row = [c for c in report.cells if c.table == "t3" and c.row == "new"]
    assert [c.state for c in row] == ["blank"] * 6 + ["zero"]


def test_excerpt_cut_inside_a_row_marks_the_rest_missing() -> None:
    report = parse_bytes(corpus_file("liaoning_changtu_xianju_2021.txt").read_bytes(), "x").report
    row = [c.state for c in report.cells if c.table == "t3" and c.row == "r1_disclosed"]
    assert row.count("missing") >= 1 and "ambiguous" not in row


def test_breadcrumb_is_not_taken_for_the_title() -> None:
    report = parse_bytes(corpus_file("jiangxi_huichang_zhongcunxiang_2020.txt").read_bytes(), "x").report
    assert report.unit == "中村乡"


def test_provincial_annotations_and_label_drift_are_tolerated() -> None:
    report = parse_bytes(
        corpus_file("hebei_shijiazhuang_qiaoxi_zhongshanjiedao_2021.txt").read_bytes(), "x"
    ).report
    fee = report.cell("t2", "fees", "fee_amount")
    normative = report.cell("t2", "normative", "issued")
    assert fee is not None and fee.value == 0.092
    assert normative is not None and normative.state == "zero"
