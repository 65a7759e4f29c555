"""Pages that cost what they show: the finding list paged in SQL, downloads built only when
clicked (with the signed-in user's districts), the XLSX streamed with shared styles."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from test_dashboard import ROOT, _clean, list_rows, ui_db  # noqa: F401  (ui_db: the shared store fixture)

from nianbao import users
from nianbao.export import sheet
from nianbao.ui import data, export

SEV = {"否决": 1, "错误": 2, "警告": 3, "提示": 4}


def _oracle(db: Path, districts: tuple[str, ...] | None) -> pd.DataFrame:
    """The finding list computed in pandas from the views it is defined over (the page's former
    way): open findings, plus earlier versions' findings gone from the current report."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        open_ = con.execute("select * from findings").df().assign(status="未整改")
        current = set(con.execute("select report_id from current_reports").df()["report_id"])
        every = con.execute(
            "select f.*, r.version from report_findings f join reports r using (report_id)"
        ).df()
    finally:
        con.close()
    old = every[~every["report_id"].isin(current) & ~every["fingerprint"].isin(set(open_["fingerprint"]))]
    fixed = old.sort_values("version", ascending=False).drop_duplicates("fingerprint").drop(columns="version")
    out = pd.concat([open_, fixed.assign(status="已整改")], ignore_index=True)
    if districts is not None:
        out = out[out["district"].isin(districts)]
    out = out.assign(_sev=out["severity"].map(SEV), _year=-out["year"].astype(float))
    return out.sort_values(
        ["_year", "district", "unit_id", "_sev", "rule_id", "fingerprint"], na_position="last"
    ).reset_index(drop=True)


def _matching(df: pd.DataFrame, chosen: dict[str, list[Any]]) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    for col, values in chosen.items():
        if values:
            keep &= df[col].isin(values)
    return df[keep].reset_index(drop=True)


FILTER_CASES = [
    {},
    {"year": [2022]},
    {"severity": ["否决", "错误"], "year": [2021, 2020]},
    {"status": ["已整改"]},
    {"district": ["湟中区"], "category": ["完整性", "一致性"]},
]


@pytest.mark.parametrize("districts", [None, ("城东区", "湟中区")])
@pytest.mark.parametrize("chosen", FILTER_CASES)
def test_the_finding_list_pages_in_sql_give_every_matching_finding_once_in_order(
    ui_db: Path,  # noqa: F811
    chosen: dict[str, list[Any]],
    districts: tuple[str, ...] | None,
) -> None:
    db = str(ui_db)
    everything = _oracle(ui_db, districts)
    expected = _matching(everything, chosen)
    summary = data.finding_summary.__wrapped__(db, districts, chosen)  # type: ignore[attr-defined]
    assert (summary.total, summary.shown) == (len(everything), len(expected))
    assert summary.by_severity["否决"] == int((expected["severity"] == "否决").sum())
    assert summary.units == expected["unit_id"].nunique()
    size, got = 7, []
    for page in range(-(-len(expected) // size) + 1):  # one page past the end: it is empty
        rows = data.finding_page.__wrapped__(db, districts, chosen, page, size)  # type: ignore[attr-defined]
        assert len(rows) == min(size, max(0, len(expected) - page * size))
        got += rows
    assert [r["fingerprint"] for r in got] == list(expected["fingerprint"])
    assert [r["status"] for r in got] == list(expected["status"])


def test_the_filters_are_bound_parameters_never_sql_text(ui_db: Path) -> None:  # noqa: F811
    hostile = {"unit_id": ["x') or true --"], "year": [2022]}
    where, params = data.list_where(("城东区",), hostile)
    assert "or true" not in where and ["x') or true --"] in params
    assert data.finding_summary.__wrapped__(str(ui_db), None, hostile).shown == 0  # type: ignore[attr-defined]


@pytest.fixture
def scoped_app(ui_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:  # noqa: F811
    """The dashboard with a users file, signed in as 城东区 staff."""
    path = tmp_path / "users.yaml"
    users.add(path, "dong", users.DISTRICT, "s3cret-pass", district="城东区")
    monkeypatch.setenv("NIANBAO_DB", str(ui_db))
    monkeypatch.setenv("NIANBAO_USERS", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.text_input[0].input("dong")
    at.text_input[1].input("s3cret-pass")
    at.button[0].click().run()
    _clean(at)
    return at


def test_a_rerun_builds_no_download_and_a_click_builds_it_for_the_users_districts_only(
    scoped_app: AppTest,
    ui_db: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    registered: dict[str, Callable[[], Any]] = {}
    xlsx, csv, add = export.table_xlsx, export.table_csv, MediaFileManager.add_deferred

    def counted_xlsx(*a: Any, **k: Any) -> bytes:
        built.append("xlsx")
        return xlsx(*a, **k)

    def counted_csv(*a: Any, **k: Any) -> bytes:
        built.append("csv")
        return csv(*a, **k)

    def remember(
        self: MediaFileManager, fn: Callable[[], Any], mime: Any, coords: str, file_name: Any = None, **k: Any
    ) -> str:
        registered[str(file_name)] = fn
        return add(self, fn, mime, coords, file_name, **k)

    monkeypatch.setattr(export, "table_xlsx", counted_xlsx)
    monkeypatch.setattr(export, "table_csv", counted_csv)
    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    at = scoped_app
    at.switch_page("app_pages/findings.py").run()
    at.multiselect(key="filter-year").set_value([]).run()  # a rerun with other filters
    at.multiselect(key="filter-status").set_value([]).run()
    _clean(at)
    assert built == []  # drawn three times, built never
    assert at.multiselect(key="filter-district").options == ["城东区"] and list_rows(at, "findings")
    name = [n for n in registered if n.endswith(".xlsx")][-1]  # the button as last drawn
    assert name.startswith("问题清单_城东区_") and "年度" not in name  # her district, no year chosen
    out: list[bytes] = []
    # Streamlit runs the callable on its own thread, with no script run (no session state): so here.
    worker = threading.Thread(target=lambda: out.append(registered[name]()))
    worker.start()
    worker.join(60)
    assert built == ["xlsx"]
    ws = openpyxl.load_workbook(io.BytesIO(out[0])).worksheets[0]
    districts = {row[0] for row in ws.iter_rows(min_row=4, values_only=True)}
    total = data.finding_summary.__wrapped__(str(ui_db), ("城东区",), {}).shown  # type: ignore[attr-defined]
    assert districts == {"城东区"} and ws.max_row - 3 == total


def test_the_streamed_xlsx_holds_every_listed_cell_with_shared_styles(ui_db: Path) -> None:  # noqa: F811
    db = str(ui_db)
    wanted = [k for k, _ in export.FINDING_COLUMNS]
    cols, rows = data.finding_rows_for_export(db, None, {}, wanted)
    assert cols == wanted and len(rows) > 50
    rows = rows[:300] + [(*rows[0][:9], "15", "1.5", "很长的问题描述" * 10, rows[0][-1])]
    wb = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(cols, rows, scope=["全市"], filters="全部")))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "问题清单　全市" and "筛选条件：全部" in ws["A2"].value
    assert [c.value for c in ws[3]] == [h for _, h in export.FINDING_COLUMNS]
    body = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert body == [[sheet.value(v) for v in r] for r in rows]  # every cell, numbers as numbers
    assert body[-1][9:11] == [15, 1.5]
    message = [h for _, h in export.FINDING_COLUMNS].index("问题描述") + 1
    cell = ws.cell(row=4 + len(rows) - 1, column=message)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    header = ws.cell(row=3, column=1)
    assert header.font.b and header.fill.fgColor.rgb.endswith("DDE6F0")
    plain = ws.cell(row=4, column=3)
    assert plain.alignment.horizontal == "left" and not plain.alignment.wrap_text and not plain.font.b
    # shared styles: a handful of cell formats for the whole workbook, not one per cell
    assert len(wb._cell_styles) <= 8
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    # one page wide (fitToWidth left out is its default, 1), as many pages down as it takes
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert int(ws.page_setup.fitToHeight) == 0
    assert sorted(map(str, ws.merged_cells.ranges)) == ["A1:M1", "A2:M2"]
    last = 3 + len(rows)
    assert ws.auto_filter.ref == f"A3:M{last}" and "第 &P 页，共 &N 页" in ws.oddFooter.center.text
    # columns of one width are written as one range of columns
    width = [d.width for d in ws.column_dimensions.values() if d.min <= message <= d.max]
    assert width == [pytest.approx(sheet.WRAP_WIDTH, abs=1)]
    assert ws.row_dimensions[last].height >= 2 * sheet.LINE_HEIGHT  # the long description's row grows
