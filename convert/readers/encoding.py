"""Decide how an input's bytes are encoded, and decode them.

Chinese news files come as UTF-8 (with or without BOM), UTF-16 with BOM,
GB18030/GBK or Big5.  UTF-8 is tried first because its structure makes a false
positive on GB or Big5 bytes practically impossible.  GB18030 and Big5 both
accept most double-byte sequences, so when both decode, the one whose text is
made of more *common* characters wins: the first level of GB 2312 (the 3,755
most frequent simplified characters) for GB18030, Big5's frequent-character
range (A440–C67E, 5,401 characters) for Big5.  A wrong decoding scatters
text over rare characters and symbols, so the share of common characters
separates the two clearly (tests/test_encoding.py measures it on the corpus).

A file that ends inside a multi-byte character (a download or a copy cut
short) is read without that last partial character, and the reader says so:
refusing it would lose all the text before it.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

from .._lazy_re import lazy
from ..errors import InputError


@lru_cache(maxsize=1)
def _gb2312_level1() -> frozenset[str]:
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


@lru_cache(maxsize=1)
def _big5_frequent() -> frozenset[str]:
    chars = set()
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            if (hi, lo) > (0xC6, 0x7E):
                break
            try:
                chars.add(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def _common_share(text: str, common: frozenset[str]) -> float:
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    return sum(1 for c in wide if c in common) / len(wide)


def common_share(text: str, codec: str) -> float:
    """The share of ``text``'s non-ASCII characters that are common ones of
    the script ``codec`` is for (GB 2312's first level for GB codecs, Big5's
    frequent range for Big5 ones), as detection compares the two."""
    return _common_share(text, _big5_frequent() if codec.startswith("big5") else _gb2312_level1())


# What Python's decoders say when the data stops inside a character.
_CUT_SHORT = frozenset(("unexpected end of data", "incomplete multibyte sequence", "truncated data"))


def _decode(data: bytes, encoding: str, notes: list[str] | None) -> str:
    """``data`` decoded; a character cut off by the end of the data is left
    out, with a note.  Raises UnicodeDecodeError for anything else."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if not (exc.reason in _CUT_SHORT and exc.end == len(data) and len(data) - exc.start < 4):
            raise
        text = data[:exc.start].decode(encoding)
        if notes is not None:
            notes.append(f"the file ends inside a character (cut short?): its last {len(data) - exc.start} "
                         f"byte(s) were left out")
        return text


def _first_bad_offset(data: bytes, encoding: str) -> int | None:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def is_private_use(c: str) -> bool:
    """Whether ``c`` is in the Private Use Area: code points no standard
    assigns, which fonts show as blanks or boxes.  Chinese news never needs
    them; bytes of one encoding decoded as another often land there (Big5
    read as GB18030 does)."""
    return "\ue000" <= c <= "\uf8ff" or "\U000f0000" <= c <= "\U000ffffd" or "\U00100000" <= c <= "\U0010fffd"


def decode(data: bytes, encoding: str | None = None, *, path: str | None = None,
           notes: list[str] | None = None, private_use: bool = True) -> tuple[str, str]:
    """Return (text, encoding name).  ``encoding`` overrides detection.

    Raises InputError naming the cause (and, where it helps, the byte offset).
    What the reader should tell the user (a character cut off at the end,
    characters in the Private Use Area) is appended to ``notes``;
    ``private_use=False`` leaves the second to the caller (an HTML page's
    text is what is shown of it, not its markup and scripts).
    """
    text, used = _decode_text(data, encoding, path, notes)
    if notes is not None and private_use and (note := private_use_note(text, used)):
        notes.append(note)
    return text, used


def private_use_note(text: str, used: str) -> str | None:
    """What to tell the user about characters of ``text`` (decoded as
    ``used``) in the Private Use Area, or None when it has none."""
    # Counted over the distinct characters: a pattern of these ranges took
    # longer to compile than a news text takes to count this way.
    private = sum(text.count(c) for c in set(text) if is_private_use(c))
    if not private:
        return None
    return (f"{private} character(s) decoded as {used} fall in the Unicode Private Use Area "
            "and will show as blanks or boxes: the file may mix encodings (GBK and Big5?); "
            "check it, or give --encoding")


def check_encoding(encoding: str) -> str | None:
    """Why ``encoding`` cannot decode a text file, or None when it can.

    Python also names bytes-to-bytes and str-to-str codecs (zlib, base64,
    hex, rot13), which ``bytes.decode`` refuses with LookupError."""
    try:
        codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        return f"unknown encoding {encoding!r}"
    try:
        b"a".decode(encoding)  # one byte: decoding nothing asks the codec nothing
    except LookupError:
        return f"{encoding!r} is not a text encoding (utf-8, gb18030, big5, utf-16le, ...)"
    except (UnicodeDecodeError, ValueError):
        pass  # a text encoding that wants more than one byte
    return None


def _decode_text(data: bytes, encoding: str | None, path: str | None,
                 notes: list[str] | None) -> tuple[str, str]:
    if encoding:
        problem = check_encoding(encoding)
        if problem:
            raise InputError(problem, path)
        try:
            text = _decode(data, encoding, notes)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding}: bad byte 0x{data[exc.start]:02x} at offset {exc.start}",
                             path) from None
        return text.lstrip("\ufeff"), encoding

    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, notes), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path, notes).lstrip("\ufeff"), "utf-16"
    if b"\x00" in data[:8192]:
        found: list[str] = []
        read_as = _utf16_without_bom(data, found)
        if read_as is None:
            raise InputError("binary file (contains NUL bytes), not text; if it is UTF-16 without a byte order "
                             "mark, give --encoding utf-16le (or utf-16be)", path)
        guessed, text = read_as
        if notes is not None:
            notes.extend(found)
            notes.append(f"read as {guessed.upper().replace('-LE', 'LE').replace('-BE', 'BE')} though it has no byte "
                         "order mark (told by where its NUL bytes fall)")
        return text, guessed

    try:
        return _decode(data, "utf-8", notes), "utf-8"
    except UnicodeDecodeError:
        pass

    decoded, cut = {}, {}
    for name in ("gb18030", "big5"):
        found: list[str] = []
        try:
            decoded[name] = _decode(data, name, found)
        except UnicodeDecodeError:
            continue
        cut[name] = found
    if not decoded:
        offset = _first_bad_offset(data, "utf-8")
        raise InputError(
            f"cannot decode as UTF-8, GB18030 or Big5 (first bad byte 0x{data[offset]:02x} at offset {offset}); "
            "give --encoding", path)
    if len(decoded) == 1:
        name = next(iter(decoded))
    else:
        gb = _common_share(decoded["gb18030"], _gb2312_level1())
        big5 = _common_share(decoded["big5"], _big5_frequent())
        name = "big5" if big5 > gb else "gb18030"
    if notes is not None:
        notes.extend(cut[name])
    return decoded[name], name


# What UTF-16 text holds besides characters: line ends and tabs.
_CONTROL = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # compiled when a file has no BOM and looks like UTF-16


def _utf16_without_bom(data: bytes, notes: list[str]) -> tuple[str, str] | None:
    """("utf-16-le" or "utf-16-be", the text) when ``data`` reads as UTF-16
    text, else None; a character cut off at the end is noted, as ``_decode`` does.

    A line end, a digit or a Latin letter puts a NUL in its high byte: at
    odd offsets in little-endian text, even ones in big-endian.  A Chinese
    character has a zero byte less often (一 is 00 4E), so one side must
    hold most of them, and the whole must decode into text with no control
    characters, which bytes of anything else do not."""
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 2 and odd >= 3 * even:
        encoding = "utf-16-le"
    elif even >= 2 and even >= 3 * odd:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = _decode(data, encoding, notes)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else (encoding, text)


def _strict(data: bytes, encoding: str, path: str | None, notes: list[str] | None) -> str:
    try:
        return _decode(data, encoding, notes)
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {encoding}: bad byte at offset {exc.start}", path) from None


def decode_name(raw: bytes) -> str:
    """A file name's bytes as readable text, for the document's metadata.

    Names from a Windows zip often come in GBK or Big5; the same detection
    as for the text reads them, and bytes nothing decodes become U+FFFD.
    The name on disk is not this text: it is for reading, not for opening.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return decode(raw)[0]
    except InputError:
        return raw.decode("utf-8", "replace")
