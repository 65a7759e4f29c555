"""上传即检: upload or paste a report, see at once the findings it would get if stored (the same
rules against the same store, peers included), correct unit and year, save it."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render

st.title("上传即检")
st.markdown("##### 上传或粘贴一份年报，立即看到它入库后会得到的全部检查结果；确认无误后再保存为新版本。")
db = ui.db_path()
with ui.guard():
    render.chinese_uploader()
    uploaded = st.file_uploader(
        "选择年报文件（网页、Word、PDF 或纯文本，不超过 50 MB）",
        type=["html", "htm", "docx", "pdf", "txt", "md"],
        key="upload-file",
    )
    pasted = st.text_area(
        "或粘贴年报正文", height=120, key="upload-text", placeholder="从 Word 或网页复制的年报全文"
    )
    source = ui.upload_source(uploaded, pasted)
    if source is None:
        st.info("请上传文件或粘贴正文。")
        st.stop()
    data, name = source
    parsed = ui.parse_upload(data, name)
    left, right = st.columns([3, 1])
    unit = left.text_input(
        "单位（识别结果，可更正）", value=parsed.report.unit or "", key=f"unit-{name}-{len(data)}"
    )
    year = right.number_input(
        "年度（可更正）",
        min_value=2008,
        max_value=2100,
        step=1,
        value=parsed.report.year,
        key=f"year-{name}-{len(data)}",
    )
    result = ui.check_upload(db, data, name, unit or None, int(year) if year else None)
    if result.outside:
        st.warning("非本市单位：仅检查，不入库。")
    render.upload_result(result)
    st.divider()
    save, download = st.columns([1, 2])
    label = f"保存为新版本（第 {result.version} 版）" if not result.outside else "保存为新版本"
    if save.button(label, type="primary", key="upload-save", disabled=result.outside):
        render.notice(ui.save_upload(db, data, name, unit or None, int(year) if year else None))
    with download:
        render.downloads(
            render.finding_rows(result.findings),
            "检查结果",
            scope=[result.unit or "未识别单位", f"{result.year}年度" if result.year else ""],
            csv=False,
            key="upload",
        )
