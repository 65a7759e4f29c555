"""The DuckDB store: schema and views from queries/, raw files by hash, one transaction per ingest."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import random
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from nianbao import cursors, paths, units
from nianbao.limits import limit
from nianbao.model import Report
from nianbao.parser_version import PARSER_VERSION
from nianbao.recognize.sanity import tame_numbers
from nianbao.units import Unit, resolve

log = logging.getLogger("nianbao.store")

QUERIES = Path(__file__).resolve().parent.parent / "queries"
DEFAULT_DB = paths.DEFAULT_DB


def view_names() -> list[str]:
    """The views, in the order they must be created (queries/ORDER)."""
    order = (QUERIES / "ORDER").read_text(encoding="utf-8").split()
    return [name for name in order if not name.startswith("#")]


class StoreError(Exception):
    """The store cannot be used for this operation; carries a Chinese and an English message."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def __str__(self) -> str:
        return f"{self.en} ({self.zh})"


class StoreBusy(StoreError):
    """Another program (or thread) kept the store locked for longer than the busy timeout."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(
            "数据库正忙，请稍后重试。",
            f"store is busy: another program is using {path}; try again later",
        )


class StoreCorrupt(StoreError):
    """The file is not a readable DuckDB store (damaged, truncated or something else)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(
            "数据库文件已损坏或不是本工具的数据库，无法打开。请从备份恢复，或换一个新的数据库路径。",
            f"the store {path} is damaged or not a nianbao store: restore it from a backup or use a new path",
        )


_BUSY = ("could not set lock", "conflicting lock", "different configuration")
_CORRUPT = ("not a valid duckdb database", "could not read enough bytes", "corrupt", "checksum")


def _classify(exc: BaseException) -> str:
    """busy | corrupt | other, from a DuckDB error raised while opening or first reading a store."""
    text = str(exc).lower()
    if any(m in text for m in _BUSY):
        return "busy"
    if any(m in text for m in _CORRUPT) or isinstance(
        exc, duckdb.SerializationException | duckdb.InternalException
    ):
        return "corrupt"
    return "other"


def busy_timeout() -> float:
    """Seconds a lock conflict is retried before StoreBusy (limits.toml [store] busy_timeout)."""
    return limit("store", "busy_timeout")


def queue_timeout() -> float:
    """Seconds a thread waits behind its own process's other users of the store (limits.toml [store] queue_timeout)."""
    return limit("store", "queue_timeout")


def _open(path: Path, read_only: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, with lock conflicts retried (jittered backoff) until the timeout."""
    wait = busy_timeout() if timeout is None else timeout
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            _tune(con)
            return con
        except duckdb.Error as exc:
            kind = _classify(exc)
            if kind == "corrupt":
                raise StoreCorrupt(path) from exc
            if kind != "busy":
                raise StoreError(
                    "无法打开数据库文件：" + str(exc), f"cannot open the store {path}: {exc}"
                ) from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreBusy(path) from exc
            # Short sleeps: a dashboard's reads leave gaps of ~0.1 s that a waiting writer must catch.
            time.sleep(min(left, delay * (0.5 + random.random())))
            delay = min(delay * 2, 0.1)


def _tune(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's memory cap and threads, from limits.toml [duckdb] (both apply to the whole database)."""
    con.execute(f"set memory_limit = '{limit('duckdb', 'memory_limit_mb'):.0f}MB'")
    con.execute(f"set threads = {max(1, int(limit('duckdb', 'threads')))}")


def connect(
    db: str | Path, read_only: bool = False, *, timeout: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open a store for one operation: read-only, or read-write (creating or migrating it).

    Writes nothing when the schema is current and no report is stale, so a read-only open works
    on a full or read-only disk. A read-only open of a store whose checks changed upgrades it first
    through a short read-write open (when that cannot be had, it reads the store as it is).
    Lock conflicts are retried up to `timeout` seconds (default busy_timeout()), then StoreBusy.
    """
    path = Path(db)
    if read_only and not path.is_file():
        raise StoreError(f"找不到数据库：{path}", f"no store at {path}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only, timeout)
    try:
        current = _stored_version(con) == checks_version()
        if not read_only:
            _RECHECKED[path.resolve()] = install_schema(con)
            if con.execute("select count(*) from documents where stored_path like '/%'").fetchall()[0][0]:
                relative_paths(con, path)  # a store from before stored paths were relative
            return con
        if current:
            # Read-only, the store cannot change while it is open (DuckDB lets no process write it
            # meanwhile): whether the stored scorecards fit it holds until it closes.
            if scorecards_fresh(con):
                cursors.mark_fresh(con)
            return con
    except duckdb.Error as exc:
        con.close()
        if _classify(exc) == "corrupt":
            raise StoreCorrupt(path) from exc
        raise
    con.close()
    wait = busy_timeout() if timeout is None else timeout
    # Failing that (other readers, a read-only disk), read with the checks the store was built with.
    with suppress(StoreError, duckdb.Error, OSError):
        connect(path, timeout=min(wait, 2.0)).close()
    return _open(path, True, timeout)


_RECHECKED: dict[Path, int] = {}


def rechecked_on_open(db: str | Path) -> int:
    """How many reports the last read-write open of this store (in this process) rechecked."""
    return _RECHECKED.get(Path(db).resolve(), 0)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises.

    A failed commit has already rolled back; the rollback's own error ("no transaction is
    active") must not hide the first one.
    """
    con.execute("begin transaction").fetchall()
    try:
        yield
        con.execute("commit").fetchall()
    except BaseException:
        with suppress(duckdb.Error):
            con.execute("rollback").fetchall()
        raise


class _Shared:
    """One process's use of one store file: readers share one connection, one writer at a time.

    DuckDB lets one process read and write a file, or several processes read it, never both: so
    the connection is opened for an operation and closed when the last user leaves, read-only
    unless someone writes. A waiting writer goes before new readers; a read-only connection kept
    busy for over `HOLD` seconds is let go for `GAP` seconds so other processes can write.
    """

    HOLD = 1.0
    GAP = 0.15

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cond = threading.Condition()
        self.writer = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.mode = ""
        self.users = 0
        self.writers_waiting = 0
        self.writes_done = 0
        self.opened_at = 0.0
        # Read once at open, under the condition: the shared connection itself takes no query from
        # the threads (DuckDB refuses a connection busy with another thread's call).
        self.scorecards_fresh = False
        self.not_before = 0.0
        self.local = threading.local()

    def _depth(self) -> int:
        return int(getattr(self.local, "depth", 0))

    def _wait(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise StoreBusy(self.path)
        self.cond.wait(min(left, 0.05))

    def acquire(self, write: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
        # Waiting for this process's own readers and writer is a queue, not a conflict with another
        # program: it is bounded by queue_timeout (a hang is still impossible), while opening the
        # file against another process is bounded by busy_timeout.
        wait = busy_timeout() if timeout is None else timeout
        deadline = time.monotonic() + max(wait, queue_timeout() if timeout is None else wait)
        with self.cond:
            if self._depth() and (not write or self.mode == "w"):
                assert self.con is not None  # this thread is already inside an operation
                self.users += 1
                self.local.depth = self._depth() + 1
                return self.con
            if self._depth():
                raise RuntimeError("a write inside a read of the same store in one thread")
            if write:
                self.writers_waiting += 1
            try:
                while True:
                    now = time.monotonic()
                    if write:
                        ready = self.con is None or self.mode == "w"
                    elif self.con is not None:
                        overdue = self.mode == "r" and now - self.opened_at > self.HOLD
                        ready = self.mode == "w" or not (self.writers_waiting or overdue)
                    else:
                        ready = now >= self.not_before and not self.writers_waiting
                    if ready:
                        break
                    self._wait(deadline)
                if self.con is None:
                    self.con = connect(self.path, read_only=not write, timeout=wait)
                    self.mode = "w" if write else "r"
                    self.opened_at = time.monotonic()
                    self.scorecards_fresh = not write and cursors.is_fresh(self.con)
                self.users += 1
                self.local.depth = 1
                if (
                    self.mode == "r"
                    and getattr(self.local, "keep", False)
                    and not getattr(self.local, "kept", False)
                ):
                    self.users += 1  # the page run's own hold: kept until keeping() ends
                    self.local.depth = 2
                    self.local.kept = True
                return self.con
            finally:
                if write:
                    self.writers_waiting -= 1

    def _let_go(self) -> None:
        """Give back this thread's kept read (the caller holds the condition)."""
        self.local.kept = False
        self.users -= 1
        self.local.depth = self._depth() - 1
        self._close_if_unused()

    def keep(self) -> None:
        """From now on this thread's first read keeps the store open until `unkeep`."""
        self.local.keep = True

    def let_go_kept(self) -> None:
        """Before this thread queues to write: give back its kept read, so that a writer ahead of
        it in the line, waiting for the readers to leave, is not kept waiting on it."""
        with self.cond:
            if getattr(self.local, "kept", False) and self._depth() == 1:
                self._let_go()
            self.cond.notify_all()

    def unkeep(self) -> None:
        with self.cond:
            self.local.keep = False
            if getattr(self.local, "kept", False):
                self._let_go()
            self.cond.notify_all()

    def release(self) -> None:
        with self.cond:
            self.users -= 1
            self.local.depth = self._depth() - 1
            self._close_if_unused()
            self.cond.notify_all()

    def _close_if_unused(self) -> None:
        if self.users == 0 and self.con is not None:
            if self.mode == "r" and time.monotonic() - self.opened_at > self.HOLD:
                self.not_before = time.monotonic() + self.GAP
            self.con.close()
            self.con = None
            self.mode = ""


_SHARED: dict[Path, _Shared] = {}
_SHARED_LOCK = threading.Lock()


def _shared(db: str | Path) -> _Shared:
    path = Path(db).resolve()
    with _SHARED_LOCK:
        if path not in _SHARED:
            _SHARED[path] = _Shared(path)
        return _SHARED[path]


@contextmanager
def _cursor(shared: _Shared, write: bool, timeout: float | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the process's shared connection, held for one operation."""
    con = shared.acquire(write, timeout)
    try:
        cur = con.cursor()
        try:
            if shared.mode == "r" and shared.scorecards_fresh:
                cursors.mark_fresh(cur)  # reads the stored scorecards, as the connection may
            yield cur
        finally:
            cur.close()
    finally:
        shared.release()


@contextmanager
def reading(db: str | Path, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one operation's reads (read-only, unless this process is writing right now)."""
    with _cursor(_shared(db), False, timeout) as cur:
        yield cur


@contextmanager
def keeping(db: str | Path) -> Iterator[None]:
    """One page run's reads share one open of the store: the first read opens it, read-only, and it
    stays open until the block ends (a write in the block closes it first). Nothing is opened when
    every read is answered from a cache."""
    shared = _shared(db)
    shared.keep()
    try:
        yield
    finally:
        shared.unkeep()


@contextmanager
def writing(db: str | Path, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for one write operation (e.g. one ingest): the process's only writer meanwhile."""
    shared = _shared(db)
    shared.let_go_kept()
    wait = busy_timeout() if timeout is None else timeout
    # Waiting in line behind this process's other writers is not a conflict with another program:
    # the line may take queue_timeout, counted from the last write that finished.
    line = max(wait, queue_timeout()) if timeout is None else wait
    deadline = time.monotonic() + line
    seen = shared.writes_done
    while not shared.writer.acquire(timeout=max(0.0, min(0.25, deadline - time.monotonic()))):
        if shared.writes_done != seen:
            seen = shared.writes_done
            deadline = time.monotonic() + line
        elif time.monotonic() >= deadline:
            raise StoreBusy(db)
    try:
        with _cursor(shared, True, wait) as cur:
            yield cur
    finally:
        shared.writes_done += 1
        shared.writer.release()


DERIVED_TABLES = ("finding_store", "score_store")  # rebuilt from the views: never edited by hand
SCORECARD_TABLE = "scorecard_store"  # unit_scorecards without the day, rewritten by every refresh
PEER_TABLES = ("peer_levels", "peer_reports")  # PL-3's store-wide peer levels, kept by the refresh
# A refresh's scratch tables (queries/schema.sql): empty outside its transaction; rebuilt with the schema.
SCRATCH_TABLES = (
    "peer_level_work",
    "identity_check_scratch",
    *(f"scratch_{t}" for t in ("reports", "cells", "sections", "facts", "parse_notes", "tables_found")),
    "scratch_report_meta",  # queries/refresh_views.sql: created with the views, from report_meta
)
REFRESH_SCHEMA = "refresh_views"  # the views a refresh reads, bound to its scratch tables
REFRESH_ROOTS = ("identity_checks", "live_findings", "live_scores")  # what queries/refresh.sql reads there


def _refresh_view_names() -> list[str]:
    """The views queries/refresh.sql reads in REFRESH_SCHEMA and every view they use, in the order
    of queries/ORDER, less those queries/refresh_views.sql defines there as scratch tables."""
    import re

    names = view_names()
    text = {name: _script(f"{name}.sql") for name in names}
    defined = set(re.findall(rf"view {REFRESH_SCHEMA}\.(\w+)", _script("refresh_views.sql")))
    wanted, todo = set(), list(REFRESH_ROOTS)
    while todo:
        name = todo.pop()
        if name in wanted or name in defined:
            continue
        wanted.add(name)
        todo += [other for other in names if other != name and re.search(rf"\b{other}\b", text[name])]
    return [name for name in names if name in wanted]


def _script(name: str) -> str:
    """The text of a file in queries/."""
    return (QUERIES / name).read_text(encoding="utf-8")


def install_refresh_views(
    con: duckdb.DuckDBPyConnection, catalog: str, passthrough: Sequence[str] = ()
) -> None:
    """The refresh's schema in `catalog` (queries/refresh_views.sql), and in it every view the
    refresh reads, created again so that their names resolve to the schema's scratch sources first.
    `passthrough` names tables of `catalog`.main to show in the schema as they are (where the search
    path would otherwise find another table of that name first). Needs the main schema's views;
    leaves `catalog`.main the default schema."""
    con.execute(f'drop schema if exists "{catalog}".{REFRESH_SCHEMA} cascade').fetchall()
    con.execute(f'use "{catalog}".main').fetchall()
    con.execute(_script("refresh_views.sql")).fetchall()
    con.execute(f'use "{catalog}".{REFRESH_SCHEMA}').fetchall()
    try:
        for table in passthrough:
            con.execute(f"create view {table} as select * from main.{table}").fetchall()
        for name in _refresh_view_names():
            con.execute(_script(f"{name}.sql")).fetchall()
    finally:
        con.execute(f'use "{catalog}".main').fetchall()


CHECKS_KEY = "checks_version"
UNITS_KEY = "units_version"  # the units file and resolution the stored reports' units were resolved with


def checks_version() -> str:
    """A hash of everything the stored findings and scores are computed from: every file in queries/
    and the package's data files (rule catalog, scoring settings, templates, units)."""
    from importlib import resources

    h = hashlib.sha256()
    files = sorted(QUERIES.glob("*.sql")) + [QUERIES / "ORDER"]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    package = resources.files("nianbao")
    for name in ("rules.toml", "scoring.toml"):
        h.update(name.encode() + b"\0" + package.joinpath(name).read_bytes() + b"\0")
    h.update(b"units\0" + units.units_digest().encode() + b"\0")
    for path in sorted((Path(__file__).resolve().parent / "templates").glob("*.toml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def install_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Bring a store's schema, catalog and stored findings up to date; returns how many reports were rechecked.

    When the checks are current (store_meta's checks_version, see `checks_version`) nothing is
    written unless some reports are stale. Otherwise, in one transaction: the tables, the rule
    catalog and settings, every view in order, and the stored findings and scores rebuilt. When
    recomputing the reports fails, the failure is logged and the views alone are installed, leaving
    the reports stale (computed live, retried on the next open): one bad report never keeps the
    store from opening.
    """
    from nianbao import catalog

    version = checks_version()
    units_now = units.units_digest()
    if (
        _stored_version(con) == version
        and _stored_version(con, UNITS_KEY) == units_now
        and not _stale_count(con)
    ):
        return 0  # current: nothing to write

    def rebuild() -> None:
        schema = (QUERIES / "schema.sql").read_text(encoding="utf-8")
        con.execute(schema).fetchall()
        catalog.load(con)
        for table in (*DERIVED_TABLES, *PEER_TABLES, *SCRATCH_TABLES, SCORECARD_TABLE):
            con.execute(f"drop table if exists {table}").fetchall()
        con.execute(schema).fetchall()
        for name in view_names():
            con.execute(_script(f"{name}.sql")).fetchall()
        install_refresh_views(con, _catalog(con))
        _set_version(con, version)

    def migrate_units() -> None:
        if _stored_version(con, UNITS_KEY) != units_now:
            # the units file or resolution changed: reports may belong to other units now
            units.migrate(con)
            _set_version(con, units_now, UNITS_KEY)

    changed = _stored_version(con) != version
    try:
        with transaction(con):
            if changed:
                rebuild()
            migrate_units()
            n = _stale_count(con)
            _refresh(con)
        return n
    except duckdb.Error as exc:
        if _classify(exc) == "corrupt":
            raise
        log.warning("could not recompute the stale reports: %s", exc)
    if changed:  # the views at least, so that the store opens; its reports stay stale
        with transaction(con):
            rebuild()
    return 0


def scorecards_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether scorecard_store holds what scorecard_rows gives on the store as it is now."""
    try:
        found = con.execute(
            "select (select value from store_meta where key = 'scorecards') = (select fingerprint from scorecard_inputs)"
        ).fetchall()
    except duckdb.Error:
        return False  # a store from before the table, read with its own checks: computed live
    return bool(found[0][0])


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("select current_database()").fetchall()[0][0])


def _stale_count(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("select count(*) from stale_reports").fetchall()[0][0])


def _stored_version(con: duckdb.DuckDBPyConnection, key: str = CHECKS_KEY) -> str | None:
    try:
        rows = con.execute("select value from store_meta where key = ?", [key]).fetchall()
    except duckdb.CatalogException:
        return None  # a new store
    return str(rows[0][0]) if rows else None


def _set_version(con: duckdb.DuckDBPyConnection, version: str, key: str = CHECKS_KEY) -> None:
    con.execute("insert or replace into store_meta values (?, ?)", [key, version]).fetchall()


def _refresh(con: duckdb.DuckDBPyConnection, everything: bool = False) -> None:
    """Recompute the stored findings and scores of the stale reports (in the caller's transaction)."""
    if everything:
        for table in (*DERIVED_TABLES, *PEER_TABLES):
            con.execute(f"delete from {table}").fetchall()
    if con.execute("select count(*) from stale_reports").fetchall()[0][0]:
        run_refresh(con)
    # Always: a change of units or settings alters the scorecards with no report stale.
    for statement in _statements("refresh_scorecards.sql"):
        con.execute(statement).fetchall()


INCLUDE = "-- include "


def _statements(script: str) -> list[str]:
    """The statements of a refresh script in queries/, one at a time (so that each can be profiled)."""
    lines: list[str] = []
    for line in (QUERIES / script).read_text(encoding="utf-8").splitlines():
        if line.startswith(INCLUDE):  # a part two scripts share, written once
            lines += (QUERIES / line[len(INCLUDE) :].strip()).read_text(encoding="utf-8").splitlines()
        else:
            lines.append(line)
    text = "\n".join(line for line in lines if not line.lstrip().startswith("--"))
    return [part.strip() for part in text.split(";") if part.strip()]


# Variables the refresh scripts bind; left set, they would scope the next query's views.
_REFRESH_VARIABLES = ("scope_ids", "refresh_ids", "live_ids")


def run_refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Run the refresh scripts on `con` for the stale reports, `refresh.chunk_reports` reports at a
    time, so that a refresh of the whole store holds one chunk's rows at a time: first PL-3's peer
    levels of the groups they touch (queries/refresh_levels.sql, which adds the peers whose PL-3
    findings may change), then the findings and scores (queries/refresh.sql). The levels are worked
    in passes of whole peer groups (_level_passes); the findings in chunks of reports ordered by unit
    and year, so that a chunk holds most of the previous years its cross-year rules read. The caller
    owns the transaction (the instant check runs it on its pending tables)."""
    chunk = max(1, int(limit("refresh", "chunk_reports")))
    try:
        con.execute("set variable refresh_ids = (select coalesce(list(report_id), []) from stale_reports)")
        stale = list(con.execute("select getvariable('refresh_ids')").fetchall()[0][0] or [])
        grown: dict[str, None] = {}  # the stale reports and their peers, once each
        for part in _level_passes(con, stale, chunk):
            con.execute("set variable refresh_ids = ?", [part])
            for statement in _statements("refresh_levels.sql"):
                con.execute(statement).fetchall()
            grown.update(
                dict.fromkeys(con.execute("select getvariable('refresh_ids')").fetchall()[0][0] or [])
            )
        ids = list(grown)
        if len(ids) > chunk:
            ids = _by_unit_year(con, ids)
        for start in range(0, len(ids), chunk):
            con.execute("set variable refresh_ids = ?", [ids[start : start + chunk]])
            for statement in _statements("refresh.sql"):
                con.execute(statement).fetchall()
    finally:
        for name in _REFRESH_VARIABLES:
            with suppress(duckdb.Error):
                con.execute(f"reset variable {name}")


def _level_passes(con: duckdb.DuckDBPyConnection, ids: list[str], chunk: int) -> list[list[str]]:
    """The stale reports in passes for the peer levels, in peer-group order. A pass rereads every
    stored member of each peer group it touches (a group of a 100,000-report store holds ~1,500
    reports with ~150 counts each), so each holds about `chunk` reports, counting the touched
    groups' stored members with the reports refreshed: a batch of new reports in many groups is
    worked a few groups at a time, in bounded memory. One group is never split (its members are
    read whole anyway). Any split gives the same levels (queries/peer_level_changes.sql)."""
    if len(ids) <= 1:
        return [ids] if ids else []
    rows = con.execute(
        """
        with wanted as (
            -- the peer group as queries/peer_cells.sql has it (report_meta's kind)
            select i.report_id, coalesce(u.kind, o.kind, 'other') as kind, r.year, r.template
            from (select unnest(?::varchar[]) as report_id) as i
            left join reports as r on r.report_id = i.report_id
            left join units as u on u.unit_id = r.unit_id
            left join outside_reports as o on o.report_id = i.report_id
        ),
        stored as (
            select kind, year, template, count(*) as members from peer_reports group by all
        )
        select w.report_id, w.kind, w.year, w.template, coalesce(s.members, 0)
        from wanted as w
        left join stored as s
            on s.kind = w.kind and s.year is not distinct from w.year and s.template is not distinct from w.template
        order by w.kind, w.year, w.template, w.report_id
        """,
        [ids],
    ).fetchall()
    passes: list[list[str]] = [[]]
    weight = 0
    group: tuple[Any, ...] | None = None
    for report_id, kind, year, template, members in rows:
        if (kind, year, template) != group:
            group = (kind, year, template)
            if passes[-1] and weight + members + 1 > chunk:
                passes.append([])
                weight = 0
            weight += int(members)
        elif len(passes[-1]) >= chunk:  # a group of more than a chunk's new reports (a whole store)
            passes.append([])
            weight = 0
        passes[-1].append(str(report_id))
        weight += 1
    return passes


def _by_unit_year(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]:
    """The reports ordered by unit and year."""
    return [
        str(r[0])
        for r in con.execute(
            """
            select i.report_id
            from (select unnest(?::varchar[]) as report_id) as i
            left join reports as r on r.report_id = i.report_id
            order by r.unit_id, r.year, i.report_id
            """,
            [ids],
        ).fetchall()
    ]


def refresh(con: duckdb.DuckDBPyConnection, everything: bool = False) -> int:
    """Bring the stored findings and scores up to date, in one transaction: for the reports that
    changed (and those that depend on them), or for every report. Returns how many were recomputed."""
    with transaction(con):
        which = "reports" if everything else "stale_reports"
        n = int(con.execute(f"select count(*) from {which}").fetchall()[0][0])
        _refresh(con, everything)
    return n


def settings_changed(con: duckdb.DuckDBPyConnection) -> None:
    """After a setting was changed in the store: recompute everything, and make the next
    `install_schema` (which reloads the settings from scoring.toml) recompute it again."""
    refresh(con, everything=True)
    con.execute(
        "insert or replace into store_meta values (?, ?)", [CHECKS_KEY, "changed settings"]
    ).fetchall()


def clear_reports(con: duckdb.DuckDBPyConnection) -> None:
    """Delete every stored report, with its findings and scores, in one transaction (scratch stores)."""
    with transaction(con):
        for table in (*REPORT_TABLES, *DERIVED_TABLES, *PEER_TABLES):
            con.execute(f"delete from {table}").fetchall()


REPORT_TABLES = (
    "cells",
    "sections",
    "facts",
    "parse_notes",
    "tables_found",
    "report_overrides",
    "reports",
    "documents",
    "units",
)


def raw_dir(db: str | Path) -> Path:
    """Where raw documents are kept: beside the database, by hash."""
    return data_dir(db) / "raw"


def data_dir(db: str | Path) -> Path:
    """The store's data directory: the folder holding the database file and its raw/."""
    return Path(db).resolve().parent


TEMP_PREFIX = ".incoming-"  # half-written raw files; fsck removes leftovers


class RawFileError(Exception):
    """A stored document's raw file is missing or does not hash to its sha256."""

    def __init__(self, sha: str, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.sha = sha
        self.path = path
        self.problem = problem  # "missing" | "corrupt"


def save_raw(db: str | Path, data: bytes, *, durable: bool = True) -> tuple[str, Path]:
    """Write the bytes under their sha256 (atomically and durably; an existing copy is kept).

    The temporary file is fsynced before the rename and the folder after it, so a crash or a
    full disk leaves either no file or the whole file under its name, never a torn one. Bulk
    loaders of generated files pass durable=False and call os.sync() once before committing rows
    (each fsync costs ~20 ms here: seconds for a demo store, minutes for a benchmark one).
    """
    sha = hashlib.sha256(data).hexdigest()
    target = raw_dir(db) / sha[:2] / sha
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                if durable:
                    os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if durable:
            _fsync_dir(target.parent)
    return sha, target


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def relative_raw(db: str | Path, path: Path) -> str:
    """How documents.stored_path names a raw file: relative to the data directory (raw/ab/abcd...),
    so a copied or restored store reads its own raw files."""
    return Path(path).resolve().relative_to(data_dir(db)).as_posix()


def raw_path(db: str | Path, sha: str, stored_path: str | None = None) -> Path:
    """Where a document's raw file is: its stored path resolved against the data directory (an
    absolute path from an old store is used when it still exists), else raw/<sha[:2]>/<sha>."""
    if stored_path:
        p = Path(stored_path)
        if not p.is_absolute():
            return data_dir(db) / p
        if p.is_file():
            return p
    return raw_dir(db) / sha[:2] / sha


def read_raw(db: str | Path, sha: str, stored_path: str | None = None) -> bytes:
    """A document's raw bytes, verified against its sha256 (RawFileError: missing or corrupt)."""
    path = raw_path(db, sha, stored_path)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise RawFileError(sha, path, "missing") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise RawFileError(sha, path, "corrupt")
    return data


def relative_paths(con: duckdb.DuckDBPyConnection, db: str | Path) -> int:
    """Migrate absolute documents.stored_path values under this store's raw/ to relative ones
    (stores written before paths were relative). Returns how many rows changed."""
    rows = con.execute("select sha256, stored_path from documents where stored_path like '/%'").fetchall()
    changes = []
    for sha, stored in rows:
        p = Path(str(stored))
        if p.name == sha and p.parent.name == sha[:2] and p.parent.parent.name == "raw":
            # the raw file of this store, wherever the store was when it was written
            changes.append([f"raw/{sha[:2]}/{sha}", sha])
    if changes:
        con.executemany("update documents set stored_path = ? where sha256 = ?", changes)
    return len(changes)


@dataclass
class Stored:
    """The outcome of one ingest."""

    report_id: str
    created: bool  # False when the same bytes were already stored
    version: int
    unit_id: str | None
    year: int | None


def ingest_report(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    data: bytes,
    report: Report,
    *,
    file_name: str | None,
    media_type: str,
    source: str = "upload",
    source_url: str | None = None,
    received_at: datetime | None = None,
    refresh: bool = True,
    overrides: dict[str, str] | None = None,
    outside: bool = False,
    actor: str | None = None,
) -> Stored:
    """Store one parsed document in a single transaction; idempotent by content hash.

    `outside`: the report's unit is not one of the city's (see nianbao.scope); it is kept in the
    `outside` scope (table outside_reports), its unit is not registered, and it never counts in the
    city's figures. Callers decide when that is allowed (`nianbao ingest --outside`).
    `actor`: who stored it; the `upload` event goes to the audit log in the same transaction.

    With `refresh` (the default) the same transaction recomputes the stored findings and scores of
    the new report and of the reports that depend on it. Bulk loaders pass refresh=False and call
    `refresh(con)` once at the end (a later `connect` also catches up on anything left stale).
    `overrides`: the fields (unit, year, published) that were given rather than read from the file;
    a reparse keeps them.
    """
    item = Incoming(
        data, report, file_name, media_type, source, source_url, received_at, overrides, outside, actor
    )
    saved = [save_raw(db, data)]
    with transaction(con):
        (stored,) = _add_reports(con, db, [item], saved)
        if isinstance(stored, DeletedReport):
            raise stored
        if stored.created and refresh:
            _refresh(con)  # a failure here rolls the whole ingest back: stored with scores, or not at all
    return stored


@dataclass
class Incoming:
    """One parsed file for `ingest_reports`, with what `ingest_report` takes besides the connection."""

    data: bytes
    report: Report
    file_name: str | None
    media_type: str
    source: str = "upload"
    source_url: str | None = None
    received_at: datetime | None = None
    overrides: dict[str, str] | None = None
    outside: bool = False
    actor: str | None = None


def ingest_reports(
    con: duckdb.DuckDBPyConnection, db: str | Path, batch: list[Incoming]
) -> list[Stored | DeletedReport]:
    """Store several parsed files in one transaction with one refresh for all of them (a batch
    `nianbao ingest`): the whole batch is stored with its scores, or none of it. A file that was
    deleted is not stored; its DeletedReport takes its place in the result."""
    saved = [save_raw(db, item.data) for item in batch]
    with transaction(con):
        out = _add_reports(con, db, batch, saved)
        if any(isinstance(r, Stored) and r.created for r in out):
            _refresh(con)
    return out


def _add_reports(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    batch: list[Incoming],
    saved: list[tuple[str, Path]],
) -> list[Stored | DeletedReport]:
    """The files' rows, in the caller's transaction, without the refresh: one insert per table for
    the whole batch (a statement costs about a millisecond to plan, a file needs a dozen), and in
    the order the files came, as if each were stored on its own (a second copy of the same bytes is
    "already stored", versions of one unit and year count up)."""
    shas = [sha for sha, _ in saved]
    known: dict[str, Stored] = {
        str(r[0]): Stored(str(r[0]), False, int(r[1]), r[2], r[3])
        for r in con.execute(
            "select report_id, version, unit_id, year from reports where report_id in (select unnest(?::varchar[]))",
            [shas],
        ).fetchall()
    }
    deleted = {
        str(r[0])
        for r in con.execute(
            "select report_id from deleted_reports where report_id in (select unnest(?::varchar[]))", [shas]
        ).fetchall()
    }
    fresh: list[tuple[Incoming, str, Path, Unit | None]] = []
    out: list[Stored | DeletedReport | None] = []
    for item, (sha, path) in zip(batch, saved, strict=True):
        if sha in known:
            out.append(known[sha])
        elif sha in deleted:
            out.append(DeletedReport(sha))
        else:
            tame_numbers(item.report)  # in case the report was built or edited outside the recognizer
            unit = resolve(item.report.unit)
            # Stored now: a later copy of the same bytes in this batch is "already stored".
            known[sha] = Stored(sha, False, 0, unit.unit_id if unit else None, item.report.year)
            fresh.append((item, sha, path, unit))
            out.append(None)
    last = _last_versions(con, {(u.unit_id, i.report.year) for i, _, _, u in fresh if u is not None})
    for unit in {u.unit_id: u for i, _, _, u in fresh if u is not None and not i.outside}.values():
        units.upsert(con, unit)
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for item, sha, path, unit in fresh:
        report = item.report
        now = item.received_at or datetime.now()
        version = 1
        if unit is not None:
            version = last[(unit.unit_id, report.year)] = last.get((unit.unit_id, report.year), 0) + 1
        known[sha].version = version
        rows["documents"].append(
            [
                sha,
                item.file_name,
                item.media_type,
                len(item.data),
                item.source,
                item.source_url,
                relative_raw(db, path),
                now,
            ]
        )
        rows["reports"].append(report_row(sha, report, unit, version, now))
        for table, part in part_rows(sha, report).items():
            rows[table] += part
        rows["report_overrides"] += [[sha, k, str(v)] for k, v in sorted((item.overrides or {}).items())]
        if item.outside:
            rows["outside_reports"].append([sha, unit.kind if unit else "other", now])
        if item.actor:
            from nianbao import audit

            audit.record(
                con,
                actor=item.actor,
                action="upload",
                subject_kind="report",
                subject=sha,
                detail={
                    "unit": unit.unit_id if unit else report.unit,
                    "year": report.year,
                    "version": version,
                    "file": item.file_name,
                    "source": item.source,
                    "scope": "outside" if item.outside else "city",
                },
            )
    created = [sha for _, sha, _, _ in fresh]
    # leftovers of an earlier copy of the same bytes (scratch stores); an outside row is replaced
    gone = {table: created for table in DERIVED_TABLES}
    gone["outside_reports"] = [r[0] for r in rows.get("outside_reports", [])]
    for table, ids in gone.items():
        if ids:
            con.execute(
                f"delete from {table} where report_id in (select unnest(?::varchar[]))", [ids]
            ).fetchall()
    for table, table_rows in rows.items():
        _insert_many(con, table, table_rows)
    return [
        got if got is not None else Stored(sha, True, known[sha].version, known[sha].unit_id, known[sha].year)
        for got, (sha, _) in zip(out, saved, strict=True)
    ]


def _last_versions(
    con: duckdb.DuckDBPyConnection, keys: set[tuple[str, int | None]]
) -> dict[tuple[str, int | None], int]:
    """The highest version number stored (or deleted) for each (unit, year): numbers are never reused."""
    if not keys:
        return {}
    units_, years = zip(*sorted(keys, key=lambda k: (k[0], -1 if k[1] is None else k[1])), strict=True)
    rows = con.execute(
        """
        with wanted as (select unnest(?::varchar[]) as unit_id, unnest(?::integer[]) as year)
        select w.unit_id, w.year, coalesce(max(v.version), 0)
        from wanted as w
        left join (
            select unit_id, year, version from reports
            union all
            select unit_id, year, version from deleted_reports
        ) as v on v.unit_id = w.unit_id and v.year is not distinct from w.year
        group by all
        """,
        [list(units_), list(years)],
    ).fetchall()
    return {(str(u), y): int(v) for u, y, v in rows}


def report_row(sha: str, report: Report, unit: Unit | None, version: int, now: datetime) -> list[Any]:
    """The `reports` row of one parsed document, in column order."""
    return [
        sha,
        sha,
        unit.unit_id if unit else None,
        report.unit,
        report.year,
        report.template,
        report.title,
        _date(report.published),
        version,
        PARSER_VERSION,
        now,
    ]


class DeletedReport(Exception):
    """The document is stored but was deleted: restore it (`nianbao undelete`) instead."""

    def __init__(self, report_id: str) -> None:
        super().__init__(report_id)
        self.report_id = report_id


def next_version(con: duckdb.DuckDBPyConnection, unit_id: str | None, year: int | None) -> int:
    """The next version number of a unit's report for a year (deleted versions keep their number)."""
    if unit_id is None:
        return 1
    return 1 + _last_versions(con, {(unit_id, year)})[(unit_id, year)]


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _insert_many(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[list[Any]],
    *,
    or_ignore: bool = False,
) -> None:
    """Insert rows as one columnar batch: each column bound once as a typed list and unnested.

    Row by row (executemany) costs a round trip per row, and multi-row VALUES bind thousands of
    parameters; one list per column is a single bind of a few values. Each list is cast to its
    column's own type, so NULLs keep the column's type and text stays text (a cell's raw "1e20").
    """
    if not rows:
        return
    types = [str(d[1]) for d in con.execute(f"select * from {table} limit 0").description]
    if any(len(row) != len(types) for row in rows):
        raise ValueError(f"{table}: rows of {len(rows[0])} values for {len(types)} columns")
    columns = [list(col) for col in zip(*rows, strict=True)]
    picks = ", ".join(f"unnest(${i}::{t}[])" for i, t in enumerate(types, start=1))
    verb = "insert or ignore into" if or_ignore else "insert into"
    con.execute(f"{verb} {table} select {picks}", columns).fetchall()


insert_many = _insert_many


def part_rows(rid: str, report: Report) -> dict[str, list[list[Any]]]:
    """The rows one report adds to each table below `reports`, in column order."""
    return {
        "cells": [
            [rid, c.table, c.row, c.col, c.row_label, c.col_label, c.raw, c.value, c.unit, c.state]
            for c in report.cells
        ],
        "sections": [[rid, i, x.no, x.key, x.heading, x.text] for i, x in enumerate(report.sections)],
        "facts": [
            [
                rid,
                i,
                f.section,
                f.quantity,
                f.label,
                f.value,
                f.unit,
                f.sentence,
                f.position,
                f.role,
                f.qualifier,
            ]
            for i, f in enumerate(report.facts)
        ],
        "parse_notes": [[rid, i, n.code, n.message, n.table, n.row] for i, n in enumerate(report.notes)],
        "tables_found": [[rid, t] for t in report.tables_found],
    }


def _insert_parts(con: duckdb.DuckDBPyConnection, rid: str, report: Report) -> None:
    for table, rows in part_rows(rid, report).items():
        _insert_many(con, table, rows)


def copy_reports(
    src: duckdb.DuckDBPyConnection, dst: duckdb.DuckDBPyConnection, report_ids: list[str]
) -> None:
    """Copy stored reports, with their units and documents, from one store into another (e.g. a
    scratch store), in one transaction; rows already there are kept. Their findings and scores are
    computed by the next refresh of `dst` (they are new there)."""
    if not report_ids:
        return
    picks = {
        "units": "unit_id in (select unit_id from reports where report_id in ({ids}))",
        "documents": "sha256 in (select sha256 from reports where report_id in ({ids}))",
        **{
            t: "report_id in ({ids})"
            for t in (
                "reports",
                "cells",
                "sections",
                "facts",
                "parse_notes",
                "tables_found",
                "report_overrides",
            )
        },
    }
    marks = ", ".join("?" for _ in report_ids)
    rows: dict[str, list[list[Any]]] = {}
    for table, where in picks.items():
        cur = src.cursor()
        try:
            found = cur.execute(f"select * from {table} where {where.format(ids=marks)}", list(report_ids))
            rows[table] = [list(r) for r in found.fetchall()]
        finally:
            cur.close()
    with transaction(dst):
        for table, part in rows.items():
            _insert_many(dst, table, part, or_ignore=True)


def list_reports(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every stored report, newest year first."""
    cur = con.cursor()
    rel = cur.execute(
        """
        select r.report_id, r.unit_id, r.unit_name, u.district, u.kind, r.year, r.template, r.title,
               cast(r.published as varchar) as published, r.version, d.file_name, d.source, d.source_url
        from reports r
        left join units u using (unit_id)
        join documents d on d.sha256 = r.sha256
        order by r.year desc nulls last, u.district nulls last, r.unit_id, r.version
        """
    )
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]


def delete_report(
    con: duckdb.DuckDBPyConnection, report_id: str, *, actor: str, reason: str | None = None
) -> dict[str, Any]:
    """Hide one stored version (soft delete), in one transaction with its audit event: its row
    moves to `deleted_reports`, its findings and scores are recomputed away, the unit's previous
    version (if any) becomes current again. Cells, sections and the raw file are kept."""
    import json

    from nianbao import audit

    cur = con.cursor()
    try:
        rel = cur.execute("select * from reports where report_id = ?", [report_id])
        cols = [d[0] for d in rel.description]
        found = rel.fetchall()
        if not found:
            raise KeyError(report_id)
        row = dict(zip(cols, found[0], strict=True))
        with transaction(cur):
            cur.execute(
                "insert into deleted_reports values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    report_id,
                    row["unit_id"],
                    row["year"],
                    row["version"],
                    datetime.now(),
                    actor,
                    reason,
                    json.dumps(row, ensure_ascii=False, default=str),
                ],
            ).fetchall()
            cur.execute("delete from reports where report_id = ?", [report_id]).fetchall()
            _refresh(cur)
            audit.record(
                cur,
                actor=actor,
                action="delete",
                subject_kind="report",
                subject=report_id,
                reason=reason,
                detail={"unit": row["unit_id"], "year": row["year"], "version": row["version"]},
            )
    finally:
        cur.close()
    return row


def undelete_report(
    con: duckdb.DuckDBPyConnection, report_id: str, *, actor: str, reason: str | None = None
) -> dict[str, Any]:
    """Bring a soft-deleted version back, in one transaction with its audit event."""
    import json

    from nianbao import audit

    cur = con.cursor()
    try:
        found = cur.execute(
            "select row_json from deleted_reports where report_id = ?", [report_id]
        ).fetchall()
        if not found:
            raise KeyError(report_id)
        row: dict[str, Any] = json.loads(found[0][0])
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with transaction(cur):
            cur.execute(f"insert into reports ({names}) values ({marks})", list(row.values())).fetchall()
            cur.execute("delete from deleted_reports where report_id = ?", [report_id]).fetchall()
            _refresh(cur)
            audit.record(
                cur,
                actor=actor,
                action="restore",
                subject_kind="report",
                subject=report_id,
                reason=reason,
                detail={"unit": row.get("unit_id"), "year": row.get("year"), "version": row.get("version")},
            )
    finally:
        cur.close()
    return row


def deleted_reports(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The soft-deleted versions, newest deletion first."""
    cur = con.cursor()
    try:
        rel = cur.execute(
            "select report_id, unit_id, year, version, deleted_at, actor, reason from deleted_reports order by deleted_at desc"
        )
        cols = [d[0] for d in rel.description]
        return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
    finally:
        cur.close()
