"""Raw files and the store stay consistent: durable writes, verified reads, relative paths, fsck,
and backup/restore round trips compared table by table and file by file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from nianbao import maintenance, store
from nianbao.cli import main
from nianbao.ingest import ingest_bytes


def _store(db: Path, seed: bytes) -> Path:
    """A store with three reports (the seed, a changed copy as version 2, another unit's copy)."""
    con = store.connect(db)
    try:
        ingest_bytes(con, db, seed, "seed.txt", unit="湟中区人民政府", year=2020, published="2021-03-25")
        changed = seed.replace("六、其他需要报告的事项".encode(), "另外".encode())
        ingest_bytes(con, db, changed, "seed2.txt", unit="湟中区人民政府", year=2020, published="2021-03-26")
        ingest_bytes(
            con, db, seed + b"\n", "other.txt", unit="城东区人民政府", year=2020, published="2021-03-20"
        )
    finally:
        con.close()
    return db


@pytest.fixture
def built(db_path: Path, seed_bytes: bytes) -> Path:
    return _store(db_path, seed_bytes)


def _docs(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            (str(a), str(b)) for a, b in con.execute("select sha256, stored_path from documents").fetchall()
        ]
    finally:
        con.close()


def test_raw_file_is_fsynced_before_its_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync-file")
        real_fsync(fd)

    def replace(a: Any, b: Any) -> None:
        events.append("rename")
        real_replace(a, b)

    monkeypatch.setattr(store.os, "fsync", fsync)
    monkeypatch.setattr(store.os, "replace", replace)
    store.save_raw(tmp_path / "s.duckdb", b"report bytes")
    assert events == ["fsync-file", "rename", "fsync-dir"]


def test_failed_raw_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full_disk)
    with pytest.raises(OSError):
        store.save_raw(tmp_path / "s.duckdb", b"report bytes")
    assert [p for p in (tmp_path / "raw").rglob("*") if p.is_file()] == []


def test_raw_file_that_changed_on_disk_is_reported_corrupt_on_read(built: Path) -> None:
    sha, stored = _docs(built)[0]
    assert store.read_raw(built, sha, stored)  # intact: read back
    (built.parent / stored).write_bytes(b"tampered")
    with pytest.raises(store.RawFileError) as e:
        store.read_raw(built, sha, stored)
    assert e.value.problem == "corrupt"
    (built.parent / stored).unlink()
    with pytest.raises(store.RawFileError) as e:
        store.read_raw(built, sha, stored)
    assert e.value.problem == "missing"


def test_stored_paths_are_relative_to_the_data_directory(built: Path) -> None:
    for sha, stored in _docs(built):
        assert stored == f"raw/{sha[:2]}/{sha}"
        assert hashlib.sha256((built.parent / stored).read_bytes()).hexdigest() == sha


def test_absolute_stored_paths_of_an_old_store_are_migrated_on_open(built: Path) -> None:
    con = duckdb.connect(str(built))
    con.execute("update documents set stored_path = '/old/place/data/' || stored_path")
    con.close()
    assert all(p.startswith("/old/") for _, p in _docs(built))
    store.connect(built).close()
    assert all(p == f"raw/{sha[:2]}/{sha}" for sha, p in _docs(built))


def test_copied_store_reads_its_own_raw_files_not_the_originals(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(built.parent, copy)
    shutil.rmtree(built.parent / "raw")
    for sha, stored in _docs(copy / built.name):
        assert hashlib.sha256(store.read_raw(copy / built.name, sha, stored)).hexdigest() == sha


def _old(path: Path) -> None:
    past = time.time() - 2 * maintenance.GRACE_SECONDS
    os.utime(path, (past, past))


def test_fsck_finds_orphans_leftovers_missing_and_corrupt_files_and_repair_removes_only_leftovers(
    built: Path,
) -> None:
    (sha_a, path_a), (sha_b, path_b), _ = sorted(_docs(built))
    raw = built.parent / "raw"
    orphan = raw / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"nobody's")
    temp = raw / "cd" / f"{store.TEMP_PREFIX}x1y2"
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.write_bytes(b"half")
    young = raw / "ab" / "tmpfresh"
    young.write_bytes(b"in flight")
    for p in (orphan, temp):
        _old(p)
    (built.parent / path_a).unlink()
    (built.parent / path_b).write_bytes(b"bit rot")

    r = maintenance.fsck(built)
    assert r.documents == 3 and r.ok == 1
    assert r.missing == [sha_a] and r.corrupt == [sha_b]
    assert r.orphans == [orphan.relative_to(built.parent).as_posix()]
    assert sorted(r.temporary) == sorted(p.relative_to(built.parent).as_posix() for p in (temp, young))
    assert r.removed == [] and orphan.exists() and temp.exists()

    r = maintenance.fsck(built, repair=True)
    assert not orphan.exists() and not temp.exists() and not (raw / "cd").exists()
    assert young.exists()  # too young: an ingest may be writing it
    assert r.recent == [young.relative_to(built.parent).as_posix()]
    assert (built.parent / path_b).exists()  # a corrupt raw file is reported, never deleted
    assert not r.clean


def test_fsck_of_a_clean_store_exits_0_and_of_a_damaged_one_exits_1(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fsck", "--db", str(built)]) == 0
    assert "3 document(s): 3 ok" in capsys.readouterr().out
    sha, stored = _docs(built)[0]
    (built.parent / stored).unlink()
    assert main(["fsck", "--db", str(built)]) == 1
    assert f"missing  raw file of document {sha}" in capsys.readouterr().out


def test_fsck_of_no_store_is_one_line_and_exit_2(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "fsck", "--db", str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def _every_table(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        ]
        return {n: sorted(con.execute(f'select * from "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def _raw_files(db: Path) -> dict[str, bytes]:
    root = db.parent / "raw"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("out", ["backup-folder", "backup.tar.gz"])
def test_backup_and_restore_round_trip_every_table_and_every_raw_file(
    built: Path, tmp_path: Path, out: str
) -> None:
    con = store.connect(built)
    from nianbao import audit

    audit.record(con, actor="test", action="report.upload", subject_kind="report", subject="x")
    con.close()
    (built.parent / "users.yaml").write_text("credentials: {usernames: {}}\n", encoding="utf-8")
    before = _every_table(built)
    assert before["audit_log"] and before["cells"] and before["finding_store"]
    assert main(["backup", "--db", str(built), "--out", str(tmp_path / out)]) == 0
    target = tmp_path / "restored" / "nianbao.duckdb"
    assert main(["restore", str(tmp_path / out), "--db", str(target)]) == 0
    assert _every_table(target) == before
    assert _raw_files(target) == _raw_files(built)
    assert (target.parent / "users.yaml").read_bytes() == (built.parent / "users.yaml").read_bytes()
    # the restored store is a working store: views, checks and new ingests
    con = store.connect(target)
    try:
        assert con.execute("select count(*) from report_scores").fetchall()[0][0] == 3
        nxt = con.execute("select nextval('audit_seq')").fetchall()[0][0]
        assert nxt > max(r[0] for r in before["audit_log"])
    finally:
        con.close()


def test_restore_refuses_to_overwrite_a_store_unless_forced(
    built: Path, tmp_path: Path, seed_bytes: bytes
) -> None:
    assert main(["backup", "--db", str(built), "--out", str(tmp_path / "bk")]) == 0
    other = _store(tmp_path / "other" / "nianbao.duckdb", seed_bytes.replace(b"2020", b"2020 "))
    kept = _every_table(other)
    assert main(["restore", str(tmp_path / "bk"), "--db", str(other)]) == 2
    assert _every_table(other) == kept
    assert main(["restore", str(tmp_path / "bk"), "--db", str(other), "--force"]) == 0
    assert _every_table(other) == _every_table(built)


def test_restore_refuses_a_damaged_backup_and_changes_nothing(built: Path, tmp_path: Path) -> None:
    assert main(["backup", "--db", str(built), "--out", str(tmp_path / "bk")]) == 0
    victim = next((tmp_path / "bk" / "raw").rglob("*"))
    while victim.is_dir():
        victim = next(victim.iterdir())
    victim.write_bytes(b"flipped")
    target = tmp_path / "restored" / "nianbao.duckdb"
    assert main(["restore", str(tmp_path / "bk"), "--db", str(target)]) == 2
    assert not target.exists()


def test_backup_runs_while_another_process_reads_the_store(built: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
            "c.execute('select count(*) from reports').fetchall(); print('open', flush=True); time.sleep(30)",
            str(built),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert main(["backup", "--db", str(built), "--out", str(tmp_path / "bk.tar")]) == 0
    finally:
        holder.kill()
        holder.wait()
    target = tmp_path / "r" / "nianbao.duckdb"
    assert main(["restore", str(tmp_path / "bk.tar"), "--db", str(target)]) == 0
    assert _every_table(target) == _every_table(built)


def test_backup_into_a_folder_that_holds_files_is_refused(built: Path, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("keep")
    assert main(["backup", "--db", str(built), "--out", str(tmp_path / "busy")]) == 2
    assert (tmp_path / "busy" / "x").read_text() == "keep"
