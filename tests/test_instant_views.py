"""The instant check builds its views once into a cached file, and is the same without the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from checkkit import clone, make_report, open_store, put, store

from nianbao import instant


def _store(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    con, db = open_store(tmp_path)
    for i, town in enumerate(("多巴镇", "鲁沙尔镇", "上新庄镇", "田家寨镇", "共和镇", "甘河滩镇")):
        r = make_report("2021", 2021, unit=f"西宁市湟中区{town}", published="2022-01-20")
        put(r, "t2", "licensing", "decisions", str(10 + 3 * i))
        store(con, db, r)
    return con, db


def _checked(n: int) -> Any:
    r = make_report("2021", 2021, unit="西宁市湟中区李家山镇", published="2022-01-20")
    put(r, "t2", "licensing", "decisions", str(n))
    return r


def _answer(con: duckdb.DuckDBPyConnection, n: int) -> tuple[list[tuple[Any, ...]], Any]:
    got = instant.check(con, f"v{n}".encode(), clone(_checked(n)), file_name="x.txt", media_type="text/plain")
    return sorted((f["rule_id"], f["location"], f["message"]) for f in got.findings), got.scores["score"]


def test_the_views_are_built_once_and_reused_by_the_next_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("NIANBAO_CACHE", str(cache))
    con, _ = _store(tmp_path)
    builds: list[str] = []
    real = instant._build
    monkeypatch.setattr(instant, "_build", lambda cur, s, h: (builds.append(s), real(cur, s, h))[-1])
    first, second = _answer(con, 5), _answer(con, 2910)
    assert len(builds) == 1
    assert len(list(cache.glob(f"{instant.TEMPLATE_PREFIX}*.duckdb"))) == 1
    assert first != second  # the second check saw its own report, not the first one's rows
    assert not con.execute("select * from duckdb_databases() where database_name like 'instant_%'").fetchall()
    con.close()


def test_a_check_without_a_writable_cache_gives_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con, _ = _store(tmp_path)
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    cached = _answer(con, 2910)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("NIANBAO_CACHE", str(blocked))
    assert "PL-3" in {rule for rule, _, _ in cached[0]}  # far above its six peers
    assert _answer(con, 2910) == cached
    con.close()
