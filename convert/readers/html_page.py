"""Reading a saved web page → Document (the HTML reader; its entry point,
which tells a page from other inputs, is ``convert.readers.html``).

A page is read in three steps:

1. **Its text as a crawler saves it** (``page_lines``): visible text only
   (``script``, ``style``, ``noscript``, ``template`` and the ``<head>``
   dropped, the ``<title>`` kept as the first line), every block element and
   ``<br>`` starting a new line, runs of ASCII whitespace made one space.
   The page dumps of the test corpus were made exactly so, and the text
   reader's page-dump stage (``convert.readers.news``) reads such text: the
   headline is the page title shown again, the body the densest prose after
   it, the metadata what stands around them.
2. **What the markup adds** (``Markup``): ``<h1>``, ``og:title``, JSON-LD
   ``headline`` and ``<title>`` for the title; ``article:published_time``,
   ``pubdate``, JSON-LD ``datePublished`` and ``<time datetime>`` for the
   date; ``author`` meta and JSON-LD ``author`` for the byline; a marked
   breadcrumb for the channel.  The markup only fills a field the text left
   empty (or gives a date its time) and confirms the others, and the field's
   evidence says so; where the two disagree, the page's text wins and the
   markup's value is the runner-up.
3. **Furniture and tables**: picture captions (``<figcaption>``,
   ``class="…caption…"``, an image's ``alt`` text) that the text reader kept
   as paragraphs go to the furniture.  Data tables are kept out of the text
   the text reader sees (their short cells would end the article's prose)
   and put back where they stood: in the body as their text, a paragraph a
   row, with a warning, or in the furniture if outside the article.

Line numbers in the furniture and the evidence are lines of the HTML file.
Nothing is fetched: not images, frames, scripts or style sheets.

Hostile pages: lxml's parser (libxml2) reads with no network access and no
entities beyond HTML's own (it never reads a DTD subset, so an entity bomb
stays a few bytes of text); ``huge_tree`` lifts the limits on depth and text
size under which libxml2 drops the rest of a page without a word.  Script
and style contents are cut out before parsing (10 MB of inline script costs
a string search, not a parse), and ``</body>`` and ``</html>`` end tags are
ignored as browsers ignore them: libxml2 stops at a stray ``</html>``, a
browser shows what follows.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .._lazy_re import lazy
from ..errors import InputError
from ..model import Attr, Div, Document, Furniture, Heading, Para, Str, inline_text, paragraph_texts
from .encoding import common_share, decode, private_use_note

__all__ = ["Markup", "crawl_text", "decode_html", "page_lines", "parse_page", "read_html"]

NO_TEXT = "no article text in this HTML"

# ------------------------------------------------------------------ encoding

_META_CHARSET = lazy(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# How browsers read what a page declares: GB2312 and GBK pages with GB18030's
# characters, Big5 pages with Hong Kong's additions.
_ALIASES = {name: "gb18030" for name in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "csgb2312",
                                          "euc-cn", "cp936", "chinese", "iso-ir-58")}
_ALIASES |= {name: "big5hkscs" for name in ("big5", "x-big5", "cn-big5", "csbig5", "big5-hkscs")}
# A declaration read as ASCII cannot be in UTF-16: the page is UTF-8 (as browsers take it).
_ALIASES |= {name: "utf-8" for name in ("utf-16", "utf-16le", "utf-16be", "unicode")}


def declared_charset(data: bytes) -> str | None:
    """The codec a page's ``<meta charset>`` or ``http-equiv`` content type
    names among its first 16 KB, as Python calls it; None if none or unknown."""
    match = _META_CHARSET.search(data[:16384])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(_ALIASES.get(name, name)).name
    except LookupError:
        return None


def decode_html(data: bytes, encoding: str | None = None, *, path: str | None = None,
                notes: list[str] | None = None) -> tuple[str, str]:
    """(text, codec): ``encoding`` if given; else a byte-order mark; else the
    charset the page declares, unless the bytes are UTF-8 (a page re-saved
    as UTF-8 keeps its old declaration) or do not decode in it; else the text
    reader's detection (UTF-8, GB18030, Big5).  A declaration the bytes
    contradict is noted in ``notes`` (characters in the Private Use Area are
    not: the reader looks for them in the page's text, not in its markup)."""

    def read(codec: str | None) -> tuple[str, str]:
        return decode(data, codec, path=path, notes=notes, private_use=False)

    if encoding or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return read(encoding)
    if (nul := data.count(b"\x00")) and nul * 100 < len(data):
        # A stray NUL byte in a page is no text (browsers show nothing for it),
        # not a sign of a binary file, as it would be in a text.
        data = data.replace(b"\x00", b"")
        _note(notes, f"removed {nul} NUL byte(s)")
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        if not data.isascii() and _is_utf8(data):
            _note(notes, f"the page declares charset {declared} but is UTF-8; read as UTF-8")
            return read("utf-8")
        try:
            text, used = read(declared)
        except InputError:
            text, used = read(None)
            _note(notes, f"the page declares charset {declared}, which does not decode it; read as {used}")
            return text, used
        if other := _the_other_chinese_codec(data, declared, text):
            _note(notes, f"the page declares charset {declared} but reads as {other}; read as {other}")
            return read(other)
        return text, used
    return read(None)


_OTHER = {"gb18030": "big5hkscs", "big5hkscs": "gb18030"}


def _the_other_chinese_codec(data: bytes, declared: str, text: str) -> str | None:
    """GB18030 decodes Big5 bytes without an error (and Big5 many GBK ones),
    into rare characters: the other codec when the page's characters are
    clearly more common read in it, as the text reader tells the two apart."""
    other = _OTHER.get(declared)
    if other is None:
        return None
    sample = 1 << 16
    try:
        theirs = data[:sample].decode(other)
    except UnicodeDecodeError as exc:
        if exc.start < sample - 4:  # not merely the sample's end cutting a character
            return None
        theirs = data[:exc.start].decode(other)
    theirs, ours = "".join(_WIDE.findall(theirs)), "".join(_WIDE.findall(text[:len(theirs)]))
    if len(theirs) < 50:
        return None
    return other if common_share(theirs, other) > common_share(ours, declared) + 0.2 else None


_WIDE = lazy(r"[^\x00-\x7f]+")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _note(notes: list[str] | None, message: str) -> None:
    if notes is not None:
        notes.append(message)


# ------------------------------------------------------------------ the crawler's text

DROP = frozenset({"script", "style", "noscript", "template", "head"})
# What browsers showing frames never show; the parser keeps it as text
# (markup included), so it is left out too, except for the corpus's crawler.
FALLBACK = frozenset({"iframe", "noframes"})
BLOCK = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav
    ol option p pre section summary table tbody td tfoot th thead tr ul""".split()
)
_ASCII_WS = lazy(r"[ \t\n\r\f\v]+")
_BLANK = " \t\n\r\f\v\u3000\u00a0"
_RAW_OR_COMMENT = lazy(r"<!--|<(script|style)(?=[\s>/])([^>]{0,5000})>", re.I)
_CLOSE = {"script": lazy(r"</script", re.I), "style": lazy(r"</style", re.I)}
_JSON_LD = lazy(r"""type\s*=\s*["']?application/ld\+json""", re.I)
_JSON_LD_LIMIT = 1 << 20
_END_TAGS = lazy(r"</(?:html|body)\s*>", re.I)
_DOCTYPE_SUBSET = lazy(r"<!DOCTYPE[^\[>]{0,500}\[[^\]]{0,100000}\]\s*>", re.I)
_XML_DECLARATION = lazy(r"^\s*<\?xml[^>]{0,500}\?>")


def _prepare(text: str) -> str:
    """The page's text made safe and quick to parse, line for line the same:
    script and style contents cut out (JSON-LD kept, up to 1 MB each),
    ``</body>`` and ``</html>`` end tags and a DTD's internal subset taken out."""
    text = text.replace("\x00", "").lstrip("\ufeff")
    text = _XML_DECLARATION.sub(_same_lines, text)  # lxml refuses a str with an encoding declaration
    if m := _DOCTYPE_SUBSET.search(text, 0, 200_000):
        text = text[:m.start()] + _same_lines(m) + text[m.end():]
    out: list[str] = []
    copied = pos = 0  # text[:copied] is in out
    while m := _RAW_OR_COMMENT.search(text, pos):
        if m.group(1) is None:  # a comment: "<script" inside it opens nothing
            end = text.find("-->", m.end())
            if end < 0:
                break
            pos = end + 3
            continue
        name = m.group(1).lower()
        close = _CLOSE[name].search(text, m.end())
        end = close.start() if close else len(text)
        content = text[m.end():end]
        keep = name == "script" and _JSON_LD.search(m.group(2)) and len(content) <= _JSON_LD_LIMIT
        out += [text[copied:m.end()], content if keep else "\n" * content.count("\n")]
        copied = end
        pos = end + 2
    out.append(text[copied:])
    return _END_TAGS.sub("", "".join(out))


def _same_lines(m: re.Match) -> str:
    return "\n" * m.group(0).count("\n")


def _parse(text: str, notes: list[str] | None = None) -> Any:
    """The page's tree (None for a page of nothing but blanks and comments).

    No network and no entities beyond HTML's own (libxml2's HTML parser
    never reads a DTD subset); ``huge_tree`` lifts the limits on depth (to
    2,048 levels) and text size under which libxml2 drops the rest of a page
    without a word.  A page nested deeper still is parsed again with its
    containers undone (a block's tags made line breaks, an inline element's
    dropped), as a browser keeps what is nested too deep."""
    from lxml import etree

    parser = etree.HTMLParser(huge_tree=True, no_network=True, remove_pis=True, collect_ids=False,
                              default_doctype=False)
    try:
        root = etree.fromstring(text, parser)
    except etree.XMLSyntaxError:
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        _note(notes, "the page nests its elements too deep to parse; read with its containers undone")
        return etree.fromstring(_CONTAINER_TAG.sub(_undone, text), parser)
    return root


_CONTAINER_TAG = lazy(
    r"</?(?:div|span|section|article|aside|header|footer|main|nav|font|center|blockquote|ul|ol|li|dl|dt|dd"
    r"|table|tbody|thead|tfoot|tr|td|th|form|fieldset|figure|a|b|i|em|strong|u|s|small|big|sub|sup)"
    r"(?=[\s>/])[^>]{0,2000}>", re.I)


def _undone(m: re.Match) -> str:
    name = re.match(r"</?([A-Za-z]+)", m.group(0)).group(1).lower()
    return "<br>" if name in BLOCK else ""


def _pieces(elements: list[Any], pieces: list[tuple[str | None, Any]], drop: frozenset[str]) -> None:
    """The text of ``elements`` and what is below them in document order, None
    where a block starts or ends, each piece with the element it is the text
    or tail of.  A stack, not recursion: a page may nest thousands deep."""
    stack: list[tuple[Any, bool]] = [(el, False) for el in reversed(elements)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else None  # None: a comment or processing instruction
        if not closing:
            if tag is None or tag in drop:
                if el.tail:
                    pieces.append((el.tail, el))
                continue
            if tag in BLOCK:
                pieces.append((None, None))
            if el.text:
                pieces.append((el.text, el))
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
            continue
        if tag in BLOCK:
            pieces.append((None, None))
        if el.tail:
            pieces.append((el.tail, el))


def _lines(pieces: list[tuple[Any, Any]], anchors: list[tuple[int, Any]] | None = None
           ) -> tuple[list[str], list[Any]]:
    """Pieces cut at the block breaks into lines (ASCII whitespace folded,
    lines of nothing but spaces left out), each with the element its text
    starts in.  A ``_Table`` piece stands where a table was taken out: it
    goes to ``anchors`` with the number of lines before it."""
    lines: list[str] = []
    where: list[Any] = []
    current: list[str] = []
    first = None
    for text, el in [*pieces, (None, None)]:
        if isinstance(text, _Table):
            if anchors is not None:
                anchors.append((len(lines), text))
            continue
        if text is not None:
            current.append(text)
            if first is None and not text.isspace():
                first = el
            continue
        if first is not None:
            joined = "".join(current)
            if joined.strip(_BLANK):  # a line of nothing but spaces counts as empty
                lines.append(_ASCII_WS.sub(" ", joined).strip(" "))
                where.append(first)
        current, first = [], None
    return lines, where


def _text_of(el: Any) -> str:
    """An element's visible text, its lines joined by spaces."""
    pieces: list[tuple[str | None, Any]] = []
    _pieces([el], pieces, DROP | FALLBACK)
    return " ".join(_lines(pieces)[0])


def _crawl(root: Any, fallback: bool = False, tables: dict[Any, _Table] | None = None,
           anchors: list[tuple[int, _Table]] | None = None) -> tuple[list[str], list[Any], bool]:
    """Lines, the element each starts in, and whether the first is the page's
    title.  Takes the dropped elements out of ``root``: read its markup first.
    ``tables``: data tables to leave out of the lines, each noted in
    ``anchors`` with the number of lines before it."""
    from lxml import etree

    if root is None:
        return [], [], False
    pieces: list[tuple[str | None, Any]] = []
    title = root.find(".//head/title")
    if title is None:
        title = root.find(".//title")
    if title is not None:
        pieces += [("".join(title.itertext()), title), (None, None)]
    has_title = bool(pieces) and bool(pieces[0][0].strip(_BLANK))
    etree.strip_elements(root, *(DROP if fallback else DROP | FALLBACK), with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction, etree.Entity)  # their tails stay
    add = pieces.append
    walk = etree.iterwalk(root, events=("start", "end"))  # lxml's own walk, no recursion
    for event, el in walk:
        if el.tag in BLOCK:
            add((None, None))
        if el is root:
            continue
        if event == "start" and tables and el in tables:
            add((tables[el], el))
            walk.skip_subtree()
        elif event == "start" and el.text:
            add((el.text, el))
        elif event == "end" and el.tail:
            add((el.tail, el))
    lines, where = _lines(pieces, anchors)
    return lines, where, has_title


def page_lines(html: str, *, fallback: bool = True) -> list[str]:
    """The lines a crawler saves of a decoded HTML page (see the module's
    docstring); ``bench/crawl_text.py`` made the corpus's page dumps with it.
    ``fallback``: keep the fallback text of ``iframe`` and ``noframes``, as
    that crawler did."""
    return _crawl(_parse(_prepare(html)), fallback)[0]


def crawl_text(data: bytes, *, flatten: bool = False) -> str:
    """A saved page's bytes as the text a crawler saves of it: its lines, or
    (``flatten``) those lines joined by single spaces, as a search index's
    ``content`` field holds a page."""
    text, _ = decode_html(data)
    return (" " if flatten else "\n").join(page_lines(text))


# ------------------------------------------------------------------ what the markup says


@dataclass(frozen=True)
class Said:
    """A value the markup gives: what gave it (``og:title meta``), the value,
    and the line of the HTML file it stands on (0 where it has none)."""

    rule: str
    value: str
    line: int = 0


@dataclass
class Markup:
    """What a page's markup says about its article; each list most trusted first."""

    titles: list[Said] = field(default_factory=list)  # <h1>s, og:title, JSON-LD headline, <title>
    dates: list[Said] = field(default_factory=list)  # read already: 2023-04-14 or ...T17:14+08:00
    authors: list[Said] = field(default_factory=list)
    sources: list[Said] = field(default_factory=list)
    sections: list[Said] = field(default_factory=list)  # article:section, JSON-LD articleSection
    sites: list[str] = field(default_factory=list)  # the site's and the publisher's names
    breadcrumb: Said | None = None
    captions: list[Said] = field(default_factory=list)
    tables: dict[Any, _Table] = field(default_factory=dict)  # data tables, by element
    frames: list[str] = field(default_factory=list)  # a frameset's pages
    refresh: str | None = None  # where a <meta http-equiv="refresh"> sends the reader


@dataclass(frozen=True)
class _Table:
    """A data table: its rows, each row's cells set apart by U+3000."""

    rows: tuple[str, ...]
    line: int
    element: Any = field(compare=False, repr=False)


_DATE_KEYS = (  # meta names of the publication date, most trusted first
    "article:published_time", "datepublished", "og:published_time", "published_time", "article:published",
    "pubdate", "publishdate", "publish_date", "publish-date", "publication_date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date", "date.available", "date",
)
_AUTHOR_KEYS = ("author", "article:author", "byl", "dc.creator", "dcterms.creator", "sailthru.author",
                "parsely-author")
_TITLE_KEYS = ("og:title", "twitter:title", "headline", "title")
_SECTION_KEYS = ("article:section", "section", "articlesection", "category:name")
_SITE_KEYS = ("og:site_name", "application-name", "publisher")
_REFRESH_URL = lazy(r"url\s*=\s*['\"]?([^'\"\s]+)", re.I)
_WANTED = ("meta", "h1", "title", "time", "img", "table", "frame", "script", "figcaption")
_CAPTION_CLASS = lazy(r"caption|img-?desc|pic-?desc|photo-?desc")
_NOT_A_CAPTION = ("body", "html", "article", "main", "section")


def _fold(text: str | None) -> str:
    return " ".join((text or "").replace("\u3000", " ").split())


def _line(el: Any) -> int:
    return el.sourceline or 0


def _markup(root: Any) -> Markup:
    m = Markup()
    found = _scan(root)
    metas: dict[str, list[Said]] = {}
    for el in found["meta"]:
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = _fold(el.get("content"))
        if key and value:
            metas.setdefault(key, []).append(Said(f"{key} meta", value, _line(el)))
        if (el.get("http-equiv") or "").lower() == "refresh" and (to := _REFRESH_URL.search(value)):
            m.refresh = to.group(1)
    ld = _json_ld(found["script"])

    m.titles += [Said("<h1>", t, _line(el)) for el in found["h1"] if 2 <= len(t := _fold(_text_of(el))) <= 200]
    m.titles += [s for key in _TITLE_KEYS for s in metas.get(key, [])]
    m.titles += [Said("JSON-LD headline", v) for v in ld["headline"]]
    m.titles += [Said("<title>", t, _line(el)) for el in found["title"] if (t := _fold(_text_of(el)))][:1]

    for key in _DATE_KEYS:
        m.dates += [Said(s.rule, v, s.line) for s in metas.get(key, []) if (v := _iso_date(s.value))]
        if key == "article:published_time":
            m.dates += [Said("JSON-LD datePublished", v) for raw in ld["datePublished"] if (v := _iso_date(raw))]
    for el in found["time"]:
        if (raw := el.get("datetime")) and (v := _iso_date(raw)):
            if el.get("itemprop", "").lower() == "datepublished" or el.get("pubdate") is not None:
                m.dates.insert(0, Said("<time datetime> of the published date", v, _line(el)))
            else:
                m.dates.append(Said("<time datetime>", v, _line(el)))

    m.authors += [s for key in _AUTHOR_KEYS for s in metas.get(key, [])]
    m.authors += [Said("JSON-LD author", v) for v in ld["author"]]
    for el in found["author"]:
        name = el.find(".//*[@itemprop='name']")
        if value := _fold(name.get("content") or _text_of(name)) if name is not None else _fold(_text_of(el)):
            m.authors.append(Said("itemprop author", value, _line(el)))
    m.authors = [a for a in m.authors if _is_name(a.value)]

    m.sources = metas.get("source", [])
    m.sections += [s for key in _SECTION_KEYS for s in metas.get(key, [])]
    m.sections += [Said("JSON-LD articleSection", v) for v in ld["articleSection"]]
    m.sections += [Said("JSON-LD breadcrumb", v) for v in ld["breadcrumb"]]
    m.sites = list(dict.fromkeys([s.value for key in _SITE_KEYS for s in metas.get(key, [])] + ld["publisher"]))

    m.breadcrumb = _breadcrumb(list(dict.fromkeys(found["crumb"])))
    m.captions = _captions(found["figcaption"] + found["caption"], found["img"])
    m.tables = _data_tables(found["table"])
    m.frames = [src for el in found["frame"] if (src := el.get("src"))]
    return m


class _Lazy:
    """An XPath compiled on first use: lxml is imported only to read a page."""

    def __init__(self, expression: str):
        self.expression, self.compiled = expression, None

    def __call__(self, root: Any) -> list[Any]:
        if self.compiled is None:
            from lxml import etree

            self.compiled = etree.XPath(self.expression)
        return self.compiled(root)


_MICRODATA = _Lazy("//*[@itemprop or @itemtype or @aria-label]")


def _scan(root: Any) -> dict[str, list[Any]]:
    """The elements the markup is read from, in one walk of the tree: by
    tag, and those marked by their class, id or microdata (``crumb``,
    ``caption``, ``author``)."""
    found: dict[str, list[Any]] = {k: [] for k in (*_WANTED, "crumb", "caption", "author")}
    for el in root.iter():
        tag = el.tag
        if tag in found:  # a comment's tag is a function, never a key
            found[tag].append(el)
        if cls := el.get("class"):
            low = cls.lower()
            if "crumb" in low:
                found["crumb"].append(el)
            elif _CAPTION_CLASS.search(low) and tag not in _NOT_A_CAPTION:
                found["caption"].append(el)
        if (ident := el.get("id")) and "crumb" in ident.lower():
            found["crumb"].append(el)
    for el in _MICRODATA(root):  # rare attributes: one search, not a read of every element
        if el.get("itemprop", "").lower() == "author" and el.tag != "meta":
            found["author"].append(el)
        if (el.get("itemtype") or "").endswith("BreadcrumbList") or "breadcrumb" in (
                el.get("aria-label") or "").lower():
            found["crumb"].append(el)
    return found


def _is_name(value: str) -> bool:
    """An author field holding a name, not an address or a handle."""
    return 2 <= len(value) <= 40 and not re.search(r"https?:|www\.|\.com\b|/|@", value)


def _json_ld(scripts: list[Any]) -> dict[str, list[str]]:
    """Headlines, publication dates, authors (people, not organisations),
    sections, publishers and breadcrumbs from the page's JSON-LD; a
    malformed block is passed over."""
    out: dict[str, list[str]] = {k: [] for k in ("headline", "datePublished", "author", "articleSection",
                                                 "publisher", "breadcrumb")}

    import json
    from html import unescape

    def text(value: str) -> str:
        return _fold(unescape(value))

    for script in scripts:
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            todo = [json.loads(script.text)]
        except (ValueError, RecursionError):
            continue
        seen = 0
        while todo and seen < 2000:
            item = todo.pop()
            seen += 1
            if isinstance(item, list):
                todo.extend(reversed(item))
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type")
            kinds = {kinds} if isinstance(kinds, str) else set(kinds) if isinstance(kinds, list) else set()
            if "BreadcrumbList" in kinds:
                steps = [e.get("name") or (e.get("item") or {}).get("name") for e in item.get("itemListElement") or []
                         if isinstance(e, dict) and isinstance(e.get("item") or {}, dict)]
                if steps and all(isinstance(s, str) for s in steps):
                    out["breadcrumb"].append(" / ".join(map(text, steps)))
                continue
            for key in ("headline", "datePublished", "articleSection"):
                if isinstance(item.get(key), str) and item[key].strip():
                    out[key].append(text(item[key]))
            people = item.get("author")
            for person in people if isinstance(people, list) else [people]:
                if isinstance(person, str):
                    out["author"].append(text(person))
                elif isinstance(person, dict) and person.get("@type") != "Organization" \
                        and isinstance(person.get("name"), str):
                    out["author"].append(text(person["name"]))
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                out["publisher"].append(text(publisher["name"]))
            todo.extend(v for k, v in item.items() if k in ("@graph", "mainEntity") and isinstance(v, (list, dict)))
    return out


_ISO = lazy(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?\s*$", re.I)
_CHINA = timezone(timedelta(hours=8))


def _iso_date(raw: str) -> str | None:
    """A machine-readable date as the model holds it: ``2023-04-14`` or
    ``2023-04-14T17:14+08:00``.  A time with another offset is told in
    +08:00, as the text reader tells its times; one with none is +08:00."""
    from html import unescape

    m = _ISO.match(unescape(raw))  # a CMS may escape the JSON-LD's "+" as &#x2B;
    if not m:
        return None
    y, mo, d, hh, mm, _, zone = m.groups()
    try:
        if hh is None:
            return datetime(int(y), int(mo), int(d)).strftime("%Y-%m-%d")
        when = datetime(int(y), int(mo), int(d), int(hh), int(mm), tzinfo=_CHINA)
        if zone and zone.upper() in ("Z", "UTC", "GMT"):
            when = when.replace(tzinfo=timezone.utc)
        elif zone:
            digits = zone[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            when = when.replace(tzinfo=timezone(offset if zone[0] == "+" else -offset))
    except ValueError:  # no such day, hour or offset
        return None
    return when.astimezone(_CHINA).strftime("%Y-%m-%dT%H:%M+08:00")


def _breadcrumb(marked: list[Any]) -> Said | None:
    """The page's breadcrumb as it reads: the innermost element marked as one
    (``class="breadcrumb"``, schema.org's ``BreadcrumbList``, ``aria-label``)
    that holds two links or more, or steps marked one by one side by side."""
    if not marked:
        return None

    def links(el: Any) -> int:
        return len(el.findall(".//a"))

    holders = [el for el in marked if links(el) >= 2]
    inner = [el for el in holders if not any(o is not el and _inside(o, el) for o in holders)]
    if inner:
        el, text = inner[0], _text_of(inner[0])
    else:  # <li class="breadcrumb__item">…</li><li class="breadcrumb__item">…</li>
        parent = marked[0].getparent()
        steps = [el for el in marked if el.getparent() is parent]
        if len(steps) < 2:
            return None
        el, text = steps[0], " ".join(_text_of(s) for s in steps)
    text = _fold(text)
    if not 2 <= len(text) <= 80 or re.search(r"[。，！？,!?]", text):
        return None
    return Said("the page's breadcrumb markup", text, _line(el))


def _inside(el: Any, ancestor: Any) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _captions(marked: list[Any], images: list[Any]) -> list[Said]:
    """Captions of pictures: ``<figcaption>``, an element whose class names
    it a caption, an image's ``alt`` or ``title`` text; a caption's lines
    one by one."""
    out = []
    for el in marked:
        pieces: list[tuple[str | None, Any]] = []
        _pieces([el], pieces, DROP | FALLBACK)
        lines, where = _lines(pieces)
        if sum(map(len, lines)) <= 300:
            rule = "<figcaption>" if el.tag == "figcaption" else "a caption's class"
            out += [Said(rule, _fold(t), _line(n)) for t, n in zip(lines, where, strict=True)]
    for el in images:
        for attr in ("alt", "title"):
            if len(value := _fold(el.get(attr))) >= 8:
                out.append(Said(f"an image's {attr} text", value, _line(el)))
    return out


def _data_tables(tables: list[Any]) -> dict[Any, _Table]:
    """Tables of data, not of layout: two rows of two cells or more, no
    table inside, and no cell holding more than a datum (100 characters,
    and no sentence: a page laid out in tables has its article in a cell)."""
    out = {}
    for table in tables:
        if table.find(".//table") is not None:
            continue
        rows = [[_fold(_text_of(cell)) for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")]
        if sum(1 for row in rows if len(row) >= 2) < 2 or any(
                len(cell) > 100 or len(cell) >= 20 and re.search(r"[。！？]", cell) for row in rows for cell in row):
            continue
        texts = tuple("\u3000".join(c for c in row if c) for row in rows if any(row))
        out[table] = _Table(texts, _line(table), table)
    return out


# ------------------------------------------------------------------ the reader


@dataclass
class Page:
    lines: list[str]  # the crawler's text, a line a block
    elements: list[Any]  # the element each line starts in
    has_title: bool  # the first line is the <title>
    markup: Markup
    notes: list[str] = field(default_factory=list)  # what the user should know of the reading
    tables: list[tuple[int, _Table]] = field(default_factory=list)  # each after so many lines

    @property
    def where(self) -> list[int]:
        """The line of the HTML file each line starts on."""
        return [_line(el) for el in self.elements]

    @property
    def shown(self) -> list[str]:
        """The lines of the page itself, without its <title>."""
        return self.lines[1:] if self.has_title else self.lines


def parse_page(text: str) -> Page:
    """A decoded HTML page → its crawler text and what its markup says."""
    notes: list[str] = []
    root = _parse(_prepare(text), notes)
    markup = _markup(root) if root is not None else Markup()
    anchors: list[tuple[int, _Table]] = []
    lines, elements, has_title = _crawl(root, tables=markup.tables, anchors=anchors)
    return Page(lines, elements, has_title, markup, notes, anchors)


def read_html(data: bytes, *, path: str | None = None, encoding: str | None = None
              ) -> tuple[Document, tuple[Any, ...]]:
    """A page's bytes → the Document and, for each metadata field, its
    evidence (the news reader's ``Evidence``, with lines of the HTML file)."""
    from .news import explain_news

    notes: list[str] = []
    text, used = decode_html(data, encoding, path=path, notes=notes)
    page = parse_page(text)
    notes += page.notes
    if not page.shown:
        raise InputError(_no_text(page.markup), path)
    doc, evidence = explain_news("\n".join(page.lines), path=path, encoding=used)
    doc = _with_the_rest_of_the_article(doc, page)
    doc, evidence = _with_markup(doc, evidence, page, path)
    if not paragraph_texts(doc):
        raise InputError(_no_text(page.markup), path)
    if note := private_use_note("\n".join(page.lines), used):
        notes.append(note)
    if notes:
        doc = replace(doc, warnings=(*notes, *doc.warnings))
    return doc, evidence


def _no_text(markup: Markup) -> str:
    if markup.frames:
        shown = ", ".join(markup.frames[:3]) + (", ..." if len(markup.frames) > 3 else "")
        return f"{NO_TEXT} (a frameset: its text is in {shown}, which are not fetched)"
    if markup.refresh:
        return f"{NO_TEXT} (it sends the reader on to {markup.refresh}, which is not fetched)"
    return f"{NO_TEXT} (an empty page, or one its scripts fill in)"


class _Fields:
    """The evidence of each field, as the markup settles or confirms it."""

    def __init__(self, evidence: tuple[Any, ...], page: Page):
        from .news.evidence import Evidence

        self.Evidence, self.where = Evidence, page.where
        # The text reader's lines are the crawler text's: made the HTML file's.
        self.why = {e.field: Evidence(e.field, e.value, self.html_line(e.line),
                                      re.sub(r"\(line (\d+)\)", lambda m: f"(line {self.html_line(int(m[1]))})",
                                             e.rule), e.runner_up)
                    for e in evidence}
        self.changes: dict[str, Any] = {}

    def html_line(self, n: int) -> int:
        return self.where[n - 1] if 0 < n <= len(self.where) else 0

    def rule(self, name: str) -> str:
        return self.why[name].rule if name in self.why else ""

    def settle(self, name: str, value: Any, said: Said, rule: str, runner_up: str | None = None) -> None:
        self.changes[name] = value
        self.why[name] = self.Evidence(name, str(value), said.line, rule, runner_up)

    def confirm(self, name: str, agreeing: list[Said]) -> None:
        if name in self.why and agreeing:
            rules = ", ".join(dict.fromkeys(s.rule for s in agreeing))
            self.why[name] = replace(self.why[name], rule=f"{self.why[name].rule}; the markup agrees ({rules})")

    def disagree(self, name: str, said: Said) -> None:
        if name in self.why and not self.why[name].runner_up:
            self.why[name] = replace(self.why[name], runner_up=f"{said.value} ({said.rule})")

    def evidence(self) -> tuple[Any, ...]:
        order = ("title", "published", "source", "byline", "editors", "channel")
        return tuple(self.why[k] for k in [*order, *sorted(set(self.why) - set(order))] if k in self.why)


def _with_markup(doc: Document, evidence: tuple[Any, ...], page: Page, path: str | None
                 ) -> tuple[Document, tuple[Any, ...]]:
    """The text reader's Document with what the markup adds: fields the text
    left empty filled, the others confirmed, captions moved to the
    furniture; every line number made a line of the HTML file."""
    fields = _Fields(evidence, page)
    for settle in (_title, _published, _byline, _source, _channel):
        settle(doc, page, fields, path)
    meta = replace(doc.meta, **fields.changes) if fields.changes else doc.meta
    doc = replace(doc, meta=meta,
                  furniture=tuple(Furniture(f.text, f.kind, fields.html_line(f.line)) for f in doc.furniture))
    if "title" in fields.changes:
        doc = _without_headline(doc, fields.why["title"].line)
    doc = _with_identifier(_with_tables(_without_captions(doc, page.markup), page))
    return doc, fields.evidence()


def _without_headline(doc: Document, line: int) -> Document:
    """The headline the markup named, out of the body it opened (the text
    reader, finding no headline, read it as the first paragraph)."""
    first = doc.blocks[0] if doc.blocks else None
    if isinstance(first, (Para, Heading)) and _fold(inline_text(first.content)) == _fold(doc.meta.title):
        furniture = sorted((*doc.furniture, Furniture(inline_text(first.content), "title", line)), key=lambda f: f.line)
        return replace(doc, blocks=doc.blocks[1:], furniture=tuple(furniture))
    return doc


def _title(doc: Document, page: Page, fields: _Fields, path: str | None) -> None:
    """The headline the text reader found, confirmed by ``<h1>``, og:title...;
    the markup's own where the text reader found none."""
    title, markup = doc.meta.title, page.markup
    fell_back = _fell_back(title, page, path)
    # A title that is the whole first line is the <title> itself: it cannot confirm itself.
    agreeing = [s for s in markup.titles if _same_title(title, s.value) and not (fell_back and s.rule == "<title>")]
    headline = _markup_headline(markup)
    if agreeing:
        fields.confirm("title", agreeing)
    elif headline and fell_back and _fold(headline.value) != _fold(title):
        fields.settle("title", headline.value, headline, headline.rule, title or None)
    elif headline and not fell_back:
        fields.disagree("title", headline)


def _published(doc: Document, page: Page, fields: _Fields, path: str | None) -> None:
    """The date filled in, given its time, or confirmed; never moved to
    another day or time the page shows."""
    dates, current = page.markup.dates, doc.meta.published
    if not dates:
        return
    best = next((s for s in dates if "T" in s.value), dates[0])
    if current is None:
        fields.settle("published", best.value, best, best.rule)
        return
    if "T" not in current and "T" in best.value and best.value[:10] == current[:10]:
        rule = fields.rule("published") or "the date the page shows"
        fields.settle("published", best.value, best, f"{rule}; the time from {best.rule}")
        return
    same = [s for s in dates if s.value[:16] == current[:16]
            or ("T" not in s.value or "T" not in current) and s.value[:10] == current[:10]]
    if same:
        fields.confirm("published", same)
    else:
        fields.disagree("published", dates[0])


def _byline(doc: Document, page: Page, fields: _Fields, path: str | None) -> None:
    """A name the markup gives as the author and the page shows; never the
    site's own name or an editor's."""
    meta, markup = doc.meta, page.markup
    authors = [a for a in markup.authors if not _is_site(a.value, markup)
               and not any(name and name in a.value for name in meta.editors)]
    if meta.byline:
        byline = _fold(meta.byline)
        agreeing = [a for a in authors if _fold(a.value) in byline or byline in _fold(a.value)]
        if agreeing:
            fields.confirm("byline", agreeing)
        elif authors:
            fields.disagree("byline", authors[0])
        return
    shown = "\n".join(page.shown)
    for author in authors:
        if author.value in shown:
            fields.settle("byline", author.value, author, f"{author.rule}, a name the page shows")
            return


def _source(doc: Document, page: Page, fields: _Fields, path: str | None) -> None:
    """Confirmed only: a source is one the page labels 来源 (the conventions)."""
    if doc.meta.source:
        fields.confirm("source", [s for s in page.markup.sources if _fold(s.value) == _fold(doc.meta.source)])


_CRUMB_STEP = lazy(r"\s*(?:>>|>|＞|»|›|→|/|\|)\s*|\s+")


def _channel(doc: Document, page: Page, fields: _Fields, path: str | None) -> None:
    """The breadcrumb the markup marks, where the text reader found none
    (its steps may stand a line each); the channel is its last step."""
    meta, markup = doc.meta, page.markup
    if page.has_title and meta.breadcrumb and _fold(meta.breadcrumb) == _fold(page.lines[0]):
        # The text reader took the page's <title> (标题_频道_网站) for a breadcrumb.
        meta = replace(meta, breadcrumb=None, channel=None)
        fields.changes.update(breadcrumb=None, channel=None)
        fields.why.pop("channel", None)
    if meta.breadcrumb is None and meta.channel is None and markup.breadcrumb:
        crumb = markup.breadcrumb
        steps = [s for s in _CRUMB_STEP.split(crumb.value) if s and s not in ("正文", "首页", "首頁")]
        fields.changes["breadcrumb"] = crumb.value
        fields.settle("channel", steps[-1] if steps else crumb.value, crumb, crumb.rule)
        fields.why["channel"] = replace(fields.why["channel"], value=crumb.value)
    elif meta.breadcrumb or meta.channel:
        shown = _fold(meta.breadcrumb or meta.channel)
        said = [*markup.sections, *([markup.breadcrumb] if markup.breadcrumb else [])]
        fields.confirm("channel", [s for s in said if _fold(s.value) in shown or shown in _fold(s.value)])


_SEPARATOR = lazy(r"\s*(?:[|｜]|::|_|\s[-–—@]\s)\s*")
_SEPARATOR_CHARS = " _|｜-–—:：@·•»"


def _same_title(title: str, said: str) -> bool:
    """``said`` is ``title``, or ``title`` and then the site's name."""
    title, said = _fold(title), _fold(said)
    return bool(title) and (said == title or said.startswith(title) and said[len(title)] in _SEPARATOR_CHARS)


def _markup_headline(markup: Markup) -> Said | None:
    """The headline by the markup alone: an ``<h1>`` that starts the page's
    title (the page shows its title again, as the text reader has it), else
    the Open Graph or JSON-LD headline, else the ``<title>``, each without
    the site's name."""
    named = [s for s in markup.titles if s.rule != "<h1>"]
    for h1 in (s for s in markup.titles if s.rule == "<h1>"):
        if backing := next((s for s in named if _same_title(h1.value, s.value)), None):
            return Said(f"<h1>, the start of the {backing.rule}", h1.value, h1.line)
    for said in named:
        if value := _without_site(said.value, markup):
            return Said(said.rule, value, said.line)
    return None


def _without_site(title: str, markup: Markup) -> str:
    """``标题 | 频道 | 网站`` → ``标题``: the parts after a separator that name
    the site or the column go."""
    names = {_fold(n) for n in markup.sites} | {_fold(s.value) for s in markup.sections}
    for m in _SEPARATOR.finditer(title):
        rest = [_fold(p) for p in _SEPARATOR.split(title[m.end():])]
        if m.start() > 0 and all(not p or any(n and n in p for n in names) for p in rest):
            return _fold(title[:m.start()])
    return _fold(title)


def _fell_back(title: str, page: Page, path: str | None) -> bool:
    """The text reader found no headline: its title is the file's name or
    the start of the page's text (the whole ``<title>``)."""
    first = page.lines[0] if page.has_title else ""
    return not title or title == "untitled" or (path is not None and title == Path(path).stem) or (
        bool(first) and title in (first, first[:40]))


def _is_site(name: str, markup: Markup) -> bool:
    name = _fold(name)
    return any(site and (name in _fold(site) or _fold(site) in name) for site in markup.sites)


def _without_captions(doc: Document, markup: Markup) -> Document:
    """Paragraphs the markup marks as a picture's caption, moved to the furniture."""
    captions = {_fold(c.value): c for c in markup.captions}
    if not captions:
        return doc
    kept, moved = [], []
    for block in doc.blocks:
        text = inline_text(block.content) if isinstance(block, (Para, Heading)) else None
        if text is not None and (said := captions.get(_fold(text))):
            moved.append(Furniture(text, "caption", said.line))
        else:
            kept.append(block)
    if not moved:
        return doc
    return replace(doc, blocks=tuple(kept), furniture=tuple(sorted((*doc.furniture, *moved), key=lambda f: f.line)))


def _with_tables(doc: Document, page: Page) -> Document:
    """Data tables, which the text reader did not see (their short cells would
    end an article's prose), put back where they stood: a table inside the
    element holding the article's paragraphs goes into the body, a ``Div``
    of class ``table`` with a paragraph a row, after the paragraph before it;
    one outside it goes to the furniture."""
    if not page.tables:
        return doc
    blocks = list(doc.blocks)
    read_from = _block_lines(blocks, page.lines)
    found = [n for n in read_from if n is not None]
    article = _common_ancestor(page.elements[found[0]], page.elements[found[-1]]) if found else None
    furniture, placed = list(doc.furniture), 0
    for before, table in reversed(page.tables):  # from the end: the places of those before stay put
        if article is None or not (article.tag in ("html", "body") or _inside(table.element, article)):
            furniture += [Furniture(row, "table", table.line) for row in table.rows]
            continue
        at = max((i + 1 for i, n in enumerate(read_from) if n is not None and n < before), default=0)
        blocks.insert(at, Div(tuple(Para((Str(row),)) for row in table.rows), Attr(classes=("table",))))
        read_from.insert(at, None)
        placed += 1
    doc = replace(doc, blocks=tuple(blocks), furniture=tuple(sorted(furniture, key=lambda f: f.line)))
    if placed:
        warning = f"{placed} table(s) in the article read as text: a paragraph a row, its cells set apart by spaces"
        doc = replace(doc, warnings=(*doc.warnings, warning))
    return doc


def _block_lines(blocks: list[Any], lines: list[str]) -> list[int | None]:
    """The line each paragraph or heading of the body was read from (in
    order; a paragraph may have lost a credit at either end), None for others.
    A line that is the paragraph wins over an earlier one that merely ends
    with it: a sub-heading opening the article is also the end of the title."""
    folded = [_fold(line) for line in lines]
    out: list[int | None] = []
    n = 0
    for block in blocks:
        text = _fold(inline_text(block.content)) if isinstance(block, (Para, Heading)) else ""
        at = next((k for k in range(n, len(lines)) if folded[k] == text), None) if text else None
        if at is None and text:
            at = next((k for k in range(n, len(lines)) if folded[k].endswith(text) or folded[k].startswith(text)),
                      None)
        out.append(at)
        n = at + 1 if at is not None else n
    return out


# A line this much shorter than a sentence (a label, a heading) joins the
# article only with prose after it; two lines in a row that are not the
# article's end the search.
_SHORT_LINE = 8
_MISSES = 2


def _with_the_rest_of_the_article(doc: Document, page: Page) -> Document:
    """The article's paragraphs the text reader left after its body, put back.

    In text, a paragraph is told from a list of links by its punctuation and
    length, so a post written a short unpunctuated sentence a line reads as
    a list of headlines, and its body ends where such lines begin.  The
    markup tells them apart: the lines that follow the body inside the
    element holding its last paragraph, in elements of the same kind at the
    same depth as the body's (``p`` under it), and not link text, are more
    of the article.  They are taken up to what ends an article by the text
    reader's own rules (a related or comments heading, a credit, an editors
    or source line, a notice); lines of the site's interface, captions and
    links among them stay furniture, and two such lines in a row end the
    search.  Lines a ``<br>`` breaks apart within the element the body
    ended in are not taken: there the markup knows no more than the text
    did (an element taken whole, from its first line, is).  A body whose last
    paragraph ends the article (an end mark, a reporter's credit the text
    reader cut off) is left as it is."""
    from .news import clean_text
    from .news.blocks import build_blocks
    from .news.body import closes_body
    from .news.lines import (
        ARTICLE_END,
        BBS_SOURCE,
        SIGNATURE,
        is_caption_line,
        is_field_line,
        is_interface_text,
        opens_article,
    )
    from .news.patterns import REPORTER_LINE, SHORT_LINE_MAX, furniture_kind
    from .news.units import Unit, strip_space

    read_from = _block_lines(list(doc.blocks), page.lines)
    found = [n for n in read_from if n is not None]
    if not found or read_from[-1] is None:
        return doc
    last = found[-1]
    if _fold(inline_text(doc.blocks[-1].content)) != _fold(page.lines[last]) or ARTICLE_END.search(page.lines[last]):
        return doc
    article = _block_of(page.elements[last]).getparent()  # what holds the last paragraph
    if article is None or article.tag in ("html", "body"):
        return doc
    shapes = {_shape(page.elements[n], article) for n in found if _inside(page.elements[n], article)}

    def ends(text: str) -> bool:
        return bool(closes_body(text) or ARTICLE_END.search(text) or is_field_line(text) or opens_article(text)
                    or SIGNATURE.match(text) or BBS_SOURCE.match(text)
                    or len(text) <= SHORT_LINE_MAX and REPORTER_LINE.match(text))

    taken: list[int] = []
    waiting: list[int] = []
    opened: list[Any] = []  # the elements whose first line was taken
    misses = 0
    for k in range(last + 1, len(page.lines)):
        el = page.elements[k]
        if not _inside(el, article):
            break
        text = strip_space(clean_text(page.lines[k])[0])
        if not text or ends(text):
            break
        following = page.lines[k + 1] if k + 1 < len(page.lines) else ""
        block = _block_of(el)
        # A line a <br> breaks from the one before: in an element the text
        # reader's body ended in, the markup knows no more than the text did.
        broken = block is _block_of(page.elements[k - 1])
        if (broken and not any(b is block for b in opened) or _shape(el, article) not in shapes
                or _link_share(el) >= 0.5 or is_interface_text(text)
                or furniture_kind(text) is not None or is_caption_line(text, following)):
            misses += 1
            if misses >= _MISSES:
                break
            continue
        misses = 0
        if not broken:
            opened.append(block)
        waiting.append(k)
        if len(re.sub(r"\s", "", text)) >= _SHORT_LINE:
            taken += waiting
            waiting = []
    if not taken:
        return doc
    units = [Unit(strip_space(clean_text(page.lines[k])[0]), k + 1) for k in taken]
    lines = {k + 1 for k in taken}
    return replace(doc, blocks=(*doc.blocks, *build_blocks(units)),
                   furniture=tuple(f for f in doc.furniture if f.line not in lines))


def _block_of(el: Any) -> Any:
    """The block element a line's text stands in (a ``<br>`` only breaks it)."""
    for e in (el, *el.iterancestors()):
        if e.tag in BLOCK and e.tag != "br":
            return e
    return el


def _shape(el: Any, article: Any) -> tuple[str, ...]:
    """The block elements between a line and the article's element: ``("p",)``
    for a paragraph right under it, ``("div", "ul", "li")`` for a list in a box."""
    out = []
    for e in (el, *el.iterancestors()):
        if e is article:
            break
        if e.tag in BLOCK and e.tag != "br":
            out.append(e.tag)
    return tuple(reversed(out))


def _link_share(el: Any) -> float:
    """How much of the text of a line's block is the text of links."""
    block = _block_of(el)
    if any(a.tag == "a" for a in (block, *block.iterancestors())):
        return 1.0
    total = len(re.sub(r"\s", "", "".join(block.itertext())))
    linked = sum(len(re.sub(r"\s", "", "".join(a.itertext()))) for a in block.iter("a"))
    return linked / total if total else 0.0


def _common_ancestor(a: Any, b: Any) -> Any:
    mine = [a, *a.iterancestors()]
    theirs = {b, *b.iterancestors()}
    return next((el for el in mine if el in theirs), None)


def _with_identifier(doc: Document) -> Document:
    """The content-derived identifier, derived as the text reader derives it,
    of the title and paragraphs the markup may have changed."""
    from .news import content_identifier

    return replace(doc, meta=replace(doc.meta, identifier=content_identifier(doc.meta.title, paragraph_texts(doc))))
