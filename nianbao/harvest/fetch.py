"""Polite, safe HTTP: allowed hosts only, robots.txt, per-host delay, retries, size caps, pinned addresses.

The connection goes to the address that was checked: a custom httpcore network backend resolves the
host, refuses loopback / private / link-local / reserved addresses (unless allowed), and connects to
the checked address itself, while httpx keeps the URL's host for the Host header, SNI and the
certificate check. A second DNS answer (rebinding) is never consulted.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from nianbao.harvest.sources import Settings, host_of

Resolver = Callable[[str, int], list[str]]
REDIRECTS = (301, 302, 303, 307, 308)


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class FetchError(Exception):
    """A page that could not be fetched; `reason` says why, in Chinese."""

    def __init__(self, kind: str, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.kind = kind  # refused | unreachable | timeout | http | too_large | redirect | robots
        self.reason = reason
        self.status = status


class _Blocked(httpcore.ConnectError):
    """An address the policy refuses (never retried)."""


class _Unresolved(httpcore.ConnectError):
    """A host name that does not resolve (never retried)."""


class _ServerError(Exception):
    """A 5xx answer: retried with backoff."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a harvest may connect to: public ones, plus loopback / private when allowed."""

    allow_loopback: bool = False
    allow_private: bool = False

    def refusal(self, text: str) -> str | None:
        """Why this address is refused, or None when it may be used."""
        ip = ipaddress.ip_address(text.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback:
            return None if self.allow_loopback else f"{text} 是本机回环地址（需 --allow-loopback）"
        if ip.is_link_local:
            return f"{text} 是链路本地地址，一律拒绝"
        if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
            return f"{text} 是保留或组播地址，一律拒绝"
        if ip.is_private:
            return None if self.allow_private else f"{text} 是内网地址（需 --allow-private）"
        if not ip.is_global:
            return f"{text} 不是公网地址，一律拒绝"
        return None


class PinnedBackend(httpcore.NetworkBackend):
    """Resolve, check every address, connect to a checked one: the only place sockets are opened."""

    def __init__(self, resolver: Resolver, policy: AddressPolicy) -> None:
        self._resolver = resolver
        self._policy = policy
        self._inner = httpcore.SyncBackend()

    def addresses(self, host: str, port: int) -> list[str]:
        """The checked addresses of a host (an IP literal is its own address)."""
        bare = host.strip("[]")
        try:
            ipaddress.ip_address(bare.split("%")[0])
            found = [bare]
        except ValueError:
            try:
                found = self._resolver(bare, port)
            except (OSError, UnicodeError) as e:
                raise _Unresolved(f"无法解析主机名 {bare}（{e.__class__.__name__}）") from e
        if not found:
            raise _Unresolved(f"无法解析主机名 {bare}")
        for addr in found:
            why = self._policy.refusal(addr)
            if why:
                raise _Blocked(f"拒绝连接 {bare}：{why}")
        return found

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first checked address that answers."""
        last: Exception | None = None
        for addr in self.addresses(host, port):
            try:
                return self._inner.connect_tcp(addr, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Never: a harvest only speaks TCP."""
        raise _Blocked("不允许 Unix 套接字")

    def sleep(self, seconds: float) -> None:
        """As the default backend."""
        time.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport over the pinned backend (no proxies: the check must see the real peer)."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=1,  # one request at a time per host: the harvest is sequential anyway
            network_backend=backend,
        )


@dataclass
class Fetched:
    """One answer: the body (None on 304), with what provenance needs."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes | None
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """The server said 304: the cached copy is current."""
        return self.status == 304

    @property
    def sha256(self) -> str | None:
        """The body's hash."""
        return hashlib.sha256(self.body).hexdigest() if self.body is not None else None


def _reason_for(status: int) -> str:
    words = {
        400: "请求无效",
        401: "需要登录",
        403: "禁止访问",
        404: "页面不存在",
        410: "页面已删除",
        429: "请求过于频繁",
    }
    return f"HTTP {status}（{words.get(status, '服务器拒绝')}）"


class Fetcher:
    """Fetch pages one at a time, within the allowed hosts, obeying robots.txt and the limits."""

    def __init__(
        self,
        settings: Settings,
        allowed_hosts: Iterable[str],
        *,
        policy: AddressPolicy | None = None,
        resolver: Resolver = system_resolver,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        shared: dict[str, dict[str, object]] | None = None,
    ) -> None:
        self.settings = settings
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.backend = PinnedBackend(resolver, policy or AddressPolicy())
        self._sleep = sleep
        # Shared between the fetchers of one run, so two sources on one host still take turns.
        state = shared if shared is not None else {}
        self._last: dict[str, float] = state.setdefault("last", {})  # type: ignore[assignment]
        self._delay: dict[str, float] = state.setdefault("delay", {})  # type: ignore[assignment]
        self._robots: dict[str, Protego | FetchError | None] = state.setdefault("robots", {})  # type: ignore[assignment]
        self.requests = 0
        self.client = httpx.Client(
            transport=transport or PinnedTransport(self.backend),
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,  # each hop is checked here
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
        )

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_url(self, url: str) -> None:
        """Refuse a scheme other than http/https and a host not named in the sources file."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError("refused", f"拒绝：不支持的协议“{parts.scheme or '无'}”（只允许 http/https）")
        host = host_of(url)
        if not host:
            raise FetchError("refused", "拒绝：网址没有主机名")
        if host not in self.allowed:
            raise FetchError("refused", f"拒绝：主机 {host} 不在采集源文件列出的主机中")

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET with conditional headers; follows (checked) redirects; raises FetchError."""
        self.check_url(url)
        self._obey_robots(url)
        return self._get(url, etag=etag, last_modified=last_modified)

    def _get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, robots: bool = True
    ) -> Fetched:
        seen = [url]
        current = url
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.settings.max_redirects + 1):
            status, resp_headers, body = self._with_retries(current, headers)
            if status in REDIRECTS and resp_headers.get("location"):
                target = urljoin(current, resp_headers["location"].strip())
                try:
                    self.check_url(target)
                except FetchError as e:
                    raise FetchError(
                        "redirect", f"重定向被拒绝（{current} → {target}）：{e.reason}", status
                    ) from e
                if target in seen:
                    raise FetchError("redirect", f"重定向循环：{' → '.join([*seen, target])}", status)
                if robots:
                    self._obey_robots(target)
                seen.append(target)
                current = target
                headers = {}  # conditional headers belong to the first URL only
                continue
            if status == 304:
                return Fetched(url, current, status, "", None, datetime.now(), etag, last_modified, seen[1:])
            if status >= 400:
                raise FetchError("http", _reason_for(status), status)
            if status != 200:
                raise FetchError("http", f"HTTP {status}（无法处理的应答）", status)
            return Fetched(
                url,
                current,
                status,
                resp_headers.get("content-type", ""),
                body,
                datetime.now(),
                resp_headers.get("etag"),
                resp_headers.get("last-modified"),
                seen[1:],
            )
        raise FetchError("redirect", f"重定向超过 {self.settings.max_redirects} 次：{' → '.join(seen)}")

    def _wait_turn(self, host: str) -> None:
        delay = self._delay.get(host, self.settings.delay)
        last = self._last.get(host)
        if last is not None and delay > 0:
            left = delay - (time.monotonic() - last)
            if left > 0:
                self._sleep(left)

    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes | None]:
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=wait_exponential(multiplier=self.settings.backoff, max=60),
            retry=retry_if_exception(_retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(url, headers)
        except _ServerError as e:
            raise FetchError(
                "http", f"HTTP {e.status}（服务器错误，重试 {self.settings.retries} 次仍失败）", e.status
            ) from e
        except httpx.TimeoutException as e:
            raise FetchError(
                "timeout", f"超时（{self.settings.timeout:g} 秒内无应答，重试 {self.settings.retries} 次）"
            ) from e
        except httpx.TransportError as e:
            cause = e.__cause__
            if isinstance(cause, _Blocked):
                raise FetchError("refused", str(cause)) from e
            if isinstance(cause, _Unresolved):
                raise FetchError("unreachable", f"无法访问：{cause}") from e
            raise FetchError("unreachable", f"无法访问：{e.__class__.__name__} {e}".strip()) from e
        raise AssertionError("unreachable")  # pragma: no cover - Retrying either returns or raises

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes | None]:
        host = host_of(url)
        self._wait_turn(host)
        self.requests += 1
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                status = r.status_code
                got = {k.lower(): v for k, v in r.headers.items()}
                if status >= 500:
                    raise _ServerError(status)
                if status != 200:
                    return status, got, None
                size = got.get("content-length", "")
                if size.isdigit() and int(size) > self.settings.max_bytes:
                    raise FetchError("too_large", self._too_large(int(size)), status)
                buf = bytearray()
                for chunk in r.iter_bytes():
                    buf += chunk
                    if len(buf) > self.settings.max_bytes:
                        raise FetchError("too_large", self._too_large(None), status)
                    if time.monotonic() - started > 3 * self.settings.timeout:
                        raise httpx.ReadTimeout("too slow")  # a page that trickles forever
                return status, got, bytes(buf)
        finally:
            self._last[host] = time.monotonic()

    def _too_large(self, size: int | None) -> str:
        cap = f"{self.settings.max_bytes / 1024 / 1024:g} MB"
        if size is None:
            return f"文件超过 {cap} 上限，已中止下载"
        return f"文件 {size / 1024 / 1024:.1f} MB，超过 {cap} 上限，未下载"

    def _obey_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, FetchError):
            raise rules
        if rules is not None and not rules.can_fetch(url, self.settings.user_agent):
            raise FetchError("robots", "robots.txt 不允许抓取此页")

    def _load_robots(self, origin: str) -> Protego | FetchError | None:
        """The site's robots.txt: None when it has none (4xx); an error for the whole site when it fails."""
        try:
            got = self._get(origin + "/robots.txt", robots=False)
        except FetchError as e:
            if e.kind == "http" and e.status is not None and 400 <= e.status < 500:
                return None
            if e.kind in ("refused", "unreachable", "timeout"):
                return FetchError(e.kind, e.reason, e.status)
            return FetchError("robots", f"robots.txt 无法读取（{e.reason}），本次不抓取该网站", e.status)
        text = (got.body or b"").decode("utf-8", errors="replace")
        rules = Protego.parse(text)
        delay = rules.crawl_delay(self.settings.user_agent)
        if delay:
            self._delay[host_of(origin)] = max(self.settings.delay, min(float(delay), 30.0))
        return rules


def _retryable(exc: BaseException) -> bool:
    """Retry 5xx, timeouts and dropped connections; never a refused or unresolvable address."""
    if isinstance(exc, _ServerError | httpx.TimeoutException):
        return True
    return isinstance(exc, httpx.TransportError) and not isinstance(exc.__cause__, _Blocked | _Unresolved)
