"""OpenType layout tables for the font subsets the EPUB writer embeds:
the single adjustments a face's features give its glyphs, read; and a GSUB
or GPOS table written directly, one lookup a feature, every feature in one
default language system shared by the scripts a Chinese book sets; and a
glyph's metrics read from ``hmtx`` or ``vmtx``, which both subsetters need."""

from __future__ import annotations

import struct

# Where the tables apply: HarfBuzz and CoreText look up the script of the
# text (Han, Kana, Latin) and fall back on DFLT.
SCRIPTS = ("DFLT", "hani", "kana", "latn")


def layout_table(features: list[tuple[str, bytes, int]]) -> bytes:
    """A GSUB or GPOS table (version 1.0) of one lookup a feature: (tag,
    its one subtable, lookup type), in tag order, for ``SCRIPTS``."""
    count = len(features)
    script_at = 2 + 6 * len(SCRIPTS)  # the one Script table, after the records
    script_list = struct.pack(">H", len(SCRIPTS)) + b"".join(
        tag.encode("ascii") + struct.pack(">H", script_at) for tag in SCRIPTS)
    # Script: its default LangSys right after it; LangSys: no required
    # feature, every feature.
    script_list += struct.pack(">HH", 4, 0) + struct.pack(f">HHH{count}H", 0, 0xFFFF, count, *range(count))

    feature_list = struct.pack(">H", count)
    tables_at = 2 + 6 * count
    for i, (tag, _, _) in enumerate(features):
        feature_list += tag.encode("ascii") + struct.pack(">H", tables_at + 6 * i)
    feature_list += b"".join(struct.pack(">HHH", 0, 1, i) for i in range(count))

    lookup_list = struct.pack(f">H{count}H", count, *(2 + 2 * count + sum(
        8 + len(sub) for _, sub, _ in features[:i]) for i in range(count)))
    for _, sub, kind in features:
        lookup_list += struct.pack(">HHHH", kind, 0, 1, 8) + sub
    header = 10
    return (struct.pack(">HHHHH", 1, 0, header, header + len(script_list),
                        header + len(script_list) + len(feature_list))
            + script_list + feature_list + lookup_list)


def single_adjustments(font, features: tuple[str, ...], axis: str) -> dict[int, tuple[int, int]]:
    """glyph number -> (placement, advance) along ``axis`` ("X" across a
    line, "Y" down a column) that the face's ``features`` give it by single
    adjustment; the first lookup subtable covering a glyph decides, as in
    OpenType.  ``font`` is a fontTools TTFont whose glyphs are named
    "g<number>"; glyphs left as they are are left out."""
    table = font["GPOS"].table
    lookups = sorted({i for record in table.FeatureList.FeatureRecord if record.FeatureTag in features
                      for i in record.Feature.LookupListIndex})
    found: dict[int, tuple[int, int]] = {}
    for index in lookups:
        lookup = table.LookupList.Lookup[index]
        for sub in lookup.SubTable:
            if lookup.LookupType == 9:
                sub = sub.ExtSubTable
            if sub.LookupType != 1:
                continue
            glyphs = sub.Coverage.glyphs
            values = sub.Value if sub.Format == 2 else [sub.Value] * len(glyphs)
            for name, value in zip(glyphs, values, strict=True):
                if value is not None:
                    found.setdefault(int(name[1:]), (getattr(value, f"{axis}Placement", 0) or 0,
                                                     getattr(value, f"{axis}Advance", 0) or 0))
    return {gid: adjustment for gid, adjustment in found.items() if adjustment != (0, 0)}


def long_metric(table: bytes, long: int, gid: int) -> tuple[int, int]:
    """Glyph ``gid``'s (advance, side bearing) in an ``hmtx`` or ``vmtx``
    table whose first ``long`` entries are pairs; the glyphs after them
    share the last advance and have only their bearings."""
    if gid < long:
        return struct.unpack_from(">Hh", table, 4 * gid)
    return (struct.unpack_from(">H", table, 4 * (long - 1))[0],
            struct.unpack_from(">h", table, 4 * long + 2 * (gid - long))[0])
