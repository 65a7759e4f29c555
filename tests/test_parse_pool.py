"""A batch `nianbao ingest` parses on worker processes and stores what one process stores."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import duckdb
import pytest

from nianbao.cli import main
from nianbao.errors import UnreadableReport
from nianbao.ingest import parse_bytes
from nianbao.parse_pool import parsed_files, workers_for
from tests.conftest import corpus_file

# Every layout of the corpus: HTML pages, the WPS PDF, Word-dump and glued text, Markdown.
CORPUS_FILES = (
    "fujian_pingtan_2019.html",
    "fujian_pingtan_2024.html",
    "jiangsu_huaian_hongzequ_2024.pdf",
    "fujian_pingtan_2020.txt",
    "hunan_taojiang_shenjiju_2020.txt",
    "shanghai_kewei_2024_pdf2md.md",
    "fujian_pingtan_2018_oldformat.txt",
    "guangdong_heping_heshuizhen_2024_notables.txt",
)


def _files(folder: Path) -> list[str]:
    """The corpus files, with a file that is no report and a missing one among them."""
    paths = [str(corpus_file(name)) for name in CORPUS_FILES]
    junk = folder / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    paths.insert(3, str(junk))
    paths.insert(5, str(folder / "missing.txt"))
    return paths


def _stored(db: Path) -> list[list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            con.execute(sql).fetchall()
            for sql in (
                "select report_id, unit_id, year, template, version from reports order by all",
                "select * from cells order by all",
                "select * from sections order by all",
                "select * from facts order by all",
                "select * from parse_notes order by all",
                "select report_id, fingerprint, rule_id, location, message from finding_store order by all",
                "select report_id, score, verdict from score_store order by all",
            )
        ]
    finally:
        con.close()


def test_files_parsed_by_workers_are_stored_as_one_process_stores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    monkeypatch.setenv("NIANBAO_INGEST_PARSE_WORKERS", "1")
    assert workers_for(len(files)) == 0
    alone = main(["ingest", "--outside", "--db", str(tmp_path / "alone.duckdb"), *files])
    said_alone = capsys.readouterr()
    monkeypatch.setenv("NIANBAO_INGEST_PARSE_WORKERS", "2")
    monkeypatch.setenv("NIANBAO_INGEST_PARALLEL_FROM_FILES", "2")
    assert workers_for(len(files)) == 2
    pooled = main(["ingest", "--outside", "--db", str(tmp_path / "pooled.duckdb"), *files])
    said_pooled = capsys.readouterr()
    assert alone == pooled == 2  # the junk and the missing file fail; the rest are stored
    assert said_pooled.out.replace("pooled", "alone") == said_alone.out
    assert said_pooled.err.replace("pooled", "alone") == said_alone.err
    assert said_pooled.out.count(": stored as ") == len(CORPUS_FILES) - 1  # the 2018 report is refused
    assert "文件不存在" in said_pooled.err and "junk.bin" in said_pooled.err
    assert _stored(tmp_path / "pooled.duckdb") == _stored(tmp_path / "alone.duckdb")


def test_a_few_files_are_parsed_without_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_INGEST_PARALLEL_FROM_FILES", raising=False)
    monkeypatch.setenv("NIANBAO_INGEST_PARSE_WORKERS", "4")
    assert workers_for(3) == 0
    assert workers_for(40) == 4


def test_files_held_by_a_worker_that_died_are_parsed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao import parse_pool

    paths = [str(corpus_file(name)) for name in CORPUS_FILES[:4]] * 3
    here: list[str] = []

    def parse_here(data: bytes, name: str) -> object:
        here.append(name)
        return parse_bytes(data, name)

    monkeypatch.setattr(parse_pool, "parse_bytes", parse_here)  # the workers keep their own

    def read(path: str) -> bytes | str:
        return Path(path).read_bytes()

    def parse_or_code(parse: object) -> object:
        try:
            return parse()  # type: ignore[operator]
        except UnreadableReport as e:
            return e.code

    out = []
    for i, (_path, data, parse) in enumerate(parsed_files(paths, read, workers=2)):
        if i == 0:  # every other file is still with the workers: kill them
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
        assert isinstance(data, bytes)
        out.append(parse_or_code(parse))
    assert len(out) == len(paths) and 0 < len(here) < len(paths)
    assert out == [parse_or_code(lambda p=p: parse_bytes(Path(p).read_bytes(), p)) for p in paths]


def _workers_of(pid: int) -> list[int]:
    """Worker processes started by the ingest `pid` that are still running, wherever they moved."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if "multiprocessing" in cmdline and f"NIANBAO_TEST_INGEST={pid}".encode() in environ:
                found.append(int(entry.name))
    return found


def test_an_ingest_killed_while_its_workers_parse_leaves_no_worker_behind(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    paths = [str(corpus_file(name)) for name in CORPUS_FILES] * 4
    tag = str(os.getpid())
    env = {
        **os.environ,
        "NIANBAO_TEST_INGEST": tag,  # marks the ingest's processes, workers included
        "NIANBAO_INGEST_PARSE_WORKERS": "2",
        "NIANBAO_INGEST_PARALLEL_FROM_FILES": "2",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nianbao.cli",
            "ingest",
            "--outside",
            "--db",
            str(tmp_path / "s.duckdb"),
            *paths,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not _workers_of(int(tag)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _workers_of(int(tag)), "the ingest started no workers"
    proc.kill()
    proc.communicate(timeout=30)  # nothing else holds its output open
    deadline = time.monotonic() + 10
    while _workers_of(int(tag)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _workers_of(int(tag)) == []
