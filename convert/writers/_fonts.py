"""Where the bundled CJK fonts are, which one a language needs, and where to
look on this system for a character none of them has.

The bundled faces (``fonts/`` in the repository, ``convert/fonts/`` in a
wheel) are subsets of Noto Serif CJK with TrueType outlines; fonts/README.md
says what they cover and how they are built.  Only the standard library is
imported here: fontTools is imported by the one function that reads a font.
"""

from __future__ import annotations

import functools
import io
import mmap
import os
import subprocess
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .._cache import pack_numbers, unpack_numbers


@dataclass(frozen=True)
class RegionFonts:
    region: str
    family: str
    regular_file: str
    bold_file: str
    # Families a word processor should try when the bundled one is not
    # installed: the usual Song/Ming faces of Windows and macOS first.
    fallbacks: tuple[str, ...]


_SC = ("NotoSerifCJKsc-Regular.ttf", "NotoSerifCJKsc-Bold.ttf")
_TC = ("NotoSerifCJKtc-Regular.ttf", "NotoSerifCJKtc-Bold.ttf")
_HK = ("NotoSerifCJKhk-Regular.ttf", "NotoSerifCJKhk-Bold.ttf")

REGION_FONTS: dict[str, RegionFonts] = {
    "cn": RegionFonts(
        "cn", "Noto Serif CJK SC", *_SC,
        ("SimSun", "宋体", "NSimSun", "Songti SC", "STSong", "Source Han Serif SC", "Noto Serif SC"),
    ),
    "tw": RegionFonts(
        "tw", "Noto Serif CJK TC", *_TC,
        ("PMingLiU", "新細明體", "MingLiU", "Songti TC", "LiSong Pro", "Source Han Serif TC", "Noto Serif TC"),
    ),
    # Hong Kong's own face: its standard draws some 2,400 characters
    # otherwise than Taiwan's (肖 會 貧 龍 總).  MingLiU_HKSCS comes first
    # of the fall-backs because it has the HKSCS characters PMingLiU lacks.
    "hk": RegionFonts(
        "hk", "Noto Serif CJK HK", *_HK,
        ("MingLiU_HKSCS", "Source Han Serif HC", "Noto Serif HK", "PMingLiU", "新細明體", "Songti TC"),
    ),
}

def _has_all_fonts(directory: Path) -> bool:
    return all(
        (directory / name).is_file()
        for spec in REGION_FONTS.values()
        for name in (spec.regular_file, spec.bold_file)
    )


@functools.cache
def font_dir() -> Path:
    """The directory holding the bundled fonts."""
    installed = Path(__file__).parent.parent / "fonts"  # where the wheel puts them
    checkout = Path(__file__).resolve().parents[2] / "fonts"  # a source checkout
    for candidate in (installed, checkout):
        if _has_all_fonts(candidate):
            return candidate
    raise FileNotFoundError(
        f"the bundled CJK fonts are missing: looked in {installed} and {checkout}; "
        "rebuild them with fonts/build_fonts.py or reinstall docconv"
    )


def font_path(region: str, bold: bool = False) -> Path:
    spec = REGION_FONTS[region]
    return font_dir() / (spec.bold_file if bold else spec.regular_file)


@functools.cache
def covered_codepoints(path: Path) -> frozenset[int]:
    """The code points the font at ``path`` (first face of a collection) maps."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


# Only .ttf/.ttc with glyf outlines: reportlab can embed nothing else, and
# colour-bitmap fonts (outline=False) report themselves as TrueType too.
_FC_PATTERN = ":charset={:x}:fontformat=TrueType:outline=True"
_FC_REGULAR_WEIGHT = 80


def _fc_number(value: str, default: int) -> int:
    # Variable fonts report a range such as "[0 210]"; any number in it will do.
    digits = value.strip("[] ").split(" ")[0]
    return int(float(digits)) if digits.replace(".", "", 1).isdigit() else default


@functools.lru_cache(maxsize=4096)
def system_font_for(char: str) -> Path | None:
    """A system font that has ``char``, found with fontconfig, or None.

    Only the first face of a file counts (that is what a bare path names).
    The choice is deterministic and prefers what suits body text: an upright
    face of regular weight, then .ttf before .ttc, then the path.
    """
    if len(char) != 1:
        raise ValueError(f"system_font_for expects one character, got {char!r}")
    try:
        listing = subprocess.run(
            ["fc-list", _FC_PATTERN.format(ord(char)), "-f", "%{file}\t%{index}\t%{weight}\t%{slant}\n"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None  # no fontconfig here, or it failed: no fallback, not an error

    ranked = []
    for line in listing.splitlines():
        file, index, weight, slant = (line.split("\t") + ["", "", ""])[:4]
        path = Path(file)
        if index.strip() == "0" and path.suffix.lower() in (".ttf", ".ttc") and path.is_file():
            style = (_fc_number(slant, 0) != 0, abs(_fc_number(weight, _FC_REGULAR_WEIGHT) - _FC_REGULAR_WEIGHT))
            ranked.append((style, path.suffix.lower() != ".ttf", str(path), path))
    return min(ranked)[-1] if ranked else None


# ------------------------------------------------------------ font file bytes

def file_version(path: str | os.PathLike) -> tuple[str, tuple[int, int]]:
    """(real path, (size, modification time)): what a per-process cache of
    something read from a file is keyed and checked by, so that a file
    rewritten since is read again."""
    real = os.path.realpath(path)
    stat = os.stat(real)
    return real, (stat.st_size, stat.st_mtime_ns)


_DATA: dict[str, tuple[tuple[int, int], bytes | mmap.mmap]] = {}
_DATA_LOCK = threading.Lock()


def font_data(path: str | os.PathLike) -> bytes | mmap.mmap:
    """The content of a font file, mapped once per process: the PDF and the
    EPUB writer each keep the faces they use, and a worker that writes both
    maps each file once.  Mapped, not read: a run touches a few hundred of
    a CJK face's 30,000 glyphs, and reading the 14 MB file would take longer
    than all it does with them.  The map is read-only and slices to bytes
    like the file's content.  A file rewritten since (a rebuilt font) is
    read again."""
    real, stamp = file_version(path)
    with _DATA_LOCK:
        cached = _DATA.get(real)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    with open(real, "rb") as f:
        try:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # an empty file, or one that cannot be mapped
            data = f.read()
    with _DATA_LOCK:
        _DATA[real] = (stamp, data)
    return data


class NamedBytes(io.BytesIO):
    """Bytes to hand to a reader that wants a file: reading it all at once
    gives the shared object itself, not a copy; ``name`` is for messages."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name


def face_file_key(path: str, stamp: tuple[int, int], raw: bytes) -> tuple:
    """A face's file as the per-user cache knows it (what the subsetters
    keep of it is keyed by this): where it is, its size and time, a digest
    of its head (the table directory with each table's checksum), with the
    fontTools that reads it."""
    from .. import _cache

    return (_fonttools_file(), path, *stamp, _cache.digest(raw[:4096]))


@functools.cache
def _fonttools_file() -> tuple | None:
    """fontTools as the cache knows it (found, not imported: the direct
    subsetter does not use fontTools, and importing it for its version would
    cost a run more than all the rest of the key)."""
    from .._cache import package_stamp

    return package_stamp("fontTools")


# ------------------------------------------------------------ a face's tables kept between runs

# A face's numbers (characters, glyphs, places in a 16 MB file, widths)
# all fit in 32 bits: packed so, a cache entry is half the bytes to read
# (and to find memory for) that ``_cache.pack_numbers``' 64 make it.
_FACE_NUMBER_TYPE = "i" if array("i").itemsize == 4 else "l"
FACE_NUMBER_SIZE = array(_FACE_NUMBER_TYPE).itemsize


def pack_face_numbers(values) -> bytes | None:
    return pack_numbers(values, _FACE_NUMBER_TYPE)


def unpack_face_numbers(data: bytes) -> array:
    return unpack_numbers(data, _FACE_NUMBER_TYPE)


# Lookups a NumberMap answers before it hands over a dict: making one of a
# CJK face's 30,000 characters costs about as much as this many bisections.
_DICT_AFTER = 8192


class NumberMap(Mapping):
    """Whole numbers by whole number, over two arrays of them as the
    per-user cache keeps a face's tables (the keys ascending, each value at
    its key's place): a run looks up a few hundred of a CJK face's 30,000
    characters, and a lookup here bisects the keys, where making a dict of
    them all would cost every run some 3 ms a table.

    A long document or a batch looks up many more: after ``_DICT_AFTER``
    lookups, ``settle`` (if given) is handed a dict of the whole map, to put
    in its place."""

    __slots__ = ("_keys", "_values", "_left", "_settle")

    def __init__(self, keys: array, values: array, settle: Callable[[dict[int, int]], None] | None = None):
        if len(keys) != len(values):
            raise ValueError("a number map needs a value for each key")
        self._keys, self._values = keys, values
        self._left, self._settle = _DICT_AFTER, settle

    def _place(self, key) -> int:
        """The index of ``key`` in the arrays, -1 when it is not there."""
        if self._settle is not None:
            self._left -= 1
            if self._left <= 0:
                settle, self._settle = self._settle, None
                settle(self.as_dict())
        keys = self._keys
        try:
            at = bisect_left(keys, key)
        except TypeError:  # not a number: in no map of numbers
            return -1
        return at if at < len(keys) and keys[at] == key else -1

    def __getitem__(self, key) -> int:
        at = self._place(key)
        if at < 0:
            raise KeyError(key)
        return self._values[at]

    def __contains__(self, key) -> bool:
        return self._place(key) >= 0

    def get(self, key, default=None):
        at = self._place(key)
        return default if at < 0 else self._values[at]

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def items(self):
        return self.as_dict().items()

    def as_dict(self) -> dict[int, int]:
        return dict(zip(self._keys, self._values, strict=True))
