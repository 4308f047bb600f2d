"""The bundled CJK fonts and the module that finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.writers import _fonts

FONTS_DIR = Path(__file__).resolve().parents[1] / "fonts"
SIZE_LIMIT = 60 * 1000 * 1000
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


def test_traditional_faces_cover_hong_kong_characters():
    hkscs = double_byte_charset("big5hkscs") - double_byte_charset("big5")
    ideographs = {c for c in hkscs if len(c) == 1 and (0x3400 <= ord(c) <= 0x9FFF or ord(c) >= 0x20000)}
    cmap = _fonts.covered_codepoints(_fonts.font_path("hk"))
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
    assert _fonts.REGION_FONTS["tw"].regular_file == _fonts.REGION_FONTS["hk"].regular_file
    assert _fonts.REGION_FONTS["cn"].regular_file != _fonts.REGION_FONTS["tw"].regular_file
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
