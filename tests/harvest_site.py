"""A fixture portal for the harvest tests: a threaded HTTP server on 127.0.0.1 that logs every request.

Pages are registered per (host, path); the host comes from the Host header, so one server plays
several sites (the portal, its file server, and a host the sources file does not name).
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    """One page: its body (or a function of the hit count), status, headers and behaviour."""

    body: bytes | Callable[[int], bytes] = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # a redirect target
    validators: bool = True  # send ETag and Last-Modified and honour conditional requests
    fail_first: int = 0  # answer 500 this many times before the real answer
    delay: float = 0.0  # seconds before answering (a slow page)
    hits: int = 0


@dataclass
class Site:
    """The pages of every fixture host, and the log of requests they received."""

    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (host, path, status)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, host: str, path: str, route: Route) -> None:
        """Register a page."""
        self.routes[(host, path)] = route

    def statuses(self, since: int = 0) -> dict[str, list[int]]:
        """Path -> statuses answered, from log entry `since` on."""
        out: dict[str, list[int]] = {}
        for _host, path, status in self.log[since:]:
            out.setdefault(path, []).append(status)
        return out


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        site: Site = self.server.site
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.path.split("?")[0]
        route = site.routes.get((host, path))
        if route is None:
            self._answer(site, host, path, 404, b"<html><body>404 Not Found</body></html>", "text/html")
            return
        with site.lock:
            route.hits += 1
            hit = route.hits
        if route.delay:
            time.sleep(route.delay)
        if hit <= route.fail_first:
            self._answer(site, host, path, 500, b"server error", "text/plain")
            return
        if route.location is not None:
            self._answer(
                site,
                host,
                path,
                route.status if 300 <= route.status < 400 else 302,
                b"",
                "text/html",
                {"Location": route.location},
            )
            return
        body = route.body(hit) if callable(route.body) else route.body
        headers = {}
        if route.validators:
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers = {"ETag": tag, "Last-Modified": "Mon, 04 Mar 2024 08:00:00 GMT"}
            if self.headers.get("If-None-Match") == tag:
                self._answer(site, host, path, 304, b"", route.content_type, headers)
                return
        self._answer(site, host, path, route.status, body, route.content_type, headers)

    def _answer(
        self,
        site: Site,
        host: str,
        path: str,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        with site.lock:
            site.log.append((host, path, status))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout or a size cap): that is the point


class Server:
    """The running server: start() binds 127.0.0.1 on a free port."""

    def __init__(self, site: Site) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.site = site  # type: ignore[attr-defined]
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Server:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()


def stub_resolver(names: set[str], asked: list[str]) -> Callable[[str, int], list[str]]:
    """A resolver that knows only the fixture names (all at 127.0.0.1) and records every name asked."""

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host in names:
            return ["127.0.0.1"]
        raise socket.gaierror(f"{host}: unreachable (test resolver)")

    return resolve
