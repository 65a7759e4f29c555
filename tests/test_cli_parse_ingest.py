"""The command line as a user runs it: parse, ingest, reports; bad input exits 2 and stores nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from nianbao import store
from nianbao.cli import main

NIANBAO = [sys.executable, "-m", "nianbao.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NIANBAO, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def _count(db: Path, table: str) -> int:
    if not db.exists():  # an ingest that stores nothing does not create the store either
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"select count(*) from {table}").fetchall()[0][0])
    finally:
        con.close()


def test_parse_json_has_the_documented_keys(seed_file: Path) -> None:
    out = run("parse", "--json", str(seed_file))
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout.splitlines()[0])
    assert set(obj) >= {"file", "report", "sections", "cells", "facts", "notes"}
    assert set(obj["report"]) == {"unit", "year", "template", "title", "published", "sources"}
    assert obj["report"]["template"] == "2019"
    cell = obj["cells"][0]
    assert set(cell) == {"table", "row", "col", "row_label", "col_label", "raw", "value", "unit", "state"}
    assert len(obj["cells"]) == 198


def test_parse_human_output_names_unit_and_tables(seed_file: Path) -> None:
    out = run("parse", str(seed_file))
    assert out.returncode == 0
    assert "湟中区人民政府" in out.stdout and "t3" in out.stdout


@pytest.mark.parametrize(
    "content,code_word",
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, "not readable"),
        ("天气很好。\n我们去公园。".encode(), "not an annual report"),
        (b"%PDF-1.4\n1 0 obj\n<<", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00garbage", "zip"),
    ],
    ids=["empty", "binary", "not-a-report", "truncated-pdf", "truncated-docx"],
)
def test_bad_input_exits_2_with_one_line_and_stores_nothing(
    tmp_path: Path, content: bytes, code_word: str
) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(content)
    db = tmp_path / "s.duckdb"
    out = run("ingest", "--db", str(db), str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert code_word.lower() in out.stderr.lower()
    assert _count(db, "reports") == 0
    assert not (tmp_path / "raw").exists() or not any((tmp_path / "raw").rglob("*"))


def test_missing_file_exits_2(tmp_path: Path) -> None:
    out = run("parse", str(tmp_path / "nope.txt"))
    assert out.returncode == 2 and "no such file" in out.stderr


def test_ingest_is_idempotent_by_content_hash(seed_file: Path, db_path: Path) -> None:
    assert main(["ingest", "--db", str(db_path), str(seed_file)]) == 0
    assert main(["ingest", "--db", str(db_path), str(seed_file)]) == 0
    assert _count(db_path, "reports") == 1
    assert _count(db_path, "cells") == 198


def test_new_document_for_same_unit_and_year_is_a_new_version(
    seed_file: Path, db_path: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "seed_v2.txt"
    edited.write_bytes(seed_file.read_bytes().replace("无。".encode(), "无其他事项。".encode()))
    main(["ingest", "--db", str(db_path), str(seed_file)])
    main(["ingest", "--db", str(db_path), str(edited)])
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        versions = con.execute("select version from reports order by version").fetchall()
        current = con.execute("select version from current_reports").fetchall()
    finally:
        con.close()
    assert versions == [(1,), (2,)]
    assert current == [(2,)]


def test_raw_file_is_kept_by_hash(seed_file: Path, db_path: Path) -> None:
    main(["ingest", "--db", str(db_path), str(seed_file)])
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        sha, stored = con.execute("select sha256, stored_path from documents").fetchall()[0]
    finally:
        con.close()
    assert not Path(stored).is_absolute()  # relative to the data directory: a copied store reads its own
    assert (db_path.parent / stored).read_bytes() == seed_file.read_bytes()
    assert Path(stored).name == sha


def test_failed_ingest_keeps_what_was_stored(seed_file: Path, db_path: Path, tmp_path: Path) -> None:
    main(["ingest", "--db", str(db_path), str(seed_file)])
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 500)
    assert main(["ingest", "--db", str(db_path), str(junk)]) == 2
    assert _count(db_path, "reports") == 1
    assert _count(db_path, "cells") == 198


def test_reports_lists_what_was_stored(seed_file: Path, db_path: Path) -> None:
    main(["ingest", "--db", str(db_path), str(seed_file)])
    out = run("reports", "--db", str(db_path), "--json")
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [(r["unit_id"], r["year"], r["district"]) for r in rows] == [("湟中区人民政府", 2020, "湟中区")]


def _one_report_store(tmp_path: Path, seed_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(seed_file)]) == 0
    capsys.readouterr()
    return db


def test_a_refresh_that_runs_out_of_database_memory_ends_in_one_line_and_loses_nothing(
    tmp_path: Path, seed_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _one_report_store(tmp_path, seed_file, capsys)
    real = store.run_refresh

    def runs_out(con: duckdb.DuckDBPyConnection) -> None:
        real(con)  # the work is done, then the cap is hit: all of it must roll back
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")

    monkeypatch.setattr(store, "run_refresh", runs_out)
    assert main(["refresh", "--all", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "内存不足" in err and "NIANBAO_DUCKDB_MEMORY_LIMIT_MB" in err
    monkeypatch.setattr(store, "run_refresh", real)
    with store.reading(db) as con:
        assert con.execute("select count(*) from reports").fetchall() == [(1,)]
        assert con.execute("select count(*) from score_store").fetchall() == [(1,)]


def test_any_other_database_error_ends_in_one_line(
    tmp_path: Path, seed_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _one_report_store(tmp_path, seed_file, capsys)

    def breaks(con: duckdb.DuckDBPyConnection) -> None:
        raise duckdb.InternalException("INTERNAL Error: something inside\nmore detail")

    monkeypatch.setattr(store, "run_refresh", breaks)
    assert main(["refresh", "--all", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"nianbao: {db}: database error (数据库错误): INTERNAL Error: something inside"
    ]
