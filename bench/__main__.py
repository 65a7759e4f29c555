"""`python -m bench` (`make bench`, `make bench-large`): every measure, written to BENCHMARKS.md."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from bench import cases, machine
from bench.cases import Ratio, Row
from bench.stats import Stat


def _table(rows: list[Row]) -> list[str]:
    out = ["| what | median | p95 | min–max | runs | unit | note |", "|---|---:|---:|---:|---:|---|---|"]
    for r in rows:
        med, p95, span, n = r.stat.cells(r.unit)
        out.append(f"| {r.what} | {med} | {p95} | {span} | {n} | {r.unit} | {r.extra} |")
    return out


def _ratio_table(ratios: list[Ratio]) -> list[str]:
    out = ["| A ÷ B (pairs run alternately) | median | p95 | min–max | pairs |", "|---|---:|---:|---:|---:|"]
    for r in ratios:
        s = r.stat
        out.append(f"| {r.what} | {s.median:.1f}× | {s.p95:.1f}× | {s.low:.1f}–{s.high:.1f}× | {s.n} |")
    return out


def _growth(by_size: dict[int, dict[str, Stat]]) -> list[str]:
    """Each measure across store sizes, with a straight-line extrapolation to 1M reports."""
    sizes = sorted(by_size)
    names = sorted({k for v in by_size.values() for k in v})
    head = "| measure (median s) | " + " | ".join(f"{s:,}" for s in sizes) + " | 1,000,000 (extrapolated) |"
    out = [head, "|---|" + "---:|" * (len(sizes) + 1)]
    for name in names:
        points = [(s, by_size[s][name].median) for s in sizes if name in by_size[s]]
        cells = [f"{by_size[s][name].median:.3f}" if name in by_size[s] else "—" for s in sizes]
        # Two sizes are too few to extrapolate 1,000× beyond: the noise would be the answer.
        guess = "— (fewer than 3 sizes)"
        if len(points) >= 3:
            # least squares t = a + b·n over the measured sizes
            n = len(points)
            mx = sum(p[0] for p in points) / n
            my = sum(p[1] for p in points) / n
            sxx = sum((p[0] - mx) ** 2 for p in points)
            b = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx else 0.0
            guess = f"{my + b * (1_000_000 - mx):.2f}" if b > 0 else "no growth measured"
        out.append(f"| {name} | " + " | ".join(cells) + f" | {guess} |")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run every measure and write the report."""
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--sizes", type=int, nargs="*", default=[300, 1000, 10000])
    ap.add_argument("--runs", type=int, default=5, help="runs per measure (at least 5 for a real figure)")
    ap.add_argument(
        "--page-min", type=int, default=10000, help="run the page measures from this store size on"
    )
    ap.add_argument("--out", default="BENCHMARKS.md")
    args = ap.parse_args(argv)
    command = "python -m bench " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
    )
    header = machine.describe(cases.ROOT)
    rows: list[Row] = []
    ratios: list[Ratio] = []
    growth: dict[int, dict[str, Stat]] = {}
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        folder = Path(tmp)
        rows += cases.ingest_throughput(folder, args.runs)
        for size in args.sizes:
            print(f"store of {size} reports …", file=sys.stderr, flush=True)
            db = folder / f"store-{size}" / "bench.duckdb"
            db.parent.mkdir()
            built = cases.build_store(db, size)
            rows.append(
                Row(
                    f"{size} reports: build the benchmark store (bulk insert + refresh)",
                    Stat.of([built]),
                    "s",
                )
            )
            growth.setdefault(size, {})
            checks, r, files = cases.instant_checks(db, size, args.runs)
            rows += checks
            ratios += r
            rows += cases.cli_check(db, files, size, args.runs, folder)
            ingested = cases.ingest_one(db, files, size, args.runs, folder)
            rows += ingested
            growth[size]["ingest one Word-dump text"] = ingested[0].stat
            refresh = cases.refresh_all(db, size, args.runs)
            rows.append(refresh)
            growth[size]["refresh --all"] = refresh.stat
            for c in checks:
                if "instant check" in c.what:
                    growth[size][c.what.split(": ", 1)[1].split(" (")[0]] = c.stat
            if size >= args.page_min:
                page_rows = cases.pages(db, size, args.runs)
                rows += page_rows
                xlsx = cases.export_xlsx(db, size, args.runs, folder)
                rows.append(xlsx)
                for p in page_rows:
                    growth[size][p.what.split(": ", 1)[1].split(" (")[0]] = p.stat
                growth[size]["XLSX of all findings"] = xlsx.stat
            db.unlink()
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `{command.strip()}` (`make bench`; `make bench-large` adds a 100,000-report store).",
        "Every figure is over the runs shown, after one warm-up run; p95 is nearest-rank (with 5 runs, the slowest).",
        "Stores are generated by the project (`nianbao.demo.bench`), never committed. Whole-process figures",
        "(`nianbao …` commands) include Python's start-up; their peak memory is the process's max RSS (os.wait4).",
        "",
        "## Machine and run",
        "",
        *header,
        f"- load average at the end (1 min): {machine.load_now():.2f}",
        "",
        "## Measures",
        "",
        *_table(rows),
        "",
        "## Ratios",
        "",
        "The floor for an instant check is measured on the same file in the same loop: the bare library parse",
        "(the text split into lines, lxml, python-docx or pdfplumber words + tables), one batch insert of the",
        "report's cells into a plain DuckDB table, and one hand-written identity query over them.",
        "",
        *_ratio_table(ratios),
        "",
        "## Growth",
        "",
        *_growth(growth),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
