"""数据采集: harvest reports from the units' websites, see each source's last run and column freshness."""

import streamlit as st

from nianbao import ui
from nianbao.ui import harvest

st.title("数据采集")
st.caption(
    "从各单位网站的政府信息公开年报栏目采集年报（遵守 robots.txt，只访问采集源文件列出的网站），"
    "并监测动态、通知公告、政策文件栏目是否按期更新。"
)
db = ui.db_path()
with ui.guard():
    left, mid, right = st.columns([1, 1, 2])
    loopback = mid.checkbox(
        "允许本机地址", key="harvest-loopback", help="测试或本地镜像：允许 127.0.0.0/8 与 ::1"
    )
    private = right.checkbox("允许内网地址", key="harvest-private", help="内网镜像：允许私有地址段")
    if left.button("开始采集", type="primary", key="harvest-start"):
        harvest.start(db, allow_loopback=loopback, allow_private=private)
    harvest.progress_panel(db)
    harvest.render_status(db)
    st.divider()
    harvest.sources_editor(db)
