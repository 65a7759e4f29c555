"""From bytes to a stored report: extract, recognise, store; the same path for uploads and harvests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from nianbao.errors import out_of_memory
from nianbao.extract import extract
from nianbao.model import Report
from nianbao.recognize import recognize
from nianbao.scope import OUTSIDE_MESSAGE, in_scope
from nianbao.store import DeletedReport, Incoming, Stored, ingest_report, ingest_reports, writing


class OutOfScope(Exception):
    """The report's unit is not one of the configured city's: it may be checked, not stored."""

    def __init__(self, unit: str | None) -> None:
        super().__init__(f"{unit or '未识别单位'}：{OUTSIDE_MESSAGE}")
        self.unit = unit


def outside_scope(
    report: Report, outside: bool | None, *, db: str | Path | None = None, sources: str | Path | None = None
) -> bool:
    """Whether to keep a report in the outside scope: `outside` None (no check) or the unit is the
    city's (the units file, or the harvest sources file: `sources`, else the store's) gives False;
    a unit outside the city raises OutOfScope unless `outside` is True."""
    if outside is None or in_scope(report.unit, sources=sources, db=db):
        return False
    if not outside:
        raise OutOfScope(report.unit)
    return True


@dataclass
class Parsed:
    """A parsed file: its report and the media type that was sniffed."""

    report: Report
    media_type: str


def parse_bytes(data: bytes, file_name: str = "", *, list_date: str | None = None) -> Parsed:
    """Extract and recognise; raises UnreadableReport for anything that is not a readable report.

    `list_date`: a harvested report's date on the site's list, used when the page shows none.
    """
    doc = extract(data, file_name)
    try:
        return Parsed(recognize(doc, list_date=list_date), doc.media_type)
    except MemoryError as exc:
        raise out_of_memory() from exc


def parse_file(path: str | Path) -> Parsed:
    """Parse a file on disk."""
    return parse_bytes(Path(path).read_bytes(), str(path))


def given(report: Report, unit: str | None, year: int | None, published: str | None) -> dict[str, str]:
    """Apply the fields given by the user instead of read from the file; returns them (as text)."""
    overrides: dict[str, str] = {}
    if unit:
        report.unit = overrides["unit"] = unit
        report.sources["unit"] = "given"
    if year:
        report.year = year
        overrides["year"] = str(year)
    if published:
        report.published = overrides["published"] = published
        report.sources["published"] = "given"
    return overrides


def ingest_bytes(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    data: bytes,
    file_name: str,
    *,
    source: str = "upload",
    source_url: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    published: str | None = None,
    list_date: str | None = None,
    received_at: datetime | None = None,
    refresh: bool = True,
    outside: bool | None = None,
    actor: str | None = None,
) -> tuple[Stored, Report]:
    """Parse and store; nothing is written when the file cannot be read.

    `outside`: what to do with a report whose unit is not the city's (nianbao.scope): None stores
    it like any other (library callers, tests), False refuses it (raises OutOfScope), True keeps it
    in the `outside` scope, where it never counts. `actor` logs an upload event.

    `refresh`: recompute the stored findings and scores in the same transaction (see
    `store.ingest_report`); bulk loaders pass False and call `store.refresh` once at the end.
    """
    parsed = parse_bytes(data, file_name, list_date=list_date)
    report = parsed.report
    overrides = given(report, unit, year, published)
    if list_date:
        overrides["list_date"] = list_date  # not an override: what a reparse gives the parser again
    keep_outside = outside_scope(report, outside, db=db)
    stored = _store(
        con,
        db,
        data,
        file_name,
        parsed,
        overrides,
        keep_outside,
        source,
        source_url,
        received_at,
        refresh,
        actor,
    )
    return stored, report


def _store(
    con: duckdb.DuckDBPyConnection,
    db: str | Path,
    data: bytes,
    file_name: str,
    parsed: Parsed,
    overrides: dict[str, str],
    outside: bool,
    source: str,
    source_url: str | None,
    received_at: datetime | None,
    refresh: bool,
    actor: str | None,
) -> Stored:
    """The one call into the store that `ingest_bytes` and `store_parsed` share."""
    return ingest_report(
        con,
        db,
        data,
        parsed.report,
        file_name=Path(file_name).name if file_name else None,
        media_type=parsed.media_type,
        source=source,
        source_url=source_url,
        received_at=received_at,
        refresh=refresh,
        overrides=overrides,
        outside=outside,
        actor=actor,
    )


def store_parsed(
    db: str | Path,
    data: bytes,
    file_name: str,
    parsed: Parsed,
    *,
    source: str = "upload",
    source_url: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    published: str | None = None,
    received_at: datetime | None = None,
    outside: bool | None = None,
    actor: str | None = None,
    sources: str | Path | None = None,
) -> tuple[Stored, Report]:
    """Store an already parsed file in the store at `db`, opened for this one write and closed again.

    The file is parsed before the store is opened, so the write lock is held only while storing.
    `outside` and `actor` as in `ingest_bytes` (OutOfScope is raised before the store is opened);
    `sources`: the harvest sources file whose units count as the city's (default: the store's).
    """
    from nianbao.store import writing

    report = parsed.report
    overrides = given(report, unit, year, published)
    keep_outside = outside_scope(report, outside, db=db, sources=sources)
    with writing(db) as con:
        stored = _store(
            con,
            db,
            data,
            file_name,
            parsed,
            overrides,
            keep_outside,
            source,
            source_url,
            received_at,
            True,
            actor,
        )
    return stored, report


def incoming(
    data: bytes,
    file_name: str,
    parsed: Parsed,
    *,
    unit: str | None = None,
    year: int | None = None,
    published: str | None = None,
    outside: bool | None = None,
    actor: str | None = None,
    db: str | Path | None = None,
    sources: str | Path | None = None,
) -> Incoming:
    """A parsed file made ready for `store.ingest_reports` as `store_parsed` would store it (the
    given fields applied; OutOfScope raised here, before any store is opened)."""
    report = parsed.report
    overrides = given(report, unit, year, published)
    keep_outside = outside_scope(report, outside, db=db, sources=sources)
    return Incoming(
        data,
        report,
        Path(file_name).name if file_name else None,
        parsed.media_type,
        overrides=overrides,
        outside=keep_outside,
        actor=actor,
    )


def store_batch(db: str | Path, batch: list[Incoming]) -> list[Stored | DeletedReport]:
    """Store parsed files in one write with one refresh (store.ingest_reports); if that write fails,
    each file is stored on its own, so one bad file costs only itself."""
    try:
        with writing(db) as con:
            return ingest_reports(con, db, batch)
    except duckdb.Error:
        if len(batch) == 1:
            raise
    out: list[Stored | DeletedReport] = []
    for item in batch:
        with writing(db) as con:
            out += ingest_reports(con, db, [item])
    return out
