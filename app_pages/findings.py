"""问题清单: every finding, filtered, downloadable as CSV and XLSX."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render

st.title("问题清单")
db = ui.db_path()
with ui.guard():
    every = ui.findings_view(db)
    options = ui.filter_options(every)
    labels = {
        "district": "区县",
        "unit_id": "单位",
        "year": "年度",
        "category": "类别",
        "severity": "严重程度",
        "status": "状态",
    }
    chosen = {}
    for col, box in zip(labels, st.columns(3) + st.columns(3), strict=True):
        default = ["未整改"] if col == "status" and "未整改" in options[col] else []
        chosen[col] = box.multiselect(
            labels[col], options[col], default=default, key=f"filter-{col}", placeholder="全部"
        )
    shown = ui.filter_findings(every, chosen)
    st.caption(f"共 {len(shown)} 条（全部 {len(every)} 条）")
    render.downloads(render.finding_rows(shown), "问题清单")
    render.findings_table(shown)
