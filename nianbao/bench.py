"""Benchmarks: checking one report (上传即检, `nianbao check`) and reading rankings from large stores.

`python -m nianbao.bench [--sizes 1000 10000] [--repeat N] [--out BENCHMARKS.md]` (`make bench`).

Measured, each as the median of --repeat runs:
- check, cold: a new scratch store (schema + every view) then one report stored and its findings
  and scores read: what `nianbao check FILE` without --db pays;
- check, warm: the same on a scratch store kept open, emptied between reports in one transaction
  (what the dashboard's 上传即检 does), with the unit's other years loaded beside it as context;
- the same report's findings and scores computed live from the rule views (no stored findings):
  what every read cost before the findings and scores were stored;
- on stores of N reports (built by `nianbao.demo.bench`): ranking, scorecards and the finding
  export, read from the stored tables, and one more report ingested into the store (its refresh).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from nianbao import store
from nianbao.demo.bench import build_bench_store, direct_report
from nianbao.demo.generate import DemoConfig, generate
from nianbao.ingest import parse_bytes
from nianbao.model import Report

SEED = Path(__file__).resolve().parent.parent / "data" / "seed" / "huangzhong_2020.txt"


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[Any]:
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).fetchall()
    finally:
        cur.close()


def _check_one(con: duckdb.DuckDBPyConnection, folder: Path, data: bytes, report: Report) -> int:
    stored = store.ingest_report(
        con, folder / "scratch.duckdb", data, report, file_name="x.txt", media_type="text/plain"
    )
    found = _fetch(con, "select * from report_findings where report_id = ?", [stored.report_id])
    scores = _fetch(con, "select * from report_scores where report_id = ?", [stored.report_id])
    assert scores, "no scores"
    return len(found)


def bench_check(repeat: int) -> list[tuple[str, float]]:
    """Checking the seed report (湟中区人民政府 2020) in a scratch store, cold and warm."""
    data = SEED.read_bytes()
    parsed = parse_bytes(data, SEED.name)
    out: list[tuple[str, float]] = [
        ("parse the seed (TXT)", _median(lambda: parse_bytes(data, SEED.name), repeat))
    ]
    folder = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))

    def cold() -> None:
        con = duckdb.connect(":memory:")
        store.install_schema(con)
        _check_one(con, folder, data, parsed.report)
        con.close()

    out.append(("check, cold scratch store (schema + views + check)", _median(cold, repeat)))

    con = duckdb.connect(":memory:")
    started = time.perf_counter()
    store.install_schema(con)
    out.append(("  of which: install_schema on a new store", time.perf_counter() - started))
    context = [
        direct_report(r)
        for r in generate(DemoConfig(seed=2024)).reports
        if r.unit.name == "湟中区人民政府" and r.year != 2020
    ]

    def warm() -> None:
        store.clear_reports(con)
        for i, r in enumerate(context):
            store.ingest_report(
                con,
                folder / "s.duckdb",
                f"ctx{i}".encode(),
                r,
                file_name="c",
                media_type="text/plain",
                refresh=False,
            )
        _check_one(con, folder, data, parsed.report)

    out.append((f"check, warm scratch store (+{len(context)} other years as context)", _median(warm, repeat)))

    def live() -> None:
        rid = _fetch(con, "select report_id from reports where unit_id = '湟中区人民政府' and year = 2020")[
            0
        ][0]
        _fetch(con, "select * from live_findings where report_id = ?", [rid])
        _fetch(con, "select * from live_scores where report_id = ?", [rid])

    out.append(("  the same findings + scores computed live from the rule views", _median(live, repeat)))
    con.close()
    return out


def bench_store(size: int, repeat: int) -> list[tuple[str, float]]:
    """Reads of a store of `size` reports, and one more report ingested into it."""
    folder = Path(tempfile.mkdtemp(prefix=f"nianbao-bench-{size}-"))
    db = folder / "bench.duckdb"
    started = time.perf_counter()
    build_bench_store(db, size)
    out = [
        (
            f"{size} reports: build the store (bulk insert + refresh of every report)",
            time.perf_counter() - started,
        )
    ]
    con = store.connect(db)
    try:
        for label, sql in (
            ("district_ranking", "select * from district_ranking"),
            ("district_scorecards", "select * from district_scorecards"),
            ("unit_scorecards", "select * from unit_scorecards"),
            ("findings (the export)", "select * from findings"),
        ):
            out.append(
                (f"{size} reports: read {label}", _median(functools.partial(_fetch, con, sql), repeat))
            )
        # Side by side in the same run: the stored per-report scores against computing them live.
        out.append(
            (
                f"{size} reports: read report_scores (stored)",
                _median(functools.partial(_fetch, con, "select * from report_scores"), repeat),
            )
        )
        out.append(
            (
                f"{size} reports: compute live_scores (rule views)",
                _median(functools.partial(_fetch, con, "select * from live_scores"), 1),
            )
        )
        data = SEED.read_bytes()
        report = parse_bytes(data, SEED.name).report
        report.unit = "湟中区人民政府·bench"
        started = time.perf_counter()
        store.ingest_report(con, db, data + b"\n", report, file_name="seed.txt", media_type="text/plain")
        out.append((f"{size} reports: ingest one report (with its refresh)", time.perf_counter() - started))
    finally:
        con.close()
    return out


def _ratios(times: dict[str, float], sizes: list[int]) -> list[tuple[str, float]]:
    """Slower ÷ faster for the pairs measured in one run."""
    out: list[tuple[str, float]] = []
    for size in sizes:
        stored = times.get(f"{size} reports: read report_scores (stored)")
        live = times.get(f"{size} reports: compute live_scores (rule views)")
        if stored and live:
            out.append((f"{size} reports: live_scores ÷ stored report_scores", live / stored))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print a table and write it to --out."""
    ap = argparse.ArgumentParser(prog="python -m nianbao.bench")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default="BENCHMARKS.md")
    args = ap.parse_args(argv)
    rows = bench_check(args.repeat)
    for size in args.sizes:
        rows += bench_store(size, max(1, args.repeat // 2))
    ratios = _ratios(dict(rows), args.sizes)
    lines = [
        "# Benchmarks",
        "",
        "`python -m nianbao.bench` (`make bench`); seconds, median of the repeats.",
        "",
        "| what | seconds |",
        "|---|---:|",
        *[f"| {label} | {seconds:.3f} |" for label, seconds in rows],
        "",
        "Ratios, from the medians above (measured side by side in the same run):",
        "",
        "| ratio | × |",
        "|---|---:|",
        *[f"| {label} | {value:.1f} |" for label, value in ratios],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
