"""总览与排名: KPI tiles, the district ranking and its chart, for one report year."""

import streamlit as st

from nianbao import ui
from nianbao.ui import bulletin, render

st.title("总览与排名")
db = ui.db_path()
with ui.guard():
    years = ui.years(db)
    if not years:
        st.info("库中还没有可评分的年报。请先在“上传即检”中保存年报，或运行 `nianbao demo` 生成演示数据。")
        st.stop()
    year = st.selectbox("年度", years, format_func=lambda y: f"{y} 年度", key="overview-year")
    data = ui.overview(db, year)
    render.kpi_tiles(data)
    bulletin.round_tile(db)
    st.subheader(f"{year} 年度区县排名")
    render.ranking_table(data.ranking)
    render.ranking_chart(data.ranking)
