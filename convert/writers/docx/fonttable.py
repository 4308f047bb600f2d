"""The font table (fontTable.xml) that names our East Asian face: fonts are
named, not embedded, and Word tries the fall-backs listed here in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from .._fonts import REGION_FONTS
from .reference import safe_xml
from .wordml import W_NS

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

# Word falls back on the charset when none of the named faces is installed.
WORD_CHARSET = {"cn": "86", "tw": "88", "hk": "88"}  # GB2312, Big5


def _font_table(existing: bytes | None, region: str) -> bytes:
    """fontTable.xml with an entry for our East Asian face: its fall-backs in
    the order Word should try them, then the charset for its last resort."""

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


def replace_font_table(word: WordDocument, region: str) -> None:
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
