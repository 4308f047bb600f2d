"""Word documents (.docx) made with python-docx.

Everything the reader sees is carried by named styles defined in the document
(Title, Subtitle, News Metadata, Body Text, News Point, News Byline, News
Editors, ...), so a newsroom can restyle the article in Word; runs carry no
formatting of their own beyond the East Asian font hint.

Chinese text needs what python-docx does not do by itself: the East Asian font
slot (``w:eastAsia``) named on the styles instead of a theme font, the hint that
makes quotes and shared punctuation take that font, the East Asian language so
that Word applies its line-breaking rules, and an indent counted in characters.
Fonts are named, not embedded; the font table lists each region's usual
Song/Ming faces as fall-backs.

With ``reference_docx`` (as pandoc's ``--reference-doc``) the user's file
supplies the styles, page setup, header and footer; our styles are added only
where it lacks them, and its content is dropped.
"""

from __future__ import annotations

import copy
import io
import re
import threading
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING, BinaryIO

from ..errors import UsageError
from ..model import BlockQuote, Div, Emph, Heading, LineBreak, OrderedList, Para, Span, Str, Strong
from ._docx_reference import Reference, load_reference, safe_xml
from ._fonts import REGION_FONTS, file_version
from .common import label, region_of, rendered_lines, running_header, timestamp

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

    from ..model import Block, Document, Inline


@dataclass(frozen=True)
class DocxOptions:
    reference_docx: str | None = None  # a .docx whose styles, page setup, header and footer to use


class DocxWriter:
    name = "docx"
    extension = "docx"
    kind = "document"
    Options = DocxOptions

    def write(self, doc: Document, out: BinaryIO, options: DocxOptions = DocxOptions()) -> tuple[str, ...]:
        data, warnings = build_docx(doc, options)
        out.write(data)
        return warnings


# ---------------------------------------------------------------- measures

BODY_PT = 12  # 小四
LINE_PT = 22  # exact leading looks the same in Word and LibreOffice whichever face is found
CHARS_PER_LINE = 35  # a whole number of ideographs a line: justified Han lines need no stretching
A4_TWIPS = (11906, 16838)
TOP_BOTTOM_MARGIN_TWIPS = 1440  # 2.54 cm, as Word's Chinese templates
HEADING_LEVELS = 3  # deeper headings in a news article are set as level 3
RUN_CHARS = 1_000_000  # characters a run holds at most (see _Body.run); UTF-8 takes up to four bytes each

WORD_LANG = {"cn": "zh-CN", "tw": "zh-TW", "hk": "zh-HK"}
# Word falls back on the charset when none of the named faces is installed.
WORD_CHARSET = {"cn": "86", "tw": "88", "hk": "88"}  # GB2312, Big5
LATIN_FONT = "Times New Roman"  # the Latin partner of Song/Ming faces in Chinese Word documents

# Kinsoku from the Chinese layout rules: what may not start a line and what
# may not end one.  Dashes and ellipses may not start one, so a doubled ——
# or …… is never split.
NO_LINE_START = "、，。．：；！？”’」』）］｝〕】〉》·…—,.:;?!)]%％℃°‰"
NO_LINE_END = "“‘「『（［｛〔【〈《([{"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _twips(pt: float) -> int:
    return round(pt * 20)


def _half_points(pt: float) -> int:
    return round(pt * 2)


def _elements(fragment: str) -> list:
    """WordprocessingML elements parsed from a fragment written with ``w:``."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return list(parse_xml(f"<w:wrapper {nsdecls('w')}>{fragment}</w:wrapper>"))


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Style:
    """A named style; ``ppr`` and ``rpr`` hold WordprocessingML in schema order."""

    name: str  # as Word shows it; built-in styles keep Word's names
    kind: str = "paragraph"
    based_on: str | None = "Normal"
    next: str | None = None
    ppr: str = ""
    rpr: str = ""


def _spacing(line_pt: float, before_pt: float = 0, after_pt: float = 0) -> str:
    return (f'<w:spacing w:before="{_twips(before_pt)}" w:after="{_twips(after_pt)}" '
            f'w:line="{_twips(line_pt)}" w:lineRule="exact"/>')


def _size(pt: float) -> str:
    return f'<w:sz w:val="{_half_points(pt)}"/><w:szCs w:val="{_half_points(pt)}"/>'


def _align(value: str) -> str:
    return f'<w:jc w:val="{value}"/>'


_BOLD = "<w:b/><w:bCs/>"
_GREY = '<w:color w:val="595959"/>'
_KEEP = "<w:keepNext/><w:keepLines/>"
_TWO_CHARS = _twips(2 * BODY_PT)
# Two characters of the paragraph's own size; w:firstLine serves readers that ignore *Chars.
_FIRST_LINE_INDENT = f'<w:ind w:firstLine="{_TWO_CHARS}" w:firstLineChars="200"/>'
_QUOTE_INDENT = (f'<w:ind w:left="{_TWO_CHARS}" w:leftChars="200" w:right="{_TWO_CHARS}" '
                 f'w:rightChars="200" w:firstLine="{_TWO_CHARS}" w:firstLineChars="200"/>')
# Widow control; kinsoku; punctuation may hang in the margin and is compressed
# at a line start; Word's narrow gap between Han and Latin letters or digits.
_PARAGRAPH_RULES = ("<w:widowControl/><w:kinsoku/><w:overflowPunct/><w:topLinePunct/>"
                    "<w:autoSpaceDE/><w:autoSpaceDN/>")


def _fonts_xml(region: str) -> str:
    family = REGION_FONTS[region].family
    return (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
            f'w:eastAsia="{family}" w:cs="{LATIN_FONT}"/>')


def _lang_xml(region: str) -> str:
    return f'<w:lang w:val="en-US" w:eastAsia="{WORD_LANG[region]}" w:bidi="ar-SA"/>'


def _styles(region: str) -> list[_Style]:
    body = _spacing(LINE_PT) + _FIRST_LINE_INDENT + _align("both")
    heading_sizes = {1: 14, 2: BODY_PT, 3: BODY_PT}
    return [
        _Style("Normal", based_on=None, ppr=_PARAGRAPH_RULES + _spacing(LINE_PT) + _align("both"),
               rpr=_fonts_xml(region) + _size(BODY_PT) + _lang_xml(region)),
        _Style("Title", next="Subtitle", ppr=_KEEP + _spacing(30, after_pt=6) + _align("center"),
               rpr=_BOLD + _size(18)),
        _Style("Subtitle", next="News Metadata", ppr=_KEEP + _spacing(24, after_pt=6) + _align("center"),
               rpr=_size(14)),
        _Style("News Metadata", next="Body Text",
               ppr="<w:keepNext/>" + _spacing(18, after_pt=LINE_PT) + _align("center"),
               rpr=_GREY + _size(10.5)),
        _Style("Body Text", next="Body Text", ppr=body),
        *(
            _Style(f"Heading {n}", next="Body Text",
                   ppr=(_KEEP + _spacing(LINE_PT + 4, before_pt=LINE_PT / 2) + _align("left")
                        + f'<w:outlineLvl w:val="{n - 1}"/>'),
                   rpr=_BOLD + _size(size))
            for n, size in heading_sizes.items()
        ),
        _Style("News Point", based_on="Body Text", next="News Point", ppr=body),
        _Style("News Quote", based_on="Body Text", next="News Quote",
               ppr=_spacing(LINE_PT) + _QUOTE_INDENT + _align("both")),
        _Style("News Byline", next="News Editors", ppr=_spacing(LINE_PT, before_pt=6) + _align("right")),
        _Style("News Editors", ppr=_spacing(LINE_PT) + _align("right"), rpr=_GREY + _size(10.5)),
        _Style("Header",
               ppr=('<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr>'
                    + _spacing(14) + _align("center")),
               rpr=_GREY + _size(9)),
        _Style("Footer", ppr=_spacing(14) + _align("center"), rpr=_GREY + _size(9)),
        _Style("Strong", kind="character", based_on=None, rpr=_BOLD),
        # Chinese marks emphasis with dots under the characters: Han faces
        # have no italics, and slanted ideographs read as a rendering fault.
        _Style("Emphasis", kind="character", based_on=None, rpr='<w:em w:val="underDot"/>'),
        _Style("News Point Lead", kind="character", based_on=None, rpr=_BOLD),
    ]


_BUILTIN_STYLES = frozenset(
    {"Normal", "Title", "Subtitle", "Body Text", "Header", "Footer", "Strong", "Emphasis"}
    | {f"Heading {n}" for n in range(1, HEADING_LEVELS + 1)})


def _install_styles(word: WordDocument, region: str, keep_existing: bool) -> list[str]:
    """Define our styles, replacing the template's; with ``keep_existing`` a
    style the document already has wins.  Returns the names of styles added."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.styles import BabelFish

    styles = word.styles
    added: list[str] = []
    installed = []
    for spec in _styles(region):
        existing = styles[spec.name].element if spec.name in styles else None
        if existing is not None and keep_existing:
            continue
        # A localised Word gives built-in styles other ids (a3, 1): keep them.
        style_id = existing.styleId if existing is not None else spec.name.replace(" ", "")
        attrs = "" if spec.name in _BUILTIN_STYLES else ' w:customStyle="1"'
        if existing is not None and existing.get(qn("w:default")):
            attrs += f' w:default="{existing.get(qn("w:default"))}"'  # Normal stays the default
        based_on = f'<w:basedOn w:val="{styles[spec.based_on].style_id}"/>' if spec.based_on else ""
        element = parse_xml(
            f'<w:style {nsdecls("w")} w:type="{spec.kind}"{attrs} w:styleId="{style_id}">'
            f'<w:name w:val="{BabelFish.ui2internal(spec.name)}"/>{based_on}<w:qFormat/>'
            + (f"<w:pPr>{spec.ppr}</w:pPr>" if spec.ppr else "")
            + (f"<w:rPr>{spec.rpr}</w:rPr>" if spec.rpr else "")
            + "</w:style>")
        if existing is not None:
            existing.addprevious(element)
            existing.getparent().remove(existing)
        else:
            styles.element.append(element)
            added.append(spec.name)
        installed.append((element, spec.next))
    # w:next can name a style defined further down the list, so it comes last.
    for element, next_name in installed:
        if next_name:
            nxt = _elements(f'<w:next w:val="{styles[next_name].style_id}"/>')[0]
            element.find(qn("w:qFormat")).addprevious(nxt)
    return added


def _set_doc_defaults(word: WordDocument, region: str, fonts: bool) -> None:
    """What every run inherits: the East Asian language always (Word applies
    kinsoku only to text it believes is Chinese) and, unless a reference
    document rules, explicit fonts in place of the theme's."""
    from docx.oxml.ns import qn

    root = word.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = _elements("<w:docDefaults/>")[0]
        root.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = _elements("<w:rPrDefault/>")[0]
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None or fonts:
        if rpr is not None:
            rpr_default.remove(rpr)
        rpr = _elements("<w:rPr/>")[0]
        rpr_default.append(rpr)
    if fonts:
        rpr.extend(_elements(_fonts_xml(region) + _size(BODY_PT)))
        # The template's 10 pt after every paragraph and 1.15 leading.
        for ppr_default in defaults.findall(qn("w:pPrDefault")):
            defaults.remove(ppr_default)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), WORD_LANG[region])
        return
    lang = _elements(_lang_xml(region))[0]
    following = [rpr.find(qn(tag)) for tag in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
    following = [el for el in following if el is not None]
    if following:
        following[0].addprevious(lang)
    else:
        rpr.append(lang)


# ---------------------------------------------------------------- settings

# w:settings children from characterSpacingControl on, in schema order: Word
# refuses a file whose settings are out of order.
_SETTINGS_ORDER = (
    "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
)


def _put_setting(settings, tag: str, attrs: dict[str, str]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in settings.findall(qn(tag)):
        settings.remove(old)
    element = OxmlElement(tag, attrs={qn(k): v for k, v in attrs.items()})
    settings.insert_element_before(element, *_SETTINGS_ORDER[_SETTINGS_ORDER.index(tag) + 1:])


def _apply_settings(word: WordDocument, region: str) -> None:
    settings = word.settings.element
    lang = WORD_LANG[region]
    # Squeeze adjacent punctuation (。」 ，「) as Chinese Word does.
    _put_setting(settings, "w:characterSpacingControl", {"w:val": "compressPunctuation"})
    _put_setting(settings, "w:noLineBreaksAfter", {"w:lang": lang, "w:val": NO_LINE_END})
    _put_setting(settings, "w:noLineBreaksBefore", {"w:lang": lang, "w:val": NO_LINE_START})
    # Theme East Asian fonts follow this language; python-docx's template says ja-JP.
    _put_setting(settings, "w:themeFontLang", {"w:val": "en-US", "w:eastAsia": lang})
    _keep_short_lines_before_breaks(settings)


# w:compat children that come before doNotExpandShiftReturn in the schema.
_COMPAT_BEFORE = {"useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading",
                  "spaceForUL", "noColumnBalance", "balanceSingleByteDoubleByteWidth",
                  "noExtraLineSpacing", "doNotLeaveBackslashAlone", "ulTrailSpace"}


def _keep_short_lines_before_breaks(settings) -> None:
    """A line ended by a line break is not stretched to the full measure:
    justified, its few ideographs would stand far apart."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    compat = settings.find(qn("w:compat"))
    if compat is None:
        _put_setting(settings, "w:compat", {})
        compat = settings.find(qn("w:compat"))
    if compat.find(qn("w:doNotExpandShiftReturn")) is not None:
        return
    element = OxmlElement("w:doNotExpandShiftReturn")
    for child in compat:
        if child.tag.rpartition("}")[2] not in _COMPAT_BEFORE:
            child.addprevious(element)
            return
    compat.append(element)


def _font_table(existing: bytes | None, region: str) -> bytes:
    """fontTable.xml with an entry for our East Asian face: its fall-backs in
    the order Word should try them, then the charset for its last resort."""
    from lxml import etree

    def w(tag: str) -> str:
        return f"{{{W_NS}}}{tag}"

    root = safe_xml(existing, "word/fontTable.xml") if existing else etree.Element(w("fonts"), nsmap={"w": W_NS})
    fonts = REGION_FONTS[region]
    for old in root.findall(w("font")):
        if old.get(w("name")) == fonts.family:
            root.remove(old)
    font = etree.SubElement(root, w("font"), {w("name"): fonts.family})
    for tag, value in (("altName", ",".join(fonts.fallbacks)), ("charset", WORD_CHARSET[region]),
                       ("family", "roman"), ("pitch", "variable")):
        etree.SubElement(font, w(tag), {w("val"): value})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace_font_table(word: WordDocument, region: str) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = word.part
    old = None
    for rid, rel in list(main.rels.items()):
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            old = rel.target_part
            del main.rels[rid]
    name = old.partname if old is not None else PackURI("/word/fontTable.xml")
    part = Part(name, CT.WML_FONT_TABLE, _font_table(old.blob if old else None, region), main.package)
    if old is not None:  # a reference document's embedded fonts hang off its font table
        for rid, rel in old.rels.items():
            target = rel.target_ref if rel.is_external else rel.target_part
            part.rels.add_relationship(rel.reltype, target, rid, rel.is_external)
    main.relate_to(part, RT.FONT_TABLE)


# ---------------------------------------------------------------- package


def _open(options: DocxOptions) -> tuple[WordDocument, Reference | None]:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    if options.reference_docx is None:
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
    # _docx_reference): the content is dropped, its final section
    # properties (page size, margins, header and footer) stay.
    reference = load_reference(options.reference_docx)
    word = docx.Document(io.BytesIO(reference.package))
    if not reference.has_page:
        word.element.body.get_or_add_sectPr()
    return word, reference


def _page_setup(word: WordDocument) -> None:
    from docx.shared import Twips

    section = word.sections[0]
    section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
    side = (A4_TWIPS[0] - _twips(CHARS_PER_LINE * BODY_PT)) // 2
    section.left_margin = section.right_margin = Twips(side)
    section.top_margin = section.bottom_margin = Twips(TOP_BOTTOM_MARGIN_TWIPS)
    section.header_distance = Twips(851)  # 1.5 cm
    section.footer_distance = Twips(992)  # 1.75 cm


def _header_and_footer(word: WordDocument, body: _Body, doc: Document, template: _Template) -> None:
    """Our running header and page footer, where a reference document has
    none of its own."""
    section = word.sections[0]
    header_text = running_header(doc)
    if header_text and not template.own_header:
        paragraph = section.header.paragraphs[0]
        body.restyle(paragraph, "Header")
        _add_run(paragraph, header_text)
    if template.own_footer:
        return
    paragraph = section.footer.paragraphs[0]
    body.restyle(paragraph, "Footer")
    # "第 {n} 页，共 {total} 页" with live page fields in place of the numbers.
    before_n, rest = label(doc, "page").split("{n}")
    between, after_total = rest.split("{total}")
    _add_run(paragraph, before_n)
    _add_field(paragraph, "PAGE")
    _add_run(paragraph, between)
    _add_field(paragraph, "NUMPAGES")
    _add_run(paragraph, after_total)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    paragraph._p.extend(_elements(
        f'<w:fldSimple w:instr=" {instruction} \\* MERGEFORMAT ">'
        '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))


def _core_properties(word: WordDocument, doc: Document) -> None:
    meta = doc.meta
    props = word.core_properties

    def short(text: str | None) -> str:
        return (text or "")[:255]  # the package format's limit

    props.title = short(meta.title)
    props.author = short(meta.byline or meta.source)
    props.subject = short(meta.channel)
    props.keywords = short("; ".join(dict.fromkeys(p for p in (meta.site, meta.channel, meta.source) if p)))
    props.language = short(meta.language)
    props.identifier = short(meta.identifier)
    # The template says "python-docx" here; the clock must not appear anywhere.
    props.comments = props.category = props.last_modified_by = ""
    props.revision = 1
    # python-docx writes the value with a "Z" without converting it.
    props.created = props.modified = timestamp(doc).astimezone(timezone.utc).replace(tzinfo=None)


def _package_zip(entries: dict[str, bytes], when: datetime) -> bytes:
    """The package with its entries sorted, each stamped with the document's
    own date, so the same input gives the same bytes."""
    date_time = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name])
    return out.getvalue()


# ---------------------------------------------------------------- content


def _add_run(paragraph: Paragraph, text: str) -> None:
    """An unstyled run (headers and footers)."""
    if text:
        _hint_east_asian(paragraph.add_run(text)._r)


def _hint_east_asian(r) -> None:
    # Quotes, the interpunct and other code points Latin and Chinese share
    # take the Chinese font only with this hint; it names no font, so
    # restyling still works.
    r.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W_NS}}}hint", "eastAsia")


_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _markup(text: str) -> str:
    """The content of a ``w:r`` for ``text`` as python-docx writes it: a tab
    is ``w:tab``, a line end ``w:br``, the rest ``w:t``, space-preserving
    where it has white space at either end."""
    out = []
    for piece in _RUN_BREAKS.split(text) if "\t" in text or "\n" in text or "\r" in text else (text,):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece, quote=False)}</w:t>")
    return "".join(out)


class _Body:
    """Appends the body's paragraphs and runs in constant time each.

    The body is written as markup and parsed once into the document, before
    its section properties: python-docx looks a style up by name on every
    call and inserts every paragraph by scanning the body (quadratic:
    minutes for a few megabytes), and even lxml's element calls took a
    third of the time of a text of 200,000 short lines.  Each style id is
    looked up once; the XML is the same as python-docx's own.
    """

    def __init__(self, word: WordDocument, style_ids: dict[tuple[str, int], str | None]):
        self.word = word
        self.body = word.element.body
        self.sect_pr = self.body.sectPr
        # Shared by the documents made from one template: python-docx scans
        # every style to find a style's id.
        self.ids = style_ids
        self.markup: list[str] = []

    def _style_id(self, name: str, kind) -> str | None:
        key = (name, int(kind))
        if key not in self.ids:
            self.ids[key] = self.word.part.get_style_id(self.word.styles[name], kind)
        return self.ids[key]

    def paragraph(self, style: str) -> list[str]:
        """A new ``w:p`` of ``style`` at the end of the body: the list its
        runs go into."""
        from docx.enum.style import WD_STYLE_TYPE

        style_id = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        if self.markup:
            self.markup.append("</w:p>")
        # python-docx leaves w:pPr, empty, for a style without an id.
        self.markup.append(f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>'
                           if style_id is not None else "<w:p><w:pPr/>")
        return self.markup

    def done(self) -> None:
        """The paragraphs into the document, before its section properties."""
        from docx.oxml.ns import nsdecls
        from docx.oxml.parser import parse_xml

        if not self.markup:
            return
        self.markup.append("</w:p>")
        parsed = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.markup)}</w:body>")
        self.markup = []
        paragraphs = list(parsed)
        if self.sect_pr is not None:
            at = self.body.index(self.sect_pr)
            self.body[at:at] = paragraphs
        else:
            self.body.extend(paragraphs)

    def run(self, p: list[str], text: str, style: str | None = None) -> None:
        """Runs of ``text`` at the end of paragraph ``p``, as python-docx's
        ``add_run`` makes them."""
        from docx.enum.style import WD_STYLE_TYPE

        style_id = self._style_id(style, WD_STYLE_TYPE.CHARACTER) if style is not None else None
        # Quotes, the interpunct and other code points Latin and Chinese
        # share take the Chinese font only with this hint; it names no
        # font, so restyling still works.
        rpr = (f'<w:rPr><w:rStyle w:val="{escape(style_id)}"/><w:rFonts w:hint="eastAsia"/></w:rPr>'
               if style_id is not None else '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>')
        # libxml2 refuses a text node over 10,000,000 bytes when the document
        # is read again (python-docx, Word's converters, docx2python): a huge
        # paragraph is set as several runs, which look the same.
        for start in range(0, len(text), RUN_CHARS):
            p.append(f"<w:r>{rpr}{_markup(text[start:start + RUN_CHARS])}</w:r>")

    def inlines(self, p: list[str], inlines: tuple[Inline, ...], style: str | None = None) -> None:
        for node in inlines:
            if isinstance(node, Str):
                self.run(p, node.text, style)
            elif isinstance(node, Strong):
                self.inlines(p, node.content, "Strong")
            elif isinstance(node, Emph):
                self.inlines(p, node.content, "Emphasis")
            elif isinstance(node, Span):
                self.inlines(p, node.content, style)
            elif isinstance(node, LineBreak):
                p.append("<w:r><w:br/></w:r>")
            else:
                raise TypeError(f"docx writer: unknown inline kind {type(node).__name__}")

    def restyle(self, paragraph: Paragraph, style: str) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        paragraph._p.style = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH)

    def blocks(self, blocks: tuple[Block, ...], quoted: bool = False) -> None:
        """The body in the order of ``rendered_lines``: containers are walked
        into, every heading, paragraph and numbered point is one paragraph."""
        for block in blocks:
            if isinstance(block, Heading):
                level = min(max(block.level, 1), HEADING_LEVELS)
                self.inlines(self.paragraph(f"Heading {level}"), block.content)
            elif isinstance(block, Para):
                self.inlines(self.paragraph("News Quote" if quoted else "Body Text"), block.content)
            elif isinstance(block, OrderedList):
                for item in block.items:
                    paragraph = self.paragraph("News Point")
                    # The source numbers its points in the text; marker and lead
                    # sentence are bold together, as the newspaper sets them.
                    self.run(paragraph, item.marker, "News Point Lead")
                    self.inlines(paragraph, item.lead, "News Point Lead")
                    self.inlines(paragraph, item.content)
            elif isinstance(block, BlockQuote):
                self.blocks(block.blocks, quoted=True)
            elif isinstance(block, Div):
                self.blocks(block.blocks, quoted)
            else:
                raise TypeError(f"docx writer: unknown block kind {type(block).__name__}")


# The style of each line rendered_lines gives outside the body.
LINE_STYLES = {"title": "Title", "subtitle": "Subtitle", "meta": "News Metadata",
               "byline": "News Byline", "editors": "News Editors"}


class _Template:
    """An empty document with our styles, settings, font table and page, made
    and parsed once; each article is written into fresh copies of the parts
    it changes (body, header, footer, properties), and every other part of
    the package is taken as the template saved it."""

    def __init__(self, word: WordDocument, added: tuple[str, ...], own_header: bool, own_footer: bool,
                 warnings: tuple[str, ...] = ()):
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.word = word
        self.added = added  # styles a reference document lacked
        self.warnings = warnings  # about the reference document, for every article made from it
        # A reference document's own header and footer stay as they are.
        self.own_header, self.own_footer = own_header, own_footer
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
_TEMPLATES: dict[tuple[str, str | None, tuple[int, int] | None], _Template] = {}
_TEMPLATES_LOCK = threading.Lock()


def _template(options: DocxOptions, region: str) -> _Template:
    reference = options.reference_docx
    stamp = None
    if reference is not None:
        try:
            _, stamp = file_version(reference)  # an edited reference document is read again
        except OSError as exc:
            raise UsageError(f"not usable as a reference document: {exc.strerror or exc}", reference) from exc
    key = (region, reference, stamp)
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is None:
            try:
                template = _TEMPLATES[key] = _make_template(options, region)
            except UsageError:
                raise
            except Exception as exc:  # python-docx meets a malformed part in many ways
                raise UsageError(f"not usable as a reference document: {type(exc).__name__}: "
                                 f"{' '.join(str(exc).split())}", reference) from None
    return template


def _make_template(options: DocxOptions, region: str) -> _Template:
    word, reference = _open(options)
    added = _install_styles(word, region, keep_existing=reference is not None)
    _set_doc_defaults(word, region, fonts=reference is None)
    _apply_settings(word, region)
    _replace_font_table(word, region)
    warnings = list(reference.warnings) if reference is not None else []
    if reference is None or not reference.has_page:
        _page_setup(word)
        if reference is not None:
            warnings.append("it has no page setup (w:sectPr) of its own; the converter's A4 page is used")
    section = word.sections[0]
    own = [not part.is_linked_to_previous for part in (section.header, section.footer)]
    for header_or_footer in (section.header, section.footer):
        # The parts every article writes into exist before the template is saved.
        header_or_footer.is_linked_to_previous = False
    word.core_properties  # noqa: B018 - made now if a reference document has none, for the same reason
    if reference is not None and added:
        warnings.append(f"it lacks the styles {', '.join(added)}; the converter's own were added")
    return _Template(word, tuple(added), *own, warnings=tuple(f"{options.reference_docx}: {w}" for w in warnings))


def check_reference(path: str) -> None:
    """Raise UsageError now, before any work, for a reference document
    that cannot be used: a batch would otherwise fail every file for it."""
    _template(DocxOptions(reference_docx=path), "cn")


def build_docx(doc: Document, options: DocxOptions = DocxOptions()) -> tuple[bytes, tuple[str, ...]]:
    """The .docx bytes for ``doc`` and the warnings for the user."""
    region = region_of(doc)
    template = _template(options, region)
    with template.lock:
        word = template.fresh()
        body = _Body(word, template.style_ids)
        _header_and_footer(word, body, doc, template)

        lines = rendered_lines(doc)
        for line in lines:
            if line.role in ("title", "subtitle", "meta"):
                body.run(body.paragraph(LINE_STYLES[line.role]), line.text)
        body.blocks(doc.blocks)
        for line in lines:
            if line.role in ("byline", "editors"):
                body.run(body.paragraph(LINE_STYLES[line.role]), line.text)
        body.done()

        _core_properties(word, doc)
        entries = template.package()
    return _package_zip(entries, timestamp(doc)), template.warnings
