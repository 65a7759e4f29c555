"""Streamlit rendering: KPI tiles, tables with Chinese headers, Altair charts, Tables 2–4, downloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd
import streamlit as st

from nianbao.ui import compare, data, export, lists, nav, scoped, text
from nianbao.ui.data import SEVERITIES, DistrictView, Overview, RawDocument, ReportTables
from nianbao.ui.plain import md
from nianbao.ui.tables import TITLES, legend, marks_for, render_table
from nianbao.ui.upload import UploadCheck

VERDICT_DOMAIN = (["合格", "不合格"], ["#2e7d32", "#c62828"])  # the verdicts' colours in every chart
TABLE_NAMES = {"t2": "表二 主动公开", "t3": "表三 依申请公开", "t4": "表四 复议诉讼"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PAGE_SIZE = 50  # findings per page of the finding list
UNIT_PAGE_SIZE = 100  # units per page of a district's list (a district rarely has more)
FORMAT_NAMES = {
    "text/html": "网页（HTML）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档（DOCX）",
    "application/pdf": "PDF 文件",
    "text/plain": "纯文本",
}


def _pct(v: Any) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):.1f}%"


def kpi_tiles(ov: Overview) -> None:
    """Units due, reports published, on time, 合格率 (missing reports count as 不合格), open findings."""
    a, b, c, d, e = st.columns(5)
    a.metric(
        "应报单位", f"{ov.units_expected}", help="本年度应当发布年报的单位数（已发布的，和已过期限未发布的）"
    )
    b.metric(
        "已发布年报",
        f"{ov.reports}",
        help=f"已发布 {ov.units_published} 个单位 / 应报 {ov.units_expected} 个",
    )
    c.metric("按时发布", f"{ov.on_time}", help="在法定期限内发布的年报数")
    d.metric(
        "合格率",
        "—" if ov.pass_rate is None else f"{ov.pass_rate:.0%}",
        help=f"{ov.passed} / {ov.scored}：合格年报数 / 应报单位数（逾期未发布的算不合格）",
    )
    e.metric("否决单位", f"{ov.vetoed}", help="有否决项的单位（含逾期未发布），其得分按 0 分计")
    cols = st.columns(len(SEVERITIES))
    for col, sev in zip(cols, SEVERITIES, strict=True):
        col.metric(f"未整改问题·{sev}", f"{ov.findings_by_severity.get(sev, 0)}")


def ranking_table(ranking: pd.DataFrame, year: int) -> None:
    """The district ranking; a district opens its scorecard."""
    if ranking.empty:
        st.info("该年度尚无区县得分。")
        return
    rows = [
        {**r, "href": nav.link("district", district=r["district"], year=year)} for r in finding_rows(ranking)
    ]
    st.html(lists.ranking_html(rows))


def ranking_chart(ranking: pd.DataFrame, pass_score: float = 60) -> None:
    """Who is worst: districts worst first, the pass line, and each district's 否决 count."""
    import altair as alt  # here, not at import: the page's text shows before altair loads

    if ranking.empty:
        return
    df = ranking.assign(
        veto_label=[f"否决 {v}" if v else "" for v in ranking["vetoes"]],
        order=-ranking["rank"],
    )
    y = alt.Y(
        "district:N",
        title=None,
        sort=list(df.sort_values("order")["district"]),
        axis=alt.Axis(labelLimit=240),
    )
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X(
                "score:Q",
                title="得分（否决、逾期未发布的单位按 0 分计入平均）",
                scale=alt.Scale(domain=[0, 100]),
            ),
            y=y,
            color=alt.Color(
                "verdict:N", title="结论", scale=alt.Scale(domain=VERDICT_DOMAIN[0], range=VERDICT_DOMAIN[1])
            ),
            tooltip=[
                alt.Tooltip("district:N", title="区县"),
                alt.Tooltip("score:Q", title="得分", format=".1f"),
                alt.Tooltip("verdict:N", title="结论"),
                alt.Tooltip("pass_rate:Q", title="合格率%", format=".1f"),
                alt.Tooltip("vetoes:Q", title="否决单位"),
            ],
        )
    )
    labels = (
        alt.Chart(df)
        .mark_text(align="left", dx=4, color="#b42318", fontWeight="bold")
        .encode(x=alt.X("score:Q"), y=y, text="veto_label:N")
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [pass_score], "t": [f"合格线 {pass_score:g}"]}))
        .mark_rule(strokeDash=[4, 4], color="#475467")
        .encode(x="x:Q", tooltip=alt.Tooltip("t:N", title="说明"))
    )
    st.altair_chart((bars + labels + rule).properties(height=36 * len(df) + 40), width="stretch")


def worst_units_chart(units: pd.DataFrame, pass_score: float = 60, n: int = 15) -> None:
    """The n worst units of the year, worst first, the pass line, 否决 units marked."""
    import altair as alt  # here, not at import: the page's text shows before altair loads

    if units.empty:
        return
    df = units.head(n).assign(
        name=lambda d: d["unit_id"],
        mark=lambda d: ["✕ 否决" if v else "" for v in d["vetoes"]],
        order=range(min(n, len(units))),
    )
    y = alt.Y(
        "name:N",
        title=None,
        sort=list(df["name"]),
        axis=alt.Axis(labelLimit=260),
    )
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", title="得分", scale=alt.Scale(domain=[0, 100])),
            y=y,
            color=alt.Color(
                "verdict:N", title="结论", scale=alt.Scale(domain=VERDICT_DOMAIN[0], range=VERDICT_DOMAIN[1])
            ),
            tooltip=[
                alt.Tooltip("name:N", title="单位"),
                alt.Tooltip("district:N", title="区县"),
                alt.Tooltip("status:N", title="状态"),
                alt.Tooltip("score:Q", title="得分", format=".0f"),
                alt.Tooltip("score_before_veto:Q", title="否决前得分", format=".0f"),
            ],
        )
    )
    marks = (
        alt.Chart(df)
        .mark_text(align="left", dx=4, color="#b42318", fontWeight="bold")
        .encode(x="score:Q", y=y, text="mark:N")
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [pass_score]}))
        .mark_rule(strokeDash=[4, 4], color="#475467")
        .encode(x="x:Q")
    )
    st.altair_chart((bars + marks + rule).properties(height=26 * len(df) + 40), width="stretch")


def district_trend(view: DistrictView) -> None:
    """The district's score over the report years."""
    import altair as alt  # here, not at import: the page's text shows before altair loads

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
        color=alt.Color(
            "verdict:N", title="结论", scale=alt.Scale(domain=VERDICT_DOMAIN[0], range=VERDICT_DOMAIN[1])
        )
    )
    st.altair_chart(line.properties(height=260), width="stretch")


KINDS = {"government": "人民政府", "department": "部门", "town": "乡镇街道", "zone": "园区", "other": "其他"}


def unit_list(
    card: Mapping[str, Any], units: pd.DataFrame, *, key: str = "units-page", page_size: int | None = None
) -> None:
    """A district's units for one year, worst first, `page_size` to a page (a selector keyed `key`
    when there are more); a published report opens its page."""
    listed = card.get("units") or []
    if not listed:
        st.info("该年度没有单位数据。")
        return
    page_size = page_size or UNIT_PAGE_SIZE
    page = _page_picker(len(listed), page_size, key, noun="家") if len(listed) > page_size else 0
    shown = listed[page * page_size : (page + 1) * page_size]
    extra = {}
    if not units.empty:  # only the page's units are turned into rows
        for r in finding_rows(units[units["unit_id"].isin([u["unit"] for u in shown])]):
            extra[r["unit_id"]] = r
    rows = []
    for u in shown:
        more = extra.get(u["unit"], {})
        rows.append(
            {
                **more,
                **u,
                "kind_label": KINDS.get(str(u["kind"]), str(u["kind"])),
                "published_text": text.cn_date(more.get("published")),
                "href": nav.link("report", id=u["report_id"]) if u["report_id"] else None,
            }
        )
    st.html(lists.units_html(rows))


def findings_by_category(df: pd.DataFrame) -> None:
    """Open findings per category, stacked by severity."""
    import altair as alt  # here, not at import: the page's text shows before altair loads

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
    """How a report is named in a selector: its verdict and score first (the list is worst first)."""
    who = row.get("unit_id") or row.get("unit_name") or "未识别单位"
    verdict = row.get("verdict") or ""
    score = text.points(row.get("score"))
    return f"{verdict} · {score} 分 · {who}" if verdict else f"{row.get('year')} 年度 · {who}"


def tables_2_4(
    cells: Sequence[Mapping[str, Any]],
    findings: Sequence[Mapping[str, Any]],
    *,
    template: str | None,
    year: int | None,
    focus: str | None = None,
) -> None:
    """Tables 2–4 in tabs (the tab of the `focus` cell open): each table's own findings first,
    then the table with flagged cells highlighted."""
    if template is None:
        st.warning("未识别出官方统计表格式，以下按该年度应使用的格式显示。")
    marks = marks_for(findings)
    names = [TABLE_NAMES[t] for t in ("t2", "t3", "t4")]
    open_tab = TABLE_NAMES.get((focus or "").split(".")[0])
    tabs = st.tabs(names, default=open_tab)
    for tab, tbl in zip(tabs, ("t2", "t3", "t4"), strict=True):
        with tab:
            st.markdown(f"**{TITLES[tbl]}**")
            for f in marks.tables.get(tbl, []):
                st.markdown(f"- :red[**{md(f.get('severity'))}**] {md(f.get('message'))}")
            st.html(render_table(tbl, cells, findings, version=template, year=year, focus=focus))
            st.html(legend())


def finding_link(f: Mapping[str, Any]) -> str | None:
    """The deep link of a finding: its report, with its cell highlighted when it has one."""
    rid = f.get("report_id")
    if not rid or _na(rid):
        return None
    cell = None
    if f.get("tbl") and f.get("row_key") and f.get("col_key") and not _na(f.get("tbl")):
        cell = f"{f['tbl']}.{f['row_key']}.{f['col_key']}"
    return nav.link("report", id=rid, cell=cell)


def report_detail(rt: ReportTables, raw: RawDocument | None, focus: str | None = None) -> None:
    """One stored report: link to the source, download of the raw file, its findings, its tables."""
    if raw is not None and raw.problem:
        st.warning(raw.problem, icon=":material/report:")  # the tables below are still shown
    elif raw is not None:
        left, right = st.columns([3, 2])
        url = raw.source_url or ""
        if url.lower().startswith(("http://", "https://")):
            left.markdown(f"原文链接：[{md(url)}](<{url.replace('>', '%3E').replace('<', '%3C')}>)")
        else:
            left.caption(f"原始文件：{md(raw.file_name)}")
        right.download_button(
            "下载原始文件",
            data=raw.data,
            file_name=raw.file_name,
            mime=raw.media_type,
            key=f"raw-{rt.report_id}",
            on_click="ignore",
        )
    found = [{**f, "href": finding_link(f)} for f in rt.findings]
    st.subheader(f"检查发现的问题（{len(found)}）")
    findings_table(pd.DataFrame(found), one_report=True, key=f"report-findings-{rt.report_id}")
    st.subheader("统计表（问题单元格已标出）")
    tables_2_4(rt.cells, rt.findings, template=rt.template, year=rt.year, focus=focus)


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
        page = _page_picker(total, page_size, key)
        rows = rows[page * page_size : (page + 1) * page_size]
    st.html(lists.findings_html(rows, one_report=one_report))


def _page_picker(total: int, page_size: int, key: str, noun: str = "条") -> int:
    """A selector of the page (0-based) of a list of `total` rows shown `page_size` at a time, each
    page named by its rows' range (第 1–100 条, or 家 for units)."""
    pages = (total + page_size - 1) // page_size
    return int(
        st.selectbox(
            "页码",
            range(pages),
            format_func=lambda i: (
                f"第 {i + 1} 页（第 {i * page_size + 1}–{min(total, (i + 1) * page_size)} {noun}，共 {total} {noun}）"
            ),
            key=key,
        )
    )


def paged_findings(
    total: int,
    fetch: Callable[[int, int], list[dict[str, Any]]],
    *,
    key: str = "findings-page",
    page_size: int = PAGE_SIZE,
) -> None:
    """A long finding list in pages of `page_size`, each page fetched by `fetch(page, size)` (the
    list is paged in SQL: only the page shown is read), chosen with a selector keyed `key`."""
    if not total:
        st.success("没有符合条件的问题。")
        return
    page = _page_picker(total, page_size, key) if total > page_size else 0
    st.html(lists.findings_html(fetch(page, page_size), one_report=False))


def finding_rows(df: pd.DataFrame | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for the exporters."""
    if isinstance(df, pd.DataFrame):
        # missing values (NaN, NA, NaT) as None, found for the whole frame at once
        rows: list[dict[str, Any]] = df.astype(object).where(df.notna(), None).to_dict(orient="records")
        return rows
    return [dict(r) for r in df]


def _na(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def downloads(
    rows: list[dict[str, Any]] | export.Downloads,
    title: str,
    *,
    scope: Sequence[str] = (),
    filters: Mapping[str, Sequence[Any]] | None = None,
    csv: bool = True,
    key: str = "findings",
) -> None:
    """Download buttons, XLSX (and CSV, UTF-8 with BOM), named by title, scope and today's date.

    The files are built only when a button is clicked: `data` is a callable, which Streamlit runs
    on its own thread outside the page's run (no st.* calls, no session state in there), so it
    gets everything it needs (the rows, or builders holding the user's scope) when drawn here.
    """
    name = export.file_name(title, scope)
    if isinstance(rows, export.Downloads):
        files = rows
    else:
        used, listed = export.filter_text(filters or {}), rows
        files = export.Downloads(
            xlsx=lambda: export.findings_xlsx(listed, title=title, scope=scope, filters=used),
            csv=lambda: export.findings_csv(listed),
        )
    cols = st.columns(2 if csv else 1)
    cols[0].download_button(
        "下载 Excel（XLSX）",
        data=files.xlsx,
        file_name=f"{name}.xlsx",
        mime=XLSX,
        key=f"xlsx-{key}",
        on_click="ignore",
        icon=":material/download:",
    )
    if csv:
        cols[1].download_button(
            "下载 CSV（UTF-8）",
            data=files.csv,
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"csv-{key}",
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
    vetoed = bool(s.get("vetoes"))
    a.metric(
        "得分",
        "—" if s.get("score") is None else f"{float(s['score']):.0f}",
        help=f"有否决项，按 0 分计；否决前得分 {text.points(s.get('score_before_veto'))}" if vetoed else None,
    )
    b.metric("结论", str(s.get("verdict") or "—"))
    c.metric("完整性", _pct(s.get("completeness")))
    d.metric(
        "一致性",
        _consistency(s),
        help=str(s.get("consistency_text") or "")
        + "；未核验的等式（单元格缺失、无法定位或粘连）不计为成立。",
    )
    if vetoed:
        st.caption(f"有否决项：得分按 0 分计，否决前得分 {text.points(s.get('score_before_veto'))}。")
    st.caption(
        f"格式：{md(result.template or '未识别')} · 文件类型：{FORMAT_NAMES.get(result.media_type, '其他')} · "
        f"区县：{md(result.district or '未识别')} · 共 {len(result.findings)} 个问题 · 用时 {result.seconds:.2f} 秒"
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


def scorecard_tiles(card: Mapping[str, Any]) -> None:
    """A district's verdict, score, 合格率, units due and published, 否决 count."""
    a, b, c, d, e, f = st.columns(6)
    a.metric("结论", str(card.get("verdict") or "—"))
    b.metric("平均分", text.points(card.get("score")), help="应报单位的平均分，否决和逾期未发布按 0 分计")
    rate = card.get("pass_rate")
    c.metric("合格率", "—" if rate is None else f"{float(rate):g}%", help="合格年报数 / 应报单位数")
    d.metric("应报单位", str(card.get("due", 0)))
    e.metric("已发布", str(card.get("published", 0)))
    f.metric("否决单位", str(card.get("vetoes", 0)))


def report_history(db: str, view: data.ReportView) -> None:
    """The unit's versions of the year (newest first) and a cell-by-cell diff of any two."""
    st.subheader(f"版本记录（{len(view.versions)}）")
    rows = [
        {
            **v,
            "this": v["report_id"] == view.report_id,
            "published_text": text.cn_date(v.get("published")),
            "href": None if v["deleted"] else nav.link("report", id=v["report_id"]),
        }
        for v in view.versions
    ]
    st.html(lists.versions_html(rows))
    live = [v for v in view.versions if not v["deleted"]]
    if len(live) < 2:
        st.caption("只有一个版本，无可比较。")
        return
    label = {v["report_id"]: f"第 {v['version']} 版" for v in live}
    ids = [v["report_id"] for v in live]
    left, right = st.columns(2)
    a = left.selectbox("旧版本", ids, index=1, format_func=label.__getitem__, key=f"diff-a-{view.report_id}")
    b = right.selectbox("新版本", ids, index=0, format_func=label.__getitem__, key=f"diff-b-{view.report_id}")
    diff = compare.cell_diff(scoped.report_cells(db, a), scoped.report_cells(db, b))
    if diff.empty:
        st.success("两个版本的统计表逐格相同。")
    else:
        st.caption(f"两个版本有 {len(diff)} 个单元格不同：")
        st.html(compare.cells_html(diff, label[a], label[b]))


def year_comparison(db: str, view: data.ReportView) -> None:
    """This report beside the unit's report of the year before: cells one by one, and the
    sections' text with the sentences copied unchanged greyed."""
    st.subheader("与上一年度对比")
    if view.previous_year is None:
        st.caption("库中没有该单位上一年度的年报。")
        return
    before, now = view.previous_year, view.report_id
    year = view.year or 0
    only_changed = st.toggle("只看有变化的单元格", value=True, key=f"year-changed-{now}")
    diff = compare.cell_diff(
        scoped.report_cells(db, before), scoped.report_cells(db, now), changed_only=only_changed
    )
    tab_cells, tab_text = st.tabs(["统计表逐格对比", "正文逐句对比"])
    with tab_cells:
        st.markdown(f"[打开 {year - 1} 年度年报]({nav.link('report', id=before)})")
        if diff.empty:
            st.success("两年的统计表逐格相同。")
        else:
            st.html(compare.cells_html(diff, f"{year - 1} 年度", f"{year} 年度"))
    with tab_text:
        st.html(
            compare.text_html(
                data.section_titles(db), scoped.report_sections(db, before), scoped.report_sections(db, now)
            )
        )


def delete_controls(db: str, view: data.ReportView) -> None:
    """Delete this version (soft: hidden, restorable, the raw file kept) or restore a deleted one."""
    with st.expander("删除或恢复版本"):
        reason = st.text_input("原因（记入操作日志）", key=f"delete-reason-{view.report_id}")
        sure = st.checkbox("确认删除此版本（可随时恢复，原始文件保留）", key=f"delete-sure-{view.report_id}")
        if st.button("删除此版本", disabled=not sure, key=f"delete-{view.report_id}"):
            notice(scoped.delete_version(db, view.report_id, reason))
            st.markdown(f"[返回区县记分卡]({nav.link('district', district=view.district, year=view.year)})")
        for v in view.versions:
            if v["deleted"] and st.button(f"恢复第 {v['version']} 版", key=f"restore-{v['report_id']}"):
                notice(scoped.restore_version(db, v["report_id"]))


def chinese_uploader() -> None:
    """The file uploader's own English (drag-and-drop hint, size limit, browse button) replaced by
    Chinese: Streamlit offers no option for these texts, so a style sheet hides them and writes
    the Chinese in their place."""
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] span{display:none}'
        '[data-testid="stFileUploaderDropzoneInstructions"] div::after{'
        'content:"将年报文件拖到此处，或点击左侧按钮选择（每个文件不超过 50 MB）";font-size:0.9rem}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]{display:none}'
        '[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after{content:"选择文件"}'
        "</style>"
    )
