"""The 数据采集 page's library: harvest status, column freshness, the sources editor, a background harvest.

A harvest runs on its own thread and opens the store only for its short writes, so the page stays
responsive; a fragment polls its progress once a second. One harvest per store at a time.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from nianbao import audit
from nianbao.harvest.fetch import AddressPolicy
from nianbao.harvest.run import Harvest, RunResult
from nianbao.harvest.sources import SourcesError, SourcesFile, default_path, parse_sources, shipped_text
from nianbao.ui.data import frame, refresh, writing
from nianbao.ui.errors import UiError, message_for

ACTOR = "ui:数据采集"


@dataclass
class Job:
    """A harvest running (or finished) in the background."""

    total: int = 1
    done: int = 0
    what: str = "准备中"
    started: float = field(default_factory=time.monotonic)
    result: RunResult | None = None
    error: str | None = None
    finished: bool = False
    shown: bool = False  # the page has refreshed its tables since it finished

    def update(self, done: int, total: int, what: str) -> None:
        """Progress callback from the harvest thread."""
        self.done, self.total, self.what = done, max(total, 1), what


_JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()


def sources_path(db: str) -> Path:
    """The store's sources file (beside the store)."""
    return default_path(db)


def sources_text(db: str) -> str:
    """The store's sources file, or the shipped Xining file when the store has none yet."""
    path = sources_path(db)
    return path.read_text(encoding="utf-8") if path.is_file() else shipped_text()


def check_sources(text: str) -> str | None:
    """Why this sources text cannot be used, or None when it is valid."""
    try:
        parse_sources(text)
    except SourcesError as e:
        return str(e)
    return None


def save_sources(db: str, text: str, actor: str = ACTOR) -> str:
    """Validate, then write the store's sources file atomically; raises UiError when invalid."""
    problem = check_sources(text)
    if problem:
        raise UiError(f"采集源文件无效，未保存：{problem}")
    path = sources_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    with writing(db) as con:
        audit.record(
            con,
            actor=actor,
            action="sources_edit",
            subject_kind="source",
            subject=str(path),
            detail={"sources": len(parse_sources(text).sources)},
        )
    return f"已保存：{path}（{len(parse_sources(text).sources)} 个采集源）"


def job(db: str) -> Job | None:
    """The store's current or last harvest in this process."""
    return _JOBS.get(db)


def start(db: str, *, allow_loopback: bool = False, allow_private: bool = False, actor: str = ACTOR) -> Job:
    """Start a harvest of the store's sources file in the background; UiError when one is running."""
    try:
        sources = parse_sources(sources_text(db), str(sources_path(db)))
    except SourcesError as e:
        raise UiError(f"采集源文件无效：{e}") from e
    with _LOCK:
        running = _JOBS.get(db)
        if running is not None and not running.finished:
            raise UiError("已有一次采集正在进行，请等它完成。")
        new = Job(total=len(sources.sources))
        _JOBS[db] = new
    policy = AddressPolicy(allow_loopback=allow_loopback, allow_private=allow_private)
    threading.Thread(target=_run, args=(db, sources, policy, actor, new), daemon=True).start()
    return new


def _run(db: str, sources: SourcesFile, policy: AddressPolicy, actor: str, target: Job) -> None:
    """The harvest thread: it opens the store for each short write only, like every other writer."""
    try:
        h = Harvest(db, sources, actor=actor, policy=policy, progress=target.update)
        target.result = h.run()
    except Exception as exc:  # noqa: BLE001 - shown on the page, never a traceback
        target.error = message_for(exc)
    finally:
        target.finished = True


def status(db: str) -> pd.DataFrame:
    """Per source: the last run, reports found, new, unchanged, failed, and the failures' reasons."""
    df = frame(db, "select * from harvest_status order by source")
    df["failures"] = df["failures"].map(_reasons)
    return df


def _reasons(text: object) -> str:
    if not isinstance(text, str) or not text:
        return ""
    return "；".join(f"{f['url']}：{f['reason']}" for f in json.loads(text))


def freshness(db: str) -> pd.DataFrame:
    """Per monitored column: the newest item, the days since, and whether it is stale."""
    return frame(db, "select * from column_freshness order by source, column_url")


def website_findings(db: str, district: str | None = None) -> pd.DataFrame:
    """Website findings (网站监测), for one district or all."""
    if district:
        return frame(
            db,
            "select * from website_findings where district = ? order by severity, unit_id, location",
            [district],
        )
    return frame(db, "select * from website_findings order by severity, unit_id, location")


def verdicts(db: str, district: str | None = None) -> pd.DataFrame:
    """One 网站监测 verdict per unit and site."""
    if district:
        return frame(
            db, "select * from website_verdicts where district = ? order by unit_id, site", [district]
        )
    return frame(db, "select * from website_verdicts order by unit_id, site")


# -- rendering ---------------------------------------------------------------------------------

STATUS_COLUMNS = {
    "source": "采集源（单位）",
    "finished_at": "最近一次采集",
    "found": "找到",
    "new": "新增",
    "unchanged": "未变化",
    "failed": "失败",
    "status": "状态",
    "failures": "失败原因",
}
FRESHNESS_COLUMNS = {
    "source": "单位",
    "column_name": "栏目",
    "column_type": "类型",
    "newest_item": "最近更新",
    "days_since_update": "距今天数",
    "stale": "栏目不更新",
    "threshold": "要求",
    "last_checked": "最近检查",
    "error": "检查失败原因",
    "column_url": "网址",
}
FINDING_COLUMNS = {
    "unit_id": "单位",
    "severity": "严重程度",
    "rule_title": "问题",
    "message": "说明",
    "site": "网站",
}


def render_status(db: str) -> None:
    """The per-source table and the column freshness table."""
    st.subheader("各采集源最近一次采集")
    df = status(db)
    if df.empty:
        st.info("尚未采集：点击“开始采集”，或在命令行运行 `nianbao harvest`。")
    else:
        df["status"] = df["status"].map({"ok": "正常", "failed": "有失败"}).fillna(df["status"])
        st.dataframe(
            df[list(STATUS_COLUMNS)].rename(columns=STATUS_COLUMNS), hide_index=True, key="harvest-status"
        )
    st.subheader("栏目更新情况（网站监测）")
    fresh = freshness(db)
    if fresh.empty:
        st.info("采集源文件中没有监测栏目（columns），或尚未采集。")
    else:
        fresh["stale"] = fresh["stale"].map({True: "是", False: "否"})
        st.dataframe(
            fresh[list(FRESHNESS_COLUMNS)].rename(columns=FRESHNESS_COLUMNS),
            hide_index=True,
            key="harvest-fresh",
        )
    render_findings(website_findings(db), key="harvest-findings")


def render_findings(df: pd.DataFrame, key: str) -> None:
    """Website findings; they never change a report's score (a verdict of their own)."""
    if df.empty:
        st.caption("网站监测：未发现栏目不更新。")
        return
    st.caption("网站监测结论独立于年报得分：下列问题不影响任何年报的得分与结论。")
    st.dataframe(df[list(FINDING_COLUMNS)].rename(columns=FINDING_COLUMNS), hide_index=True, key=key)


def district_section(db: str, district: str) -> None:
    """The website findings of one district's units (on the 区县记分卡 page)."""
    df = verdicts(db, district)
    if df.empty:
        return
    st.subheader("网站监测")
    bad = df[df["verdict"] == "不合格"]
    st.caption(f"{len(df)} 个网站已监测，{len(bad)} 个达到“栏目不更新”否决条件；此结论不计入年报得分。")
    render_findings(website_findings(db, district), key="district-website")


@st.fragment(run_every=1.0)
def progress_panel(db: str) -> None:
    """The running harvest's progress bar; when it ends, its summary, and the page's tables refreshed."""
    current = job(db)
    if current is None:
        return
    if not current.finished:
        share = min(current.done / current.total, 1.0)
        st.progress(share, text=f"正在采集（{current.done}/{current.total}）：{current.what}")
        return
    if current.error:
        st.error(f"采集失败：{current.error}", icon="⚠️")
    elif current.result is not None:
        from nianbao.harvest.cli import summary_lines

        st.success("采集完成。\n\n" + "\n\n".join(summary_lines(current.result)))
    if not current.shown:
        current.shown = True
        refresh()
        st.rerun(scope="app")


def sources_editor(db: str) -> None:
    """Edit the store's sources file; it is validated before it is saved."""
    st.subheader("编辑采集源文件")
    st.caption(
        f"保存到 {sources_path(db)}；格式见 README“Harvesting”一节：每个单位一个 [[source]]，至少含 unit 与 lists。"
    )
    text = st.text_area("采集源文件（TOML）", value=sources_text(db), height=320, key="harvest-sources")
    check, save = st.columns(2)
    if check.button("校验", key="harvest-check"):
        problem = check_sources(text)
        if problem:
            st.error(f"采集源文件无效：{problem}", icon="⚠️")
        else:
            st.success(f"格式正确：{len(parse_sources(text).sources)} 个采集源。")
    if save.button("校验并保存", type="primary", key="harvest-save"):
        st.success(save_sources(db, text))
