"""年报详情: one report version — its verdict, findings (each points at its cell), tables, version
history with a cell-by-cell diff, last year's report side by side, and deletion."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render, text
from nianbao.ui.plain import md

st.title("年报详情")
db = ui.db_path()
with ui.guard():
    rid = ui.param("id")
    if not rid:
        years = ui.years(db)
        year = ui.shared_year(years)
        if year is None:
            st.info("库中还没有年报。")
            st.stop()
        reports = ui.year_reports(db, year)
        st.markdown(f"##### {year} 年度共 {len(reports)} 份年报，不合格的排在前面。")
        if reports.empty:
            st.stop()
        choices = reports.to_dict(orient="records")
        chosen = st.selectbox("选择年报", choices, format_func=render.report_label, key=f"report-pick-{year}")
        rid = str(chosen["report_id"])
    view = ui.report_view(db, rid)
    ui.set_params(id=rid, year=view.year, cell=ui.param("cell"))
    st.markdown(f"##### {md(text.report_headline(view.unit, view.year, view.version, view.scores))}")
    if view.scope == "outside":
        st.warning("非本市单位的年报：仅供检查，不计入本市的任何统计、排名和否决。")
    if not view.current:
        st.info("这不是该单位该年度的当前版本。")
    render.report_detail(ui.report_tables(db, rid), ui.raw_document(db, rid), focus=ui.param("cell"))
    render.report_history(db, view)
    render.year_comparison(db, view)
    render.delete_controls(db, view)
