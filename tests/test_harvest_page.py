"""The 数据采集 page under streamlit.testing (AppTest): edit the sources, harvest in the background, see the result."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from harvest_site import Route, Server, Site
from streamlit.testing.v1 import AppTest

from nianbao.demo.generate import generate
from nianbao.demo.render.docx import render_docx
from nianbao.store import connect
from nianbao.ui import harvest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served() -> Iterator[tuple[Site, Server]]:
    """A fixture portal at 127.0.0.1 (an IP literal: no name is ever resolved)."""
    site = Site()
    server = Server(site).start()
    report = next(r for r in generate().reports if r.unit.name == "城中区卫生健康局" and r.year == 2023)
    host = "127.0.0.1"
    site.add(
        host,
        "/nb/",
        Route(
            f"<html><body><ul><li><a href='./r.docx'>{report.title}</a><span>2024-01-17</span></li></ul></body></html>".encode()
        ),
    )
    site.add(host, "/nb/r.docx", Route(render_docx(report), "application/octet-stream"))
    site.add(
        host,
        "/zwdt/",
        Route(
            "<html><head><title>政务动态</title></head><body><ul><li><a href='a.html'>一条政务动态信息</a><span>2020-01-02</span></li></ul></body></html>".encode()
        ),
    )
    try:
        yield site, server
    finally:
        server.stop()


def _sources(port: int) -> str:
    return (
        "[settings]\ndelay = 0\ntimeout = 2\nretries = 0\n\n[[source]]\n"
        f'unit = "城中区人民政府"\nlists = ["http://127.0.0.1:{port}/nb/"]\n'
        f'columns = ["http://127.0.0.1:{port}/zwdt/"]\n'
    )


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppTest, Path]]:
    """The 数据采集 page on an empty store."""
    db = tmp_path / "store.duckdb"
    connect(db).close()
    monkeypatch.setenv("NIANBAO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/harvest.py").run()
    yield at, db


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_the_page_opens_on_the_shipped_sources_with_nothing_harvested(page: tuple[AppTest, Path]) -> None:
    at, _db = page
    _clean(at)
    assert at.title[0].value == "数据采集"
    assert "城中区人民政府" in at.text_area(key="harvest-sources").value
    assert any("尚未采集" in i.value for i in at.info)


def test_an_invalid_sources_file_is_not_saved(page: tuple[AppTest, Path]) -> None:
    at, db = page
    at.text_area(key="harvest-sources").set_value('[[source]]\nunit = "x"\nlists = ["ftp://a/"]\n').run()
    at.button(key="harvest-save").click().run()
    assert any("未保存" in e.value and "http/https" in e.value for e in at.error)
    assert not (db.parent / "sources.toml").exists()


def test_a_harvest_runs_in_the_background_and_its_results_appear(
    page: tuple[AppTest, Path], served: tuple[Site, Server]
) -> None:
    at, db = page
    site, server = served
    at.text_area(key="harvest-sources").set_value(_sources(server.port)).run()
    at.button(key="harvest-save").click().run()
    _clean(at)
    assert (db.parent / "sources.toml").read_text(encoding="utf-8") == _sources(server.port)
    at.checkbox(key="harvest-loopback").check().run()
    at.button(key="harvest-start").click().run()
    _clean(at)
    job = harvest.job(str(db.resolve()))
    assert job is not None
    deadline = time.monotonic() + 60
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.finished and job.error is None
    at.run()
    _clean(at)
    status, fresh, found = (d.value for d in at.dataframe)
    assert list(status["新增"]) == [1] and list(status["失败"]) == [0]
    assert list(fresh["栏目不更新"]) == ["是"]
    assert list(found["严重程度"]) == ["警告"]
    assert any("新增 1" in m.value for m in at.success)
    assert {h for h, _p, _s in site.log} == {"127.0.0.1"}
    # The unit's scorecard shows its website findings, apart from the reports' scores.
    at.switch_page("app_pages/district.py").run()
    next(b for b in at.selectbox if b.label == "区县").select("城中区").run()
    _clean(at)
    assert "网站监测" in [h.value for h in at.subheader]
    assert any("不计入年报得分" in c.value for c in at.caption)
