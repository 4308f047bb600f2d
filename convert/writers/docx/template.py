"""The template every article is written into: an empty document with our
styles, settings, font table and page (or a reference document's), made
once per process, region and reference document."""

from __future__ import annotations

import copy
import io
import threading
import zipfile
from typing import TYPE_CHECKING

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Twips

from ...errors import UsageError
from .._fonts import file_version
from .fonttable import replace_font_table
from .reference import Reference, load_reference
from .settings import apply_settings
from .styles import BODY_PT, install_styles, set_doc_defaults
from .wordml import twips

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

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


class Template:
    """An empty document with our styles, settings, font table and page, made
    and parsed once; each article is written into fresh copies of the parts
    it changes (body, header, footer, properties), and every other part of
    the package is taken as the template saved it."""

    def __init__(self, word: WordDocument, added: tuple[str, ...], own_header: bool, own_footer: bool,
                 first_page: bool = False, warnings: tuple[str, ...] = ()):
        self.word = word
        self.added = added  # styles a reference document lacked
        self.warnings = warnings  # about the reference document, for every article made from it
        # A reference document's own header and footer stay as they are.
        self.own_header, self.own_footer = own_header, own_footer
        # Page 1 has a header and footer of its own: no running header above the title.
        self.first_page = first_page
        self.style_ids: dict[tuple[str, int], str | None] = {}
        self.lock = threading.Lock()  # one article at a time goes through the shared parts
        package = word.part.package
        self.parts = [word.part]
        self.parts += [rel.target_part for rel in word.part.rels.values()
                       if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external]
        self.parts += [part for part in package.iter_parts() if part.content_type == CT.OPC_CORE_PROPERTIES]
        self.pristine = [part._element for part in self.parts]
        raw = io.BytesIO()
        word.save(raw)
        with zipfile.ZipFile(raw) as saved:
            self.entries = {name: saved.read(name) for name in saved.namelist()}

    def fresh(self) -> WordDocument:
        """The template as it was made, ready for the next article."""
        for part, element in zip(self.parts, self.pristine, strict=True):
            part._element = copy.deepcopy(element)
        return self.word.part.document

    def package(self) -> dict[str, bytes]:
        """Member name -> content of the article written into the template."""
        entries = dict(self.entries)
        for part in self.parts:
            entries[part.partname.membername] = part.blob
        return entries


# Installing the styles and settings took half the time of writing a news
# article and parsing the template most of the rest; both are the same for
# every article of a region, so each process does them once per region and
# reference document.
_TEMPLATES: dict[tuple[str, str | None, tuple[int, int] | None, bool], Template] = {}
_TEMPLATES_LOCK = threading.Lock()


def template_for(reference: str | None, region: str, vertical: bool = False) -> Template:
    """The template for a region, from the reference document at the path
    ``reference`` or from python-docx's own; ``vertical``: set in columns."""
    stamp = None
    if reference is not None:
        try:
            _, stamp = file_version(reference)  # an edited reference document is read again
        except OSError as exc:
            raise UsageError(f"not usable as a reference document: {exc.strerror or exc}", reference) from exc
    key = (region, reference, stamp, vertical)
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is None:
            try:
                template = _TEMPLATES[key] = _make_template(reference, region, vertical)
            except UsageError:
                raise
            except Exception as exc:  # python-docx meets a malformed part in many ways
                raise UsageError(f"not usable as a reference document: {type(exc).__name__}: "
                                 f"{' '.join(str(exc).split())}", reference) from None
    return template


def _make_template(reference_docx: str | None, region: str, vertical: bool = False) -> Template:
    word, reference = _open(reference_docx)
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
    return Template(word, tuple(added), *own, first_page=first_page,
                    warnings=tuple(f"{reference_docx}: {w}" for w in warnings))


def check_reference(path: str) -> None:
    """Raise UsageError now, before any work, for a reference document
    that cannot be used: a batch would otherwise fail every file for it."""
    template_for(path, "cn")


def _open(reference_docx: str | None) -> tuple[WordDocument, Reference | None]:
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
    # Only the parts that lend styles and page, read with bounds (see
    # reference.py): the content is dropped, its final section properties
    # (page size, margins, header and footer) stay.
    reference = load_reference(reference_docx)
    word = docx.Document(io.BytesIO(reference.package))
    if not reference.has_page:
        word.element.body.get_or_add_sectPr()
    return word, reference


def _page_setup(word: WordDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    side = (A4_TWIPS[0] - twips(CHARS_PER_LINE * BODY_PT)) // 2
    section.left_margin = section.right_margin = Twips(side)
    section.top_margin, section.bottom_margin = Twips(TOP_MARGIN_TWIPS), Twips(BOTTOM_MARGIN_TWIPS)
    section.header_distance, section.footer_distance = Twips(HEADER_TWIPS), Twips(FOOTER_TWIPS)

