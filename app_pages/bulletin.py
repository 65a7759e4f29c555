"""通报: close a round, preview its notice, see what changed, review findings, download DOCX and XLSX."""

from datetime import date

import pandas as pd
import streamlit as st

from nianbao import ui
from nianbao.ui import bulletin as tb

st.title("通报")
db = ui.db_path()
with ui.guard():
    who = tb.actor()
    with st.expander("关闭检查期", expanded=False):
        day = st.date_input("截止日", value=date.today(), key="close-day")
        if st.button("关闭本期并生成通报", key="close-round", type="primary"):
            closed = tb.close_round(db, day, who)
            verb = "已关闭" if closed.created else "此前已关闭（沿用已存快照）"
            st.success(f"第{closed.round}期{verb}：截止 {closed.closed_on}，{closed.report_year} 年度")
    listed = tb.round_list(db)
    if listed.empty:
        st.info("还没有已关闭的检查期。填写操作人姓名后，点击“关闭检查期”生成第一期通报。")
        st.stop()
    numbers = [int(k) for k in listed["round"]][::-1]
    k = st.selectbox("检查期", numbers, format_func=lambda n: f"第{n}期", key="round-pick")
    page = tb.round_page(db, k)
    st.subheader(f"第{k}期 · {page.notice.doc_number} · {page.view.summary['closed_on']}")
    a, b = st.columns(2)
    a.download_button(
        "下载通报（Word）",
        page.docx,
        file_name=f"第{k}期通报.docx",
        mime=tb.DOCX,
        key="dl-docx",
        on_click="ignore",
    )
    b.download_button(
        "下载附件1（Excel）",
        page.xlsx,
        file_name=f"第{k}期附件1.xlsx",
        mime=tb.XLSX,
        key="dl-xlsx",
        on_click="ignore",
    )
    tb.changes(page, listed)
    caption = tb.unit_dismissed_caption(page)
    if caption:
        st.caption(caption)
    preview, check = st.tabs(["通报预览", "问题复核"])
    with preview:
        tb.notice_preview(page.notice)
    with check:
        state = tb.reviews(db)
        df = tb.findings_frame(page, state)
        if df.empty:
            st.info("本期没有问题。")
        else:
            shown = df[
                ["status", "district", "unit_id", "rule_id", "location", "message", "deadline", "复核"]
            ]
            st.dataframe(
                shown.rename(
                    columns={
                        "status": "状态",
                        "district": "区县",
                        "unit_id": "单位",
                        "rule_id": "规则",
                        "location": "位置",
                        "message": "问题",
                        "deadline": "整改期限",
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            rows = df.to_dict(orient="records")
            pick = st.selectbox("复核问题", range(len(rows)), format_func=lambda i: tb.finding_label(rows[i]))
            fp = str(rows[pick]["fingerprint"])
            action = st.radio(
                "操作",
                ["confirm", "dismiss", "rectify", "extend", "reopen"],
                format_func=lambda a: {
                    "confirm": "确认",
                    "dismiss": "驳回（误报）",
                    "rectify": "标记已整改",
                    "extend": "延期",
                    "reopen": "撤销决定",
                }[a],
                horizontal=True,
                key="review-action",
            )
            reason = st.text_input("理由（驳回、延期必填）", key="review-reason")
            extra: dict[str, object] = {}
            if action == "rectify":
                extra["note"] = st.text_input("整改说明", key="review-note")
                extra["url"] = st.text_input("佐证网址", key="review-url")
                upload = st.file_uploader("佐证文件", key="review-file")
                if upload is not None:
                    extra.update(file_name=upload.name, data=upload.getvalue())
            if action == "extend":
                extra["deadline"] = st.date_input(
                    "新的整改期限", value=pd.Timestamp(rows[pick]["deadline"] or date.today()).date()
                )
            if st.button("提交复核", key="review-submit"):
                tb.act(db, fp, action, who, reason=reason, **extra)
                st.success("已记录，并写入操作日志。下次关闭检查期时生效。")
