"""What every writer renders the same way: labels, the metadata line, the
byline (under the title or closing the text) and editors lines, the one
date, language tag and identifier of the document's metadata, and the page
label.

Keeping these here means txt, docx, pdf and epub say the same words, and the
tests can compare each format's text with ``rendered_lines``.  A writer from
another package uses them too (``from convert.writers.common import
rendered_lines``), so that its output says what ours say, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .._lazy_re import lazy
from ..lang import script_of
from ..model import Document, Heading, OrderedList, Para, inline_text, item_text, iter_blocks

# The helpers a writer of another package may rely on (docs/plugins.md);
# the rest of the module may change with the built-in writers.
__all__ = [
    "RenderedLine", "author_line", "byline_line", "display_date", "editors_line", "escape", "label", "language_tag",
    "metadata_line", "page_label", "published_at", "rendered_lines", "reproducible_zip", "running_header",
    "timestamp",
]

def escape(text: str, quote: bool = True) -> str:
    """``text`` for XML or HTML markup, as html.escape gives it (whose module
    loads the table of every HTML entity); ``quote``: the quotes too, for an
    attribute's value."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


# A date as the model keeps it: 2017-06-25T14:35+08:00, or the day alone.
ISO_DATE = lazy(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?")
CHINA_TZ = timezone(timedelta(hours=8))
# Zip cannot store times before 1980, and every zip entry must carry one:
# the entries of a DOCX or EPUB of an undated text are stamped with this,
# which is no metadata a reader is shown.
FALLBACK_TIMESTAMP = datetime(1980, 1, 1, tzinfo=CHINA_TZ)
# Where a format demands a date the text does not have (EPUB's
# dcterms:modified), this fixed value says "none known": the zip epoch, the
# earliest date the package itself can carry.  Never the clock, never the
# input file's date (a copy of the same text would give other bytes).
UNDATED = datetime(1980, 1, 1, tzinfo=timezone.utc)

_LABELS = {
    "hans": {"source": "来源", "channel": "栏目", "editors": "责编", "page": "第 {n} 页，共 {total} 页",
             "author": "作者"},
    "hant": {"source": "來源", "channel": "欄目", "editors": "責編", "page": "第 {n} 頁，共 {total} 頁",
             "author": "作者"},
}


def label(doc: Document, key: str) -> str:
    """The word for ``key`` (``"source"``, ``"channel"``, ``"editors"``,
    ``"author"``, ``"page"``) in the document's script: 来源 or 來源.
    Raises KeyError for another key."""
    return _LABELS[script_of(doc)][key]


def page_label(doc: Document, n: int, total: int) -> str:
    """Page ``n`` of ``total`` as the footer says it: 第 2 页，共 5 页."""
    return label(doc, "page").format(n=n, total=total)


def display_date(doc: Document) -> str:
    """The publication date as a Chinese reader writes it: 2017年6月25日 14:35."""
    published = doc.meta.published
    if not published:
        return ""
    m = ISO_DATE.match(published)
    if not m:
        return published
    y, mo, d, hh, mm = m.groups()
    text = f"{int(y)}年{int(mo)}月{int(d)}日"
    return f"{text} {hh}:{mm}" if hh else text


def metadata_line(doc: Document) -> str:
    """Date, source and channel on one line, separated by ideographic spaces.

    The channel carries its label as the source does: unlabelled after the
    source it read as more of the source's name (来源：新疆日报　领导活动).
    """
    parts = []
    if doc.meta.published:
        parts.append(display_date(doc))
    if doc.meta.source:
        parts.append(f"{label(doc, 'source')}：{doc.meta.source}")
    if doc.meta.channel:
        parts.append(f"{label(doc, 'channel')}：{doc.meta.channel}")
    return "\u3000".join(parts)


def running_header(doc: Document) -> str:
    """Site and channel for page headers: 中国共产党新闻网 · 领导活动."""
    return " · ".join(p for p in (doc.meta.site, doc.meta.channel) if p)


def author_line(doc: Document) -> str:
    """The author's name under the title, where the text put it there (an
    essay's or a column's author line): it stays in its place, unbracketed."""
    if doc.meta.byline and doc.meta.byline_under_title:
        return doc.meta.byline
    return ""


def byline_line(doc: Document) -> str:
    """The byline as closing line, as news writes it, unless the body already
    carries it in place (a wire story's "（中央社記者戴雅真台北29日電）" opens its
    first paragraph) or it stands under the title."""
    byline = doc.meta.byline
    if not byline or doc.meta.byline_under_title:
        return ""
    for b in iter_blocks(doc.blocks):
        if isinstance(b, (Para, Heading)) and byline in inline_text(b.content):
            return ""
    return f"（{byline}）"


def editors_line(doc: Document) -> str:
    """The editors in brackets, as the closing line says them:
    （责编：王静、李欣）; "" when the text names none."""
    if not doc.meta.editors:
        return ""
    return f"（{label(doc, 'editors')}：{'、'.join(doc.meta.editors)}）"


def published_at(doc: Document) -> datetime | None:
    """The document's one date for every format's metadata: its publication
    (China time where the text gives no zone; a date alone is that day's
    midnight), or None when the text has none.  Never the clock."""
    try:
        value = datetime.fromisoformat(doc.meta.published or "")
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)


def has_time(doc: Document) -> bool:
    """Whether the publication date gives a time of day, not just the day."""
    return published_at(doc) is not None and "T" in (doc.meta.published or "")


def timestamp(doc: Document) -> datetime:
    """The date a package's zip entries carry: the publication date, not
    before 1980 (zip cannot say earlier), and FALLBACK_TIMESTAMP for an
    undated text.  Metadata takes ``published_at``, which invents nothing."""
    value = published_at(doc)
    return FALLBACK_TIMESTAMP if value is None else max(value, FALLBACK_TIMESTAMP)


def reproducible_zip(entries: Mapping[str, bytes], when: datetime, *, stored_first: str | None = None) -> bytes:
    """A zip package (DOCX, EPUB) whose bytes depend on its entries alone:
    sorted by name, each dated ``when`` in China time (zip keeps a local time
    without a zone; see ``timestamp``), Unix permissions 644, deflated.
    ``stored_first``: an entry that goes first and uncompressed (an EPUB's
    mimetype), a ValueError when missing."""
    import io
    import zipfile

    if stored_first is not None and stored_first not in entries:
        raise ValueError(f"the package has no {stored_first} entry")
    stamp = when.astimezone(CHINA_TZ).timetuple()[:6]
    first = [stored_first] if stored_first is not None else []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in first + sorted(n for n in entries if n != stored_first):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever system writes it
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            dst.writestr(info, entries[name])
    return out.getvalue()


def language_tag(doc: Document) -> str:
    """The document's one BCP 47 tag, the same in every format: after a
    script conversion, the target's tag from ``convert.lang.LANGUAGE_TAGS``
    (zh-Hans-CN, zh-Hant, zh-Hant-TW, zh-Hant-HK); else what the reader or
    ``-M language=`` set."""
    return doc.meta.language or "zh"


@dataclass(frozen=True)
class RenderedLine:
    """One line of what a writer sets, in order; ``role`` names its style."""

    role: str  # title, subtitle, author, meta, heading, para, item, byline, editors
    text: str


def rendered_lines(doc: Document) -> list[RenderedLine]:
    """Everything a writer shows, in reading order. Writers follow this order;
    tests compare each format's extracted text against it."""
    lines = [RenderedLine("title", doc.meta.title)]
    if doc.meta.subtitle:
        lines.append(RenderedLine("subtitle", doc.meta.subtitle))
    if author := author_line(doc):
        lines.append(RenderedLine("author", author))
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
