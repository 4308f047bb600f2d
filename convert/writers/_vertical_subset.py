"""What a font subset needs to be set vertically (直排), for vertical books only.

A horizontal subset keeps none of the face's vertical tables (see
``_font_subset``).  Set in columns, a reading system needs more of the face:

- ``vhea`` and ``vmtx``: each upright glyph's advance down the column and
  its top side bearing, from which HarfBuzz and CoreText place the glyph
  (without them they guess from the horizontal metrics and the marks sit
  off the column's centre);
- the GSUB 'vert' and 'vrt2' substitutions, which turn brackets, quotes,
  the ellipsis, the long dash and (in Mainland faces) the stop marks into
  their vertical forms, and the glyphs those forms are drawn with.

Of the face's 'vert' lookups only those its default language system applies
are kept: the bundled faces are the region's own (SC, TC, HK), whose default
is the region's usage, so a book in any language tag gets the region's
forms.  The lookups of a feature are composed into one substitution (a
glyph the first lookup turns into another is looked up again in the next,
as a shaper applies them in turn).

The index of a face (its vertical forms and vertical metrics) is built once
per process and font file, from the file itself, beside the face index of
``_font_subset``.
"""

from __future__ import annotations

import io
import os
import struct
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# The features a vertical subset keeps, and the scripts they apply to (the
# shaper looks up the script of the text and falls back on DFLT).
VERTICAL_FEATURES = ("vert", "vrt2")
VERTICAL_TABLES = frozenset(("GSUB", "vhea", "vmtx"))
_SCRIPTS = ("DFLT", "hani", "kana", "latn")


@dataclass(frozen=True)
class VerticalFace:
    """The vertical tables of a face, by face glyph number."""

    forms: Mapping[str, Mapping[int, int]]  # feature -> glyph -> its vertical form
    vhea: bytes  # the face's vhea, as stored
    vmtx: bytes  # the face's vmtx, as stored
    long_metrics: int  # vhea's numOfLongVerMetrics

    def closure(self, glyphs: set[int]) -> set[int]:
        """``glyphs`` and the vertical forms they are substituted by."""
        found = set(glyphs)
        for forms in self.forms.values():
            found.update(forms[g] for g in glyphs if g in forms)
        return found

    def metrics(self, gid: int) -> tuple[int, int]:
        """(advance height, top side bearing)."""
        long = self.long_metrics
        if gid < long:
            return struct.unpack_from(">Hh", self.vmtx, 4 * gid)
        return (struct.unpack_from(">H", self.vmtx, 4 * (long - 1))[0],
                struct.unpack_from(">h", self.vmtx, 4 * long + 2 * (gid - long))[0])

    def tables(self, order: Sequence[int], bounds: Sequence[tuple[int, int, int, int] | None]) -> dict[str, bytes]:
        """vhea, vmtx and GSUB of the subset whose glyph i is face glyph
        ``order[i]``, drawn within ``bounds[i]`` (xMin, yMin, xMax, yMax;
        None for a glyph without outline)."""
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
            pairs = sorted((new_id[g], new_id[v]) for g, v in self.forms.get(feature, {}).items()
                           if g in new_id and v in new_id)
            lookups.append((feature, pairs))
        out = {"vhea": bytes(vhea), "vmtx": vmtx}
        if any(pairs for _, pairs in lookups):
            out["GSUB"] = _gsub_table([(tag, pairs) for tag, pairs in lookups if pairs])
        return out


_FACES: dict[str, VerticalFace | None] = {}
_LOCK = threading.Lock()


def vertical_face(path: str | os.PathLike) -> VerticalFace | None:
    """The vertical tables of the face at ``path``; None when it has no
    vertical metrics (its subsets are then written as horizontal ones)."""
    from ._fonts import file_version

    real, stamp = file_version(path)
    key = f"{real}\0{stamp}"
    with _LOCK:
        if key not in _FACES:
            _FACES[key] = _read(real)
    return _FACES[key]


def _read(path: str) -> VerticalFace | None:
    from fontTools.ttLib import TTFont

    from ._fonts import font_data

    raw = font_data(path)
    font = TTFont(io.BytesIO(raw), lazy=True)
    tables = font.reader.tables
    if "vhea" not in tables or "vmtx" not in tables:
        return None
    font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])

    def stored(tag: str) -> bytes:
        return raw[tables[tag].offset:tables[tag].offset + tables[tag].length]

    vhea = stored("vhea")
    forms = _forms(font) if "GSUB" in tables else {}
    return VerticalFace(forms, vhea, stored("vmtx"), struct.unpack_from(">H", vhea, 34)[0])


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
        if record.FeatureTag not in VERTICAL_FEATURES or record.FeatureTag in found:
            continue
        steps = [_single_substitutions(table.LookupList.Lookup[i]) for i in record.Feature.LookupListIndex]
        composed = {}
        for glyph in set().union(*steps):
            form = glyph
            for step in steps:
                form = step.get(form, form)
            if form != glyph:
                composed[glyph] = form
        found[record.FeatureTag] = composed
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


def _gsub_table(features: list[tuple[str, list[tuple[int, int]]]]) -> bytes:
    """A GSUB table (version 1.0): one single substitution lookup a feature,
    for the scripts of ``_SCRIPTS``, all sharing one default language
    system with every feature."""
    count = len(features)
    script_at = 2 + 6 * len(_SCRIPTS)
    script_list = struct.pack(">H", len(_SCRIPTS)) + b"".join(
        tag.encode("ascii") + struct.pack(">H", script_at) for tag in _SCRIPTS)
    script_list += struct.pack(">HH", 4, 0) + struct.pack(f">HHH{count}H", 0, 0xFFFF, count, *range(count))

    feature_list = struct.pack(">H", count)
    tables_at = 2 + 6 * count
    for i, (tag, _) in enumerate(features):
        feature_list += tag.encode("ascii") + struct.pack(">H", tables_at + 6 * i)
    feature_list += b"".join(struct.pack(">HHH", 0, 1, i) for i in range(count))

    subtables = [_single_substitution(pairs) for _, pairs in features]
    lookup_list = struct.pack(f">H{count}H", count, *(2 + 2 * count + sum(
        8 + len(sub) for sub in subtables[:i]) for i in range(count)))
    for sub in subtables:
        lookup_list += struct.pack(">HHHH", 1, 0, 1, 8) + sub
    header = 10
    return (struct.pack(">HHHHH", 1, 0, header, header + len(script_list),
                        header + len(script_list) + len(feature_list))
            + script_list + feature_list + lookup_list)


def vertical_subset_options(options):
    """fontTools' subsetter ``options`` (as ``_font_subset.subset_options``
    makes them) changed to keep the vertical tables and features."""
    options.drop_tables = sorted(set(options.drop_tables) - VERTICAL_TABLES)
    options.layout_features = list(VERTICAL_FEATURES)
    options.layout_scripts = ["*"]
    return options
