"""What every writer renders the same way: labels, the metadata line, the
closing byline and editors lines, the fixed timestamp and the page label.

Keeping these here means txt, docx, pdf and epub say the same words, and the
tests can compare each format's text with ``rendered_lines``.  A writer from
another package uses them too (``from convert.writers.common import
rendered_lines``), so that its output says what ours say, in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..lang import script_of
from ..model import Document, Heading, OrderedList, Para, inline_text, item_text, iter_blocks

CHINA_TZ = timezone(timedelta(hours=8))
# Zip cannot store times before 1980; a document without a date gets this one.
FALLBACK_TIMESTAMP = datetime(1980, 1, 1, tzinfo=CHINA_TZ)

_LABELS = {
    "hans": {"source": "来源", "editors": "责编", "page": "第 {n} 页，共 {total} 页",
             "author": "作者"},
    "hant": {"source": "來源", "editors": "責編", "page": "第 {n} 頁，共 {total} 頁",
             "author": "作者"},
}


def label(doc: Document, key: str) -> str:
    return _LABELS[script_of(doc)][key]


def page_label(doc: Document, n: int, total: int) -> str:
    return label(doc, "page").format(n=n, total=total)


def display_date(doc: Document) -> str:
    """The publication date as a Chinese reader writes it: 2017年6月25日 14:35."""
    published = doc.meta.published
    if not published:
        return ""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?", published)
    if not m:
        return published
    y, mo, d, hh, mm = m.groups()
    text = f"{int(y)}年{int(mo)}月{int(d)}日"
    return f"{text} {hh}:{mm}" if hh else text


def metadata_line(doc: Document) -> str:
    """Date, source and channel on one line, separated by ideographic spaces."""
    parts = []
    if doc.meta.published:
        parts.append(display_date(doc))
    if doc.meta.source:
        parts.append(f"{label(doc, 'source')}：{doc.meta.source}")
    if doc.meta.channel:
        parts.append(doc.meta.channel)
    return "\u3000".join(parts)


def running_header(doc: Document) -> str:
    """Site and channel for page headers: 中国共产党新闻网 · 领导活动."""
    return " · ".join(p for p in (doc.meta.site, doc.meta.channel) if p)


def byline_line(doc: Document) -> str:
    """The byline as closing line, unless the body already carries it in place
    (a wire story's "（中央社記者戴雅真台北29日電）" opens its first paragraph)."""
    byline = doc.meta.byline
    if not byline:
        return ""
    for b in iter_blocks(doc.blocks):
        if isinstance(b, (Para, Heading)) and byline in inline_text(b.content):
            return ""
    return f"（{byline}）"


def editors_line(doc: Document) -> str:
    if not doc.meta.editors:
        return ""
    return f"（{label(doc, 'editors')}：{'、'.join(doc.meta.editors)}）"


def timestamp(doc: Document) -> datetime:
    """The document's one date for every format: publication, never the clock."""
    published = doc.meta.published
    if published:
        try:
            value = datetime.fromisoformat(published)
        except ValueError:
            return FALLBACK_TIMESTAMP
        if value.tzinfo is None:
            value = value.replace(tzinfo=CHINA_TZ)
        return max(value, FALLBACK_TIMESTAMP)
    return FALLBACK_TIMESTAMP


@dataclass(frozen=True)
class RenderedLine:
    """One line of what a writer sets, in order; ``role`` names its style."""

    role: str  # title, subtitle, meta, heading, para, item, byline, editors
    text: str


def rendered_lines(doc: Document) -> list[RenderedLine]:
    """Everything a writer shows, in reading order. Writers follow this order;
    tests compare each format's extracted text against it."""
    lines = [RenderedLine("title", doc.meta.title)]
    if doc.meta.subtitle:
        lines.append(RenderedLine("subtitle", doc.meta.subtitle))
    meta = metadata_line(doc)
    if meta:
        lines.append(RenderedLine("meta", meta))
    for b in iter_blocks(doc.blocks):
        if isinstance(b, Heading):
            lines.append(RenderedLine("heading", inline_text(b.content)))
        elif isinstance(b, Para):
            lines.append(RenderedLine("para", inline_text(b.content)))
        elif isinstance(b, OrderedList):
            lines.extend(RenderedLine("item", item_text(it)) for it in b.items)
    for role, text in (("byline", byline_line(doc)), ("editors", editors_line(doc))):
        if text:
            lines.append(RenderedLine(role, text))
    return lines
