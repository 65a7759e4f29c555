"""Store many parsed reports in one transaction: the rows `store.ingest_report` writes, batched.

`store.ingest_report` inserts with `executemany`, which in DuckDB costs about 1 ms per row
(~280 ms per report); the demo would take minutes. This writes the same rows (same tables,
same columns, raw file saved under its hash, unit resolved the same way, version numbered per
unit and year) through one Parquet file per table, read by DuckDB in one statement.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from nianbao.model import Report
from nianbao.parser_version import PARSER_VERSION
from nianbao.store import part_rows, relative_raw, save_raw
from nianbao.units import UNIT_COLUMNS, resolve, unit_row


@dataclass
class Item:
    """One document to store."""

    data: bytes
    report: Report
    file_name: str | None
    media_type: str
    source: str
    received_at: datetime
    source_url: str | None = None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


SCHEMAS: dict[str, dict[str, Any]] = {}


def _schemas() -> dict[str, dict[str, Any]]:
    import polars as pl

    if not SCHEMAS:
        v, i, f, ts, d = pl.Utf8, pl.Int64, pl.Float64, pl.Datetime("us"), pl.Date
        cols: dict[str, list[tuple[str, Any]]] = {
            "documents": [
                ("sha256", v),
                ("file_name", v),
                ("media_type", v),
                ("size_bytes", i),
                ("source", v),
                ("source_url", v),
                ("stored_path", v),
                ("received_at", ts),
            ],
            "reports": [
                ("report_id", v),
                ("sha256", v),
                ("unit_id", v),
                ("unit_name", v),
                ("year", i),
                ("template", v),
                ("title", v),
                ("published", d),
                ("version", i),
                ("parser_version", v),
                ("parsed_at", ts),
            ],
            "cells": [
                ("report_id", v),
                ("tbl", v),
                ("row_key", v),
                ("col_key", v),
                ("row_label", v),
                ("col_label", v),
                ("raw", v),
                ("value", f),
                ("unit", v),
                ("state", v),
            ],
            "sections": [("report_id", v), ("seq", i), ("no", v), ("key", v), ("heading", v), ("body", v)],
            "facts": [
                ("report_id", v),
                ("seq", i),
                ("section", v),
                ("quantity", v),
                ("label", v),
                ("value", f),
                ("unit", v),
                ("sentence", v),
                ("position", i),
                ("role", v),
                ("qualifier", v),
            ],
            "parse_notes": [
                ("report_id", v),
                ("seq", i),
                ("code", v),
                ("message", v),
                ("tbl", v),
                ("row_key", v),
            ],
            "tables_found": [("report_id", v), ("tbl", v)],
        }
        SCHEMAS.update({k: dict(c) for k, c in cols.items()})
    return SCHEMAS


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """INSERT many rows at once: written to a Parquet file by polars, read back by DuckDB."""
    if not rows:
        return
    import polars as pl

    schema = _schemas()[table]
    frame = pl.DataFrame([list(r) for r in rows], schema=schema, orient="row")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table}.parquet"
        frame.write_parquet(path)
        con.execute(f"insert into {table} select * from read_parquet(?)", [str(path)])


def store_many(con: duckdb.DuckDBPyConnection, db: str | Path, items: Sequence[Item]) -> int:
    """Store the items in one transaction; documents already stored (same bytes) are skipped."""
    existing = {r[0] for r in con.execute("select report_id from reports").fetchall()}
    versions: dict[tuple[str | None, int | None], int] = {
        (u, y): int(v)
        for u, y, v in con.execute("select unit_id, year, max(version) from reports group by all").fetchall()
    }
    units: dict[str, list[Any]] = {}
    docs: list[list[Any]] = []
    reps: list[list[Any]] = []
    parts: dict[str, list[list[Any]]] = {
        t: [] for t in ("cells", "sections", "facts", "parse_notes", "tables_found")
    }
    for it in items:
        sha, path = save_raw(db, it.data, durable=False)  # one os.sync() below instead
        if sha in existing:
            continue
        existing.add(sha)
        r = it.report
        unit = resolve(r.unit)
        uid = unit.unit_id if unit else None
        if unit is not None:
            units.setdefault(unit.unit_id, unit_row(unit))
        version = versions.get((uid, r.year), 0) + 1 if unit is not None else 1
        versions[(uid, r.year)] = version
        docs.append(
            [
                sha,
                it.file_name,
                it.media_type,
                len(it.data),
                it.source,
                it.source_url,
                relative_raw(db, path),
                it.received_at,
            ]
        )
        reps.append(
            [
                sha,
                sha,
                uid,
                r.unit,
                r.year,
                r.template,
                r.title,
                _date(r.published),
                version,
                PARSER_VERSION,
                it.received_at,
            ]
        )
        for table, part in part_rows(sha, r).items():
            parts[table] += part
    os.sync()  # the raw files are on disk before any row names them
    con.execute("begin transaction")
    try:
        for row in units.values():
            con.execute(
                f"insert into units ({', '.join(UNIT_COLUMNS)}) values ({', '.join('?' for _ in row)})"
                " on conflict (unit_id) do nothing",
                row,
            )
        insert_rows(con, "documents", docs)
        insert_rows(con, "reports", reps)
        for table, rows in parts.items():
            insert_rows(con, table, rows)
        con.execute("commit")
    except Exception:
        with suppress(duckdb.Error):  # a failed commit has rolled back already: keep its own error
            con.execute("rollback")
        raise
    return len(reps)
