"""上传即检: upload or paste a report, see its findings at once, correct unit and year, save it."""

import streamlit as st

from nianbao import ui
from nianbao.ui import render

st.title("上传即检")
st.caption("上传年报（HTML、DOCX、PDF、TXT）或粘贴正文，立即按全部规则检查；确认无误后可保存为新版本。")
db = ui.db_path()
with ui.guard():
    uploaded = st.file_uploader(
        "选择年报文件", type=["html", "htm", "docx", "pdf", "txt", "md"], key="upload-file"
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
    render.upload_result(result)
    st.divider()
    save, download = st.columns([1, 2])
    if save.button("保存为新版本", type="primary", key="upload-save"):
        render.notice(ui.save_upload(db, data, name, unit or None, int(year) if year else None))
    with download:
        render.downloads(
            render.finding_rows(result.findings),
            f"检查结果_{result.unit or '未识别单位'}_{result.year or ''}",
            csv=False,
        )
