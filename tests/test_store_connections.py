"""The connection rules: open per operation, read-only unless writing, one writer, busy is a message.

`make test` runs the small versions; `make stress` (NIANBAO_STRESS=1) the full ones: 8 threads ×
50 uploads and 20 kill -9 trials.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from nianbao import store
from nianbao.store import StoreBusy, StoreCorrupt, connect

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = [sys.executable, "-m", "nianbao.cli"]
STRESS = os.environ.get("NIANBAO_STRESS") == "1"
UNIT = "西宁市城中区人民政府"


def variant(seed: bytes, i: int) -> bytes:
    """The seed report with a unique last line: new bytes, so a new report (or version)."""
    return seed + f"\n本报告第 {i} 份副本。\n".encode()


def files(folder: Path, seed: bytes, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        p = folder / f"report_{i}.txt"
        p.write_bytes(variant(seed, i))
        out.append(p)
    return out


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NIANBAO, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


@contextmanager
def holder(db: Path, seconds: float, read_only: bool = False) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store open for a while."""
    code = f"import duckdb, time; c = duckdb.connect({str(db)!r}, read_only={read_only}); print('open', flush=True); time.sleep({seconds})"
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "open"
    try:
        yield p
    finally:
        p.kill()
        p.wait()


def another_process_writes(db: Path) -> bool:
    """Whether another process can open the store read-write and write to it at once."""
    code = f"import duckdb; duckdb.connect({str(db)!r}).execute('create table if not exists x (a int)')"
    return subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


@pytest.fixture
def made(tmp_path: Path) -> Path:
    db = tmp_path / "s.duckdb"
    connect(db).close()
    return db


def _state(db: Path) -> tuple[str, bool]:
    return hashlib.sha256(db.read_bytes()).hexdigest(), Path(str(db) + ".wal").exists()


def test_connect_writes_nothing_when_the_schema_is_current(made: Path) -> None:
    before = _state(made)
    for read_only in (True, False):
        con = connect(made, read_only=read_only)
        assert con.execute("select count(*) from district_ranking").fetchall()
        con.close()
        assert _state(made) == before, read_only


def _on_a_full_disk(code: str) -> subprocess.CompletedProcess[str]:
    """Run Python with RLIMIT_FSIZE = 0: any write that grows a file fails, as on a full disk."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=limit, timeout=120
    )


def test_a_read_only_open_of_a_current_store_works_on_a_full_disk(made: Path) -> None:
    read = f"from nianbao.store import connect; c = connect({str(made)!r}, read_only=True); print(c.execute('select count(*) from district_ranking').fetchall())"
    assert _on_a_full_disk(read).returncode == 0
    # The same disk refuses a write: the test can fail.
    write = f"import duckdb; c = duckdb.connect({str(made)!r}); c.execute('create table big as select range as x from range(1000000)'); c.execute('checkpoint')"
    assert _on_a_full_disk(write).returncode != 0


def test_a_lock_held_elsewhere_is_reported_busy_after_the_timeout(made: Path) -> None:
    with holder(made, 30):
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught:
            connect(made, read_only=True, timeout=0.5)
        assert 0.5 <= time.monotonic() - started < 5
        assert caught.value.zh.startswith("数据库正忙，请稍后重试")
        assert "store is busy" in str(caught.value)


def test_a_lock_held_for_a_moment_is_waited_for(made: Path) -> None:
    code = (
        f"import duckdb, time; c = duckdb.connect({str(made)!r}); print('open', flush=True); time.sleep(1.5)"
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "open"
    try:
        started = time.monotonic()
        con = connect(made, timeout=20)
        con.close()
        assert time.monotonic() - started > 0.5  # it did wait
    finally:
        p.wait()


def test_the_cli_says_store_is_busy_in_one_line_and_exits_2(made: Path) -> None:
    with holder(made, 30):
        out = cli("reports", "--db", str(made), env={"NIANBAO_STORE_BUSY_TIMEOUT": "0.5"})
        assert out.returncode == 2
        assert "store is busy" in out.stderr and "数据库正忙" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_the_cli_reads_while_another_process_reads(made: Path) -> None:
    with holder(made, 30, read_only=True):
        out = cli("reports", "--db", str(made), env={"NIANBAO_STORE_BUSY_TIMEOUT": "0.5"})
        assert out.returncode == 0, out.stderr


def test_a_corrupt_store_gets_an_honest_message(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(os.urandom(300_000))
    for read_only in (True, False):
        with pytest.raises(StoreCorrupt) as caught:
            connect(junk, read_only=read_only)
        assert "损坏" in caught.value.zh and "busy" not in str(caught.value)
    out = cli("reports", "--db", str(junk))
    assert out.returncode == 2 and "damaged" in out.stderr and "busy" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_truncated_store_gets_the_same_honest_message(made: Path) -> None:
    data = made.read_bytes()
    made.write_bytes(data[: len(data) // 3])
    with pytest.raises(StoreCorrupt):
        con = connect(made, read_only=True)
        con.execute("select * from reports").fetchall()


def test_the_dashboard_says_busy_in_chinese() -> None:
    from nianbao.ui.errors import message_for

    assert message_for(StoreBusy("x.duckdb")).startswith("数据库正忙，请稍后重试")
    assert "损坏" in message_for(StoreCorrupt("x.duckdb"))


def test_the_dashboard_says_when_the_database_ran_out_of_memory() -> None:
    from nianbao.ui.errors import message_for

    said = message_for(duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block"))
    assert "内存不足" in said and "NIANBAO_DUCKDB_MEMORY_LIMIT_MB" in said
    assert said != message_for(duckdb.InternalException("INTERNAL Error"))


def test_a_process_holds_the_store_only_during_an_operation(made: Path) -> None:
    with store.reading(made) as cur:
        cur.execute("select count(*) from reports").fetchall()
        other = cli("reports", "--db", str(made), env={"NIANBAO_STORE_BUSY_TIMEOUT": "0.3"})
        assert other.returncode == 0  # reading beside a reader is fine
    # Between operations nothing is open: another process can write at once.
    assert another_process_writes(made)


def test_a_write_inside_one_process_waits_for_its_readers_and_readers_share_it(made: Path) -> None:
    order: list[str] = []
    entered = threading.Event()

    def reader() -> None:
        with store.reading(made) as cur:
            entered.set()
            time.sleep(0.4)
            cur.execute("select 1").fetchall()
            order.append("read done")

    t = threading.Thread(target=reader)
    t.start()
    entered.wait(10)
    with store.writing(made) as cur:
        order.append("write")
        cur.execute("create table if not exists y (a int)").fetchall()
        with store.reading(made) as inner:  # a reader during the write shares the connection
            assert inner.execute("select count(*) from y").fetchall() == [(0,)]
    t.join()
    assert order == ["read done", "write"]


def _writer_behind_a_slow_writer(db: Path) -> list[str]:
    """Thread A writes for 1 s; thread B asks to write meanwhile. What B got."""
    got: list[str] = []
    inside = threading.Event()

    def slow() -> None:
        with store.writing(db) as cur:
            inside.set()
            time.sleep(1.0)
            cur.execute("create table if not exists slow (a int)").fetchall()

    a = threading.Thread(target=slow)
    a.start()
    inside.wait(10)
    try:
        with store.writing(db) as cur:
            cur.execute("create table if not exists quick (a int)").fetchall()
            got.append("written")
    except StoreBusy:
        got.append("busy")
    a.join()
    return got


def test_a_writer_queued_behind_its_own_process_is_not_told_busy(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_STORE_BUSY_TIMEOUT", "0.3")  # shorter than the other write
    assert _writer_behind_a_slow_writer(made) == ["written"]
    monkeypatch.setenv("NIANBAO_STORE_QUEUE_TIMEOUT", "0.3")  # the line itself still has an end
    assert _writer_behind_a_slow_writer(made) == ["busy"]


# ------------------------------------------------------------------ many uploads through the page's save path


def _saves(db: Path, seed: bytes, threads: int, per_thread: int) -> tuple[list[str], int, int]:
    """threads × per_thread uploads through ui.upload.save_upload while a thread reads the ranking."""
    from nianbao.ui import data, upload

    errors: list[str] = []
    reads = 0
    done = threading.Event()

    def saver(t: int) -> None:
        for i in range(per_thread):
            unit = f"西宁市城中区测试{i}局"  # a new unit that every thread stores at once: the old race
            try:
                msg = upload.save_upload(str(db), variant(seed, t * 1000 + i), "r.txt", unit, 2020 + t % 3)
                if "已保存" not in msg:
                    errors.append(msg)
            except Exception as exc:  # noqa: BLE001 - every error counts
                errors.append(f"save {t}/{i}: {type(exc).__name__}: {exc}")

    def ranking() -> None:
        nonlocal reads
        while not done.is_set():
            try:
                data.frame(str(db), "select * from district_ranking order by year, rank")
                data.overview.__wrapped__(str(db), 2020)  # type: ignore[attr-defined]
                reads += 1
            except Exception as exc:  # noqa: BLE001
                errors.append(f"read: {type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=saver, args=(t,)) for t in range(threads)]
    r = threading.Thread(target=ranking)
    r.start()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    done.set()
    r.join()
    con = connect(db, read_only=True)
    try:
        stored = int(con.execute("select count(*) from reports").fetchall()[0][0])
        scored = int(con.execute("select count(*) from score_store").fetchall()[0][0])
        stale = int(con.execute("select count(*) from stale_reports").fetchall()[0][0])
    finally:
        con.close()
    assert stale == 0
    assert scored == stored
    return errors, stored, reads


def test_concurrent_uploads_through_the_save_path_lose_nothing(made: Path, seed_bytes: bytes) -> None:
    threads, per = (8, 50) if STRESS else (4, 10)
    errors, stored, reads = _saves(made, seed_bytes, threads, per)
    assert errors == []
    assert stored == threads * per
    assert reads > 0
    print(f"\nconcurrent uploads: {threads} × {per} = {stored} stored, 0 lost, {reads} ranking reads")


# ------------------------------------------------------------------ processes side by side


def test_two_cli_ingests_at_once_both_succeed(tmp_path: Path, seed_bytes: bytes) -> None:
    db = tmp_path / "s.duckdb"
    a = files(tmp_path / "a", seed_bytes, 3)
    b = files(tmp_path / "b", seed_bytes, 3, start=100)
    procs = [
        subprocess.Popen(
            [*NIANBAO, "ingest", *map(str, batch), "--db", str(db)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for batch in (a, b)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    con = connect(db, read_only=True)
    try:
        ids = {r[0] for r in con.execute("select report_id from reports").fetchall()}
    finally:
        con.close()
    assert ids == {sha(p) for p in a + b}


APPTEST = textwrap.dedent(
    """
    import sys, streamlit as st
    from streamlit.testing.v1 import AppTest
    runs = int(sys.argv[1])
    bad = 0
    for i in range(runs):
        st.cache_data.clear()  # every run reads the store again
        at = AppTest.from_file(sys.argv[2], default_timeout=120)
        at.run()
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        if problems:
            bad += 1
            print("PROBLEM", problems, flush=True)
        print("page", i, flush=True)
    sys.exit(1 if bad else 0)
    """
)


def test_a_cli_ingest_runs_while_the_dashboard_serves_pages(tmp_path: Path, seed_bytes: bytes) -> None:
    db = tmp_path / "s.duckdb"
    first = files(tmp_path / "first", seed_bytes, 2)
    assert cli("ingest", *map(str, first), "--db", str(db), "--unit", UNIT).returncode == 0
    script = tmp_path / "pages.py"
    script.write_text(APPTEST, encoding="utf-8")
    env = {**os.environ, "NIANBAO_DB": str(db)}
    pages = subprocess.Popen(
        [sys.executable, str(script), "6", str(ROOT / "dashboard.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert pages.stdout is not None
    assert pages.stdout.readline().startswith("page 0")  # the dashboard is serving
    more = files(tmp_path / "more", seed_bytes, 4, start=10)
    ingest = cli("ingest", *map(str, more), "--db", str(db), "--unit", UNIT)
    out, err = pages.communicate(timeout=600)
    assert ingest.returncode == 0, ingest.stderr
    assert pages.returncode == 0, out + err
    assert out.count("page") == 5
    con = connect(db, read_only=True)
    try:
        assert con.execute("select count(*) from reports").fetchall() == [(6,)]
    finally:
        con.close()


# ------------------------------------------------------------------ kill -9 during ingest


def _check_after_kill(db: Path, committed: set[str], offered: set[str]) -> None:
    if not db.exists():  # killed before the store was first created (a slow start on a busy machine)
        assert not committed
        return
    con = connect(db, read_only=True)  # before any read-write open could repair anything
    try:
        ids = {r[0] for r in con.execute("select report_id from reports").fetchall()}
        assert committed <= ids  # every committed report kept
        assert ids <= offered
        assert con.execute("select count(*) from stale_reports").fetchall() == [(0,)]  # no stale scores
        for rid in ids:  # no partial report: every part is there
            for table in ("cells", "sections", "score_store"):
                n = con.execute(f"select count(*) from {table} where report_id = ?", [rid]).fetchall()[0][0]
                assert n > 0, (rid, table)
            docs = con.execute("select count(*) from documents where sha256 = ?", [rid]).fetchall()
            assert docs == [(1,)]
    finally:
        con.close()
    connect(db).close()  # and it opens read-write too


def test_kill_9_at_random_points_during_ingest_loses_nothing_committed(
    tmp_path: Path, seed_bytes: bytes
) -> None:
    trials = 20 if STRESS else 5
    db = tmp_path / "s.duckdb"
    rng = random.Random(8)
    committed: set[str] = set()
    offered: set[str] = set()
    killed = 0
    for trial in range(trials):
        batch = files(tmp_path / f"t{trial}", seed_bytes, 12, start=trial * 20)
        offered |= {sha(p) for p in batch}
        p = subprocess.Popen(
            [*NIANBAO, "ingest", *map(str, batch), "--db", str(db), "--unit", UNIT],
            cwd=ROOT,
            # four writes of three files each: a kill lands before, inside or between batches
            env={**os.environ, "NIANBAO_INGEST_BATCH_REPORTS": "3"},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        time.sleep(rng.uniform(0.5, 8.0))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate()
        killed += p.returncode == -signal.SIGKILL
        for line in out.splitlines():
            if ": stored as " in line or ": already stored as " in line:
                path = Path(line.split(": ")[0])
                committed.add(sha(path))
        _check_after_kill(db, committed, offered)
    assert killed >= trials // 2  # most trials really were cut off mid-way
    print(
        f"\nkill -9 trials: {trials} ({killed} killed mid-ingest), {len(committed)} committed kept, 0 partial"
    )


def test_duckdb_is_really_single_writer_across_processes(made: Path) -> None:
    """The premise of the rules above: a second process cannot open a store being written."""
    with holder(made, 30), pytest.raises(duckdb.IOException):
        duckdb.connect(str(made), read_only=True)


def test_the_dashboard_holds_no_lock_between_pages_or_after_a_save(made: Path, seed_bytes: bytes) -> None:
    from nianbao.ui import data, upload

    write = f"import duckdb; duckdb.connect({str(made)!r}).execute('create table if not exists z (a int)')"
    data.overview.__wrapped__(str(made), 2020)  # type: ignore[attr-defined]
    data.findings_view.__wrapped__(str(made))  # type: ignore[attr-defined]
    assert subprocess.run([sys.executable, "-c", write], timeout=60).returncode == 0
    assert "已保存" in upload.save_upload(str(made), seed_bytes, "r.txt", UNIT, 2020)
    assert subprocess.run([sys.executable, "-c", write], timeout=60).returncode == 0


def _opens(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each open of the store from now on, as its read_only flag."""
    opened: list[bool] = []
    real = store.connect

    def counted(db: str | Path, read_only: bool = False, **kw: object) -> duckdb.DuckDBPyConnection:
        opened.append(read_only)
        return real(db, read_only, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "connect", counted)
    return opened


def test_a_page_run_opens_the_store_once_for_all_its_reads(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _opens(monkeypatch)
    for _ in range(3):
        with store.reading(made) as cur:
            cur.execute("select count(*) from reports").fetchall()
    assert opened == [True, True, True]  # outside a page run: one open per read
    opened.clear()
    with store.keeping(made):
        for _ in range(3):
            with store.reading(made) as cur:
                cur.execute("select count(*) from reports").fetchall()
        assert opened == [True]
    with store.reading(made) as cur:  # a read after the run is one operation again
        cur.execute("select 1").fetchall()
    # The run is over: nothing is left open, another process can write at once.
    assert another_process_writes(made)


def test_a_page_run_whose_reads_are_all_cached_opens_nothing(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _opens(monkeypatch)
    with store.keeping(made):
        pass
    assert opened == []


def test_a_save_inside_a_page_run_lets_the_page_read_go_first(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _opens(monkeypatch)
    with store.keeping(made):
        with store.reading(made) as cur:
            cur.execute("select 1").fetchall()
        with store.writing(made) as cur:
            cur.execute("create table if not exists saved (a int)").fetchall()
        with store.reading(made) as cur:
            assert cur.execute("select count(*) from saved").fetchall() == [(0,)]
    assert opened == [True, False, True]
    assert another_process_writes(made)


def test_another_thread_writes_once_a_page_run_ends(made: Path) -> None:
    done: list[str] = []
    inside = threading.Event()

    def page() -> None:
        with store.keeping(made):
            with store.reading(made) as cur:
                cur.execute("select 1").fetchall()
            inside.set()
            time.sleep(0.3)
            done.append("page")

    t = threading.Thread(target=page)
    t.start()
    inside.wait(10)
    with store.writing(made) as cur:
        cur.execute("create table if not exists w (a int)").fetchall()
        done.append("write")
    t.join()
    assert done == ["page", "write"]


def test_a_save_in_a_page_run_does_not_deadlock_with_a_writer_ahead_of_it(made: Path) -> None:
    # B is first in the writers' line and waits for the readers to leave; A, in a page run that
    # keeps its read open, then saves too: A must let its read go before queueing behind B.
    done: list[str] = []
    kept = threading.Event()

    def other_session() -> None:
        kept.wait(10)
        with store.writing(made) as cur:
            cur.execute("create table if not exists b (a int)").fetchall()
            done.append("B")

    b = threading.Thread(target=other_session)
    b.start()
    with store.keeping(made):
        with store.reading(made) as cur:
            cur.execute("select 1").fetchall()
        kept.set()
        time.sleep(0.5)  # B now holds the writers' line and waits for this read
        with store.writing(made, timeout=5) as cur:
            cur.execute("create table if not exists a (a int)").fetchall()
            done.append("A")
    b.join(30)
    assert sorted(done) == ["A", "B"]
