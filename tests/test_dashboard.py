"""The dashboard pages under streamlit.testing (AppTest), against a store built in code."""

from __future__ import annotations

import io
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


def test_overview(app: AppTest) -> None:
    _clean(app)
    assert app.title[0].value == "总览与排名"
    labels = {m.label: m.value for m in app.metric}
    assert {"应报单位", "已发布年报", "按时发布", "合格率", "未整改问题·否决", "未整改问题·错误"} <= set(
        labels
    )
    ranking = app.dataframe[0].value
    assert len(ranking) == 7 and list(ranking["rank"]) == sorted(ranking["rank"])
    assert app.selectbox(key="overview-year").value == 2022
    app.selectbox(key="overview-year").select(2020).run()
    _clean(app)
    assert "城东区" in set(app.dataframe[0].value["district"])


def test_district(app: AppTest) -> None:
    app.switch_page("app_pages/district.py").run()
    _clean(app)
    app.selectbox(key="district-name").select("湟中区").run()
    _clean(app)
    units = app.dataframe[0].value
    assert "湟中区人民政府" in set(units["unit_id"])
    assert len(app.html) >= 3  # tables 2-4 and their legends
    assert any('data-table="t3"' in h.value for h in app.html)
    assert any(b.label == "下载原始文件" for b in app.get("download_button"))


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
    everything = list_rows(app, "findings")
    assert {r["status"] for r in everything} == {"未整改"}
    app.multiselect(key="filter-status").set_value(["已整改"]).run()
    fixed = list_rows(app, "findings")  # the seed's first version had one more problem
    assert fixed and {r["status"] for r in fixed} == {"已整改"}
    app.multiselect(key="filter-status").set_value([]).run()
    total = int(re.search(r"共 (\d+) 条", app.caption[0].value).group(1))  # type: ignore[union-attr]
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
    assert "《条例》" in next(h.value for h in app.html if 'data-list="rules"' in h.value)


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
    wb = openpyxl.load_workbook(io.BytesIO(export.findings_xlsx(rows)))
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "区县" and ws["D2"].value == "CS-1"
    message = [c.value for c in ws[1]].index("问题描述") + 1
    assert (ws.column_dimensions[openpyxl.utils.get_column_letter(message)].width or 0) > 20
    assert wb.sheetnames[1] == "汇总"


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
