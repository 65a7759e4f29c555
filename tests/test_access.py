"""Access: users file and roles, login, district scope enforced in the data layer, uploads only for
one's own units, the audit log naming the user, the demo without login, report text as plain text."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import ui_store
import yaml
from streamlit.testing.v1 import AppTest
from test_dashboard import ROOT, list_rows, seed_path

from nianbao import users
from nianbao.cli import main
from nianbao.ui.plain import md

PASSWORD = "s3cret-pass"


@pytest.fixture(scope="module")
def access_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ui_store.shared(tmp_path_factory.getbasetemp(), seed_path().read_bytes(), "access")


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.yaml"
    users.add(path, "boss", users.SUPERVISOR, PASSWORD)
    users.add(path, "dong", users.DISTRICT, PASSWORD, district="城东区")
    users.add(path, "look", users.VIEWER, PASSWORD)
    return path


def _app(db: Path, users_path: Path | None, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("NIANBAO_DB", str(db))
    if users_path is None:
        monkeypatch.setenv("NIANBAO_USERS", str(db.parent / "no-users.yaml"))
    else:
        monkeypatch.setenv("NIANBAO_USERS", str(users_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    return at


def _login(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


@pytest.fixture
def app_as(access_db: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def login(name: str) -> AppTest:
        at = _login(_app(access_db, users_file, monkeypatch), name)
        assert not at.exception, [e.value for e in at.exception]
        assert st_text(at, "已登录")
        return at

    yield login


def st_text(at: AppTest, needle: str) -> bool:
    texts = [e.value for e in (*at.caption, *at.markdown, *at.warning, *at.error, *at.success, *at.info)]
    return any(needle in str(t) for t in texts)


def _errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def test_user_add_stores_a_bcrypt_hash_and_never_the_password(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    out = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "user", "add", "dong", "--role", "district"]
        + ["--district", "城东区", "--users", str(path), "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    entry = yaml.safe_load(text)["credentials"]["usernames"]["dong"]
    assert entry["role"] == "district" and entry["district"] == "城东区"
    assert entry["password"].startswith("$2") and users.check_password(PASSWORD, entry["password"])
    assert not users.check_password("wrong-password", entry["password"])
    assert path.stat().st_mode & 0o077 == 0
    assert users.load(path) == {"dong": users.User("dong", "district", "城东区")}


@pytest.mark.parametrize(
    "args",
    [
        ["x", "--role", "district"],  # no district
        ["x", "--role", "district", "--district", "火星区"],
        ["x", "--role", "viewer", "--district", "城东区"],
        ["x", "--role", "admin"],
    ],
)
def test_user_add_refuses_a_bad_entry_in_one_line(tmp_path: Path, args: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "user", "add", *args, "--users", str(tmp_path / "u.yaml")]
        + ["--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert not (tmp_path / "u.yaml").exists()


def test_user_add_and_remove_are_in_the_audit_log(db_path: Path, tmp_path: Path, seed_bytes: bytes) -> None:
    from nianbao import audit
    from nianbao.store import connect

    connect(db_path).close()
    users_path = tmp_path / "u.yaml"
    import io

    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO(PASSWORD + "\n")
        assert main(["user", "add", "look", "--role", "viewer", "--db", str(db_path), "--users", str(users_path), "--password-stdin"]) == 0  # fmt: skip
    finally:
        sys.stdin = stdin
    assert main(["user", "remove", "look", "--db", str(db_path), "--users", str(users_path)]) == 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        got = [(e["action"], e["subject"]) for e in audit.events(con, subject_kind="user")]
    finally:
        con.close()
    assert got == [("user.remove", "look"), ("user.add", "look")]
    assert users.load(users_path) == {}


def test_roles_decide_who_may_save_for_which_district() -> None:
    boss, dong, look = (
        users.User("b", users.SUPERVISOR),
        users.User("d", users.DISTRICT, "城东区"),
        users.User("v", users.VIEWER),
    )
    assert boss.may_save_for("湟中区") and boss.may_save_for(None) and boss.districts is None
    assert dong.may_save_for("城东区") and not dong.may_save_for("湟中区") and not dong.may_save_for(None)
    assert dong.districts == ("城东区",)
    assert not look.may_save_for("城东区") and look.districts is None


def test_demo_runs_without_login_and_says_so(access_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(access_db, None, monkeypatch)
    assert not at.exception
    assert st_text(at, "演示模式")
    assert at.title and at.title[0].value == "总览与排名"


def test_with_users_nothing_is_shown_before_login(
    access_db: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(access_db, users_file, monkeypatch)
    assert not at.title and not at.dataframe and not at.html  # only the login form
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    _login(at, "dong", "wrong-password")
    assert "用户名或密码错误。" in _errors(at) and not at.title
    at.switch_page("app_pages/district.py").run()
    assert not at.title and not at.dataframe and not at.html


def test_district_staff_see_only_their_district_in_ranking_scorecard_and_findings(app_as: object) -> None:
    at = app_as("dong")  # type: ignore[operator]
    assert {r["district"] for r in list_rows(at, "ranking")} == {"城东区"}
    at.switch_page("app_pages/district.py").run()
    assert _district_box(at).options == ["城东区"]
    assert not _errors(at)
    at.switch_page("app_pages/findings.py").run()
    assert at.multiselect(key="filter-district").options in (["城东区"], [])


def test_district_staff_are_refused_another_districts_deep_links(app_as: object, access_db: Path) -> None:
    at = app_as("dong")  # type: ignore[operator]
    at.switch_page("app_pages/district.py")
    at.query_params["district"] = "湟中区"
    at.run()
    assert any("无权查看" in e for e in _errors(at)), _errors(at)
    assert not [h for h in at.html if "data-table" in h.value]  # no table of 湟中区 shown
    pick = "select r.report_id from reports r join units u using (unit_id) where u.district = ? limit 1"
    other = str(_rows(access_db, pick, ["湟中区"])[0][0])
    own = str(_rows(access_db, pick, ["城东区"])[0][0])
    del at.query_params["district"]
    at.switch_page("app_pages/report.py")  # the report deep link: /report?id=<report id>
    at.query_params["id"] = other
    at.run()
    assert any("无权查看" in e for e in _errors(at)), _errors(at)
    assert not [h for h in at.html if "data-table" in h.value]
    assert not st_text(at, "年度年报（第")  # not even the report's headline (unit, verdict, score)
    at.query_params["id"] = own
    at.run()
    assert not _errors(at) and [h for h in at.html if "data-table" in h.value]


def test_supervisor_sees_every_district_and_follows_any_deep_link(app_as: object) -> None:
    at = app_as("boss")  # type: ignore[operator]
    assert len({r["district"] for r in list_rows(at, "ranking")}) > 1
    at.switch_page("app_pages/district.py")
    at.query_params["district"] = "湟中区"
    at.run()
    assert not _errors(at) and _district_box(at).value == "湟中区"


def _district_box(at: AppTest) -> Any:
    """The district selector of the 区县记分卡 page (in the sidebar, kept in the URL)."""
    boxes = [b for b in at.selectbox if b.label == "区县"]
    assert len(boxes) == 1, [b.label for b in at.selectbox]
    return boxes[0]


def _upload(at: AppTest, unit: str) -> AppTest:
    at.switch_page("app_pages/upload.py").run()
    text = seed_path().read_text(encoding="utf-8").replace("2020年", "2020年 ")  # new bytes: a new version
    at.text_area(key="upload-text").input(text + f"\n{unit}").run()
    at.text_input[-1].input(unit).run()
    at.button(key="upload-save").click().run()
    return at


def _rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Read the store the way the dashboard does (open only for this read)."""
    from nianbao.ui.data import reading

    with reading(str(db.resolve())) as cur:
        return [tuple(r) for r in cur.execute(sql, params or []).fetchall()]


def _audit_uploads(db: Path) -> list[tuple[str, str]]:
    rows = _rows(db, "select actor, detail from audit_log where action = 'upload' order by event_id")
    return [(str(a), str(d)) for a, d in rows]


def _versions_of(db: Path, unit: str) -> int:
    return int(str(_rows(db, "select count(*) from reports where unit_id = ?", [unit])[0][0]))


def test_district_staff_cannot_save_for_another_districts_unit(app_as: object, access_db: Path) -> None:
    at = app_as("dong")  # type: ignore[operator]
    before = _versions_of(access_db, "湟中区人民政府")
    _upload(at, "湟中区人民政府")
    assert any("无权查看" in e and "城东区" in e for e in _errors(at)), _errors(at)
    assert not at.success
    assert _versions_of(access_db, "湟中区人民政府") == before


def test_district_staff_save_for_their_own_unit_and_the_audit_log_names_them(
    app_as: object, access_db: Path
) -> None:
    at = app_as("dong")  # type: ignore[operator]
    _upload(at, "城东区人民政府")
    assert not _errors(at), _errors(at)
    assert at.success and "已保存为 城东区人民政府" in str(at.success[0].value)
    actors = [a for a, d in _audit_uploads(access_db) if "城东区人民政府" in d]
    assert actors and actors[-1] == "web:dong"


def test_viewer_cannot_save(app_as: object) -> None:
    at = app_as("look")  # type: ignore[operator]
    _upload(at, "城东区人民政府")
    assert any("只读账号不能保存" in e for e in _errors(at)), _errors(at)
    assert not at.success


def test_missing_raw_file_still_shows_the_reports_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_bytes: bytes
) -> None:
    from nianbao.ingest import ingest_bytes
    from nianbao.store import connect

    db = tmp_path / "s" / "nianbao.duckdb"
    con = connect(db)
    ingest_bytes(con, db, seed_bytes, "seed.txt", unit="湟中区人民政府", year=2020, published="2021-03-25")
    con.close()
    sha = hashlib.sha256(seed_bytes).hexdigest()
    (db.parent / "raw" / sha[:2] / sha).unlink()
    rid = str(_rows(db, "select report_id from reports")[0][0])
    at = _app(db, None, monkeypatch)
    at.switch_page("app_pages/report.py")
    at.query_params["id"] = rid
    at.run()
    assert not at.exception and not _errors(at), _errors(at)
    assert any("原始文件已不在数据目录中" in str(w.value) for w in at.warning)
    assert [h for h in at.html if "data-table" in h.value]  # Tables 2-4 are there


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "![x](http://127.0.0.1:9/beacon)",
    "[x](javascript:alert(1))",
    ":red[红字] **粗体** $x^2$ `代码`",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_text_in_markdown_is_escaped_mark_by_mark(payload: str) -> None:
    escaped = md(payload)
    # every markdown/HTML-significant mark is preceded by a backslash, so none can open markup
    for i, ch in enumerate(escaped):
        if ch in "<>![]()*_`$:":
            assert i > 0 and escaped[i - 1] == "\\", (payload, escaped)
    assert escaped.replace("\\", "") == payload.replace("\\", "")


def test_only_supervisors_close_a_round_and_staff_review_only_their_district(
    access_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from nianbao.ui import bulletin
    from nianbao.ui.data import Forbidden

    pick = "select f.fingerprint from findings f where f.district = ? and f.fingerprint is not null limit 1"
    other = str(_rows(access_db, pick, ["湟中区"])[0][0])
    own = str(_rows(access_db, pick, ["城东区"])[0][0])
    db = str(access_db.resolve())
    people = {
        "dong": users.User("dong", users.DISTRICT, "城东区"),
        "look": users.User("look", users.VIEWER),
    }
    for name, user in people.items():
        monkeypatch.setattr(bulletin, "current_user", lambda u=user: u)
        with pytest.raises(Forbidden, match="无权查看"):
            bulletin.close_round(db, date(2099, 1, 1), f"web:{name}")
    monkeypatch.setattr(bulletin, "current_user", lambda: people["dong"])
    with pytest.raises(Forbidden, match="城东区"):
        bulletin.act(db, other, "confirm", "web:dong")
    bulletin.may_review(db, own)  # their own district's finding: allowed
    monkeypatch.setattr(bulletin, "current_user", lambda: people["look"])
    with pytest.raises(Forbidden, match="只读账号"):
        bulletin.act(db, own, "confirm", "web:look")
