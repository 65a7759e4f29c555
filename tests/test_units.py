"""The units file and unit resolution: canonical names, kinds, the rule that chose them, migration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from checkkit import make_report, open_store, rows, store

from nianbao import units
from nianbao.demo.generate import DemoConfig, units_of
from nianbao.store import connect


@pytest.fixture(autouse=True)
def packaged_units() -> Iterator[None]:
    """Every test starts and ends on the packaged units file."""
    units.use(None)
    yield
    units.use(None)


@pytest.mark.parametrize(
    "name",
    ["西宁市城中区", "城中区", "城中区政府", "城中区人民政府", "西宁市城中区人民政府", "城 中 区 政 府"],
)
def test_every_variant_of_a_district_resolves_to_its_government(name: str) -> None:
    unit = units.resolve(name)
    assert unit is not None
    assert (unit.unit_id, unit.district, unit.kind, unit.kind_rule, unit.own_report) == (
        "城中区人民政府",
        "城中区",
        "government",
        "units_file",
        True,
    )


def test_each_district_has_exactly_one_own_consolidated_report() -> None:
    own = [e for e in units.registry() if e.own_report]
    assert sorted(e.district or "" for e in own) == sorted(units.districts())
    assert len(units.districts()) == 7


def test_old_and_short_names_map_to_the_canonical_unit() -> None:
    found = {
        n: units.resolve(n)
        for n in ("湟中县人民政府", "大通县", "鲁沙尔镇", "城中区政府办公室", "西宁经开区")
    }
    assert {n: u.unit_id for n, u in found.items() if u} == {
        "湟中县人民政府": "湟中区人民政府",
        "大通县": "大通回族土族自治县人民政府",
        "鲁沙尔镇": "湟中区鲁沙尔镇人民政府",
        "城中区政府办公室": "城中区人民政府办公室",
        "西宁经开区": "西宁经济技术开发区管理委员会",
    }


def test_a_town_name_shared_by_two_counties_is_not_a_variant_of_either() -> None:
    # 城关镇 is in 大通 and in 湟源: alone, it names neither.
    unit = units.resolve("城关镇人民政府")
    assert unit is not None and unit.registered is False and unit.kind == "town"
    assert units.resolve("湟源县城关镇人民政府").unit_id == "湟源县城关镇人民政府"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "kind", "rule"),
    [
        ("上海市科学技术委员会", "department", "organ"),
        ("西安市阎良区机关事务服务中心", "department", "organ"),
        ("某区审计局", "department", "organ"),
        ("某县人民政府办公室", "department", "organ"),
        ("石家庄市桥西区中山街道办事处", "town", "town"),
        ("桥西区中山街道办", "town", "town"),
        ("吴起县铁边城镇", "town", "town"),
        ("西咸新区太平镇人民政府", "town", "town"),
        ("淮安市洪泽区人民政府", "government", "government"),
        ("淮安市洪泽区", "government", "government"),
        ("某某旗", "government", "government"),
        ("平潭综合实验区（管委会）", "zone", "zone"),
        ("平潭综合实验区", "zone", "zone"),
        ("某某经济技术开发区管理委员会", "zone", "zone"),
        ("兰州新区", "zone", "zone"),
        ("某某有限公司", "other", "other"),
    ],
)
def test_a_name_outside_the_units_file_gets_its_kind_from_the_first_matching_rule(
    name: str, kind: str, rule: str
) -> None:
    unit = units.resolve(name)
    assert unit is not None
    assert (unit.kind, unit.kind_rule, unit.registered) == (kind, rule, False)
    assert unit.kind_basis  # says which pattern chose it


def test_a_city_level_body_keeps_the_city_in_its_name() -> None:
    assert units.resolve("西宁市人民政府").unit_id == "西宁市人民政府"  # type: ignore[union-attr]
    assert units.resolve("西宁市教育局").unit_id == "西宁市教育局"  # type: ignore[union-attr]


def test_every_demo_unit_is_a_unit_of_the_units_file_with_the_same_kind() -> None:
    demo = units_of(DemoConfig())
    assert demo
    for u in demo:
        found = units.resolve(u.name)
        assert found is not None and found.registered, u.name
        assert (found.unit_id, found.district, found.kind) == (u.name, u.district.name, u.kind)


OTHER_CITY = """
city = "平潭"
departments = ["教育局"]

[[districts]]
name = "澳前镇"
variants = ["平潭澳前镇"]
towns = []

[[units]]
name = "平潭综合实验区管委会"
district = ""
kind = "zone"
variants = ["平潭综合实验区", "平潭综合实验区（管委会）"]

[[kind_rules]]
rule = "organ"
kind = "department"
patterns = ["局$"]
"""


def test_another_units_file_can_be_pointed_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "units.toml"
    path.write_text(OTHER_CITY, encoding="utf-8")
    monkeypatch.setenv(units.ENV, str(path))
    units.use(None)  # drop what was cached for the packaged file
    assert units.districts() == ["澳前镇"]
    zone = units.resolve("平潭综合实验区（管委会）")
    assert zone is not None and (zone.unit_id, zone.kind, zone.kind_rule) == (
        "平潭综合实验区管委会",
        "zone",
        "units_file",
    )
    assert units.resolve("城中区") is not None and units.resolve("城中区").kind == "other"  # type: ignore[union-attr]
    monkeypatch.delenv(units.ENV)
    units.use(None)
    assert units.resolve("城中区").unit_id == "城中区人民政府"  # type: ignore[union-attr]


def test_the_units_table_keeps_the_rule_that_chose_each_kind(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    store(con, db, make_report(unit="平潭综合实验区（管委会）"))
    store(con, db, make_report(unit="西宁市城中区民政局", published="2021-01-20"))
    got = rows(con, "select unit_id, kind, kind_rule, own_report from units order by unit_id")
    con.close()
    assert ("平潭综合实验区(管委会)", "zone", "zone", False) in got
    assert ("城中区民政局", "department", "units_file", False) in got
    assert ("城中区人民政府", "government", "units_file", True) in got


def test_a_timeliness_finding_states_the_class_and_the_rule_that_chose_it(tmp_path: Path) -> None:
    con, db = open_store(tmp_path)
    rid = store(con, db, make_report(unit="平潭综合实验区（管委会）", published="2021-04-10"))
    found = rows(con, "select message from report_findings where report_id = ? and rule_id = 'TIME-1'", [rid])
    con.close()
    assert len(found) == 1
    message = found[0][0]
    assert "开发区" in message and "管委会" in message and "本地惯例" in message, message


def test_moving_to_a_new_units_file_moves_stored_reports_to_the_canonical_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store made with a units file that does not know 城北区: its report sits under the bare name.
    path = tmp_path / "units.toml"
    path.write_text(OTHER_CITY, encoding="utf-8")
    monkeypatch.setenv(units.ENV, str(path))
    units.use(None)
    con, db = open_store(tmp_path / "a")
    con.close()
    con = connect(db)
    first = store(con, db, make_report(unit="城北区政府", published="2021-03-20"))
    second = store(con, db, make_report(unit="西宁市城北区人民政府", published="2021-03-25"))
    before = rows(con, "select report_id, unit_id, version from reports order by unit_id")
    con.close()
    assert {u for _, u, _ in before} == {"城北区政府", "西宁市城北区人民政府"}
    # Back on the packaged file, opening the store moves both to 城北区人民政府, as two versions.
    monkeypatch.delenv(units.ENV)
    units.use(None)
    con = connect(db)
    after = rows(con, "select report_id, unit_id, version from reports order by version")
    kinds = rows(con, "select distinct kind from report_scores")
    left = rows(con, "select unit_id from units where unit_id in ('城北区政府', '西宁市城北区人民政府')")
    moves = rows(
        con,
        "select subject, json_extract_string(detail, '$.unit_after') from audit_log where action = 'unit_move'"
        " order by subject",
    )
    con.close()
    assert after == [(first, "城北区人民政府", 1), (second, "城北区人民政府", 2)]
    assert moves == sorted([(first, "城北区人民政府"), (second, "城北区人民政府")])
    assert kinds == [("government",)]
    assert left == []


def test_the_units_option_points_the_command_line_at_another_file(
    tmp_path: Path, seed_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    from nianbao.cli import main

    assert main(["--units", str(tmp_path / "nope.toml"), "rules"]) == 2
    assert "单位名录文件不存在" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'city = "x"\n[[kind_rules]]\nrule = "r"\nkind = "town"\npatterns = ["("]\n', encoding="utf-8"
    )
    assert main(["--units", str(bad), "rules"]) == 2
    assert "单位名录文件有误" in capsys.readouterr().err
    units.use(None)
    path = tmp_path / "units.toml"
    path.write_text(OTHER_CITY, encoding="utf-8")
    seed = tmp_path / "seed.txt"
    seed.write_bytes(seed_bytes)
    db = tmp_path / "s.duckdb"
    assert main(["--units", str(path), "ingest", str(seed), "--db", str(db)]) == 0
    con = connect(db)
    got = rows(con, "select unit_id, kind, kind_rule from units join reports using (unit_id)")
    con.close()
    # that file knows neither 西宁市 nor any rule for 人民政府: the seed's unit is kept whole, kind guessed
    assert got == [("西宁市湟中区人民政府", "other", "other")]


def test_the_packaged_units_file_is_valid() -> None:
    units.validate()
    assert units.city() == "西宁市"
