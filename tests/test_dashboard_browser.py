"""The dashboard in a real browser: Debian's chromium via Playwright, streamlit run on a loopback port."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import ui_store
from test_dashboard import ROOT, seed_path

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [
    ("overview", "总览与排名"),
    ("district", "区县记分卡"),
    ("findings", "问题清单"),
    ("rules", "规则说明"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ui_db = ui_store.shared(tmp_path_factory.getbasetemp(), seed_path().read_bytes(), "browser")
    port = _free_port()
    log = (ROOT / "test-output").resolve()
    log.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--", "--db", str(ui_db),
    ]  # fmt: skip
    with open(log / "streamlit.log", "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ})
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("streamlit did not start; see test-output/streamlit.log") from None
                    time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _settle(page: object) -> None:
    """Wait until the script run is over (no running indicator) and no element is stale."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=30_000
    )
    page.wait_for_timeout(500)  # charts and tables lay out after the run ends


def test_every_page_upload_and_download(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed (make system-deps)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 1440, "height": 2400}, accept_downloads=True
            )  # the app scrolls inside, not the page
            for path, title in PAGES:
                page.goto(f"{server}/{'' if path == 'overview' else path}")  # the default page lives at /
                expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=30_000)
                _settle(page)
                assert page.locator('[data-testid="stException"]').count() == 0
                assert page.locator('[data-testid="stAlertContentError"]').count() == 0
                assert page.get_by_text("Page not found").count() == 0
                page.screenshot(path=str(SHOTS / f"{path}.png"), full_page=True)
            # 区县记分卡: the tables are real HTML tables with flagged cells
            page.goto(f"{server}/district")
            _settle(page)
            assert page.locator("table[data-table]").count() >= 1

            page.goto(f"{server}/upload")
            expect(page.get_by_role("heading", name="上传即检")).to_be_visible(timeout=30_000)
            _settle(page)
            started = time.monotonic()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(seed_path()))
            expect(page.get_by_role("heading", name="检查发现的问题")).to_be_visible(timeout=30_000)
            _settle(page)
            elapsed = time.monotonic() - started
            assert page.locator("td[data-flag]").count() > 0
            assert (
                page.get_by_text("TITLE-1").count() > 0
                or page.locator('[data-testid="stDataFrame"]').count() > 0
            )
            page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
            with page.expect_download(timeout=30_000) as dl:
                page.get_by_role("button", name="下载 Excel（XLSX）").click()
            target = tmp_path / "findings.xlsx"
            dl.value.save_as(str(target))
            wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
            ws = wb.worksheets[0]
            headers = [c.value for c in ws[1]]
            assert headers[:3] == ["区县", "单位", "年度"]
            rule_ids = {row[headers.index("规则编号")] for row in ws.iter_rows(min_row=2, values_only=True)}
            assert {"CS-1", "TITLE-1", "NAR-3"} <= rule_ids
            assert "汇总" in wb.sheetnames
            print(f"upload to findings: {elapsed:.2f}s")
        finally:
            browser.close()
