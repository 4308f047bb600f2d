"""Font subsets for EPUB: the direct writer against fontTools' subsetter
(same glyphs, metrics and header values), both through OTS, the sanitizer
browsers run on web fonts, and the faces that must go to fontTools."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from _corpus import CORPUS_FILES, SEED
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from convert.writers import _font_subset
from convert.writers._font_subset import HORIZONTAL_ONLY_DROPS, KEPT_FEATURES, PairClasses, subset_font
from convert.writers._fonts import font_path

FACES = [font_path(region, bold=bold) for region in ("cn", "tw") for bold in (False, True)]
SUMMARY_TABLES = ("head", "hhea", "maxp", "OS/2", "post", "gasp")


def reference(path: Path, chars: set[str]) -> bytes:
    """The same subset made by fontTools' subsetter alone."""
    face = _font_subset._face(path)
    return face.write_with_fonttools(sorted(ord(c) for c in chars if ord(c) in face.glyph_of))


def drawing(font: TTFont, name: str) -> list:
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    return pen.value


def adjustments(font: TTFont) -> dict[int, tuple[str, int, int]]:
    """code point -> (feature, x placement, x advance) of the single
    adjustments the font's GPOS makes, as a shaper would find them."""
    if "GPOS" not in font:
        return {}
    table = font["GPOS"].table
    by_glyph = {}
    for record in table.FeatureList.FeatureRecord:
        for index in record.Feature.LookupListIndex:
            if table.LookupList.Lookup[index].LookupType != 1:
                continue  # pairs: see kerning()
            for sub in table.LookupList.Lookup[index].SubTable:
                values = sub.Value if sub.Format == 2 else [sub.Value] * len(sub.Coverage.glyphs)
                for name, value in zip(sub.Coverage.glyphs, values, strict=True):
                    by_glyph.setdefault(name, (record.FeatureTag, value.XPlacement or 0, value.XAdvance or 0))
    return {code: by_glyph[name] for code, name in font.getBestCmap().items() if name in by_glyph}


def assert_same_font(made: bytes, expected: bytes) -> None:
    """Same characters, outlines, metrics, punctuation adjustments, names
    and summary values; the byte layout of cmap and GPOS and the checksums
    may differ."""
    ours, theirs = TTFont(io.BytesIO(made)), TTFont(io.BytesIO(expected))
    assert sorted(ours.keys()) == sorted(theirs.keys())
    assert not HORIZONTAL_ONLY_DROPS & set(ours.keys())
    assert adjustments(ours) == adjustments(theirs)
    if "GPOS" in ours:
        assert {r.FeatureTag for r in ours["GPOS"].table.FeatureList.FeatureRecord} <= {*KEPT_FEATURES, "kern"}
    our_cmap, their_cmap = ours.getBestCmap(), theirs.getBestCmap()
    assert our_cmap.keys() == their_cmap.keys()
    assert ours["maxp"].numGlyphs == theirs["maxp"].numGlyphs == len(set(our_cmap.values()) | {".notdef"})
    assert drawing(ours, ".notdef") == drawing(theirs, ".notdef")
    for code, name in our_cmap.items():
        assert drawing(ours, name) == drawing(theirs, their_cmap[code]), hex(code)
        assert ours["hmtx"][name] == theirs["hmtx"][their_cmap[code]], hex(code)
    for tag in SUMMARY_TABLES:
        if tag not in theirs:
            continue
        mine, other = dict(vars(ours[tag])), dict(vars(theirs[tag]))
        for values in (mine, other):
            values.pop("checkSumAdjustment", None)
            if "panose" in values:
                values["panose"] = vars(values["panose"])
        assert mine == other, tag
    assert ours["name"].compile(ours) == theirs["name"].compile(theirs)


def sanitized(data: bytes, tmp_path: Path) -> None:
    ots = pytest.importorskip("ots")
    source, target = tmp_path / "in.ttf", tmp_path / "out.ttf"
    source.write_bytes(data)
    result = ots.sanitize(str(source), str(target), capture_output=True)
    assert result.returncode == 0, (result.stdout + result.stderr).decode("utf-8", "replace")


def book_chars(path: Path) -> set[str]:
    return set(path.read_bytes().decode("utf-8", "replace"))


# ---------------------------------------------------------------- bundled faces


@pytest.mark.parametrize("face", FACES, ids=lambda p: p.stem)
def test_bundled_faces_are_subset_directly_and_as_fonttools_would(face, tmp_path):
    assert _font_subset._face(face).direct
    texts = [book_chars(SEED), book_chars(CORPUS_FILES[-1])]
    rng = random.Random(face.name)
    texts.append(set(rng.sample(sorted(map(chr, _font_subset._face(face).glyph_of)), 2500)))
    texts.append({"A"})  # a bold face may set one character
    for chars in texts:
        made = subset_font(face, chars)
        assert_same_font(made.data, reference(face, chars))
        sanitized(made.data, tmp_path)
        assert made.missing == {c for c in chars if ord(c) not in _font_subset._face(face).glyph_of}


@pytest.mark.parametrize("face", FACES, ids=lambda p: p.stem)
def test_half_width_punctuation_stays_with_the_marks_kept(face, tmp_path):
    """Reading systems compress adjacent punctuation only with a font that
    can set a mark in half an em ('halt'): the subset keeps the face's
    values for the marks it keeps, and nothing for other glyphs."""
    chars = set("“中文”，「引號」。（括號）：；！？、A1")
    made = TTFont(io.BytesIO(subset_font(face, chars).data))
    found = adjustments(made)
    assert set(found) >= {ord(c) for c in "“”「」（）"}
    assert not {ord(c) for c in "中文引號括號A1"} & set(found)
    for code, (feature, placement, advance) in found.items():
        assert feature == "halt" and advance == -500, chr(code)
        # Opening marks lose their left half; closing ones their right half;
        # a Taiwan face's centred marks a quarter each side.
        expected = {"“": -500, "「": -500, "（": -500, "”": 0, "」": 0, "）": 0}.get(chr(code))
        assert expected is None or placement == expected, chr(code)
    centred = {chr(c) for c, (_, placement, _) in found.items() if placement == -250}
    assert ("，" in centred) == ("tc" in face.name), centred
    sanitized(subset_font(face, chars).data, tmp_path)


def test_a_character_drawn_as_another_gets_its_glyph_and_not_its_own(tmp_path):
    """The dash — drawn with the full-width rule ─, as the EPUB asks: the
    book's text keeps U+2014, the subset maps it to the rule's outline."""
    chars = {"—", "破", "折"}
    for face in FACES:
        made = subset_font(face, chars, drawn_as={"—": "─"})
        assert made.missing == frozenset()
        font, bundled = TTFont(io.BytesIO(made.data)), TTFont(face)
        cmap = font.getBestCmap()
        assert set(cmap) == {ord(c) for c in chars}  # no ─ of its own
        assert drawing(font, cmap[0x2014]) == drawing(bundled, bundled.getBestCmap()[0x2500])
        assert font["hmtx"][cmap[0x2014]] == bundled["hmtx"][bundled.getBestCmap()[0x2500]]
        assert_same_font(made.data, _font_subset._face(face).write_with_fonttools(
            sorted(ord(c) for c in chars), {0x2014: 0x2500}))
        sanitized(made.data, tmp_path)
    # Asked for as itself too, the rule keeps its own mapping.
    both = TTFont(io.BytesIO(subset_font(FACES[0], chars | {"─"}, drawn_as={"—": "─"}).data)).getBestCmap()
    assert both[0x2014] == both[0x2500]


def kerning(font: TTFont, chars: str) -> dict[str, int]:
    """'ab' -> the x advance 'kern' adds to a before b, for every pair of ``chars``."""
    cmap = font.getBestCmap()
    table = font["GPOS"].table
    (lookup,) = [table.LookupList.Lookup[i] for r in table.FeatureList.FeatureRecord if r.FeatureTag == "kern"
                 for i in r.Feature.LookupListIndex]
    (sub,) = lookup.SubTable
    found = {}
    for a in chars:
        for b in chars:
            first, second = cmap[ord(a)], cmap[ord(b)]
            if first not in sub.Coverage.glyphs:
                found[a + b] = 0
                continue
            record = sub.Class1Record[sub.ClassDef1.classDefs.get(first, 0)]
            value = record.Class2Record[sub.ClassDef2.classDefs.get(second, 0)].Value1
            found[a + b] = getattr(value, "XAdvance", 0) or 0
    return found


def test_pair_classes_become_kerning_the_same_either_way(tmp_path):
    """Pairs asked for by class are the subset's 'kern', in font units, with
    a glyph shared by two characters (drawn_as) in the class of either; the
    direct writer and the fontTools path give the same."""
    pairs = PairClasses(first={"。": 1, "「": 2, "—": 1}, second={"「": 1, "」": 2}, advance=((-0.5, -0.25), (-0.5, 0.0)))
    chars = set("中。「」—")
    for face in FACES:
        made = subset_font(face, chars, drawn_as={"—": "─"}, pairs=pairs)
        font = TTFont(io.BytesIO(made.data))
        found = kerning(font, "中。「」—")
        assert found["。「"] == found["「「"] == found["—「"] == -500
        assert found["。」"] == found["—」"] == -250
        assert found["「」"] == found["中「"] == found["。中"] == found["」「"] == 0
        expected = _font_subset._face(face).write_with_fonttools(sorted(ord(c) for c in chars), {0x2014: 0x2500}, pairs)
        assert kerning(TTFont(io.BytesIO(expected)), "中。「」—") == found
        assert_same_font(made.data, expected)
        sanitized(made.data, tmp_path)


def test_nothing_the_face_has_gives_a_font_with_only_notdef(tmp_path):
    made = subset_font(FACES[0], {"\U0001F600"})
    assert made.missing == {"\U0001F600"}
    font = TTFont(io.BytesIO(made.data))
    assert font.getBestCmap() == {} and font["maxp"].numGlyphs == 1
    sanitized(made.data, tmp_path)


def test_a_book_using_variation_sequences_keeps_them(tmp_path):
    """The bundled faces map 、 plus VS1 to another form of the comma: a
    book that writes the sequence gets it (through fontTools)."""
    face = _font_subset._face(FACES[2])
    selector = min(face.selectors)
    made = subset_font(FACES[2], {"、", chr(selector), "文"})
    font = TTFont(io.BytesIO(made.data))
    sequences = [t for t in font["cmap"].tables if t.format == 14]
    assert sequences and ord("、") in {u for u, _ in sequences[0].uvsDict[selector]}
    sanitized(made.data, tmp_path)


# ---------------------------------------------------------------- other faces


def build_face(path: Path, codes: list[int], composite: bool = False) -> Path:
    """A small TrueType face: a box of its own size for each code point."""
    builder = FontBuilder(1000, isTTF=True)
    names = [".notdef"] + [f"u{code:X}" for code in codes]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({code: f"u{code:X}" for code in codes})
    glyphs, metrics = {}, {}
    for i, name in enumerate(names):
        pen = TTGlyphPen(None)
        width = 300 + 37 * i
        pen.moveTo((50, -100 + i))
        pen.lineTo((50, 700))
        pen.lineTo((width, 700 - i))
        pen.closePath()
        glyphs[name] = pen.glyph()
        metrics[name] = (width + 60 if i % 3 else 1000, 50)
    if composite:
        glyph = Glyph()
        glyph.numberOfContours = -1
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = names[1], 0, 0, 0x4
        glyph.components = [component]
        glyphs[names[-1]] = glyph
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Subset Test", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


def test_characters_beyond_the_bmp_get_a_full_repertoire_map(tmp_path):
    codes = [0x41, 0x42, 0x43, 0x4E00, 0x4E01, 0x20000, 0x20001, 0x2A6D6]
    face = build_face(tmp_path / "astral.ttf", codes)
    chars = {chr(c) for c in codes[1:]} | {"\u4E02"}
    made = subset_font(face, chars)
    assert _font_subset._face(face).direct
    assert made.missing == {"\u4E02"}
    font = TTFont(io.BytesIO(made.data))
    maps = {(t.platformID, t.platEncID): t for t in font["cmap"].tables}
    assert set(maps) == {(3, 1), (3, 10)}
    assert set(maps[(3, 10)].cmap) == {c for c in codes[1:]}
    assert set(maps[(3, 1)].cmap) == {c for c in codes[1:] if c <= 0xFFFF}
    assert_same_font(made.data, reference(face, chars))
    sanitized(made.data, tmp_path)


def test_a_face_with_composite_glyphs_goes_to_fonttools(tmp_path):
    codes = [0x41, 0x42, 0x43]
    face = build_face(tmp_path / "composite.ttf", codes, composite=True)
    assert not _font_subset._face(face).direct
    made = subset_font(face, {"C"})
    font = TTFont(io.BytesIO(made.data))
    assert set(font.getBestCmap()) == {0x43}
    assert font["glyf"][font.getBestCmap()[0x43]].isComposite()  # its component came along
    assert font["maxp"].numGlyphs == 3
    sanitized(made.data, tmp_path)


def test_same_characters_give_the_same_bytes_in_any_order():
    chars = book_chars(SEED)
    first = subset_font(FACES[0], chars).data
    assert subset_font(FACES[0], set(sorted(chars, reverse=True))).data == first


def test_thousands_of_scattered_characters_fit_the_character_maps(tmp_path):
    """A big bundle can set more scattered characters than a format 4 map
    holds; the format 12 map then has every one of them."""
    face = _font_subset._face(FACES[0])
    chars = {chr(u) for u in sorted(u for u in face.glyph_of if u <= 0xFFFF)[::2][:9000]}
    made = subset_font(FACES[0], chars)
    font = TTFont(io.BytesIO(made.data))
    maps = {(t.platformID, t.platEncID): t for t in font["cmap"].tables}
    assert set(maps) == {(3, 1), (3, 10)}
    assert {chr(u) for u in maps[(3, 10)].cmap} == chars
    assert set(maps[(3, 1)].cmap) <= set(maps[(3, 10)].cmap)
    assert font.getBestCmap() == maps[(3, 10)].cmap
    sanitized(made.data, tmp_path)


# ------------------------------------------------------------ the index kept between runs

def test_a_face_index_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    from convert import _cache
    from convert.writers._fonts import file_version

    monkeypatch.setenv(_cache.ENV, str(tmp_path))
    real, stamp = file_version(font_path("tw"))
    built = _font_subset._Face(real, stamp)
    assert len(list(tmp_path.iterdir())) == 1
    read = _font_subset._Face(real, stamp)
    for attribute in ("tables", "glyph_of", "selectors", "direct", "halt", "units_per_em", "long_metrics",
                      "name", "loca", "hmtx"):
        assert getattr(read, attribute) == getattr(built, attribute), attribute
    assert list(read.glyph_of) == list(built.glyph_of)
    assert bytes(read.glyf) == bytes(built.glyf)
    chars = set("中文字體，。「」——測試")
    assert read.write(sorted(ord(c) for c in chars)) == built.write(sorted(ord(c) for c in chars))


def test_a_face_index_entry_that_does_not_fit_the_face_is_built_again(tmp_path, monkeypatch):
    from convert import _cache
    from convert.writers._fonts import face_file_key, file_version, font_data

    monkeypatch.setenv(_cache.ENV, str(tmp_path))
    real, stamp = file_version(font_path("cn"))
    key = face_file_key(real, stamp, font_data(real))
    good = _font_subset._Face(real, stamp)
    index = _cache.load(_font_subset._INDEX_CACHE, key, real)
    for wrong in ({}, {**index, "tables": {"glyf": (len(good.raw), 10)}}, {**index, "glyphs": b"\0" * 8},
                  {**index, "loca": None}, {**index, "halt": [1, 2]}, {**index, "layout": 1}):
        _cache.store(_font_subset._INDEX_CACHE, key, wrong, real)
        face = _font_subset._Face(real, stamp)
        assert face.glyph_of == good.glyph_of and face.tables == good.tables
        assert _cache.load(_font_subset._INDEX_CACHE, key, real) == index
    assert len(list(tmp_path.iterdir())) == 1  # one entry a face


def test_a_subset_from_a_kept_index_is_cut_without_fonttools(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from convert.writers._font_subset import subset_font\n"
        "from convert.writers._fonts import font_path\n"
        "subset = subset_font(str(font_path('cn')), set('中文字，。'))\n"
        "assert subset.data.startswith(b'\\0\\1\\0\\0') and not subset.missing\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'fontTools'))\n"
    )
    env = {**__import__("os").environ, "DOCCONV_CACHE_DIR": str(tmp_path)}
    run = [sys.executable, "-c", script]
    subprocess.run(run, check=True, capture_output=True, env=env)  # builds the index with fontTools
    assert subprocess.run(run, check=True, capture_output=True, env=env, text=True).stdout == "[]\n"
