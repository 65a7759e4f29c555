"""`make demo` as a newcomer runs it: the Makefile's own recipe builds the demo store and serves it.

The test runs `make demo` itself (only the store path and the port are overridden, and the venv
is taken as installed), so it breaks when the recipe drifts; then it opens the dashboard in
Debian's chromium and reads the ranking: all 7 districts and counties, with scores.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_dashboard import ROOT
from test_dashboard_browser import CHROMIUM_ARGS, SHOTS, WIDTH, _free_port, _settle, shoot

pytestmark = pytest.mark.browser

DISTRICTS = ("城东区", "城中区", "城西区", "城北区", "湟中区", "大通回族土族自治县", "湟源县")
START_TIMEOUT = 420  # seconds: the demo corpus is written and stored, then its round history (about 150 s on 2 idle cores, far more on a shared machine)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop make and the streamlit it started (its own process group, started by this test)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def test_make_demo_serves_a_populated_dashboard(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    chromium, make = shutil.which("chromium"), shutil.which("make")
    if chromium is None or make is None:
        pytest.skip("chromium or make not installed (make system-deps)")
    db = tmp_path / "demo.duckdb"  # a fresh checkout has no store: the recipe builds it
    port = _free_port()
    cmd = [
        make, "--no-print-directory", "-o", ".venv/.installed", "demo",
        f"DB={db}", f"PORT={port}", f"BIN={Path(sys.executable).parent}",
    ]  # fmt: skip
    log_path = ROOT / "test-output" / "make-demo.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() - started > START_TIMEOUT:
                        raise AssertionError(
                            f"make demo did not serve on {url}:\n{log_path.read_text(errors='replace')[-3000:]}"
                        ) from None
                    time.sleep(0.5)
            assert db.is_file() and (tmp_path / "demo" / "manifest.json").is_file()  # corpus beside the store
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": WIDTH, "height": 1200})
                    served = time.monotonic()
                    page.goto(url)
                    expect(page.get_by_role("heading", name="总览与排名")).to_be_visible(timeout=30_000)
                    readable = time.monotonic() - served  # the title (and 加载中 while caches fill)
                    _settle(page)
                    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
                    assert page.locator('[data-testid="stException"]').count() == 0
                    expect(page.get_by_role("heading", name="2025 年度区县排名")).to_be_visible()
                    rows = page.locator('table[data-list="ranking"] tr[data-district]')
                    shown = [rows.nth(i).get_attribute("data-district") for i in range(rows.count())]
                    missing = [d for d in DISTRICTS if d not in shown]
                    assert not missing, f"ranking lacks {missing}: {shown}"
                    verdicts = [rows.nth(i).get_attribute("data-verdict") for i in range(rows.count())]
                    assert "不合格" in verdicts  # the demo city has failing districts
                    print(f"first page readable {readable:.1f}s after the server answered")
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    shoot(page, "make-demo")
                finally:
                    browser.close()
        finally:
            _stop(proc)
    print(f"make demo to a populated dashboard: {time.monotonic() - started:.1f}s")
