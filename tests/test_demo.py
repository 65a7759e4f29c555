"""The demo corpus: deterministic, every layout, parsed back cell-exact, manifest, demo store."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from nianbao.demo import DemoConfig, generate
from nianbao.demo.numbers import check
from nianbao.demo.render import render
from nianbao.demo.spec import DEFECT_KINDS, LAYOUTS
from nianbao.demo.verify import differences
from nianbao.ingest import parse_bytes
from nianbao.templates import for_year

DISTRICTS = {"城东区", "城中区", "城西区", "城北区", "湟中区", "大通回族土族自治县", "湟源县"}


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return generate(DemoConfig(seed=2024))


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from nianbao.cli import main
    from nianbao.demo.build import write_corpus

    root = tmp_path_factory.mktemp("demo")
    args = ["demo", "--db", str(root / "demo.duckdb"), "--out", str(root / "corpus"), "--seed", "3"]
    assert main([*args, "--departments", "2", "--towns", "1", "--workers", "2"]) == 0
    # The files as the command wrote them (rendering again is cheap next to parsing).
    corpus, written = write_corpus(
        root / "corpus", DemoConfig(seed=3, departments_per_district=2, towns_per_district=1)
    )
    return root, written


def test_same_seed_same_bytes(corpus) -> None:  # type: ignore[no-untyped-def]
    again = generate(DemoConfig(seed=2024))
    sample = [r for layout in LAYOUTS for r in [x for x in corpus.reports if x.layout == layout][:2]]
    for r in sample:
        twin = next(x for x in again.reports if (x.unit.name, x.year) == (r.unit.name, r.year))
        assert hashlib.sha256(render(r)).digest() == hashlib.sha256(render(twin)).digest(), r.file_name
    other = generate(DemoConfig(seed=7))
    assert [d.as_dict() for d in other.defects()] != [d.as_dict() for d in corpus.defects()]


def test_corpus_shape(corpus) -> None:  # type: ignore[no-untyped-def]
    assert {u.district.name for u in corpus.units} == DISTRICTS
    assert set(Counter(r.layout for r in corpus.reports)) == set(LAYOUTS)
    assert {r.year for r in corpus.reports} == set(range(2019, 2026))
    kinds = Counter(d.kind for d in corpus.defects())
    assert set(kinds) == set(DEFECT_KINDS)
    for r in corpus.reports:
        assert not check(r.values, r.version), (r.unit.name, r.year)  # the true values are consistent
        wrong = any(d.kind == "wrong_template" for d in r.defects)
        assert (r.version != for_year(r.year).version) == wrong
        late = any(d.kind == "late" for d in r.defects)
        assert (r.published > r.deadline) == late
        if r.unit.name in corpus.clean:
            assert not r.defects
    assert not any(d.unit in corpus.clean for d in corpus.missing)
    assert not any(r.unit.name == "湟中区人民政府" and r.year == 2020 for r in corpus.reports)


def test_cross_year_carry_over(corpus) -> None:  # type: ignore[no-untyped-def]
    by = {(r.unit.name, r.year): r for r in corpus.reports}
    pairs = 0
    for (unit, year), r in by.items():
        prev = by.get((unit, year - 1))
        if prev is None:
            continue
        for col in ("natural", "commercial", "total"):
            assert r.values[("t3", "carried_in", col)] == prev.values[("t3", "carried_out", col)]
        pairs += 1
    assert pairs > 200


def test_every_layout_parses_back_cell_exact(corpus) -> None:  # type: ignore[no-untyped-def]
    sample = []
    for layout in LAYOUTS:
        mine = [r for r in corpus.reports if r.layout == layout]
        defective = [r for r in mine if r.defects]
        sample += mine[:3] + defective[:3] + [r for r in mine if r.version == "2019"][:1]
    for r in sample:
        parsed = parse_bytes(render(r), r.file_name).report
        assert differences(r, parsed) == [], (r.file_name, r.layout)


def test_demo_store_and_manifest(demo_store) -> None:  # type: ignore[no-untyped-def]
    import duckdb

    root, written = demo_store
    manifest = json.loads((root / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["counts"]) == set(DEFECT_KINDS) and all(manifest["counts"].values())
    assert len(manifest["reports"]) == len(written)
    for entry in manifest["reports"][:20]:
        assert (root / "corpus" / entry["file"]).exists()
    clean = {u["unit"] for u in manifest["units"] if u["clean"]}
    assert clean and not any(d["unit"] in clean for d in manifest["defects"])

    con = duckdb.connect(str(root / "demo.duckdb"), read_only=True)
    try:
        districts = {
            d
            for (d,) in con.execute(
                "select distinct u.district from reports r join units u using (unit_id)"
            ).fetchall()
        }
        assert districts == DISTRICTS
        n = con.execute("select count(*) from reports").fetchall()[0][0]
        assert n == len(written) + 1
        seed = con.execute(
            "select r.year, r.template, d.file_name from reports r join documents d on d.sha256 = r.sha256 "
            "where r.unit_id = '湟中区人民政府' and r.year = 2020"
        ).fetchall()
        assert seed == [(2020, "2019", "huangzhong_2020.txt")]
        no_date = con.execute(
            "select count(*) from reports where published is null and year is not null"
        ).fetchall()[0][0]
        assert no_date == 1  # only the seed, whose publication date is not known
        # Every stored report matches what was generated (checked on the cells of the whole store).
        got = dict(
            ((u, y, t, rk, ck), raw)
            for u, y, t, rk, ck, raw in con.execute(
                "select r.unit_id, r.year, c.tbl, c.row_key, c.col_key, c.raw from cells c join reports r using (report_id)"
            ).fetchall()
        )
    finally:
        con.close()
    wrong = [
        (w.report.unit.name, w.report.year, k)
        for w in written
        for k, raw in w.report.cells.items()
        if got.get((w.report.unit.name, w.report.year, *k)) != raw
    ]
    assert wrong == []


def test_seed_shipped() -> None:
    seed = Path(__file__).resolve().parent.parent / "data" / "seed" / "huangzhong_2020.txt"
    report = parse_bytes(seed.read_bytes(), str(seed)).report
    assert (report.year, report.template) == (2020, "2019")
    assert report.unit is not None and report.unit.endswith("湟中区人民政府")


def test_cli_bench_store(tmp_path: Path) -> None:
    from nianbao.cli import main

    db = tmp_path / "bench.duckdb"
    assert main(["demo", "--size", "1000", "--db", str(db)]) == 0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from reports").fetchall()[0][0] == 1000
        assert con.execute("select count(distinct report_id) from cells").fetchall()[0][0] == 1000
    finally:
        con.close()
