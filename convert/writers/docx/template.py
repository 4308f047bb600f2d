"""The template every article is written into: an empty document with our
styles, settings, font table and page (or a reference document's), made
with python-docx once per region and reference document, and kept as the
package's parts in the per-user cache: the next run writes its article into
them with lxml alone, without importing python-docx or making them again."""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

from ... import _cache
from ...errors import UsageError
from .body import CHARACTER, PARAGRAPH, STYLES_NAMED
from .styles import BODY_PT
from .wordml import twips

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from .reference import Reference

# The PDF's page: 40 ideographs of 10.5 pt a line (a whole number, so that
# justified Han lines need no stretching), the text 78 pt from the top edge
# and 72 pt from the bottom, the running header and the page footer where
# the PDF prints them.
CHARS_PER_LINE = 40
A4_TWIPS = (11906, 16838)
TOP_MARGIN_TWIPS = 1560
BOTTOM_MARGIN_TWIPS = 1440
HEADER_TWIPS = 940  # the header's top, 47 pt from the top edge: its text sits on the PDF's 56 pt
FOOTER_TWIPS = 780  # the footer's bottom, 39 pt from the bottom edge: its text on the PDF's 42 pt
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


class Template(NamedTuple):
    """An empty document with our styles, settings, font table and page, as
    its package's parts (plain data, kept in the cache as it is); each
    article is written into fresh copies of the parts it changes (body,
    header, footer, properties), every other part is taken as it is."""

    entries: Mapping[str, bytes]  # member name -> content, as python-docx saved the template
    document: str  # the main part's member name
    header: str | None  # the running header's part; None where a reference document has its own
    footers: tuple[str, ...]  # the page footers' parts; none where a reference document has its own
    core: str  # the document properties' part
    style_ids: Mapping[tuple[str, str], str | None]  # (name, kind) -> id, for STYLES_NAMED
    # (name, kind) -> why an article cannot name it (a reference document's
    # style of that name is of another kind).
    style_errors: Mapping[tuple[str, str], str]
    warnings: tuple[str, ...] = ()  # about the reference document, for every article made from it

    def plain(self) -> dict[str, Any]:
        return self._asdict()

    @classmethod
    def from_plain(cls, found: Any) -> Template | None:
        """The template a cache entry holds; None for one of another shape."""
        if not isinstance(found, dict) or set(found) != set(cls._fields):
            return None
        template = cls(**found)
        names = (template.document, template.core, *template.footers,
                 *(() if template.header is None else (template.header,)))
        if not (isinstance(template.entries, dict) and isinstance(template.footers, tuple)
                and isinstance(template.style_ids, dict) and isinstance(template.style_errors, dict)
                and isinstance(template.warnings, tuple)
                and all(type(k) is str and type(v) is bytes for k, v in template.entries.items())
                and all(type(name) is str and name in template.entries for name in names)
                and all(key in template.style_ids or key in template.style_errors for key in STYLES_NAMED)
                and all(v is None or type(v) is str for v in template.style_ids.values())
                and all(type(v) is str for v in (*template.style_errors.values(), *template.warnings))):
            return None
        return template


# Installing the styles and settings took half the time of writing a news
# article and parsing the template most of the rest; both are the same for
# every article of a region, so each process does them once per region and
# reference document, and a run finds them in the cache after the first.
_TEMPLATES: dict[tuple[str, str | None, tuple[int, int] | None, bool], Template] = {}
_TEMPLATES_LOCK = threading.Lock()
_CACHE_KIND = "docx-template"
# A reference document read whole to key its template; a larger one is read as before, uncached.
MAX_CACHED_REFERENCE = 64 << 20
# The modules whose code shapes a template: an edited one makes it again.
_SHAPING = ("template.py", "styles.py", "settings.py", "fonttable.py", "reference.py", "vertical.py",
            "wordml.py", "body.py", "../_fonts.py", "../../lang.py")


def template_for(reference: str | None, region: str, vertical: bool = False) -> Template:
    """The template for a region, from the reference document at the path
    ``reference`` or from python-docx's own; ``vertical``: set in columns."""
    stamp = None
    if reference is not None:
        from .._fonts import file_version

        try:
            _, stamp = file_version(reference)  # an edited reference document is read again
        except OSError as exc:
            raise UsageError(f"not usable as a reference document: {exc.strerror or exc}", reference) from exc
    key = (region, reference, stamp, vertical)
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is None:
            template = _TEMPLATES[key] = _stored_or_made(reference, region, vertical)
    return template


def _stored_or_made(reference: str | None, region: str, vertical: bool) -> Template:
    content = None
    if reference is not None:
        try:
            if os.path.getsize(reference) <= MAX_CACHED_REFERENCE:
                with open(reference, "rb") as f:
                    content = f.read()
        except OSError as exc:
            raise UsageError(f"not usable as a reference document: {exc.strerror or exc}", reference) from exc
    key = slot = None
    if (reference is None or content is not None) and _cache.directory() is not None:
        # The whole of the reference document is in the key: one rewritten
        # within the modification time's resolution is not taken for the old.
        key = (_libraries(), _shaping_code(), region, vertical, reference,
               None if content is None else (len(content), _cache.digest(content)))
        slot = (region, vertical, reference)  # one entry each: a new key replaces it
        template = Template.from_plain(_cache.load(_CACHE_KIND, key, slot))
        if template is not None:
            return template
    try:
        template = _make_template(reference, region, vertical, content)
    except UsageError:
        raise
    except Exception as exc:  # python-docx meets a malformed part in many ways
        raise UsageError(f"not usable as a reference document: {type(exc).__name__}: "
                         f"{' '.join(str(exc).split())}", reference) from None
    if key is not None:
        _cache.store(_CACHE_KIND, key, template.plain(), slot)
    return template


def _libraries() -> tuple[Any, ...]:
    """What names the python-docx and lxml that make a template, without
    importing python-docx."""
    return _cache.package_stamp("docx"), etree.LXML_VERSION, etree.LIBXML_VERSION


def _shaping_code() -> str:
    here = Path(__file__).parent
    code = b""
    for name in _SHAPING:
        try:
            code += (here / name).read_bytes()
        except OSError:
            pass  # an installation without sources: its version is in the key
    return _cache.digest(code)


def _make_template(reference_docx: str | None, region: str, vertical: bool = False,
                   content: bytes | None = None) -> Template:
    """The template made with python-docx; ``content``: the reference
    document's bytes, when they have been read."""
    from .fonttable import replace_font_table
    from .settings import apply_settings
    from .styles import install_styles, set_doc_defaults

    word, reference = _open(reference_docx, content)
    added = install_styles(word, region, keep_existing=reference is not None)
    set_doc_defaults(word, region, fonts=reference is None)
    apply_settings(word, region)
    replace_font_table(word, region)
    warnings = list(reference.warnings) if reference is not None else []
    if reference is None or not reference.has_page:
        _page_setup(word)
        if reference is not None:
            warnings.append("it has no page setup (w:sectPr) of its own; the converter's A4 page is used")
    if vertical:
        from .vertical import make_vertical

        make_vertical(word, own_page=reference is None or not reference.has_page, own_styles=reference is None)
    section = word.sections[0]
    own = [not part.is_linked_to_previous for part in (section.header, section.footer)]
    # The opening page shows site and channel in its title block, as the
    # PDF's does, so it gets a header of its own, empty; a reference
    # document's own header or footer is left as it is.
    first_page = not any(own)
    if first_page:
        section.different_first_page_header_footer = True
    parts = [section.header, section.footer]
    if first_page:
        parts += [section.first_page_header, section.first_page_footer]
    for header_or_footer in parts:
        # The parts every article writes into exist before the template is saved.
        header_or_footer.is_linked_to_previous = False
    if not own[0]:
        # python-docx's blank header is styled Header, whose rule an empty
        # header must not draw; an article with a running header restyles it.
        for header in parts[::2]:
            for paragraph in header.paragraphs:
                paragraph.style = None
    word.core_properties  # noqa: B018 - made now if a reference document has none, for the same reason
    if reference is not None and added:
        warnings.append(f"it lacks the styles {', '.join(added)}; the converter's own were added")
    return _saved(word, header=None if own[0] else section.header,
                  footers=() if own[1] else (section.footer, *([section.first_page_footer] if first_page else [])),
                  warnings=tuple(f"{reference_docx}: {w}" for w in warnings))


def _saved(word: WordDocument, header, footers, warnings: tuple[str, ...]) -> Template:
    """The template as plain data: its package as python-docx saves it,
    the parts an article writes into, and the ids of the styles it names."""
    import zipfile

    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import CONTENT_TYPE as CT

    raw = io.BytesIO()
    word.save(raw)
    with zipfile.ZipFile(raw) as saved:
        entries = {name: saved.read(name) for name in saved.namelist()}
    core, = (part for part in word.part.package.iter_parts() if part.content_type == CT.OPC_CORE_PROPERTIES)
    kinds = {PARAGRAPH: WD_STYLE_TYPE.PARAGRAPH, CHARACTER: WD_STYLE_TYPE.CHARACTER}
    style_ids: dict[tuple[str, str], str | None] = {}
    style_errors: dict[tuple[str, str], str] = {}
    # As python-docx's get_style_id finds them, with each kind's default
    # (a scan of every style) looked up once rather than for every name.
    styles = word.styles
    defaults = {kind: styles.default(style_type) for kind, style_type in kinds.items()}
    for name, kind in STYLES_NAMED:
        try:
            style = styles[name]
        except KeyError as exc:
            style_errors[name, kind] = str(exc)
            continue
        if style.type != kinds[kind]:
            style_errors[name, kind] = f"assigned style is type {style.type}, need type {kinds[kind]}"
        else:
            style_ids[name, kind] = None if style == defaults[kind] else style.style_id
    return Template(
        entries, word.part.partname.membername,
        None if header is None else header.part.partname.membername,
        tuple(footer.part.partname.membername for footer in footers),
        core.partname.membername, style_ids, style_errors, warnings)


def check_reference(path: str) -> None:
    """Raise UsageError now, before any work, for a reference document
    that cannot be used: a batch would otherwise fail every file for it."""
    template_for(path, "cn")


def _open(reference_docx: str | None, content: bytes | None = None) -> tuple[WordDocument, Reference | None]:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    if reference_docx is None:
        word = docx.Document()
        # The stock template carries a thumbnail of an empty page, a Word 2010
        # copy of its styles with theme fonts, and a customXml stub.
        for owner, reltypes in ((word.part.package, (RT.THUMBNAIL,)),
                                (word.part, (STYLES_WITH_EFFECTS, RT.CUSTOM_XML))):
            for rid, rel in list(owner.rels.items()):
                if rel.reltype in reltypes:
                    del owner.rels[rid]
        return word, None
    from .reference import load_reference

    # Only the parts that lend styles and page, read with bounds (see
    # reference.py): the content is dropped, its final section properties
    # (page size, margins, header and footer) stay.
    reference = load_reference(reference_docx, content)
    word = docx.Document(io.BytesIO(reference.package))
    if not reference.has_page:
        word.element.body.get_or_add_sectPr()
    return word, reference


def _page_setup(word: WordDocument) -> None:
    from docx.shared import Twips

    section = word.sections[0]
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    side = (A4_TWIPS[0] - twips(CHARS_PER_LINE * BODY_PT)) // 2
    section.left_margin = section.right_margin = Twips(side)
    section.top_margin, section.bottom_margin = Twips(TOP_MARGIN_TWIPS), Twips(BOTTOM_MARGIN_TWIPS)
    section.header_distance, section.footer_distance = Twips(HEADER_TWIPS), Twips(FOOTER_TWIPS)
