"""总览与排名: the year's headline, KPI tiles, the district ranking (each row opens its scorecard)
and the charts of who is worst."""

import streamlit as st

from nianbao import ui
from nianbao.ui import bulletin, render, text

st.title("总览与排名")
db = ui.db_path()
headline = st.empty()  # readable at once: the headline's place says 加载中 until the figures are read
headline.markdown(f"##### {text.LOADING}")
with ui.guard():
    years = ui.years(db)
    if not years:
        headline.empty()
        st.info("库中还没有可评分的年报。请先在“上传即检”中保存年报，或运行 `nianbao demo` 生成演示数据。")
        st.stop()
    year = ui.shared_year(years)
    data = ui.overview(db, year)
    headline.markdown(
        f"##### {text.overview_headline(year, data.units_expected, data.failed, render.finding_rows(data.ranking))}"
    )
    render.kpi_tiles(data)
    bulletin.round_tile(db)
    st.subheader(f"{year} 年度区县排名")
    st.caption("点击区县名称查看其记分卡。排名按平均分，同分时合格率高者在前，再同则否决少者在前。")
    render.ranking_table(data.ranking, year)
    left, right = st.columns(2)
    with left:
        st.subheader("区县得分（末位在上）")
        render.ranking_chart(data.ranking)
    with right:
        st.subheader("得分最低的单位")
        render.worst_units_chart(data.units)
