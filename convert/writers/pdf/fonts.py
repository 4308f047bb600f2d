"""Fonts for the PDF writer: registered with reportlab once per process.

Parsing a 14 MB CJK font takes a good part of a second, so every face is
loaded once and kept; reportlab keeps the per-document subset state apart
(keyed by document), so one registered face serves every document.  What
reportlab's parse finds (the character map, the widths, where each glyph
is) and the half-width face made from it are also kept between runs, in
the per-user cache (``convert._cache``): a run that finds them there reads
a few megabytes of plain data instead of parsing the font.
"""

from __future__ import annotations

import io
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFNameBytes, TTFont

from ... import _cache
from .. import _fonts
from .._fonts import (
    FACE_NUMBER_SIZE,
    NamedBytes,
    NumberMap,
    font_data,
    pack_face_numbers,
    unpack_face_numbers,
)
from .lines import ADJUSTABLE


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

# Blank kept beside an apostrophe set as narrow as its ink (em).
INK_PAD = 0.04
# A blank this much short of half an em still counts as the blank half.
_HALF = 0.47
# Marks whose ink the layout needs: the adjustable punctuation, the
# apostrophe (the CJK fonts draw it full-width) and the dashes it joins.
_MEASURED = tuple(sorted(ADJUSTABLE | {"’", "—", "―"}))


@dataclass
class Face:
    """A registered TrueType face and the metrics the line breaker needs (in em)."""

    name: str  # the name registered with reportlab
    path: Path
    font: TTFont
    # the ink box (x0, x1, y0, y1) of the measured marks
    ink: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    # what the per-user cache knows the face's file by (see _face_key)
    cache_key: tuple | None = None

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.font.face.charToGlyph

    def advance(self, ch: str) -> float:
        return self.font.face.getCharWidth(ord(ch)) / 1000

    def blanks(self, ch: str) -> tuple[float, float] | None:
        """The blank left and right of a full-width mark's ink; None for a
        mark drawn narrower (a proportional one has no blank to give)."""
        box = self.ink.get(ch)
        advance = self.advance(ch)
        if box is None or advance < 0.9:
            return None
        return (max(0.0, box[0]), max(0.0, advance - box[1]))

    def adjustable(self, ch: str) -> tuple[float, float]:
        """The blank half a mark may give up, left or right (clreq 3.1.6.1:
        the half of its em box its ink leaves blank).

        Read from the outlines because it differs by region: Mainland faces
        set ，。：！ in the left half of the em box, Taiwan faces in the centre.
        A centred mark has only a quarter em each side, no blank half:
        nothing is taken off it.
        """
        blanks = self.blanks(ch) if ch in ADJUSTABLE else None
        if blanks is None:
            return (0.0, 0.0)
        left, right = blanks
        if right >= _HALF and left < right:
            return (0.0, 0.5)
        if left >= _HALF:
            return (0.5, 0.0)
        return (0.0, 0.0)


def _ink(font: TTFont) -> dict[str, tuple[float, float, float, float]]:
    """The ink boxes of the measured marks, in em.

    The glyph boxes come straight from the 'glyf' table reportlab has already
    read (a second parse with fontTools would double the loading time).
    """
    ttf = font.face
    if "glyf" not in ttf.table:
        return {}
    glyf = ttf.table["glyf"]["offset"]
    upm = ttf.unitsPerEm
    out: dict[str, tuple[float, float, float, float]] = {}
    for ch in _MEASURED:
        gid = ttf.charToGlyph.get(ord(ch))
        if gid is None or ttf.glyphPos[gid + 1] == ttf.glyphPos[gid]:
            continue  # absent or without outline
        contours, x_min, y_min, x_max, y_max = struct.unpack_from(
            ">hhhhh", ttf._ttf_data, glyf + ttf.glyphPos[gid])
        if contours == 0:
            continue
        out[ch] = (x_min / upm, x_max / upm, y_min / upm, y_max / upm)
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
            parsed, cache_key = _parsed_face(path, index)
        except (TTFError, OSError):
            face = None
        else:
            font = _registered_font(name, parsed)
            _share_outline_table(font.face)
            face = Face(name, path, font, _ink(font), cache_key)
        _faces[key] = face
        return face


# ------------------------------------------------------------ kept between runs

_FACE_CACHE = "pdf-face"
_HALF_WIDTH_CACHE = "pdf-half-width"


# The layout of a face's entry (``_face_state``); a new one leaves the old
# entries unread.
_FACE_LAYOUT = 3


def _face_key(path: Path, index: int, data: bytes) -> tuple:
    """The file as the cache knows it: where it is, its size and time, and
    a digest of its head (the table directory with each table's checksum),
    with the reportlab that reads it."""
    real, (size, mtime) = _fonts.file_version(path)
    head = _cache.digest(data[:4096])
    return (REPORTLAB_VERSION, real, size, mtime, head, index, _FACE_LAYOUT)


def _parsed_face(path: Path, index: int) -> tuple[ttfonts.TTFontFace, tuple]:
    """reportlab's face of the font at ``path``, restored from what a
    previous run's parse found when the cache has it, else parsed (and
    kept); and its cache key."""
    data = font_data(path)
    key = _face_key(path, index, data)
    slot = (key[1], index)  # one entry a face: a new key replaces it
    found = _cache.load(_FACE_CACHE, key, slot)
    if found is not None:
        try:
            return _restored_face(found, data), key
        except (TypeError, ValueError, AttributeError):
            pass  # an entry of another shape: parsed again, and replaced
    face = ttfonts.TTFontFace(NamedBytes(data, str(path)), subfontIndex=index)
    _cache.store(_FACE_CACHE, key, _face_state(face), slot)
    return face, key


def _face_state(face: ttfonts.TTFontFace) -> tuple[dict, dict, dict]:
    """What reportlab's parse set on ``face``, as plain data: its attributes
    but the file's bytes and the scale function (both made again); the names
    (bytes that also carry their text) apart; the tables of numbers (a
    glyph's number, width, place for each character) as arrays, which load
    some ten times faster than as a pickle of their numbers, and are read
    as they are (``_unpacked``)."""
    attributes, names, tables = {}, {}, {}
    for attribute, value in vars(face).items():
        if attribute in ("_ttf_data", "_pdfScale"):
            continue
        if isinstance(value, TTFNameBytes):
            names[attribute] = (bytes(value), value.ustr)
            continue
        if attribute == "charWidths" and type(value) is dict:
            value = _other_widths(value, face.defaultWidth)
        packed = _packed(value, looked_up_in_place=attribute in _MAPS)
        if packed is None:
            attributes[attribute] = value
        else:
            tables[attribute] = packed
    return attributes, names, tables


def _other_widths(widths: dict, default) -> dict:
    """The widths that are not ``default``: reportlab reads a character's
    width as ``charWidths.get(code, defaultWidth)`` (in Python and in its C
    code alike), so these give every character its width, and a CJK face
    has a few hundred of them against 30,000 full-width characters (a dict
    of which would cost a run some 3 ms a face to make)."""
    return {code: width for code, width in widths.items() if width != default}


# The dicts of numbers reportlab reads only from Python (``in``, ``[]``,
# ``get``), which a NumberMap can stand for; its C code reads the widths
# as a dict.
_MAPS = frozenset(("charToGlyph",))


def _packed(value, looked_up_in_place: bool = False) -> tuple | None:
    """A long dict or list of whole numbers as (kind, packed numbers...);
    None for anything else.  Dicts keep their order, but one
    ``looked_up_in_place`` is kept by its keys in ascending order, as a
    ``NumberMap`` reads it."""
    pack = pack_face_numbers
    if type(value) is list and len(value) > 64:
        if all(type(v) is tuple and len(v) == 2 for v in value):
            first, second = pack(v[0] for v in value), pack(v[1] for v in value)
            return None if first is None or second is None else ("pairs", first, second)
        data = pack(value)
        return None if data is None else ("list", data)
    if type(value) is dict and len(value) > 64:
        keys = pack(value)
        if keys is None:
            return None
        if all(type(v) is list for v in value.values()):
            counts, flat = pack(len(v) for v in value.values()), pack(x for v in value.values() for x in v)
            return None if counts is None or flat is None else ("lists", keys, counts, flat)
        if not looked_up_in_place:
            values = pack(value.values())
            return None if values is None else ("dict", keys, values)
        ascending = sorted(value)
        keys, values = pack(ascending), pack(value[k] for k in ascending)
        return None if values is None else ("map", keys, values)
    return None


class _Pairs(Sequence):
    """Pairs of whole numbers by index, over two arrays (a face's advance
    and side bearing of each glyph): a run reads those of a few hundred
    glyphs of 30,000, and making the 30,000 tuples would cost it more."""

    __slots__ = ("_first", "_second")

    def __init__(self, first, second):
        if len(first) != len(second):
            raise ValueError("pairs need as many second numbers as first")
        self._first, self._second = first, second

    def __len__(self) -> int:
        return len(self._first)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(self._first[index], self._second[index], strict=True))
        return (self._first[index], self._second[index])


def _unpacked_lists(keys: bytes, counts: bytes, flat: bytes) -> dict[int, list[int]]:
    unpack = unpack_face_numbers
    found, at, numbers = {}, 0, unpack(flat)
    for key, count in zip(unpack(keys), unpack(counts), strict=True):
        found[key] = numbers[at:at + count].tolist()
        at += count
    return found


def _unpacked(packed: tuple, settle):
    """The table ``packed`` holds, in a form read as reportlab reads its
    own (by index, by key): its numbers are not made into objects until
    asked for.  ``settle``: see ``NumberMap``."""
    kind, *parts = packed
    if kind == "lists":
        return _unpacked_lists(*parts)
    numbers = [unpack_face_numbers(part) for part in parts]
    if kind == "list":
        return numbers[0]
    if kind == "pairs":
        return _Pairs(*numbers)
    if kind == "dict":
        return dict(zip(*numbers, strict=True))
    return NumberMap(*numbers, settle=settle)


class _RestoredFace(ttfonts.TTFontFace):
    """A face made from a cache entry: each table of numbers is unpacked when
    first asked for (a run measures and subsets with a few of them, and
    reads ``glyphToChar``, which only the parse uses, never), then is a
    plain attribute like any other; a character map that is looked up
    often is made a dict in its place."""

    def __getattr__(self, attribute):
        tables = vars(self).get("_packed_tables")
        if not tables or attribute not in tables:
            raise AttributeError(attribute)

        def settle(whole: dict) -> None:
            setattr(self, attribute, whole)

        with _lock:
            if attribute not in vars(self):
                setattr(self, attribute, _unpacked(tables[attribute], settle))
        return vars(self)[attribute]


# What the layout and reportlab's subsetting read of a face: an entry
# without one of them is not used.
_NEEDED = frozenset(("charToGlyph", "charWidths", "glyphPos", "hmetrics", "table", "unitsPerEm", "ascent",
                     "descent", "name", "numGlyphs", "defaultWidth", "flags", "bbox"))
_PARTS = {"list": 1, "pairs": 2, "dict": 2, "map": 2, "lists": 3}


def _restored_face(state: tuple[dict, dict, dict], data: bytes) -> ttfonts.TTFontFace:
    """The face ``_face_state`` describes, over the file's bytes; ValueError
    for an entry that does not describe one."""
    attributes, names, tables = state
    if not (type(attributes) is type(names) is type(tables) is dict) or not _NEEDED <= {*attributes, *names, *tables}:
        raise ValueError("not a face's state")
    for kind, *parts in tables.values():
        if _PARTS.get(kind) != len(parts) or not all(type(p) is bytes and len(p) % FACE_NUMBER_SIZE == 0 for p in parts) \
                or (kind != "list" and len(parts[0]) != len(parts[1])):
            raise ValueError("not a packed table")
    face = _RestoredFace.__new__(_RestoredFace)
    vars(face).update(attributes)
    for attribute, (raw, text) in names.items():
        value = TTFNameBytes(raw)
        value.ustr = text
        setattr(face, attribute, value)
    face._packed_tables = dict(tables)
    face._ttf_data = data
    face._pdfScale = _pdf_scale(face.unitsPerEm)
    return face


def _same(value):
    return value


def _pdf_scale(units_per_em: int):
    """Font units to thousandths of an em, as reportlab's parse sets it."""
    if units_per_em == 1000:
        return _same
    factor = 1000 / units_per_em

    def scale(value):
        return value * factor

    return scale


def _registered_font(name: str, face: ttfonts.TTFontFace) -> TTFont:
    """reportlab's TTFont over ``face``, registered: what ``TTFont(name,
    file, asciiReadable=False)`` makes, without parsing the file again
    (tests/test_fonts.py holds the two side by side)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = False
    font.shapable = not any(fnmatch(name, pattern) for pattern in getattr(ttfonts, "unShapedFontGlob", ()))
    pdfmetrics.registerFont(font)
    return font


def region_faces(region: str) -> tuple[Face, Face]:
    """The bundled regular and bold faces for "cn", "tw" or "hk"."""
    regular = load_face(_fonts.font_path(region, bold=False))
    bold = load_face(_fonts.font_path(region, bold=True))
    if regular is None or bold is None:
        raise RuntimeError(f"the bundled fonts for region {region!r} cannot be read")
    return regular, bold


# Marks a line may set in half an em (a compressed pair, a line edge): the
# adjustable ones, and the dashes and ellipsis beside which one is compressed.
HALVED = ADJUSTABLE | {"—", "―", "…"}
_halves: dict[str, Face | None] = {}


def half_width_face(face: Face) -> Face | None:
    """The marks of ``face`` with the same outlines, each half an em wide.

    A compressed mark is set in half an em.  Drawn from the full-width
    glyph, its box (where a PDF reader puts the character: its origin and
    advance) would reach half an em into its neighbour's, and poppler takes
    a character starting more than 0.2 em inside the one before for the
    start of another line, so copying or searching the text would break
    there.  Drawn from this face, each box ends where the next begins; the
    ink is where it was.  Built once per face and process from the outlines
    reportlab has read; None when the face's marks are composite glyphs.
    """
    with _lock:
        if face.name not in _halves:
            _halves[face.name] = _half_width_face(face)
        return _halves[face.name]


def _half_width_face(face: Face) -> Face | None:
    slot = (face.cache_key[1], face.cache_key[-1]) if face.cache_key else None
    found = _cache.load(_HALF_WIDTH_CACHE, face.cache_key, slot) if face.cache_key else None
    if isinstance(found, dict) and isinstance(found.get("font"), (bytes, type(None))):
        data = found["font"]
    else:
        data = _half_width_font(face)
        if face.cache_key:
            _cache.store(_HALF_WIDTH_CACHE, face.cache_key, {"font": data}, slot)
    return None if data is None else registered_face(face, "Halt", data)


def registered_face(face: Face, suffix: str, data: bytes) -> Face | None:
    """The face derived from ``face`` (its bytes ``data``, see
    ``finish_derived_face``) registered with reportlab as ``NAME-SUFFIX``;
    None if reportlab cannot read it."""
    name = f"{face.name}-{suffix}"
    try:
        font = TTFont(name, io.BytesIO(data), asciiReadable=False)
    except TTFError:
        return None
    pdfmetrics.registerFont(font)
    return Face(name, face.path, font, _ink(font))


def _half_width_font(face: Face) -> bytes | None:
    """The TrueType file of ``half_width_face``; None when it cannot be made."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    ttf = face.font.face
    if "glyf" not in ttf.table:
        return None
    upm = ttf.unitsPerEm
    start = ttf.table["glyf"]["offset"]
    order, cmap, glyphs, metrics = [".notdef"], {}, {".notdef": TTGlyphPen(None).glyph()}, {}
    metrics[".notdef"] = (upm // 2, 0)
    for ch in sorted(HALVED):
        gid = ttf.charToGlyph.get(ord(ch))
        if gid is None:
            continue
        raw = bytes(ttf._ttf_data[start + ttf.glyphPos[gid]:start + ttf.glyphPos[gid + 1]])
        if raw and struct.unpack_from(">h", raw)[0] < 0:
            continue  # a composite glyph would need its components
        name = f"g{gid}"
        if name not in glyphs:
            order.append(name)
            glyph = Glyph(raw) if raw else Glyph()
            glyph.expand(None)  # a simple glyph needs no table to decode
            glyphs[name] = glyph
            metrics[name] = (upm // 2, ttf.hmetrics[gid][1])
        cmap[ord(ch)] = name
    if not cmap:
        return None
    builder = FontBuilder(upm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(glyphs)
    return finish_derived_face(builder, ttf, metrics, "Halt")


def finish_derived_face(builder, ttf, metrics: dict, suffix: str, before_saving=None) -> bytes:
    """The bytes of a face derived from ``ttf`` (a few of its glyphs, set
    otherwise), once ``builder`` has its glyphs and character map: its
    metrics, the face's ascent and descent, names telling it apart
    (``suffix``) with the face's copyright, and no build time in it, so the
    same face gives the same bytes.  ``before_saving(font)`` may adjust
    the tables last."""
    upm = builder.font["head"].unitsPerEm
    ps_name = f"{_text(ttf.name)}-{suffix}"
    names = {"familyName": f"{_text(ttf.familyName)} {suffix}", "styleName": "Regular",
             "psName": ps_name, "uniqueFontIdentifier": f"{ps_name};convert"}
    copyright_notice = _name_string(ttf.get_table("name"), 0)
    if copyright_notice:
        names["copyright"] = copyright_notice
    builder.setupHorizontalMetrics(metrics)
    ascent, descent = round(ttf.ascent * upm / 1000), round(ttf.descent * upm / 1000)
    builder.setupHorizontalHeader(ascent=ascent, descent=descent)
    builder.setupNameTable(names)
    builder.setupOS2(sTypoAscender=ascent, sTypoDescender=descent, usWinAscent=ascent,
                     usWinDescent=-descent, fsType=0)
    builder.setupPost()
    builder.font.recalcTimestamp = False
    if before_saving is not None:
        before_saving(builder.font)
    builder.font["head"].created = builder.font["head"].modified = 0
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _text(name: str | bytes) -> str:
    return name.decode("latin-1") if isinstance(name, bytes) else name


def _name_string(table: bytes, name_id: int) -> str | None:
    """A Windows Unicode string of a 'name' table."""
    count, strings = struct.unpack_from(">HH", table, 2)
    for i in range(count):
        platform, encoding, _, nid, length, offset = struct.unpack_from(">6H", table, 6 + 12 * i)
        if platform == 3 and encoding in (0, 1, 10) and nid == name_id:
            return table[strings + offset:strings + offset + length].decode("utf-16-be")
    return None


def fallback_face(ch: str) -> Face | None:
    """A system font (found by fontconfig) that has ``ch`` and reportlab can embed."""
    with _lock:
        if ch in _fallbacks:
            return _fallbacks[ch]
    found = _fonts.system_font_for(ch)
    face = None
    if found:
        face = load_face(found)
        if face is not None and not face.covers(ch):
            face = None
    with _lock:
        _fallbacks[ch] = face
    return face
