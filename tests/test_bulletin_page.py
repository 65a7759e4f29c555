"""The 通报 page under streamlit.testing: preview, changes, inline review; 已驳回 on the scorecard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from checkkit import open_store, rows, store
from streamlit.testing.v1 import AppTest
from test_rounds import B_ID, R8, R9, A, B, _broken, _vetoed

from nianbao import rounds
from nianbao.audit import events

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppTest, Path]]:
    con, db = open_store(tmp_path)
    store(con, db, _vetoed(A))
    store(con, db, _broken(B))
    rounds.close_round(con, R8, actor="t", at=datetime(2026, 4, 13, 17))
    rounds.close_round(con, R9, actor="t", at=datetime(2026, 4, 27, 17))
    con.close()
    monkeypatch.setenv("NIANBAO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/bulletin.py").run()
    yield at, db


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_the_page_previews_the_latest_round_with_its_changes(app: tuple[AppTest, Path]) -> None:
    at, _ = app
    _clean(at)
    assert at.selectbox(key="round-pick").value == 9
    labels = {m.label for m in at.metric}
    assert {"合格率", "新发现", "已整改", "逾期未整改"} <= labels
    texts = " ".join(m.value for m in at.markdown)
    assert "检查情况的通报" in texts and "五、工作要求" in texts
    assert {b.label for b in at.get("download_button")} >= {"下载通报（Word）", "下载附件1（Excel）"}


def test_dismissing_from_the_page_is_logged_and_the_scorecard_says_so(app: tuple[AppTest, Path]) -> None:
    import duckdb

    at, db = app
    at.sidebar.text_input(key="reviewer-name").input("李督查").run()
    rows_shown = at.selectbox[1].options
    pick = next(i for i, label in enumerate(rows_shown) if "OFF-1" in label)
    at.selectbox[1].select_index(pick).run()
    at.radio(key="review-action").set_value("dismiss").run()
    at.text_input(key="review-reason").input("跨年结转，实际平衡").run()
    at.button(key="review-submit").click().run()
    _clean(at)
    at.switch_page("app_pages/district.py").run()
    next(b for b in at.selectbox if b.label == "区县").select("城西区").run()
    _clean(at)
    assert any("已驳回 1 项" in c.value for c in at.caption)
    con = duckdb.connect(str(db))
    try:
        fp = rows(con, "select fingerprint from findings where unit_id = ? and rule_id = 'OFF-1'", [B_ID])[0][
            0
        ]
        logged = events(con, subject=fp)
    finally:
        con.close()
    assert [(e["action"], e["actor"], e["reason"]) for e in logged] == [
        ("dismiss", "李督查", "跨年结转，实际平衡")
    ]


def test_closing_without_a_name_is_refused_in_chinese(app: tuple[AppTest, Path]) -> None:
    at, _ = app
    at.button(key="close-round").click().run()
    assert any("操作人姓名" in e.value for e in at.error)
    assert not at.exception
