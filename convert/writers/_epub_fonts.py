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

    face = _face(path)
    wanted = sorted(ord(c) for c in chars)
    options = _subset_options()
    font = face.book_font(wanted)
    name = face.subset_name(options)
    if name is not None:
        del font["name"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for u in wanted if u in face.covered])
    subsetter.subset(font)
    if name is not None:
        font["name"] = name
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return Subset(buf.getvalue(), frozenset(chr(u) for u in wanted if u not in face.covered))


def _subset_options():
    from fontTools import subset

    options = subset.Options()
    options.recalc_timestamp = False
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.drop_tables = sorted({*options.drop_tables, *HORIZONTAL_ONLY_DROPS})
    # The OS/2 range bits keep the face's own: a subset's would differ from
    # book to book for nothing a reading system looks at, and computing them
    # was a fifth of the work.
    options.prune_unicode_ranges = False
    options.prune_codepage_ranges = False
    return options


# The book is set horizontally (the stylesheet never asks for vertical
# writing), so the embedded face leaves out what only vertical text, optional
# features and shaping use: vertical metrics and forms (vmtx, vert/vrt2),
# proportional and half-width punctuation (palt/halt, off unless asked for)
# and Latin kerning.  The PDF, set by reportlab, applies no layout features
# either, so both formats set the same glyphs.  Reading and rewriting these
# tables was two thirds of the time it took to write a book.
HORIZONTAL_ONLY_DROPS = frozenset(("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG"))


# ------------------------------------------------------------ the face cache
#
# Decoding a whole 14 MB face (30,000 glyph names, outlines, metrics and
# character maps) costs several times what subsetting it for one book does,
# and a batch embeds the same four faces in every book.  So each process
# decodes a face once, and each book gets the face as a lazily loaded font
# into which fresh tables built from that cache have been put, holding only
# what the subsetter can use for the book's characters.  It sees the same
# glyph names, mappings, outlines and metrics as in the file, so it writes
# the same bytes; and since it rewrites the tables it is handed, nothing
# cached is ever given to it, only copies.

# The character maps a subset keeps: Windows Unicode BMP and full repertoire.
_WINDOWS_UNICODE = frozenset(((3, 1), (3, 10)))

_FACES: dict[str, _Face] = {}
_FACES_LOCK = threading.Lock()

# The tables the bundled faces have.  With anything else in a face (tables
# that name glyphs by number, composite glyphs) a book gets the whole glyph
# order rather than the part it can use.
_KNOWN_TABLES = frozenset(("GlyphOrder", "head", "hhea", "maxp", "OS/2", "hmtx", "cmap", "loca", "glyf",
                           "name", "post", "gasp")) | HORIZONTAL_ONLY_DROPS


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

        from ._fonts import font_data

        self.stamp = stamp
        self.raw = font_data(path)
        font = TTFont(io.BytesIO(self.raw), lazy=True)
        # The names from 'post', as the subsetter gets them.  Read only: the
        # fonts that share these two are never given to the subsetter.
        self.glyph_order = font.getGlyphOrder()
        self.glyph_ids = font.getReverseGlyphMap()
        self.post = font["post"]
        self.cmap = font["cmap"]
        seen: list[dict] = []
        for table in self.cmap.tables:  # the Unicode and Windows maps are usually the same
            if table.format not in (14, 15):
                table.cmap = next((m for m in seen if m == table.cmap), table.cmap)
                seen.append(table.cmap)
        self.covered = frozenset(font.getBestCmap() or ())
        self.has_windows_unicode = any((t.platformID, t.platEncID) in _WINDOWS_UNICODE for t in self.cmap.tables)
        entry = font.reader.tables["glyf"]
        self.glyf = memoryview(self.raw)[entry.offset:entry.offset + entry.length]
        self.loca = list(font["loca"])
        self.hmtx = _MetricsData.read(font, "hmtx")
        self.partial_order = self._allows_partial_order(font)
        # Trimming a glyph's padding parses its whole outline; a simple glyph
        # trims the same in every book (composites are renumbered first).
        self.trimmed: dict[int, bytes] = {}
        self._name: tuple[object, bytes | None] | None = None

    def decoder(self):
        """The face as a lazily loaded font with all its glyph names."""
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(self.raw), lazy=True)
        font.setGlyphOrder(self.glyph_order)
        font._reverseGlyphOrderDict = self.glyph_ids
        return font

    def book_font(self, wanted: list[int]):
        """The face as the subsetter gets it for a book that sets ``wanted``.

        The glyph order holds only the glyphs the subsetter can keep (those
        the cmap gives for the book's characters, and glyph 0), in the order
        of the face.  The subsetter numbers what it keeps in that order, so
        fewer glyphs to look through change nothing but its pace.
        """
        from fontTools.ttLib import TTFont, newTable
        from fontTools.unicodedata import mirrored

        # The subsetter keeps a code point if it was asked for or mirrors one
        # that was ((), <>): a map of those is all it can use.
        keep = set(wanted)
        keep.update(m for m in map(mirrored, wanted) if m is not None)
        cmap = copy.copy(self.cmap)
        cmap.tables = []
        for table in self.cmap.tables:
            if not self._keeps_map(table):
                continue
            table = copy.copy(table)
            if table.format in (14, 15):
                table.uvsDict = {v: list(pairs) for v, pairs in table.uvsDict.items()}
            else:
                table.cmap = {u: table.cmap[u] for u in sorted(keep) if u in table.cmap}
            cmap.tables.append(table)

        font = TTFont(io.BytesIO(self.raw), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
        for tag in HORIZONTAL_ONLY_DROPS & set(font.keys()):
            # Gone before the subsetter looks: it would decode them first.
            del font[tag]
        order = self._needed_glyphs(cmap, keep) if self.partial_order else list(self.glyph_order)
        font.setGlyphOrder(order)
        if not self.partial_order:
            font._reverseGlyphOrderDict = dict(self.glyph_ids)
        font["cmap"] = cmap
        post = copy.copy(self.post)
        for name, value in vars(post).items():
            if isinstance(value, (list, dict)):
                setattr(post, name, copy.copy(value))
        font["post"] = post
        glyf = newTable("glyf")
        glyf.glyphOrder = list(order)
        glyf._reverseGlyphOrder = {}
        glyf.glyphs = _Glyphs(self)
        font["glyf"] = glyf
        font["loca"] = newTable("loca")  # made anew from glyf when the font is saved
        hmtx = newTable("hmtx")
        hmtx.metrics = _Metrics(self, self.hmtx)
        font["hmtx"] = hmtx
        return font

    def _keeps_map(self, table) -> bool:
        """Whether a subset keeps this character map: the Windows Unicode
        maps, which browsers read (the Unicode-platform ones repeat them),
        and variation sequences when there are any."""
        if table.format == 14:
            return bool(table.uvsDict)
        if self.has_windows_unicode:
            return (table.platformID, table.platEncID) in _WINDOWS_UNICODE
        return True

    def _needed_glyphs(self, cmap, keep: set[int]) -> list[str]:
        needed = {self.glyph_order[0]}
        for table in cmap.tables:
            if table.format in (14, 15):
                needed.update(g for pairs in table.uvsDict.values() for u, g in pairs if g is not None and u in keep)
            else:
                needed.update(table.cmap.values())
        return sorted(needed, key=self.glyph_ids.__getitem__)

    def _allows_partial_order(self, font) -> bool:
        """Whether the subsetter may be given only the glyphs the cmap maps
        to: not when a table it keeps might name other glyphs by number, or
        a composite glyph needs its components."""
        if not set(font.keys()) <= _KNOWN_TABLES or "glyf" not in font:
            return False
        loca, glyf = self.loca, self.glyf
        return not any(glyf[loca[i]] >= 0x80 for i in range(len(loca) - 1) if loca[i + 1] > loca[i])

    def subset_name(self, options):
        """The 'name' table as the subsetter leaves it: the same for every
        book when no record is numbered 256 or above (which the layout tables
        might refer to), so it is pruned once.  None: leave it to the subsetter."""
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.tables.DefaultTable import DefaultTable

        if self._name is None or self._name[0] != vars(options):
            data = None
            name = self.decoder()["name"]
            if all(record.nameID < 256 for record in name.names):
                alone = TTFont()
                alone["name"] = name
                name.prune_post_subset(alone, options)
                data = name.compile(alone)
            self._name = (dict(vars(options)), data)
        data = self._name[1]
        if data is None:
            return None
        table = DefaultTable("name")
        table.data = data
        return table


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
        if trimmed is None:
            data = bytes(face.glyf[face.loca[gid]:face.loca[gid + 1]])
            if not data or data[0] >= 0x80:  # empty, or numberOfContours < 0: a composite
                glyph = self[name] = Glyph(data)
                return glyph
            probe = Glyph(data)
            probe.trim()
            trimmed = face.trimmed[gid] = bytes(probe.data)
        glyph = self[name] = _trimmed_glyph_class()(bytearray(trimmed))
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
