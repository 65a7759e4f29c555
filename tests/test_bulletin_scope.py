"""The 通报 follows the reader's scope: district staff get their district's part of the notice, in the
preview and in the DOCX/XLSX files; supervisors and viewers the whole city's."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from checkkit import open_store, store
from docx import Document
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from test_rounds import B_ID, R8, R9, A, B, _broken, _vetoed

from nianbao import rounds, units, users
from nianbao.export import bulletin

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "s3cret-pass"
OWN = "城西区"  # B's district; A is 城中区, the other district governments never published


def _others() -> list[str]:
    return [d for d in units.districts() if d != OWN]


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    con, db = open_store(tmp_path_factory.mktemp("bulletin-scope"))
    store(con, db, _vetoed(A))
    store(con, db, _broken(B))
    rounds.close_round(con, R8, actor="t", at=datetime(2026, 4, 13, 17))
    rounds.close_round(con, R9, actor="t", at=datetime(2026, 4, 27, 17))
    con.close()
    path = db.parent / "users.yaml"
    users.add(path, "boss", users.SUPERVISOR, PASSWORD)
    users.add(path, "xi", users.DISTRICT, PASSWORD, district=OWN)
    users.add(path, "look", users.VIEWER, PASSWORD)
    return db


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)


def _named(text: str) -> list[str]:
    """The other districts a text names."""
    return [d for d in _others() if d in text]


def test_every_district_together_counts_as_the_round_summary(two_rounds: Path) -> None:
    con = duckdb.connect(str(two_rounds), read_only=True)
    try:
        for s in rounds.list_rounds(con):
            view = rounds.show_round(con, int(s["round"]))
            again = bulletin.scoped_summary(view.summary, view.units, view.findings)
            assert again == s
            every = (*units.districts(), None)  # the city's own bodies have no district
            assert bulletin.scope_view(view, every).summary == s  # type: ignore[arg-type]
    finally:
        con.close()


def test_a_district_gets_its_part_of_the_notice_and_files(two_rounds: Path) -> None:
    con = duckdb.connect(str(two_rounds), read_only=True)
    try:
        city = bulletin.compose(con, 9)
        part = bulletin.compose(con, 9, districts=(OWN,))
    finally:
        con.close()
    city_text = _docx_text(bulletin.docx_bytes(city)) + _xlsx_text(bulletin.annex_xlsx_bytes(city))
    assert len(_named(city_text)) >= 2  # the city's notice names other districts' units
    docx, xlsx = _docx_text(bulletin.docx_bytes(part)), _xlsx_text(bulletin.annex_xlsx_bytes(part))
    assert _named(docx) == [] and _named(xlsx) == []
    assert B_ID in docx and B_ID in xlsx and f"（{OWN}部分）" in part.title
    assert {row[1] for row in part.annex} == {OWN}
    ranking = next(b for b in part.body if b.kind == "table")
    city_ranking = next(b for b in city.body if b.kind == "table")
    assert ranking.rows == [r for r in city_ranking.rows if r[1] == OWN]  # its rank among all districts
    assert part.numbers["units_due"] == rounds_units(two_rounds).count(OWN) < city.numbers["units_due"]


def rounds_units(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [str(d) for (d,) in con.execute("select district from round_units where round = 9").fetchall()]
    finally:
        con.close()


@pytest.fixture
def login(two_rounds: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("NIANBAO_DB", str(two_rounds))
    monkeypatch.setenv("NIANBAO_USERS", str(two_rounds.parent / "users.yaml"))

    def run(name: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
        at.text_input[0].input(name)
        at.text_input[1].input(PASSWORD)
        at.button[0].click().run()
        at.switch_page("app_pages/bulletin.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        return at

    yield run


def _page_text(at: AppTest) -> str:
    shown = [str(e.value) for e in (*at.markdown, *at.caption, *at.subheader, *at.warning, *at.info)]
    shown += [e.value.to_string() for e in at.dataframe]
    shown += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(shown)


def test_district_staff_see_only_their_district_in_the_bulletin_page(login: object) -> None:
    at = login("xi")  # type: ignore[operator]
    text = _page_text(at)
    assert "检查情况的通报" in text and B_ID in text and f"{OWN}部分" in text
    assert _named(text) == [], _named(text)


@pytest.mark.parametrize("name", ["boss", "look"])
def test_supervisors_and_viewers_see_the_whole_citys_bulletin(login: object, name: str) -> None:
    at = login(name)  # type: ignore[operator]
    text = _page_text(at)
    assert "部分）" not in text and len(_named(text)) >= 2


def test_the_pages_notice_and_its_files_follow_the_signed_in_user(
    two_rounds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao.ui import bulletin as tb

    monkeypatch.setattr(tb, "current_scope", lambda: (OWN,))
    page = tb.round_page(str(two_rounds), 9)
    files = _docx_text(bulletin.docx_bytes(page.notice)) + _xlsx_text(bulletin.annex_xlsx_bytes(page.notice))
    assert B_ID in files and _named(files) == []
    assert {f["district"] for f in page.view.findings} == {OWN}
    assert set(tb.round_list(str(two_rounds))["units_due"]) == {rounds_units(two_rounds).count(OWN)}
    monkeypatch.setattr(tb, "current_scope", lambda: ())  # a district account without a district
    with pytest.raises(tb.Forbidden, match="无权查看"):
        tb.round_page(str(two_rounds), 9)


def test_the_command_line_writes_a_districts_part_and_refuses_an_unknown_district(
    two_rounds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nianbao.cli import main

    out = tmp_path / "part.docx"
    argv = ["bulletin", "--db", str(two_rounds), "--round", "9", "--out", str(out)]
    assert main([*argv, "--annex", str(tmp_path / "part.xlsx"), "--district", OWN]) == 0
    files = _docx_text(out.read_bytes()) + _xlsx_text((tmp_path / "part.xlsx").read_bytes())
    assert B_ID in files and f"（{OWN}部分）" in files and _named(files) == []
    capsys.readouterr()
    assert main([*argv, "--district", "火星区"]) == 2
    err = capsys.readouterr().err
    assert "不是本市区县" in err and len(err.strip().splitlines()) == 1
