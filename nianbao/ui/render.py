"""Streamlit rendering: KPI tiles, tables with Chinese headers, Altair charts, Tables 2–4, downloads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from nianbao.ui import export, lists
from nianbao.ui.data import SEVERITIES, DistrictView, Overview, RawDocument, ReportTables
from nianbao.ui.plain import md
from nianbao.ui.tables import TITLES, legend, marks_for, render_table
from nianbao.ui.upload import UploadCheck

VERDICT_COLOURS = alt.Scale(domain=["合格", "不合格"], range=["#2e7d32", "#c62828"])
TABLE_NAMES = {"t2": "表二 主动公开", "t3": "表三 依申请公开", "t4": "表四 复议诉讼"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PAGE_SIZE = 50  # findings per page of the finding list


def _pct(v: Any) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):.1f}%"


def kpi_tiles(ov: Overview) -> None:
    """Units, reports, on time, 合格率 and open findings by severity."""
    a, b, c, d = st.columns(4)
    a.metric("应报单位", f"{ov.units_expected}", help="本年度应当发布年报的单位数（含逾期未发布）")
    b.metric(
        "已发布年报",
        f"{ov.reports}",
        help=f"已发布 {ov.units_published} 个单位 / 应报 {ov.units_expected} 个",
    )
    c.metric("按时发布", f"{ov.on_time}", help="在法定期限内发布的年报数")
    d.metric(
        "合格率",
        "—" if ov.pass_rate is None else f"{ov.pass_rate:.0%}",
        help=f"{ov.passed} / {ov.scored} 份年报合格",
    )
    cols = st.columns(len(SEVERITIES))
    for col, sev in zip(cols, SEVERITIES, strict=True):
        col.metric(f"未整改问题·{sev}", f"{ov.findings_by_severity.get(sev, 0)}")


def ranking_table(ranking: pd.DataFrame) -> None:
    """The district ranking with Chinese headers."""
    if ranking.empty:
        st.info("该年度尚无区县得分。")
        return
    df = ranking[
        ["rank", "district", "score", "verdict", "completeness", "consistency", "change_since_previous_year"]
    ]
    st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        placeholder="",
        column_config={
            "rank": st.column_config.NumberColumn("排名", format="%d"),
            "district": st.column_config.TextColumn("区县", width="medium"),
            "score": st.column_config.NumberColumn("得分", format="%.1f"),
            "verdict": st.column_config.TextColumn("结论"),
            "completeness": st.column_config.ProgressColumn(
                "完整性", format="%.1f%%", min_value=0, max_value=100
            ),
            "consistency": st.column_config.ProgressColumn(
                "一致性", format="%.1f%%", min_value=0, max_value=100
            ),
            "change_since_previous_year": st.column_config.NumberColumn("较上年变化", format="%+.1f"),
        },
    )


def ranking_chart(ranking: pd.DataFrame) -> None:
    """Scores by district as horizontal bars, best first, coloured by verdict."""
    if ranking.empty:
        return
    chart = (
        alt.Chart(ranking)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", title="得分", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(
                "district:N",
                title=None,
                sort=alt.EncodingSortField("rank", order="ascending"),
                axis=alt.Axis(labelLimit=240),
            ),
            color=alt.Color("verdict:N", title="结论", scale=VERDICT_COLOURS),
            tooltip=[
                alt.Tooltip("district:N", title="区县"),
                alt.Tooltip("score:Q", title="得分", format=".1f"),
                alt.Tooltip("verdict:N", title="结论"),
            ],
        )
        .properties(height=36 * len(ranking) + 40)
    )
    rule = alt.Chart(pd.DataFrame({"x": [60]})).mark_rule(strokeDash=[4, 4], color="#888").encode(x="x:Q")
    st.altair_chart(chart + rule, width="stretch")


def district_trend(view: DistrictView) -> None:
    """The district's score over the report years."""
    if view.trend.empty:
        st.info("该区县尚无得分。")
        return
    base = alt.Chart(view.trend).encode(
        x=alt.X("year:O", title="年度", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("score:Q", title="得分", scale=alt.Scale(domain=[0, 100])),
        tooltip=[
            alt.Tooltip("year:O", title="年度"),
            alt.Tooltip("score:Q", title="得分", format=".1f"),
            alt.Tooltip("verdict:N", title="结论"),
            alt.Tooltip("units_published:Q", title="已发布单位"),
            alt.Tooltip("units_expected:Q", title="应报单位"),
        ],
    )
    line = base.mark_line(color="#1d4ed8") + base.mark_point(filled=True, size=80).encode(
        color=alt.Color("verdict:N", title="结论", scale=VERDICT_COLOURS)
    )
    st.altair_chart(line.properties(height=260), width="stretch")


def unit_scores(df: pd.DataFrame, year: int | None) -> None:
    """The district's units and their scores for one year."""
    shown = df if year is None else df[df["year"] == year]
    if shown.empty:
        st.info("该年度没有单位数据。")
        return
    cols = [
        "unit_id",
        "kind",
        "status",
        "published",
        "on_time",
        "score",
        "verdict",
        "completeness",
        "consistency_text",
        "vetoes",
        "errors",
        "warnings",
    ]
    kinds = {
        "government": "人民政府",
        "department": "部门",
        "town": "乡镇街道",
        "zone": "园区",
        "other": "其他",
    }
    st.dataframe(
        shown[cols].assign(kind=shown["kind"].map(kinds).fillna(shown["kind"])),
        hide_index=True,
        width="stretch",
        placeholder="",
        column_config={
            "unit_id": st.column_config.TextColumn("单位", width="medium"),
            "kind": "类型",
            "status": st.column_config.TextColumn("状态", width=96),  # fits 逾期未发布
            "published": st.column_config.DateColumn("发布日期", format="YYYY-MM-DD"),
            "on_time": st.column_config.CheckboxColumn("按时"),
            "score": st.column_config.NumberColumn("得分", format="%.0f"),
            "verdict": "结论",
            "completeness": st.column_config.NumberColumn("完整性%", format="%.1f"),
            "consistency_text": st.column_config.TextColumn("一致性（成立/可核验/全部）", width="medium"),
            "vetoes": st.column_config.NumberColumn("否决"),
            "errors": st.column_config.NumberColumn("错误"),
            "warnings": st.column_config.NumberColumn("警告"),
        },
    )


def findings_by_category(df: pd.DataFrame) -> None:
    """Open findings per category, stacked by severity."""
    if df.empty:
        st.success("该区县没有未整改的问题。")
        return
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(
                "category:N",
                title="类别",
                sort=["完整性", "一致性", "及时性", "规范性", "内容"],
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("findings:Q", title="问题数", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "severity:N",
                title="严重程度",
                scale=alt.Scale(domain=list(SEVERITIES), range=["#7f1d1d", "#d92d20", "#f79009", "#60a5fa"]),
            ),
            tooltip=[
                alt.Tooltip("category:N", title="类别"),
                alt.Tooltip("severity:N", title="严重程度"),
                alt.Tooltip("findings:Q", title="问题数"),
            ],
        )
        .properties(height=260)
    )
    st.altair_chart(chart, width="stretch")


def report_label(row: Mapping[str, Any]) -> str:
    """How a report is named in a selector."""
    return f"{row.get('year')} 年度 · {row.get('unit_id') or row.get('unit_name') or '未识别单位'} · 第 {row.get('version')} 版"


def tables_2_4(
    cells: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    *,
    template: str | None,
    year: int | None,
) -> None:
    """Tables 2–4 in tabs: each table's own findings first, then the table with flagged cells highlighted."""
    if template is None:
        st.warning("未识别出官方统计表格式，以下按该年度应使用的格式显示。")
    marks = marks_for(findings)
    tabs = st.tabs([TABLE_NAMES[t] for t in ("t2", "t3", "t4")])
    for tab, tbl in zip(tabs, ("t2", "t3", "t4"), strict=True):
        with tab:
            st.markdown(f"**{TITLES[tbl]}**")
            for f in marks.tables.get(tbl, []):
                st.markdown(f"- :red[**{md(f.get('severity'))}**] {md(f.get('message'))}")
            st.html(render_table(tbl, cells, findings, version=template, year=year))
            st.html(legend())


def report_detail(rt: ReportTables, raw: RawDocument | None) -> None:
    """One stored report: link to the source, download of the raw file, its tables."""
    if raw is not None and raw.problem:
        st.warning(raw.problem, icon=":material/report:")  # the tables below are still shown
    elif raw is not None:
        left, right = st.columns([3, 2])
        url = raw.source_url or ""
        if url.lower().startswith(("http://", "https://")):
            left.markdown(f"原文链接：[{md(url)}](<{url.replace('>', '%3E').replace('<', '%3C')}>)")
        else:
            left.caption(f"原始文件：{md(raw.file_name)}（{md(raw.media_type)}）")
        right.download_button(
            "下载原始文件",
            data=raw.data,
            file_name=raw.file_name,
            mime=raw.media_type,
            key=f"raw-{rt.report_id}",
            on_click="ignore",
        )
    with st.expander(f"本年报的全部问题（{len(rt.findings)}）", expanded=False):
        findings_table(pd.DataFrame(rt.findings), one_report=True, key=f"report-findings-{rt.report_id}")
    tables_2_4(rt.cells, rt.findings, template=rt.template, year=rt.year)


def findings_table(
    df: pd.DataFrame, *, one_report: bool = False, key: str = "findings-page", page_size: int = PAGE_SIZE
) -> None:
    """A finding list that wraps (st.html): one report's, or many with unit, year and status.

    Longer lists come in pages of `page_size`, chosen with a selector keyed `key`.
    """
    if df.empty:
        st.success("没有符合条件的问题。")
        return
    rows = finding_rows(df)
    total = len(rows)
    if total > page_size:
        pages = (total + page_size - 1) // page_size
        page = st.selectbox(
            "页码",
            range(pages),
            format_func=lambda i: (
                f"第 {i + 1} 页（第 {i * page_size + 1}–{min(total, (i + 1) * page_size)} 条）"
            ),
            key=key,
        )
        rows = rows[page * page_size : (page + 1) * page_size]
    st.html(lists.findings_html(rows, one_report=one_report))


def finding_rows(df: pd.DataFrame | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for the exporters."""
    if isinstance(df, pd.DataFrame):
        return [{k: (None if _na(v) else v) for k, v in r.items()} for r in df.to_dict(orient="records")]
    return [dict(r) for r in df]


def _na(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def downloads(rows: list[dict[str, Any]], stem: str, *, csv: bool = True) -> None:
    """Download buttons: XLSX (and CSV, UTF-8 with BOM)."""
    cols = st.columns(2 if csv else 1)
    cols[0].download_button(
        "下载 Excel（XLSX）",
        data=export.findings_xlsx(rows),
        file_name=f"{stem}.xlsx",
        mime=XLSX,
        key=f"xlsx-{stem}",
        on_click="ignore",
        icon=":material/download:",
    )
    if csv:
        cols[1].download_button(
            "下载 CSV（UTF-8）",
            data=export.findings_csv(rows),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"csv-{stem}",
            on_click="ignore",
            icon=":material/download:",
        )


def _consistency(s: dict[str, Any]) -> str:
    """The consistency tile: a percentage only when every identity could be evaluated."""
    checked, total = s.get("identities_checked"), s.get("identities_total")
    if not checked:
        return "未核验"
    if checked != total or s.get("cells_ambiguous"):
        if s.get("identities_holding") == checked:
            return f"未全部核验 {checked}/{total}"
        return f"{_pct(s.get('consistency'))}（可核验 {checked}/{total}）"
    return _pct(s.get("consistency"))


def upload_result(result: UploadCheck) -> None:
    """Score, verdict, findings and the highlighted tables of a checked upload."""
    s = result.score or {}
    a, b, c, d = st.columns(4)
    a.metric("得分", "—" if s.get("score") is None else f"{float(s['score']):.0f}")
    b.metric("结论", str(s.get("verdict") or "—"))
    c.metric("完整性", _pct(s.get("completeness")))
    d.metric(
        "一致性",
        _consistency(s),
        help=str(s.get("consistency_text") or "")
        + "；未核验的等式（单元格缺失、无法定位或粘连）不计为成立。",
    )
    st.caption(
        f"格式：{md(result.template or '未识别')} · 文件类型：{md(result.media_type)} · "
        f"区县：{md(result.district or '未识别')} · "
        f"共 {len(result.findings)} 个问题 · 用时 {result.seconds:.2f} 秒"
    )
    if result.notes:
        with st.expander(f"解析提示（{len(result.notes)}）"):
            st.html(notes_html(result.notes))
    st.subheader("检查发现的问题")
    findings_table(pd.DataFrame(result.findings), one_report=True, key="upload-findings-page")
    st.subheader("统计表（问题单元格已标出）")
    tables_2_4(result.cells, result.findings, template=result.template, year=result.year)


def notes_html(notes: Sequence[Mapping[str, Any]]) -> str:
    """Parse notes as an HTML list of escaped text (they quote the report)."""
    items = "".join(
        f'<li data-note="{escape(str(n.get("code") or ""))}">{escape(str(n.get("message") or ""))}</li>'
        for n in notes
    )
    return f'<ul data-list="notes" style="margin:0;padding-left:1.2rem">{items}</ul>'


def notice(message: str) -> None:
    """A success message that may quote user or report text, shown as plain text."""
    st.success(md(message))


def rules_table(df: pd.DataFrame) -> None:
    """The rule catalog, the basis of each rule in full."""
    st.html(lists.rules_html(finding_rows(df)))
