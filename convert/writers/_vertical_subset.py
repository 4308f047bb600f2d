"""What a font subset needs to be set vertically (直排), for vertical books only.

A horizontal subset keeps none of the face's vertical tables (see
``_font_subset``).  Set in columns, a reading system needs more of the face:

- ``vhea`` and ``vmtx``: each upright glyph's advance down the column and
  its top side bearing, from which HarfBuzz and CoreText place the glyph
  (without them they guess from the horizontal metrics and the marks sit
  off the column's centre);
- the GSUB 'vert' and 'vrt2' substitutions, which turn brackets, quotes,
  the ellipsis, the long dash and (in Mainland faces) the stop marks into
  their vertical forms, and the glyphs those forms are drawn with;
- a GPOS of the face's 'vhal' (a mark set in half an em down the column),
  which Chromium needs to compress adjacent punctuation itself
  (text-spacing-trim), and, when asked for, pair adjustments under 'vkrn'
  for the reading systems that kern vertical text (HarfBuzz does so only
  when asked): the vertical counterparts of a horizontal subset's 'halt'
  and 'kern' (which work along a line, and are left out).  The pairs are
  classes of the glyphs as set, the vertical forms.

Of the face's 'vert' lookups only those its default language system applies
are kept: the bundled faces are the region's own (SC, TC, HK), whose default
is the region's usage, so a book in any language tag gets the region's
forms.  The lookups of a feature are composed into one substitution (a
glyph the first lookup turns into another is looked up again in the next,
as a shaper applies them in turn).

The index of a face (its vertical forms and vertical metrics) is built once
per font file, from the file itself, beside the face index of
``_font_subset``, and kept like it in the per-user cache (``convert._cache``)
for the runs after.
"""

from __future__ import annotations

import io
import os
import struct
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .. import _cache
from ._layout_table import layout_table, long_metric, single_adjustments

# The features and tables a vertical subset keeps.
VERTICAL_FEATURES = ("vert", "vrt2")
VERTICAL_TABLES = frozenset(("GSUB", "vhea", "vmtx"))
HALF_FEATURE, PAIR_FEATURE = "vhal", "vkrn"
# ValueRecord formats: y placement and y advance, y advance alone.
_Y_PLACEMENT_AND_ADVANCE, _Y_ADVANCE = 0x000A, 0x0008


@dataclass(frozen=True)
class VerticalFace:
    """The vertical tables of a face, by face glyph number."""

    forms: Mapping[str, Mapping[int, int]]  # feature -> glyph -> its vertical form
    vhea: bytes  # the face's vhea, as stored
    vmtx: bytes  # the face's vmtx, as stored
    long_metrics: int  # vhea's numOfLongVerMetrics
    half: Mapping[int, tuple[int, int]]  # glyph -> (y placement, y advance) of its 'vhal'
    units_per_em: int

    def set_as(self, gid: int) -> int:
        """The glyph a shaper sets for ``gid`` in a column: its vertical form, if any."""
        return self.forms.get("vert", {}).get(gid, gid)

    def closure(self, glyphs: set[int]) -> set[int]:
        """``glyphs`` and the vertical forms they are substituted by."""
        found = set(glyphs)
        for forms in self.forms.values():
            found.update(forms[g] for g in glyphs if g in forms)
        return found

    def metrics(self, gid: int) -> tuple[int, int]:
        """(advance height, top side bearing)."""
        return long_metric(self.vmtx, self.long_metrics, gid)

    def tables(self, order: Sequence[int], bounds: Sequence[tuple[int, int, int, int] | None],
               face_glyph: Mapping[int, int] | None = None, pairs=None) -> dict[str, bytes]:
        """vhea, vmtx, GSUB and GPOS of the subset whose glyph i is face
        glyph ``order[i]``, drawn within ``bounds[i]`` (xMin, yMin, xMax,
        yMax; None for a glyph without outline); ``pairs`` (a
        ``PairClasses``) become 'vkrn' for the characters of ``face_glyph``
        (character -> face glyph)."""
        new_id = {gid: i for i, gid in enumerate(order)}
        metrics = [self.metrics(gid) for gid in order]
        long = len(metrics)
        while long > 1 and metrics[long - 2][0] == metrics[-1][0]:
            long -= 1  # a run of equal advances at the end keeps only top side bearings
        vmtx = b"".join(struct.pack(">Hh", advance, tsb) for advance, tsb in metrics[:long]) \
            + struct.pack(f">{len(metrics) - long}h", *(tsb for _, tsb in metrics[long:]))
        vhea = bytearray(self.vhea)
        drawn = [(advance, tsb, box[3] - box[1]) for (advance, tsb), box in zip(metrics, bounds, strict=True)
                 if box is not None]
        struct.pack_into(">H", vhea, 10, max(advance for advance, _ in metrics))
        if drawn:
            struct.pack_into(">3h", vhea, 12, min(tsb for _, tsb, _ in drawn),
                             min(advance - tsb - height for advance, tsb, height in drawn),
                             max(tsb + height for _, tsb, height in drawn))
        else:
            struct.pack_into(">3h", vhea, 12, 0, 0, 0)
        struct.pack_into(">H", vhea, 34, long)
        lookups = []
        for feature in VERTICAL_FEATURES:
            substitutions = sorted((new_id[g], new_id[v]) for g, v in self.forms.get(feature, {}).items()
                                   if g in new_id and v in new_id)
            lookups.append((feature, substitutions))
        out = {"vhea": bytes(vhea), "vmtx": vmtx}
        if any(found for _, found in lookups):
            out["GSUB"] = layout_table([(tag, _single_substitution(found), 1) for tag, found in lookups if found])
        positioning = []
        half = sorted((new_id[gid], *adjustment) for gid, adjustment in self.half.items() if gid in new_id)
        if half:
            positioning.append((HALF_FEATURE, _single_pos(half), 1))
        if pairs is not None and face_glyph:
            vert = self.forms.get("vert", {})
            marks = {ord(c) for c in (*pairs.first, *pairs.second)}
            set_as = {code: new_id[vert.get(gid, gid)] for code in marks
                      if (gid := face_glyph.get(code)) is not None and vert.get(gid, gid) in new_id}
            first, second = _glyph_classes(pairs.first, set_as), _glyph_classes(pairs.second, set_as)
            if first and second:
                advance = [[round(value * self.units_per_em) for value in row] for row in pairs.advance]
                positioning.append((PAIR_FEATURE, _pair_pos(first, second, advance), 2))
        if positioning:
            out["GPOS"] = layout_table(positioning)
        return out

    def half_width_marks(self, glyph_of: Mapping[int, int]) -> dict[str, tuple[float, float]]:
        """character -> (y placement, y advance), in em, that 'vhal' gives
        the glyph a character is set with in a column (``glyph_of``:
        character code -> face glyph): on which side of a mark its blank
        half is, down the column (a positive placement: at its head)."""
        upm = self.units_per_em
        return {chr(code): (self.half[form][0] / upm, self.half[form][1] / upm)
                for code, gid in glyph_of.items() if (form := self.set_as(gid)) in self.half}


_FACES: dict[str, VerticalFace | None] = {}
_LOCK = threading.Lock()
_VERTICAL_CACHE = "subset-vertical"


def vertical_face(path: str | os.PathLike) -> VerticalFace | None:
    """The vertical tables of the face at ``path``; None when it has no
    vertical metrics (its subsets are then written as horizontal ones)."""
    from ._fonts import file_version

    real, stamp = file_version(path)
    key = f"{real}\0{stamp}"
    with _LOCK:
        if key not in _FACES:
            _FACES[key] = _kept(real, stamp)
    return _FACES[key]


def _kept(path: str, stamp: tuple[int, int]) -> VerticalFace | None:
    """The face's vertical tables from the per-user cache, or read from
    the file (and kept there)."""
    from ._fonts import face_file_key, font_data

    raw = font_data(path)
    key = face_file_key(path, stamp, raw)
    found = _cache.load(_VERTICAL_CACHE, key, path)
    if found is not None:
        try:
            return _from_plain(found)
        except (TypeError, KeyError, ValueError, AttributeError, struct.error):
            pass  # an entry of another shape: read again, and replaced
    face = _read(raw)
    _cache.store(_VERTICAL_CACHE, key, _plain(face), path)
    return face


def _plain(face: VerticalFace | None) -> dict:
    """``face`` as plain data, its tables of numbers packed."""
    if face is None:
        return {"vertical": False}
    pack = _cache.pack_numbers
    half = sorted(face.half.items())
    return {"vertical": True, "vhea": face.vhea, "vmtx": face.vmtx, "long_metrics": face.long_metrics,
            "units_per_em": face.units_per_em,
            "forms": {tag: (pack(forms), pack(forms.values())) for tag, forms in face.forms.items()},
            "half": (pack(g for g, _ in half), pack(a[0] for _, a in half), pack(a[1] for _, a in half))}


def _from_plain(found: dict) -> VerticalFace | None:
    """The face ``_plain`` made ``found`` of; an error for what it did not make."""
    if found["vertical"] is False:
        return None
    unpack = _cache.unpack_numbers
    vhea, vmtx, long_metrics = found["vhea"], found["vmtx"], found["long_metrics"]
    if (type(vhea) is not bytes or type(vmtx) is not bytes or type(long_metrics) is not int
            or len(vhea) < 36 or not 0 < long_metrics <= len(vmtx) // 4):
        raise ValueError("not the vertical tables of a face")
    forms = {str(tag): dict(zip(unpack(sources).tolist(), unpack(targets).tolist(), strict=True))
             for tag, (sources, targets) in found["forms"].items()}
    glyphs, placements, advances = (unpack(numbers).tolist() for numbers in found["half"])
    half = {gid: (placement, advance) for gid, placement, advance in zip(glyphs, placements, advances, strict=True)}
    return VerticalFace(forms, vhea, vmtx, long_metrics, half, int(found["units_per_em"]))


def _read(raw: bytes) -> VerticalFace | None:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(raw), lazy=True)
    tables = font.reader.tables
    if "vhea" not in tables or "vmtx" not in tables:
        return None
    font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])

    def stored(tag: str) -> bytes:
        return raw[tables[tag].offset:tables[tag].offset + tables[tag].length]

    vhea = stored("vhea")
    forms = _forms(font) if "GSUB" in tables else {}
    half = single_adjustments(font, (HALF_FEATURE,), "Y") if "GPOS" in tables else {}
    return VerticalFace(forms, vhea, stored("vmtx"), struct.unpack_from(">H", vhea, 34)[0], half,
                        font["head"].unitsPerEm)


def _forms(font) -> dict[str, dict[int, int]]:
    """feature -> glyph -> substitute, of the default language system's
    single substitutions, each feature's lookups composed in order."""
    table = font["GSUB"].table
    records = table.FeatureList.FeatureRecord
    scripts = {record.ScriptTag: record.Script for record in table.ScriptList.ScriptRecord}
    script = scripts.get("DFLT") or scripts.get("hani")
    if script is None or script.DefaultLangSys is None:
        return {}
    found: dict[str, dict[int, int]] = {}
    for index in script.DefaultLangSys.FeatureIndex:
        record = records[index]
        tag = str(record.FeatureTag)  # fontTools' Tag compares slowly with a str key
        if tag not in VERTICAL_FEATURES or tag in found:
            continue
        steps = [_single_substitutions(table.LookupList.Lookup[i]) for i in record.Feature.LookupListIndex]
        composed = {}
        for glyph in set().union(*steps):
            form = glyph
            for step in steps:
                form = step.get(form, form)
            if form != glyph:
                composed[glyph] = form
        found[tag] = composed
    return found


def _single_substitutions(lookup) -> dict[int, int]:
    mapping: dict[int, int] = {}
    for sub in lookup.SubTable:
        if lookup.LookupType == 7:
            sub = sub.ExtSubTable
        if getattr(sub, "LookupType", lookup.LookupType) != 1:
            continue
        for source, target in sub.mapping.items():
            mapping.setdefault(int(source[1:]), int(target[1:]))
    return mapping


def _single_substitution(pairs: list[tuple[int, int]]) -> bytes:
    """SingleSubst format 2 of (glyph, substitute), glyphs ascending."""
    count = len(pairs)
    coverage = struct.pack(f">HH{count}H", 1, count, *(g for g, _ in pairs))
    return struct.pack(f">HHH{count}H", 2, 6 + 2 * count, count, *(v for _, v in pairs)) + coverage


def _coverage(gids: list[int]) -> bytes:
    return struct.pack(f">HH{len(gids)}H", 1, len(gids), *gids)


def _glyph_classes(classes: Mapping[str, int], glyph_of_code: Mapping[int, int]) -> dict[int, int]:
    """subset glyph -> class of the characters in ``classes`` the subset
    sets; a glyph two characters share takes the class of the first."""
    found: dict[int, int] = {}
    for char, cls in sorted(classes.items()):
        gid = glyph_of_code.get(ord(char))
        if gid is not None and cls > 0:
            found.setdefault(gid, cls)
    return found


def _single_pos(adjusted: list[tuple[int, int, int]]) -> bytes:
    """SinglePos format 2: y placement and y advance of each glyph (ascending)."""
    values = b"".join(struct.pack(">hh", placement, advance) for _, placement, advance in adjusted)
    return (struct.pack(">HHHH", 2, 8 + len(values), _Y_PLACEMENT_AND_ADVANCE, len(adjusted)) + values
            + _coverage([gid for gid, _, _ in adjusted]))


def _pair_pos(first: Mapping[int, int], second: Mapping[int, int], advance: list[list[int]]) -> bytes:
    """PairPos format 2: the first glyph's y advance by the classes of the
    two glyphs; class 0 (any other glyph) is not adjusted."""
    count1, count2 = len(advance) + 1, max(len(row) for row in advance) + 1
    matrix = [[0] * count2] + [[0, *row, *[0] * (count2 - 1 - len(row))] for row in advance]
    records = b"".join(struct.pack(f">{count2}h", *row) for row in matrix)
    coverage = _coverage(sorted(first))
    class1 = struct.pack(">HH", 2, len(first)) + b"".join(struct.pack(">HHH", g, g, c) for g, c in sorted(first.items()))
    class2 = struct.pack(">HH", 2, len(second)) + b"".join(
        struct.pack(">HHH", g, g, c) for g, c in sorted(second.items()))
    at = 16 + len(records)
    return (struct.pack(">HHHHHHHH", 2, at, _Y_ADVANCE, 0, at + len(coverage),
                        at + len(coverage) + len(class1), count1, count2)
            + records + coverage + class1 + class2)


def vertical_subset_options(options):
    """fontTools' subsetter ``options`` (as ``_font_subset.subset_options``
    makes them) changed to keep the vertical tables and features."""
    options.drop_tables = sorted(set(options.drop_tables) - VERTICAL_TABLES)
    options.layout_features = list(VERTICAL_FEATURES)
    options.layout_scripts = ["*"]
    return options
