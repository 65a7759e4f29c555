"""The city's scope is the units file plus the units named in a harvest sources file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nianbao import scope
from nianbao.cli import main

ONLY_IN_SOURCES = "青海湖景区保护利用管理局"  # in no units file, and names no district of the city
IN_NEITHER = "海东市乐都区人民政府"


def _sources(path: Path, unit: str) -> Path:
    path.write_text(
        f'[[source]]\nunit = "{unit}"\nlists = ["https://example.gov.cn/nb/"]\n', encoding="utf-8"
    )
    return path


def _stored(db: Path) -> list[tuple[str, bool]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            (str(u), bool(o))
            for u, o in con.execute(
                "select r.unit_id, o.report_id is not null from reports as r "
                "left join outside_reports as o using (report_id) order by r.unit_id"
            ).fetchall()
        ]
    finally:
        con.close()


def test_a_unit_named_only_in_the_sources_file_is_in_scope(tmp_path: Path) -> None:
    sources = _sources(tmp_path / "s.toml", ONLY_IN_SOURCES)
    assert not scope.in_scope(ONLY_IN_SOURCES)  # the units file alone does not know it
    assert scope.in_scope(ONLY_IN_SOURCES, sources=sources)
    assert not scope.in_scope(IN_NEITHER, sources=sources)


def test_ingest_stores_a_sources_unit_in_the_city_and_refuses_a_unit_in_neither(
    tmp_path: Path, seed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.duckdb"
    sources = _sources(tmp_path / "sources-other.toml", ONLY_IN_SOURCES)
    assert main(["ingest", str(seed_file), "--db", str(db), "--unit", ONLY_IN_SOURCES]) == 2
    assert "非本市单位" in capsys.readouterr().err
    assert (
        main(
            ["ingest", str(seed_file), "--db", str(db), "--unit", ONLY_IN_SOURCES, "--sources", str(sources)]
        )
        == 0
    )
    assert _stored(db) == [(ONLY_IN_SOURCES, False)]  # stored in the city's scope, not outside
    capsys.readouterr()
    code = main(["ingest", str(seed_file), "--db", str(db), "--unit", IN_NEITHER, "--sources", str(sources)])
    err = capsys.readouterr().err
    assert code == 2 and "非本市单位" in err and len(err.strip().splitlines()) == 1
    assert _stored(db) == [(ONLY_IN_SOURCES, False)]


def test_the_stores_own_sources_file_widens_the_scope_without_an_option(
    tmp_path: Path, seed_file: Path
) -> None:
    db = tmp_path / "s.duckdb"
    _sources(tmp_path / "sources.toml", ONLY_IN_SOURCES)  # beside the store: what `nianbao harvest` reads
    assert main(["ingest", str(seed_file), "--db", str(db), "--unit", ONLY_IN_SOURCES]) == 0
    assert _stored(db) == [(ONLY_IN_SOURCES, False)]


def test_a_broken_sources_file_is_one_line_and_stores_nothing(
    tmp_path: Path, seed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.duckdb"
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]\nunit = ", encoding="utf-8")
    assert main(["ingest", str(seed_file), "--db", str(db), "--sources", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "采集源文件" in err and len(err.strip().splitlines()) == 1
    assert not db.exists()
