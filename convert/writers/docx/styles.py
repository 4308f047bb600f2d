"""The named styles that carry everything a reader of the article sees,
and the document defaults every run inherits.

Each style names the East Asian face of the document's region in its own
``w:eastAsia`` slot instead of a theme font, and the East Asian language,
so that Word applies its Chinese line-breaking rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .wordml import WORD_LANG, elements, half_points, twips

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

# The PDF's measures: 10.5 pt (五号) body on 1.75 times its size, so that
# a page of the DOCX printed and a page of the PDF read alike.
BODY_PT = 10.5
LINE_PT = 18.4  # exact leading looks the same in Word and LibreOffice whichever face is found
TITLE_PT = 18  # 小二
SUBTITLE_PT = 12  # 小四
SMALL_PT = 9  # 小五: the date line and the editors, in grey
FURNITURE_PT = 8  # running header and page footer
TITLE_BLOCK_GAP_PT = 1.2 * LINE_PT  # from the title block to the text, the rule midway
RULE_EIGHTHS = 3  # 0.375 pt: Word's border widths go in eighths of a point
RULE_COLOR = "666666"
HEADING_LEVELS = 3  # deeper headings in a news article are set as level 3
LATIN_FONT = "Times New Roman"  # the Latin partner of Song/Ming faces in Chinese Word documents


class _Style(NamedTuple):
    """A named style; ``ppr`` and ``rpr`` hold WordprocessingML in schema order."""

    name: str  # as Word shows it; built-in styles keep Word's names
    kind: str = "paragraph"
    based_on: str | None = "Normal"
    next: str | None = None
    ppr: str = ""
    rpr: str = ""


def _spacing(line_pt: float, before_pt: float = 0, after_pt: float = 0) -> str:
    return (f'<w:spacing w:before="{twips(before_pt)}" w:after="{twips(after_pt)}" '
            f'w:line="{twips(line_pt)}" w:lineRule="exact"/>')


def _size(pt: float) -> str:
    return f'<w:sz w:val="{half_points(pt)}"/><w:szCs w:val="{half_points(pt)}"/>'


def _align(value: str) -> str:
    return f'<w:jc w:val="{value}"/>'


_BOLD = "<w:b/><w:bCs/>"
_GREY = '<w:color w:val="666666"/>'  # the PDF's 40 % grey
_KEEP = "<w:keepNext/><w:keepLines/>"
_TWO_CHARS = twips(2 * BODY_PT)
# Two characters of the paragraph's own size; w:firstLine serves readers that ignore *Chars.
_FIRST_LINE_INDENT = f'<w:ind w:firstLine="{_TWO_CHARS}" w:firstLineChars="200"/>'
_QUOTE_INDENT = (f'<w:ind w:left="{_TWO_CHARS}" w:leftChars="200" w:right="{_TWO_CHARS}" '
                 f'w:rightChars="200" w:firstLine="{_TWO_CHARS}" w:firstLineChars="200"/>')
# Widow control; kinsoku; punctuation may hang in the margin and is compressed
# at a line start.  Han next to Latin letters or digits is set solid, as in the
# PDF and the EPUB (2016年11月7日): clreq (3.2.2) allows at most a quarter em
# there, and Word's automatic gap would put a quarter em at every such
# boundary of a date.  (LibreOffice ignores both settings and puts a fifth of
# an em there: its DOCX import cannot be told otherwise.)
_PARAGRAPH_RULES = ("<w:widowControl/><w:kinsoku/><w:overflowPunct/><w:topLinePunct/>"
                    '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')


def _fonts_xml(region: str) -> str:
    from .._fonts import REGION_FONTS  # a template being made needs it, not an article

    family = REGION_FONTS[region].family
    return (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
            f'w:eastAsia="{family}" w:cs="{LATIN_FONT}"/>')


def _lang_xml(region: str) -> str:
    return f'<w:lang w:val="en-US" w:eastAsia="{WORD_LANG[region]}" w:bidi="ar-SA"/>'


def _rule(space_pt: float) -> str:
    """A hairline under the paragraph, ``space_pt`` below its last line: the
    0.4 pt grey line the PDF draws."""
    return (f'<w:pBdr><w:bottom w:val="single" w:sz="{RULE_EIGHTHS}" w:space="{round(space_pt)}" '
            f'w:color="{RULE_COLOR}"/></w:pBdr>')


def _styles(region: str) -> list[_Style]:
    body = _spacing(LINE_PT) + _FIRST_LINE_INDENT + _align("both")
    heading_sizes = {1: 12, 2: BODY_PT, 3: BODY_PT}
    # The title block is closed by a rule midway between its last line and
    # the text, as in the PDF.  Title, subtitle and date line carry the same
    # border: Word and LibreOffice draw one border around consecutive
    # paragraphs that share it, so the rule comes once, under whichever of
    # them is last.  The date line ends the block in all but untitled or
    # undated and unsourced articles; build.py gives the space after the
    # rule to a block that ends otherwise.
    half_gap = TITLE_BLOCK_GAP_PT / 2
    title_rule = _rule(half_gap)
    return [
        _Style("Normal", based_on=None, ppr=_PARAGRAPH_RULES + _spacing(LINE_PT) + _align("both"),
               rpr=_fonts_xml(region) + _size(BODY_PT) + _lang_xml(region)),
        _Style("Title", next="Subtitle", ppr=_KEEP + title_rule + _spacing(TITLE_PT * 1.45)
               + _align("center"), rpr=_BOLD + _size(TITLE_PT)),
        _Style("Subtitle", next="News Metadata",
               ppr=_KEEP + title_rule + _spacing(SUBTITLE_PT * 1.5, before_pt=0.2 * LINE_PT)
               + _align("center"), rpr=_size(SUBTITLE_PT)),
        # An essay's author, kept under its title where the text put it; it
        # shares the title block's one rule.
        _Style("News Author", next="News Metadata",
               ppr=_KEEP + title_rule + _spacing(LINE_PT, before_pt=0.2 * LINE_PT) + _align("center")),
        _Style("News Metadata", next="Body Text",
               ppr=("<w:keepNext/>" + title_rule
                    + _spacing(SMALL_PT * 1.6, before_pt=0.5 * LINE_PT, after_pt=half_gap) + _align("center")),
               rpr=_GREY + _size(SMALL_PT)),
        _Style("Body Text", next="Body Text", ppr=body),
        *(
            _Style(f"Heading {n}", next="Body Text",
                   ppr=(_KEEP + _spacing(LINE_PT, before_pt=LINE_PT / 2) + _align("left")
                        + f'<w:outlineLvl w:val="{n - 1}"/>'),
                   rpr=_BOLD + _size(size))
            for n, size in heading_sizes.items()
        ),
        _Style("News Point", based_on="Body Text", next="News Point", ppr=body),
        _Style("News Quote", based_on="Body Text", next="News Quote",
               ppr=_spacing(LINE_PT) + _QUOTE_INDENT + _align("both")),
        _Style("News Byline", next="News Editors", ppr=_spacing(LINE_PT, before_pt=6) + _align("right")),
        _Style("News Editors", ppr=_spacing(LINE_PT) + _align("right"), rpr=_GREY + _size(SMALL_PT)),
        # Only a header with text is given this style (build.py): an empty
        # one must not draw its rule.
        _Style("Header", ppr=_rule(4) + _spacing(FURNITURE_PT * 1.5) + _align("center"),
               rpr=_GREY + _size(FURNITURE_PT)),
        _Style("Footer", ppr=_spacing(FURNITURE_PT * 1.5) + _align("center"), rpr=_GREY + _size(FURNITURE_PT)),
        _Style("Strong", kind="character", based_on=None, rpr=_BOLD),
        # Chinese marks emphasis with dots under the characters: Han faces
        # have no italics, and slanted ideographs read as a rendering fault.
        _Style("Emphasis", kind="character", based_on=None, rpr='<w:em w:val="underDot"/>'),
        _Style("News Point Lead", kind="character", based_on=None, rpr=_BOLD),
    ]


_BUILTIN_STYLES = frozenset(
    {"Normal", "Title", "Subtitle", "Body Text", "Header", "Footer", "Strong", "Emphasis"}
    | {f"Heading {n}" for n in range(1, HEADING_LEVELS + 1)})


def install_styles(word: WordDocument, region: str, keep_existing: bool) -> list[str]:
    """Define our styles, replacing the template's; with ``keep_existing`` a
    style the document already has wins.  Returns the names of styles added."""
    # Only a template being made needs python-docx; an article's writing reads these measures alone.
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.styles import BabelFish

    styles = word.styles
    added: list[str] = []
    installed = []
    for spec in _styles(region):
        # What `styles[name]` finds, without a scan of every style's name to ask first.
        existing = styles.element.get_by_name(BabelFish.ui2internal(spec.name))
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
            nxt = elements(f'<w:next w:val="{styles[next_name].style_id}"/>')[0]
            element.find(qn("w:qFormat")).addprevious(nxt)
    return added


def set_doc_defaults(word: WordDocument, region: str, fonts: bool) -> None:
    """What every run inherits: the East Asian language always (Word applies
    kinsoku only to text it believes is Chinese) and, unless a reference
    document rules, explicit fonts in place of the theme's."""
    from docx.oxml.ns import qn

    root = word.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = elements("<w:docDefaults/>")[0]
        root.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = elements("<w:rPrDefault/>")[0]
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None or fonts:
        if rpr is not None:
            rpr_default.remove(rpr)
        rpr = elements("<w:rPr/>")[0]
        rpr_default.append(rpr)
    if fonts:
        rpr.extend(elements(_fonts_xml(region) + _size(BODY_PT)))
        # The template's 10 pt after every paragraph and 1.15 leading.
        for ppr_default in defaults.findall(qn("w:pPrDefault")):
            defaults.remove(ppr_default)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), WORD_LANG[region])
        return
    lang = elements(_lang_xml(region))[0]
    following = [rpr.find(qn(tag)) for tag in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
    following = [el for el in following if el is not None]
    if following:
        following[0].addprevious(lang)
    else:
        rpr.append(lang)

