"""`nianbao demo`: write the demo corpus and build its store, or build a large store for benchmarks."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_DEMO_DB = Path("data") / "demo.duckdb"


class ProgressBar:
    """A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""

    WIDTH = 30

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.phase = ""
        self.shown = -1

    def __call__(self, phase: str, done: int, total: int) -> None:
        """Show how far one phase has got."""
        if phase != self.phase:
            if self.phase and self.tty:
                self.stream.write("\n")
            self.phase, self.shown = phase, -1
        frac = done / total if total else 1.0
        step = int(frac * 10)
        if not self.tty and step == self.shown and done != total:
            return
        self.shown = step
        bar = "#" * int(frac * self.WIDTH)
        line = f"{phase:<6} [{bar:<{self.WIDTH}}] {done}/{total}"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and done >= total:
            self.stream.write("\n")
            self.phase = ""
        self.stream.flush()


def register(sub: Any) -> None:
    """Add the `demo` subcommand."""
    p = sub.add_parser("demo", help="write the Xining demo corpus and ingest it (示例数据)")
    p.add_argument("--db", default=str(DEFAULT_DEMO_DB), help=f"DuckDB store (default {DEFAULT_DEMO_DB})")
    p.add_argument(
        "--out",
        default=None,
        help="folder for the corpus files (default: demo/ beside the store, data/demo/)",
    )
    p.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    p.add_argument("--departments", type=int, default=4, help="departments per district (default 4)")
    p.add_argument("--towns", type=int, default=2, help="towns / streets per district (default 2)")
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: up to 4 cores)")
    p.add_argument(
        "--size",
        type=int,
        default=None,
        help="instead: a benchmark store of this many reports (e.g. 1000, 10000, 100000), no files",
    )
    p.add_argument(
        "--no-rounds",
        action="store_true",
        help="only the reports as generated: no round history (corrected versions, reviews, closed rounds)",
    )
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the demo build."""
    from nianbao.demo.generate import DemoConfig

    config = DemoConfig(
        seed=args.seed, departments_per_district=args.departments, towns_per_district=args.towns
    )
    if args.size:
        from nianbao.demo.bench import build_bench_store

        t0 = time.perf_counter()
        n = build_bench_store(args.db, args.size, config)
        print(f"{args.db}: {n} reports in {time.perf_counter() - t0:.1f}s")
        return 0
    from nianbao.demo.build import build_demo, summary

    out = Path(args.out) if args.out else Path(args.db).parent / "demo"  # beside the store
    build = build_demo(
        args.db, out, config, workers=args.workers, rounds=not args.no_rounds, progress=ProgressBar()
    )
    print(f"{args.db}: demo corpus in {out}")
    print(summary(build))
    return 0
