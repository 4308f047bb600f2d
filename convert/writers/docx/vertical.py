"""A vertical document (直排): the text in columns from the right.

Word sets a section's text in columns with ``w:textDirection w:val="tbRl"``
(top to bottom, right to left): Han upright, Latin words and long numbers
turned a quarter clockwise, paragraphs' "left" at the column head and
"right" at its foot, their space "before" to the right of them.  Numbers of
one to three digits stand upright side by side in one em (縱中橫, GB/T
15835): Word's ``w:eastAsianLayout w:vert="1"`` on their run, compressed to
the column's width by ``w:vertCompress``.

The page is A4 landscape, as Word turns it when the whole document is set
vertically: a column then holds 40 characters, the measure of the
horizontal page's lines (a portrait column of some 64 would be too long to
read comfortably).  The running header and the page numbers stay
horizontal, in the top and bottom margins, where a reader of a vertical
book in Word or LibreOffice finds them.  The title block opens the text in
the first columns: the title from the column head, the date line at the
foot, as a vertical book sets them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .styles import BODY_PT
from .wordml import elements, twips, w

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

CHARS_PER_COLUMN = 40
A4_LANDSCAPE_TWIPS = (16838, 11906)
SIDE_MARGIN_TWIPS = 1440
HEADER_TWIPS = 940
FOOTER_TWIPS = 780
# Set from the column head (left in a vertical section), or at its foot (right).
_HEAD_STYLES = ("Title", "Subtitle")
_FOOT_STYLES = ("News Author", "News Metadata")

# The same numbers the EPUB sets upright: one to three digits standing
# alone, not joined to Latin letters or to their own punctuation (14:35,
# 3.5, 1,000, 80% turn with the Latin text).
SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,:/%+\-])[0-9]{1,3}(?![0-9A-Za-z.,:/%])")


def short_number_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, whether it is a short number to set upright)."""
    pieces, at = [], 0
    for m in SHORT_NUMBER.finditer(text):
        if m.start() > at:
            pieces.append((text[at:m.start()], False))
        pieces.append((m.group(0), True))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def upright_layout(number: int) -> str:
    """The rPr element that sets a run upright side by side; ``number``
    tells one such run from the next (Word joins runs of one id)."""
    return f'<w:eastAsianLayout w:id="{number}" w:vert="1" w:vertCompress="1"/>'


def make_vertical(word: WordDocument, own_page: bool, own_styles: bool) -> None:
    """The template's section set in columns; ``own_page``: the page is
    ours (no reference document gave one), so it is turned to landscape
    and given its margins; ``own_styles``: the styles are ours, so the
    title block's are aligned to the columns."""
    # Only a template being made needs python-docx; an article's runs need short_number_pieces alone.
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    section = word.sections[0]
    if own_page:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(A4_LANDSCAPE_TWIPS[0]), Twips(A4_LANDSCAPE_TWIPS[1])
        head_to_foot = (A4_LANDSCAPE_TWIPS[1] - twips(CHARS_PER_COLUMN * BODY_PT)) // 2
        section.top_margin = section.bottom_margin = Twips(head_to_foot)
        section.left_margin = section.right_margin = Twips(SIDE_MARGIN_TWIPS)
        section.header_distance, section.footer_distance = Twips(HEADER_TWIPS), Twips(FOOTER_TWIPS)
    sect_pr = section._sectPr
    for old in sect_pr.findall(w("textDirection")):
        sect_pr.remove(old)
    direction, = elements('<w:textDirection w:val="tbRl"/>')
    # Its place in the schema's order: before bidi, rtlGutter, docGrid and what follows them.
    later = ("bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
    follower = next((child for child in sect_pr if child.tag in {w(t) for t in later}), None)
    if follower is not None:
        follower.addprevious(direction)
    else:
        sect_pr.append(direction)
    if own_styles:
        _align_title_block(word)
        _no_widow_control(word)


def _no_widow_control(word: WordDocument) -> None:
    """Widow and orphan control off: LibreOffice (7.x) draws the columns of
    a paragraph it splits at a page end under that rule on top of each other
    in a vertical section; a single column at a page's edge is the lesser
    fault."""
    try:
        ppr = word.styles["Normal"].element.get_or_add_pPr()
    except KeyError:
        return
    control = ppr.find(w("widowControl"))
    if control is not None:
        control.set(w("val"), "0")


def _align_title_block(word: WordDocument) -> None:
    styles = word.styles
    for names, value in ((_HEAD_STYLES, "left"), (_FOOT_STYLES, "right")):
        for name in names:
            try:
                style = styles[name]
            except KeyError:
                continue
            ppr = style.element.get_or_add_pPr()
            jc = ppr.find(w("jc"))
            if jc is not None:
                jc.set(w("val"), value)
