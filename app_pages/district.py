"""区县记分卡: one district in one year — its verdict and why, its units worst first (each opens
its report), its score over the years and its findings by category."""

import streamlit as st

from nianbao import ui
from nianbao.ui import bulletin, harvest, render, text
from nianbao.ui.plain import md

st.title("区县记分卡")
db = ui.db_path()
with ui.guard():
    years = ui.years(db)
    if not years:
        st.info("库中还没有可评分的年报。")
        st.stop()
    year = ui.shared_year(years)
    assert year is not None
    names = ui.district_names()  # the districts this user may see
    asked = ui.param("district")  # a deep link: /district?district=城东区
    if asked and asked not in names:
        ui.district_view(db, asked, year)  # another district's: 无权查看 (the data layer refuses it)
    district = ui.shared_choice("district", names, "区县", where=st.sidebar)
    assert district is not None
    card = ui.scorecard(db, district, year)
    view = ui.district_view(db, district, year)
    st.markdown(f"##### {md(text.district_headline(card))}")
    render.scorecard_tiles(card)
    st.subheader(f"{year} 年度所属单位（不合格在前）")
    st.caption("点击单位名称查看其年报；逾期未发布的单位按不合格、0 分计。")
    render.unit_list(card, view.unit_scores)
    left, right = st.columns([3, 2])
    with left:
        st.subheader("历年得分")
        render.district_trend(view)
    with right:
        st.subheader("未整改问题类别分布")
        render.findings_by_category(view.by_category)
    harvest.district_section(db, district)
    bulletin.dismissed_note(db, district, year)
