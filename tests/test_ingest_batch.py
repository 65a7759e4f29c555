"""`nianbao ingest` of many files stores them a batch per write, with one refresh per batch."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao import store
from nianbao.cli import main
from nianbao.ingest import parse_bytes


def _files(folder: Path, seed: bytes) -> list[Path]:
    """The seed, a second version of it, the same report of another district, and a later year."""
    texts = {
        "a.txt": seed,
        "b.txt": seed.replace("无。".encode(), "无其他事项。".encode()),
        "c.txt": seed.replace("湟中区".encode(), "湟源县".encode()),
        "d.txt": seed.replace(b"2020", b"2021"),
        "e.txt": seed.replace("湟中区".encode(), "大通县".encode()).replace(b"2020", b"2021"),
    }
    paths = []
    for name, data in texts.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row a file's ingest writes, less the moment it was written."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: con.execute(
                f"select * exclude ({', '.join(drop) or 'x'}) from {table} order by all"
            ).fetchall()
            if drop
            else con.execute(f"select * from {table} order by all").fetchall()
            for table, drop in {
                "reports": ["parsed_at"],
                "documents": ["received_at"],
                "units": [],
                "cells": [],
                "sections": [],
                "facts": [],
                "parse_notes": [],
                "tables_found": [],
                "report_overrides": [],
            }.items()
        }
    finally:
        con.close()


def _stored(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        findings = con.execute(
            "select report_id, fingerprint, rule_id, location, message from finding_store order by all"
        ).fetchall()
        scores = con.execute(
            "select r.report_id, r.version, s.score, s.verdict from reports as r"
            " left join score_store as s using (report_id) order by all"
        ).fetchall()
    finally:
        con.close()
    return findings, scores


def _stored_then_deleted(db: Path, path: Path) -> str:
    """Ingest one file, then delete it; its report id."""
    assert main(["ingest", "--db", str(db), str(path)]) == 0
    with store.writing(db) as con:
        rid = str(con.execute("select report_id from reports").fetchall()[0][0])
        store.delete_report(con, rid, actor="test", reason="test")
    return rid


def test_a_batch_ingest_stores_what_one_file_at_a_time_stores(
    tmp_path: Path, seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [str(p) for p in _files(tmp_path, seed_bytes)]
    one_by_one, batched = tmp_path / "one.duckdb", tmp_path / "batch.duckdb"
    for f in files:
        assert main(["ingest", "--db", str(one_by_one), f]) == 0
    monkeypatch.setenv("NIANBAO_INGEST_BATCH_REPORTS", "2")  # three writes: 2 + 2 + 1 files
    assert main(["ingest", "--db", str(batched), *files]) == 0
    findings, scores = _stored(batched)
    assert len(scores) == 5 and all(s[2] is not None for s in scores)  # every report scored
    assert (findings, scores) == _stored(one_by_one)
    assert _rows(batched) == _rows(one_by_one)


def test_the_same_bytes_twice_in_one_batch_are_stored_once(
    tmp_path: Path, seed_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, *_ = _files(tmp_path, seed_bytes)
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(first), str(second), str(first)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1].split(" as ")[0] for line in lines] == ["stored", "stored", "already stored"]
    assert "version 1" in lines[0] and "version 2" in lines[1] and "version 1" in lines[2]
    assert [len(v) for k, v in _rows(db).items() if k in ("reports", "documents")] == [2, 2]


def test_versions_count_on_from_the_stored_and_deleted_ones(
    tmp_path: Path, seed_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, *_ = _files(tmp_path, seed_bytes)
    third = tmp_path / "third.txt"
    third.write_bytes(seed_bytes.replace("无。".encode(), "无需说明的其他事项。".encode()))
    db = tmp_path / "s.duckdb"
    _stored_then_deleted(db, first)
    capsys.readouterr()
    assert main(["ingest", "--db", str(db), str(second), str(third)]) == 0
    out = capsys.readouterr().out
    assert "version 2" in out and "version 3" in out and "version 1" not in out


def test_a_deleted_file_in_a_batch_is_refused_and_the_others_are_stored(
    tmp_path: Path, seed_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, *_ = _files(tmp_path, seed_bytes)
    db = tmp_path / "s.duckdb"
    rid = _stored_then_deleted(db, first)
    capsys.readouterr()
    assert main(["ingest", "--db", str(db), str(first), str(second)]) == 2
    out = capsys.readouterr()
    assert "已删除" in out.err and f"{second}: stored" in out.out
    _, scores = _stored(db)
    assert [s[0] for s in scores] != [rid] and len(scores) == 1


def test_a_batch_is_stored_with_its_scores_or_not_at_all(
    tmp_path: Path, seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.duckdb"
    batch = []
    for p in _files(tmp_path, seed_bytes)[:3]:
        data = p.read_bytes()
        parsed = parse_bytes(data, p.name)
        batch.append(store.Incoming(data, parsed.report, p.name, parsed.media_type))

    def broken(con: duckdb.DuckDBPyConnection, everything: bool = False) -> None:
        raise RuntimeError("the refresh failed")

    store.connect(db).close()  # the store exists before the refresh breaks
    monkeypatch.setattr(store, "_refresh", broken)
    with store.writing(db) as con, pytest.raises(RuntimeError):
        store.ingest_reports(con, db, batch)
    with store.reading(db) as con:
        assert con.execute("select count(*) from reports").fetchall() == [(0,)]
        assert con.execute("select count(*) from cells").fetchall() == [(0,)]


def test_a_failed_batch_write_stores_its_files_one_by_one(
    tmp_path: Path, seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao import ingest

    db = tmp_path / "s.duckdb"
    batch = []
    for p in _files(tmp_path, seed_bytes)[:3]:
        data = p.read_bytes()
        parsed = parse_bytes(data, p.name)
        batch.append(store.Incoming(data, parsed.report, p.name, parsed.media_type, source="harvest"))
    real = ingest.ingest_reports

    def fails_together(con: duckdb.DuckDBPyConnection, db: Path, items: list[store.Incoming]) -> object:
        if len(items) > 1:
            raise duckdb.ConstraintException("one file of the batch broke it")
        return real(con, db, items)

    monkeypatch.setattr(ingest, "ingest_reports", fails_together)
    stored = ingest.store_batch(db, batch)
    assert [isinstance(s, store.Stored) and s.created for s in stored] == [True, True, True]
    with store.reading(db) as con:
        assert con.execute("select source, count(*) from documents group by all").fetchall() == [
            ("harvest", 3)
        ]
        assert con.execute("select count(*) from score_store").fetchall() == [(3,)]
