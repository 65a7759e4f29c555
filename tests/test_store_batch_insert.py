"""A report's rows go into the store as one columnar batch per table, exactly as they were parsed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from checkkit import make_report, open_store, put, rows, store

from nianbao import store as store_mod
from nianbao.model import Fact, Note

_SELECT = {
    "cells": "select report_id, tbl, row_key, col_key, row_label, col_label, raw, value, unit, state from cells",
    "sections": "select report_id, seq, no, key, heading, body from sections",
    "facts": "select report_id, seq, section, quantity, label, value, unit, sentence, position, role, qualifier from facts",
    "parse_notes": "select report_id, seq, code, message, tbl, row_key from parse_notes",
    "tables_found": "select report_id, tbl from tables_found",
}


def _awkward_report():  # type: ignore[no-untyped-def]
    """A report with text-stored huge numbers, blanks, decimals and NULLs in every nullable column."""
    report = make_report()
    put(report, "t3", "new", "natural", "1000000000000000000000")  # NUM-1: far too large, kept as text
    put(report, "t3", "new", "total", "", None, "blank")
    put(report, "t3", "carried_in", "natural", "12.5")
    put(report, "t3", "carried_in", "total", "1e20", 1e20, "number")  # absurd: tame_numbers makes it text
    report.facts = [
        Fact("overview", "applications_received", "申请", None, "件", "收到申请若干件。", 3),
        Fact(
            "overview", "info_published", "发布信息", 460.0, "条", "预计发布信息460条。", 7, "total", "预计"
        ),
    ]
    report.notes = [Note("glued", "一个没有表格和行的注意"), Note("ambiguous", "有表有行", "t3", "new")]
    report.tables_found = ["t2", "t3"]
    return report


def test_batch_inserted_rows_equal_the_parsed_rows(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    report = _awkward_report()
    rid = store(con, db, report)
    expected = store_mod.part_rows(rid, report)  # after tame_numbers, as the ingest stored them
    for table, sql in _SELECT.items():
        got = sorted(rows(con, sql + " where report_id = ?", [rid]), key=repr)
        want = sorted((tuple(r) for r in expected[table]), key=repr)
        assert got == want, table
    huge = rows(
        con,
        "select raw, value, state from cells where report_id = ? and tbl = 't3' and row_key in ('new', 'carried_in')"
        " and col_key in ('natural', 'total') order by row_key, col_key",
        [rid],
    )
    assert huge == [
        ("12.5", 12.5, "number"),
        ("1e20", None, "text"),
        ("1000000000000000000000", None, "text"),
        ("", None, "blank"),
    ]
    con.close()


def test_a_column_that_is_null_in_every_row_is_stored_as_null_not_as_text(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    report = make_report()
    report.notes = [Note("glued", "甲"), Note("glued", "乙")]  # no table, no row: both columns all NULL
    rid = store(con, db, report)
    assert rows(
        con,
        "select count(*), count(tbl), count(row_key), typeof(any_value(tbl)) from parse_notes where report_id = ?",
        [rid],
    ) == [(2, 0, 0, "VARCHAR")]
    blank = rows(con, "select count(*), count(value), count(unit) from cells where report_id = ?", [rid])
    assert blank == [(len(report.cells), len(report.cells), 0)]  # every cell 0, no cell with a unit
    con.close()


def test_a_batch_of_rows_wider_than_the_table_is_refused() -> None:
    con = duckdb.connect()
    con.execute("create table t (a varchar, b double)")
    with pytest.raises(ValueError, match="3 values for 2 columns"):
        store_mod.insert_many(con, "t", [["x", 1.0, "extra"]])
    assert rows(con, "select count(*) from t") == [(0,)]


def test_a_batch_casts_each_column_to_the_tables_type() -> None:
    con = duckdb.connect()
    con.execute("create table t (raw varchar, value double, n integer)")
    store_mod.insert_many(con, "t", [["1e15", 1, 2], ["007", None, None], [None, 2.5, 3]])
    assert rows(con, "select raw, value, n, typeof(value) from t order by n nulls first") == [
        ("007", None, None, "DOUBLE"),
        ("1e15", 1.0, 2, "DOUBLE"),
        (None, 2.5, 3, "DOUBLE"),
    ]


def test_insert_or_ignore_keeps_the_rows_already_there() -> None:
    con = duckdb.connect()
    con.execute("create table t (k varchar primary key, v double)")
    store_mod.insert_many(con, "t", [["a", 1.0]])
    store_mod.insert_many(con, "t", [["a", 9.0], ["b", 2.0]], or_ignore=True)
    assert rows(con, "select * from t order by k") == [("a", 1.0), ("b", 2.0)]
