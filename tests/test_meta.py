"""Report metadata: the unit from a wrapped title or the 落款, the publication date by precedence."""

from __future__ import annotations

import pytest
from pdfdocx_writers import write_docx, write_pdf
from wps_writer import write_wps_pdf

from nianbao.ingest import parse_bytes
from nianbao.model import Report

UNIT = "淮安市洪泽区人民政府"
TITLE = "2024年政府信息公开工作年度报告"
BODY = [
    "一、总体情况",
    "本年度依法做好政府信息公开工作。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "信息公开的及时性还需加强。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
]
SIGNATURE = [UNIT, "2025年1月20日"]


def text_report(*lines: str, list_date: str | None = None) -> Report:
    return parse_bytes("\n".join(lines).encode("utf-8"), "x.txt", list_date=list_date).report


def html_report(head: str, article: str) -> Report:
    paras = "".join(f"<p>{x}</p>" for x in BODY)
    page = f"<html><body>{head}<div class='article'>{article}{paras}</div></body></html>"
    return parse_bytes(page.encode("utf-8"), "x.html").report


def meta(report: Report) -> tuple[str | None, str | None, dict[str, str]]:
    return report.unit, report.published, report.sources


# ------------------------------------------------------------------------------------- the unit


def test_a_title_wrapped_with_the_unit_on_its_own_first_line_names_the_unit_in_text() -> None:
    assert meta(text_report(UNIT, TITLE, *BODY)) == (UNIT, None, {"unit": "title"})


def test_a_title_wrapped_with_the_unit_on_its_own_first_line_names_the_unit_in_html() -> None:
    report = html_report("", f"<p>{UNIT}</p><p>{TITLE}</p>")
    assert meta(report) == (UNIT, None, {"unit": "title"})


def test_a_title_wrapped_after_the_report_words_keeps_the_unit_between_year_and_words() -> None:
    report = text_report("2024年上海市科委政府信息公开工作", "年度报告", *BODY)
    assert (report.title, report.unit) == ("2024年上海市科委政府信息公开工作年度报告", "上海市科委")


@pytest.mark.parametrize("writer", ["reportlab", "wps"])
def test_a_two_line_pdf_title_names_the_unit(writer: str) -> None:
    lines = [UNIT, TITLE, *BODY]
    if writer == "wps":
        data = write_wps_pdf([[("line", x) for x in lines]])
    else:
        data = write_pdf([("p", x) for x in lines])
    assert meta(parse_bytes(data, "x.pdf").report) == (UNIT, None, {"unit": "title"})


def test_a_line_above_the_title_that_is_not_a_unit_is_not_joined() -> None:
    report = text_report("政府信息公开", "西宁市城中区人民政府2024年政府信息公开工作年度报告", *BODY)
    assert report.unit == "西宁市城中区人民政府"


def test_the_signature_names_the_unit_when_the_title_does_not() -> None:
    report = text_report(TITLE, *BODY, *SIGNATURE)
    assert (report.unit, report.sources["unit"]) == (UNIT, "signature")


def test_the_title_unit_wins_over_the_signature() -> None:
    report = text_report("西宁市城中区人民政府" + TITLE, *BODY, *SIGNATURE)
    assert (report.unit, report.sources["unit"]) == ("西宁市城中区人民政府", "title")


# --------------------------------------------------------------------------- the publication date


def test_the_signature_date_is_the_last_resort_and_says_so() -> None:
    report = text_report(UNIT, TITLE, *BODY, *SIGNATURE)
    assert (report.published, report.sources["published"]) == ("2025-01-20", "signature")
    assert [n.code for n in report.notes if n.code == "published_from_signature"] == [
        "published_from_signature"
    ]


def test_unit_and_date_on_one_signature_line_are_both_read() -> None:
    report = text_report(TITLE, *BODY, f"{UNIT}办公室  2025年2月3日")
    assert meta(report) == (UNIT + "办公室", "2025-02-03", {"unit": "signature", "published": "signature"})


def test_a_date_inside_a_closing_sentence_is_not_a_signature() -> None:
    report = text_report(UNIT, TITLE, *BODY, "本报告于2025年1月20日经审定后发布。")
    assert report.published is None


def test_the_list_entry_date_wins_over_the_signature() -> None:
    report = text_report(UNIT, TITLE, *BODY, *SIGNATURE, list_date="2025-01-25")
    assert (report.published, report.sources["published"]) == ("2025-01-25", "list")
    assert not [n for n in report.notes if n.code == "published_from_signature"]


def test_the_pages_own_date_wins_over_the_list_entry_and_the_signature() -> None:
    report = text_report(UNIT, TITLE, "发布日期：2025-01-28", *BODY, *SIGNATURE, list_date="2025-01-25")
    assert (report.published, report.sources["published"]) == ("2025-01-28", "page")


@pytest.mark.parametrize(
    "wrapper", ["采集时间：2025-06-01 10:00", "抓取时间: 2025-06-01", "采集日期：2025-06-01"]
)
def test_a_crawlers_wrapper_is_never_the_publication_date(wrapper: str) -> None:
    assert text_report(wrapper, UNIT, TITLE, *BODY).published is None
    report = html_report(f"<div class='wrap'>{wrapper}</div>", f"<h1>{UNIT}{TITLE}</h1>")
    assert report.published is None


def test_a_crawlers_wrapper_leaves_the_signature_date_in_charge() -> None:
    report = text_report("采集时间：2025-06-01 10:00", UNIT, TITLE, *BODY, *SIGNATURE)
    assert (report.published, report.sources["published"]) == ("2025-01-20", "signature")


def test_a_plain_time_label_on_the_page_is_still_its_date() -> None:
    report = text_report(f"{UNIT}{TITLE}", "来源：平潭县人民政府 时间：2022-02-08 16:34", *BODY)
    assert (report.published, report.sources["published"]) == ("2022-02-08", "page")


def test_a_date_label_and_its_value_in_separate_html_cells_is_the_page_date() -> None:
    index = "<table><tr><td>索引号</td><td>0123/2025-00001</td></tr><tr><td>发布日期</td><td>2025-01-20</td></tr></table>"
    report = html_report(index, f"<h1>{UNIT}{TITLE}</h1>")
    assert (report.published, report.sources["published"]) == ("2025-01-20", "page")


def test_a_date_label_and_its_value_in_separate_docx_cells_is_the_page_date() -> None:
    data = write_docx(
        [("p", UNIT), ("p", TITLE), ("table", [["成文日期", "2025年1月18日"], ["发布机构", UNIT]])]
        + [("p", x) for x in BODY]
    )
    report = parse_bytes(data, "x.docx").report
    assert (report.unit, report.published, report.sources) == (
        UNIT,
        "2025-01-18",
        {"unit": "title", "published": "page"},
    )


def test_the_parse_json_says_where_each_value_came_from() -> None:
    obj = text_report(TITLE, *BODY, *SIGNATURE).as_dict()
    assert obj["report"]["sources"] == {"unit": "signature", "published": "signature"}


def test_the_parse_listing_says_where_each_value_came_from(tmp_path, capsys) -> None:
    from nianbao.cli import main

    path = tmp_path / "report.txt"
    path.write_text("\n".join([TITLE, *BODY, *SIGNATURE]), encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{UNIT}  （来源：落款 signature）" in out
    assert "2025-01-20  （来源：落款 signature）" in out
