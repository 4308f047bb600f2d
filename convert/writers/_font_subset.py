"""TrueType subsets of a face: exactly the glyphs for a set of characters.

Every EPUB embeds the bundled faces cut down to the characters the book
sets.  fontTools' subsetter does that for any font, but spends most of a
book's writing time on it (its general machinery costs tens of
microseconds a glyph and milliseconds a face).  The bundled faces are
simple: TrueType outlines, no composite glyphs, no hinting programs, one
Unicode character map, and the book keeps none of their vertical tables and
of their OpenType layout only the half-width punctuation (see
``HORIZONTAL_ONLY_DROPS`` and ``KEPT_FEATURES``).  For such a face a subset is
a few tables copied from the file with a field or two changed, plus glyf,
loca, hmtx, cmap and a small GPOS cut to the kept glyphs, so this module
writes it directly, from an index of the face built once per process.  Any other face
(a fontconfig fall-back, a rebuilt font with composites) goes through
fontTools' subsetter with the same choices.  The tests check the two
against each other and run both through OTS, the sanitizer browsers apply
to web fonts.

What a subset keeps: the glyphs the requested characters map to, in the
face's order after .notdef (whose outline stays, so a missing glyph shows
as a box); their advances and side bearings; a Windows Unicode cmap of
exactly those characters (variation sequences only when the book uses a
selector); head, hhea, maxp, OS/2, post, gasp with the
face's values (the header bounds stay the face's, which contain the
subset's); the name table without legacy Macintosh records; post without
glyph names; GPOS with the face's 'halt' adjustments of the kept glyphs.

A character may be drawn with another's glyph (``drawn_as``): the EPUB
draws the dash — with the face's full-width rule, so that —— is one line.

A subset for vertical text (``vertical``) also keeps the face's vertical
metrics and vertical forms (``_vertical_subset``); without it, none of them.
"""

from __future__ import annotations

import functools
import io
import os
import struct
import threading
from array import array
from collections.abc import Mapping
from dataclasses import dataclass

from .. import _cache
from ._fonts import pack_face_numbers, unpack_face_numbers
from ._layout_table import layout_table, long_metric, single_adjustments

# Tables no subset keeps: the book is set horizontally, so vertical forms
# and metrics go, and of the OpenType layout only a GPOS of our own (below).
HORIZONTAL_ONLY_DROPS = frozenset(("GSUB", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG"))
# The GPOS a subset has: the face's 'halt' (a full-width mark set in half an
# em), which Chromium-based reading systems need to compress adjacent
# punctuation themselves (text-spacing-trim), and, when asked for, pair
# adjustments by class under 'kern', which every shaper applies unasked
# (HarfBuzz in MuPDF and browsers, CoreText in Apple Books).  Proportional
# punctuation (palt) and Latin kerning go, as in the PDF, which reportlab
# sets without layout features.
KEPT_FEATURES = ("halt",)
PAIR_FEATURE = "kern"
# The tables a face may have and still be subset directly.
_DIRECT_TABLES = frozenset(("head", "hhea", "maxp", "OS/2", "hmtx", "cmap", "loca", "glyf",
                            "name", "post", "gasp", "GPOS")) | HORIZONTAL_ONLY_DROPS
_COPIED = ("OS/2", "gasp", "head", "hhea", "maxp", "post")
# A format 4 cmap holds at most this many segments (its length is 16 bits).
_MAX_SEGMENTS = (0xFFFF - 16) // 8


@dataclass(frozen=True)
class Subset:
    data: bytes  # the TrueType font
    missing: frozenset[str]  # requested characters the face has no glyph for


@dataclass(frozen=True)
class PairClasses:
    """Adjustments of two adjacent glyphs by class: the first glyph of a pair
    whose first character is of class i (1-based, in ``first``) and whose
    second is of class j (in ``second``) advances ``advance[i-1][j-1]`` em
    more (a negative value brings the second glyph closer)."""

    first: Mapping[str, int]
    second: Mapping[str, int]
    advance: tuple[tuple[float, ...], ...]


def subset_font(path: str | os.PathLike, chars: set[str], drawn_as: Mapping[str, str] | None = None,
                pairs: PairClasses | None = None, vertical: bool = False) -> Subset:
    """The face at ``path`` cut down to the glyphs for ``chars``; a character
    in ``drawn_as`` gets the glyph of the character it maps to (when the face
    has that one), not its own; ``pairs`` become the subset's 'kern';
    ``vertical`` keeps what setting the glyphs in columns needs."""
    face = _face(path)
    columns = None  # a vertical subset's VerticalFace
    if vertical:
        from ._vertical_subset import vertical_face

        columns = vertical_face(path)
        if columns is None:
            pairs = None  # a face without vertical tables: 'kern' would act along the line
    sources = {ord(a): ord(b) for a, b in (drawn_as or {}).items() if ord(b) in face.glyph_of}
    wanted = sorted({ord(c) for c in chars})
    kept = [u for u in wanted if sources.get(u, u) in face.glyph_of]
    selectors = face.selectors.intersection(wanted)
    missing = frozenset(chr(u) for u in set(wanted).difference(kept, selectors))
    aliases = {u: sources[u] for u in kept if u in sources}
    if face.direct and not selectors:
        return Subset(face.write(kept, aliases, pairs, columns), missing)
    options = None
    if columns is not None:  # fontTools' subsetter keeps the vertical tables, and no pairs
        from ._vertical_subset import vertical_subset_options

        options, pairs = vertical_subset_options(subset_options()), None
    return Subset(face.write_with_fonttools(sorted({*kept, *selectors}), aliases, pairs, options), missing)


def vertical_half_width_marks(path: str | os.PathLike) -> dict[str, tuple[float, float]]:
    """``half_width_marks`` down a column: character -> (y placement, y
    advance), in em, that the face's 'vhal' gives the form the character
    is set with in vertical text."""
    from ._vertical_subset import vertical_face

    columns = vertical_face(path)
    return columns.half_width_marks(_face(path).glyph_of) if columns is not None else {}


def half_width_marks(path: str | os.PathLike) -> dict[str, tuple[float, float]]:
    """character -> (x placement, x advance), in em, that the face's 'halt'
    gives the glyph the character maps to: how the face sets a full-width
    mark in half an em, and so on which side its blank half is."""
    face = _face(path)
    upm = face.units_per_em
    marks = {}
    for code, gid in face.glyph_of.items():
        if gid in face.halt:
            placement, advance = face.halt[gid]
            marks[chr(code)] = (placement / upm, advance / upm)
    return marks


# ------------------------------------------------------------ the face index

_FACES: dict[str, _Face] = {}
_FACES_LOCK = threading.Lock()
_INDEX_CACHE = "subset-index"
# The layout of an index; one of another is made again.
_INDEX_LAYOUT = 2


def _face(path: str | os.PathLike) -> _Face:
    from ._fonts import file_version

    real, stamp = file_version(path)
    with _FACES_LOCK:
        face = _FACES.get(real)
        if face is None or face.stamp != stamp:  # a rebuilt font replaces its entry
            face = _FACES[real] = _Face(real, stamp)
    return face


def subset_options():
    """fontTools' subsetter set to keep what ``_Face.write`` keeps."""
    from fontTools import subset

    options = subset.Options()
    options.recalc_timestamp = False
    options.notdef_outline = True
    options.name_IDs = ["*"]  # the copyright and licence records stay
    options.name_languages = ["*"]
    # Its GPOS is made as ``write`` makes it (``_Face.gpos``).
    options.drop_tables = sorted({*options.drop_tables, *HORIZONTAL_ONLY_DROPS, "GPOS"})
    # The OS/2 range bits stay the face's: a subset's would differ from book
    # to book for nothing a reading system looks at.
    options.prune_unicode_ranges = False
    options.prune_codepage_ranges = False
    # Exactly the book's characters: no mirrored partners for right-to-left
    # runs, which a Chinese book sets in the reading system's own fonts.
    options.bidi_closure = False
    return options


class _Face:
    """What writing a subset needs from a face, read from the file once and
    kept, as its index (``_index``), in the per-user cache between runs."""

    def __init__(self, path: str, stamp: tuple[int, int]):
        from ._fonts import face_file_key, font_data

        self.stamp = stamp
        self.raw = font_data(path)
        self.outlines: dict[int, _Outline] = {}
        key = face_file_key(path, stamp, self.raw)
        index = _cache.load(_INDEX_CACHE, key, path)
        if index is None or not self._use(index):
            index = self._index()
            _cache.store(_INDEX_CACHE, key, index, path)
            self._use(index, check=False)

    @functools.cached_property
    def _fonttools_options(self):
        return subset_options()

    def _index(self) -> dict:
        """What the face's tables say that writing a subset needs, as plain
        data: fontTools reads them (a good part of a second for a CJK face)."""
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(self.raw), lazy=True)
        self.tables = {str(tag): (entry.offset, entry.length) for tag, entry in font.reader.tables.items()}
        # Glyphs are known by number here: naming them "g<number>" spares
        # decoding the 30,000 names in 'post'.
        glyph_count = font["maxp"].numGlyphs
        font.setGlyphOrder([f"g{i}" for i in range(glyph_count)])
        cmap = font["cmap"]
        best = cmap.getBestCmap() or {}
        # In ascending order of the characters, as a NumberMap reads them.
        glyph_of = {code: int(name[1:]) for code, name in sorted(best.items()) if name != "g0"}
        index = {
            "layout": _INDEX_LAYOUT,
            "tables": self.tables,
            "codes": pack_face_numbers(glyph_of), "glyphs": pack_face_numbers(glyph_of.values()),
            # Variation selectors with sequences of their own in this face: a
            # book that uses one goes to fontTools, which keeps the sequences.
            "selectors": sorted(selector for t in cmap.tables if t.format == 14
                                for selector, pairs in t.uvsDict.items() if pairs),
            "direct": self._direct(font),
            "halt": single_adjustments(font, KEPT_FEATURES, "X") if "GPOS" in self.tables else {},
            "units_per_em": font["head"].unitsPerEm,
        }
        if index["direct"]:
            index["long_metrics"] = min(font["hhea"].numberOfHMetrics, glyph_count)
            index["name"] = self._pruned_name(font)
            index["loca"] = pack_face_numbers(self.loca)
        return index

    def _use(self, index: dict, check: bool = True) -> bool:
        """Take the face's index; False (and nothing taken) for one from the
        cache that is not a whole index of this face."""
        try:
            if index["layout"] != _INDEX_LAYOUT:
                return False
            tables = {str(tag): (int(offset), int(length)) for tag, (offset, length) in index["tables"].items()}
            codes, glyphs = unpack_face_numbers(index["codes"]), unpack_face_numbers(index["glyphs"])
            direct = index["direct"] is True and "glyf" in tables
            if direct:
                loca = unpack_face_numbers(index["loca"])
                name, long_metrics = index["name"], index["long_metrics"]
            if check and (len(codes) != len(glyphs)
                          or any(offset + length > len(self.raw) for offset, length in tables.values())
                          or direct and (type(name) is not bytes or type(long_metrics) is not int
                                         or not loca or loca[-1] > tables["glyf"][1])):
                return False
            halt = {int(gid): (int(x), int(advance)) for gid, (x, advance) in index["halt"].items()}
            selectors = frozenset(int(selector) for selector in index["selectors"])
            units_per_em = int(index["units_per_em"])
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            return False
        self.tables, self.selectors, self.direct, self.halt = tables, selectors, direct, halt
        from ._fonts import NumberMap

        # Looked up in place: a book sets a few hundred of the face's 30,000 characters.
        self.glyph_of = NumberMap(codes, glyphs, settle=self._settle_glyph_of)
        self.units_per_em = units_per_em
        if direct:
            offset, length = tables["glyf"]
            self.loca, self.glyf = loca, memoryview(self.raw)[offset:offset + length]
            self.long_metrics, self.name = long_metrics, name
            self.hmtx = self.table("hmtx")
        return True

    def _settle_glyph_of(self, whole: dict[int, int]) -> None:
        self.glyph_of = whole

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self.raw[offset:offset + length]

    def _direct(self, font) -> bool:
        """Whether this face is one ``write`` can subset: nothing in it that
        names glyphs by number or needs more than its own outline.  Keeps
        the outline table and its index for ``outline``."""
        if not set(self.tables) <= _DIRECT_TABLES or "glyf" not in self.tables or font["head"].tableVersion != 1:
            return False
        if font["maxp"].tableVersion != 0x00010000:
            return False
        offset, length = self.tables["glyf"]
        loca = self.loca = array("I", font["loca"].locations)
        glyf = memoryview(self.raw)[offset:offset + length]
        for gid in range(len(loca) - 1):
            start, end = loca[gid], loca[gid + 1]
            if end > start:
                contours, = struct.unpack_from(">h", glyf, start)
                if contours < 0:
                    return False  # a composite: its components would have to come along
                instructions_at = start + 10 + 2 * contours
                if struct.unpack_from(">H", glyf, instructions_at)[0]:
                    return False  # hinted: the programs that go with it are not kept here
        return True

    def _pruned_name(self, font) -> bytes:
        """The name table as fontTools' subsetter leaves it (the same for
        every book)."""
        from fontTools.ttLib import TTFont

        options = self._fonttools_options  # imports the subsetter, which gives tables their pruning
        name = font["name"]
        alone = TTFont()
        alone["name"] = name
        name.prune_post_subset(alone, options)
        return name.compile(alone)

    def outline(self, gid: int) -> _Outline:
        found = self.outlines.get(gid)
        if found is None:
            data = bytes(self.glyf[self.loca[gid]:self.loca[gid + 1]])
            if not data:
                found = _Outline(b"", 0, (0, 0, 0, 0), 0)
            else:
                contours, x_min, y_min, x_max, y_max = struct.unpack_from(">5h", data)
                points = struct.unpack_from(">H", data, 8 + 2 * contours)[0] + 1 if contours > 0 else 0
                found = _Outline(_trimmed(data, contours, points), contours, (x_min, y_min, x_max, y_max), points)
            self.outlines[gid] = found
        return found

    def metrics(self, gid: int) -> tuple[int, int]:
        """(advance, left side bearing)."""
        return long_metric(self.hmtx, self.long_metrics, gid)

    # -------------------------------------------------------------- writing

    def write(self, codes: list[int], aliases: Mapping[int, int] | None = None,
              pairs: PairClasses | None = None, columns=None) -> bytes:
        """The subset for ``codes`` (sorted, all in the face, or drawn with
        the glyph of the code ``aliases`` maps them to); with ``columns`` (a
        ``VerticalFace``), also their vertical forms and tables, and
        ``pairs`` go down the column ('vkrn') instead of along the line."""
        aliases = aliases or {}
        face_glyph = {u: self.glyph_of[aliases.get(u, u)] for u in codes}
        glyph_set = set(face_glyph.values())
        order = [0] + sorted(columns.closure(glyph_set) - {0} if columns is not None else glyph_set)
        new_id = {gid: i for i, gid in enumerate(order)}
        cmap = _cmap([(u, new_id[face_glyph[u]]) for u in codes])

        glyphs = [self.outline(gid) for gid in order]
        outlines, offsets, end = [], [0], 0
        for glyph in glyphs:
            data = glyph.data + b"\0" * (-len(glyph.data) % 4)
            outlines.append(data)
            end += len(data)
            offsets.append(end)
        short_loca = end <= 0x1FFFE
        loca = struct.pack(f">{len(offsets)}{'H' if short_loca else 'I'}",
                           *(o >> 1 for o in offsets) if short_loca else offsets)

        metrics = [self.metrics(gid) for gid in order]
        long = len(metrics)
        while long > 1 and metrics[long - 2][0] == metrics[-1][0]:
            long -= 1  # a run of equal advances at the end keeps only side bearings
        hmtx = b"".join(struct.pack(">Hh", advance, lsb) for advance, lsb in metrics[:long]) \
            + struct.pack(f">{len(metrics) - long}h", *(lsb for _, lsb in metrics[long:]))

        tables = {tag: bytearray(self.table(tag)) for tag in _COPIED if tag in self.tables}
        _recalculate(tables, glyphs, metrics)
        struct.pack_into(">I", tables["head"], 8, 0)  # checkSumAdjustment, set last
        struct.pack_into(">h", tables["head"], 50, 0 if short_loca else 1)
        struct.pack_into(">H", tables["hhea"], 34, long)
        struct.pack_into(">H", tables["maxp"], 4, len(order))
        if codes and len(tables.get("OS/2", b"")) >= 68:
            struct.pack_into(">HH", tables["OS/2"], 64, min(codes[0], 0xFFFF), min(codes[-1], 0xFFFF))
        tables["post"] = struct.pack(">I", 0x00030000) + bytes(tables["post"][4:32])
        tables.update(cmap=cmap, glyf=b"".join(outlines), loca=loca, hmtx=hmtx, name=self.name)
        if columns is not None:
            tables.update(columns.tables(order, [g.bounds if g.contours else None for g in glyphs],
                                         face_glyph, pairs))
            return _sfnt(tables)
        gpos = self.gpos(new_id, {u: new_id[face_glyph[u]] for u in codes}, pairs)
        if gpos:
            tables["GPOS"] = gpos
        return _sfnt(tables)

    def gpos(self, new_id: Mapping[int, int], glyph_of_code: Mapping[int, int],
             pairs: PairClasses | None) -> bytes | None:
        """The subset's GPOS: 'halt' for the kept glyphs the face adjusts
        (``new_id``: face glyph -> subset glyph) and ``pairs`` as 'kern'
        (``glyph_of_code``: character -> subset glyph); None when neither has
        anything to say."""
        upm = self.units_per_em
        halt = sorted((new_id[gid], *adjustment) for gid, adjustment in self.halt.items() if gid in new_id)
        kern = None
        if pairs is not None:
            first = _glyph_classes(pairs.first, glyph_of_code)
            second = _glyph_classes(pairs.second, glyph_of_code)
            if first and second:
                advance = [[round(value * upm) for value in row] for row in pairs.advance]
                kern = (first, second, advance)
        if not halt and not kern:
            return None
        return _gpos_table(halt, kern)

    def write_with_fonttools(self, codes: list[int], aliases: Mapping[int, int] | None = None,
                             pairs: PairClasses | None = None, options=None) -> bytes:
        from fontTools import subset
        from fontTools.ttLib import TTFont, newTable

        aliases = aliases or {}
        font = TTFont(io.BytesIO(self.raw), recalcTimestamp=False, lazy=True)
        face_gid = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        subsetter = subset.Subsetter(options or self._fonttools_options)
        subsetter.populate(unicodes={aliases.get(u, u) for u in codes})
        subsetter.subset(font)
        if aliases:
            for table in font["cmap"].tables:
                if not table.isUnicode() or table.format == 14:
                    continue
                glyphs = {u: table.cmap[s] for u, s in aliases.items() if s in table.cmap}
                for source in set(aliases.values()) - set(codes):
                    table.cmap.pop(source, None)  # its glyph serves only the alias
                table.cmap.update(glyphs)
        order = font.getGlyphOrder()
        new_id = {face_gid[name]: i for i, name in enumerate(order)}
        subset_gid = {name: i for i, name in enumerate(order)}
        gpos = self.gpos(new_id, {u: subset_gid[name] for u, name in font.getBestCmap().items()}, pairs)
        if gpos:
            font["GPOS"] = newTable("GPOS")
            font["GPOS"].decompile(gpos, font)
        buf = io.BytesIO()
        font.save(buf, reorderTables=True)
        return buf.getvalue()


# ------------------------------------------------------------ tables


# Flags of a simple glyph's points (OpenType 'glyf').
_X_SHORT, _Y_SHORT, _REPEAT, _X_SAME, _Y_SAME = 0x02, 0x04, 0x08, 0x10, 0x20


def _coordinate_bytes(flag: int) -> int:
    x = 1 if flag & _X_SHORT else 0 if flag & _X_SAME else 2
    y = 1 if flag & _Y_SHORT else 0 if flag & _Y_SAME else 2
    return x + y


# For each flag byte: how many bytes of coordinates a point with it takes,
# and whether a count of repeats follows it.
_COORDINATE_BYTES = bytes(_coordinate_bytes(flag) for flag in range(256))
_REPEATED = bytes(1 if flag & _REPEAT else 0 for flag in range(256))


def _trimmed(data: bytes, contours: int, points: int) -> bytes:
    """A simple glyph's record without the file's padding after it: its
    header, contour ends and instructions, then as many flags and
    coordinates as its ``points`` take (what fontTools' ``Glyph.trim``
    leaves, without loading fontTools for it).

    The flags are read a run at a time, up to the next one that repeats:
    a glyph of a CJK face has a few hundred points and few repeats."""
    at = 10 + 2 * contours
    if len(data) < at + 2:
        return data[:at]
    at += 2 + struct.unpack_from(">H", data, at)[0]  # the instructions
    if contours == 0:
        return data[:at]
    coordinates = flagged = 0
    while flagged < points:
        run = data[at:at + points - flagged]
        single = run.translate(_REPEATED).find(1)
        if single < 0:
            if len(run) < points - flagged:
                raise IndexError("a glyph's flags run past its end")
            single = len(run)
        coordinates += sum(run[:single].translate(_COORDINATE_BYTES))
        flagged += single
        at += single
        if flagged < points:  # a flag that repeats, and its count
            flag, repeat = data[at], data[at + 1] + 1
            coordinates += _COORDINATE_BYTES[flag] * repeat
            flagged += repeat
            at += 2
    return data[:at + coordinates]


@dataclass(frozen=True)
class _Outline:
    data: bytes  # the glyph as stored, without padding
    contours: int
    bounds: tuple[int, int, int, int]  # xMin, yMin, xMax, yMax
    points: int


def _recalculate(tables: dict[str, bytearray], glyphs: list[_Outline], metrics: list[tuple[int, int]]) -> None:
    """The header values that sum up the glyphs (bounds, extremes, maxima),
    for the glyphs kept, as fontTools computes them when it saves a font."""
    drawn = [(g, m) for g, m in zip(glyphs, metrics, strict=True) if g.contours]
    head, hhea, maxp = tables["head"], tables["hhea"], tables["maxp"]
    if drawn:
        bounds = [g.bounds for g, _ in drawn]
        struct.pack_into(">4h", head, 36, min(b[0] for b in bounds), min(b[1] for b in bounds),
                         max(b[2] for b in bounds), max(b[3] for b in bounds))
    else:
        struct.pack_into(">4h", head, 36, 0, 0, 0, 0)
    flags = struct.unpack_from(">H", head, 16)[0]
    lsb_is_x_min = all(lsb == g.bounds[0] for g, (_, lsb) in drawn)  # bit 1: left side bearing at x = 0
    struct.pack_into(">H", head, 16, flags | 0x2 if lsb_is_x_min else flags & ~0x2)

    struct.pack_into(">H", hhea, 10, max(advance for advance, _ in metrics))
    if drawn:
        widths = [(g.bounds[2] - g.bounds[0], advance, lsb) for g, (advance, lsb) in drawn]
        struct.pack_into(">3h", hhea, 12, min(lsb for _, _, lsb in widths),
                         min(advance - lsb - width for width, advance, lsb in widths),
                         max(lsb + width for width, _, lsb in widths))
    else:
        struct.pack_into(">3h", hhea, 12, 0, 0, 0)

    struct.pack_into(">4H", maxp, 6, max((g.points for g, _ in drawn), default=0),
                     max((g.contours for g, _ in drawn), default=0), 0, 0)
    struct.pack_into(">2H", maxp, 28, 0, 0)  # no composite glyphs


def _runs(pairs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(first code, last code, first glyph) of each run of consecutive codes
    mapped to consecutive glyphs."""
    runs: list[tuple[int, int, int]] = []
    for code, gid in pairs:
        if runs and code == runs[-1][1] + 1 and gid == runs[-1][2] + code - runs[-1][0]:
            runs[-1] = (runs[-1][0], code, runs[-1][2])
        else:
            runs.append((code, code, gid))
    return runs


def _cmap(pairs: list[tuple[int, int]]) -> bytes:
    """A cmap with a (3,1) format 4 map of the BMP codes and, when there are
    codes beyond it, a (3,10) format 12 map of all.  A format 4 map holds
    8,189 runs at most: a book with more (thousands of scattered characters)
    gets the first of them there and all of them in a format 12 map, which
    every reading system that can show such a book reads first."""
    bmp = _runs([p for p in pairs if p[0] <= 0xFFFF and p[0] != 0xFFFF])
    overflow = len(bmp) >= _MAX_SEGMENTS
    segments = bmp[:_MAX_SEGMENTS - 1] + [(0xFFFF, 0xFFFF, 0)]  # the closing segment every map ends with, to .notdef
    count = len(segments)
    power = 1 << (count.bit_length() - 1)
    format4 = struct.pack(">7H", 4, 16 + 8 * count, 0, 2 * count, 2 * power, power.bit_length() - 1,
                          2 * (count - power))
    format4 += struct.pack(f">{count}H", *(last for _, last, _ in segments)) + b"\0\0"
    format4 += struct.pack(f">{count}H", *(first for first, _, _ in segments))
    format4 += struct.pack(f">{count}H", *((gid - first) & 0xFFFF for first, _, gid in segments))
    format4 += b"\0\0" * count  # no glyph index array: every segment is a delta
    subtables = [((3, 1), format4)]
    if overflow or any(code > 0xFFFF for code, _ in pairs):
        groups = _runs(pairs)
        format12 = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
        format12 += b"".join(struct.pack(">III", first, last, gid) for first, last, gid in groups)
        subtables.append(((3, 10), format12))
    header = struct.pack(">HH", 0, len(subtables))
    offset = 4 + 8 * len(subtables)
    for (platform, encoding), data in subtables:
        header += struct.pack(">HHI", platform, encoding, offset)
        offset += len(data)
    return header + b"".join(data for _, data in subtables)


def _glyph_classes(classes: Mapping[str, int], glyph_of_code: Mapping[int, int]) -> dict[int, int]:
    """subset glyph -> class of the characters in ``classes`` the subset
    has; a glyph two characters share takes the class of the first."""
    found: dict[int, int] = {}
    for char, cls in sorted(classes.items()):
        gid = glyph_of_code.get(ord(char))
        if gid is not None and cls > 0:
            found.setdefault(gid, cls)
    return found


def _coverage(gids: list[int]) -> bytes:
    """A Coverage table (format 1) of ``gids``, ascending."""
    return struct.pack(f">HH{len(gids)}H", 1, len(gids), *gids)


def _class_def(classes: Mapping[int, int]) -> bytes:
    """A ClassDef table (format 2), a range for each glyph."""
    ranges = sorted(classes.items())
    return struct.pack(">HH", 2, len(ranges)) + b"".join(struct.pack(">HHH", g, g, c) for g, c in ranges)


def _single_pos(adjusted: list[tuple[int, int, int]]) -> bytes:
    """SinglePos format 2: x placement and x advance of each glyph (ascending)."""
    values = b"".join(struct.pack(">hh", placement, advance) for _, placement, advance in adjusted)
    return (struct.pack(">HHHH", 2, 8 + len(values), 0x0005, len(adjusted)) + values
            + _coverage([gid for gid, _, _ in adjusted]))


def _pair_pos(first: Mapping[int, int], second: Mapping[int, int], advance: list[list[int]]) -> bytes:
    """PairPos format 2: the first glyph's x advance by the classes of the
    two glyphs; class 0 (any other glyph) is not adjusted."""
    count1, count2 = len(advance) + 1, max(len(row) for row in advance) + 1
    matrix = [[0] * count2] + [[0, *row, *[0] * (count2 - 1 - len(row))] for row in advance]
    records = b"".join(struct.pack(f">{count2}h", *row) for row in matrix)
    head = 16
    coverage = _coverage(sorted(first))
    class1, class2 = _class_def(first), _class_def(second)
    at = head + len(records)
    return (struct.pack(">HHHHHHHH", 2, at, 0x0004, 0, at + len(coverage),
                        at + len(coverage) + len(class1), count1, count2)
            + records + coverage + class1 + class2)


def _gpos_table(halt: list[tuple[int, int, int]], kern: tuple | None) -> bytes:
    """A GPOS table (version 1.0) of a 'halt' single adjustment lookup and a
    'kern' pair adjustment lookup (each when given), for the scripts of
    ``layout_table``."""
    features = []  # (tag, lookup subtable, lookup type), in tag order
    if halt:
        features.append((KEPT_FEATURES[0], _single_pos(halt), 1))
    if kern:
        features.append((PAIR_FEATURE, _pair_pos(*kern), 2))
    return layout_table(features)


def _checksum(data: bytes) -> int:
    padded = array("I", data + b"\0" * (-len(data) % 4))
    if padded.itemsize != 4:  # pragma: no cover - every platform we run on has 4-byte "I"
        raise RuntimeError("no 32-bit array type")
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        padded.byteswap()
    return sum(padded) & 0xFFFFFFFF


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file of ``tables``, directory in tag order, each table
    four-byte aligned, head's checksum adjustment set."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    directory = struct.pack(">IHHHH", 0x00010000, count, 16 * power, power.bit_length() - 1, 16 * (count - power))
    offset = 12 + 16 * count
    body = []
    for tag in tags:
        data = bytes(tables[tag])
        directory += struct.pack(">4sIII", tag.encode("ascii"), _checksum(data), offset, len(data))
        data += b"\0" * (-len(data) % 4)
        body.append(data)
        offset += len(data)
    font = bytearray(directory + b"".join(body))
    head_at = struct.unpack_from(">I", directory, 12 + 16 * tags.index("head") + 8)[0]
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
