"""HTML pages to a Document: drop the site's chrome, find the article, keep paragraphs and table grids.

lxml (libxml2's HTML parser) reads the markup; its start, end and text events build a small tree
of our own (implied end tags, a depth cap, stray end tags ignored), chrome is marked (script/style/..., nav,
header, footer, aside, and containers whose id/class name navigation, breadcrumbs, share buttons,
menus, footers), the page is laid out as paragraph and table blocks, and the article is the
smallest element that still holds (nearly) all substantial text and every data table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

from lxml import etree

from nianbao.document import Block, Document, Paragraph, Table
from nianbao.errors import UnreadableReport
from nianbao.extract.decode import declared_charset, decode

MAX_SPAN = 50  # rowspan / colspan values above this are capped
MAX_CELLS = 20000  # cells in one table grid
MAX_DEPTH = 200  # open elements; deeper tags are flattened into their ancestor


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_VOID = _tags(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr"
)
# Content never read: raw-text elements and widgets.
_CDATA_DROP = frozenset({"script", "style", "title"})  # script/style never even enter the tree
_DROP = _tags("noscript iframe template select textarea button object svg math canvas audio video frameset")
_BLOCK = _tags(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption"
    " figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main menu nav ol option p pre"
    " section summary table tbody td tfoot th thead tr ul"
)
_P_CLOSERS = _tags(
    "address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure footer"
    " form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table ul"
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_P = frozenset({"p"})
_P_BOUNDARY = frozenset({"table", "td", "th", "caption", "button"})
_CELL_BOUNDARY = frozenset({"tr", "table"})
_KEPT_ATTRS = frozenset({"id", "class", "style", "role", "rowspan", "colspan", "hidden"})
_CELLS = frozenset({"td", "th"})
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "menu", "menubar", "search"})
# Only containers are judged by their class/id, never cells or paragraphs (Word's "MsoNormal", "xl65").
_CLASS_CHROME_TAGS = frozenset(
    {"div", "ul", "ol", "dl", "nav", "section", "aside", "header", "footer", "span", "form"}
)
_CHROME_WORD = re.compile(
    r"^(?:nav|navs|navbar|navigation|subnav|mainnav|topnav|menu|menus|submenu|mainmenu|topmenu|breadcrumbs?|"
    r"crumbs?|bread|footer|foot|share|shares|sharebox|bdshare|sidebar|copyright|toolbar|topbar|header|position|"
    r"location|weizhi|dqwz|qrcode|ewm|links|friendlink|yqlj|login|skip)$"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_WORD = re.compile(r"^(?:title|tit|titles|biaoti|bt|headline|topic)$")

_WS = re.compile(r"[\s\u00a0\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTENT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]")
_BOILERPLATE = re.compile(r"版权所有|ICP备|网站标识码|公网安备|技术支持|主办单位|承办单位|Copyright|©", re.I)
_META_LINE = re.compile(r"发布时间|发布日期|成文日期|发文日期|时间\s*[：:]|日期\s*[：:]|来源\s*[：:]")
_STRONG_META_LINE = re.compile(r"发布时间|发布日期|成文日期|发文日期")
_HEADING = re.compile(r"[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）]")
_SPAN_VALUE = re.compile(r"\s*(\d{1,6})")

_BOGUS_CHARSETS = ("utf-16", "utf-32", "utf16", "utf32", "utf-7", "utf7", "idna", "punycode")

MIN_PARA_CJK = 8  # shorter lines (menu items, buttons) do not count towards the article
LONG_PARA_CJK = 50  # a paragraph this long is real text: the article is never narrowed past it
MIN_TABLE_WEIGHT = 20  # a table with this much text must stay inside the article
META_LINE_MAX = 100
META_TABLE_ROWS = 12  # a table this short outside or inside the article may be the page's index table
# <meta name=...> values that carry the publication date on government CMS pages.
_META_DATE_NAMES = frozenset(
    {"pubdate", "publishdate", "firstpublishedtime", "publishtime", "article:published_time"}
)


class _El:
    """One element of the page tree."""

    __slots__ = (
        "tag",
        "attrs",
        "children",
        "parent",
        "drop",
        "chrome",
        "content",
        "cjk",
        "has_table",
        "pre",
        "end",
        "w",
    )

    def __init__(self, tag: str, attrs: dict[str, str], parent: _El | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_El | str] = []
        self.parent = parent
        self.drop = False
        self.chrome = False
        self.content = 0  # CJK characters and digits outside links
        self.cjk = 0  # CJK characters outside links
        self.has_table = False
        self.pre = 0
        self.end = 0
        self.w = 0  # weight of substantial blocks inside

    def elements(self) -> Iterator[_El]:
        return (c for c in self.children if isinstance(c, _El))

    def contains(self, other: _El) -> bool:
        return self.pre <= other.pre <= self.end


class _TreeBuilder:
    """A forgiving tree builder fed by lxml's parser events: implied end tags, stray end tags
    ignored, depth capped.

    The page reaches lxml with every "&" escaped, so entities and character references arrive
    as written and are resolved here, by the standard library's HTML5 rules (`html.unescape`),
    in whole runs of text and in attribute values; lxml never expands an entity itself.
    """

    def __init__(self, implied: frozenset[str] = frozenset()) -> None:
        self.root = _El("#root", {}, None)
        self.stack: list[_El] = [self.root]
        self.open: dict[str, int] = {}  # how many elements of each tag are open (skips hopeless searches)
        self.title: list[str] = []
        self.meta_dates: list[str] = []
        self.swallow = ""  # inside <script> or <style>: their text is never kept
        self.implied = implied  # the html/head/body lxml adds (the page's own arrive renamed): not elements
        self.pending: list[str] = []  # a run of text not yet unescaped

    # -- lxml's parser target interface
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._text()
        if tag in self.implied:
            return
        self.handle_starttag(tag.removeprefix(_PREFIX), [(k, unescape(v)) for k, v in attrib.items()])

    def end(self, tag: str) -> None:
        self._text()
        if tag in self.implied:
            return
        self.handle_endtag(tag.removeprefix(_PREFIX))

    def data(self, data: str) -> None:
        self.pending.append(data)

    def comment(self, text: str) -> None:
        self._text()  # a comment ends a run of text, as markup does

    def close(self) -> None:
        self._text()

    def _text(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending = []
            self.handle_data(unescape(text) if "&" in text else text)

    # -- helpers
    def _find_open(self, tags: frozenset[str] | set[str], boundary: frozenset[str]) -> int:
        """Index in the stack of the innermost open element in `tags`, not crossing `boundary`; -1 if none."""
        open_ = self.open
        for tag in tags:  # a loop, not any(): this runs for nearly every tag of the page
            if open_.get(tag):
                break
        else:
            return -1
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in tags:
                return i
            if tag in boundary:
                return -1
        return -1

    def _pop_to(self, index: int) -> None:
        for el in self.stack[index:]:
            self.open[el.tag] -= 1
        del self.stack[index:]

    def _close_implied(self, tag: str) -> None:
        top = self.stack[-1].tag
        if top == "title":
            self._pop_to(len(self.stack) - 1)
        if tag in _P_CLOSERS:
            i = self._find_open(_P, _P_BOUNDARY)
            if i > 0:
                self._pop_to(i)
        if tag in _HEADINGS and self.stack[-1].tag in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        if tag == "li":
            i = self._find_open({"li"}, frozenset({"ul", "ol", "menu", "table", "td", "th"}))
            if i > 0:
                self._pop_to(i)
        elif tag in {"dt", "dd"}:
            i = self._find_open({"dt", "dd"}, frozenset({"dl", "table", "td", "th"}))
            if i > 0:
                self._pop_to(i)
        elif tag in _CELLS:
            i = self._find_open(_CELLS, _CELL_BOUNDARY)
            if i > 0:
                self._pop_to(i)
        elif tag == "tr" or tag in _SECTIONS:
            # Close the open row (or section) of the current table, with every cell inside it.
            groups = [set(_SECTIONS), {"tr"}, set(_CELLS)] if tag in _SECTIONS else [{"tr"}, set(_CELLS)]
            for group in groups:
                i = self._find_open(group, frozenset({"table"}))
                if i > 0:
                    self._pop_to(i)
                    break
        elif tag == "option":
            i = self._find_open({"option"}, frozenset({"select", "datalist"}))
            if i > 0:
                self._pop_to(i)

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in {"script", "style"}:  # html.parser reads their content as raw text up to the end tag
            self.swallow = tag
            return
        if tag == "meta":
            meta = {k.lower(): (v or "") for k, v in attrs}
            if meta.get("name", meta.get("property", "")).lower() in _META_DATE_NAMES and meta.get("content"):
                self.meta_dates.append(meta["content"][:40])
        self._close_implied(tag)
        el_attrs = {k.lower(): (v or "") for k, v in attrs if k.lower() in _KEPT_ATTRS} if attrs else {}
        parent = self.stack[-1]
        el = _El(tag, el_attrs, parent)
        parent.children.append(el)
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(el)
            self.open[tag] = self.open.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.swallow:
            self.swallow = "" if tag == self.swallow else self.swallow
            return
        if tag == "br":
            self.handle_starttag("br", [])
            return
        if tag == "table":
            i = self._find_open({"table"}, frozenset())
        elif tag in _CELLS or tag == "tr" or tag in _SECTIONS or tag == "caption":
            i = self._find_open({tag}, frozenset({"table"}))
        else:
            i = self._find_open({tag}, frozenset({"table", "td", "th", "caption"}))
        if i > 0:
            self._pop_to(i)
        elif tag == "p":  # a stray </p> still breaks the line, as in a browser
            self.stack[-1].children.append(_El("p", {}, self.stack[-1]))

    def handle_data(self, data: str) -> None:
        if self.swallow:
            return
        top = self.stack[-1]
        if top.tag == "title":
            self.title.append(data)
            return
        if top.children and isinstance(top.children[-1], str):
            top.children[-1] += data
        else:
            top.children.append(data)


# Tags libxml2 treats specially (it moves or merges html/head/body, reads title to its end tag as
# text) and html.parser did not: renamed on the way in, so libxml2 sees plain unknown elements.
_RENAMED = re.compile(r"<(/?)(html|head|body|title)(?=[\s/>])", re.I)
_PREFIX = "nianbao-"
_RAW_OR_COMMENT = re.compile(r"<!--|<(script|style)(?=[\s/>])", re.I)


def _open_comments(text: str) -> list[tuple[int, int]]:
    """Spans of text html.parser read as text: each "<!--" without a "-->" after it, up to the next ">"."""
    spans: list[tuple[int, int]] = []
    i = 0
    while m := _RAW_OR_COMMENT.search(text, i):
        if m.group(1):  # script/style: raw text up to their end tag, where "<!--" means nothing
            end = re.compile(rf"</{m.group(1)}", re.I).search(text, m.end())
            i = end.end() if end else len(text)
            continue
        close = text.find("-->", m.end())
        if close >= 0:
            i = close + 3
            continue
        stop = text.find(">", m.start() + 1)
        if stop < 0:
            break  # the rest of the page: read as text below
        spans.append((m.start(), stop + 1))
        i = stop + 1
    return spans


def _parse(text: str) -> _TreeBuilder:
    """Parse with lxml's HTML parser: no network, no entity expansion, libxml2's size limits kept.

    The text is prepared so that libxml2 builds what html.parser (which this replaced) built: every
    "&" escaped (entities resolved by the builder), "</br>" a line break, html/head/body/title plain
    elements, and the markup html.parser gave up on read as text.
    """
    text = re.sub(r"<!doctype(?:[^>\[]|\[[^\]]*\])*>", "", text, flags=re.I)
    text = _END_BR.sub("<br>", text)
    text = text.replace("&", "&amp;")
    # An unclosed comment is text up to the next ">"; markup left open at the end of the page (no ">"
    # follows: "<!-- …", "<p", "<!doctype html") is text to the end.
    parts: list[str] = []
    at = 0
    for start, stop in [*_open_comments(text), (text.rfind(">") + 1, len(text))]:
        parts += [text[at:start], text[start:stop].replace("<", "&lt;")]
        at = stop
    text = "".join(parts)
    text = _RENAMED.sub(lambda m: f"<{m.group(1)}{_PREFIX}{m.group(2).lower()}", text)
    builder = _TreeBuilder(frozenset({"html", "head", "body"}))
    parser = etree.HTMLParser(
        target=builder,
        encoding="utf-8",
        recover=True,
        no_network=True,
        huge_tree=False,
        remove_pis=True,
        default_doctype=False,
        collect_ids=False,
    )
    parser.feed(text.encode("utf-8", errors="replace"))
    parser.close()
    return builder


_END_BR = re.compile(r"</br\s*>", re.I)


# -- marking chrome -----------------------------------------------------------------------------


def _stats(el: _El, in_link: bool) -> None:
    """Bottom-up counts used by the chrome guard and the table weights."""
    link = in_link or el.tag == "a"
    for child in el.children:
        if isinstance(child, str):
            if not link:
                el.content += len(_CONTENT.findall(child))
                el.cjk += len(_CJK.findall(child))
        else:
            if child.tag in _CDATA_DROP:
                continue
            _stats(child, link)
            el.content += child.content
            el.cjk += child.cjk
            el.has_table = el.has_table or child.has_table or child.tag == "table"


def _class_words(el: _El) -> list[str]:
    names = (el.attrs.get("class", "") + " " + el.attrs.get("id", "")).lower()
    return [w for w in re.split(r"[\s_\-]+|(?<=[a-z])(?=\d)", names) if w]


def _is_chrome(el: _El) -> bool:
    if el.tag in _CHROME_TAGS or el.attrs.get("role", "").strip().lower() in _CHROME_ROLES:
        return True
    if "hidden" in el.attrs or _HIDDEN_STYLE.search(el.attrs.get("style", "")):
        return True
    return el.tag in _CLASS_CHROME_TAGS and any(_CHROME_WORD.match(w) for w in _class_words(el))


def _mark(el: _El, counter: list[int]) -> None:
    """Mark dropped and chrome elements (never one holding a table or much text) and number the tree."""
    el.pre = counter[0]
    counter[0] += 1
    for child in el.elements():
        protected = child.has_table or child.cjk >= 200
        if child.tag in _CDATA_DROP or (child.tag in _DROP and not protected):
            child.drop = True
        elif not protected and _is_chrome(child):
            child.chrome = True
        _mark(child, counter)
    el.end = counter[0] - 1


# -- laying the page out as blocks --------------------------------------------------------------


@dataclass
class _Blk:
    block: Block
    node: _El
    weight: int  # counts towards the article only when substantial
    cjk: int
    chrome: bool


def _clean(text: str) -> str:
    return _WS.sub(" ", _INVISIBLE.sub("", text)).strip()


def _cell_text(el: _El) -> str:
    parts: list[str] = []

    def walk(node: _El) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (child.drop or child.chrome):
                if child.tag == "br" or child.tag in _BLOCK:
                    parts.append("\n")
                    walk(child)
                    parts.append("\n")
                else:
                    walk(child)

    walk(el)
    lines = (_clean(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _span(el: _El, name: str) -> int:
    m = _SPAN_VALUE.match(el.attrs.get(name, ""))
    value = int(m.group(1)) if m else 1
    return min(max(value, 1), MAX_SPAN)


def _rows(table: _El) -> list[list[_El]]:
    """The table's rows as lists of cell elements; loose cells form rows of their own."""
    rows: list[list[_El]] = []
    loose: list[_El] = []

    def cells_of(node: _El) -> list[_El]:
        found: list[_El] = []
        for child in node.elements():
            if child.tag in _CELLS:
                found.append(child)
            elif child.tag not in {"table", "tr"} and not child.drop:
                found.extend(cells_of(child))
        return found

    def visit(node: _El) -> None:
        nonlocal loose
        for child in node.elements():
            if child.drop or child.tag in {"caption", "table"}:
                continue
            if child.tag == "tr":
                if loose:
                    rows.append(loose)
                    loose = []
                rows.append(cells_of(child))
            elif child.tag in _CELLS:
                loose.append(child)
            else:
                visit(child)

    visit(table)
    if loose:
        rows.append(loose)
    return rows


def _grid(table: _El, notes: list[str]) -> Table:
    """Expand rowspan/colspan into a rectangular grid; each slot keeps which source cell filled it."""
    rows = _rows(table)
    slots: dict[tuple[int, int], str] = {}
    origin: dict[tuple[int, int], int] = {}
    n_cell = 0
    width = 0
    truncated = False
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in slots:
                c += 1
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)
            colspan = _span(cell, "colspan")
            text = _cell_text(cell)
            n_cell += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    if (r + dr, c + dc) not in slots:
                        slots[(r + dr, c + dc)] = text
                        origin[(r + dr, c + dc)] = n_cell
            c += colspan
            width = max(width, c)
            if len(slots) > MAX_CELLS or c > MAX_CELLS:
                truncated = True
                break
        if truncated:
            break
    height = max((r for r, _ in slots), default=-1) + 1
    if width * height > MAX_CELLS:
        truncated = True
        height = MAX_CELLS // max(width, 1)
        if height == 0:
            width, height = MAX_CELLS, 1
    if truncated:
        notes.append(
            f"表格过大，已截断为 {height} 行 × {width} 列 (table too large: cut to {height} x {width})"
        )
    # An empty slot no cell filled gets an id of its own (negative, so it never equals a cell's).
    keep = [r for r in range(height) if any(slots.get((r, c), "") for c in range(width))]
    texts = tuple(tuple(slots.get((r, c), "") for c in range(width)) for r in keep)
    spans = tuple(tuple(origin.get((r, c), -1 - c) for c in range(width)) for r in keep)
    return Table(texts, spans)


class _Layout:
    """Walks the tree once and lays it out as paragraph and table blocks, each tied to its element."""

    def __init__(self) -> None:
        self.blocks: list[_Blk] = []
        self.notes: list[str] = []
        self.buf: list[str] = []
        self.buf_cjk = 0
        self.buf_content = 0
        self.buf_chrome = False
        self.containers: list[_El] = []
        self.links = 0

    def flush(self) -> None:
        text = _clean("".join(self.buf))
        if text:
            substantial = (
                self.buf_cjk >= MIN_PARA_CJK and not _BOILERPLATE.search(text) and not self.buf_chrome
            )
            weight = self.buf_content if substantial else 0
            self.blocks.append(
                _Blk(Paragraph(text), self.containers[-1], weight, self.buf_cjk, self.buf_chrome)
            )
        self.buf = []
        self.buf_cjk = self.buf_content = 0

    def text(self, data: str, chrome: bool) -> None:
        if chrome != self.buf_chrome:
            self.flush()
            self.buf_chrome = chrome
        self.buf.append(data)
        if not self.links:
            self.buf_cjk += len(_CJK.findall(data))
            self.buf_content += len(_CONTENT.findall(data))

    def walk(self, el: _El, chrome: bool) -> None:
        for child in el.children:
            if isinstance(child, str):
                self.text(child, chrome)
                continue
            if child.drop:
                continue
            inner = chrome or child.chrome
            tag = child.tag
            if tag in {"br", "hr"}:
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child, inner)
            elif tag in _BLOCK:
                self.block(child, inner)
            elif tag == "a":
                self.links += 1
                self.walk(child, inner)
                self.links -= 1
            else:
                self.walk(child, inner)

    def block(self, el: _El, chrome: bool) -> None:
        self.flush()
        self.containers.append(el)
        self.walk(el, chrome)
        self.flush()
        self.containers.pop()

    def table(self, el: _El, chrome: bool) -> None:
        # A table holding other tables is layout: its contents are read in order instead.
        grid = Table(()) if el.has_table else _grid(el, self.notes)
        rows = grid.rows
        if len(rows) == 0 or max(len(r) for r in rows) < 2:
            self.block(el, chrome)
            return
        for caption in el.elements():
            if caption.tag == "caption" and not caption.drop:
                self.block(caption, chrome)
        weight = 0 if chrome else el.content
        self.blocks.append(_Blk(grid, el, weight, el.cjk, chrome))


# -- the article --------------------------------------------------------------------------------


def _article(root: _El, blocks: list[_Blk]) -> _El:
    """The smallest element that holds (nearly) all substantial text and every data table.

    From the top, step into the child holding most of the text while what is left behind is only
    chrome-like: never past a data table, a long paragraph or a numbered heading, never into a table.
    """
    body = [b for b in blocks if not b.chrome]
    for b in body:
        node: _El | None = b.node
        while node is not None and b.weight:
            node.w += b.weight
            node = node.parent
    tables = {id(b.node) for b in body if isinstance(b.block, Table)}
    total = root.w
    node = root
    while total > 0:
        best = max((c for c in node.elements() if not (c.drop or c.chrome)), key=lambda c: c.w, default=None)
        if best is None or best.w < 0.75 * total or id(best) in tables:
            break
        lost = [b for b in body if node.contains(b.node) and not best.contains(b.node)]
        if any(_keeps_article(b) for b in lost):
            break
        node = best
    return node


def _keeps_article(b: _Blk) -> bool:
    """A block that belongs to the report wherever it stands: a data table, real text, a numbered heading."""
    if isinstance(b.block, Table):
        return b.weight >= MIN_TABLE_WEIGHT
    return b.cjk >= LONG_PARA_CJK or bool(_HEADING.match(b.block.text))


def _title_like(el: _El) -> bool:
    node: _El | None = el
    for _ in range(3):
        if node is None:
            return False
        if node.tag in {"h1", "h2", "h3"} or any(_TITLE_WORD.match(w) for w in _class_words(node)):
            return True
        node = node.parent
    return False


def _compact(text: str) -> str:
    return _WS.sub("", text)


def _article_title(blocks: list[_Blk], first: int, page_title: str) -> str | None:
    """The article's own title, when the site prints it just above the article body."""
    head = _compact(re.split(r"[_|｜]|\s-\s", page_title)[0]) if page_title else ""
    for b in reversed(blocks[max(0, first - 15) : first]):
        if b.chrome or not isinstance(b.block, Paragraph):
            continue
        text = b.block.text
        if len(text) > 120 or not _CJK.search(text):
            continue
        if _title_like(b.node) or (head and _compact(text) == head):
            return text
    return None


def extract_html(data: bytes) -> Document:
    """Read an HTML page into a Document, or raise UnreadableReport."""
    declared = declared_charset(data)
    if declared and declared.lower().replace("_", "-").startswith(_BOGUS_CHARSETS):
        declared = (
            None  # not a web encoding, or (UTF-16/32) cannot be true of a declaration readable as ASCII
        )
    try:
        text = decode(data, declared)
    except UnreadableReport:
        raise
    except Exception:  # a declared codec that raises something other than a decoding error
        text = decode(data, None)
    try:
        return _extract(text)
    except UnreadableReport:
        raise
    except Exception as exc:  # hostile input must never escape as anything else
        raise UnreadableReport(
            "malformed",
            "网页结构损坏，无法读取。",
            f"the HTML page is too damaged to read ({type(exc).__name__})",
        ) from exc


def _extract(text: str) -> Document:
    builder = _parse(text)
    root = builder.root
    _stats(root, False)
    _mark(root, [0])
    layout = _Layout()
    layout.containers.append(root)
    layout.walk(root, False)
    layout.flush()
    blocks = layout.blocks

    article = _article(root, blocks)
    inside = [not b.chrome and article.contains(b.node) for b in blocks]
    body: list[Block] = [b.block for b, keep in zip(blocks, inside, strict=True) if keep]
    if not body:  # a table without a filled cell never becomes a block
        raise UnreadableReport(
            "no_text",
            "网页中没有可读的正文（可能只有导航或图片）。",
            "the page has no readable text (only site chrome or images)",
        )

    page_title = _clean("".join(builder.title))
    header: list[str] = [page_title] if page_title else []
    first = next(i for i, keep in enumerate(inside) if keep)
    title = _article_title(blocks, first, page_title)
    if title is not None:
        header.append(title)
        opening = "".join(_compact(b.text) for b in body[:3] if isinstance(b, Paragraph))
        if _compact(title) not in opening:
            body.insert(0, Paragraph(title))
    for b, keep in zip(blocks, inside, strict=True):
        if isinstance(b.block, Paragraph) and len(b.block.text) <= META_LINE_MAX:
            pattern = _STRONG_META_LINE if keep else _META_LINE
            if pattern.search(b.block.text) and b.block.text not in header:
                header.append(b.block.text)
        elif isinstance(b.block, Table) and len(b.block.rows) <= META_TABLE_ROWS:
            # An index table (索引号 | … | 发布日期 | 2025-01-20): a label and its value in two cells.
            for row in b.block.rows:
                if any(_STRONG_META_LINE.search(cell) for cell in row):
                    header.extend(cell for cell in dict.fromkeys(row) if cell and cell not in header)
    # The date a site's CMS writes into <meta>, after any visible date line (which wins).
    header += [f"发布时间：{d}" for d in builder.meta_dates]
    return Document(blocks=body, media_type="text/html", header_lines=header, notes=layout.notes)
