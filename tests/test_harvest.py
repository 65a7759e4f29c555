"""`nianbao harvest` against a fixture portal served on 127.0.0.1, modelled on the common government CMSes."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from checkkit import rows
from harvest_site import Route, Server, Site, stub_resolver

from nianbao.demo.generate import generate
from nianbao.demo.render.docx import render_docx
from nianbao.demo.render.html import render_html
from nianbao.demo.render.pdf import render_pdf
from nianbao.demo.spec import DemoReport
from nianbao.extract.decode import decode
from nianbao.harvest.fetch import AddressPolicy
from nianbao.harvest.run import Harvest, RunResult
from nianbao.harvest.sources import parse_sources
from nianbao.store import connect

PORTAL = "www.portal.test"
FILES = "files.portal.test"
OTHER = "elsewhere.test"  # resolvable, but named nowhere in the sources file
TODAY = date(2024, 6, 1)


def _pick(corpus: list[DemoReport], unit: str, year: int) -> DemoReport:
    return next(r for r in corpus if r.unit.name == unit and r.year == year)


def _page(
    report: DemoReport, encoding: str, published: str | None, counter: bool = True
) -> Callable[[int], bytes]:
    """A detail page with the report inline, in the given encoding, with a visit counter that changes."""
    text = decode(render_html(report))
    text = re.sub(r"charset=[\w-]+", f"charset={encoding}", text, count=1)
    if published:
        text = text.replace("<body>", f"<body><div class='info'>发布日期：{published}</div>", 1)

    def body(hit: int) -> bytes:
        foot = (
            f"<div class='foot'>访问次数：{1000 + hit} 次 当前时间 10:{hit % 60:02d}:00</div>"
            if counter
            else ""
        )
        return text.replace("</body>", foot + "</body>").encode(encoding)

    return body


def _shell(title: str, published: str, attachment: str) -> bytes:
    """A detail page that only links the report as an attachment (as most portals do)."""
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<h1>{title}</h1><div class='info'>发布时间：{published} 来源：本站</div>"
        f"<p>附件：<a href='{attachment}'>{title}.附件</a></p></body></html>"
    ).encode()


def _list(items: list[tuple[str, str, str]], script: str = "") -> bytes:
    lis = "".join(f"<li><a href='{href}' title='{t}'>{t}</a><span>{d}</span></li>" for href, t, d in items)
    return (
        "<html><head><meta charset='utf-8'><title>政府信息公开年报_城中区</title></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/zwdt/'>政务动态</a></div>"
        f"<ul class='list'>{lis}</ul><div class='page'><script>{script}</script></div></body></html>"
    ).encode()


def _column(name: str, newest: date, n: int = 3) -> bytes:
    items = "".join(
        f"<li><a href='./{i}.html'>{name}第{i}条信息标题</a><span>{newest - timedelta(days=7 * i)}</span></li>"
        for i in range(n)
    )
    return f"<html><head><title>{name}_城中区</title></head><body><ul>{items}</ul></body></html>".encode()


@dataclass
class Portal:
    """The running fixture portal and its sources file."""

    site: Site
    server: Server
    sources: str
    asked: list[str]
    corpus: list[DemoReport]

    def url(self, path: str, host: str = PORTAL) -> str:
        """An absolute URL on the fixture server."""
        return f"http://{host}:{self.server.port}{path}"


def build_site(port: int, corpus: list[DemoReport]) -> Site:
    """The fixture portal: a paginated annual-report column, detail pages, attachments and traps."""
    site = Site()
    base = f"http://{PORTAL}:{port}"
    finance = _pick(corpus, "城中区财政局", 2023)
    emergency = _pick(corpus, "城中区应急管理局", 2023)
    farming = _pick(corpus, "城中区农业农村局", 2023)
    health = _pick(corpus, "城中区卫生健康局", 2023)
    town = _pick(corpus, "城中区人民街街道办事处", 2023)
    site.add(PORTAL, "/robots.txt", Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"))
    site.add(
        PORTAL,
        "/xxgk/xxgknb/",
        Route(
            _list(
                [
                    ("./202403/t20240308_87885.htm", finance.title, "2024-03-08"),
                    ("../xxgknb/202401/t20240115_1.html", emergency.title, "2024-01-15"),
                    ("/private/t1.html", "城中区某局2023年政府信息公开工作年度报告", "2024-01-10"),
                    ("/xxgk/xxgknb/gone.html", "城中区某中心2023年政府信息公开工作年度报告", "2024-01-09"),
                    ("/zwdt/notice.html", "关于开展政务公开检查的通知", "2024-01-08"),
                ],
                'createPageHTML(2, 0, "index", "html");',
            )
        ),
    )
    site.add(
        PORTAL,
        "/xxgk/xxgknb/index_1.html",
        Route(
            _list(
                [
                    ("/xxgk/xxgknb/flaky.html", town.title, "2024-01-20"),
                    ("/xxgk/xxgknb/pdf.html", farming.title, "2024-01-18"),
                    ("/xxgk/xxgknb/docx.html", health.title, "2024-01-17"),
                    ("/xxgk/xxgknb/slow.html", "城中区慢速局2023年政府信息公开工作年度报告", "2024-01-16"),
                    ("/xxgk/xxgknb/loop.html", "城中区循环局2023年政府信息公开工作年度报告", "2024-01-14"),
                    ("/xxgk/xxgknb/away.html", "城中区外链局2023年政府信息公开工作年度报告", "2024-01-13"),
                    ("/xxgk/xxgknb/big.html", "城中区大文件局2023年政府信息公开工作年度报告", "2024-01-12"),
                ],
                'createPageHTML(2, 1, "index", "html");',
            )
        ),
    )
    site.add(PORTAL, "/xxgk/xxgknb/202403/t20240308_87885.htm", Route(_page(finance, "utf-8", "2024-03-08")))
    site.add(
        PORTAL,
        "/xxgk/xxgknb/202401/t20240115_1.html",
        Route(_page(emergency, "gbk", None), "text/html", validators=False),  # GBK, no ETag: hashes decide
    )
    site.add(PORTAL, "/private/t1.html", Route(b"<html>secret</html>"))
    site.add(PORTAL, "/xxgk/xxgknb/flaky.html", Route(_page(town, "utf-8", "2024-01-20"), fail_first=1))
    site.add(
        PORTAL,
        "/xxgk/xxgknb/pdf.html",
        Route(_shell(farming.title, "2024-01-18", f"http://{FILES}:{port}/att/farming.pdf")),
    )
    site.add(FILES, "/att/farming.pdf", Route(render_pdf(farming), "application/pdf"))
    site.add(PORTAL, "/xxgk/xxgknb/docx.html", Route(_shell(health.title, "2024-01-17", "./att/health.docx")))
    site.add(
        PORTAL,
        "/xxgk/xxgknb/att/health.docx",
        Route(render_docx(health), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )
    site.add(PORTAL, "/xxgk/xxgknb/slow.html", Route(b"<html>late</html>", delay=0.6))
    site.add(PORTAL, "/xxgk/xxgknb/loop.html", Route(location=f"{base}/xxgk/xxgknb/loop2.html"))
    site.add(PORTAL, "/xxgk/xxgknb/loop2.html", Route(location=f"{base}/xxgk/xxgknb/loop.html"))
    site.add(PORTAL, "/xxgk/xxgknb/away.html", Route(location=f"http://{OTHER}:{port}/report.html"))
    site.add(OTHER, "/report.html", Route(b"<html>never fetched</html>"))
    site.add(PORTAL, "/xxgk/xxgknb/big.html", Route(_shell("大文件", "2024-01-12", "./att/big.pdf")))
    site.add(PORTAL, "/xxgk/xxgknb/att/big.pdf", Route(b"%PDF-1.4\n" + b"0" * 300_000, "application/pdf"))
    site.add(
        PORTAL,
        "/small/",
        Route(
            _list(
                [
                    ("/xxgk/xxgknb/202403/t20240308_87885.htm", finance.title, "2024-03-08"),
                    ("/xxgk/xxgknb/202401/t20240115_1.html", emergency.title, "2024-01-15"),
                    ("/xxgk/xxgknb/docx.html", health.title, "2024-01-17"),
                ]
            )
        ),
    )
    site.add(PORTAL, "/zwdt/", Route(_column("政务动态", TODAY - timedelta(days=3))))
    site.add(
        PORTAL, "/tzgg/", Route(_column("通知公告", TODAY - timedelta(days=40)))
    )  # 40 days: fine for 通知公告
    site.add(PORTAL, "/gzdt/", Route(_column("工作动态", TODAY - timedelta(days=30))))  # stale for 动态/要闻
    return site


def sources_text(port: int) -> str:
    """The sources file for the fixture portal (short timeouts, no delay: the suite stays fast)."""
    return f"""
[settings]
delay = 0
timeout = 0.3
retries = 1
backoff = 0.01
max_bytes = 200000

[[source]]
unit = "城中区人民政府"
lists = ["http://{PORTAL}:{port}/xxgk/xxgknb/"]
hosts = ["{FILES}"]
columns = [
    "http://{PORTAL}:{port}/zwdt/",
    {{ url = "http://{PORTAL}:{port}/tzgg/", type = "通知公告" }},
    {{ url = "http://{PORTAL}:{port}/gzdt/", name = "工作动态" }},
]
"""


@pytest.fixture(scope="module")
def corpus() -> list[DemoReport]:
    """The demo corpus (deterministic): the fixture pages render some of its reports."""
    return generate().reports


def _serve(corpus: list[DemoReport]) -> tuple[Site, Server]:
    site = Site()
    server = Server(site).start()
    site.routes.update(build_site(server.port, corpus).routes)
    return site, server


@pytest.fixture
def portal(corpus: list[DemoReport]) -> Iterator[Portal]:
    """A fresh fixture portal, served on 127.0.0.1, whose sources file lists the small column only."""
    site, server = _serve(corpus)
    text = sources_text(server.port).replace("/xxgk/xxgknb/", "/small/").split("columns")[0]
    try:
        yield Portal(site, server, text, [], corpus)
    finally:
        server.stop()


@dataclass
class Harvested:
    """The whole fixture portal harvested once into a store (the tests below only read it)."""

    portal: Portal
    result: RunResult
    con: duckdb.DuckDBPyConnection


@pytest.fixture(scope="module")
def harvested(corpus: list[DemoReport], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harvested]:
    """One harvest of the full fixture portal (parsing the PDF is what takes the time)."""
    site, server = _serve(corpus)
    portal = Portal(site, server, sources_text(server.port), [], corpus)
    try:
        result, con = _harvest(portal, tmp_path_factory.mktemp("harvest") / "s.duckdb")
    finally:
        server.stop()
    yield Harvested(portal, result, con)
    con.close()


def _harvest(
    portal: Portal, db: Path, text: str | None = None
) -> tuple[RunResult, duckdb.DuckDBPyConnection]:
    h = Harvest(
        db,
        parse_sources(text or portal.sources),
        actor="test",
        policy=AddressPolicy(allow_loopback=True),
        resolver=stub_resolver({PORTAL, FILES, OTHER}, portal.asked),
        today=TODAY,
    )
    result = h.run()  # the store is opened for each write only, and closed again
    return result, connect(db)


def _reasons(result: RunResult) -> dict[str, str]:
    return {url.rsplit("/", 1)[-1] or url: why for url, why in result.sources[0].failures}


def test_a_harvest_stores_every_report_and_says_why_the_others_failed(harvested: Harvested) -> None:
    result = harvested.result
    con = harvested.con
    r = result.sources[0]
    stored = rows(con, "select unit_id, year, published from reports order by unit_id")
    assert {u for u, _y, _p in stored} == {
        "城中区财政局",
        "城中区应急管理局",
        "城中区人民街街道办事处",
        "城中区农业农村局",
        "城中区卫生健康局",
    }
    assert all(y == 2023 for _u, y, _p in stored)
    assert (r.found, r.new, r.unchanged) == (11, 5, 0)
    why = _reasons(result)
    assert "robots.txt" in why["t1.html"]
    assert "404" in why["gone.html"]
    assert "超时" in why["slow.html"]
    assert "循环" in why["loop.html"]
    assert OTHER in why["away.html"] and "不在采集源文件" in why["away.html"]
    assert "超过" in why["big.html"] and "上限" in why["big.html"]
    assert result.exit_code == 1


def test_nothing_outside_the_configured_hosts_is_ever_requested(harvested: Harvested) -> None:
    portal = harvested.portal
    hosts = {h for h, _p, _s in portal.site.log}
    assert hosts == {PORTAL, FILES}
    assert OTHER not in portal.asked
    assert "/private/t1.html" not in {p for _h, p, _s in portal.site.log}


def test_the_500_is_retried_and_the_slow_page_gives_up_quickly(harvested: Harvested) -> None:
    portal = harvested.portal
    statuses = portal.site.statuses()
    assert statuses["/xxgk/xxgknb/flaky.html"] == [500, 200]
    assert portal.site.routes[(PORTAL, "/xxgk/xxgknb/slow.html")].hits == 2  # one try plus one retry


def test_the_report_year_comes_from_the_title_and_the_date_from_the_page(harvested: Harvested) -> None:
    portal = harvested.portal
    con = harvested.con
    items = dict(rows(con, "select page_url, year from harvest_items where outcome = 'new'"))
    published = dict(rows(con, "select unit_id, cast(published as varchar) from reports"))
    provenance = rows(
        con,
        "select http_status, content_type, length(sha256) from harvest_fetches where url like '%farming.pdf'",
    )
    page = portal.url("/xxgk/xxgknb/202403/t20240308_87885.htm")
    assert items[page] == 2023  # the URL says 2024
    assert published["城中区财政局"] == "2024-03-08"
    assert provenance == [(200, "application/pdf", 64)]


def test_a_second_run_fetches_only_what_changed(
    portal: Portal, tmp_path: Path, corpus: list[DemoReport]
) -> None:
    db = tmp_path / "s.duckdb"
    _first, con = _harvest(portal, db)
    con.close()
    mark = len(portal.site.log)
    second, con = _harvest(portal, db)
    n_reports = rows(con, "select count(*) from reports")[0][0]
    con.close()
    again = portal.site.statuses(mark)
    assert second.sources[0].new == 0 and second.sources[0].unchanged == 3
    assert n_reports == 3
    # Pages with validators answer 304; the GBK page without them comes again but hashes the same
    # content apart from its visit counter, and the attachments behind unchanged pages are not asked for.
    assert again["/small/"] == [304]
    assert again["/xxgk/xxgknb/202403/t20240308_87885.htm"] == [200]  # its counter changes the bytes
    assert again["/xxgk/xxgknb/202401/t20240115_1.html"] == [200]
    assert again["/xxgk/xxgknb/docx.html"] == [304]
    assert "/xxgk/xxgknb/att/health.docx" not in again


def test_a_changed_report_becomes_a_new_version(
    portal: Portal, tmp_path: Path, corpus: list[DemoReport]
) -> None:
    db = tmp_path / "s.duckdb"
    _first, con = _harvest(portal, db)
    con.close()
    finance = _pick(corpus, "城中区财政局", 2023)
    changed = decode(render_html(finance)).replace("一、总体情况", "一、总体情况（更正）", 1)
    changed = changed.replace("本年度", "本年度依法", 1)
    portal.site.add(PORTAL, "/xxgk/xxgknb/202403/t20240308_87885.htm", Route(changed.encode("utf-8")))
    second, con = _harvest(portal, db)
    versions = rows(con, "select version from reports where unit_id = '城中区财政局' order by version")
    events = rows(con, "select reason from audit_log where action = 'harvest' and subject_kind = 'report'")
    con.close()
    assert second.sources[0].new == 1
    assert versions == [(1,), (2,)]
    assert ("网站采集：报告内容有变化，存为新版本",) in events


def test_the_unit_comes_from_the_report_not_from_the_source(harvested: Harvested) -> None:
    con = harvested.con
    units = {u for (u,) in rows(con, "select unit_id from reports")}
    assert "城中区人民政府" not in units  # the source's unit is only the default


def test_column_freshness_flags_the_stale_column_only(harvested: Harvested) -> None:
    portal = harvested.portal
    con = harvested.con
    found = rows(con, "select column_url, column_type, days_stale, severity from website_findings")
    observed = dict(rows(con, "select column_url, column_type from column_observations"))
    scores = rows(con, "select count(*) from report_findings where rule_id like 'WEB-%'")
    assert observed[portal.url("/zwdt/")] == "动态/要闻"
    assert observed[portal.url("/tzgg/")] == "通知公告"
    assert found == [(portal.url("/gzdt/"), "动态/要闻", 30, "警告")]
    assert scores == [(0,)]


def test_legacy_doc_without_libreoffice_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.harvest import run

    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    with pytest.raises(run._Failure, match="LibreOffice"):
        run.legacy_doc(b"\xd0\xcf\x11\xe0rest")


def test_the_shipped_xining_sources_are_each_reported_unreachable_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nianbao.cli import main
    from nianbao.harvest import cli
    from nianbao.harvest.sources import parse_sources, shipped_text

    asked: list[str] = []

    def unreachable(host: str, port: int) -> list[str]:
        asked.append(host)
        raise socket.gaierror(f"{host}: unreachable (offline test)")

    monkeypatch.setattr(cli, "RESOLVER", unreachable)
    code = main(["harvest", "--db", str(tmp_path / "s.duckdb")])
    out = capsys.readouterr().out.strip().splitlines()
    units = [s.unit for s in parse_sources(shipped_text()).sources]
    assert code == 1
    assert len(out) == len(units) == 7
    for line, unit in zip(out, units, strict=True):
        assert line.startswith(unit + "：失败") and "无法访问" in line
    assert asked  # every name went to the stub, none to the network
    assert main(["harvest", "--db", str(tmp_path / "s.duckdb"), "--unit", "城中区"]) == 1
    assert capsys.readouterr().out.strip().splitlines() == [out[0]]  # --unit: that unit's sources only
    assert main(["harvest", "--db", str(tmp_path / "s.duckdb"), "--unit", "不存在的单位"]) == 2


@pytest.mark.parametrize(
    ("view", "key"),
    [
        ("harvest_status", "source"),
        ("column_freshness", "column_url"),
        ("website_findings", "fingerprint"),
        ("website_verdicts", "coalesce(unit_id, '') || '|' || site"),
    ],
)
def test_the_website_views_have_unique_keys_on_a_harvested_store(
    harvested: Harvested, view: str, key: str
) -> None:
    total, distinct, nulls = rows(
        harvested.con, f"select count(*), count(distinct ({key})), count(*) - count(({key})) from {view}"
    )[0]
    assert total > 0 and total == distinct and nulls == 0


def test_every_fetch_keeps_its_provenance(harvested: Harvested) -> None:
    con = harvested.con
    fetched = rows(
        con,
        "select count(*), count(*) filter (where sha256 is null or http_status is null or fetched_at is null) "
        "from harvest_fetches where outcome = 'fetched'",
    )[0]
    failed = rows(con, "select count(*) from harvest_fetches where outcome = 'failed' and error is null")[0][
        0
    ]
    assert fetched[0] > 10 and fetched[1] == 0 and failed == 0
