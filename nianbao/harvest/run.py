"""One harvest: list pages -> report links -> detail pages and attachments -> the same ingest as uploads.

Incremental: conditional requests (ETag / Last-Modified) and content hashes skip unchanged pages; a
report whose extracted content (cells and sections) is already stored for its unit and year is not
stored again, so visit counters and page timestamps never make a new version.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb
import httpx

from nianbao import audit, store
from nianbao.errors import UnreadableReport
from nianbao.extract import sniff
from nianbao.harvest import links
from nianbao.harvest.fetch import AddressPolicy, Fetcher, FetchError, Resolver, system_resolver
from nianbao.harvest.sources import Source, SourcesFile, host_of
from nianbao.ingest import parse_bytes, store_parsed
from nianbao.model import Report
from nianbao.store import raw_dir, save_raw
from nianbao.units import Unit, resolve

# Chrome that changes on every visit and must not make a report look changed.
_VOLATILE = re.compile(
    r"(浏览|访问|点击|阅读)(次数|量|数)?\s*[:：]?\s*\d+\s*次?|"
    r"\d{1,2}:\d{2}(:\d{2})?|"
    r"(当前时间|今天是)\s*[:：]?\s*\S+"
)


@dataclass
class ColumnResult:
    """One monitored column as this harvest saw it."""

    url: str
    name: str | None
    type: str
    newest: date | None
    error: str | None = None


@dataclass
class SourceResult:
    """What one source's harvest found, for the summary and the store."""

    source: str
    unit_id: str | None
    found: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    requests: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    columns: list[ColumnResult] = field(default_factory=list)
    new_reports: list[str] = field(default_factory=list)

    @property
    def columns_ok(self) -> bool:
        """Some monitored column was read."""
        return any(c.error is None for c in self.columns)

    @property
    def ok(self) -> bool:
        """No failure at all."""
        return not self.failures

    def fail(self, url: str, reason: str) -> None:
        """Note a failure (a page or a file)."""
        self.failures.append((url, reason))


@dataclass
class RunResult:
    """A whole harvest."""

    run_id: int
    sources: list[SourceResult]

    @property
    def exit_code(self) -> int:
        """0 when every source went well, 1 when some failed."""
        return 0 if all(s.ok for s in self.sources) else 1


Progress = Callable[[int, int, str], None]  # (sources done, sources in all, what is happening)


def _no_progress(done: int, total: int, what: str) -> None:
    return None


class _Failure(Exception):
    """A file that was fetched but cannot become a report (reason in Chinese)."""


@dataclass
class _Page:
    body: bytes
    content_type: str
    changed: bool
    url: str


class Harvest:
    """One run over a sources file (or a part of it), writing provenance, items and observations.

    The store is opened for each short write only (the README's connection rules): never while a
    page is on its way, so the dashboard and the command line keep working during a long harvest.
    """

    def __init__(
        self,
        db: str | Path,
        sources: SourcesFile,
        *,
        actor: str,
        policy: AddressPolicy | None = None,
        resolver: Resolver = system_resolver,
        transport: httpx.BaseTransport | None = None,
        progress: Progress = _no_progress,
        today: date | None = None,
    ) -> None:
        self.db = db
        self.sources = sources
        self.actor = actor
        self.policy = policy or AddressPolicy()
        self.resolver = resolver
        self.transport = transport
        self.progress = progress
        self.today = today or date.today()
        self._shared: dict[str, dict[str, object]] = {}
        self.run_id = 0
        # Gathered between writes (the store is closed while pages are fetched).
        self._cache: dict[str, tuple[str | None, str | None, str, str | None]] = {}
        self._before: dict[str, list[tuple[str, str]]] = {}
        self._fetches: list[list[Any]] = []
        self._cache_rows: list[list[Any]] = []
        self._observations: list[list[Any]] = []

    @contextmanager
    def _store(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with store.writing(self.db) as con:
            yield con

    # -- the run -------------------------------------------------------------------------------

    def run(self, only_unit: str | None = None) -> RunResult:
        """Harvest every source (or those of one unit); returns the per-source results."""
        chosen = [s for s in self.sources.sources if only_unit is None or _same_unit(s.unit, only_unit)]
        with self._store() as con:
            self.run_id = int(
                con.execute(
                    "insert into harvest_runs (started_at, sources_file, actor, status) "
                    "values (?, ?, ?, 'running') returning run_id",
                    [datetime.now(), self.sources.origin or None, self.actor],
                ).fetchall()[0][0]
            )
        results = []
        for i, source in enumerate(chosen):
            self.progress(i, len(chosen), source.unit)
            result = self._source(source, i, len(chosen))
            self._record_source(result)
            results.append(result)
        self.progress(len(chosen), len(chosen), "完成")
        status = (
            "ok"
            if all(r.ok for r in results)
            else ("failed" if not any(r.ok for r in results) else "partial")
        )
        with self._store() as con:
            con.execute(
                "update harvest_runs set finished_at = ?, status = ? where run_id = ?",
                [datetime.now(), status, self.run_id],
            ).fetchall()
        return RunResult(self.run_id, results)

    def _source(self, source: Source, i: int, total: int) -> SourceResult:
        unit = resolve(source.unit) if source.unit else None
        result = SourceResult(source.unit, unit.unit_id if unit else None)
        settings = self.sources.settings
        fetcher = Fetcher(
            settings,
            source.allowed_hosts(),
            policy=self.policy,
            resolver=self.resolver,
            transport=self.transport,
            shared=self._shared,
        )
        self._load_state(source)
        try:
            entries = self._list_entries(fetcher, source, result, i, total)
            limit = source.max_items or settings.max_items
            if len(entries) > limit:
                result.fail(
                    source.lists[0] if source.lists else source.unit, f"链接超过上限 {limit} 条，其余未抓取"
                )
                entries = entries[:limit]
            result.found = len(entries)
            for entry in entries:
                self.progress(i, total, f"{source.unit}：{entry.title or entry.url}")
                self._entry(fetcher, source, entry, result)
            for column in source.columns:
                self.progress(i, total, f"{source.unit}：栏目 {column.name or column.url}")
                self._column(fetcher, source, column, result)
        finally:
            result.requests = fetcher.requests
            fetcher.close()
        return result

    # -- list pages ----------------------------------------------------------------------------

    def _list_entries(
        self, fetcher: Fetcher, source: Source, result: SourceResult, i: int, total: int
    ) -> list[links.Entry]:
        entries: dict[str, links.Entry] = {}
        budget = source.max_pages or self.sources.settings.max_pages
        pages = 0
        for first in source.lists:
            queue: list[tuple[str, bool]] = [(first, False)]
            seen: set[str] = set()
            n = source.pagination.first
            while queue:
                url, templated = queue.pop(0)
                if url in seen:
                    continue
                if pages >= budget:
                    result.fail(url, f"列表页超过上限 {budget} 页，其余未抓取")
                    break
                seen.add(url)
                pages += 1
                self.progress(i, total, f"{source.unit}：列表 {url}")
                try:
                    page = self._fetch(fetcher, source, url, "list")
                except FetchError as e:
                    if not (templated and e.status == 404):  # a template runs until its first missing page
                        result.fail(url, e.reason)
                    continue
                for entry in links.report_links(page.body, page.url, source, page.content_type):
                    entries.setdefault(entry.url, entry)
                for more in links.more_pages(page.body, page.url, source.pagination, page.content_type):
                    if more not in seen:
                        queue.append((more, False))
                nxt = links.template_page(first, source.pagination, n)
                if nxt is not None and (url == first or templated):
                    n += 1
                    queue.append((nxt, True))
        for url in source.details:
            entries.setdefault(url, links.Entry(url, "", None, None))
        return list(entries.values())

    # -- fetching with the cache ---------------------------------------------------------------

    def _load_state(self, source: Source) -> None:
        """Read the conditional-request cache and the last run's items once per source."""
        with self._store() as con:
            self._cache = {
                str(u): (e, m, str(h), t)
                for u, e, m, h, t in con.execute(
                    "select url, etag, last_modified, sha256, content_type from harvest_cache"
                ).fetchall()
            }
            previous: dict[str, list[tuple[str, str]]] = {}
            for page, url, rid in con.execute(
                "select i.page_url, i.url, i.report_id from harvest_items as i where i.source = ? "
                "and i.report_id is not null and i.run_id = (select max(j.run_id) from harvest_items as j "
                "where j.source = i.source and j.page_url = i.page_url and j.run_id < ?)",
                [source.unit, self.run_id],
            ).fetchall():
                previous.setdefault(str(page), []).append((str(url), str(rid)))
            self._before = previous

    def _flush(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write the provenance and cache rows gathered since the last write."""
        for row in self._fetches:
            con.execute(
                "insert into harvest_fetches (run_id, source, url, final_url, role, fetched_at, http_status, "
                "content_type, size_bytes, sha256, outcome, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            ).fetchall()
        for row in self._cache_rows:
            con.execute("insert or replace into harvest_cache values (?, ?, ?, ?, ?, ?)", row).fetchall()
        self._fetches, self._cache_rows = [], []

    def _fetch(self, fetcher: Fetcher, source: Source, url: str, role: str) -> _Page:
        """A page's body: fetched, or the cached copy when the server says 304 (no store open meanwhile)."""
        etag, modified, old_sha, old_type = self._cache.get(url, (None, None, None, None))
        old_body = _read_raw(self.db, old_sha) if old_sha else None
        if old_body is None:
            etag = modified = None  # no copy to fall back on: ask for the whole page
        try:
            got = fetcher.get(url, etag=etag, last_modified=modified)
        except FetchError as e:
            self._provenance(source, url, None, role, e.status, None, None, None, "failed", e.reason)
            raise
        if got.not_modified and old_body is not None:
            self._provenance(
                source, url, got.final_url, role, 304, old_type, len(old_body), old_sha, "not_modified"
            )
            return _Page(old_body, old_type or "", False, got.final_url)
        body = got.body or b""
        sha, _path = save_raw(self.db, body)
        self._provenance(
            source, url, got.final_url, role, got.status, got.content_type, len(body), sha, "fetched"
        )
        self._cache[url] = (got.etag, got.last_modified, sha, got.content_type)
        self._cache_rows.append([url, got.etag, got.last_modified, sha, got.content_type, got.fetched_at])
        return _Page(body, got.content_type, sha != old_sha, got.final_url)

    def _provenance(
        self,
        source: Source,
        url: str,
        final_url: str | None,
        role: str,
        status: int | None,
        content_type: str | None,
        size: int | None,
        sha: str | None,
        outcome: str,
        error: str | None = None,
    ) -> None:
        self._fetches.append(
            [
                self.run_id,
                source.unit,
                url,
                final_url,
                role,
                datetime.now(),
                status,
                content_type,
                size,
                sha,
                outcome,
                error,
            ]
        )

    # -- one report link -----------------------------------------------------------------------

    def _entry(self, fetcher: Fetcher, source: Source, entry: links.Entry, result: SourceResult) -> None:
        items: list[tuple[str, str, str | None, str | None]] = []  # (url, outcome, report_id, reason)
        try:
            self._read_entry(fetcher, source, entry, result, items)
        finally:
            with self._store() as con:
                self._flush(con)
                for url, outcome, report_id, reason in items:
                    con.execute(
                        "insert or replace into harvest_items values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            self.run_id,
                            source.unit,
                            url,
                            entry.url,
                            entry.title or None,
                            entry.year,
                            entry.listed,
                            outcome,
                            report_id,
                            reason,
                        ],
                    ).fetchall()

    def _read_entry(
        self,
        fetcher: Fetcher,
        source: Source,
        entry: links.Entry,
        result: SourceResult,
        items: list[tuple[str, str, str | None, str | None]],
    ) -> None:
        try:
            page = self._fetch(fetcher, source, entry.url, "detail")
        except FetchError as e:
            items.append((entry.url, "failed", None, e.reason))
            result.failed += 1
            result.fail(entry.url, e.reason)
            return
        before = self._before.get(entry.url)
        if not page.changed and before:
            items += [(url, "unchanged", report_id, None) for url, report_id in before]
            result.unchanged += 1
            return
        candidates: list[tuple[str, bytes, str]] = []
        problems: list[tuple[str, str]] = []
        published = None
        if sniff(page.body) == "text/html":
            published = links.page_published(page.body, page.content_type)
            for att in links.attachments(page.body, page.url, page.content_type):
                try:
                    got = self._fetch(fetcher, source, att, "attachment")
                except FetchError as e:
                    problems.append((att, f"附件：{e.reason}"))
                    continue
                candidates.append((att, got.body, _file_name(att)))
        candidates.append((entry.url, page.body, _file_name(page.url, html=sniff(page.body) == "text/html")))
        outcomes: list[tuple[str, str, str]] = []
        for url, data, name in candidates:
            if url == entry.url and outcomes:
                break  # the detail page only stands in when no attachment is a report
            try:
                outcomes.append((url, *self._ingest(source, entry, url, data, name, published)))
            except (_Failure, UnreadableReport) as e:
                problems.append((url, _why(e, url == entry.url and len(candidates) > 1)))
        if not outcomes:
            reason = "；".join(p for _u, p in problems) or "未找到年报"
            items.append((entry.url, "failed", None, reason))
            result.failed += 1
            result.fail(entry.url, reason)
            return
        for url, outcome, report_id in outcomes:
            items.append((url, outcome, report_id, None))
            if outcome == "new":
                result.new_reports.append(report_id)
        if any(o == "new" for _u, o, _r in outcomes):
            result.new += 1
        else:
            result.unchanged += 1

    def _ingest(
        self, source: Source, entry: links.Entry, url: str, data: bytes, name: str, published: date | None
    ) -> tuple[str, str]:
        """Store one file as a report unless its content is already stored: ('new' | 'unchanged', id).

        Parsed with the store closed, stored like `nianbao ingest` (ingest.store_parsed). The date on
        the detail page (发布日期 / 发布时间), else on the list entry, is the recognizer's list date:
        used only when the report itself shows none.
        """
        if sniff(data) == "application/msword":
            data, name = legacy_doc(data), str(PurePosixPath(name).with_suffix(".docx"))
        listed = published or entry.listed
        parsed = parse_bytes(data, name, list_date=listed.isoformat() if listed else None)
        report = parsed.report
        unit = resolve(report.unit or source.unit or None)
        year = report.year or entry.year
        with self._store() as con:
            self._flush(con)
            same = self._same_content(con, report, unit.unit_id if unit else None, year)
        if same:
            return "unchanged", same
        stored, _report = store_parsed(
            self.db,
            data,
            name,
            parsed,
            source="harvest",
            source_url=url,
            unit=None if report.unit else (source.unit or None),
            year=None if report.year else entry.year,
        )
        if not stored.created:
            return "unchanged", stored.report_id
        with self._store() as con:
            older = con.execute(
                "select report_id from reports where unit_id is not distinct from ? "
                "and year is not distinct from ? and report_id <> ? order by version",
                [stored.unit_id, stored.year, stored.report_id],
            ).fetchall()
            audit.record(
                con,
                actor=self.actor,
                action="harvest",
                subject_kind="report",
                subject=stored.report_id,
                reason="网站采集：新报告" if not older else "网站采集：报告内容有变化，存为新版本",
                detail={
                    "url": url,
                    "page": entry.url,
                    "version": stored.version,
                    "replaces": [r[0] for r in older],
                },
            )
        return "new", stored.report_id

    def _same_content(
        self, con: duckdb.DuckDBPyConnection, report: Report, unit_id: str | None, year: int | None
    ) -> str | None:
        """A stored report of the same unit and year with the same cells and sections, if any."""
        if unit_id is None:
            return None
        key = content_key(
            [(c.table, c.row, c.col, c.raw, c.state) for c in report.cells],
            [(s.key, s.text) for s in report.sections],
        )
        for (rid,) in con.execute(
            "select report_id from reports where unit_id = ? and year is not distinct from ? order by version desc",
            [unit_id, year],
        ).fetchall():
            if stored_content_key(con, str(rid)) == key:
                return str(rid)
        return None

    # -- monitored columns ---------------------------------------------------------------------

    def _column(self, fetcher: Fetcher, source: Source, column: Any, result: SourceResult) -> None:
        unit = resolve(source.unit) if source.unit else None
        try:
            page = self._fetch(fetcher, source, column.url, "column")
        except FetchError as e:
            kind = column.type or links.column_type(column.name, column.url)
            result.columns.append(ColumnResult(column.url, column.name, kind, None, e.reason))
            result.fail(column.url, f"栏目：{e.reason}")
            self._observe(source, unit, column.url, column.name, kind, None, 0, e.reason)
            return
        seen = links.column_page(page.body, page.url, page.content_type)
        dates = [d for d in seen.dates if d <= self.today + timedelta(days=1)]  # a future date is a typo
        name = column.name or seen.name
        kind = column.type or links.column_type(name, column.url)
        newest = max(dates) if dates else None
        result.columns.append(ColumnResult(column.url, name, kind, newest))
        self._observe(source, unit, column.url, name, kind, newest, len(dates), None)

    def _observe(
        self,
        source: Source,
        unit: Unit | None,
        url: str,
        name: str | None,
        kind: str,
        newest: date | None,
        items: int,
        error: str | None,
    ) -> None:
        self._observations.append(
            [
                self.run_id,
                datetime.combine(self.today, datetime.now().time()),
                source.unit,
                unit.unit_id if unit else None,
                unit.district if unit else None,
                host_of(url),
                url,
                name,
                kind,
                newest,
                items,
                "failed" if error else "ok",
                error,
            ]
        )

    def _record_source(self, r: SourceResult) -> None:
        """One write at the end of a source: pending provenance, column observations, the counts."""
        with self._store() as con:
            self._flush(con)
            for row in self._observations:
                con.execute(
                    "insert or replace into column_observations values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                ).fetchall()
            self._observations = []
            con.execute(
                "insert or replace into harvest_source_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    self.run_id,
                    r.source,
                    r.unit_id,
                    r.found,
                    r.new,
                    r.unchanged,
                    r.failed,
                    r.requests,
                    "ok" if r.ok else "failed",
                    json.dumps([{"url": u, "reason": why} for u, why in r.failures], ensure_ascii=False)
                    if r.failures
                    else None,
                ],
            ).fetchall()
            audit.record(
                con,
                actor=self.actor,
                action="harvest",
                subject_kind="source",
                subject=r.source,
                reason=None if r.ok else r.failures[0][1],
                detail={
                    "run_id": self.run_id,
                    "found": r.found,
                    "new": r.new,
                    "unchanged": r.unchanged,
                    "failed": r.failed,
                    "failures": len(r.failures),
                },
            )


def _same_unit(a: str, b: str) -> bool:
    ua, ub = resolve(a), resolve(b)
    return a == b or (ua is not None and ub is not None and ua.unit_id == ub.unit_id)


def _read_raw(db: str | Path, sha: str) -> bytes | None:
    path = raw_dir(db) / sha[:2] / sha
    try:
        return path.read_bytes()
    except OSError:
        return None


def _file_name(url: str, html: bool = False) -> str:
    name = unquote(PurePosixPath(urlsplit(url).path).name) or "index.html"
    if html and not re.search(r"\.s?html?$", name, re.I):
        name += ".html"
    return name


def _why(e: Exception, is_page_with_attachments: bool) -> str:
    if isinstance(e, UnreadableReport):
        return ("详情页" if is_page_with_attachments else "") + f"无法识别为年报（{e.zh}）"
    return str(e)


def _norm(text: str) -> str:
    return " ".join(_VOLATILE.sub(" ", text).split())


def content_key(cells: list[tuple[Any, ...]], sections: list[tuple[str, str]]) -> str:
    """A hash of a report's extracted content: its cells and its sections (page chrome ignored)."""
    h = hashlib.sha256()
    for c in sorted(tuple("" if v is None else str(v) for v in c) for c in cells):
        h.update("\x1f".join(c).encode() + b"\x1e")
    h.update(b"\x1d")
    for key, body in sorted(sections):
        h.update(key.encode() + b"\x1f" + _norm(body).encode() + b"\x1e")
    return h.hexdigest()


def stored_content_key(con: duckdb.DuckDBPyConnection, report_id: str) -> str:
    """content_key of a stored report, from its rows."""
    cells = con.execute(
        "select tbl, row_key, col_key, raw, state from cells where report_id = ?", [report_id]
    ).fetchall()
    sections = con.execute("select key, body from sections where report_id = ?", [report_id]).fetchall()
    return content_key([tuple(c) for c in cells], [(str(k), str(b)) for k, b in sections])


def legacy_doc(data: bytes, timeout: float = 120.0) -> bytes:
    """A legacy Word .doc converted to .docx by LibreOffice; _Failure when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise _Failure("旧版 Word（.doc）附件需要 LibreOffice 转换，但本机未安装 LibreOffice（soffice）")
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError) as e:
            raise _Failure(f"LibreOffice 无法转换旧版 Word（.doc）附件（{e.__class__.__name__}）") from e
        out = Path(tmp) / "report.docx"
        if not out.exists():
            raise _Failure("LibreOffice 未能把旧版 Word（.doc）附件转换为 .docx")
        return out.read_bytes()
