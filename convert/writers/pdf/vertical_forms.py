"""The vertical forms of a bundled face: its marks as vertical text sets them.

The bundled Noto CJK faces carry the vertical forms of their punctuation
(︒ ︑ ﹁ ﹂ ︵ ︶ ︽ ︾, and for Mainland faces the marks set in the upper
right of the em box) as glyphs reached only through the ``vert``/``vrt2``
GSUB lookups, which reportlab does not apply.  From those lookups a small
derived face is built whose character map sends each base character to its
vertical glyph, so that the PDF draws the vertical glyph while its ToUnicode
map still gives the base character to a reader copying the text.  Built once
per face and process, and kept in the per-user cache (``convert._cache``)
beside the face it is derived from, so that a run finding it there reads
neither the face's lookups nor builds the face again.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass

from ... import _cache
from .fonts import Face, finish_derived_face, registered_face
from .lines import ADJUSTABLE

# Where Noto CJK's ideographic em box lies, in em from the baseline.
EM_BOX_TOP, EM_BOX_BOTTOM = 0.88, -0.12
# A blank this much short of half an em still counts as the blank half.
_HALF = 0.47
# Set turned with the Latin text instead: a run of dashes is one line, drawn
# by stretching the horizontal dash along the column.
TURNED = frozenset("\u2014\u2015")


@dataclass(frozen=True)
class VerticalForms:
    """The derived face, and for each character it has the blank above and
    below its vertical glyph's ink and its advance down a column (its vmtx
    advance height), in em."""

    face: Face
    blanks: dict[str, tuple[float, float]]
    advances: dict[str, float]

    def has(self, ch: str) -> bool:
        return ch in self.blanks

    def adjustable(self, ch: str) -> tuple[float, float]:
        """The blank half a vertical mark may give up, above or below (the
        ``left``/``right`` of the line breaker, which sees a column as a line)."""
        if ch not in ADJUSTABLE:
            return (0.0, 0.0)
        top, bottom = self.blanks[ch]
        if bottom >= _HALF and top < bottom:
            return (0.0, 0.5)
        if top >= _HALF:
            return (0.5, 0.0)
        return (0.0, 0.0)


_lock = threading.Lock()
_forms: dict[str, VerticalForms | None] = {}


def vertical_forms(face: Face) -> VerticalForms | None:
    """The vertical forms of ``face``; None when it has no vertical lookups
    or its vertical glyphs are composite."""
    with _lock:
        if face.name not in _forms:
            _forms[face.name] = _build(face)
        return _forms[face.name]


def substitutions(path, char_to_glyph: dict[int, int]) -> dict[int, int]:
    """Code point -> the glyph the face's ``vert``/``vrt2`` lookups put in
    its place, for the default language of Han script (each bundled face is
    made for one region, and its default is that region's rule: Mainland
    faces move 。，、 to the upper right, Taiwan and Hong Kong faces leave
    them centred).  ``char_to_glyph`` is the face's character map, as
    reportlab has read it already."""
    from fontTools.ttLib import TTFont as ToolsFont

    font = ToolsFont(str(path), lazy=True)
    # Glyphs named by their index: reading the 65,000 names of 'post' would
    # take longer than all the rest.
    font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
    if "GSUB" not in font:
        return {}
    gsub = font["GSUB"].table
    langsys = None
    for record in gsub.ScriptList.ScriptRecord:
        if record.ScriptTag in ("hani", "DFLT") and record.Script.DefaultLangSys is not None:
            langsys = record.Script.DefaultLangSys
            if record.ScriptTag == "hani":
                break
    if langsys is None:
        return {}
    indices = sorted({index for feature in langsys.FeatureIndex
                      for record in [gsub.FeatureList.FeatureRecord[feature]]
                      if record.FeatureTag in ("vert", "vrt2")
                      for index in record.Feature.LookupListIndex})
    tables = []
    for index in indices:  # applied in the order of the lookup list
        mapping: dict[str, str] = {}
        for sub in gsub.LookupList.Lookup[index].SubTable:
            if getattr(sub, "ExtSubTable", None) is not None:
                sub = sub.ExtSubTable
            mapping.update(getattr(sub, "mapping", None) or {})
        tables.append(mapping)
    font.close()
    sources = {int(name[1:]) for table in tables for name in table}
    out: dict[int, int] = {}
    for code, gid in char_to_glyph.items():
        if gid not in sources or chr(code) in TURNED:
            continue
        name = result = f"g{gid}"
        for mapping in tables:
            result = mapping.get(result, result)
        if result != name:
            out[code] = int(result[1:])
    return out


_FORMS_CACHE = "pdf-vertical-forms"


def _build(face: Face) -> VerticalForms | None:
    derived = _cached(face)
    if derived is None:
        derived = _derived(face)
        if face.cache_key:
            data, blanks, advances = derived or (None, {}, {})
            _cache.store(_FORMS_CACHE, face.cache_key, {"font": data, "blanks": blanks, "advances": advances},
                         _slot(face))
    if derived is None or derived[0] is None:
        return None
    data, blanks, advances = derived
    forms = registered_face(face, "Vert", data)
    return None if forms is None else VerticalForms(forms, blanks, advances)


def _slot(face: Face) -> tuple:
    return (face.cache_key[1], face.cache_key[-1])  # the file and the face in it: one entry each


def _cached(face: Face) -> tuple[bytes, dict, dict] | None:
    """What ``_derived`` made for this face in an earlier run, if the cache
    has it whole; (None, {}, {}) for a face that has no vertical forms."""
    if not face.cache_key:
        return None
    found = _cache.load(_FORMS_CACHE, face.cache_key, _slot(face))
    try:
        data, blanks, advances = found["font"], found["blanks"], found["advances"]
        if data is None:
            return None if blanks or advances else (None, {}, {})
        if type(data) is not bytes or blanks.keys() != advances.keys():
            return None
        blanks = {str(ch): (float(top), float(bottom)) for ch, (top, bottom) in blanks.items()}
        advances = {str(ch): float(advance) for ch, advance in advances.items()}
    except (TypeError, KeyError, ValueError, AttributeError):
        return None
    return data, blanks, advances


def _derived(face: Face) -> tuple[bytes, dict[str, tuple[float, float]], dict[str, float]] | None:
    """The derived face's TrueType file, and its characters' blanks and
    advances; None when it cannot be made."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    ttf = face.font.face
    if "glyf" not in ttf.table:
        return None
    found = substitutions(face.path, ttf.charToGlyph)
    if not found:
        return None
    upm = ttf.unitsPerEm
    start = ttf.table["glyf"]["offset"]
    order, cmap, glyphs, metrics = [".notdef"], {}, {".notdef": TTGlyphPen(None).glyph()}, {}
    metrics[".notdef"] = (upm, 0)
    blanks: dict[str, tuple[float, float]] = {}
    advances: dict[str, float] = {}
    vertical_advance = _vertical_advances(ttf)
    for code, gid in sorted(found.items()):
        name = f"g{gid}"
        raw = bytes(ttf._ttf_data[start + ttf.glyphPos[gid]:start + ttf.glyphPos[gid + 1]])
        if not raw or struct.unpack_from(">h", raw)[0] < 0:
            continue  # nothing to draw, or a composite needing its components
        if name not in glyphs:
            order.append(name)
            glyphs[name] = Glyph(raw)
        x_min, y_min, _, y_max = struct.unpack_from(">4h", raw, 2)
        height = vertical_advance(gid)
        metrics[name] = (height, x_min)
        blanks[chr(code)] = (EM_BOX_TOP - y_max / upm, y_min / upm - EM_BOX_BOTTOM)
        advances[chr(code)] = height / upm
        cmap[code] = name
    if not cmap:
        return None
    builder = FontBuilder(upm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    # The glyphs go in as compiled in the face: decoding and encoding their
    # points again would take most of the building time.  Their boxes, and
    # the maxima of 'maxp' and the box of 'head', are the face's own.
    builder.font["loca"] = newTable("loca")
    glyf = builder.font["glyf"] = newTable("glyf")
    glyf.glyphs, glyf.glyphOrder = glyphs, order
    builder.font.recalcBBoxes = False
    data = finish_derived_face(builder, ttf, metrics, "Vert", lambda font: _copy_maxima(ttf, font))
    return data, blanks, advances


def _vertical_advances(ttf):
    """gid -> advance height, from the face's 'vhea' and 'vmtx' (one em
    for every glyph of a face without them)."""
    if "vhea" not in ttf.table or "vmtx" not in ttf.table:
        return lambda gid: ttf.unitsPerEm
    count = struct.unpack_from(">H", ttf.get_table("vhea"), 34)[0]
    vmtx = ttf.get_table("vmtx")
    return lambda gid: struct.unpack_from(">H", vmtx, 4 * min(gid, count - 1))[0]


_MAXP_FIELDS = ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxZones",
                "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth")


def _copy_maxima(source, font) -> None:
    """The source face's 'maxp' maxima and 'head' box, true of any of its glyphs."""
    maxp = source.get_table("maxp")
    if struct.unpack_from(">I", maxp)[0] == 0x00010000:
        values = struct.unpack_from(f">{len(_MAXP_FIELDS)}H", maxp, 6)
        for name, value in zip(_MAXP_FIELDS, values, strict=True):
            setattr(font["maxp"], name, value)
    head = font["head"]
    head.xMin, head.yMin, head.xMax, head.yMax = struct.unpack_from(">4h", source.get_table("head"), 36)
