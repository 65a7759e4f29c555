"""A small Xining store for the dashboard tests, built by the demo build plus the real seed.

`nianbao.demo.build.build_demo` writes and stores a small corpus: three report years, one
department and one town per district, every layout. The seed is the user's own 湟中区人民政府
2020 report and is stored twice after it (a first version with one number changed, then the
real one), so the finding list has rectified findings too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nianbao.demo import DemoConfig
from nianbao.demo.build import build_demo
from nianbao.demo.generate import DEFAULT_RATES
from nianbao.ingest import ingest_bytes
from nianbao.store import connect

YEARS = (2020, 2021, 2022)
RATES = {
    k: min(1.0, 3 * v) for k, v in DEFAULT_RATES.items()
}  # few units: raise the rates so every kind occurs
CONFIG = DemoConfig(
    years=YEARS, departments_per_district=1, towns_per_district=1, rates=RATES, with_seed=False
)  # the seed goes in below, in two versions


def build(db: Path, seed: bytes) -> Path:
    """Write the store at db (its corpus in demo/ and its raw files beside it); returns db."""
    build_demo(db, db.parent / "demo", CONFIG)
    con = connect(db)
    try:
        first = seed.replace("六、其他需要报告的事项".encode(), "另外".encode())  # no section 六: SEC-1
        for data, published in ((first, "2021-03-20"), (seed, "2021-03-25")):
            ingest_bytes(
                con, db, data, "huangzhong_2020.txt", unit="湟中区人民政府", year=2020, published=published
            )
    finally:
        con.close()
    return db


def shared(base: Path, seed: bytes, user: str) -> Path:
    """A copy of the session's store for one user (AppTests, the browser's server), built once.

    Each user gets its own copy: a process holding a DuckDB file open locks it for the others.
    """
    pristine = base / "ui-store" / "ui.duckdb"
    if not pristine.exists():
        build(pristine, seed)
    mine = base / f"ui-store-{user}"
    if not mine.exists():
        shutil.copytree(pristine.parent, mine)
    return mine / pristine.name
