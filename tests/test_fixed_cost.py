"""The fixed cost of one check: a cached empty scratch store, and no imports a command does not need."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from nianbao import checks, store
from nianbao.checks import ScratchStore, empty_store

ROOT = Path(__file__).resolve().parent.parent


def _checks_version_of(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return str(con.execute("select value from store_meta where key = 'checks_version'").fetchall()[0][0])
    finally:
        con.close()


def _copy_queries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    queries = tmp_path / "queries"
    shutil.copytree(store.QUERIES, queries)
    monkeypatch.setattr(store, "QUERIES", queries)
    return queries


def test_the_cached_empty_store_is_rebuilt_when_a_query_files_digest_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = _copy_queries(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    first = empty_store(cache)
    assert first is not None and _checks_version_of(first) == store.checks_version()
    view = queries / f"{store.view_names()[0]}.sql"
    view.write_text(view.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    second = empty_store(cache)
    assert second is not None and second != first
    assert _checks_version_of(second) == store.checks_version()
    assert sorted(cache.glob("empty-store-*.duckdb")) == [second]  # the stale one is gone


def test_a_changed_view_reaches_the_scratch_store_of_the_next_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = _copy_queries(tmp_path, monkeypatch)
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    ScratchStore().close()  # caches the empty store of the original queries
    (queries / "ORDER").write_text((queries / "ORDER").read_text() + "\nprobe_view\n", encoding="utf-8")
    (queries / "probe_view.sql").write_text(
        "-- One row per probe.\ncreate or replace view probe_view as select 42 as answer;\n", encoding="utf-8"
    )
    with ScratchStore() as scratch:
        assert scratch.con.execute("select answer from probe_view").fetchall() == [(42,)]


def test_a_stale_file_under_the_current_name_is_still_brought_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    cached = empty_store()
    assert cached is not None
    con = duckdb.connect(str(cached))
    con.execute("update store_meta set value = 'old' where key = 'checks_version'")
    con.close()
    with ScratchStore() as scratch:
        assert _checks_version_of_con(scratch.con) == store.checks_version()


def _checks_version_of_con(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("select value from store_meta where key = 'checks_version'").fetchall()[0][0])


def test_the_empty_store_is_reused_not_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    first = empty_store()
    assert first is not None
    built = first.stat().st_mtime_ns
    calls: list[object] = []
    monkeypatch.setattr(store, "install_schema", lambda con: calls.append(con) or 0)
    assert empty_store() == first and first.stat().st_mtime_ns == built
    assert calls == []


def test_an_unwritable_cache_folder_leaves_the_check_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("NIANBAO_CACHE", str(blocker / "cache"))
    assert empty_store() is None
    with ScratchStore() as scratch:
        assert _checks_version_of_con(scratch.con) == store.checks_version()


def test_the_cache_folder_follows_nianbao_cache_then_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.paths import cache_dir

    monkeypatch.setenv("NIANBAO_CACHE", "/somewhere/nianbao-cache")
    assert cache_dir() == Path("/somewhere/nianbao-cache")
    monkeypatch.delenv("NIANBAO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache_dir() == Path("/xdg/nianbao")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache_dir() == Path.home() / ".cache" / "nianbao"


def test_the_digest_covers_the_duckdb_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = checks.schema_digest()
    monkeypatch.setattr(duckdb, "__version__", "0.0.0-other")
    assert checks.schema_digest() != before


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    out = tmp_path / "modules.json"
    program = code + f"\nimport json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    env = dict(os.environ, NIANBAO_CACHE=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=env, check=True, capture_output=True)
    return set(json.loads(out.read_text()))


def test_help_imports_neither_duckdb_nor_the_demo_generator(tmp_path: Path) -> None:
    loaded = _modules_after("from nianbao.cli import build_parser\nbuild_parser().format_help()", tmp_path)
    assert "nianbao.cli" in loaded
    for heavy in ("duckdb", "nianbao.store", "nianbao.demo.generate", "nianbao.maintenance", "polars"):
        assert heavy not in loaded, heavy


def test_check_imports_nothing_only_other_subcommands_need(tmp_path: Path, seed_bytes: bytes) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(seed_bytes)
    code = f"from nianbao.cli import main\nimport contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n    main(['check', {str(seed)!r}])"
    loaded = _modules_after(code, tmp_path)
    assert "nianbao.instant" in loaded
    for other in (
        "nianbao.demo",
        "nianbao.maintenance",
        "nianbao.harvest.run",
        "polars",
        "openpyxl",
        "tarfile",
    ):
        assert other not in loaded, other


def test_the_fsck_grace_help_names_the_maintenance_default() -> None:
    from nianbao import maintenance
    from nianbao.cli import build_parser

    fsck = build_parser()._subparsers._group_actions[0].choices["fsck"]  # type: ignore[union-attr]
    assert f"(default {maintenance.GRACE_SECONDS})" in fsck.format_help().replace("\n", " ").replace(
        "  ", " "
    )


def test_a_cached_store_removed_before_it_is_copied_is_built_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_CACHE", str(tmp_path / "cache"))
    gone = tmp_path / "cache" / "empty-store-gone.duckdb"
    monkeypatch.setattr(checks, "empty_store", lambda cache=None: gone)
    with ScratchStore() as scratch:
        assert _checks_version_of_con(scratch.con) == store.checks_version()
