"""From bytes to a stored report: extract, recognise, store; the same path for uploads and harvests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from nianbao.extract import extract
from nianbao.model import Report
from nianbao.recognize import recognize
from nianbao.scope import OUTSIDE_MESSAGE, in_scope
from nianbao.store import Stored, ingest_report


class OutOfScope(Exception):
    """The report's unit is not one of the configured city's: it may be checked, not stored."""

    def __init__(self, unit: str | None) -> None:
        super().__init__(f"{unit or '未识别单位'}：{OUTSIDE_MESSAGE}")
        self.unit = unit


@dataclass
class Parsed:
    """A parsed file: its report and the media type that was sniffed."""

    report: Report
    media_type: str


def parse_bytes(data: bytes, file_name: str = "") -> Parsed:
    """Extract and recognise; raises UnreadableReport for anything that is not a readable report."""
    doc = extract(data, file_name)
    return Parsed(recognize(doc), doc.media_type)


def parse_file(path: str | Path) -> Parsed:
    """Parse a file on disk."""
    return parse_bytes(Path(path).read_bytes(), str(path))


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
    parsed = parse_bytes(data, file_name)
    report = parsed.report
    if unit:
        report.unit = unit
    if year:
        report.year = year
    if published:
        report.published = published
    keep_outside = False
    if outside is not None and not in_scope(report.unit):
        if not outside:
            raise OutOfScope(report.unit)
        keep_outside = True
    stored = ingest_report(
        con,
        db,
        data,
        report,
        file_name=Path(file_name).name if file_name else None,
        media_type=parsed.media_type,
        source=source,
        source_url=source_url,
        received_at=received_at,
        refresh=refresh,
        outside=keep_outside,
        actor=actor,
    )
    return stored, report
