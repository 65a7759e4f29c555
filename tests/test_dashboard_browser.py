"""The dashboard in a real browser: Debian's chromium via Playwright, streamlit run on a loopback port."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import ui_store
from test_dashboard import ROOT, seed_path

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-output" / "screenshots"
# `make screenshots` sets this (docs/screenshots): small copies of the shots for the README.
DOCS_SHOTS = os.environ.get("NIANBAO_SCREENSHOTS")
WIDTH = 1440
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
    ("report", "年报详情"),
    ("findings", "问题清单"),
    ("rules", "规则说明"),
]
# Latin-letter words a page may show: rule ids, file formats, and what Streamlit draws itself and
# offers no way to change (the README lists these). Anything else is English a user should not see.
ALLOWED = re.compile(
    r"^(?:[A-Z]{1,6}|Word|Excel|UTF|MB|txt|html|htm|docx|pdf|md|xlsx|csv|Skip|to|main|content|[0-9a-f]+)$"
)


def english_words(page: object) -> list[str]:
    """The Latin-letter words on the page that are not allowed (icons' ligature names left out)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    text = page.evaluate(
        """() => { const c = document.querySelector('[data-testid="stApp"]').cloneNode(true);
            c.querySelectorAll('[data-testid="stIconMaterial"], style, script').forEach(e => e.remove());
            return c.innerText; }"""
    )
    return sorted({w for w in re.findall(r"[A-Za-z]+", str(text)) if not ALLOWED.match(w)})


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_dashboard(db: Path, log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free loopback port over `db`: its URL once healthy; its output
    goes to test-output/`log_name`."""
    port = _free_port()
    log = (ROOT / "test-output").resolve()
    log.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--", "--db", str(db),
    ]  # fmt: skip
    with open(log / log_name, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ} if env is None else env
        )
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
                        raise RuntimeError(f"streamlit did not start; see test-output/{log_name}") from None
                    time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ui_db = ui_store.shared(tmp_path_factory.getbasetemp(), seed_path().read_bytes(), "browser")
    with serve_dashboard(ui_db, "streamlit.log") as url:
        yield url


def _settle(page: object) -> None:
    """Wait until the script run is over (no running indicator) and no element is stale."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=30_000
    )
    page.wait_for_timeout(500)  # charts and tables lay out after the run ends


def shoot(page: object, name: str, docs: bool = True) -> Path:
    """Screenshot the page cut to its content (the app scrolls inside, so the viewport is sized to it).

    With `docs` (and NIANBAO_SCREENSHOTS set) a small copy goes to the README's pictures too.
    """
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    height = page.evaluate(
        """() => {
            const b = document.querySelector('[data-testid="stMainBlockContainer"]');
            const last = b.lastElementChild ? b.lastElementChild.getBoundingClientRect().bottom : 0;
            return Math.ceil(Math.max(last, b.getBoundingClientRect().top + 200));
        }"""
    )
    page.set_viewport_size({"width": WIDTH, "height": max(720, int(height) + 48)})
    page.wait_for_timeout(500)  # charts re-lay out to the new size
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    if DOCS_SHOTS and docs:
        small_copy(path, ROOT / DOCS_SHOTS / path.name)
    return path


DOCS_MAX_HEIGHT = 1800  # px: the README shows the top of a long page


def small_copy(src: Path, dst: Path) -> None:
    """The screenshot's top, with a 256-colour palette: a fraction of the bytes, the text still crisp."""
    from PIL import Image

    dst.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(src) as im:
        top = im.crop((0, 0, im.width, min(im.height, DOCS_MAX_HEIGHT)))
        top.convert("RGB").quantize(colors=256).save(dst, optimize=True)


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
                viewport={"width": WIDTH, "height": 1200}, accept_downloads=True
            )  # the app scrolls inside, not the page: shoot() sizes the viewport to the content
            for path, title in PAGES:
                page.goto(f"{server}/{'' if path == 'overview' else path}")  # the default page lives at /
                expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=30_000)
                _settle(page)
                assert page.locator('[data-testid="stException"]').count() == 0
                assert page.locator('[data-testid="stAlertContentError"]').count() == 0
                assert page.get_by_text("Page not found").count() == 0
                assert english_words(page) == [], path
                shoot(page, path, docs=path != "overview")  # the README shows the full demo's overview

            page.goto(f"{server}/upload")
            expect(page.get_by_role("heading", name="上传即检")).to_be_visible(timeout=30_000)
            _settle(page)
            started = time.monotonic()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(seed_path()))
            expect(page.get_by_role("heading", name="检查发现的问题")).to_be_visible(timeout=30_000)
            _settle(page)
            elapsed = time.monotonic() - started
            assert page.locator("td[data-flag]").count() > 0
            findings = page.locator('table[data-list="findings"]')
            expect(findings.locator('tr[data-rule="TITLE-1"]')).to_have_count(1)
            assert "None" not in findings.inner_text()
            box, table = (
                page.locator('[data-testid="stMainBlockContainer"]').bounding_box(),
                findings.bounding_box(),
            )
            assert box and table and table["x"] + table["width"] <= box["x"] + box["width"]  # no side scroll
            shoot(page, "upload")
            with page.expect_download(timeout=30_000) as dl:
                page.get_by_role("button", name="下载 Excel（XLSX）").click()
            target = tmp_path / "findings.xlsx"
            dl.value.save_as(str(target))
            wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
            ws = wb.worksheets[0]
            assert str(ws["A1"].value).startswith("检查结果") and "导出日期" in str(ws["A2"].value)
            headers = [c.value for c in ws[3]]
            assert headers[:3] == ["区县", "单位", "年度"] and headers[-1] == "问题指纹"
            assert re.fullmatch(r"检查结果_.+_2020年度_\d{8}\.xlsx", dl.value.suggested_filename)
            rule_ids = {row[headers.index("规则编号")] for row in ws.iter_rows(min_row=4, values_only=True)}
            assert {"CS-1", "TITLE-1", "NAR-3"} <= rule_ids
            assert "汇总" in wb.sheetnames
            print(f"upload to findings: {elapsed:.2f}s")

            # the finding list's file is built when clicked, of the filtered list only
            page.goto(f"{server}/findings?district=城东区&year=2021")
            expect(page.get_by_role("heading", name="问题清单")).to_be_visible(timeout=30_000)
            _settle(page)
            with page.expect_download(timeout=60_000) as dl:
                page.get_by_role("button", name="下载 Excel（XLSX）").click()
            assert re.fullmatch(r"问题清单_城东区_2021年度_\d{8}\.xlsx", dl.value.suggested_filename)
            dl.value.save_as(str(tmp_path / "list.xlsx"))
            listed = openpyxl.load_workbook(tmp_path / "list.xlsx").worksheets[0]
            rows = list(listed.iter_rows(min_row=4, values_only=True))
            assert rows and {(r[0], r[2]) for r in rows} == {("城东区", 2021)}
        finally:
            browser.close()


def test_ranking_to_district_to_report_to_the_highlighted_cell_and_a_pasted_link(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed (make system-deps)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1200})
            page.goto(f"{server}/")
            expect(page.get_by_role("heading", name="总览与排名")).to_be_visible(timeout=30_000)
            _settle(page)
            assert "year=2022" in page.url  # the year is in the URL from the start
            # The worst district: the last ranking row.
            last = page.locator('table[data-list="ranking"] tbody tr').last
            district = last.get_attribute("data-district")
            last.locator("a").click()
            expect(page.get_by_role("heading", name="区县记分卡")).to_be_visible(timeout=30_000)
            _settle(page)
            assert "/district?" in page.url and "year=2022" in page.url
            assert district and urllib.parse.quote(district) in page.url
            shoot(page, "click-1-district", docs=False)
            page.locator('table[data-list="units"] a').first.click()
            expect(page.get_by_role("heading", name="年报详情")).to_be_visible(timeout=30_000)
            _settle(page)
            assert "/report?" in page.url and "id=" in page.url
            shoot(page, "click-2-report", docs=False)
            # A finding that points at a cell: its link opens the report with that cell outlined.
            cell_link = page.locator('table[data-list="findings"] a[href*="cell="]').first
            if cell_link.count() == 0:  # this report's findings are about whole tables: take one that is not
                page.goto(f"{server}/findings")
                _settle(page)
                cell_link = page.locator('table[data-list="findings"] a[href*="cell="]').first
            href = cell_link.get_attribute("href")
            assert href
            cell_link.click()
            _settle(page)
            assert "cell=" in page.url
            focus = page.locator('td[data-focus="1"]')
            expect(focus).to_have_count(1)
            expect(focus).to_be_visible()
            assert (
                focus.get_attribute("data-cell")
                == urllib.parse.parse_qs(urllib.parse.urlparse(href).query)["cell"][0]
            )
            shoot(page, "click-3-cell")
            pasted = page.url
            # The same link pasted into a new tab opens the same report and cell.
            other = browser.new_page(viewport={"width": WIDTH, "height": 1200})
            other.goto(pasted)
            expect(other.get_by_role("heading", name="年报详情")).to_be_visible(timeout=30_000)
            _settle(other)
            expect(other.locator('td[data-focus="1"]')).to_have_count(1)
            # An unknown address opens the overview, with no English notice.
            other.goto(f"{server}/no-such-page?year=2021")
            expect(other.get_by_role("heading", name="总览与排名")).to_be_visible(timeout=30_000)
            _settle(other)
            assert other.get_by_text("Page not found").count() == 0 and "year=2021" in other.url
        finally:
            browser.close()
