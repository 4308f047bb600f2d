"""The news-text reader: a scraped Chinese news page as plain text → Document.

A page has, from top to bottom: a breadcrumb (site >> channel), the title, a
date-and-source line, the body (paragraphs, numbered points), then the byline,
the editors line and page furniture (share and QR captions, menus).  The
reader works in three zones:

* header: breadcrumb, title, subtitle or author line, the date line;
* trailer: scanned from the end — furniture, editors, source notes, bylines,
  and what is glued to the last paragraph (``(姚彤)``, ``（編輯：管中維）``,
  a wire date code such as ``1021029``);
* body: everything between, with captions and 原标题 lines taken out and
  runs of numbered paragraphs (一要…八要, 一是, （一）, 1.) made ordered lists.

Nothing is dropped: what is neither metadata nor body is kept as furniture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import InputError
from ...lang import LANGUAGE_TAGS
from ...model import Document, Furniture, Meta, paragraph_texts
from ..encoding import decode
from .blocks import build_blocks, is_heading
from .header import read_header
from .patterns import DATELINE_PLACES, WIRE_BYLINE, furniture_kind
from .split import split_units
from .subheadings import split_flattened_headings
from .trailer import read_trailer
from .units import Found, Unit, clean_text, strip_space

if TYPE_CHECKING:
    from .evidence import Evidence

__all__ = ["Evidence", "NewsReader", "clean_text", "content_identifier", "explain_news", "read_news", "read_news_bytes", "read_news_file",
           "split_units"]


def read_news(text: str, *, path: str | None = None, encoding: str | None = None) -> Document:
    """Read the text of a news page (already decoded) into a Document."""
    return _read(text, path, encoding)[0]


def explain_news(text: str, *, path: str | None = None, encoding: str | None = None
                 ) -> tuple[Document, tuple[Evidence, ...]]:
    """The Document and, for each metadata field found, its evidence."""
    from .evidence import evidence

    doc, found, cleaned = _read(text, path, encoding)
    return doc, evidence(doc, found, cleaned)


def _read(text: str, path: str | None, encoding: str | None) -> tuple[Document, Found, str]:
    from .page import read_page, segment

    text, warnings = clean_text(text)
    fallback_title = Path(path).stem if path else ""
    found = Found(warnings=warnings)
    page = segment(text)
    if page is not None and page.headline is not None:
        body = read_trailer(read_page(page, found), found)
        return _finish(found, body, path, encoding, dump=True, join_runs=page.flattened), found, text
    units = page.units if page is not None else split_units(text)
    if not units:
        title = fallback_title or "untitled"
        return make_document(found, title, [], path, encoding, "hans"), found, text

    body_start = read_header(units, found, fallback_title)
    if not found.title:
        found.title = fallback_title or units[0].text[:40]
        found.because("title", "the file name" if fallback_title else "the start of the text")
    body = read_trailer(list(units[body_start:]), found)
    doc = _finish(found, body, path, encoding, dump=page is not None, join_runs=page is not None)
    return doc, found, text


def _finish(found: Found, body: list[Unit], path: str | None, encoding: str | None,
            dump: bool = False, join_runs: bool = False) -> Document:
    """Furniture out of the body, the rest as blocks."""
    from ...lang import detect_script
    from .header import clean_byline

    found.byline = clean_byline(found.byline)
    from .lines import is_caption_line, is_interface_line_inside, is_interface_text

    # The site's interface (download prompts, share buttons, login notices)
    # at either end of the body, short interface lines and captions inside it.
    while body and is_interface_text(body[0].text) and furniture_kind(body[0].text) is None:
        found.furniture.append(Furniture(body[0].text, "interface", body[0].line))
        body.pop(0)
    closing: list[Furniture] = []
    while body and is_interface_text(body[-1].text) and furniture_kind(body[-1].text) is None:
        closing.insert(0, Furniture(body[-1].text, "interface", body[-1].line))
        body.pop()
    inside: list[Unit] = []
    for i, u in enumerate(body):
        if furniture_kind(u.text) is not None:  # the loop below says which kind
            inside.append(u)
        elif is_interface_line_inside(u.text) or dump and len(u.text) <= 6 and not re.search(
                r"[\u3400-\u9fff]", u.text):
            found.furniture.append(Furniture(u.text, "interface", u.line))
        elif dump and is_caption_line(u.text, body[i + 1].text if i + 1 < len(body) else ""):
            found.furniture.append(Furniture(u.text, "caption", u.line))
        else:
            inside.append(u)
    body = inside
    found.furniture.extend(closing)

    kept: list[Unit] = []
    in_related_list = after_furniture = False
    for u in body:
        kind = "related" if in_related_list else furniture_kind(u.text)
        # A "相关新闻" heading starts a list of links that runs to the end.
        in_related_list = in_related_list or kind == "related"
        if kind is None and after_furniture and not kept and is_heading(u.text):
            kind = "caption"  # a picture's caption under 原标题, before the first paragraph
        after_furniture = kind is not None
        if kind is None and not kept and (name := wire_byline(u.text)) and found.byline is None:
            found.byline = name
        if kind is not None:
            found.furniture.append(Furniture(u.text, kind, u.line))
            continue
        kept.append(u)
    found.furniture.sort(key=lambda f: f.line)
    if join_runs:
        found.furniture = _join_runs(found.furniture)
    script = detect_script(found.title + "".join(u.text for u in kept))
    return make_document(found, found.title, build_blocks(split_flattened_headings(kept)), path, encoding,
                         script)


def _join_runs(items: list[Furniture]) -> list[Furniture]:
    """Interface words a flattened page had side by side (``上一页 1 2
    下一页``) as the one stretch of text they were."""
    out: list[Furniture] = []
    for f in items:
        if out and out[-1].kind == f.kind and f.kind in ("interface", "caption"):
            out[-1] = Furniture(out[-1].text + " " + f.text, f.kind, out[-1].line)
        else:
            out.append(f)
    return out


def wire_byline(text: str) -> str | None:
    """``（中央社記者戴雅真台北29日電）`` → ``中央社記者戴雅真``."""
    m = WIRE_BYLINE.match(text)
    if not m:
        return None
    rest = re.sub(r"\d.*$", "", m["rest"])
    for place in DATELINE_PLACES:
        idx = rest.find(place)
        if idx >= 2:
            rest = rest[:idx]
            break
    else:
        rest = rest[:3]
    return f"{m['org']}{m['role']}{strip_space(rest)}"


def make_document(found: Found, title: str, blocks: list, path: str | None, encoding: str | None,
              script: str) -> Document:
    meta = Meta(
        title=title,
        subtitle=found.subtitle,
        site=found.site,
        channel=found.channel,
        breadcrumb=found.breadcrumb,
        published=found.published,
        source=found.source,
        byline=found.byline,
        byline_under_title=bool(found.byline) and found.byline_under_title,
        editors=tuple(found.editors),
        language=LANGUAGE_TAGS[script],
        script=script,
        input_path=path,
        encoding=encoding,
    )
    doc = Document(meta, tuple(blocks), tuple(found.furniture), tuple(found.warnings))
    from dataclasses import replace

    return replace(doc, meta=replace(meta, identifier=content_identifier(title, paragraph_texts(doc))))


# The URL namespace of RFC 4122 (uuid.NAMESPACE_URL).
_URL_NAMESPACE = bytes.fromhex("6ba7b8119dad11d180b400c04fd430c8")


def content_identifier(title: str, paragraphs: Iterable[str]) -> str:
    """``urn:uuid:`` and the name-based (version 5) UUID of the title and
    paragraphs, as ``uuid.uuid5(uuid.NAMESPACE_URL, "convert:" + ...)``
    gives it: the same document text always has the same identifier.
    Computed here because importing ``uuid`` (and ``platform`` with it)
    cost more than the rest of choosing a reader."""
    try:  # CPython's own SHA-1: hashlib would load OpenSSL for this one digest
        from _sha1 import sha1
    except ImportError:  # pragma: no cover - a Python without it
        from hashlib import sha1

    name = "convert:" + "\n".join([title, *paragraphs])
    value = int.from_bytes(sha1(_URL_NAMESPACE + name.encode("utf-8")).digest()[:16])
    value = value & ~(0xC000 << 48) | 0x8000 << 48  # the RFC 4122 variant
    value = value & ~(0xF000 << 64) | 5 << 76  # version 5
    h = f"{value:032x}"
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def read_news_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
    text, used, notes = _decoded(data, path, encoding)
    return _with_notes(read_news(text, path=path, encoding=used), notes)


def explain_news_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None
                       ) -> tuple[Document, tuple[Evidence, ...]]:
    text, used, notes = _decoded(data, path, encoding)
    doc, evidence = explain_news(text, path=path, encoding=used)
    return _with_notes(doc, notes), evidence


def _decoded(data: bytes, path: str | None, encoding: str | None) -> tuple[str, str, list[str]]:
    notes: list[str] = []
    text, used = decode(data, encoding, path=path, notes=notes)
    if not strip_space(text.replace("\r", "")):
        raise InputError("empty input (only whitespace, no text)", path)
    return text, used, notes


def _with_notes(doc: Document, notes: list[str]) -> Document:
    if not notes:
        return doc
    from dataclasses import replace

    return replace(doc, warnings=(*notes, *doc.warnings))


def read_news_file(path: str | Path, *, encoding: str | None = None) -> Document:
    p = Path(path)
    return read_news_bytes(p.read_bytes(), path=str(p), encoding=encoding)


class NewsReader:
    """Entry point ``convert.readers: news``."""

    name = "news"

    def read(self, data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
        return read_news_bytes(data, path=path, encoding=encoding)

    def explain(self, data: bytes, *, path: str | None = None, encoding: str | None = None
                ) -> tuple[Document, tuple[Evidence, ...]]:
        """The Document, and why each metadata field holds its value."""
        return explain_news_bytes(data, path=path, encoding=encoding)


def __getattr__(name: str) -> Any:
    # Evidence is wanted only to explain a reading: its module is imported then.
    if name == "Evidence":
        from .evidence import Evidence

        return Evidence
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
