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
import uuid
from pathlib import Path

from ...errors import InputError
from ...model import Document, Furniture, Meta, paragraph_texts
from ..encoding import decode
from .blocks import build_blocks, is_heading
from .header import read_header
from .patterns import DATELINE_PLACES, WIRE_BYLINE, furniture_kind
from .trailer import read_trailer
from .units import Found, Unit, clean_text, split_units, strip_space

__all__ = ["NewsReader", "clean_text", "read_news", "read_news_bytes", "read_news_file", "split_units"]


def read_news(text: str, *, path: str | None = None, encoding: str | None = None) -> Document:
    """Read the text of a news page (already decoded) into a Document."""
    from ...transforms.chinese_script import detect_script
    from .flattened import looks_flattened, unflatten

    text, warnings = clean_text(text)
    fallback_title = Path(path).stem if path else ""
    found = Found(warnings=warnings)
    laid_out = unflatten(text) if looks_flattened(text) else None
    if laid_out is not None:
        # Everything sits on line 1 of a flattened page.
        units = [Unit(line, 1) for line in laid_out.lines]
        found.furniture.extend(Furniture(t, kind, 1) for kind, t in laid_out.furniture)
    else:
        units = split_units(text)
    if not units:
        title = fallback_title or "untitled"
        return make_document(found, title, [], path, encoding, "hans")

    body_start = read_header(units, found, fallback_title)
    if laid_out is not None and laid_out.site:
        found.site = laid_out.site
    if not found.title:
        found.title = fallback_title or units[0].text[:40]
    body = read_trailer(list(units[body_start:]), found)

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
    script = detect_script(found.title + "".join(u.text for u in kept))
    return make_document(found, found.title, build_blocks(kept), path, encoding, script)


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
        editors=tuple(found.editors),
        language="zh-Hans-CN" if script == "hans" else "zh-Hant",
        script=script,
        input_path=path,
        encoding=encoding,
    )
    doc = Document(meta, tuple(blocks), tuple(found.furniture), tuple(found.warnings))
    identity = "\n".join([title, *paragraph_texts(doc)])
    ident = uuid.uuid5(uuid.NAMESPACE_URL, "convert:" + identity)
    from dataclasses import replace

    return replace(doc, meta=replace(meta, identifier=f"urn:uuid:{ident}"))


def read_news_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
    notes: list[str] = []
    text, used = decode(data, encoding, path=path, notes=notes)
    if not strip_space(text.replace("\r", "")):
        raise InputError("empty input (only whitespace, no text)", path)
    doc = read_news(text, path=path, encoding=used)
    if notes:
        from dataclasses import replace

        doc = replace(doc, warnings=(*notes, *doc.warnings))
    return doc


def read_news_file(path: str | Path, *, encoding: str | None = None) -> Document:
    p = Path(path)
    return read_news_bytes(p.read_bytes(), path=str(p), encoding=encoding)


class NewsReader:
    """Entry point ``convert.readers: news``."""

    name = "news"

    def read(self, data: bytes, *, path: str | None = None, encoding: str | None = None) -> Document:
        return read_news_bytes(data, path=path, encoding=encoding)
