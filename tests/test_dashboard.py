"""The dashboard pages under streamlit.testing (AppTest), against a store built in code."""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import ui_store
from streamlit.testing.v1 import AppTest

from nianbao.ui import export, lists
from nianbao.ui.config import db_path
from nianbao.ui.render import PAGE_SIZE
from nianbao.ui.tables import marks_for, render_table

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "huangzhong_2020.txt"
OWN_SEED = ROOT / "data" / "seed" / "huangzhong_2020.txt"


def seed_path() -> Path:
    path = SEED if SEED.exists() else OWN_SEED
    if not path.exists():
        pytest.skip("seed report not found")
    return path


@pytest.fixture(scope="session")
def ui_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small Xining store for every dashboard test (generator + the real seed)."""
    return ui_store.shared(tmp_path_factory.getbasetemp(), seed_path().read_bytes(), "apptest")


@pytest.fixture
def app(ui_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("NIANBAO_DB", str(ui_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    yield at


def list_rows(at: AppTest, name: str) -> list[dict[str, str]]:
    """The rows of an HTML list (nianbao.ui.lists) on the page, as their data-* attributes."""
    tables = [h.value for h in at.html if f'data-list="{name}"' in h.value]
    assert tables, f"no {name} list on the page"
    return [dict(ATTR.findall(tr)) for tr in ROW.findall(tables[0])]


ROW = re.compile(r"<tr((?: data-[a-z]+=\"[^\"]*\")+)>")
ATTR = re.compile(r' data-([a-z]+)="([^"]*)"')


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    from nianbao.cli import main

    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_overview_shows_the_same_ranking_as_nianbao_ranking(
    app: AppTest, ui_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean(app)
    assert app.title[0].value == "总览与排名"
    labels = {m.label: m.value for m in app.metric}
    assert {"应报单位", "已发布年报", "按时发布", "合格率", "否决单位", "未整改问题·否决"} <= set(labels)
    for year in (2022, 2020):
        if year != 2022:
            app.sidebar.selectbox[0].select(year).run()
            _clean(app)
        assert str(app.query_params["year"]) in (str(year), str([str(year)]))
        shown = list_rows(app, "ranking")
        cli = _json(capsys, "ranking", "--json", "--year", str(year), "--db", str(ui_db))
        assert isinstance(cli, list) and len(cli) == 7
        keys = ("district", "rank", "score", "verdict", "pass_rate", "due", "published", "vetoes")
        expected = [{k.replace("_", ""): lists.text(r[k]) for k in keys} for r in cli]
        assert shown == expected
        assert str(year) in app.markdown[0].value and "家单位应报" in app.markdown[0].value


def test_the_shared_year_comes_from_the_url_and_follows_to_the_next_page(app: AppTest) -> None:
    app.query_params["year"] = "2021"
    app.run()
    assert app.sidebar.selectbox[0].value == 2021
    app.switch_page("app_pages/district.py").run()
    _clean(app)
    assert app.sidebar.selectbox[0].value == 2021 and str(app.query_params["year"]) in ("2021", "['2021']")


def test_a_ranking_row_links_to_the_districts_scorecard(app: AppTest) -> None:
    html = next(h.value for h in app.html if 'data-list="ranking"' in h.value)
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) == 7 and all(x.startswith("district?district=") and "year=2022" in x for x in links)


def test_district_scorecard_lists_units_worst_first_with_links_to_reports(app: AppTest) -> None:
    app.query_params["district"] = "湟中区"
    app.query_params["year"] = "2020"
    app.switch_page("app_pages/district.py").run()
    _clean(app)
    units = list_rows(app, "units")
    assert "湟中区人民政府" in {u["unit"] for u in units}
    verdicts = [u["verdict"] for u in units]
    assert verdicts == sorted(verdicts, key=lambda v: v == "合格")  # 不合格 first
    html = next(h.value for h in app.html if 'data-list="units"' in h.value)
    assert re.search(r'href="report\?id=[0-9a-f]{64}"', html)
    assert "湟中区 2020 年度" in app.markdown[0].value


def test_a_district_with_more_units_than_a_page_lists_them_a_page_at_a_time_worst_first(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao.ui import render

    app.query_params["district"] = "湟中区"
    app.query_params["year"] = "2020"
    app.switch_page("app_pages/district.py").run()
    everyone = list_rows(app, "units")
    assert len(everyone) > 2
    monkeypatch.setattr(render, "UNIT_PAGE_SIZE", 2)
    app.run()
    _clean(app)
    seen = list_rows(app, "units")
    pages = len(app.selectbox(key="units-page").options)
    assert len(seen) == 2 and pages == (len(everyone) + 1) // 2
    assert app.selectbox(key="units-page").options[0] == f"第 1 页（第 1–2 家，共 {len(everyone)} 家）"
    for page in range(1, pages):
        app.selectbox(key="units-page").select_index(page).run()
        seen += list_rows(app, "units")
    assert [u["unit"] for u in seen] == [u["unit"] for u in everyone]  # every unit once, in the same order


def _a_finding_with_a_cell(ui_db: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect(str(ui_db))  # the app may hold it open read-write in this process
    try:
        rid, tbl, row, col = con.execute(
            "select report_id, tbl, row_key, col_key from finding_store where col_key is not null order by all limit 1"
        ).fetchall()[0]
    finally:
        con.close()
    return {"id": rid, "cell": f"{tbl}.{row}.{col}"}


def test_a_deep_link_to_a_finding_opens_its_report_with_the_cell_highlighted(
    ui_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _a_finding_with_a_cell(ui_db)
    monkeypatch.setenv("NIANBAO_DB", str(ui_db))
    at = AppTest.from_file(str(ROOT / "app_pages" / "report.py"), default_timeout=60)
    at.query_params["id"] = str(target["id"])
    at.query_params["cell"] = str(target["cell"])
    at.run()
    _clean(at)
    focused = [h.value for h in at.html if 'data-focus="1"' in h.value]
    assert len(focused) == 1 and f'data-cell="{target["cell"]}" data-focus="1"' in focused[0]
    assert "年度年报（第" in at.markdown[0].value
    assert list_rows(at, "versions")


def test_the_report_picker_lists_one_years_reports_worst_first(app: AppTest) -> None:
    app.switch_page("app_pages/report.py").run()
    _clean(app)
    picker = app.selectbox(key="report-pick-2022")
    labels = list(picker.options)  # as shown: 不合格 · 0 分 · 城东区人民政府
    assert len(labels) > 10 and all(x.count(" · ") == 2 for x in labels)
    firsts = [x.split(" · ")[0] for x in labels]
    assert firsts == sorted(firsts, key=lambda v: v == "合格")


def test_upload_paste_check_and_save(app: AppTest) -> None:
    app.switch_page("app_pages/upload.py").run()
    _clean(app)
    app.text_area(key="upload-text").input(seed_path().read_text(encoding="utf-8")).run()
    _clean(app)
    assert app.text_input[0].value == "西宁市湟中区人民政府"
    assert app.number_input[0].value == 2020
    rules = {r["rule"] for r in list_rows(app, "findings")}
    assert {"CS-1", "TITLE-1", "NAR-3"} <= rules
    shown = next(h.value for h in app.html if 'data-list="findings"' in h.value)
    assert ">None<" not in shown and "nan" not in shown and "区县" not in shown  # one report: no unit columns
    assert any('data-flag="' in h.value for h in app.html)
    app.button(key="upload-save").click().run()
    _clean(app)
    assert "未重复保存" in app.success[0].value  # the seed is in the store already


def test_upload_unreadable_shows_chinese_message(app: AppTest) -> None:
    app.switch_page("app_pages/upload.py").run()
    app.text_area(key="upload-text").input("这不是年报。").run()
    assert not app.exception
    assert app.error and "无法读取" in app.error[0].value


def test_findings_filters(app: AppTest) -> None:
    app.switch_page("app_pages/findings.py").run()
    _clean(app)
    assert app.multiselect(key="filter-year").value == [2022]  # the year shared by the pages
    assert {r["year"] for r in list_rows(app, "findings") if r.get("year")} <= {"2022"}
    app.multiselect(key="filter-year").set_value([]).run()
    everything = list_rows(app, "findings")
    assert {r["status"] for r in everything} == {"未整改"}
    app.multiselect(key="filter-status").set_value(["已整改"]).run()
    fixed = list_rows(app, "findings")  # the seed's first version had one more problem
    assert fixed and {r["status"] for r in fixed} == {"已整改"}
    app.multiselect(key="filter-status").set_value([]).run()
    total = int(re.search(r"符合条件的问题 (\d+) 条", app.markdown[0].value).group(1))  # type: ignore[union-attr]
    assert total > PAGE_SIZE and len(list_rows(app, "findings")) == PAGE_SIZE  # in pages
    app.selectbox(key="findings-page").select_index(1).run()
    _clean(app)
    assert len(list_rows(app, "findings")) == min(PAGE_SIZE, total - PAGE_SIZE)
    app.multiselect(key="filter-severity").set_value(["否决"]).run()
    _clean(app)
    shown = list_rows(app, "findings")
    assert len(shown) > 0 and {r["severity"] for r in shown} == {"否决"}


def test_rules(app: AppTest) -> None:
    app.switch_page("app_pages/rules.py").run()
    _clean(app)
    assert {"CS-1", "TBL-1", "TIME-2"} <= {r["rule"] for r in list_rows(app, "rules")}
    shown = next(h.value for h in app.html if 'data-list="rules"' in h.value)
    assert "《中华人民共和国政府信息公开条例》第四十九条" in shown
    for internal in ("DOMAIN", "DESIGN", "§", "nianbao", "`", ".toml"):  # no references to our own files
        assert internal not in shown, internal
    assert "条规则：否决项" in app.markdown[0].value


def test_missing_store_is_a_chinese_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DB", str(tmp_path / "nope.duckdb"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30).run()
    assert not at.exception
    assert "找不到数据库" in at.error[0].value


def test_db_path_from_args_env_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_DB", raising=False)
    assert db_path(["--db", "/x/a.duckdb"]) == "/x/a.duckdb"
    assert db_path(["--db=/x/b.duckdb"]) == "/x/b.duckdb"
    monkeypatch.setenv("NIANBAO_DB", "/x/c.duckdb")
    assert db_path([]) == "/x/c.duckdb"
    monkeypatch.delenv("NIANBAO_DB")
    assert db_path([]).endswith("data/demo.duckdb")


def test_suspect_cell_shows_the_fix() -> None:
    findings = [
        {
            "rule_id": "SUS-1",
            "severity": "提示",
            "tbl": "t3",
            "row_key": "r3_2",
            "col_key": "natural",
            "expected": "0",
            "message": "疑似",
        },
        {
            "rule_id": "LBL-1",
            "severity": "错误",
            "tbl": "t3",
            "row_key": "r3_2",
            "col_key": None,
            "expected": "1",
            "message": "行",
        },
    ]
    cells = [
        {"tbl": "t3", "row_key": "r3_2", "col_key": "natural", "raw": "2", "value": 2.0, "state": "number"}
    ]
    html = render_table("t3", cells, findings, version="2021")
    assert "→ 应为 0" in html and 'data-flag="错误"' in html  # the worse row severity colours the cell
    assert marks_for(findings).cells[("t3", "r3_2", "natural")].fix == "0"


def test_exports_have_chinese_headers_bom_and_summary() -> None:
    rows = [
        {
            "district": "城东区",
            "unit_id": "城东区人民政府",
            "year": 2022,
            "rule_id": "CS-1",
            "rule_title": "统计表存在空白单元格",
            "category": "完整性",
            "severity": "错误",
            "status": "未整改",
            "message": "表三有 2 个单元格未填数字",
        },
    ]
    data = export.findings_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf") and "区县,单位,年度".encode() in data
    rows[0]["fingerprint"] = "ab" * 16
    rows[0]["expected"] = "15"
    day = datetime.date(2026, 12, 1)
    xlsx = export.findings_xlsx(rows, scope=["城东区", "2025年度"], filters="区县：城东区", day=day)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "问题清单　城东区　2025年度"
    assert "2026年12月1日" in ws["A2"].value and "区县：城东区" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert ws.freeze_panes == "A4" and header[0] == "区县" and header[-1] == "问题指纹"
    assert ws["C4"].value == 2022 and ws.cell(row=4, column=header.index("应为") + 1).value == 15
    message = header.index("问题描述") + 1
    assert (
        ws.cell(row=4, column=message).alignment.wrap_text
        or ws.column_dimensions[openpyxl.utils.get_column_letter(message)].width > 20
    )
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert wb.sheetnames[1] == "汇总"
    assert export.file_name("问题清单", ["城东区", "2025年度"], day) == "问题清单_城东区_2025年度_20261201"


def test_finding_list_wraps_and_shows_missing_as_empty() -> None:
    rows = [
        {
            "district": "湟中区",
            "unit_id": "湟中区人民政府",
            "year": 2020.0,
            "severity": "警告",
            "category": "规范性",
            "rule_id": "CS-4",
            "rule_title": "单位错误或金额不合常理",
            "location": "表二·第二十条第（九）项",
            "expected": None,
            "actual": float("nan"),
            "message": "采购总金额 10.22亿 带单位<亿>",
            "status": "未整改",
        }
    ]
    one = lists.findings_html(rows, one_report=True)
    many = lists.findings_html(rows, one_report=False)
    for html in (one, many):
        assert "None" not in html and "nan" not in html and "table-layout:fixed" in html
        assert "带单位&lt;亿&gt;" in html and 'data-rule="CS-4"' in html
    assert "湟中区人民政府" not in one and "湟中区 · 2020 年度" in many and ">未整改<" in many


def _demo_rows(ui_db: Path, sql: str) -> list[tuple[object, ...]]:
    import duckdb

    con = duckdb.connect(str(ui_db))  # the same configuration as the app's, in this process
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_on_the_demo_store_every_vetoed_report_is_failed_and_counts_zero(ui_db: Path) -> None:
    vetoed = _demo_rows(ui_db, "select verdict, score, score_before_veto from report_scores where vetoes > 0")
    assert len(vetoed) >= 3  # the small demo has vetoes (2019 tables after 2021)
    assert all(v == "不合格" and s == 0 and b is not None for v, s, b in vetoed)
    means = _demo_rows(
        ui_db,
        "select d.score, round(avg(u.score), 1) from district_scorecards d"
        " join unit_scorecards u on u.district = d.district and u.year = d.year and u.due"
        " group by d.district, d.year, d.score",
    )
    assert means and all(a == b for a, b in means)  # the mean counts vetoed and missing as 0


def test_on_the_demo_store_the_pass_rate_counts_missing_reports(ui_db: Path) -> None:
    missing = _demo_rows(ui_db, "select count(*) from unit_scorecards where status = '逾期未发布'")[0][0]
    assert missing > 0
    bad = _demo_rows(
        ui_db,
        "select d.district, d.year from district_scorecards d"
        " join unit_scorecards u on u.district = d.district and u.year = d.year and u.due"
        " group by d.district, d.year, d.pass_rate, d.units_due"
        " having d.units_due <> count(*)"
        " or d.pass_rate <> round(100.0 * count(*) filter (where u.verdict = '合格') / count(*), 1)",
    )
    assert bad == []


def test_on_the_demo_store_a_vetoed_district_never_outranks_an_equal_one(ui_db: Path) -> None:
    board = _demo_rows(ui_db, "select year, rank, score, pass_rate, vetoes from district_ranking")
    for y1, r1, s1, p1, v1 in board:
        for y2, r2, s2, p2, v2 in board:
            if y1 == y2 and s1 == s2 and p1 == p2 and v1 > v2:
                assert r1 > r2


def test_an_upload_from_outside_the_city_is_checked_not_stored(app: AppTest) -> None:
    before = list_rows(app, "ranking")
    app.switch_page("app_pages/upload.py").run()
    far = (
        seed_path()
        .read_text(encoding="utf-8")
        .replace("西宁市湟中区", "上海市徐汇区")
        .replace("湟中", "徐汇")
    )
    app.text_area(key="upload-text").input(far).run()
    _clean(app)
    assert any("非本市单位：仅检查，不入库" in w.value for w in app.warning)
    assert app.button(key="upload-save").disabled
    assert list_rows(app, "findings")  # checked all the same
    app.switch_page("app_pages/overview.py").run()
    assert list_rows(app, "ranking") == before
