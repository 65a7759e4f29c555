"""问题清单: every finding, filtered (the filters kept in the URL), 50 to a page read from the store
page by page, each opening its report at its cell, downloadable as CSV and XLSX named by scope and
date (built only when a button is clicked)."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render, text

st.title("问题清单")
db = ui.db_path()
with ui.guard():
    options = ui.finding_options(db)
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
        default = ui.filter_default(col, options[col])
        chosen[col] = box.multiselect(
            labels[col],
            options[col],
            default=default,
            key=f"filter-{col}",
            placeholder="全部",
            select_all=False,
        )
    ui.keep_filters(chosen)
    counts = ui.finding_summary(db, chosen)
    st.markdown(
        f"##### {text.findings_headline(counts.shown, counts.by_severity, counts.units, counts.total)}"
    )
    scope = ui.export_scope(chosen)
    files = ui.findings_download(
        db, chosen, title="问题清单", scope=scope, filters={labels[k]: v for k, v in chosen.items()}
    )
    render.downloads(files, "问题清单", scope=scope)
    render.paged_findings(counts.shown, lambda page, size: ui.finding_page(db, chosen, page, size))
