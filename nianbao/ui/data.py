"""Cached reads from the store. Each query runs on its own cursor and is fully fetched.

The dashboard never keeps the store open: each read opens it read-only for that operation (the
threads of Streamlit's sessions share the open connection, each on its own cursor) and the last one
out closes it, so the command line can write in between; a save opens it read-write for that one
ingest (store.reading / store.writing, see the README's connection rules).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from nianbao import store, units
from nianbao.ui.errors import UiError

SEVERITIES = ("否决", "错误", "警告", "提示")
CATEGORIES = ("完整性", "一致性", "及时性", "规范性", "内容")
STATUS_OPEN = "未整改"
STATUS_FIXED = "已整改"

P = ParamSpec("P")
R = TypeVar("R")


def _exists(db: str) -> None:
    if not Path(db).is_file():
        raise UiError(
            f"找不到数据库：{db}",
            "请先运行 `make demo`（或 `nianbao demo --db 路径`）生成演示数据，或在启动时用 `-- --db 路径` 指定已有的数据库。",
        )


@contextmanager
def reading(db: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one operation's reads: the store is open read-only only meanwhile."""
    _exists(db)
    with store.reading(db) as cur:
        yield cur


@contextmanager
def writing(db: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one write (e.g. saving an upload): the store is open read-write only meanwhile."""
    _exists(db)
    with store.writing(db) as cur:
        yield cur


def one_read(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a function of (db, ...) that reads several times inside one read of the store."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading(str(args[0])):
            return fn(*args, **kwargs)

    return run


def frame(db: str, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """Run one query on its own cursor and fetch every row."""
    with reading(db) as cur:
        return cur.execute(sql, params or []).df()


def refresh() -> None:
    """Forget every cached read (after the store changed)."""
    st.cache_data.clear()


class Forbidden(UiError):
    """The signed-in user may not see this district's data (the page shows 无权查看)."""


FORBIDDEN = "无权查看"


def check_scope(districts: tuple[str, ...] | None, district: str | None) -> None:
    """Raise Forbidden unless `district` is among `districts` (None: every district is allowed).

    Every read of one district's or one report's data calls this: the scope is enforced where the
    data is read, not by hiding widgets, so a deep link to another district shows 无权查看.
    """
    if districts is not None and district not in districts:
        raise Forbidden(f"{FORBIDDEN}：当前账号只能查看{'、'.join(districts) or '（无）'}的数据。")


def in_scope(df: pd.DataFrame, districts: tuple[str, ...] | None, column: str = "district") -> pd.DataFrame:
    """The rows of `df` whose district is allowed (all rows when `districts` is None)."""
    if districts is None or df.empty:
        return df
    return df[df[column].isin(districts)].reset_index(drop=True)


def _current_ids(db: str) -> set[str]:
    return set(frame(db, "select report_id from current_reports")["report_id"])


@st.cache_data(show_spinner=False)
def years(db: str) -> list[int]:
    """Report years with scores, newest first."""
    df = frame(db, "select distinct year from district_scorecards where year is not null order by year desc")
    return [int(y) for y in df["year"]]


def district_names(districts: tuple[str, ...] | None = None) -> list[str]:
    """The configured districts and counties, in configuration order (only the allowed ones)."""
    return [d for d in units.districts() if districts is None or d in districts]


@dataclass
class Overview:
    """What the 总览与排名 page shows for one year."""

    year: int
    units_expected: int
    units_published: int
    reports: int
    on_time: int
    passed: int
    scored: int
    findings_by_severity: dict[str, int]
    ranking: pd.DataFrame = field(repr=False)

    @property
    def pass_rate(self) -> float | None:
        """合格率 among the year's scored reports."""
        return self.passed / self.scored if self.scored else None


@st.cache_data(show_spinner=False)
@one_read
def overview(db: str, year: int, districts: tuple[str, ...] | None = None) -> Overview:
    """KPIs and the district ranking for one report year (of the allowed districts; None: all).

    A district's rank stays its rank in the whole city; other districts' rows are left out.
    """
    cards = in_scope(frame(db, "select * from district_scorecards where year = ?", [year]), districts)
    scores = in_scope(
        frame(db, "select * from report_scores where year = ? and is_current", [year]), districts
    )
    found = in_scope(frame(db, "select severity, district from findings where year = ?", [year]), districts)
    ranking = in_scope(
        frame(db, "select * from district_ranking where year = ? order by rank, district", [year]), districts
    )
    sev = found["severity"].value_counts().to_dict() if not found.empty else {}
    return Overview(
        year=year,
        units_expected=int(cards["units_expected"].fillna(0).sum()) if not cards.empty else 0,
        units_published=int(cards["units_published"].fillna(0).sum()) if not cards.empty else 0,
        reports=int(scores["report_id"].nunique()) if not scores.empty else 0,
        on_time=int(scores["on_time"].fillna(False).astype(bool).sum()) if not scores.empty else 0,
        passed=int((scores["verdict"] == "合格").sum()) if not scores.empty else 0,
        scored=len(scores),
        findings_by_severity={s: int(sev.get(s, 0)) for s in SEVERITIES},
        ranking=ranking,
    )


@dataclass
class DistrictView:
    """What the 区县记分卡 page shows for one district."""

    district: str
    trend: pd.DataFrame  # district_scorecards rows, one per year
    unit_scores: pd.DataFrame  # unit_scorecards rows: one per (unit, year), published or not
    by_category: pd.DataFrame  # open findings by category and severity
    reports: pd.DataFrame  # its current reports, newest first

    @property
    def unit_years(self) -> list[int]:
        """The years of the unit scores, newest first."""
        if self.unit_scores.empty:
            return []
        return sorted({int(y) for y in self.unit_scores["year"].dropna()}, reverse=True)


@st.cache_data(show_spinner=False)
@one_read
def district_view(db: str, district: str, districts: tuple[str, ...] | None = None) -> DistrictView:
    """One district's scorecard over the years, its units, findings and reports (Forbidden when
    `district` is not among the allowed `districts`)."""
    check_scope(districts, district)
    current = _current_ids(db)
    trend = frame(db, "select * from district_scorecards where district = ? order by year", [district])
    scores = frame(db, "select * from unit_scorecards where district = ?", [district])
    found = frame(db, "select category, severity from findings where district = ?", [district])
    if found.empty:
        by_cat = pd.DataFrame({"category": [], "severity": [], "findings": []})
    else:
        by_cat = found.groupby(["category", "severity"]).size().reset_index(name="findings")
    reports = pd.DataFrame(store_reports(db))
    if not reports.empty:
        reports = reports[(reports["district"] == district) & reports["report_id"].isin(current)]
        reports = reports.reset_index(drop=True)
    if not scores.empty:
        scores = scores.sort_values(["year", "kind", "unit_id"], ascending=[False, True, True]).reset_index(
            drop=True
        )
    return DistrictView(district, trend, scores, by_cat, reports)


def store_reports(db: str) -> list[dict[str, Any]]:
    """Every stored report with its unit, district and document (store.list_reports uses its own cursor)."""
    with reading(db) as cur:
        return store.list_reports(cur)


@dataclass
class ReportTables:
    """One report's cells and the findings that point at them."""

    report_id: str
    unit: str | None
    year: int | None
    template: str | None
    cells: list[dict[str, Any]]
    findings: list[dict[str, Any]]


@st.cache_data(show_spinner=False)
@one_read
def report_tables(db: str, report_id: str, districts: tuple[str, ...] | None = None) -> ReportTables:
    """The cells of Tables 2–4 of one stored report, with its findings (Forbidden outside `districts`)."""
    meta = frame(
        db,
        "select r.unit_id, r.unit_name, r.year, r.template, u.district from reports r "
        "left join units u on u.unit_id = r.unit_id where r.report_id = ?",
        [report_id],
    )
    if meta.empty:
        raise UiError("库中没有这份年报（可能已被删除）。")
    m = meta.iloc[0]
    check_scope(districts, _opt_str(m["district"]))
    cells = frame(
        db, "select tbl, row_key, col_key, raw, value, state from cells where report_id = ?", [report_id]
    )
    found = frame(db, "select * from report_findings where report_id = ?", [report_id])
    return ReportTables(
        report_id=report_id,
        unit=_opt_str(m["unit_id"]) or _opt_str(m["unit_name"]),
        year=None if pd.isna(m["year"]) else int(m["year"]),
        template=_opt_str(m["template"]),
        cells=records(cells),
        findings=records(found),
    )


def _opt_str(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, with pandas' missing values turned into None."""
    out: list[dict[str, Any]] = []
    for row in df.to_dict(orient="records"):
        out.append({k: (None if _missing(v) else v) for k, v in row.items()})
    return out


def _missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


@dataclass
class RawDocument:
    """The file a stored report was read from (`problem` says why its bytes cannot be offered)."""

    file_name: str
    media_type: str
    data: bytes
    source_url: str | None
    problem: str | None = None  # a Chinese note when the raw file is missing or corrupt


RAW_PROBLEMS = {
    "missing": "原始文件已不在数据目录中，无法下载；下方统计表来自库中保存的解析结果。",
    "corrupt": "原始文件校验失败（内容与登记的哈希值不符，可能已损坏），无法下载；下方统计表来自库中保存的解析结果。",
}


@st.cache_data(show_spinner=False, max_entries=32)
@one_read
def raw_document(db: str, report_id: str, districts: tuple[str, ...] | None = None) -> RawDocument:
    """The raw bytes behind a report, for download, verified against their sha256.

    A missing or corrupt file is not an error: the report's tables are in the store, so the page
    shows them with the note in `problem`. `districts` (None: all) limits whose reports may be read.
    """
    df = frame(
        db,
        "select d.sha256, d.file_name, d.media_type, d.stored_path, d.source_url, u.district from reports r "
        "join documents d on d.sha256 = r.sha256 left join units u on u.unit_id = r.unit_id where r.report_id = ?",
        [report_id],
    )
    if df.empty:
        raise UiError("找不到这份年报的原始文件记录。")
    r = records(df)[0]
    check_scope(districts, r["district"])
    name = str(r["file_name"] or f"{report_id[:12]}.bin")
    media = str(r["media_type"] or "application/octet-stream")
    try:
        data = store.read_raw(db, str(r["sha256"]), r["stored_path"])
    except store.RawFileError as e:
        return RawDocument(name, media, b"", r["source_url"], problem=RAW_PROBLEMS[e.problem])
    return RawDocument(file_name=name, media_type=media, data=data, source_url=r["source_url"])


@st.cache_data(show_spinner=False)
@one_read
def findings_view(db: str, districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every finding (of the allowed districts; None: all) with a status, most recent year first,
    most severe first.

    未整改: on a report's current version, or on a (unit, year) with no report (the `findings`
    view). 已整改: found on an earlier version of a report and gone from the current one
    (fingerprints are stable across versions, `report_findings` keeps every version).
    """
    open_ = frame(db, "select * from findings").assign(status=STATUS_OPEN)
    current = _current_ids(db)
    every = frame(db, "select * from report_findings where report_id is not null")
    old = every[~every["report_id"].isin(current)]
    fixed = old[~old["fingerprint"].isin(set(open_["fingerprint"]))].drop_duplicates("fingerprint")
    out = in_scope(pd.concat([open_, fixed.assign(status=STATUS_FIXED)], ignore_index=True), districts)
    if out.empty:
        return out
    sev_rank = {s: i for i, s in enumerate(SEVERITIES)}
    out["_sev"] = out["severity"].map(sev_rank)
    out = out.sort_values(
        ["year", "district", "unit_id", "_sev", "rule_id"],
        ascending=[False, True, True, True, True],
        na_position="last",
    )
    return out.drop(columns="_sev").reset_index(drop=True)


@st.cache_data(show_spinner=False)
def rule_catalog(db: str) -> pd.DataFrame:
    """The rule catalog as stored (with the deductions and caps from the scoring configuration)."""
    df = frame(db, "select rule_id, title, category, severity, deduction, cap, templates, basis from rules")
    df["_c"] = df["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    df["_s"] = df["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    return df.sort_values(["_c", "_s", "rule_id"]).drop(columns=["_c", "_s"]).reset_index(drop=True)


FILTERS = ("district", "unit_id", "year", "category", "severity", "status")


def filter_options(df: pd.DataFrame) -> dict[str, list[Any]]:
    """The values each filter of the finding list can take, in a sensible order."""
    order = {
        "severity": list(SEVERITIES),
        "category": list(CATEGORIES),
        "status": [STATUS_OPEN, STATUS_FIXED],
    }
    out: dict[str, list[Any]] = {}
    for col in FILTERS:
        present = [] if df.empty or col not in df.columns else df[col].dropna().unique().tolist()
        if col in order:
            out[col] = [v for v in order[col] if v in present] + sorted(
                v for v in present if v not in order[col]
            )
        elif col == "year":
            out[col] = sorted((int(v) for v in present), reverse=True)
        elif col == "district":
            known = district_names()
            out[col] = [d for d in known if d in present] + sorted(v for v in present if v not in known)
        else:
            out[col] = sorted(present)
    return out


def filter_findings(df: pd.DataFrame, chosen: dict[str, list[Any]]) -> pd.DataFrame:
    """The findings matching every non-empty filter."""
    keep = pd.Series(True, index=df.index)
    for col, values in chosen.items():
        if values and col in df.columns:
            keep &= df[col].isin(values)
    return df[keep].reset_index(drop=True)
