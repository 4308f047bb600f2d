#!/usr/bin/env python3
"""Rebuild the bundled CJK fonts from Debian's ``fonts-noto-cjk`` package.

Usage::

    python fonts/build_fonts.py [SOURCE_DIR] [--out OUT_DIR]

SOURCE_DIR defaults to /usr/share/fonts/opentype/noto (where Debian installs
NotoSerifCJK-Regular.ttc and NotoSerifCJK-Bold.ttc); OUT_DIR defaults to the
directory holding this script.  Needs fontTools (``pip install fonttools``).

The upstream fonts have CFF (cubic) outlines, which reportlab cannot embed, and
65,535 glyphs for five regions.  For each bundled face this script keeps only
one region's glyphs for the code points listed in ``coverage()``, converts the
outlines to TrueType quadratic curves, and patches the few Big5 code points the
upstream fonts lack.  fonts/README.md records the result.  The output is
byte-for-byte reproducible for the same source files and fontTools version.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto")

# Maximum distance, in font units (1000 per em), between a cubic curve and its
# quadratic replacement.  One unit is invisible at any text size; a tighter
# tolerance would only add points.
MAX_ERR = 1.0

# GSUB/GPOS features kept.  'locl' is deliberately left out: it maps each code
# point to the other regions' glyph shapes and would pull those glyphs back in.
# The vertical features serve vertical EPUB layout; palt/halt/kern serve
# proportional punctuation.
LAYOUT_FEATURES = [
    "ccmp", "mark", "mkmk", "kern", "vkrn",
    "vert", "vrt2", "halt", "vhal", "palt", "vpal",
]


@dataclass(frozen=True)
class Face:
    out_file: str
    source_file: str
    family: str  # name ID 1 of the member of the .ttc to take
    style: str
    hkscs: bool  # add the Big5-HKSCS repertoire (Hong Kong characters)


FACES = (
    Face("NotoSerifCJKsc-Regular.ttf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Regular", False),
    Face("NotoSerifCJKsc-Bold.ttf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Bold", False),
    Face("NotoSerifCJKtc-Regular.ttf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK TC", "Regular", True),
    Face("NotoSerifCJKtc-Bold.ttf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK TC", "Bold", True),
    # Hong Kong's standard (常用字字形表) draws 2,380 of the 20,971 unified
    # ideographs kept otherwise than Taiwan's (肖 會 貧 龍 總).
    Face("NotoSerifCJKhk-Regular.ttf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK HK", "Regular", True),
    Face("NotoSerifCJKhk-Bold.ttf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK HK", "Bold", True),
)

# Unicode ranges kept, beyond the legacy character sets.  Ranges are
# inclusive; code points the source font lacks are skipped silently.
RANGES = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A (names, pinyin ā ē ī ō ū)"),
    (0x01CD, 0x01DC, "pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ"),
    (0x02C6, 0x02DD, "spacing modifiers (bopomofo tones ˇ ˊ ˋ ˙)"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x045F, "Cyrillic (basic)"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols (℃ № ™ ℉)"),
    (0x2150, 0x218F, "Number Forms (Ⅰ Ⅱ Ⅲ, ⅰ ⅱ, ½)"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics (① … ⑳, ⑴, ⒈)"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x2580, 0x259F, "Block Elements"),
    (0x25A0, 0x25FF, "Geometric Shapes (■ □ ▲ ◆ ○ ◎ ●)"),
    (0x2600, 0x26FF, "Miscellaneous Symbols (★ ☆ ☎ ♀ ♂)"),
    (0x2700, 0x27BF, "Dingbats (✓ ✕ ❶)"),
    (0x2E80, 0x2EFF, "CJK Radicals Supplement"),
    (0x2F00, 0x2FDF, "Kangxi Radicals (common in text extracted from PDFs)"),
    (0x2FF0, 0x2FFF, "Ideographic Description Characters"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3040, 0x309F, "Hiragana (Japanese names)"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x31A0, 0x31BF, "Bopomofo Extended"),
    (0x31C0, 0x31EF, "CJK Strokes"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months (㈠ ㈱ ㊣)"),
    (0x3300, 0x33FF, "CJK Compatibility (㎡ ㎏ ㎞)"),
    (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xF900, 0xFAFF, "CJK Compatibility Ideographs"),
    (0xFE00, 0xFE0F, "Variation Selectors (keeps the standardized variants: 。︀ corner, 。︁ centred)"),
    (0xFE10, 0xFE1F, "Vertical Forms"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms"),
    (0xFE50, 0xFE6F, "Small Form Variants"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)

# Big5 code points that Noto Serif CJK has no glyph for.  Python's big5 codec
# maps these Big5 characters to them, where Microsoft's cp950 uses the
# full-width forms named here; we point them at those same glyphs.
ALIASES = {
    0x02CD: 0xFF3F,  # ˍ MODIFIER LETTER LOW MACRON -> ＿
    0x203E: 0xFFE3,  # ‾ OVERLINE -> ￣
    0x223C: 0xFF5E,  # ∼ TILDE OPERATOR -> ～
}
# ≒ (Big5 A1D6 in cp950 too) has no stand-in, so it is drawn from the font's
# own ＝ and ‧ glyphs: an equals sign with a dot above left and below right.
APPROX_EQUAL = 0x2252
EQUALS, DOT = 0xFF1D, 0x2027

# Fixed head.created/modified (seconds since 1904-01-01) so a rebuild gives
# identical bytes: 2022-01-27 00:00:00 UTC, the upstream release date.
TIMESTAMP = 3726086400


def legacy_charset(codec: str) -> set[int]:
    """Every code point reachable by decoding a double-byte pair with ``codec``."""
    found: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            found.update(map(ord, text))
    return found


def coverage(hkscs: bool) -> set[int]:
    wanted = legacy_charset("gb2312") | legacy_charset("big5")
    if hkscs:
        wanted |= legacy_charset("big5hkscs")
    for first, last, _ in RANGES:
        wanted.update(range(first, last + 1))
    return wanted


def load_member(path: Path, family: str) -> TTFont:
    """The member of a .ttc whose family name is ``family``."""
    collection = TTCollection(path, lazy=True)
    try:
        families = [member["name"].getDebugName(1) for member in collection.fonts]
    finally:
        collection.close()
    if family not in families:
        raise SystemExit(f"{path}: no member named {family!r} (found {families})")
    return TTFont(path, fontNumber=families.index(family), recalcTimestamp=False)


def subset_font(font: TTFont, codepoints: set[int]) -> None:
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.drop_tables = [t for t in options.drop_tables if t != "BASE"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = True
    options.hinting = False  # CFF hints do not survive the conversion anyway
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    # Variation selectors are not in the cmap proper, but asking for them is
    # what keeps the format 14 table and its variant glyphs.
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF outlines by TrueType quadratic ones, in place."""
    order = font.getGlyphOrder()
    cubic = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF winds outer contours anticlockwise, TrueType clockwise.
        cubic[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()

    vorg = font["VORG"] if "VORG" in font else None
    del font["CFF "]
    if vorg is not None:
        del font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"

    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")

    hmtx = font["hmtx"].metrics
    vmtx = font["vmtx"].metrics if "vmtx" in font else None
    for name, glyph in glyphs.items():
        glyph.recalcBounds(glyf)
        if not glyph.numberOfContours:
            continue
        # TrueType rasterisers place the outline by lsb, so it must equal xMin.
        hmtx[name] = (hmtx[name][0], glyph.xMin)
        if vmtx is not None and vorg is not None:
            # TrueType has no VORG: the vertical origin is yMax + top side
            # bearing, so carry CFF's origin over into the bearing.
            origin = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            vmtx[name] = (vmtx[name][0], origin - glyph.yMax)

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)  # the point/contour fields are recomputed on save
    font["head"].glyphDataFormat = 0

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.minMemType42 = post.maxMemType42 = post.minMemType1 = post.maxMemType1 = 0

    # Unhinted outlines: ask for smoothing at every size.
    gasp = font["gasp"] = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: 0x000A}


def _map_codepoint(font: TTFont, codepoint: int, glyph_name: str) -> None:
    for table in font["cmap"].tables:
        if table.isUnicode() and table.format in (4, 12):
            if table.format == 4 and codepoint > 0xFFFF:
                continue
            table.cmap[codepoint] = glyph_name


def patch_missing(font: TTFont) -> None:
    """Give the Big5 code points upstream lacks a glyph (see ALIASES)."""
    cmap = font.getBestCmap()
    for codepoint, stand_in in ALIASES.items():
        if codepoint not in cmap:
            _map_codepoint(font, codepoint, cmap[stand_in])

    if APPROX_EQUAL in cmap:
        return
    glyf = font["glyf"]
    equals, dot = glyf[cmap[EQUALS]], glyf[cmap[DOT]]
    dot_w, dot_h = dot.xMax - dot.xMin, dot.yMax - dot.yMin
    gap = (equals.yMax - equals.yMin) // 4
    pen = TTGlyphPen(None)
    equals.draw(pen, glyf)
    above = (equals.xMin - dot.xMin, equals.yMax + gap - dot.yMin)
    below = (equals.xMax - dot_w - dot.xMin, equals.yMin - gap - dot_h - dot.yMin)
    for dx, dy in (above, below):
        dot.draw(TransformPen(pen, (1, 0, 0, 1, dx, dy)), glyf)
    glyph = pen.glyph()
    glyph.recalcBounds(glyf)

    name = "uni2252"
    order = font.getGlyphOrder() + [name]
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf[name] = glyph
    advance = font["hmtx"][cmap[EQUALS]][0]
    font["hmtx"][name] = (advance, glyph.xMin)
    if "vmtx" in font:
        v_advance, tsb = font["vmtx"][cmap[EQUALS]]
        font["vmtx"][name] = (v_advance, tsb + equals.yMax - glyph.yMax)
    _map_codepoint(font, APPROX_EQUAL, name)


def mark_as_modified(font: TTFont) -> None:
    """Distinguish our build from upstream's without renaming the family.

    The family name stays: the fonts carry no Reserved Font Name (see
    README.md), and documents should name the family readers may have.
    """
    name = font["name"]
    for record in list(name.names):
        if record.nameID == 3:
            record.string = record.toUnicode() + ";convert-subset-ttf"
        elif record.nameID == 5:
            record.string = record.toUnicode() + "; subset, TrueType outlines (convert)"
    head = font["head"]
    head.created = head.modified = TIMESTAMP


def build_face(face: Face, source_dir: Path, out_dir: Path) -> Path:
    font = load_member(source_dir / face.source_file, face.family)
    subset_font(font, coverage(face.hkscs))
    cff_to_glyf(font)
    patch_missing(font)
    mark_as_modified(font)
    out = out_dir / face.out_file
    font.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source_dir", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--only", help="build just this output file name")
    args = parser.parse_args(argv)

    for face in FACES:
        if args.only and face.out_file != args.only:
            continue
        started = time.monotonic()
        out = build_face(face, args.source_dir, args.out)
        check = TTFont(out, lazy=True)
        print(
            f"{out.name}: {out.stat().st_size:,} bytes, "
            f"{check['maxp'].numGlyphs:,} glyphs, {len(check.getBestCmap()):,} code points, "
            f"{time.monotonic() - started:.0f} s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
