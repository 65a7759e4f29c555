"""The issue list (问题清单) shows each finding's review state: a dismissed finding is 已驳回, never 未整改."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from checkkit import open_store, rows, store
from test_rounds import B_ID, B, _broken

from nianbao import review
from nianbao.ui import data, export


def test_a_dismissed_finding_is_listed_as_dismissed_in_the_list_and_its_export(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    store(con, db, _broken(B))
    found = rows(con, "select fingerprint, rule_id from findings where unit_id = ? order by rule_id", [B_ID])
    assert len(found) >= 2, found  # one to dismiss, one left open
    dismissed, kept = str(found[0][0]), str(found[1][0])
    review.dismiss(con, dismissed, actor="t", reason="跨年结转，实际平衡")
    con.close()

    listed = data.findings_view(str(db))
    status = dict(zip(listed["fingerprint"], listed["status"], strict=True))
    assert status[dismissed] == data.STATUS_DISMISSED == "已驳回"
    assert status[kept] == data.STATUS_OPEN
    assert data.STATUS_DISMISSED in data.filter_options(listed)["status"]

    book = openpyxl.load_workbook(io.BytesIO(export.findings_xlsx(listed.to_dict(orient="records"))))
    sheet = book.worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in values if "状态" in r and "问题指纹" in r)
    at_status, at_fp = header.index("状态"), header.index("问题指纹")
    by_fp = {r[at_fp]: r[at_status] for r in values if r[at_fp] in (dismissed, kept)}
    assert by_fp == {dismissed: "已驳回", kept: "未整改"}
