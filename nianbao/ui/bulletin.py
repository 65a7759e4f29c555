"""The 通报 page's library: rounds, the notice preview, changes since the last round, inline review."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from nianbao import review, rounds, users
from nianbao.export import bulletin
from nianbao.ui.auth import current_scope, current_user
from nianbao.ui.data import FORBIDDEN, Forbidden, frame, in_scope, reading, records, writing
from nianbao.ui.errors import UiError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTOR_KEY = "reviewer-name"


def actor() -> str | None:
    """Who acts: the logged-in user when access control is configured, else a name typed once per session."""
    from nianbao.ui.auth import current_actor

    if current_user() is not None:  # signed in (users configured): web:<user>
        return current_actor()
    name = st.sidebar.text_input("操作人姓名", key=ACTOR_KEY, help="复核和关闭检查期时记入操作日志")
    return name.strip() or None


@st.cache_data(show_spinner=False)
def round_list(db: str) -> pd.DataFrame:
    """Every closed round with its counts, oldest first."""
    return frame(db, "select * from round_summary order by round")


@dataclass
class RoundPage:
    """One round as the page shows it; its two downloads are built when their buttons are clicked."""

    view: rounds.RoundView
    notice: bulletin.Notice

    def docx(self) -> bytes:
        """The Word notice (a download button's callable: no Streamlit in here)."""
        return bulletin.docx_bytes(self.notice)

    def xlsx(self) -> bytes:
        """附件1 as XLSX (a download button's callable: no Streamlit in here)."""
        return bulletin.annex_xlsx_bytes(self.notice)


@st.cache_data(show_spinner=False)
def round_page(db: str, k: int) -> RoundPage:
    """Round k: its snapshot, its notice and the two downloads."""
    try:
        with reading(db) as cur:
            view = rounds.show_round(cur, k)
            notice = bulletin.compose(cur, k)
    except rounds.RoundError as e:
        raise UiError(str(e)) from e
    return RoundPage(view, notice)


def may_close() -> None:
    """Raise Forbidden unless the signed-in user may close a round (supervisors; anyone in the demo)."""
    user = current_user()
    if user is not None and user.role != users.SUPERVISOR:
        raise Forbidden(f"{FORBIDDEN}：只有市级督查账号可以关闭检查期。")


def may_review(db: str, fingerprint: str) -> None:
    """Raise Forbidden unless the signed-in user may review this finding (viewers never; district
    staff only their own district's findings)."""
    user = current_user()
    if user is None:
        return
    if not user.may_save:
        raise Forbidden(f"{FORBIDDEN}：只读账号不能复核问题。")
    found = frame(
        db,
        "select district from findings where fingerprint = ? union all "
        "select district from report_findings where fingerprint = ?",
        [fingerprint, fingerprint],
    )
    district = None if found.empty else found["district"].iloc[0]
    if not user.may_save_for(None if pd.isna(district) else str(district)):
        raise Forbidden(f"{FORBIDDEN}：当前账号只能复核{user.district or '本区县'}的问题。")


def close_round(db: str, day: date, who: str | None) -> rounds.Closed:
    """Close the round ending on `day`, as `nianbao round close --on` does (supervisors only)."""
    may_close()
    if not who:
        raise UiError("请先在左侧栏填写操作人姓名。")
    try:
        with writing(db) as cur:  # the store is open read-write for this one close only
            closed = rounds.close_round(cur, day, actor=who)
    except rounds.RoundError as e:
        raise UiError(str(e)) from e
    st.cache_data.clear()
    return closed


def act(db: str, fingerprint: str, action: str, who: str | None, **kw: Any) -> None:
    """One review action on one finding (Forbidden outside the signed-in user's own district)."""
    may_review(db, fingerprint)
    if not who:
        raise UiError("请先在左侧栏填写操作人姓名。")
    try:
        with writing(db) as cur:
            _act(cur, db, fingerprint, action, who, kw)
    except review.ReviewError as e:
        raise UiError(str(e)) from e
    st.cache_data.clear()


def _act(cur: Any, db: str, fingerprint: str, action: str, who: str, kw: dict[str, Any]) -> None:
    """Dispatch one review action (in the caller's write)."""
    if action == "confirm":
        review.confirm(cur, fingerprint, actor=who, reason=kw.get("reason"))
    elif action == "dismiss":
        review.dismiss(cur, fingerprint, actor=who, reason=kw.get("reason") or "")
    elif action == "extend":
        review.extend(cur, fingerprint, actor=who, deadline=kw["deadline"], reason=kw.get("reason") or "")
    elif action == "rectify":
        evidence = review.Evidence(
            note=kw.get("note"), url=kw.get("url"), file_name=kw.get("file_name"), data=kw.get("data")
        )
        review.rectify(cur, db, fingerprint, actor=who, evidence=evidence, reason=kw.get("reason"))
    elif action == "reopen":
        review.reopen(cur, fingerprint, actor=who, reason=kw.get("reason"))


@st.cache_data(show_spinner=False)
def reviews(db: str) -> dict[str, dict[str, Any]]:
    """The review state of every reviewed finding, by fingerprint."""
    return {r["fingerprint"]: r for r in records(frame(db, "select * from finding_reviews"))}


_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


def plain(text: str) -> str:
    """Text shown through st.markdown with every markdown and HTML character escaped."""
    return _MD.sub(r"\\\1", text)


def notice_preview(notice: bulletin.Notice) -> None:
    """The notice as Streamlit elements (no HTML): masthead, title, body, tables, signature, annex."""
    st.markdown(f"#### {plain(notice.issuing_body)}文件")
    st.caption(notice.doc_number)
    st.markdown(f"### {plain(notice.title)}")
    st.markdown(plain(notice.addressees))
    for block in notice.body:
        if block.kind == "h1":
            st.markdown(f"**{plain(block.text)}**")
        elif block.kind == "h2":
            st.markdown(f"*{plain(block.text)}*")
        elif block.kind == "table":
            st.dataframe(pd.DataFrame(block.rows, columns=block.header), hide_index=True, width="stretch")
        else:
            st.markdown(plain(block.text))
    if notice.deadline_warning:
        st.warning(notice.deadline_warning)
    st.markdown(plain(f"{notice.issuing_body}　{bulletin.cn_date(notice.closed_on)}"))
    st.markdown("**附件1 未整改问题清单**")
    if notice.annex:
        st.dataframe(
            pd.DataFrame(notice.annex, columns=notice.annex_header), hide_index=True, width="stretch"
        )
    else:
        st.caption("本期没有未整改的问题。")


def changes(page: RoundPage, listed: pd.DataFrame) -> None:
    """What changed since the last round, with 合格率 over the rounds."""
    s, prev = page.view.summary, page.view.previous
    cols = st.columns(5)
    rate = s["pass_rate"]
    delta = None
    if prev is not None and prev["pass_rate"] is not None and rate is not None:
        delta = f"{float(rate) - float(prev['pass_rate']):+.1f} 个百分点（较上期）"
    cols[0].metric("合格率", "—" if rate is None else f"{float(rate):.1f}%", delta)
    cols[1].metric("新发现", int(s["new"]))
    cols[2].metric("已整改", int(s["rectified"]))
    cols[3].metric("逾期未整改", int(s["overdue"]))
    cols[4].metric(f"连续{rounds.load_config().consecutive}期不合格", int(s["escalated"]))
    if int(s["not_applicable"]):
        st.caption(f"另有 {int(s['not_applicable'])} 个问题因重新解析或规则调整不再适用，不计为已整改。")
    if s["deadline_warning"]:
        st.warning(str(s["deadline_warning"]))
    if len(listed) > 1:
        chart_df = listed.assign(label=listed["round"].map(lambda k: f"第{int(k)}期"))
        chart = (
            alt.Chart(chart_df)
            .mark_line(point=True)
            .encode(
                x=alt.X("closed_on:T", title="截止日"),
                y=alt.Y("pass_rate:Q", title="合格率（%）", scale=alt.Scale(domain=[0, 100])),
                tooltip=[alt.Tooltip("label:N", title="检查期"), alt.Tooltip("pass_rate:Q", title="合格率")],
            )
            .properties(height=220)
        )
        st.altair_chart(chart, width="stretch")


def findings_frame(page: RoundPage, state: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """The round's findings (of the districts the signed-in user may see) with their current
    review decision, for the review table."""
    df = in_scope(pd.DataFrame(page.view.findings), current_scope())
    if df.empty:
        return df
    df["复核"] = df["fingerprint"].map(lambda fp: (state.get(fp) or {}).get("decision_zh") or "")
    return df


def finding_label(row: dict[str, Any]) -> str:
    """One line naming a finding in the review picker."""
    return f"[{row['status']}] {row['unit_id']} · {row['rule_id']} · {row['location'] or ''}"


def unit_dismissed_caption(page: RoundPage) -> str | None:
    """“已驳回 N 项” when the round left dismissed findings out of the scores."""
    n = sum(int(u["dismissed"]) for u in page.view.units)
    return f"已驳回 {n} 项（不计入得分）" if n else None


def round_tile(db: str) -> None:
    """The latest round's 合格率 with its change 较上期, beside the year's figures (较上年 in the ranking)."""
    listed = round_list(db)
    if listed.empty:
        return
    last = listed.iloc[-1]
    rate = None if pd.isna(last["pass_rate"]) else float(last["pass_rate"])
    delta = None
    if len(listed) > 1 and rate is not None and not pd.isna(listed.iloc[-2]["pass_rate"]):
        delta = f"较上期 {rate - float(listed.iloc[-2]['pass_rate']):+.1f} 个百分点"
    a, b, c = st.columns(3)
    a.metric(
        f"第{int(last['round'])}期通报合格率",
        "—" if rate is None else f"{rate:.1f}%",
        delta,
        help=f"{int(last['report_year'])} 年度报告，截至 {last['closed_on'].date()}",
    )
    b.metric("本期逾期未整改", int(last["overdue"]))
    c.metric("连续不合格（升级通报）", int(last["escalated"]))


@st.cache_data(show_spinner=False)
def dismissed_by_unit(db: str, district: str, year: int | None) -> dict[str, int]:
    """Dismissed (驳回) findings per unit of one district and year: they are left out of the scores."""
    df = frame(
        db,
        "select f.unit_id, count(*) as n from findings as f join dismissed_findings as d using (fingerprint) "
        "where f.district = ? and f.year = ? group by f.unit_id order by f.unit_id",
        [district, year],
    )
    return {str(r["unit_id"]): int(r["n"]) for r in records(df)}


def dismissed_note(db: str, district: str, year: int | None) -> None:
    """“已驳回 N 项” under a scorecard whose scores leave dismissed findings out."""
    per_unit = dismissed_by_unit(db, district, year)
    if per_unit:
        total = sum(per_unit.values())
        units_text = "、".join(f"{u} {n} 项" for u, n in per_unit.items())
        st.caption(f"已驳回 {total} 项（经复核为误报，不计入得分）：{units_text}")
