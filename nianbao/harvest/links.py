"""Reading portal pages: report links on a list, further list pages, attachments, dates, column items."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from nianbao.errors import UnreadableReport
from nianbao.extract.decode import declared_charset, decode
from nianbao.harvest.sources import Pagination, Source

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PAGE_DATE = re.compile(r"(?:发布日期|发布时间|发文日期|公开日期|成文日期)\s*[:：]?\s*")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_PAGE_HREF = re.compile(r"(?:^|/)index_\d+\.s?html?$", re.I)
_NEXT = re.compile(r"^\s*(下一页|下页|后一页|>|»)\s*$")
_ATTACHMENT = re.compile(r"\.(pdf|docx|doc|wps)(?:$|[?#])", re.I)
_ROW_TAGS = ("li", "tr", "dd", "p")


@dataclass(frozen=True)
class Entry:
    """A report link on a list page: where, its title, the year the title names, the date listed."""

    url: str
    title: str
    year: int | None
    listed: date | None


def page_text(data: bytes, content_type: str = "") -> str:
    """A page's text, decoded the way the HTML extractor does (GBK and UTF-8 alike)."""
    declared = None
    m = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    if m:
        declared = m.group(1)
    try:
        return decode(data, declared or declared_charset(data))
    except UnreadableReport:
        return ""


def _tree(text: str) -> etree._Element | None:
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _base(tree: etree._Element, url: str) -> str:
    for el in tree.iter("base"):
        href = el.get("href")
        if href:
            return str(urljoin(url, href.strip()))
    return url


def _anchors(tree: etree._Element, url: str) -> list[tuple[etree._Element, str, str]]:
    """(element, absolute URL, title) for every http(s) link; javascript: and mailto: are dropped."""
    base = _base(tree, url)
    out = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or re.match(r"^(javascript|mailto|tel):", href, re.I):
            continue
        absolute = urljoin(base, href).split("#")[0]
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        text = " ".join(a.text_content().split())
        title = (a.get("title") or "").strip()
        # A list truncates long titles ("…年度报告..."): the title attribute is the whole one.
        out.append((a, absolute, title if len(title) > len(text.rstrip(".…")) else text))
    return out


def parse_date(text: str) -> date | None:
    """The first valid date written in a text (2024-03-08, 2024/3/8, 2024年3月8日)."""
    for m in _DATE.finditer(text):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def _row_of(a: etree._Element) -> etree._Element | None:
    el = a.getparent()
    for _ in range(3):
        if el is None:
            return None
        if el.tag in _ROW_TAGS:
            return el
        el = el.getparent()
    return None


def _listed_date(a: etree._Element, title: str) -> date | None:
    """The date beside a link in its list row (the title's own digits are not a date)."""
    row = _row_of(a)
    if row is None:
        return None
    text = " ".join(row.text_content().split()).replace(title, " ")
    return parse_date(text)


def year_of(title: str) -> int | None:
    """The report year a title names: '2023年…年度报告' -> 2023 (never the URL's date)."""
    m = _YEAR_IN_TITLE.search(title) or _ANY_YEAR.search(title)
    return int(m.group(1)) if m else None


def report_links(data: bytes, url: str, source: Source, content_type: str = "") -> list[Entry]:
    """The report links on a list page, in page order, each URL once."""
    tree = _tree(page_text(data, content_type))
    if tree is None:
        return []
    seen: set[str] = set()
    out = []
    for a, link, title in _anchors(tree, url):
        if link in seen or not source.title_pattern.search(title):
            continue
        if source.link_pattern is not None and not source.link_pattern.search(link):
            continue
        seen.add(link)
        out.append(Entry(link, title, year_of(title), _listed_date(a, title)))
    return out


def more_pages(data: bytes, url: str, pagination: Pagination, content_type: str = "") -> list[str]:
    """Further list pages this page points at: the CMS script's pages and index_N / 下一页 links."""
    text = page_text(data, content_type)
    out: list[str] = []
    if pagination.script:
        for m in _CREATE_PAGE.finditer(text):
            total, name, ext = int(m.group(1)), m.group(3), m.group(4)
            # TRS-style CMS: page 0 is index.html, then index_1.html … index_{total-1}.html.
            out += [urljoin(url, f"{name}_{i}.{ext}") for i in range(1, min(total, 1000))]
    tree = _tree(text)
    if pagination.links and tree is not None:
        host = urlsplit(url).hostname
        for _a, link, title in _anchors(tree, url):
            if urlsplit(link).hostname != host:
                continue
            if _PAGE_HREF.search(urlsplit(link).path) or _NEXT.match(title):
                out.append(link)
    return list(dict.fromkeys(u for u in out if u != url))


def template_page(url: str, pagination: Pagination, n: int) -> str | None:
    """Page n of a list under the configured template (index_{n}.html), relative to the first page."""
    if not pagination.template:
        return None
    return urljoin(url, pagination.template.replace("{n}", str(n)))


def attachments(data: bytes, url: str, content_type: str = "") -> list[str]:
    """Links to PDF / Word attachments on a detail page, in page order."""
    tree = _tree(page_text(data, content_type))
    if tree is None:
        return []
    found = [
        link
        for _a, link, title in _anchors(tree, url)
        if _ATTACHMENT.search(link) or _ATTACHMENT.search(title)
    ]
    return list(dict.fromkeys(found))


def page_published(data: bytes, content_type: str = "") -> date | None:
    """The 发布日期 / 发布时间 a detail page shows (or its <meta name=PubDate>)."""
    text = page_text(data, content_type)
    tree = _tree(text)
    if tree is None:
        return None
    body = " ".join(tree.text_content().split())
    for km in _PAGE_DATE.finditer(body):
        found = parse_date(body[km.end() : km.end() + 24])
        if found:
            return found
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").lower() in ("pubdate", "publishdate", "firstpublishedtime"):
            found = parse_date(meta.get("content") or "")
            if found:
                return found
    return None


@dataclass(frozen=True)
class ColumnPage:
    """What a monitored column's list shows: its name and the dates of its items."""

    name: str | None
    dates: list[date]


def column_page(data: bytes, url: str, content_type: str = "") -> ColumnPage:
    """The dated items of a column's list page (links with a date in their row)."""
    tree = _tree(page_text(data, content_type))
    if tree is None:
        return ColumnPage(None, [])
    dates = []
    for a, _link, title in _anchors(tree, url):
        if len(title) < 4:  # navigation, page numbers
            continue
        found = _listed_date(a, title)
        if found:
            dates.append(found)
    name = None
    for el in tree.iter("title"):
        name = re.split(r"\s*[-_|—]\s*", " ".join(el.text_content().split()))[0] or None
        break
    return ColumnPage(name, dates)


def column_type(name: str | None, url: str) -> str:
    """A column's type from its name: 通知公告, 政策文件, or else 动态/要闻."""
    text = name or ""
    if re.search(r"通知|公告|公示", text):
        return "通知公告"
    if re.search(r"政策|文件|规范性", text):
        return "政策文件"
    return "动态/要闻"
