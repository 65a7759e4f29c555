"""Stores of N reports for benchmarks, built without files.

The demo corpus is generated (no rendering) and each report is turned into a `Report` directly:
the cells as written (read with the parser's own `read_value`), the sections' text, the facts
the parser's `extract_facts` finds in it. These reports are stored once with
`nianbao.demo.bulk.store_many` (raw "files" are small stubs naming the unit and year), then
copied in SQL, replica after replica, with renamed units ("城东区民政局·7"), until the store
holds N reports. Each replica keeps the corpus's year-to-year consistency and its defects.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from pathlib import Path

from nianbao.demo.bulk import Item, store_many
from nianbao.demo.generate import DemoConfig, generate
from nianbao.demo.spec import DemoReport
from nianbao.model import Cell, Report, Section
from nianbao.recognize.facts import extract_facts
from nianbao.recognize.values import read_value
from nianbao.templates import template


def direct_report(r: DemoReport) -> Report:
    """The Report the parser would read from the rendered file, built without rendering."""
    cells: list[Cell] = []
    for spec in template(r.version).cells:
        raw = r.cells[(spec.table, spec.row, spec.col)]
        value, unit, state = read_value(raw)
        cells.append(
            Cell(spec.table, spec.row, spec.col, spec.row_label, spec.col_label, raw, value, unit, state)
        )
    sections = []
    for s in r.sections:
        text = s.text() + ("\n" + r.signature if s.key == "other" else "")
        sections.append(Section(s.no, s.key, s.heading, text))
    facts = [f for s in sections for f in extract_facts(s.key, s.text)]
    return Report(
        unit=r.unit.name,
        year=r.year,
        template=r.version,
        title=r.title,
        published=r.published.isoformat(),
        sections=sections,
        cells=cells,
        facts=facts,
        tables_found=["t2", "t3", "t4"],
    )


MEDIA = {
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain",
}

# Every table with a report_id, and its columns after report_id.
_COPY = {
    "cells": "tbl, row_key, col_key, row_label, col_label, raw, value, unit, state",
    "sections": "seq, no, key, heading, body",
    "facts": "seq, section, quantity, label, value, unit, sentence, position, role, qualifier",
    "parse_notes": "seq, code, message, tbl, row_key",
    "tables_found": "tbl",
}


def build_bench_store(db: str | Path, size: int, config: DemoConfig | None = None) -> int:
    """A store at `db` holding `size` reports (the store must be new or empty)."""
    from nianbao.store import connect, refresh

    corpus = generate(config or DemoConfig())
    reports = corpus.reports[:size]
    items = [
        Item(
            f"bench {r.unit.name} {r.year} {r.layout}\n".encode(),
            direct_report(r),
            r.file_name.split("/")[-1],
            MEDIA[r.layout],
            "bench",
            datetime(r.published.year, r.published.month, r.published.day, 10, 0),
        )
        for r in reports
    ]
    con = connect(db)
    try:
        if con.execute("select count(*) from reports").fetchall()[0][0]:
            raise ValueError(f"{db} already holds reports: benchmark stores are built from scratch")
        base = store_many(con, db, items)
        extra = size - base
        if extra > 0:
            _replicate(con, base, extra)
        refresh(con)  # the stored findings and scores of every report
        return int(con.execute("select count(*) from reports").fetchall()[0][0])
    finally:
        con.close()


REPLICA_REPORTS = (
    2_500  # reports copied per transaction: one transaction stays well under DuckDB's memory cap
)


def _replicate(con: object, base: int, extra: int) -> None:
    """`extra` more reports: copies of the first `base` under new units (unit·r), committed
    REPLICA_REPORTS at a time."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    copies = -(-extra // base)
    step = max(1, REPLICA_REPORTS // base)
    con.execute("create or replace temp table replica_base as select report_id from reports")
    done = 0
    for first in range(1, copies + 1, step):
        last = min(first + step, copies + 1)
        done += _replicate_copies(con, first, last, extra - done)
    con.execute("drop table replica_base")


def _replicate_copies(con: object, first: int, last: int, limit: int) -> int:
    """Copies number first .. last-1 of every base report (at most `limit` reports), in one transaction."""
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    con.execute("begin transaction")
    try:
        con.execute(
            f"""
            create temp table replica as
            select report_id as src, r, sha256(report_id || ':' || r) as dst
            from replica_base, range({first}, {last}) t(r)
            order by r, report_id
            limit {limit}
            """
        )
        con.execute(
            """
            insert into units (unit_id, name, district, kind, deadline_class, kind_rule, kind_basis)
            select distinct u.unit_id || '·' || m.r, u.name || '·' || m.r, u.district, u.kind, u.deadline_class,
                u.kind_rule, u.kind_basis
            from replica m join reports p on p.report_id = m.src join units u on u.unit_id = p.unit_id
            """
        )
        con.execute(
            """
            insert into documents
            select m.dst, d.file_name, d.media_type, d.size_bytes, d.source, d.source_url, d.stored_path, d.received_at
            from replica m join documents d on d.sha256 = m.src
            """
        )
        con.execute(
            """
            insert into reports
            select m.dst, m.dst, p.unit_id || '·' || m.r, p.unit_name || '·' || m.r, p.year, p.template, p.title,
                   p.published, p.version, p.parser_version, p.parsed_at
            from replica m join reports p on p.report_id = m.src
            """
        )
        for table, cols in _COPY.items():
            src_cols = ", ".join(f"x.{c.strip()}" for c in cols.split(","))
            con.execute(
                f"insert into {table} select m.dst, {src_cols} from replica m join {table} x on x.report_id = m.src"
            )
        n = int(con.execute("select count(*) from replica").fetchall()[0][0])
        con.execute("drop table replica")
        con.execute("commit")
        return n
    except Exception:
        with suppress(duckdb.Error):  # a failed commit has rolled back already: keep its own error
            con.execute("rollback")
        raise
