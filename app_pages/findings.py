"""问题清单: every finding, filtered (the filters kept in the URL), each opening its report at its
cell, downloadable as CSV and XLSX named by scope and date."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render, text

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
    shown = ui.filter_findings(every, chosen)
    st.markdown(f"##### {text.findings_headline(shown, len(every))}")
    rows = ui.linked_findings(shown)
    render.downloads(
        rows,
        "问题清单",
        scope=ui.export_scope(chosen),
        filters={labels[k]: v for k, v in chosen.items()},
    )
    render.findings_table(ui.frame_of(rows))
