"""规则说明: the rule catalog with basis, severity and weight."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render

st.title("规则说明")
st.caption(
    "否决项使年报直接判为不合格；其余按每处扣分累计、每条规则不超过扣分上限，满分 100 分，低于 60 分为不合格。"
)
db = ui.db_path()
with ui.guard():
    render.rules_table(ui.rule_catalog(db))
