"""The book itself, put together with ebooklib: metadata, chapters, table
of contents, embedded font subsets, and the reproducible zip.

The output depends on the input and the options only: an article's
identifier and language tag are its model's (a bundle's identifier is
derived from its content), dates are the publication date, and the zip is
rewritten with ``mimetype`` first (stored), the other entries sorted and
stamped with that date.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, BinaryIO

from ebooklib import epub

from ...errors import ConvertError, UsageError
from ...lang import region_of, script_of
from ...model import Document
from .._font_subset import subset_font
from .._fonts import REGION_FONTS, font_path
from ..common import (
    UNDATED,
    has_time,
    language_tag,
    published_at,
    rendered_lines,
    reproducible_zip,
    running_header,
    timestamp,
)
from .fonts import CharSets, chars_in_markup
from .punctuation import pair_classes
from .style import FontFace, stylesheet
from .xhtml import Chapter, chapter, upright_numbers

if TYPE_CHECKING:
    from .options import EpubOptions

# Fixed namespace for the content-derived book identifiers (uuid5).
_ID_NAMESPACE = uuid.UUID("6f0c3b2e-1d4a-5e8b-9c7d-2a1b0e3f4c5d")

STYLESHEET = "style/book.css"
# Apple Books sets a book in its own default font unless told that the
# book's fonts are meant: the embedded faces carry the dash and the
# punctuation pairs.
APPLE_DISPLAY_OPTIONS = "META-INF/com.apple.ibooks.display-options.xml"
_APPLE_SPECIFIED_FONTS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options>\n'
                          b'<platform name="*">\n<option name="specified-fonts">true</option>\n</platform>\n'
                          b"</display_options>\n")
# The faces draw the dash — (and the bar ―) narrower than the em with blank
# ends, so —— shows as two strokes with a gap; the embedded faces draw them
# with the full-width rule ─, edge to edge, so that —— is one line of two em.
# The text keeps its dashes.
DASH_GLYPHS = {"\u2014": "\u2500", "\u2015": "\u2500"}
_NAV_TITLE = {"hans": "目录", "hant": "目錄"}


def bind(docs: Sequence[Document], out: BinaryIO, options: EpubOptions, title: str = "") -> tuple[str, ...]:
    """Bind ``docs`` into one book titled ``title``: one chapter per article,
    oldest first (undated articles last), with a table of contents page."""
    if not docs:
        raise UsageError("a bundle needs at least one document")
    ordered = sorted(docs, key=_date_order)
    book_title = title.strip() or _default_bundle_title(ordered)
    return write_book(ordered, out, options, title=book_title)


# ------------------------------------------------------------------ metadata


def _date_order(doc: Document) -> tuple:
    when = published_at(doc)
    return (when is None, when or timestamp(doc), doc.meta.title, _identifier([doc], ""))


def _default_bundle_title(docs: Sequence[Document]) -> str:
    return "新聞選輯" if script_of(docs[0]) == "hant" else "新闻选辑"


def _dc_date(docs: Sequence[Document]) -> str | None:
    """The newest publication date in W3CDTF, which wants a zone with a time."""
    dated = [(when, doc) for doc in docs if (when := published_at(doc))]
    if not dated:
        return None
    when, doc = max(dated, key=lambda pair: pair[0])
    return when.isoformat(timespec="minutes") if has_time(doc) else when.date().isoformat()


def _modified(docs: Sequence[Document]) -> datetime:
    """dcterms:modified, which EPUB requires: the newest publication date,
    and UNDATED, a fixed epoch that says none is known, where no text has
    one (never the clock)."""
    return max((when for doc in docs if (when := published_at(doc))), default=UNDATED)


def _identifier(docs: Sequence[Document], title: str) -> str:
    """A bundle's urn:uuid, from what the book shows: the same texts give
    the same id, other texts or another script a different one.  A single
    article is identified by its model's identifier instead."""
    content = [title] + [
        [language_tag(d)] + [[line.role, line.text] for line in rendered_lines(d)] for d in docs
    ]
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, json.dumps(content, ensure_ascii=False))}"


# ------------------------------------------------------------------ assembly


@dataclass(frozen=True)
class _Entry:
    doc: Document
    chapter: Chapter
    file_name: str
    uid: str
    language: str
    region: str


def write_book(docs: Sequence[Document], out: BinaryIO, options: EpubOptions, title: str | None) -> tuple[str, ...]:
    bundle = title is not None
    vertical = options.layout == "vertical"
    entries = []
    for i, doc in enumerate(docs, start=1):
        lang, region = language_tag(doc), region_of(doc)
        entries.append(_Entry(doc, chapter(doc, region, lang, f"../{STYLESHEET}", vertical),
                              f"text/chapter-{i:03d}.xhtml", f"chapter-{i:03d}", lang, region))
    languages = [lang for lang, _ in Counter(e.language for e in entries).most_common()]
    main = next(e for e in entries if e.language == languages[0])  # sets the navigation document
    nav_title = _NAV_TITLE[script_of(main.doc)]
    stamp = max(timestamp(d) for d in docs)  # of the zip entries; never the clock
    warnings: list[str] = []

    book = epub.EpubBook()
    # Everything ebooklib would otherwise take from uuid4() or the clock is set here.
    single = "" if bundle else docs[0].meta.identifier
    book.set_identifier(single or _identifier(docs, title or ""))
    book.set_language(languages[0])
    for extra in languages[1:]:
        book.add_metadata("DC", "language", extra)
    book.set_title(title if bundle else entries[0].chapter.title)
    if not bundle:
        meta = docs[0].meta
        if meta.byline:
            book.add_author(meta.byline)
        if meta.source:
            book.add_metadata("DC", "publisher", meta.source)
        header = running_header(docs[0])
        if header:
            book.add_metadata("DC", "source", header)
    date = _dc_date(docs)
    if date:
        book.add_metadata("DC", "date", date)
    if vertical:
        # Pages turn from right to left; Kindle reads the writing mode here.
        book.set_direction("rtl")
        book.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"})

    nav_chars = CharSets()
    nav_chars.add(nav_title, bold=True)
    for e in entries:
        nav_chars.add(e.chapter.title, bold=False)
        for h in e.chapter.headings:
            nav_chars.add(h.title, bold=False)
    faces: list[FontFace] = []
    if options.embed_fonts:
        faces = _embed_fonts(book, entries, main.region, nav_chars, warnings, vertical)
    css = stylesheet(_families(entries, faces), faces, main.region, vertical)
    book.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css",
                                content=css.encode("utf-8")))

    # Chapters are plain items holding our own XHTML (see xhtml for why),
    # so the table of contents points at them with links.
    items = []
    for e in entries:
        item = epub.EpubItem(uid=e.uid, file_name=e.file_name, media_type="application/xhtml+xml",
                             content=e.chapter.xhtml.encode("utf-8"))
        book.add_item(item)
        items.append(item)
    book.toc = [
        (epub.Section(e.chapter.title, e.file_name),
         [epub.Link(f"{e.file_name}#{h.anchor}", h.title, f"{e.uid}-{h.anchor}") for h in e.chapter.headings])
        if e.chapter.headings else epub.Link(e.file_name, e.chapter.title, e.uid)
        for e in entries
    ]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title=nav_title)
    nav.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
    book.add_item(nav)
    # A bundle opens on its table of contents; a single article on its text.
    book.spine = ([nav] if bundle else []) + items

    raw = io.BytesIO()
    ok = epub.write_epub(raw, book, {
        "mtime": _modified(docs).astimezone(timezone.utc),
        "raise_exceptions": True,
        "epub2_guide": False,
        "epub3_landmark": False,
        "epub3_pages": False,
        "compresslevel": 0,  # _repack compresses every entry once, in its own order
    })
    if ok is False:  # ebooklib up to 0.20 reports an OSError by returning False
        raise ConvertError("ebooklib could not write the EPUB")
    extra = {APPLE_DISPLAY_OPTIONS: _APPLE_SPECIFIED_FONTS} if faces else {}
    if vertical:
        extra.update(_upright_nav_numbers(raw.getvalue(), f"EPUB/{nav.file_name}"))
    out.write(_repack(raw.getvalue(), stamp, extra))
    return tuple(warnings)


# ------------------------------------------------------------------ fonts


def _families(entries: Sequence[_Entry], faces: Sequence[FontFace]) -> dict[str, list[str]]:
    """region -> CSS font-family list: the embedded subset (if any), the
    region's usual system fonts, then the generic serif."""
    embedded = {face.source: face.family for face in faces}
    families = {}
    for region in sorted({e.region for e in entries}):
        spec = REGION_FONTS[region]
        first = [embedded[spec.family]] if spec.family in embedded else []
        families[region] = first + list(spec.fallbacks) + ["serif"]
    return families


def _embed_fonts(book, entries: Sequence[_Entry], nav_region: str, nav_chars: CharSets,
                 warnings: list[str], vertical: bool = False) -> list[FontFace]:
    """One subset per bundled face and weight, of the characters set in it.

    Articles of one region share their faces, so a bundle embeds each once.
    A vertical book's subsets keep the vertical forms and metrics, and
    their punctuation pairs go down the column.
    """
    used: dict[str, CharSets] = {}
    region_of_family: dict[str, str] = {}
    for e in entries:
        family = REGION_FONTS[e.region].family
        used.setdefault(family, CharSets()).update(chars_in_markup(e.chapter.xhtml))
        region_of_family.setdefault(family, e.region)
    used[REGION_FONTS[nav_region].family].update(nav_chars)

    faces = []
    for family in sorted(used):
        region = region_of_family[family]
        for bold, chars in ((False, used[family].regular), (True, used[family].bold)):
            if not chars:
                continue
            try:
                path = font_path(region, bold=bold)
            except FileNotFoundError as exc:
                raise ConvertError(f"{exc} (or write without embedded fonts)") from exc
            subset = subset_font(str(path), chars, drawn_as=DASH_GLYPHS, pairs=pair_classes(region, vertical),
                                 vertical=vertical)
            file_name = f"fonts/{path.name}"
            book.add_item(epub.EpubItem(uid=f"font-{path.stem}", file_name=file_name,
                                        media_type="font/ttf", content=subset.data))
            faces.append(FontFace(family, f"{family} Subset", "bold" if bold else "normal", f"../{file_name}"))
            if subset.missing:
                weight = "bold" if bold else "regular"
                warnings.append(f"{len(subset.missing)} character(s) missing from the embedded {weight} font, "
                                f"left to the reading system's fonts: {''.join(sorted(subset.missing))}")
    return faces


def _upright_nav_numbers(data: bytes, name: str) -> dict[str, bytes]:
    """The navigation document ``name`` of the EPUB ``data`` with its
    short numbers marked to stand upright, as the chapters' are (ebooklib
    writes the titles as text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        if name not in src.namelist():
            return {}
        markup = src.read(name).decode("utf-8")
    head, body, rest = markup.partition("<body")
    if not body:
        return {}
    return {name: (head + upright_numbers(body + rest)).encode("utf-8")}


def _repack(data: bytes, when: datetime, extra: dict[str, bytes] | None = None) -> bytes:
    """The files ebooklib wrote (and ``extra``) in a reproducible zip, the
    mimetype first and stored (``common.reproducible_zip``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        contents = {name: src.read(name) for name in src.namelist()}
    contents.update(extra or {})
    try:
        return reproducible_zip(contents, when, stored_first="mimetype")
    except ValueError:
        raise ConvertError("ebooklib wrote an EPUB without a mimetype entry") from None
