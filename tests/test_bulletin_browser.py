"""The 通报 page in a real browser: close a round from the page, download the DOCX and open it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from test_dashboard_browser import CHROMIUM_ARGS, WIDTH, _settle, server, shoot  # noqa: F401

pytestmark = pytest.mark.browser


def test_closing_a_round_from_the_page_gives_a_notice_to_download(server: str, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "chromium is installed by tools/system-deps.sh"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1200}, accept_downloads=True)
            page.goto(f"{server}/bulletin")
            expect(page.get_by_role("heading", name="通报")).to_be_visible(timeout=30_000)
            _settle(page)
            page.get_by_label("操作人姓名", exact=True).and_(page.get_by_test_id("stTextInputField")).fill(
                "测试督查员"
            )
            page.get_by_label("操作人姓名", exact=True).and_(page.get_by_test_id("stTextInputField")).press(
                "Enter"
            )
            _settle(page)
            page.get_by_text("关闭检查期").first.click()
            page.get_by_role("button", name="关闭本期并生成通报").click()
            _settle(page)
            expect(page.get_by_text("期已关闭").first).to_be_visible(timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0
            with page.expect_download(timeout=30_000) as got:
                page.get_by_role("button", name="下载通报（Word）").click()
            target = tmp_path / "notice.docx"
            got.value.save_as(str(target))
            data = target.read_bytes()
            assert data[:2] == b"PK", data[:300]
            doc = Document(io.BytesIO(data))
            text = "\n".join(par.text for par in doc.paragraphs)
            assert "检查情况的通报" in text and "一、总体情况" in text and "五、工作要求" in text
            shoot(page, "bulletin-page")
        finally:
            browser.close()
