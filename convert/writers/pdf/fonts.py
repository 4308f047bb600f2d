"""Fonts for the PDF writer: registered with reportlab once per process.

Parsing a 14 MB CJK font takes a good part of a second, so every face is
loaded once and kept; reportlab keeps the per-document subset state apart
(keyed by document), so one registered face serves every document.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from .. import _fonts
from .._fonts import NamedBytes, font_data
from .lines import SQUEEZABLE


def _to_unicode_beyond_the_bmp(make_cmap):
    """reportlab's ToUnicode CMaps write a character beyond the BMP as five
    hex digits, which is no UTF-16: a reader copying or searching the text
    gets another character (𨋢, U+282E2, comes out as U+282E).  This wraps
    its writer to give such characters as surrogate pairs; every other line
    of the CMap stays as reportlab writes it."""

    def fixed(fontname, subset):
        cmap = make_cmap(fontname, subset)
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                high = 0xD800 + ((code - 0x10000) >> 10)
                low = 0xDC00 + ((code - 0x10000) & 0x3FF)
                cmap = cmap.replace(f"\n<{index:02X}> <{code:04X}>\n", f"\n<{index:02X}> <{high:04X}{low:04X}>\n", 1)
        return cmap

    fixed.fixes = make_cmap
    return fixed


def _install_to_unicode_fix() -> None:
    current = ttfonts.makeToUnicodeCMap
    if getattr(current, "fixes", None) is None and "<282E2>" in current("probe", [0x282E2]):
        ttfonts.makeToUnicodeCMap = _to_unicode_beyond_the_bmp(current)


_install_to_unicode_fix()

_lock = threading.RLock()
_faces: dict[tuple[str, int], Face | None] = {}
_fallbacks: dict[str, Face | None] = {}

# Blank kept beside a squeezed mark so it never touches its neighbour (em).
SQUEEZE_PAD = 0.04
# Marks whose ink position the layout needs: the squeezable punctuation, and
# the apostrophe, which the CJK fonts draw full-width.
_MEASURED = tuple(sorted(SQUEEZABLE | {"’"}))


@dataclass
class Face:
    """A registered TrueType face and the metrics the line breaker needs (in em)."""

    name: str  # the name registered with reportlab
    path: Path
    font: TTFont
    # blank left and right of the ink of full-width marks
    blanks: dict[str, tuple[float, float]] = field(default_factory=dict)

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.font.face.charToGlyph

    def advance(self, ch: str) -> float:
        return self.font.face.getCharWidth(ord(ch)) / 1000

    def squeeze(self, ch: str) -> tuple[float, float]:
        """How much of a mark's blank a crowded line may take: all but a pad,
        and never more than half an em."""
        if ch not in SQUEEZABLE or ch not in self.blanks:
            return (0.0, 0.0)
        left, right = (max(0.0, b - SQUEEZE_PAD) for b in self.blanks[ch])
        if left + right > 0.5:
            scale = 0.5 / (left + right)
            left, right = left * scale, right * scale
        return (left, right)


def _blanks(font: TTFont) -> dict[str, tuple[float, float]]:
    """The blank, left and right of the ink, of the full-width marks.

    Read from the outlines because it differs by region: Mainland fonts set
    ，。 in the bottom-left corner, Taiwan fonts in the centre.  The glyph
    boxes come straight from the 'glyf' table reportlab has already read
    (a second parse with fontTools would double the loading time).
    """
    ttf = font.face
    if "glyf" not in ttf.table:
        return {}
    glyf = ttf.table["glyf"]["offset"]
    upm = ttf.unitsPerEm
    out: dict[str, tuple[float, float]] = {}
    for ch in _MEASURED:
        gid = ttf.charToGlyph.get(ord(ch))
        if gid is None or ttf.glyphPos[gid + 1] == ttf.glyphPos[gid]:
            continue  # absent or without outline
        contours, x_min, _, x_max, _ = struct.unpack_from(
            ">hhhhh", ttf._ttf_data, glyf + ttf.glyphPos[gid])
        advance = ttf.hmetrics[gid][0]
        if advance < 0.9 * upm or contours == 0:
            continue  # a proportional mark has no blank to give
        out[ch] = (round(max(0, x_min) / upm, 4), round(max(0, advance - x_max) / upm, 4))
    return out


class _OutlineTable:
    """The 'glyf' table as reportlab's subsetter reads it: slicing copies
    only the glyphs sliced, not the table."""

    def __init__(self, view: memoryview):
        self._view = view

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, key: slice) -> bytes:
        return bytes(self._view[key])


def _share_outline_table(ttf) -> None:
    """reportlab copies a face's whole 'glyf' table (12 MB for a CJK face)
    each time it cuts a subset, several times a document, to take a few
    hundred glyphs out of it.  This face's reader hands out a view instead;
    every other table still comes as bytes."""
    data = memoryview(ttf._ttf_data)
    copy_table = ttf.get_table

    def get_table(tag):
        if tag != "glyf":
            return copy_table(tag)
        pos, length = ttf.get_table_pos(tag)
        return _OutlineTable(data[pos:pos + length])

    ttf.get_table = get_table


def load_face(path: str | Path, index: int = 0) -> Face | None:
    """The face at ``path`` (member ``index`` of a collection), registered once.

    None when reportlab cannot read it (CFF outlines, a broken file).
    """
    key = (str(path), index)
    with _lock:
        if key in _faces:
            return _faces[key]
        path = Path(path)
        name = path.stem if index == 0 else f"{path.stem}-{index}"
        taken = {f.name for f in _faces.values() if f}
        while name in taken:
            name += "_"
        try:
            font = TTFont(name, NamedBytes(font_data(path), str(path)), subfontIndex=index, asciiReadable=False)
        except (TTFError, OSError):
            face = None
        else:
            pdfmetrics.registerFont(font)
            _share_outline_table(font.face)
            face = Face(name, path, font, _blanks(font))
        _faces[key] = face
        return face


def region_faces(region: str) -> tuple[Face, Face]:
    """The bundled regular and bold faces for "cn", "tw" or "hk"."""
    regular = load_face(_fonts.font_path(region, bold=False))
    bold = load_face(_fonts.font_path(region, bold=True))
    if regular is None or bold is None:
        raise RuntimeError(f"the bundled fonts for region {region!r} cannot be read")
    return regular, bold


def fallback_face(ch: str) -> Face | None:
    """A system font (found by fontconfig) that has ``ch`` and reportlab can embed."""
    with _lock:
        if ch in _fallbacks:
            return _fallbacks[ch]
    found = _fonts.system_font_for(ch)
    face = None
    if found:
        path, index = found if isinstance(found, tuple) else (found, 0)
        face = load_face(path, index)
        if face is not None and not face.covers(ch):
            face = None
    with _lock:
        _fallbacks[ch] = face
    return face
