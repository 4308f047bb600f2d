"""WordprocessingML as the DOCX writer's parts write it: the namespace,
the units, a region's language tag, and fragments parsed into elements.

Plain lxml, no python-docx: an article is written into a template's parts
with this alone (build.py), and python-docx's import is a good part of the
time of writing one."""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_DECL = f'xmlns:w="{W_NS}"'
WORD_LANG = {"cn": "zh-CN", "tw": "zh-TW", "hk": "zh-HK"}

# As python-docx parses and writes a part, so that a part read back and
# written again is the same bytes.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def twips(pt: float) -> int:
    return round(pt * 20)


def half_points(pt: float) -> int:
    return round(pt * 2)


def w(tag: str) -> str:
    """The element or attribute name ``w:tag`` in full."""
    return f"{{{W_NS}}}{tag}"


def parse_part(data: bytes):
    return etree.fromstring(data, _PARSER)


def part_bytes(root) -> bytes:
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def elements(fragment: str) -> list:
    """WordprocessingML elements parsed from a fragment written with ``w:``."""
    return list(etree.fromstring(f"<w:wrapper {W_DECL}>{fragment}</w:wrapper>", _PARSER))
