"""The harvest's safety and the sources file: addresses, schemes, hosts, pinned connections, validation."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpcore
import pytest
from harvest_site import Route, Server, Site, stub_resolver

from nianbao.demo.generate import generate
from nianbao.demo.render.docx import render_docx
from nianbao.harvest import cli
from nianbao.harvest.fetch import AddressPolicy, Fetcher, FetchError, PinnedBackend
from nianbao.harvest.sources import Settings, SourcesError, parse_sources, shipped_text

FAST = Settings(delay=0, timeout=0.5, retries=0, backoff=0.01)


@pytest.mark.parametrize(
    ("address", "default", "loopback", "private"),
    [
        ("127.0.0.1", False, True, False),
        ("127.8.9.10", False, True, False),
        ("::1", False, True, False),
        ("::ffff:127.0.0.1", False, True, False),
        ("10.1.2.3", False, False, True),
        ("192.168.1.1", False, False, True),
        ("172.16.0.1", False, False, True),
        ("fd00::1", False, False, True),
        ("169.254.169.254", False, False, False),  # cloud metadata: never
        ("fe80::1", False, False, False),
        ("0.0.0.0", False, False, False),
        ("224.0.0.1", False, False, False),
        ("100.64.0.1", False, False, False),
        ("8.8.8.8", True, True, True),
    ],
)
def test_addresses_are_admitted_only_as_the_flags_allow(
    address: str, default: bool, loopback: bool, private: bool
) -> None:
    assert (AddressPolicy().refusal(address) is None) == default
    assert (AddressPolicy(allow_loopback=True).refusal(address) is None) == loopback
    assert (AddressPolicy(allow_private=True).refusal(address) is None) == private


def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    backend = PinnedBackend(lambda host, port: ["8.8.8.8", "10.0.0.7"], AddressPolicy())
    with pytest.raises(httpcore.ConnectError, match="内网"):
        backend.addresses("mixed.example", 80)


class _Recorder(httpcore.SyncBackend):
    """Records where connections really go."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        self.targets.append(host)
        return super().connect_tcp(host, port, *args, **kwargs)


@pytest.fixture
def site() -> Iterator[tuple[Site, Server]]:
    """An empty fixture site on 127.0.0.1."""
    s = Site()
    server = Server(s).start()
    try:
        yield s, server
    finally:
        server.stop()


def test_the_connection_goes_to_the_address_that_was_checked(site: tuple[Site, Server]) -> None:
    s, server = site
    s.add("rebind.test", "/robots.txt", Route(b"User-agent: *\nAllow: /\n", "text/plain"))
    s.add("rebind.test", "/a.html", Route(b"<html>ok</html>"))
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a rebinding DNS: the second answer points inside
    with Fetcher(
        FAST, ["rebind.test"], policy=AddressPolicy(allow_loopback=True), resolver=lambda h, p: next(answers)
    ) as f:
        recorder = _Recorder()
        f.backend._inner = recorder
        with pytest.raises(FetchError, match="10.9.9.9") as e:
            f.get(f"http://rebind.test:{server.port}/a.html")
    assert e.value.kind == "refused"
    assert recorder.targets == ["127.0.0.1"]  # the one connection made went to the address checked
    assert s.log == [("rebind.test", "/robots.txt", 200)]  # the Host header keeps the name


def test_loopback_is_refused_without_the_flag_and_nothing_is_sent(site: tuple[Site, Server]) -> None:
    s, server = site
    s.add("local.test", "/a.html", Route(b"<html>ok</html>"))
    with (
        Fetcher(FAST, ["local.test"], resolver=stub_resolver({"local.test"}, [])) as f,
        pytest.raises(FetchError, match="回环") as e,
    ):
        f.get(f"http://local.test:{server.port}/a.html")
    assert e.value.kind == "refused"
    assert s.log == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://www.portal.test/a", "gopher://www.portal.test/", "data:text/html,x"]
)
def test_schemes_other_than_http_and_https_are_refused(url: str) -> None:
    with (
        Fetcher(FAST, ["www.portal.test"], resolver=stub_resolver(set(), [])) as f,
        pytest.raises(FetchError, match="协议"),
    ):
        f.get(url)


def test_a_host_not_in_the_sources_file_is_refused_before_any_lookup() -> None:
    asked: list[str] = []
    with (
        Fetcher(FAST, ["www.portal.test"], resolver=stub_resolver({"evil.test"}, asked)) as f,
        pytest.raises(FetchError, match="不在采集源文件"),
    ):
        f.get("http://evil.test/report.html")
    assert asked == []


def test_a_redirect_past_the_limit_is_refused(site: tuple[Site, Server]) -> None:
    s, server = site
    for i in range(8):
        s.add("hop.test", f"/{i}", Route(location=f"http://hop.test:{server.port}/{i + 1}"))
    settings = Settings(delay=0, timeout=0.5, retries=0, max_redirects=3)
    with (
        Fetcher(
            settings,
            ["hop.test"],
            policy=AddressPolicy(allow_loopback=True),
            resolver=stub_resolver({"hop.test"}, []),
        ) as f,
        pytest.raises(FetchError, match="重定向超过 3 次"),
    ):
        f.get(f"http://hop.test:{server.port}/0")
    assert len([p for _h, p, _st in s.log if p != "/robots.txt"]) == 4


def test_an_oversized_file_without_a_length_is_cut_off_while_streaming() -> None:
    import httpx

    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 4096] * 100))  # chunked: no Content-Length

    settings = Settings(delay=0, timeout=0.5, retries=0, max_bytes=10_000)
    with (
        Fetcher(settings, ["big.test"], transport=httpx.MockTransport(endless)) as f,
        pytest.raises(FetchError, match="已中止下载"),
    ):
        f.get("http://big.test/file.pdf")


def test_the_minimum_sources_form_parses() -> None:
    parsed = parse_sources(
        '[[source]]\nunit = "城中区人民政府"\nlists = ["https://www.xncz.gov.cn/xxgk/xxgknb/"]\n'
        'columns = ["https://www.xncz.gov.cn/zwdt/"]\n'
    )
    source = parsed.sources[0]
    assert source.unit == "城中区人民政府" and source.columns[0].type is None
    assert source.allowed_hosts() == {"www.xncz.gov.cn"}
    assert source.title_pattern.search("城中区2023年政府信息公开工作年度报告")
    assert not source.title_pattern.search("关于开展政务公开检查的通知")


def test_the_shipped_xining_sources_parse() -> None:
    assert len(parse_sources(shipped_text()).sources) == 7


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[source]\nunit=1", "TOML"),
        ('[[source]]\nlists = ["https://a.gov.cn/"]', "unit"),
        ('[[source]]\nunit = "x"\nlists = ["file:///etc/passwd"]', "http/https"),
        ('[[source]]\nunit = "x"\nlists = ["https://a.gov.cn/"]\nlist = []', "未知的键"),
        ('[[source]]\nunit = "x"\ncolumns = [{ url = "https://a.gov.cn/", type = "要闻" }]', "栏目类型"),
        ('[[source]]\nunit = "x"\nlists = ["https://a.gov.cn/"]\ntitle_pattern = "("', "正则"),
        ('[[source]]\nunit = "x"\nlists = ["https://a.gov.cn/"]\npagination = "index.html"', "{n}"),
        ('[[source]]\nunit = "x"\nlists = ["https://a.gov.cn/"]\nhosts = ["https://b.gov.cn/"]', "主机名"),
        ('[[source]]\nunit = "x"', "至少需要"),
        ('[settings]\ntimeout = "soon"\n[[source]]\nunit = "x"\nlists = ["https://a.gov.cn/"]', "timeout"),
        ("", "没有任何"),
    ],
)
def test_a_bad_sources_file_is_refused_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(SourcesError, match=f".*{says}"):
        parse_sources(text)


def test_the_command_exits_2_on_a_bad_sources_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nianbao.cli import main

    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nunit = "x"\nlists = ["ftp://a.gov.cn/"]\n', encoding="utf-8")
    assert main(["harvest", "--sources", str(bad), "--db", str(tmp_path / "s.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "采集源文件无效" in err[0]
    assert not (tmp_path / "s.duckdb").exists()


def test_harvest_url_fetches_one_report_and_needs_the_loopback_flag(
    site: tuple[Site, Server],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from nianbao.cli import main
    from nianbao.store import connect

    s, server = site
    report = next(r for r in generate().reports if r.unit.name == "城中区卫生健康局" and r.year == 2023)
    s.add("mirror.test", "/att/report.docx", Route(render_docx(report), "application/octet-stream"))
    monkeypatch.setattr(cli, "RESOLVER", stub_resolver({"mirror.test"}, []))
    url = f"http://mirror.test:{server.port}/att/report.docx"
    db = tmp_path / "s.duckdb"
    assert main(["harvest", url, "--db", str(db)]) == 1
    assert "回环" in capsys.readouterr().out
    assert main(["harvest", url, "--db", str(db), "--allow-loopback"]) == 0
    assert "新增 1" in capsys.readouterr().out
    con = connect(db)
    stored = con.execute("select unit_id, year from reports").fetchall()
    source = con.execute("select source, source_url from documents").fetchall()
    con.close()
    assert stored == [("城中区卫生健康局", 2023)]
    assert source == [("harvest", url)]


@pytest.mark.parametrize(("max_pages", "found"), [(None, 3), (2, 2)])
def test_a_page_template_runs_until_its_first_missing_page_or_the_page_cap(
    site: tuple[Site, Server], tmp_path: Path, max_pages: int | None, found: int
) -> None:
    from nianbao.harvest.run import Harvest

    s, server = site

    def page(n: int) -> bytes:
        return f"<html><body><ul><li><a href='./r{n}.html'>某局{2020 + n}年政府信息公开工作年度报告</a></li></ul></body></html>".encode()

    s.add("cms.test", "/nb/", Route(page(0)))
    s.add("cms.test", "/nb/list_1.html", Route(page(1)))
    s.add("cms.test", "/nb/list_2.html", Route(page(2)))
    text = (
        f'[settings]\ndelay = 0\nretries = 0\n[[source]]\nunit = "城中区人民政府"\nlists = ["http://cms.test:{server.port}/nb/"]\npagination = "list_{{n}}.html"\n'
        + (f"max_pages = {max_pages}\n" if max_pages else "")
    )
    result = Harvest(
        tmp_path / "s.duckdb",
        parse_sources(text),
        actor="test",
        policy=AddressPolicy(allow_loopback=True),
        resolver=stub_resolver({"cms.test"}, []),
    ).run()
    r = result.sources[0]
    assert r.found == found
    missing = {u.rsplit("/", 1)[-1] for u, why in r.failures if "404" in why}
    assert missing == {f"r{i}.html" for i in range(found)}
    if max_pages is None:
        assert "list_3.html" in {p.rsplit("/", 1)[-1] for _h, p, _st in s.log}  # the end, not a failure
    else:
        assert any("超过上限 2 页" in why for _u, why in r.failures)


def test_unreachable_names_are_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def down(host: str, port: int) -> list[str]:
        calls.append(host)
        raise socket.gaierror("no such host")

    with (
        Fetcher(Settings(delay=0, retries=3, backoff=5), ["gone.test"], resolver=down) as f,
        pytest.raises(FetchError, match="无法解析"),
    ):
        f.get("http://gone.test/")
    assert calls == ["gone.test"]


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is optional: without it .doc gets a message"
)
def test_a_legacy_doc_attachment_is_read_through_libreoffice(
    site: tuple[Site, Server], tmp_path: Path
) -> None:
    from nianbao.harvest.run import Harvest
    from nianbao.store import connect

    s, server = site
    report = next(r for r in generate().reports if r.unit.name == "城中区卫生健康局" and r.year == 2023)
    (tmp_path / "r.docx").write_bytes(render_docx(report))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to", "doc",
         "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    doc = (tmp_path / "r.doc").read_bytes()
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    s.add(
        "old.test",
        "/nb/",
        Route(f"<html><body><li><a href='d.html'>{report.title}</a></li></body></html>".encode()),
    )
    s.add(
        "old.test", "/nb/d.html", Route("<html><body>附件：<a href='r.doc'>下载</a></body></html>".encode())
    )
    s.add("old.test", "/nb/r.doc", Route(doc, "application/msword"))
    text = f'[settings]\ndelay = 0\nretries = 0\n[[source]]\nunit = "城中区人民政府"\nlists = ["http://old.test:{server.port}/nb/"]\n'
    result = Harvest(
        tmp_path / "s.duckdb",
        parse_sources(text),
        actor="test",
        policy=AddressPolicy(allow_loopback=True),
        resolver=stub_resolver({"old.test"}, []),
    ).run()
    con = connect(tmp_path / "s.duckdb")
    stored = con.execute(
        "select unit_id, year, source_url from reports join documents using (sha256)"
    ).fetchall()
    kept = con.execute(
        "select count(*) from harvest_fetches where url like '%r.doc' and sha256 is not null"
    ).fetchall()
    con.close()
    assert result.sources[0].new == 1, result.sources[0].failures
    assert stored == [("城中区卫生健康局", 2023, f"http://old.test:{server.port}/nb/r.doc")]
    assert kept == [(1,)]  # the .doc itself is kept with its provenance


def test_requests_to_one_host_wait_their_turn_and_retries_back_off() -> None:
    import httpx

    answers = iter([200, 503, 503, 200])
    waits: list[float] = []

    def portal(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 2\n")
        return httpx.Response(next(answers), text="<html>page</html>")

    settings = Settings(delay=0.5, timeout=1, retries=2, backoff=1)
    with Fetcher(settings, ["slow.test"], transport=httpx.MockTransport(portal), sleep=waits.append) as f:
        f.get("http://slow.test/a.html")
        f.get("http://slow.test/b.html")
    # Before each request after the first: the site's Crawl-delay (2 s beats the configured 0.5 s);
    # between the tries of b.html: exponential backoff, 1 s then 2 s.
    turns = [w for w in waits if 1.9 < w < 2.0]
    assert len(turns) == 4 and [w for w in waits if w in (1.0, 2.0)] == [1.0, 2.0]
    assert f.requests == 5  # robots.txt, a.html, b.html three times
