"""One article written into the template: its running header and page
footer, its body, its document properties, and the package zipped with
every entry stamped with the document's own date."""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING

from ...lang import region_of
from ..common import (
    label,
    language_tag,
    published_at,
    rendered_lines,
    reproducible_zip,
    running_header,
    timestamp,
)
from .body import Body
from .styles import TITLE_BLOCK_GAP_PT
from .template import Template, template_for
from .wordml import W_NS, elements, twips

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

    from ...model import Document
    from .options import DocxOptions

# The style of each line rendered_lines gives outside the body.
LINE_STYLES = {"title": "Title", "subtitle": "Subtitle", "author": "News Author", "meta": "News Metadata",
               "byline": "News Byline", "editors": "News Editors"}


def build_docx(doc: Document, options: DocxOptions) -> tuple[bytes, tuple[str, ...]]:
    """The .docx bytes for ``doc`` and the warnings for the user."""
    region = region_of(doc)
    vertical = options.layout == "vertical"
    template = template_for(options.reference_docx, region, vertical)
    with template.lock:
        word = template.fresh()
        body = Body(word, template.style_ids, vertical)
        _header_and_footer(word, body, doc, template)

        lines = rendered_lines(doc)
        head = [line for line in lines if line.role in ("title", "subtitle", "author", "meta")]
        for line in head:
            # The date line is followed by the space under the title block's
            # rule in its style; a block that ends before one gets it here.
            after = twips(TITLE_BLOCK_GAP_PT / 2) if line is head[-1] and line.role != "meta" else None
            body.run(body.paragraph(LINE_STYLES[line.role], space_after=after), line.text)
        body.blocks(doc.blocks)
        for line in lines:
            if line.role in ("byline", "editors"):
                body.run(body.paragraph(LINE_STYLES[line.role]), line.text)
        body.done()

        _core_properties(word, doc)
        entries = template.package()
    return reproducible_zip(entries, timestamp(doc)), template.warnings


def _header_and_footer(word: WordDocument, body: Body, doc: Document, template: Template) -> None:
    """Our running header and page footer, where a reference document has
    none of its own.  The header goes on every page but the first (whose
    title block says the same), and only when there is something to say:
    an empty header keeps no style, so draws no rule."""
    section = word.sections[0]
    header_text = running_header(doc)
    if header_text and not template.own_header:
        paragraph = section.header.paragraphs[0]
        body.restyle(paragraph, "Header")
        _add_run(paragraph, header_text)
    if template.own_footer:
        return
    # "第 {n} 页，共 {total} 页" with live page fields in place of the numbers.
    before_n, rest = label(doc, "page").split("{n}")
    between, after_total = rest.split("{total}")
    footers = [section.footer] + ([section.first_page_footer] if template.first_page else [])
    for footer in footers:
        paragraph = footer.paragraphs[0]
        body.restyle(paragraph, "Footer")
        _add_run(paragraph, before_n)
        _add_field(paragraph, "PAGE")
        _add_run(paragraph, between)
        _add_field(paragraph, "NUMPAGES")
        _add_run(paragraph, after_total)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    paragraph._p.extend(elements(
        f'<w:fldSimple w:instr=" {instruction} \\* MERGEFORMAT ">'
        '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))


def _core_properties(word: WordDocument, doc: Document) -> None:
    meta = doc.meta
    props = word.core_properties

    def short(text: str | None) -> str:
        return (text or "")[:255]  # the package format's limit

    props.title = short(meta.title)
    props.author = short(meta.byline or meta.source or meta.site)
    props.subject = short(meta.subtitle)  # as the PDF's Subject: the subtitle or nothing
    props.keywords = short("; ".join(dict.fromkeys(p for p in (meta.site, meta.channel, meta.source) if p)))
    # The one tag every format gives (w:lang keeps Word's own zh-CN, zh-TW, zh-HK).
    props.language = short(language_tag(doc))
    props.identifier = short(meta.identifier)
    # The template says "python-docx" here; the clock must not appear anywhere.
    props.comments = props.category = props.last_modified_by = ""
    props.revision = 1
    element = props._element
    for name in ("created", "modified", "lastPrinted"):
        getattr(element, f"_remove_{name}")()
    published = published_at(doc)
    if published is not None:  # an undated text has no date here, not an invented one
        # python-docx writes the value with a "Z" without converting it.
        props.created = props.modified = published.astimezone(timezone.utc).replace(tzinfo=None)


def _add_run(paragraph: Paragraph, text: str) -> None:
    """An unstyled run (headers and footers)."""
    if text:
        _hint_east_asian(paragraph.add_run(text)._r)


def _hint_east_asian(r) -> None:
    # Quotes, the interpunct and other code points Latin and Chinese share
    # take the Chinese font only with this hint; it names no font, so
    # restyling still works.
    r.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W_NS}}}hint", "eastAsia")
