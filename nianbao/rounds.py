"""Inspection rounds (两周一通报): close a round, snapshot every due unit and open finding, compare.

A round k closes on the cadence boundary anchor + days × (k − 1) (nianbao/rounds.toml). Closing it
reads the verdicts and scores the views give (unit_scorecards, findings) as of its closing day and
stores them in the round tables; a closed round is never rewritten: closing it again returns the
stored snapshot, and a recompute adds a revision (logged in the audit log), keeping the old one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from nianbao import audit
from nianbao.cursors import sub_cursor
from nianbao.workdays import Calendar

OPEN = ("新发现", "仍未整改", "逾期未整改")
GONE = ("已整改", "不再适用", "已驳回")
FINDING_STATES = (*OPEN, *GONE)
UNIT_STATES = ("新不合格", "仍不合格", "连续N期不合格", "恢复合格", "合格")
SEVERITY_ORDER = {"否决": 0, "错误": 1, "警告": 2, "提示": 3}


class RoundError(ValueError):
    """A round that cannot be closed or shown, with a message in Chinese."""


@dataclass
class RoundConfig:
    """nianbao/rounds.toml."""

    anchor: date
    days: int
    year: int
    deadline_md: str
    extra_findings: list[str]
    working_days: int
    holidays_file: Path | None
    consecutive: int
    issuing_body: str
    doc_number: str
    addressees: str
    praise_top: int
    calendar: Calendar = field(default_factory=Calendar, repr=False)

    def round_for(self, day: date) -> tuple[int, date]:
        """The latest round whose closing day is on or before `day`: (number, closing day)."""
        if day < self.anchor:
            raise RoundError(f"{day} 早于第1期的截止日 {self.anchor}（见 nianbao/rounds.toml 的 anchor）")
        k = (day - self.anchor).days // self.days + 1
        return k, self.closing_day(k)

    def closing_day(self, k: int) -> date:
        """Round k's closing day."""
        from datetime import timedelta

        return self.anchor + timedelta(days=self.days * (k - 1))

    def number(self, k: int, closed_on: date) -> str:
        """The notice's 文号."""
        return self.doc_number.format(year=closed_on.year, n=k)


def load_config(path: str | Path | None = None) -> RoundConfig:
    """Read the rounds configuration (default: the packaged nianbao/rounds.toml)."""
    if path is None:
        text = resources.files("nianbao").joinpath("rounds.toml").read_text(encoding="utf-8")
        base = Path(str(resources.files("nianbao")))
    else:
        text = Path(path).read_text(encoding="utf-8")
        base = Path(path).resolve().parent
    data = tomllib.loads(text)
    cad, cov, rect = data["cadence"], data["coverage"], data["rectification"]
    hol = rect.get("holidays_file") or ""
    hol_path = (base / hol) if hol and not Path(hol).is_absolute() else (Path(hol) if hol else None)
    notice = data["notice"]
    return RoundConfig(
        anchor=date.fromisoformat(str(cad["anchor"])),
        days=int(cad["days"]),
        year=int(cov.get("year", 0)),
        deadline_md=str(cov.get("deadline", "")),
        extra_findings=[str(v) for v in cov.get("extra_findings", [])],
        working_days=int(rect["working_days"]),
        holidays_file=hol_path,
        consecutive=int(data["escalation"]["consecutive"]),
        issuing_body=str(notice["issuing_body"]),
        doc_number=str(notice["doc_number"]),
        addressees=str(notice["addressees"]),
        praise_top=int(notice.get("praise_top", 5)),
        calendar=Calendar.from_file(hol_path),
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = sub_cursor(con)
    try:
        rel = cur.execute(sql, params or [])
        cols = [d[0] for d in rel.description]
        return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
    finally:
        cur.close()


def covered_year(con: duckdb.DuckDBPyConnection, closed_on: date, cfg: RoundConfig) -> int:
    """The most recent report year whose deadline has passed by the closing day (or the configured one)."""
    if cfg.year:
        return cfg.year
    md = cfg.deadline_md
    if not md:
        found = _rows(
            con,
            "select max(text) as md from settings where key like 'deadlines.%' and key <> 'deadlines.before_2019'",
        )
        md = str(found[0]["md"] or "03-31")
    month, day = (int(x) for x in md.split("-"))
    year = closed_on.year - 1
    if closed_on <= date(closed_on.year, month, day):
        year -= 1
    return year


@dataclass
class Closed:
    """The outcome of `close_round`."""

    round: int
    revision: int
    closed_on: date
    report_year: int
    created: bool  # False: the round was already closed and its stored snapshot is returned


def latest_revision(con: duckdb.DuckDBPyConnection, k: int) -> int | None:
    """The newest revision of round k, or None if it is not closed."""
    found = _rows(con, "select max(revision) as rev from rounds where round = ?", [k])
    rev = found[0]["rev"]
    return int(rev) if rev is not None else None


def close_round(
    con: duckdb.DuckDBPyConnection,
    on: date,
    *,
    actor: str,
    recompute: bool = False,
    cfg: RoundConfig | None = None,
    at: datetime | None = None,
) -> Closed:
    """Close the round ending on `on` (the latest cadence boundary on or before it)."""
    cfg = cfg or load_config()
    k, closed_on = cfg.round_for(on)
    rev = latest_revision(con, k)
    if rev is not None and not recompute:
        row = _rows(con, "select * from rounds where round = ? and revision = ?", [k, rev])[0]
        return Closed(k, rev, row["closed_on"], int(row["report_year"]), False)
    later = _rows(con, "select max(round) as k from rounds")[0]["k"]
    if rev is None and later is not None and int(later) > k:
        raise RoundError(f"第{int(later)}期已关闭，不能再补关更早的第{k}期")
    year = covered_year(con, closed_on, cfg)
    revision = (rev or 0) + 1
    con.execute("begin transaction").fetchall()
    try:
        _snapshot(con, k, revision, closed_on, year, cfg, actor=actor, at=at)
        audit.record(
            con,
            actor=actor,
            action="round_recompute" if rev is not None else "round_close",
            subject_kind="round",
            subject=str(k),
            detail={"revision": revision, "closed_on": closed_on, "report_year": year},
            at=at,
        )
        con.execute("commit").fetchall()
    except Exception:
        con.execute("rollback").fetchall()
        raise
    return Closed(k, revision, closed_on, year, True)


def _previous(con: duckdb.DuckDBPyConnection, k: int) -> tuple[int, int] | None:
    found = _rows(
        con,
        "select round, max(revision) as revision from rounds where round < ? group by round order by round desc limit 1",
        [k],
    )
    return (int(found[0]["round"]), int(found[0]["revision"])) if found else None


def _view_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(_rows(con, "select 1 as x from duckdb_views() where view_name = ? and not internal", [name]))


FINDING_COLS = "fingerprint, report_id, unit_id, district, year, rule_id, rule_title, category, severity, location, message"


def _current_findings(con: duckdb.DuckDBPyConnection, year: int, cfg: RoundConfig) -> list[dict[str, Any]]:
    """The year's open findings on current reports (and missing reports), plus any configured extra views."""
    found = _rows(con, f"select {FINDING_COLS} from findings where year = ?", [year])
    for view in cfg.extra_findings:
        # Hook for the harvest's website findings (column freshness): included once the store has
        # the view, with whichever of the finding columns it has (the others null).
        have = {
            r["column_name"]
            for r in _rows(con, "select column_name from duckdb_columns() where table_name = ?", [view])
        }
        if not _view_exists(con, view) or not {"fingerprint", "unit_id", "rule_id"} <= have:
            continue
        cols = ", ".join(c if c in have else f"null as {c}" for c in FINDING_COLS.split(", "))
        where = " where year = ? or year is null" if "year" in have else ""
        found += _rows(con, f"select {cols} from {view}{where}", [year] if where else [])
    seen: set[str] = set()
    out = []
    for f in found:
        if f["fingerprint"] not in seen:
            seen.add(f["fingerprint"])
            out.append(f)
    return out


def _snapshot(
    con: duckdb.DuckDBPyConnection,
    k: int,
    revision: int,
    closed_on: date,
    year: int,
    cfg: RoundConfig,
    *,
    actor: str,
    at: datetime | None,
) -> None:
    """Write one round's rows (in the caller's transaction)."""
    # Only the live views read timeliness.as_of (missing reports, unit status): the round sees them
    # as of its closing day; the setting is put back before the transaction ends.
    old = _rows(con, "select text from settings where key = 'timeliness.as_of'")
    con.execute(
        "insert or replace into settings values ('timeliness.as_of', ?, null)", [closed_on.isoformat()]
    ).fetchall()
    try:
        units = _rows(
            con,
            "select * from unit_scorecards where year = ? and status <> '未到期' and verdict is not null",
            [year],
        )
        current = _current_findings(con, year, cfg)
        reviews = {r["fingerprint"]: r for r in _rows(con, "select * from finding_reviews")}
    finally:
        if old:
            con.execute(
                "update settings set text = ? where key = 'timeliness.as_of'", [old[0]["text"]]
            ).fetchall()
        else:
            con.execute("delete from settings where key = 'timeliness.as_of'").fetchall()
    due = {u["unit_id"]: u for u in units}
    current = [f for f in current if f["unit_id"] in due]
    deadline, warning = cfg.calendar.add_workdays(closed_on, cfg.working_days)

    prev = _previous(con, k)
    prev_findings: dict[str, dict[str, Any]] = {}
    prev_units: dict[str, dict[str, Any]] = {}
    prev_at: datetime | None = None
    if prev:
        then = _rows(con, "select * from rounds where round = ? and revision = ?", list(prev))[0]
        # A round on another report year starts afresh: last year's findings do not carry over.
        prev = prev if int(then["report_year"]) == year else None
        prev_at = then["closed_at"] if prev else None
    if prev:
        prev_findings = {
            f["fingerprint"]: f
            for f in _rows(con, "select * from round_findings where round = ? and revision = ?", list(prev))
        }
        prev_units = {
            u["unit_id"]: u
            for u in _rows(con, "select * from round_units where round = ? and revision = ?", list(prev))
        }

    rows: list[dict[str, Any]] = []
    dismissed_by_unit: dict[str, int] = {}
    for f in current:
        review = reviews.get(f["fingerprint"], {})
        decision = review.get("decision")
        before = prev_findings.get(f["fingerprint"])
        was_open = before is not None and before["status"] in OPEN
        row = {**f, "review": review.get("decision_zh"), "how": None}
        if decision in ("dismiss", "rectify"):
            if decision == "dismiss":
                dismissed_by_unit[f["unit_id"]] = dismissed_by_unit.get(f["unit_id"], 0) + 1
            if prev_at is not None and review["decided_at"] <= prev_at:
                continue  # decided before the previous round, which reported it: not open, not news
            row.update(
                status="已驳回" if decision == "dismiss" else "已整改",
                how="manual" if decision == "rectify" else None,
                first_round=before["first_round"] if was_open and before else k,
                deadline=before["deadline"] if was_open and before else None,
                deadline_warning=None,
            )
            rows.append(row)
            continue
        if was_open and before is not None:
            due_day, due_warn = before["deadline"], before["deadline_warning"]
            first = int(before["first_round"])
        else:
            due_day, due_warn, first = deadline, warning, k
        ext = review.get("extended_deadline")
        if ext is not None and ext > due_day:
            due_day, due_warn = ext, None
        late = "逾期未整改" if closed_on > due_day else "仍未整改"
        status = "新发现" if first == k else late
        row.update(status=status, first_round=first, deadline=due_day, deadline_warning=due_warn)
        rows.append(row)

    still = {f["fingerprint"] for f in current}
    for fp, before in prev_findings.items():
        if before["status"] not in OPEN or fp in still:
            continue
        review = reviews.get(fp, {})
        unit_then = prev_units.get(before["unit_id"] or "", {})
        unit_now = due.get(before["unit_id"] or "")
        row = {c: before[c] for c in FINDING_COLS.split(", ")}
        row.update(first_round=before["first_round"], deadline=before["deadline"], deadline_warning=None)
        row["review"] = review.get("decision_zh")
        if review.get("decision") == "rectify":
            row.update(status="已整改", how="manual")
        elif review.get("decision") == "dismiss":
            row.update(status="已驳回", how=None)
        elif unit_now is not None and unit_now.get("report_id") != unit_then.get("report_id"):
            # The unit published (another version of) its report since: its own action.
            row.update(status="已整改", how="new_version", report_id=unit_now.get("report_id"))
        else:
            # Same report, finding gone: a reparse or a rule change, not the unit's doing.
            row.update(status="不再适用", how="unchanged_report")
        rows.append(row)

    open_by_unit: dict[str, int] = {}
    for r in rows:
        if r["status"] in OPEN:
            open_by_unit[r["unit_id"]] = open_by_unit.get(r["unit_id"], 0) + 1

    unit_rows = []
    for uid, u in due.items():
        failing = u["verdict"] == "不合格"
        before = prev_units.get(uid)
        was_failing = before is not None and before["verdict"] == "不合格"
        streak = (int(before["streak"]) + 1 if was_failing and before else 1) if failing else 0
        escalated = failing and streak >= cfg.consecutive
        if not failing:
            status = "恢复合格" if was_failing else "合格"
        elif escalated:
            status = "连续N期不合格"
        else:
            status = "仍不合格" if was_failing else "新不合格"
        unit_rows.append(
            [
                k,
                revision,
                uid,
                u["unit_name"],
                u["district"],
                u["kind"],
                u["report_id"],
                u["status"],
                u["score"],
                u["verdict"],
                int(u["vetoes"] or 0),
                open_by_unit.get(uid, 0),
                dismissed_by_unit.get(uid, 0),
                status,
                streak,
                escalated,
            ]
        )

    con.execute(
        "insert into rounds values (?, ?, ?, ?, ?, ?, ?, ?)",
        [k, revision, closed_on, year, at or datetime.now(), actor, deadline, warning],
    ).fetchall()
    _insert(con, "round_units", unit_rows)
    _insert(
        con,
        "round_findings",
        [
            [
                k,
                revision,
                r["fingerprint"],
                r["unit_id"],
                r["district"],
                r["year"],
                r["report_id"],
                r["rule_id"],
                r["rule_title"],
                r["category"],
                r["severity"],
                r["location"],
                r["message"],
                r["status"],
                r["how"],
                r["first_round"],
                r["deadline"],
                r["deadline_warning"],
                r["review"],
            ]
            for r in rows
        ],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[Any]], chunk: int = 200) -> None:
    if not rows:
        return
    one = "(" + ", ".join(["?"] * len(rows[0])) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        con.execute(
            f"insert into {table} values " + ", ".join([one] * len(part)), [v for r in part for v in r]
        ).fetchall()


def list_rounds(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every closed round (latest revision), oldest first, with its counts."""
    return _rows(con, "select * from round_summary order by round")


LIST_KEYS = (
    "round",
    "closed_on",
    "report_year",
    "units_due",
    "pass_rate",
    "new",
    "open",
    "rectified",
    "overdue",
    "not_applicable",
    "escalated",
)


@dataclass
class RoundView:
    """One round: its summary, units and findings, and the previous round's summary."""

    summary: dict[str, Any]
    units: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    previous: dict[str, Any] | None
    revisions: list[dict[str, Any]]

    @property
    def number(self) -> int:
        """The round number."""
        return int(self.summary["round"])


def show_round(con: duckdb.DuckDBPyConnection, k: int | None = None) -> RoundView:
    """Round k (latest revision; default: the newest closed round)."""
    summaries = list_rounds(con)
    if not summaries:
        raise RoundError("还没有已关闭的检查期：先运行 `nianbao round close`")
    if k is None:
        k = int(summaries[-1]["round"])
    by_round = {int(s["round"]): s for s in summaries}
    if k not in by_round:
        raise RoundError(f"第{k}期尚未关闭")
    s = by_round[k]
    rev = int(s["revision"])
    earlier = [r for r in by_round if r < k]
    units = _rows(
        con,
        "select * from round_units where round = ? and revision = ? "
        "order by verdict desc, score nulls first, district, unit_id",
        [k, rev],
    )
    findings = _rows(con, "select * from round_findings where round = ? and revision = ?", [k, rev])
    findings.sort(
        key=lambda f: (
            FINDING_STATES.index(f["status"]),
            f["district"] or "",
            f["unit_id"] or "",
            SEVERITY_ORDER.get(f["severity"], 9),
            f["rule_id"],
            f["location"] or "",
        )
    )
    revisions = _rows(
        con, "select revision, closed_at, actor from rounds where round = ? order by revision", [k]
    )
    return RoundView(s, units, findings, by_round[max(earlier)] if earlier else None, revisions)


def summary_json(row: dict[str, Any]) -> dict[str, Any]:
    """A round_summary row as `round list --json` prints it."""
    out = {key: row[key] for key in LIST_KEYS}
    out["closed_on"] = row["closed_on"].isoformat()
    out["pass_rate"] = None if row["pass_rate"] is None else float(row["pass_rate"])
    for key in (
        "round",
        "report_year",
        "units_due",
        "new",
        "open",
        "rectified",
        "overdue",
        "not_applicable",
        "escalated",
    ):
        out[key] = int(out[key])
    return out
