"""The bundled CJK fonts and the module that finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.writers import _fonts

FONTS_DIR = Path(__file__).resolve().parents[1] / "fonts"
# Six faces (SC, TC, HK, two weights each) of about 14.7 MB; fonts/README.md.
SIZE_LIMIT = 90 * 1000 * 1000
# Noto Serif CJK 2.001 stops at U+9FEA (Unicode 10); U+9FEB-9FFF came later.
UPSTREAM_URO_END = 0x9FEA


def double_byte_charset(codec: str) -> set[str]:
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                chars.update(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def bundled_files() -> list[str]:
    return sorted({
        name for spec in _fonts.REGION_FONTS.values() for name in (spec.regular_file, spec.bold_file)
    })


def regular_paths() -> list[Path]:
    return sorted({_fonts.font_path(region) for region in _fonts.REGION_FONTS})


@pytest.mark.parametrize("name", bundled_files())
def test_bundled_file_is_truetype(name):
    from fontTools.ttLib import TTFont

    path = _fonts.font_dir() / name
    assert path.is_file()
    with TTFont(path, lazy=True) as font:
        assert font.sfntVersion == "\x00\x01\x00\x00"
        assert "glyf" in font and "loca" in font
        assert "CFF " not in font and "CFF2" not in font
        assert font["maxp"].tableVersion == 0x00010000
        assert font["OS/2"].fsType & 0x0002 == 0  # not restricted: PDFs and EPUBs may embed it


@pytest.mark.parametrize("name", bundled_files())
def test_bundled_file_keeps_vertical_layout_and_drops_locl(name):
    from fontTools.ttLib import TTFont

    with TTFont(_fonts.font_dir() / name, lazy=True) as font:
        features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
        assert {"vert", "vrt2"} <= features
        assert "locl" not in features  # it would map to other regions' glyphs
        assert "vmtx" in font and "VORG" not in font
        assert any(table.format == 14 for table in font["cmap"].tables)


@pytest.mark.parametrize("region", sorted(_fonts.REGION_FONTS))
def test_family_names_match_region_table(region):
    from fontTools.ttLib import TTFont

    spec = _fonts.REGION_FONTS[region]
    for bold in (False, True):
        with TTFont(_fonts.font_path(region, bold=bold), lazy=True) as font:
            assert font["name"].getDebugName(1) == spec.family
            assert font["name"].getDebugName(2) == ("Bold" if bold else "Regular")


@pytest.mark.parametrize(
    "label, chars",
    [
        ("GB 2312", double_byte_charset("gb2312")),
        ("Big5", double_byte_charset("big5")),
        ("U+4E00-9FEA", {chr(c) for c in range(0x4E00, UPSTREAM_URO_END + 1)}),
        ("punctuation", set("，。、；：？！“”‘’（）《》〈〉【】「」『』…—·・～℃№①⑳→←↑↓×÷±≤≥≠≈≒")),
    ],
)
def test_regular_faces_cover(label, chars):
    for path in regular_paths():
        missing = {c for c in chars if ord(c) not in _fonts.covered_codepoints(path)}
        assert not missing, f"{path.name} lacks {len(missing)} {label} characters: {''.join(sorted(missing)[:40])}"


def test_ideograph_blocks_lack_only_what_upstream_lacks():
    for path in regular_paths():
        cmap = _fonts.covered_codepoints(path)
        missing = {c for c in range(0x4E00, 0xA000) if c not in cmap}
        assert missing == set(range(UPSTREAM_URO_END + 1, 0xA000)), path.name
        # Extension A: upstream lacks only U+4DB6-4DBF (added in Unicode 13).
        assert {c for c in range(0x3400, 0x4DC0) if c not in cmap} == set(range(0x4DB6, 0x4DC0)), path.name


@pytest.mark.parametrize("region", ["tw", "hk"])
def test_traditional_faces_cover_hong_kong_characters(region):
    hkscs = double_byte_charset("big5hkscs") - double_byte_charset("big5")
    ideographs = {c for c in hkscs if len(c) == 1 and (0x3400 <= ord(c) <= 0x9FFF or ord(c) >= 0x20000)}
    cmap = _fonts.covered_codepoints(_fonts.font_path(region))
    missing = {c for c in ideographs if ord(c) not in cmap}
    assert not missing, "".join(sorted(missing)[:40])
    assert 0x282E2 in cmap  # 𨋢, "lift", common in Hong Kong news


def test_faces_draw_region_specific_shapes():
    from fontTools.ttLib import TTFont

    def outline(region: str, char: str):
        with TTFont(_fonts.font_path(region), lazy=True) as font:
            glyph = font["glyf"][font.getBestCmap()[ord(char)]]
            return list(glyph.getCoordinates(font["glyf"])[0])

    # 骨 is drawn differently in mainland and Taiwan standards.
    assert outline("cn", "骨") != outline("tw", "骨")
    # Hong Kong's standard differs from Taiwan's in these (the seed has 76 such).
    for char in "肖會貧龍總":
        assert outline("hk", char) != outline("tw", char), char
    assert outline("hk", "國") == outline("tw", "國")  # and agrees with it in most


def hong_kong_forms() -> set[str]:
    """Characters the HK face draws otherwise than the TC face, by outline."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTFont

    drawn = {}
    for region in ("tw", "hk"):
        with TTFont(_fonts.font_path(region), lazy=True) as font:
            glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
            outlines = {}
            for char in SEED_HK_CHARS:
                pen = RecordingPen()
                glyphs[cmap[ord(char)]].draw(pen)
                outlines[char] = pen.value
            drawn[region] = outlines
    return {c for c in SEED_HK_CHARS if drawn["tw"][c] != drawn["hk"][c]}


# The distinct characters of the seed, converted to Hong Kong forms, whose
# HK glyph differs from the Taiwan one (measured when the HK face was added).
SEED_HK_CHARS = ("七保優充兜八公凡分前勢化增央察尼層崇康廣得復徹情愛態房持數新於時書會有架業榮標次濟片特省真督等精級"
                 "統編縣總繡聽肖肩肯育能脱致花藥親調貧資贏造邊際集靠體龍")


def test_hong_kong_face_differs_from_taiwan_on_the_seeds_characters():
    assert len(SEED_HK_CHARS) == 76
    assert hong_kong_forms() == set(SEED_HK_CHARS)


def test_fonts_directory_is_under_size_limit():
    total = sum(p.stat().st_size for p in FONTS_DIR.rglob("*") if p.is_file())
    assert total < SIZE_LIMIT, f"fonts/ is {total:,} bytes"


def test_licence_and_readme_ship_with_fonts():
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    readme = (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    for name in bundled_files():
        assert name in readme


def test_region_table_is_consistent():
    for region, spec in _fonts.REGION_FONTS.items():
        assert spec.region == region
        assert spec.fallbacks and spec.family not in spec.fallbacks
    files = [spec.regular_file for spec in _fonts.REGION_FONTS.values()]
    assert len(set(files)) == len(files)  # a face of its own for each region
    with pytest.raises(KeyError):
        _fonts.font_path("jp")


def test_font_dir_reports_missing_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(_fonts, "__file__", str(tmp_path / "pkg" / "writers" / "_fonts.py"))
    _fonts.font_dir.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="bundled CJK fonts"):
            _fonts.font_dir()
    finally:
        monkeypatch.undo()
        _fonts.font_dir.cache_clear()


@pytest.mark.parametrize("char", ["𠀀", "𨋢", "\U0001F600", "\U000E01EF"])
def test_system_font_for_astral_character(char):
    found = _fonts.system_font_for(char)
    assert found is None or (found.is_file() and found.suffix.lower() in (".ttf", ".ttc"))
    if found is not None:
        from fontTools.ttLib import TTFont

        with TTFont(found, fontNumber=0, lazy=True) as font:
            assert "glyf" in font and ord(char) in font.getBestCmap()


def test_font_data_is_the_files_content_once_per_version_of_the_file(tmp_path):
    import os

    path = tmp_path / "face.ttf"
    path.write_bytes(b"\0\1\0\0" + bytes(range(256)) * 64)
    data = _fonts.font_data(path)
    assert data[:] == path.read_bytes() and len(data) == path.stat().st_size
    assert _fonts.font_data(path) is data
    replacement = tmp_path / "new.ttf"
    replacement.write_bytes(b"true" + bytes(16))
    os.replace(replacement, path)  # a rebuilt font, put in place as a build does
    os.utime(path, ns=(1, 1))
    assert _fonts.font_data(path)[:] == b"true" + bytes(16)
    assert data[:4] == b"\0\1\0\0"  # what a run already holds stays as it was
    empty = tmp_path / "empty.ttf"
    empty.write_bytes(b"")
    assert _fonts.font_data(empty)[:] == b""


def test_system_font_for_without_fontconfig(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    _fonts.system_font_for.cache_clear()
    try:
        assert _fonts.system_font_for("丂") is None
    finally:
        _fonts.system_font_for.cache_clear()


def test_system_font_for_rejects_strings():
    with pytest.raises(ValueError):
        _fonts.system_font_for("ab")


def embedded_glyphs(pdf: bytes, chars: str) -> dict[str, tuple[str, list]]:
    """For each of ``chars`` the PDF sets in a regular face: the embedded
    font's name and the outline of the glyph it draws, found through the
    font's ToUnicode map and the embedded TrueType subset."""
    import io
    import re

    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    found: dict[str, tuple[str, list]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "Bold" in font["/BaseFont"]:
                continue
            to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            codes = {}
            for block in re.findall(r"beginbfchar(.*?)endbfchar", to_unicode, re.S):
                for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    codes[bytes.fromhex(text).decode("utf-16-be")] = int(code, 16)
            wanted = [c for c in chars if c in codes and c not in found]
            if not wanted:
                continue
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            with TTFont(io.BytesIO(program)) as subset:
                glyf = subset["glyf"]
                for char in wanted:
                    glyph = glyf[subset["cmap"].tables[0].cmap[codes[char]]]
                    found[char] = (str(font["/BaseFont"]), list(glyph.getCoordinates(glyf)[0]))
    return found


def test_hong_kong_pdf_embeds_and_draws_the_hong_kong_face(seed_path, tmp_path):
    """The seed in -t pdf:hk is set in Noto Serif CJK HK, and its 肖 會 貧 龍 總
    are that face's glyphs, which differ from the Taiwan face's."""
    import subprocess

    from fontTools.ttLib import TTFont

    import convert

    out = tmp_path / "seed.hk.pdf"
    convert.write(convert.read(seed_path), out, to="pdf:hk")
    data = out.read_bytes()
    names = [row.split()[0] for row in subprocess.run(
        ["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]]
    assert names and all("NotoSerifCJKhk-" in name for name in names), names

    sample = "肖會貧龍總"
    drawn = embedded_glyphs(data, sample)
    assert set(drawn) == set(sample)
    outlines = {}
    for region in ("tw", "hk"):
        with TTFont(_fonts.font_path(region)) as font:
            glyf, cmap = font["glyf"], font.getBestCmap()
            outlines[region] = {c: list(glyf[cmap[ord(c)]].getCoordinates(glyf)[0]) for c in sample}
    for char, (font_name, outline) in drawn.items():
        assert "NotoSerifCJKhk-Regular" in font_name, (char, font_name)
        assert outline == outlines["hk"][char], char
        assert outline != outlines["tw"][char], char


# ------------------------------------------------------------ the PDF faces kept between runs

def test_a_pdf_face_from_the_cache_is_the_face_reportlab_parses(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFont

    from convert import _cache
    from convert.writers.pdf import fonts

    monkeypatch.setenv(_cache.ENV, str(tmp_path))
    path = _fonts.font_path("hk", bold=True)
    parsed, key = fonts._parsed_face(path, 0)  # parsed, and kept
    restored, again = fonts._parsed_face(path, 0)
    assert key == again and type(restored) is not type(parsed)  # read back, not parsed again
    theirs = vars(parsed)
    assert "glyphToChar" not in vars(restored)  # unpacked on first use
    for attribute in theirs:
        getattr(restored, attribute)
    ours = vars(restored)
    assert ours.keys() - {"_packed_tables"} == theirs.keys()
    for attribute, value in theirs.items():
        if attribute == "_pdfScale":
            assert [ours[attribute](v) for v in (0, 7, 1000, -3)] == [value(v) for v in (0, 7, 1000, -3)]
            continue
        if attribute == "_ttf_data":  # the restored face reads the mapped file
            assert ours[attribute][:] == value
            continue
        if isinstance(ours[attribute], _fonts.NumberMap):  # a character map, looked up in place
            assert type(value) is dict and ours[attribute].as_dict() == value, attribute
            assert all(ours[attribute].get(k) == v and k in ours[attribute] for k, v in value.items()), attribute
            assert -1 not in ours[attribute] and ours[attribute].get("a", 0) == 0, attribute
            continue
        if attribute == "charWidths":  # those of the default width go without saying
            default = theirs["defaultWidth"]
            assert all(ours[attribute].get(code, default) == width for code, width in value.items())
            assert default not in ours[attribute].values() and ours[attribute].keys() <= value.keys()
            continue
        if type(value) is list and type(ours[attribute]) is not list:  # numbers by glyph, read in place
            assert len(ours[attribute]) == len(value), attribute
            assert all(ours[attribute][i] == v for i, v in enumerate(value)), attribute
            continue
        assert type(ours[attribute]) is type(value) and ours[attribute] == value, attribute
        if isinstance(value, dict):
            assert list(ours[attribute]) == list(value), attribute  # in the same order
    assert restored.name.ustr == parsed.name.ustr
    made = vars(fonts._registered_font("Probe", restored))
    genuine = vars(TTFont("Probe", _fonts.NamedBytes(_fonts.font_data(path), str(path)), asciiReadable=False))
    assert made.keys() == genuine.keys()
    assert {k: v for k, v in made.items() if k not in ("face", "encoding", "state")} == \
        {k: v for k, v in genuine.items() if k not in ("face", "encoding", "state")}
    assert type(made["encoding"]) is type(genuine["encoding"]) and type(made["state"]) is type(genuine["state"])


def test_a_faces_numbers_pack_in_32_bits_and_what_does_not_fit_is_not_packed():
    packed = _fonts.pack_face_numbers([0, -5, 2**31 - 1, 0x10FFFF])
    assert len(packed) == 4 * _fonts.FACE_NUMBER_SIZE
    assert list(_fonts.unpack_face_numbers(packed)) == [0, -5, 2**31 - 1, 0x10FFFF]
    assert _fonts.pack_face_numbers([1, 2.5]) is None and _fonts.pack_face_numbers([2**31]) is None
    with pytest.raises(ValueError):
        _fonts.unpack_face_numbers(b"\0" * (_fonts.FACE_NUMBER_SIZE + 1))
    with pytest.raises(ValueError):
        _fonts.unpack_face_numbers(memoryview(packed))


def test_a_number_map_answers_as_a_dict_and_hands_one_over_when_much_used():
    from array import array

    settled = []
    numbers = _fonts.NumberMap(array("q", [3, 7, 0x282E2]), array("q", [30, 70, 5]), settled.append)
    assert numbers[7] == 70 and numbers.get(0x282E2) == 5 and numbers.get(4, -1) == -1
    assert 3 in numbers and 8 not in numbers and "3" not in numbers and None not in numbers
    with pytest.raises(KeyError):
        numbers[2]
    assert len(numbers) == 3 and list(numbers) == [3, 7, 0x282E2] and dict(numbers.items()) == numbers.as_dict()
    assert numbers == {3: 30, 7: 70, 0x282E2: 5}
    for _ in range(_fonts._DICT_AFTER):
        assert numbers.get(99) is None
    assert settled == [{3: 30, 7: 70, 0x282E2: 5}]
    assert numbers[3] == 30 and len(settled) == 1  # still answers, and hands over once
    with pytest.raises(ValueError):
        _fonts.NumberMap(array("q", [1]), array("q"))


def test_a_restored_pdf_face_looked_up_often_reads_a_dict(tmp_path, monkeypatch):
    from convert import _cache
    from convert.writers.pdf import fonts

    monkeypatch.setenv(_cache.ENV, str(tmp_path))
    path = _fonts.font_path("cn")
    parsed, _ = fonts._parsed_face(path, 0)
    restored, _ = fonts._parsed_face(path, 0)
    assert isinstance(restored.charToGlyph, _fonts.NumberMap)
    for _ in range(_fonts._DICT_AFTER):
        assert restored.charToGlyph[ord("中")] == parsed.charToGlyph[ord("中")]
    assert type(restored.charToGlyph) is dict and restored.charToGlyph == parsed.charToGlyph
    assert restored.hmetrics[5:9] == parsed.hmetrics[5:9] and restored.hmetrics[-1] == parsed.hmetrics[-1]
    assert type(restored.charWidths) is dict  # reportlab's C code reads it as one


def test_a_pdf_face_entry_that_is_not_a_face_is_parsed_again(tmp_path, monkeypatch):
    from convert import _cache
    from convert.writers.pdf import fonts

    monkeypatch.setenv(_cache.ENV, str(tmp_path))
    path = _fonts.font_path("cn")
    data = _fonts.font_data(path)
    key = fonts._face_key(path, 0, data)
    slot = (key[1], 0)
    for wrong in ({"a": 1}, ({}, {}, {}), ({}, {}, {"charToGlyph": ("dict", b"\0" * 8, b"")})):
        _cache.store(fonts._FACE_CACHE, key, wrong, slot)
        face, _ = fonts._parsed_face(path, 0)
        assert face.charToGlyph[ord("中")] and face.getCharWidth(ord("中")) == 1000
        assert _cache.load(fonts._FACE_CACHE, key, slot) != wrong  # replaced by the face's own
    assert len(list(tmp_path.iterdir())) == 1  # one entry a face
