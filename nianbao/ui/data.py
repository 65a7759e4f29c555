"""Cached reads from the store. Each query runs on its own cursor and is fully fetched.

The dashboard never keeps the store open: each read opens it read-only for that operation (the
threads of Streamlit's sessions share the open connection, each on its own cursor) and the last one
out closes it, so the command line can write in between; a save opens it read-write for that one
ingest (store.reading / store.writing, see the README's connection rules).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from nianbao import store, units, verdicts
from nianbao.ui.errors import UiError

SEVERITIES = ("否决", "错误", "警告", "提示")
CATEGORIES = ("完整性", "一致性", "及时性", "规范性", "内容")
STATUS_OPEN = "未整改"
STATUS_FIXED = "已整改"
STATUS_DISMISSED = "已驳回"  # dismissed in review as a false positive (finding_list, as the rounds count it)

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


@contextmanager
def page_run(db: str) -> Iterator[None]:
    """One run of a page: its reads share one open of the store, closed when the run ends."""
    with store.keeping(db):
        yield


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


@st.cache_data(show_spinner=False)
def years(db: str) -> list[int]:
    """Report years with a district ranking, newest first."""
    with reading(db) as cur:
        return verdicts.years(cur)


def district_names(districts: tuple[str, ...] | None = None) -> list[str]:
    """The configured districts and counties, in configuration order (only the allowed ones)."""
    return [d for d in units.districts() if districts is None or d in districts]


@dataclass
class Overview:
    """What the 总览与排名 page shows for one year."""

    year: int
    units_expected: int  # units due (published, or past the deadline)
    units_published: int
    reports: int
    on_time: int
    passed: int
    scored: int  # units due: 合格率 = passed / due, a missing report counting as 不合格
    findings_by_severity: dict[str, int]
    ranking: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)  # the due units, worst first
    vetoed: int = 0

    @property
    def pass_rate(self) -> float | None:
        """合格率: 合格 reports / reports due."""
        return self.passed / self.scored if self.scored else None

    @property
    def failed(self) -> int:
        """Units due whose report is 不合格 or missing."""
        return self.scored - self.passed


# What the overview shows of each due unit (its tiles and the chart of the worst units).
UNIT_COLUMNS = (
    "unit_id",
    "district",
    "kind",
    "year",
    "status",
    "report_id",
    "published_report",
    "on_time",
    "score",
    "score_before_veto",
    "verdict",
    "vetoes",
)


@st.cache_data(show_spinner=False)
@one_read
def overview(db: str, year: int, districts: tuple[str, ...] | None = None) -> Overview:
    """KPIs, the district ranking (the same rows as `nianbao ranking`) and the worst units, of the
    allowed districts (None: all); a district's rank stays its rank in the whole city."""
    with reading(db) as cur:
        ranking = in_scope(pd.DataFrame(verdicts.ranking(cur, year)), districts)
    where, scope = list_where(districts, {})
    cond = where.replace(" where ", " and ", 1)
    due = frame(
        db,
        f"select {', '.join(UNIT_COLUMNS)} from unit_scorecards where year = ? and due{cond}",
        [year, *scope],
    )
    # counted in SQL: the page shows the counts, never the findings themselves
    found = frame(
        db,
        f"select severity, count(*) as n from findings where year = ?{cond} group by severity",
        [year, *scope],
    )
    sev = dict(zip(found["severity"], found["n"], strict=True))
    if not due.empty:
        due = due.assign(_ok=due["verdict"] == "合格").sort_values(["_ok", "score", "unit_id"])
        due = due.drop(columns="_ok").reset_index(drop=True)
    return Overview(
        year=year,
        units_expected=len(due),
        units_published=int(due["published_report"].sum()) if not due.empty else 0,
        reports=int(due["published_report"].sum()) if not due.empty else 0,
        on_time=int(due["on_time"].fillna(False).astype(bool).sum()) if not due.empty else 0,
        passed=int((due["verdict"] == "合格").sum()) if not due.empty else 0,
        scored=len(due),
        findings_by_severity={s: int(sev.get(s, 0)) for s in SEVERITIES},
        ranking=ranking,
        units=due,
        vetoed=int((due["vetoes"] > 0).sum()) if not due.empty else 0,
    )


@st.cache_data(show_spinner=False)
def scorecard(db: str, district: str, year: int, districts: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One district's verdict and units for one year (the same as `nianbao scorecard`; Forbidden
    when `district` is not among the allowed `districts`)."""
    check_scope(districts, district)
    with reading(db) as cur:
        return verdicts.scorecard(cur, district, year)


@dataclass
class DistrictView:
    """What the 区县记分卡 page shows for one district."""

    district: str
    trend: pd.DataFrame  # district_scorecards rows, one per year
    unit_scores: pd.DataFrame  # unit_scorecards rows of the year: one per unit, published or not
    by_category: pd.DataFrame  # open findings by category and severity


@st.cache_data(show_spinner=False)
@one_read
def district_view(
    db: str, district: str, year: int, districts: tuple[str, ...] | None = None
) -> DistrictView:
    """One district's scorecard over the years, its units in `year` and its findings by category
    (Forbidden when `district` is not among the allowed `districts`)."""
    check_scope(districts, district)
    trend = frame(db, "select * from district_scorecards where district = ? order by year", [district])
    scores = frame(db, "select * from unit_scorecards where district = ? and year = ?", [district, year])
    by_cat = frame(  # counted in SQL: the chart shows the counts, never the findings themselves
        db,
        "select category, severity, count(*) as findings from findings where district = ?"
        " group by category, severity order by category, severity",
        [district],
    )
    if not scores.empty:
        scores = scores.sort_values(["year", "kind", "unit_id"], ascending=[False, True, True]).reset_index(
            drop=True
        )
    return DistrictView(district, trend, scores, by_cat)


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


FILTERS = ("district", "unit_id", "year", "category", "severity", "status")
# The finding list's order: most recent year first, then district and unit, most severe first; the
# fingerprint last, so that every page of the list is the same slice on every run.
LIST_ORDER = (
    "year desc nulls last, district nulls last, unit_id nulls last, severity_rank, rule_id, fingerprint"
)
LIST_TYPES = {"year": "integer"}  # the filters' SQL types (varchar unless named here)


def list_where(
    districts: tuple[str, ...] | None, chosen: Mapping[str, Sequence[Any]]
) -> tuple[str, list[Any]]:
    """The where clause of the finding list for a scope and the chosen filters, and its bound
    parameters: each filter is `list_contains(?, column)` with the values as one list parameter."""
    conds: list[str] = []
    params: list[Any] = []
    if districts is not None:
        conds.append("list_contains(?::varchar[], district)")
        params.append(list(districts))
    for col in FILTERS:  # the column names come from here, never from the caller
        values = chosen.get(col)
        if values:
            kind = LIST_TYPES.get(col, "varchar")
            conds.append(f"list_contains(?::{kind}[], {col})")
            params.append([int(v) for v in values] if kind == "integer" else [str(v) for v in values])
    return (" where " + " and ".join(conds) if conds else ""), params


@dataclass
class ListSummary:
    """What the finding list's headline says: the findings matching the filters, of all of them."""

    total: int  # every finding the user may see
    shown: int  # those matching the filters
    by_severity: dict[str, int]
    units: int  # units the matching findings concern


@st.cache_data(show_spinner=False)
def finding_options(db: str, districts: tuple[str, ...] | None = None) -> dict[str, list[Any]]:
    """The values each filter of the finding list can take (of the allowed districts), in order."""
    where, params = list_where(districts, {})
    lists = ", ".join(f"list(distinct {c}) filter (where {c} is not null) as {c}" for c in FILTERS)
    with reading(db) as cur:
        row = cur.execute(f"select {lists} from finding_list{where}", params).fetchone()
    present = dict(zip(FILTERS, row or (), strict=False))
    return ordered_options({c: list(present.get(c) or []) for c in FILTERS})


@st.cache_data(show_spinner=False)
def finding_summary(
    db: str, districts: tuple[str, ...] | None, chosen: Mapping[str, Sequence[Any]]
) -> ListSummary:
    """How many findings match the filters (by severity, and the units they concern), of how many."""
    where, params = list_where(districts, {})
    match, match_params = list_where(None, chosen)
    cond = match.removeprefix(" where ") or "true"
    sev = ", ".join(f"count(*) filter (where {cond} and severity = '{s}')" for s in SEVERITIES)
    # One scan: every finding in scope, and those matching the filters among them.
    sql = f"select count(*), count(*) filter (where {cond}), count(distinct unit_id) filter (where {cond}), {sev} from finding_list{where}"
    with reading(db) as cur:
        # the filter's parameters once per use of the condition in the select list, then the scope's
        row = cur.execute(sql, match_params * (2 + len(SEVERITIES)) + params).fetchone()
    total, shown, units_, *counts = row or (0, 0, 0, *[0] * len(SEVERITIES))
    return ListSummary(
        int(total), int(shown), dict(zip(SEVERITIES, map(int, counts), strict=True)), int(units_)
    )


@st.cache_data(show_spinner=False)
def finding_page(
    db: str, districts: tuple[str, ...] | None, chosen: Mapping[str, Sequence[Any]], page: int, size: int
) -> list[dict[str, Any]]:
    """One page of the finding list (page 0 first), read with limit and offset in SQL."""
    where, params = list_where(districts, chosen)
    with reading(db) as cur:
        df = cur.execute(
            f"select * exclude (severity_rank) from finding_list{where} order by {LIST_ORDER} limit ? offset ?",
            [*params, int(size), int(page) * int(size)],
        ).df()
    return records(df)


def finding_rows_for_export(
    db: str, districts: tuple[str, ...] | None, chosen: Mapping[str, Sequence[Any]], columns: Sequence[str]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every finding matching the filters, in list order, as tuples of `columns` (those the list
    has): what a download writes. Not cached, and no Streamlit call, so that a download button's
    callable can run it outside the page's run."""
    where, params = list_where(districts, chosen)
    with reading(db) as cur:
        have = {r[0] for r in cur.execute("describe finding_list").fetchall()}
        cols = [c for c in columns if c in have]
        rows = cur.execute(
            f"select {', '.join(cols)} from finding_list{where} order by {LIST_ORDER}", params
        ).fetchall()
    return cols, rows


def export_table(
    db: str,
    districts: tuple[str, ...] | None,
    chosen: Mapping[str, Sequence[Any]],
    fmt: str,
    title: str,
    scope: Sequence[str],
    filters: str,
) -> bytes:
    """The finding list matching the filters, of the allowed districts, as XLSX or CSV (what a
    download button's callable returns; it runs outside the page's run, so no Streamlit here)."""
    from nianbao.ui import export

    cols, rows = finding_rows_for_export(db, districts, chosen, [k for k, _ in export.FINDING_COLUMNS])
    if fmt == "xlsx":
        return export.table_xlsx(cols, rows, title=title, scope=scope, filters=filters)
    return export.table_csv(cols, rows)


@st.cache_data(show_spinner=False)
def findings_view(db: str, districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every finding (of the allowed districts; None: all) with a status, in list order.

    未整改: on a report's current version, or on a (unit, year) with no report (the `findings`
    view). 已整改: found on an earlier version of a report and gone from the current one
    (fingerprints are stable across versions, `report_findings` keeps every version). The page
    reads the same view a page at a time (`finding_page`).
    """
    where, params = list_where(districts, {})
    return frame(
        db, f"select * exclude (severity_rank) from finding_list{where} order by {LIST_ORDER}", params
    )


@st.cache_data(show_spinner=False)
def rule_catalog(db: str) -> pd.DataFrame:
    """The rule catalog as stored (with the deductions and caps from the scoring configuration)."""
    df = frame(db, "select rule_id, title, category, severity, deduction, cap, templates, basis from rules")
    df["_c"] = df["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    df["_s"] = df["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    return df.sort_values(["_c", "_s", "rule_id"]).drop(columns=["_c", "_s"]).reset_index(drop=True)


def ordered_options(present: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    """The values each filter can take, in a sensible order: severities and categories as
    configured, years newest first, districts in configuration order, the rest sorted."""
    order = {
        "severity": list(SEVERITIES),
        "category": list(CATEGORIES),
        "status": [STATUS_OPEN, STATUS_FIXED, STATUS_DISMISSED],
    }
    out: dict[str, list[Any]] = {}
    for col in FILTERS:
        values = [v for v in present.get(col) or [] if v is not None]
        if col in order:
            out[col] = [v for v in order[col] if v in values] + sorted(
                v for v in values if v not in order[col]
            )
        elif col == "year":
            out[col] = sorted((int(v) for v in values), reverse=True)
        elif col == "district":
            known = district_names()
            out[col] = [d for d in known if d in values] + sorted(v for v in values if v not in known)
        else:
            out[col] = sorted(values)
    return out


def filter_options(df: pd.DataFrame) -> dict[str, list[Any]]:
    """The values each filter of a finding frame can take, in a sensible order."""
    present = {
        col: ([] if df.empty or col not in df.columns else df[col].dropna().unique().tolist())
        for col in FILTERS
    }
    return ordered_options(present)


@st.cache_data(show_spinner=False)
def year_reports(db: str, year: int, districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One year's current city reports (of the allowed districts), worst first: 不合格 before 合格."""
    df = in_scope(
        frame(db, "select * from unit_scorecards where year = ? and report_id is not null", [year]), districts
    )
    if df.empty:
        return df
    df = df.assign(_ok=df["verdict"] == "合格").sort_values(["_ok", "score", "district", "unit_id"])
    return df.drop(columns="_ok").reset_index(drop=True)


@dataclass
class ReportView:
    """One stored report version: what it is, its verdict, its other versions and last year's."""

    report_id: str
    unit: str | None
    district: str | None
    year: int | None
    version: int
    scope: str
    current: bool
    scores: dict[str, Any]
    versions: list[dict[str, Any]]  # the unit's versions of that year, newest first (deleted ones too)
    previous_year: str | None  # the report id of the unit's current report of the year before


@st.cache_data(show_spinner=False)
def report_view(db: str, report_id: str, districts: tuple[str, ...] | None = None) -> ReportView:
    """A report's verdict, version history and the id of the year before (for the comparison);
    Forbidden when its district is not among the allowed `districts`."""
    meta = records(frame(db, "select * from report_meta where report_id = ?", [report_id]))
    if not meta:
        raise UiError("库中没有这份年报（可能已被删除或链接有误）。", "请从排名、记分卡或问题清单重新打开。")
    m = meta[0]
    check_scope(districts, _opt_str(m["district"]))
    scored = records(frame(db, "select * from report_scores where report_id = ?", [report_id]))
    unit, year = m["unit_id"], m["year"]
    versions = records(
        frame(
            db,
            "select report_id, version, published, false as deleted from reports where unit_id = ? and year = ?",
            [unit, year],
        )
    ) + records(
        frame(
            db,
            "select report_id, version, null as published, true as deleted from deleted_reports where unit_id = ? and year = ?",
            [unit, year],
        )
    )
    versions.sort(key=lambda v: -int(v["version"]))
    before = frame(
        db, "select report_id from current_reports where unit_id = ? and year = ?", [unit, (year or 0) - 1]
    )
    return ReportView(
        report_id=report_id,
        unit=_opt_str(unit) or _opt_str(m["unit_name"]),
        district=_opt_str(m["district"]),
        year=None if year is None else int(year),
        version=int(m["version"]),
        scope=str(m["scope"]),
        current=bool(m["is_current"]),
        scores=scored[0] if scored else {},
        versions=versions,
        previous_year=None if before.empty else str(before["report_id"].iloc[0]),
    )


def _check_report(db: str, report_id: str, districts: tuple[str, ...] | None) -> None:
    """Raise Forbidden when a report (current or deleted) belongs to a district not allowed."""
    if districts is None:
        return
    df = frame(db, "select district from report_meta where report_id = ?", [report_id])
    check_scope(districts, None if df.empty else _opt_str(df["district"].iloc[0]))


@st.cache_data(show_spinner=False)
def report_cells(db: str, report_id: str, districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every cell of one report, with its labels (Forbidden outside the allowed `districts`)."""
    _check_report(db, report_id, districts)
    return frame(
        db,
        "select tbl, row_key, col_key, row_label, col_label, raw, value, state from cells where report_id = ?",
        [report_id],
    )


@st.cache_data(show_spinner=False)
def report_sections(db: str, report_id: str, districts: tuple[str, ...] | None = None) -> dict[str, str]:
    """The text of each of a report's sections, by key (Forbidden outside the allowed `districts`)."""
    _check_report(db, report_id, districts)
    df = frame(db, "select key, body from sections where report_id = ? order by seq", [report_id])
    return dict(zip(df["key"], df["body"], strict=True))


@st.cache_data(show_spinner=False)
def section_titles(db: str) -> dict[str, str]:
    """The six sections' titles, by key, in template order."""
    df = frame(db, "select key, no || '、' || title as title from template_sections order by seq")
    return dict(zip(df["key"], df["title"], strict=True))


FILTER_PARAMS = {"district": "district", "year": "year", "severity": "severity", "category": "category"}


def filter_default(col: str, options: list[Any]) -> list[Any]:
    """A filter's starting values: from the URL (e.g. ?district=城东区&year=2025), else 未整改 for
    the status, else none (all)."""
    name = FILTER_PARAMS.get(col)
    wanted = st.query_params.get(name) if name else None
    if wanted:
        values = [v.strip() for v in str(wanted).split(",") if v.strip()]
        picked = [o for o in options if str(o) in values]
        if picked:
            return picked
    if col == "status" and STATUS_OPEN in options:
        return [STATUS_OPEN]
    return []


def keep_filters(chosen: dict[str, list[Any]]) -> None:
    """Write the chosen filters to the URL, so the filtered list can be linked to."""
    for col, name in FILTER_PARAMS.items():
        values = chosen.get(col) or []
        if values:
            st.query_params[name] = ",".join(str(v) for v in values)
        elif name in st.query_params:
            del st.query_params[name]


def linked_findings(df: pd.DataFrame | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Finding rows with the deep link of each (its report, its cell highlighted)."""
    from nianbao.ui.render import finding_link, finding_rows

    return [{**r, "href": finding_link(r)} for r in finding_rows(df)]


def export_scope(chosen: dict[str, list[Any]], districts: tuple[str, ...] | None = None) -> list[str]:
    """The scope words of an export's file name: the district(s) and year(s) filtered on (with no
    district chosen, the user's own districts, else 全市)."""
    parts = []
    if chosen.get("district"):
        parts.append("、".join(str(d) for d in chosen["district"]))
    elif districts is not None:
        parts.append("、".join(districts) or "无")
    if chosen.get("year"):
        parts.append("、".join(str(y) for y in chosen["year"]) + "年度")
    return parts or ["全市"]


def rules_headline(rules: pd.DataFrame) -> str:
    """共 40 条规则：否决项 3 条，扣分项 30 条，其余只作提示。"""
    vetoes = int((rules["severity"] == "否决").sum())
    deducting = int(((rules["severity"] != "否决") & (rules["deduction"] > 0)).sum())
    rest = len(rules) - vetoes - deducting
    return (
        f"共 {len(rules)} 条规则：否决项 {vetoes} 条，扣分项 {deducting} 条，其余 {rest} 条只作提醒、不扣分。"
    )
