"""Cursors that read as their parent does: on the stored scorecards when the parent may."""

from __future__ import annotations

import duckdb

# Set on a read-only cursor whose store's scorecard_store fits it (see queries/unit_scorecards.sql):
# a DuckDB variable belongs to one cursor, so a cursor made from it must be told again.
FRESH = "scorecards_fresh"


def mark_fresh(cur: duckdb.DuckDBPyConnection) -> None:
    """Let `cur` read unit_scorecards from scorecard_store (the caller checked that it fits)."""
    cur.execute(f"set variable {FRESH} = true").fetchall()


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` reads unit_scorecards from scorecard_store."""
    return bool(con.execute(f"select getvariable('{FRESH}')").fetchall()[0][0])


def sub_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor on `con` for one query, reading the scorecards the way `con` does (`con` is
    this thread's own: a cursor, or a connection no other thread uses)."""
    cur = con.cursor()
    if is_fresh(con):
        mark_fresh(cur)
    return cur
