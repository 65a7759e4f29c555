"""Write the demo corpus and its manifest, ingest it into a store; build large stores for benchmarks."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nianbao.demo.generate import SEED_FILE, SEED_UNIT, SEED_YEAR, Corpus, DemoConfig, generate
from nianbao.demo.render import render
from nianbao.demo.spec import DEFECT_KINDS, DemoReport
from nianbao.model import Report

REPO = Path(__file__).resolve().parent.parent.parent
DATA = REPO / "data"
DEFAULT_OUT = DATA / "demo"
SEED_PATH = DATA / SEED_FILE
MANIFEST = "manifest.json"


@dataclass
class Written:
    """One corpus file on disk."""

    report: DemoReport
    path: Path
    data: bytes
    parsed: Report | None = None  # filled when the file was parsed while it was written


Progress = Callable[[str, int, int], None]
"""Called with a phase name, the items done and the items in the phase."""


def write_corpus(
    out: str | Path = DEFAULT_OUT,
    config: DemoConfig | None = None,
    workers: int = 1,
    parse: bool = False,
    progress: Progress | None = None,
) -> tuple[Corpus, list[Written]]:
    """Render every report under `out` (one folder per district) and write the manifest beside them.

    With `workers` > 1 the files are rendered (and, with `parse`, parsed back) in worker processes.
    """
    corpus = generate(config)
    root = Path(out)
    written: list[Written] = []
    rendered = _rendered(corpus.reports, workers, parse, progress)
    for report, (data, parsed) in zip(corpus.reports, rendered, strict=True):
        path = root / report.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(Written(report, path, data, parsed))
    (root / MANIFEST).write_text(manifest_json(corpus, written, root), encoding="utf-8")
    return corpus, written


def _render_one(job: tuple[DemoReport, bool]) -> tuple[bytes, Report | None]:
    report, parse = job
    data = render(report)
    if not parse:
        return data, None
    from nianbao.ingest import parse_bytes

    return data, parse_bytes(data, report.file_name).report


def _rendered(
    reports: list[DemoReport], workers: int, parse: bool, progress: Progress | None = None
) -> Iterator[tuple[bytes, Report | None]]:
    jobs = [(r, parse) for r in reports]
    phase = "写入并解析" if parse else "写入"
    if workers <= 1:
        for i, job in enumerate(jobs, start=1):
            yield _render_one(job)
            if progress:
                progress(phase, i, len(jobs))
        return
    # The slow ones (PDF, DOCX) first, so that the processes finish together.
    cost = {"pdf": 0, "docx": 1, "html": 2, "txt": 3}
    order = sorted(range(len(jobs)), key=lambda i: cost[reports[i].layout])
    done: dict[int, tuple[bytes, Report | None]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_render_one, [jobs[i] for i in order], chunksize=2)
        for n, (i, result) in enumerate(zip(order, results, strict=True), start=1):
            done[i] = result
            if progress:
                progress(phase, n, len(jobs))
    for i in range(len(jobs)):
        yield done[i]


def manifest(corpus: Corpus, written: list[Written], root: Path) -> dict[str, Any]:
    """What was generated and which defects were injected where."""
    defects = corpus.defects()
    return {
        "generator": "nianbao.demo",
        "config": corpus.config.as_dict(),
        "defect_kinds": list(DEFECT_KINDS),
        "counts": {k: sum(1 for d in defects if d.kind == k) for k in DEFECT_KINDS},
        "units": [
            {
                "unit": u.name,
                "district": u.district.name,
                "kind": u.kind,
                "clean": u.name in corpus.clean,
                "seed": corpus.config.with_seed and u.name == SEED_UNIT,
            }
            for u in corpus.units
        ],
        "seed": (
            {
                "unit": SEED_UNIT,
                "year": SEED_YEAR,
                "file": f"data/{SEED_FILE}",
                "published": None,
                "note": "the user's own report (real, not generated): its defects are real, not injected",
            }
            if corpus.config.with_seed
            else None
        ),
        "reports": [
            {
                "unit": w.report.unit.name,
                "district": w.report.unit.district.name,
                "kind": w.report.unit.kind,
                "year": w.report.year,
                "file": w.path.relative_to(root).as_posix(),
                "sha256": hashlib.sha256(w.data).hexdigest(),
                "layout": w.report.layout,
                "template": w.report.version,
                "title": w.report.title,
                "published": w.report.published.isoformat(),
                "deadline": w.report.deadline.isoformat(),
                "defects": [d.kind for d in w.report.defects],
            }
            for w in written
        ],
        "defects": [d.as_dict() for d in defects],
    }


def manifest_json(corpus: Corpus, written: list[Written], root: Path) -> str:
    """The manifest as stable JSON text."""
    return json.dumps(manifest(corpus, written, root), ensure_ascii=False, indent=1) + "\n"


def _received(published: date, report_year: int) -> datetime:
    """When the demo's harvester picked the report up: a day or two after publication."""
    return datetime(published.year, published.month, published.day, 9, 30) + timedelta(
        days=1 + report_year % 3
    )


@dataclass
class DemoBuild:
    """The outcome of `build_demo`."""

    corpus: Corpus
    written: list[Written]
    stored: int
    seconds: dict[str, float]
    rounds: int = 0  # inspection rounds closed (nianbao.demo.rounds)


def build_demo(
    db: str | Path,
    out: str | Path = DEFAULT_OUT,
    config: DemoConfig | None = None,
    workers: int | None = None,
    rounds: bool = True,
    progress: Progress | None = None,
) -> DemoBuild:
    """Write the corpus, then parse and store every file (and the seed) in `db`.

    With one worker every file goes through `nianbao.ingest.ingest_bytes`. With more, the files
    are parsed in worker processes and stored by `store.ingest_report`, the same path. With `rounds`
    the store then gets its round history (nianbao.demo.rounds). DOCX,
    PDF and text files do not show a publication date; it is passed from the generator, as an
    uploader would type it in.
    """
    from nianbao.ingest import ingest_bytes
    from nianbao.store import connect, refresh

    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    t0 = time.perf_counter()
    corpus, written = write_corpus(out, config, workers=workers, parse=workers > 1, progress=progress)
    t1 = time.perf_counter()
    con = connect(db)
    stored = 0
    try:
        if corpus.config.with_seed:
            seed = SEED_PATH.read_bytes()
            s, _ = ingest_bytes(
                con,
                db,
                seed,
                str(SEED_PATH),
                source="demo",
                received_at=datetime(SEED_YEAR + 1, 4, 6, 10, 0),
                refresh=False,
            )
            stored += int(s.created)
        if workers <= 1:
            for w in written:
                r = w.report
                s, _ = ingest_bytes(
                    con,
                    db,
                    w.data,
                    str(w.path),
                    source="demo",
                    published=None if r.layout == "html" else r.published.isoformat(),
                    received_at=_received(r.published, r.year),
                    refresh=False,
                )
                stored += int(s.created)
                if progress:
                    progress("入库", stored, len(written))
        else:
            from nianbao.extract import sniff
            from nianbao.store import ingest_report

            for w in written:
                r, report = w.report, w.parsed
                assert report is not None
                if r.layout != "html":
                    report.published = r.published.isoformat()
                s = ingest_report(
                    con,
                    db,
                    w.data,
                    report,
                    file_name=w.path.name,
                    media_type=sniff(w.data),
                    source="demo",
                    received_at=_received(r.published, r.year),
                    refresh=False,
                )
                stored += int(s.created)
                if progress:
                    progress("入库", stored, len(written) + int(corpus.config.with_seed))
        t_store = time.perf_counter()
        if progress:
            progress("检查", 0, 1)
        refresh(con)  # the findings and scores of every report stored above, in one pass
        if progress:
            progress("检查", 1, 1)
        t_check = time.perf_counter()
        from nianbao.demo.rounds import history

        # The round history (fortnightly rounds up to DEMO_AS_OF) adds corrected versions and reviews.
        closed = history(con, db, corpus) if rounds else 0
    finally:
        con.close()
    t2 = time.perf_counter()
    return DemoBuild(
        corpus,
        written,
        stored,
        {"write+parse": t1 - t0, "store": t_store - t1, "check": t_check - t_store, "rounds": t2 - t_check},
        closed,
    )


def summary(build: DemoBuild) -> str:
    """A few lines for the command line."""
    c = build.corpus
    layouts = Counter(w.report.layout for w in build.written)
    kinds = Counter(d.kind for d in c.defects())
    return "\n".join(
        [
            f"units {len(c.units)} (clean {len(c.clean)}), reports {len(build.written)} + seed, stored {build.stored}, rounds {build.rounds}",
            "layouts " + ", ".join(f"{k} {v}" for k, v in sorted(layouts.items())),
            "defects " + ", ".join(f"{k} {kinds.get(k, 0)}" for k in DEFECT_KINDS),
            "time: " + ", ".join(f"{k} {v:.1f}s" for k, v in build.seconds.items()),
        ]
    )
