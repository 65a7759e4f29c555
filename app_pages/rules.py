"""规则说明: each rule, its severity, its weight and its basis in the law and the official format."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render

st.title("规则说明")
db = ui.db_path()
with ui.guard():
    rules = ui.rule_catalog(db)
    st.markdown(f"##### {ui.rules_headline(rules)}")
    st.caption(
        "有否决项的年报直接判为不合格，得分按 0 分计；其余按每处扣分累计、每条规则不超过扣分上限，"
        "满分 100 分，低于 60 分为不合格。逾期未发布的年报按不合格、0 分计。区县政府本级年报不合格、"
        "合格率低于 80% 或平均分低于 60 分的区县为不合格。"
    )
    render.rules_table(rules)
