"""One article written into the template: its running header and page
footer, its body, its document properties, and the package zipped with
every entry stamped with the document's own date.

The template's parts are read and written with lxml alone, as python-docx
would have written them: its import is most of the time of writing one
short article."""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING

from lxml import etree

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
from .body import LINE_STYLES, Body, run_content
from .styles import TITLE_BLOCK_GAP_PT
from .template import template_for
from .wordml import elements, parse_part, part_bytes, twips, w

if TYPE_CHECKING:
    from ...model import Document
    from .options import DocxOptions

# The document properties' namespaces, by the prefixes python-docx gives them.
_CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
            "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


def build_docx(doc: Document, options: DocxOptions) -> tuple[bytes, tuple[str, ...]]:
    """The .docx bytes for ``doc`` and the warnings for the user."""
    region = region_of(doc)
    vertical = options.layout == "vertical"
    template = template_for(options.reference_docx, region, vertical)
    entries = dict(template.entries)
    document = parse_part(entries[template.document])
    body = Body(document, template.style_ids, template.style_errors, vertical)

    header_text = running_header(doc)
    if header_text and template.header is not None:
        header = parse_part(entries[template.header])
        paragraph = header.find(w("p"))
        body.restyle(paragraph, "Header")
        _add_run(paragraph, header_text)
        entries[template.header] = part_bytes(header)
    if template.footers:
        # "第 {n} 页，共 {total} 页" with live page fields in place of the numbers.
        before_n, rest = label(doc, "page").split("{n}")
        between, after_total = rest.split("{total}")
    for name in template.footers:
        footer = parse_part(entries[name])
        paragraph = footer.find(w("p"))
        body.restyle(paragraph, "Footer")
        _add_run(paragraph, before_n)
        _add_field(paragraph, "PAGE")
        _add_run(paragraph, between)
        _add_field(paragraph, "NUMPAGES")
        _add_run(paragraph, after_total)
        entries[name] = part_bytes(footer)

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
    entries[template.document] = part_bytes(document)

    core = parse_part(entries[template.core])
    _core_properties(core, doc)
    entries[template.core] = part_bytes(core)
    return reproducible_zip(entries, timestamp(doc)), template.warnings


def _add_field(paragraph, instruction: str) -> None:
    paragraph.extend(elements(
        f'<w:fldSimple w:instr=" {instruction} \\* MERGEFORMAT ">'
        '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))


def _add_run(paragraph, text: str) -> None:
    """An unstyled run (headers and footers), as python-docx adds one.

    Quotes, the interpunct and other code points Latin and Chinese share
    take the Chinese font only with the hint; it names no font, so
    restyling still works."""
    if text:
        paragraph.append(_run(text))


def _run(text: str):
    run, = elements(f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>{run_content(text)}</w:r>')
    return run


def _core_properties(core, doc: Document) -> None:
    """The document properties from the metadata, set as python-docx's
    properties set them: an element is changed where there is one, else
    added at the end."""
    meta = doc.meta

    def short(text: str | None) -> str:
        return (text or "")[:255]  # the package format's limit

    def put(tag: str, text: str):
        prefix, _, local = tag.partition(":")
        name = f"{{{_CORE_NS[prefix]}}}{local}"
        element = core.find(name)
        if element is None:
            element = etree.Element(name, nsmap={prefix: _CORE_NS[prefix]})
            core.append(element)
        element.text = text
        return element

    put("dc:title", short(meta.title))
    put("dc:creator", short(meta.byline or meta.source or meta.site))
    put("dc:subject", short(meta.subtitle))  # as the PDF's Subject: the subtitle or nothing
    put("cp:keywords", short("; ".join(dict.fromkeys(p for p in (meta.site, meta.channel, meta.source) if p))))
    # The one tag every format gives (w:lang keeps Word's own zh-CN, zh-TW, zh-HK).
    put("dc:language", short(language_tag(doc)))
    put("dc:identifier", short(meta.identifier))
    # The template says "python-docx" here; the clock must not appear anywhere.
    for tag in ("dc:description", "cp:category", "cp:lastModifiedBy"):
        put(tag, "")
    put("cp:revision", "1")
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        prefix, _, local = tag.partition(":")
        for old in core.findall(f"{{{_CORE_NS[prefix]}}}{local}"):
            core.remove(old)
    published = published_at(doc)
    if published is None:  # an undated text has no date here, not an invented one
        return
    stamp = published.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("dcterms:created", "dcterms:modified"):
        element = put(tag, stamp)
        # The W3CDTF type names xsi, declared on the root as python-docx declares it.
        xsi_type = f"{{{_CORE_NS['xsi']}}}type"
        core.set(f"{{{_CORE_NS['xsi']}}}foo", "bar")
        element.set(xsi_type, "dcterms:W3CDTF")
        del core.attrib[f"{{{_CORE_NS['xsi']}}}foo"]
