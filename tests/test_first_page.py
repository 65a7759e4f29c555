"""The first page is readable before its figures are read: its headline's place says 加载中 first."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_dashboard import ROOT, ui_db  # noqa: F401 - the shared dashboard store fixture

from nianbao import ui
from nianbao.ui import text


def _markdown(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown]


def test_the_overview_says_loading_before_it_reads_the_figures(
    ui_db: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NIANBAO_DB", str(ui_db))
    calls: list[str] = []

    def stalled(db: str, year: int) -> object:
        calls.append(db)
        st.stop()  # the run ends here, as if the figures were still being read: what is on the page?

    monkeypatch.setattr(ui, "overview", stalled)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert calls, "the overview's figures were never asked for"
    assert not at.exception
    assert [t.value for t in at.title] == ["总览与排名"]
    assert any(text.LOADING in m for m in _markdown(at)), _markdown(at)
    assert not any("家单位应报" in m for m in _markdown(at))


def test_the_loading_text_gives_way_to_the_headline(ui_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("NIANBAO_DB", str(ui_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert any("家单位应报" in m for m in _markdown(at))
    assert not any(text.LOADING in m for m in _markdown(at))


def test_the_first_pages_modules_load_without_altair() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nianbao.ui import auth, nav\n"
        "from nianbao import ui\n"
        "from nianbao.ui import bulletin, render, text\n"
        "print('altair' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"  # altair loads when the first chart is drawn, after the text
