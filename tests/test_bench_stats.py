"""The benchmark statistics: nearest-rank p95, spreads, and A/B pairs run alternately."""

from __future__ import annotations

from pathlib import Path

from bench.stats import Stat, alternate


def test_p95_of_five_runs_is_the_slowest_and_the_median_the_middle() -> None:
    s = Stat.of([0.5, 0.1, 0.3, 0.2, 0.4])
    assert (s.n, s.median, s.p95, s.low, s.high) == (5, 0.3, 0.5, 0.1, 0.5)


def test_p95_of_forty_runs_leaves_out_the_two_slowest() -> None:
    s = Stat.of([float(i) for i in range(1, 41)])
    assert s.p95 == 38.0


def test_alternate_runs_a_and_b_in_turn() -> None:
    calls: list[str] = []
    a, b, ratio = alternate(lambda: calls.append("a"), lambda: calls.append("b"), runs=3, warmup=1)
    assert calls == ["a", "b"] * 4
    assert a.n == b.n == ratio.n == 3


def _reports_file(tmp_path: Path, years: int) -> Path:
    import duckdb

    db = tmp_path / f"r{years}.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table reports (unit_id varchar, year integer)")
    con.executemany("insert into reports values ('甲局', ?)", [[2019 + i] for i in range(years)])
    con.executemany("insert into reports values ('乙局·2', ?)", [[2010 + i] for i in range(12)])  # a replica
    con.close()
    return db


def test_the_instant_check_unit_needs_six_years_of_history_besides_its_own(tmp_path: Path) -> None:
    import pytest

    from bench.cases import history_unit

    assert history_unit(_reports_file(tmp_path, 7)) == ("甲局", 2022)
    with pytest.raises(RuntimeError, match="6 years of history"):
        history_unit(_reports_file(tmp_path, 6))


def test_a_command_started_from_a_large_process_reports_its_own_peak_memory() -> None:
    import sys

    from bench.cases import run_process

    held = bytearray(400 * 1024 * 1024)  # the benchmark holding a large store in memory
    held[::4096] = b"x" * len(held[::4096])  # touched, so it is resident
    sample = run_process(
        [sys.executable, "-c", "x = bytearray(30 * 1024 * 1024); x[::4096] = b'y' * len(x[::4096])"]
    )
    assert 30 <= sample.peak_mib < 200, sample
    del held


def test_a_command_reports_the_cpu_time_of_its_own_worker_processes() -> None:
    import sys

    from bench.cases import run_process

    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    spawn = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {busy!r}])"
    sample = run_process([sys.executable, "-c", spawn])
    assert sample.cpu >= 0.3, sample
