"""The benchmark stores: copies beyond the demo corpus are committed a batch at a time, to the same result."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao.demo import bench


def _reports(db: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select report_id, unit_id, year, version from reports order by all").fetchall()
    finally:
        con.close()


def test_a_store_copied_in_small_batches_equals_one_copied_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, batched = tmp_path / "whole" / "s.duckdb", tmp_path / "batched" / "s.duckdb"
    assert bench.build_bench_store(whole, 800) == 800
    monkeypatch.setattr(bench, "REPLICA_REPORTS", 100)  # the copies in several transactions
    assert bench.build_bench_store(batched, 800) == 800
    got = _reports(batched)
    assert len({r[0] for r in got}) == 800
    assert got == _reports(whole)
