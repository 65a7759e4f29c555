"""Access and hostile report text in a real browser: login as district staff, another district's deep
link refused; a report carrying script, onerror, markdown image and javascript: link runs nothing
and fetches nothing. Debian's chromium via Playwright, streamlit run on a loopback port."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import ui_store
from test_dashboard import seed_path
from test_dashboard_browser import CHROMIUM_ARGS, SHOTS, WIDTH, _settle, serve_dashboard, shoot

from nianbao import users

pytestmark = pytest.mark.browser
PASSWORD = "district-pass-1"


class Beacon:
    """A loopback HTTP server that records every request it gets (there must be none)."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.hits = hits
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def beacon() -> Iterator[Beacon]:
    b = Beacon()
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = ui_store.shared(tmp_path_factory.getbasetemp(), seed_path().read_bytes(), "access-browser")
    people = db.parent / "users.yaml"
    users.add(people, "dong", users.DISTRICT, PASSWORD, district="城东区")
    users.add(people, "boss", users.SUPERVISOR, PASSWORD)
    env = {k: v for k, v in os.environ.items() if k != "NIANBAO_USERS"}  # users.yaml beside the store
    with serve_dashboard(db, "streamlit-access.log", env) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed (make system-deps)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(page: Any, url: str, name: str) -> None:
    """Go to `url`; sign in as `name` when the login form shows (a new page load is a new session)."""
    page.goto(url)
    _settle(page)
    form = page.get_by_label("用户名")
    if form.count():
        form.fill(name)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_text("已登录").wait_for(timeout=30_000)
        _settle(page)
        shoot(page, "access-after-login", docs=False)


def _errors(page: Any) -> str:
    return " ".join(page.locator('[data-testid="stAlertContentError"]').all_inner_texts())


def test_district_staff_log_in_and_are_refused_another_districts_deep_link(
    server: tuple[str, Path], browser: Any
) -> None:
    url, _ = server
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    try:
        page.goto(f"{url}/district?district=湟中区")
        _settle(page)
        assert page.get_by_label("用户名").count() == 1  # nothing but the login form
        assert page.locator("table[data-table]").count() == 0
        shoot(page, "access-login", docs=False)
        _open(page, f"{url}/district?district=湟中区", "dong")
        page.get_by_text("无权查看").first.wait_for(timeout=30_000)
        assert "无权查看" in _errors(page)
        assert page.locator("table[data-list]").count() == 0  # no list of 湟中区's units
        assert page.get_by_text("已登录：dong（区县工作人员 · 城东区）").count() == 1
        shoot(page, "access-refused", docs=False)
        _open(page, f"{url}/district?district=城东区", "dong")
        page.locator('table[data-list="units"]').first.wait_for(timeout=30_000)
        assert _errors(page) == ""
        _open(page, f"{url}/", "dong")  # the ranking: only 城东区
        page.get_by_role("heading", name="总览与排名").wait_for(timeout=30_000)
        shoot(page, "access-overview-district", docs=False)
    finally:
        page.close()


def _hostile_report(port: int) -> tuple[str, list[str]]:
    payloads = [
        "<script>window.__xss=1</script>",
        '<img src=x onerror="window.__xss=2">',
        f"![x](http://127.0.0.1:{port}/beacon.png)",
        "[点我](javascript:window.__xss=3)",
    ]
    text = seed_path().read_text(encoding="utf-8")
    for old, new in zip(("\t　49469", "\t　33100", "\t　16369", "\t　2096"), payloads, strict=True):
        assert old in text
        text = text.replace(old, "\t" + new, 1)
    # a row whose cells cannot be told apart: its parse note quotes the raw text
    row = "\t规范性文件\n\t5\n\t5\n\t5\n"
    assert row in text
    text = text.replace(row, f"\t规范性文件898989{payloads[2]}{payloads[3]}\n", 1)
    text = text.replace("2020年度工作报告", "2020年度工作报告" + payloads[2] + payloads[0], 1)  # title
    prose = "本年度无其他事项。" + "".join(payloads)
    text = text.replace("六、其他需要报告的事项", "六、其他需要报告的事项\n" + prose, 1)
    return text, payloads


def _nothing_ran(page: Any, beacon: Beacon, requests: list[str]) -> None:
    assert page.evaluate("() => window.__xss === undefined")
    assert page.locator('img[src*="beacon"]').count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__xss')).length"
        )
        == 0
    )
    for frame in page.frames:  # st.html and components may live in frames
        assert frame.evaluate("() => window.__xss === undefined")
    assert beacon.hits == [] and [r for r in requests if str(beacon.port) in r] == []


def test_report_text_with_markup_runs_nothing_and_fetches_nothing(
    server: tuple[str, Path], browser: Any, beacon: Beacon
) -> None:
    url, _ = server
    text, payloads = _hostile_report(beacon.port)
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    try:
        _open(page, f"{url}/upload", "dong")
        page.get_by_role("heading", name="上传即检").wait_for(timeout=30_000)
        box = page.get_by_label("或粘贴年报正文")
        box.fill(text)
        box.press("Control+Enter")
        page.get_by_role("heading", name="检查发现的问题").wait_for(timeout=60_000)
        _settle(page)
        unit = page.get_by_label("单位（识别结果，可更正）")
        unit.fill("城东区人民政府")
        unit.press("Enter")
        _settle(page)
        page.get_by_role("button", name="保存为新版本").click()
        page.get_by_text("已保存为").first.wait_for(timeout=60_000)
        _settle(page)
        for expander in page.locator('[data-testid="stExpander"] summary').all():
            expander.click()  # open the parse notes and the finding list
        _settle(page)
        body = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
        assert "window.__xss=1" in body  # the script is shown as text, not run
        shoot(page, "access-hostile-upload", docs=False)
        _nothing_ran(page, beacon, requests)

        rid = hashlib.sha256(text.encode("utf-8")).hexdigest()
        _open(page, f"{url}/report?id={rid}", "dong")
        page.locator("table[data-table]").first.wait_for(timeout=30_000)
        for expander in page.locator('[data-testid="stExpander"] summary').all():
            expander.click()
        _settle(page)
        cells = page.locator("table[data-table]").first.inner_text()
        assert "<script>window.__xss=1</script>" in cells  # the cell shows exactly what the report says
        shoot(page, "access-hostile-report", docs=False)
        _nothing_ran(page, beacon, requests)
        assert dialogs == []
    finally:
        page.close()
