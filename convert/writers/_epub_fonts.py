"""The characters a book sets in each weight, and font subsets of exactly those.

A reader without CJK fonts must show no tofu, but a whole CJK font is tens of
megabytes: each embedded face keeps only the code points the book sets in that
weight.  Which text is bold follows ``BOLD_TAGS``, the same elements the
stylesheet makes bold.
"""

from __future__ import annotations

import copy
import functools
import io
import os
import struct
import threading
from dataclasses import dataclass, field

from ._epub_xhtml import BOLD_TAGS

XHTML_NS = "http://www.w3.org/1999/xhtml"

# Layout whitespace that pretty-printing puts between elements; never set.
_LAYOUT_WHITESPACE = "\t\n\r"


@dataclass
class CharSets:
    """Code points set in regular and in bold type."""

    regular: set[str] = field(default_factory=set)
    bold: set[str] = field(default_factory=set)

    def add(self, text: str, bold: bool) -> None:
        if text and text.strip(" " + _LAYOUT_WHITESPACE):
            (self.bold if bold else self.regular).update(c for c in text if c not in _LAYOUT_WHITESPACE)

    def update(self, other: CharSets) -> None:
        self.regular |= other.regular
        self.bold |= other.bold


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def chars_in_markup(markup: str | bytes) -> CharSets:
    """The characters an XHTML fragment or document shows, by weight.

    Only the ``body`` counts when there is one (the ``head`` title is not set
    in the book's fonts); whitespace-only text between elements is layout.
    """
    from lxml import etree

    root = etree.fromstring(markup.encode("utf-8") if isinstance(markup, str) else markup)
    body = next((el for el in root.iter() if _local(el.tag) == "body"), root)
    found = CharSets()

    def visit(el, bold: bool) -> None:
        bold = bold or _local(el.tag) in BOLD_TAGS
        found.add(el.text or "", bold)
        for child in el:
            visit(child, bold)
            found.add(child.tail or "", bold)

    visit(body, False)
    return found


@dataclass(frozen=True)
class Subset:
    data: bytes  # the TrueType font
    missing: frozenset[str]  # requested characters the font has no glyph for


def subset_font(path: str, chars: set[str]) -> Subset:
    """``path`` cut down to the glyphs for ``chars`` (and what layout needs).

    The cmap ends up with exactly the requested code points the font has.
    The font's own head.modified is kept, so output does not depend on the clock.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = _face(path)
    wanted = sorted(ord(c) for c in chars)
    font = TTFont(io.BytesIO(face.raw), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    face.prime(font, wanted)
    options = subset.Options()
    options.recalc_timestamp = False
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for u in wanted if u in face.covered])
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return Subset(buf.getvalue(), frozenset(chr(u) for u in wanted if u not in face.covered))


# ------------------------------------------------------------ the face cache
#
# Decoding a whole 14 MB face (30,000 glyph names, outlines, metrics and
# character maps) costs several times what subsetting it for one book does,
# and a batch embeds the same four faces in every book.  So each process
# decodes a face once, and each book gets a lazily loaded font whose big
# tables are fresh objects built from that cache, holding only the entries
# the subsetter asks for.  The subsetter sees the same glyph names, mappings,
# outlines and metrics as from the file, so it writes the same bytes; and
# since it rewrites the tables it is handed, nothing cached is ever given to
# it, only copies.

_FACES: dict[str, _Face] = {}
_FACES_LOCK = threading.Lock()


def _face(path: str) -> _Face:
    stat = os.stat(path)
    key = os.path.realpath(path)
    stamp = (stat.st_size, stat.st_mtime_ns)
    with _FACES_LOCK:
        face = _FACES.get(key)
        if face is None or face.stamp != stamp:  # a rebuilt font replaces its entry
            face = _FACES[key] = _Face(path, stamp)
    return face


class _Face:
    def __init__(self, path: str, stamp: tuple[int, int]):
        from fontTools.ttLib import TTFont

        self.stamp = stamp
        with open(path, "rb") as f:
            self.raw = f.read()
        font = TTFont(io.BytesIO(self.raw), lazy=True)
        self.glyph_order = tuple(font.getGlyphOrder())  # names from 'post', as the subsetter gets them
        self.glyph_ids = dict(font.getReverseGlyphMap())
        self.post = font["post"]
        self.cmap = font["cmap"]
        self.covered = frozenset(font.getBestCmap() or ())
        self.glyf = font.getTableData("glyf")
        self.loca = list(font["loca"])
        self.metrics = {tag: _MetricsData.read(font, tag) for tag in ("hmtx", "vmtx") if tag in font}
        # Trimming a glyph's padding parses its whole outline; a simple glyph
        # trims the same in every book (composites are renumbered first).
        self.trimmed: dict[int, bytes] = {}

    def prime(self, font, wanted: list[int]) -> None:
        """Put fresh copies of the expensive tables into ``font``, the face
        opened anew for one book, before the subsetter loads them itself."""
        from fontTools.ttLib import newTable
        from fontTools.unicodedata import mirrored

        font.setGlyphOrder(list(self.glyph_order))
        font._reverseGlyphOrderDict = dict(self.glyph_ids)

        post = copy.copy(self.post)
        for name, value in vars(post).items():
            if isinstance(value, (list, dict)):
                setattr(post, name, copy.copy(value))
        font["post"] = post

        # The subsetter keeps a code point if it was asked for or mirrors one
        # that was ((), <>): a map of those is all it can use.
        keep = set(wanted)
        keep.update(m for m in map(mirrored, wanted) if m is not None)
        cmap = copy.copy(self.cmap)
        cmap.tables = []
        for table in self.cmap.tables:
            table = copy.copy(table)
            if table.format in (14, 15):
                table.uvsDict = {v: list(pairs) for v, pairs in table.uvsDict.items()}
            else:
                table.cmap = {u: table.cmap[u] for u in keep.intersection(table.cmap)}
            cmap.tables.append(table)
        font["cmap"] = cmap

        glyf = newTable("glyf")
        glyf.glyphOrder = list(self.glyph_order)
        glyf._reverseGlyphOrder = {}
        glyf.glyphs = _Glyphs(self)
        font["glyf"] = glyf

        for tag, data in self.metrics.items():
            table = newTable(tag)
            table.metrics = _Metrics(self, data)
            font[tag] = table


class _Glyphs(dict):
    """glyf.glyphs of one book: each glyph made from the cached table data
    when first asked for."""

    def __init__(self, face: _Face):
        super().__init__()
        self.face = face

    def __contains__(self, name: object) -> bool:
        return name in self.face.glyph_ids

    def __missing__(self, name: str):
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        face = self.face
        gid = face.glyph_ids[name]
        trimmed = face.trimmed.get(gid)
        if trimmed is not None:
            glyph = _trimmed_glyph_class()(bytearray(trimmed))
        else:
            data = face.glyf[face.loca[gid]:face.loca[gid + 1]]
            glyph = Glyph(data)
            if data and data[0] < 0x80:  # numberOfContours >= 0: a simple glyph
                probe = Glyph(data)
                probe.trim()
                face.trimmed[gid] = bytes(probe.data)
        self[name] = glyph
        return glyph


@functools.cache
def _trimmed_glyph_class():
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    class TrimmedGlyph(Glyph):
        """A simple glyph whose data was trimmed when the face was cached."""

        def trim(self, remove_hinting=False, *, extended=False):
            if remove_hinting:
                super().trim(remove_hinting, extended=extended)

    return TrimmedGlyph


@dataclass(frozen=True)
class _MetricsData:
    """An hmtx or vmtx table as stored: (advance, side bearing) pairs for the
    first ``long`` glyphs, then side bearings that repeat the last advance."""

    data: bytes
    long: int

    @classmethod
    def read(cls, font, tag: str) -> _MetricsData:
        # The same count the table's own decompile settles on.
        glyphs = font["maxp"].numGlyphs
        header, field_name = ("hhea", "numberOfHMetrics") if tag == "hmtx" else ("vhea", "numberOfVMetrics")
        long = int(getattr(font[header], field_name)) if header in font else glyphs
        return cls(font.getTableData(tag), min(long, glyphs))


class _Metrics(dict):
    """hmtx/vmtx metrics of one book, each decoded when first asked for."""

    def __init__(self, face: _Face, table: _MetricsData):
        super().__init__()
        self.face = face
        self.table = table

    def __missing__(self, name: str) -> tuple[int, int]:
        gid = self.face.glyph_ids[name]
        data, long = self.table.data, self.table.long
        if gid < long:
            value = struct.unpack_from(">Hh", data, 4 * gid)
        else:
            value = (struct.unpack_from(">H", data, 4 * (long - 1))[0],
                     struct.unpack_from(">h", data, 4 * long + 2 * (gid - long))[0])
        self[name] = value
        return value
