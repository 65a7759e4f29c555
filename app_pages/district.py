"""区县记分卡: one district's score trend, its units, its findings and each report's tables."""

import streamlit as st

from nianbao import ui
from nianbao.ui import bulletin, harvest, render

st.title("区县记分卡")
db = ui.db_path()
with ui.guard():
    asked_report = st.query_params.get("report")
    if asked_report:  # a deep link to one report: ?report=<report id>
        render.report_detail(ui.report_tables(db, asked_report), ui.raw_document(db, asked_report))
        st.stop()
    names = ui.district_names()  # the districts this user may see
    asked = st.query_params.get("district")  # a deep link: ?district=城东区
    if asked and asked not in names:
        ui.district_view(db, asked)  # another district's: 无权查看 (the data layer refuses it)
    district = st.selectbox(
        "区县", names, index=names.index(asked) if asked in names else 0, key="district-name"
    )
    view = ui.district_view(db, district)
    left, right = st.columns([3, 2])
    with left:
        st.subheader("历年得分")
        render.district_trend(view)
    with right:
        st.subheader("问题类别分布")
        render.findings_by_category(view.by_category)
    st.subheader("所属单位得分")
    years = view.unit_years
    year = (
        st.selectbox("年度", years, format_func=lambda y: f"{y} 年度", key="district-year") if years else None
    )
    render.unit_scores(view.unit_scores, year)
    harvest.district_section(db, district)
    bulletin.dismissed_note(db, district, year)
    st.subheader("年报统计表")
    if view.reports.empty:
        st.info("该区县尚无年报。")
        st.stop()
    choices = view.reports.to_dict(orient="records")
    chosen = st.selectbox("年报", choices, format_func=render.report_label, key="district-report")
    render.report_detail(ui.report_tables(db, chosen["report_id"]), ui.raw_document(db, chosen["report_id"]))
