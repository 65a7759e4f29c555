"""The sources file (TOML): which pages of which unit's website to harvest, and how politely."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

COLUMN_TYPES = ("动态/要闻", "通知公告", "政策文件")
# A title with a year and 年度报告 or 年报 (DOMAIN §6: every real title reads "…2023年…年度报告").
DEFAULT_TITLE = r"(?:19|20)\d{2}.*(?:年度报告|年报)"
SHIPPED = "xining.toml"

_SOURCE_KEYS = {
    "unit",
    "lists",
    "details",
    "columns",
    "hosts",
    "title_pattern",
    "link_pattern",
    "pagination",
    "max_pages",
    "max_items",
}
_COLUMN_KEYS = {"url", "type", "name"}
_PAGINATION_KEYS = {"template", "first", "script", "links"}
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?$|^\[?[0-9A-Fa-f:.]+\]?$")


class SourcesError(ValueError):
    """A sources file that cannot be used, with a message saying where and why (in Chinese)."""


@dataclass(frozen=True)
class Settings:
    """Politeness and safety limits for one harvest."""

    delay: float = 1.0  # seconds between two requests to the same host
    timeout: float = 20.0  # seconds per request (connect, read)
    retries: int = 2  # extra tries after a 5xx or a timeout
    backoff: float = 1.0  # first wait before a retry, doubled each time
    max_bytes: int = 15 * 1024 * 1024  # per file; the download stops past it
    max_redirects: int = 5
    max_pages: int = 50  # list pages followed per source (pagination)
    max_items: int = 200  # report links fetched per source
    user_agent: str = "nianbao-harvest/0.1 (+annual-report checker)"


@dataclass(frozen=True)
class Column:
    """A monitored column: its list page and its type (None: read from the page's title)."""

    url: str
    type: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Pagination:
    """How a list continues: a page template (`index_{n}.html`), the CMS script, links to further pages."""

    template: str | None = None
    first: int = 1
    script: bool = True  # createPageHTML(total, current, "index", "html")
    links: bool = True  # <a href="index_2.html"> and 下一页


@dataclass(frozen=True)
class Source:
    """One unit's website: its annual-report column, single report pages, and monitored columns."""

    unit: str
    lists: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    hosts: tuple[str, ...] = ()
    title_pattern: re.Pattern[str] = field(default_factory=lambda: re.compile(DEFAULT_TITLE))
    link_pattern: re.Pattern[str] | None = None
    pagination: Pagination = field(default_factory=Pagination)
    max_pages: int | None = None
    max_items: int | None = None

    def allowed_hosts(self) -> frozenset[str]:
        """Every host this source may request: those of its URLs plus `hosts`."""
        urls = [*self.lists, *self.details, *(c.url for c in self.columns)]
        return frozenset({host_of(u) for u in urls} | {h.lower().rstrip(".") for h in self.hosts})


@dataclass(frozen=True)
class SourcesFile:
    """A parsed sources file."""

    settings: Settings
    sources: tuple[Source, ...]
    origin: str = ""

    def allowed_hosts(self) -> frozenset[str]:
        """Every host any source may request."""
        out: frozenset[str] = frozenset()
        for s in self.sources:
            out |= s.allowed_hosts()
        return out


def host_of(url: str) -> str:
    """The URL's host name, lower case, without port or trailing dot."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourcesError(f"{where}：网址应为文字")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourcesError(f"{where}：只支持 http/https 网址，不支持“{parts.scheme or '无协议'}”：{url}")
    if not parts.hostname:
        raise SourcesError(f"{where}：网址缺少主机名：{url}")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as e:
        raise SourcesError(f"{where}：端口号无效：{url}") from e
    return url


def _urls(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SourcesError(f"{where}：应为网址列表")
    return tuple(_url(v, f"{where}[{i + 1}]") for i, v in enumerate(value))


def _regex(value: Any, where: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise SourcesError(f"{where}：应为正则表达式文字")
    try:
        return re.compile(value)
    except re.error as e:
        raise SourcesError(f"{where}：正则表达式无效（{e}）") from e


def _int(value: Any, where: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SourcesError(f"{where}：应为不小于 {low} 的整数")
    return value


def _column(value: Any, where: str) -> Column:
    if isinstance(value, str):
        return Column(_url(value, where))
    if not isinstance(value, dict):
        raise SourcesError(f"{where}：应为网址或 {{ url = …, type = … }}")
    unknown = set(value) - _COLUMN_KEYS
    if unknown:
        raise SourcesError(f"{where}：未知的键 {', '.join(sorted(unknown))}")
    kind = value.get("type")
    if kind is not None and kind not in COLUMN_TYPES:
        raise SourcesError(f"{where}：栏目类型应为 {'、'.join(COLUMN_TYPES)} 之一，而不是“{kind}”")
    name = value.get("name")
    if name is not None and not isinstance(name, str):
        raise SourcesError(f"{where}：name 应为文字")
    return Column(_url(value.get("url"), where + ".url"), kind, name)


def _pagination(value: Any, where: str) -> Pagination:
    if value is None:
        return Pagination()
    if isinstance(value, str):
        value = {"template": value}
    if not isinstance(value, dict):
        raise SourcesError(f'{where}：应为页面模板文字（如 "index_{{n}}.html"）或表')
    unknown = set(value) - _PAGINATION_KEYS
    if unknown:
        raise SourcesError(f"{where}：未知的键 {', '.join(sorted(unknown))}")
    template = value.get("template")
    if template is not None and (not isinstance(template, str) or "{n}" not in template):
        raise SourcesError(f'{where}.template：应含页码占位符 {{n}}，如 "index_{{n}}.html"')
    flags = {}
    for key in ("script", "links"):
        if key in value:
            if not isinstance(value[key], bool):
                raise SourcesError(f"{where}.{key}：应为 true 或 false")
            flags[key] = value[key]
    first = _int(value.get("first", 1), where + ".first")
    return Pagination(template=template, first=first, **flags)


def _hosts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SourcesError(f"{where}：应为主机名列表")
    out = []
    for i, h in enumerate(value):
        if not isinstance(h, str) or "/" in h or not _HOST.match(h.strip()):
            raise SourcesError(
                f'{where}[{i + 1}]：应为主机名（如 "file.example.gov.cn"，不带协议和路径）：{h}'
            )
        out.append(h.strip().lower().rstrip(".").strip("[]"))
    return tuple(out)


def _source(raw: Any, n: int) -> Source:
    where = f"第 {n} 个 [[source]]"
    if not isinstance(raw, dict):
        raise SourcesError(f"{where}：应为表")
    unknown = set(raw) - _SOURCE_KEYS
    if unknown:
        raise SourcesError(f"{where}：未知的键 {', '.join(sorted(unknown))}")
    unit = raw.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise SourcesError(f"{where}：缺少单位名称 unit")
    where = f"{where}（{unit.strip()}）"
    columns = raw.get("columns") or []
    if not isinstance(columns, list):
        raise SourcesError(f"{where}.columns：应为列表")
    src = Source(
        unit=unit.strip(),
        lists=_urls(raw.get("lists"), where + ".lists"),
        details=_urls(raw.get("details"), where + ".details"),
        columns=tuple(_column(c, f"{where}.columns[{i + 1}]") for i, c in enumerate(columns)),
        hosts=_hosts(raw.get("hosts"), where + ".hosts"),
        title_pattern=_regex(raw["title_pattern"], where + ".title_pattern")
        if "title_pattern" in raw
        else re.compile(DEFAULT_TITLE),
        link_pattern=_regex(raw["link_pattern"], where + ".link_pattern") if "link_pattern" in raw else None,
        pagination=_pagination(raw.get("pagination"), where + ".pagination"),
        max_pages=_int(raw["max_pages"], where + ".max_pages", 1) if "max_pages" in raw else None,
        max_items=_int(raw["max_items"], where + ".max_items", 1) if "max_items" in raw else None,
    )
    if not (src.lists or src.details or src.columns):
        raise SourcesError(f"{where}：至少需要 lists、details 或 columns 之一")
    return src


def _settings(raw: Any) -> Settings:
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise SourcesError("[settings]：应为表")
    base = Settings()
    known = set(base.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise SourcesError(f"[settings]：未知的键 {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, v in raw.items():
        want = type(getattr(base, key))
        if want is float and isinstance(v, int | float) and not isinstance(v, bool) and v >= 0:
            values[key] = float(v)
        elif want is int:
            values[key] = _int(v, f"[settings].{key}", 1 if key.startswith("max_") else 0)
        elif want is str and isinstance(v, str) and v.strip() and v.isascii() and v.isprintable():
            values[key] = v.strip()
        else:
            raise SourcesError(f"[settings].{key}：取值无效：{v!r}")
    return Settings(**values)


def parse_sources(text: str, origin: str = "") -> SourcesFile:
    """Parse and validate a sources file; raises SourcesError with a readable message."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"TOML 格式错误：{e}") from e
    unknown = set(data) - {"source", "settings"}
    if unknown:
        raise SourcesError(f"未知的顶层键 {', '.join(sorted(unknown))}（应为 [[source]] 与 [settings]）")
    raw = data.get("source")
    if not isinstance(raw, list) or not raw:
        raise SourcesError("没有任何 [[source]]：每个单位写一个 [[source]]，至少含 unit 与 lists")
    sources = tuple(_source(s, i + 1) for i, s in enumerate(raw))
    return SourcesFile(_settings(data.get("settings")), sources, origin)


def load_sources(path: str | Path) -> SourcesFile:
    """Read and validate a sources file from disk."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise SourcesError(f"找不到采集源文件：{p}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise SourcesError(f"无法读取采集源文件 {p}：{e}") from e
    return parse_sources(text, str(p))


def shipped_text() -> str:
    """The sources file shipped for the Xining demo units."""
    return resources.files("nianbao.harvest").joinpath(SHIPPED).read_text(encoding="utf-8")


def default_path(db: str | Path) -> Path:
    """The store's own sources file (beside the store), which the 数据采集 page edits."""
    return Path(db).resolve().parent / "sources.toml"
