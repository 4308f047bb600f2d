"""TrueType subsets of a face: exactly the glyphs for a set of characters.

Every EPUB embeds the bundled faces cut down to the characters the book
sets.  fontTools' subsetter does that for any font, but spends most of a
book's writing time on it (its general machinery costs tens of
microseconds a glyph and milliseconds a face).  The bundled faces are
simple: TrueType outlines, no composite glyphs, no hinting programs, one
Unicode character map, and the book keeps none of their OpenType layout or
vertical tables (see ``HORIZONTAL_ONLY_DROPS``).  For such a face a subset is
a few tables copied from the file with a field or two changed, plus glyf,
loca, hmtx and cmap cut to the kept glyphs, so this module writes it
directly, from an index of the face built once per process.  Any other face
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
glyph names.
"""

from __future__ import annotations

import io
import os
import struct
import threading
from array import array
from dataclasses import dataclass

# Tables no subset keeps: the book is set horizontally and its reading
# system applies no layout feature of ours (the stylesheet asks for none);
# vertical forms and metrics, proportional punctuation (palt/halt) and Latin
# kerning go, as in the PDF, which reportlab sets without layout features.
HORIZONTAL_ONLY_DROPS = frozenset(("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG"))
# The tables a face may have and still be subset directly.
_DIRECT_TABLES = frozenset(("head", "hhea", "maxp", "OS/2", "hmtx", "cmap", "loca", "glyf",
                            "name", "post", "gasp")) | HORIZONTAL_ONLY_DROPS
_COPIED = ("OS/2", "gasp", "head", "hhea", "maxp", "post")
# A format 4 cmap holds at most this many segments (its length is 16 bits).
_MAX_SEGMENTS = (0xFFFF - 16) // 8


@dataclass(frozen=True)
class Subset:
    data: bytes  # the TrueType font
    missing: frozenset[str]  # requested characters the face has no glyph for


def subset_font(path: str | os.PathLike, chars: set[str]) -> Subset:
    """The face at ``path`` cut down to the glyphs for ``chars``."""
    face = _face(path)
    wanted = sorted({ord(c) for c in chars})
    kept = [u for u in wanted if u in face.glyph_of]
    selectors = face.selectors.intersection(wanted)
    missing = frozenset(chr(u) for u in wanted if u not in face.glyph_of and u not in selectors)
    if face.direct and not selectors:
        return Subset(face.write(kept), missing)
    return Subset(face.write_with_fonttools(sorted({*kept, *selectors})), missing)


# ------------------------------------------------------------ the face index

_FACES: dict[str, _Face] = {}
_FACES_LOCK = threading.Lock()


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
    options.drop_tables = sorted({*options.drop_tables, *HORIZONTAL_ONLY_DROPS})
    # The OS/2 range bits stay the face's: a subset's would differ from book
    # to book for nothing a reading system looks at.
    options.prune_unicode_ranges = False
    options.prune_codepage_ranges = False
    # Exactly the book's characters: no mirrored partners for right-to-left
    # runs, which a Chinese book sets in the reading system's own fonts.
    options.bidi_closure = False
    return options


class _Face:
    """What writing a subset needs from a face, read from the file once."""

    def __init__(self, path: str, stamp: tuple[int, int]):
        from fontTools.ttLib import TTFont

        from ._fonts import font_data

        self.stamp = stamp
        self.raw = font_data(path)
        font = TTFont(io.BytesIO(self.raw), lazy=True)
        self.tables = {tag: (entry.offset, entry.length) for tag, entry in font.reader.tables.items()}
        # Glyphs are known by number here: naming them "g<number>" spares
        # decoding the 30,000 names in 'post'.
        glyph_count = font["maxp"].numGlyphs
        font.setGlyphOrder([f"g{i}" for i in range(glyph_count)])
        cmap = font["cmap"]
        best = cmap.getBestCmap() or {}
        self.glyph_of = {code: int(name[1:]) for code, name in best.items() if name != "g0"}
        # Variation selectors with sequences of their own in this face: a
        # book that uses one goes to fontTools, which keeps the sequences.
        self.selectors = frozenset(selector for t in cmap.tables if t.format == 14
                                   for selector, pairs in t.uvsDict.items() if pairs)
        self.outlines: dict[int, _Outline] = {}
        self._fonttools_options = subset_options()
        self.direct = self._direct(font)
        if self.direct:
            self.long_metrics = min(font["hhea"].numberOfHMetrics, glyph_count)
            self.hmtx = self.table("hmtx")
            self.name = self._pruned_name(font)

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
        glyf = self.glyf = memoryview(self.raw)[offset:offset + length]
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

        name = font["name"]
        alone = TTFont()
        alone["name"] = name
        name.prune_post_subset(alone, self._fonttools_options)
        return name.compile(alone)

    def outline(self, gid: int) -> _Outline:
        found = self.outlines.get(gid)
        if found is None:
            from fontTools.ttLib.tables._g_l_y_f import Glyph

            data = bytes(self.glyf[self.loca[gid]:self.loca[gid + 1]])
            if not data:
                found = _Outline(b"", 0, (0, 0, 0, 0), 0)
            else:
                glyph = Glyph(data)
                glyph.trim()  # the file's padding goes
                contours, x_min, y_min, x_max, y_max = struct.unpack_from(">5h", data)
                points = struct.unpack_from(">H", data, 8 + 2 * contours)[0] + 1 if contours > 0 else 0
                found = _Outline(bytes(glyph.data), contours, (x_min, y_min, x_max, y_max), points)
            self.outlines[gid] = found
        return found

    def metrics(self, gid: int) -> tuple[int, int]:
        """(advance, left side bearing)."""
        long = self.long_metrics
        if gid < long:
            return struct.unpack_from(">Hh", self.hmtx, 4 * gid)
        return (struct.unpack_from(">H", self.hmtx, 4 * (long - 1))[0],
                struct.unpack_from(">h", self.hmtx, 4 * long + 2 * (gid - long))[0])

    # -------------------------------------------------------------- writing

    def write(self, codes: list[int]) -> bytes:
        """The subset for ``codes`` (sorted, all in the face)."""
        order = [0] + sorted({self.glyph_of[u] for u in codes})
        new_id = {gid: i for i, gid in enumerate(order)}
        cmap = _cmap([(u, new_id[self.glyph_of[u]]) for u in codes])

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
        return _sfnt(tables)

    def write_with_fonttools(self, codes: list[int]) -> bytes:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(self.raw), recalcTimestamp=False, lazy=True)
        subsetter = subset.Subsetter(self._fonttools_options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)
        buf = io.BytesIO()
        font.save(buf, reorderTables=True)
        return buf.getvalue()


# ------------------------------------------------------------ tables


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
