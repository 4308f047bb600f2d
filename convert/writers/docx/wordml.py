"""WordprocessingML as the DOCX writer's parts write it: the namespace,
the units, a region's language tag, and fragments parsed into elements."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_LANG = {"cn": "zh-CN", "tw": "zh-TW", "hk": "zh-HK"}


def twips(pt: float) -> int:
    return round(pt * 20)


def half_points(pt: float) -> int:
    return round(pt * 2)


def elements(fragment: str) -> list:
    """WordprocessingML elements parsed from a fragment written with ``w:``."""
    return list(parse_xml(f"<w:wrapper {nsdecls('w')}>{fragment}</w:wrapper>"))
