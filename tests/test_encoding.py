from __future__ import annotations

import codecs

import pytest
from _corpus import corpus_cases

from convert.errors import InputError
from convert.readers.encoding import _big5_frequent, _common_share, _gb2312_level1, decode

SAMPLE_HANS = "国家发展改革委发出通知，决定将汽、柴油价格每吨均提高50元。"
SAMPLE_HANT = "台北市政府今天公布星級商圈分級認證，美食聖地獲得最高殊榮。"


@pytest.mark.parametrize("path,expected", corpus_cases(), ids=lambda v: getattr(v, "stem", ""))
def test_corpus_encodings_are_detected(path, expected):
    text, used = decode(path.read_bytes())
    assert used == expected["encoding"]
    assert text == path.read_bytes().decode(expected["encoding"]).lstrip("\ufeff")


@pytest.mark.parametrize("text,codec", [(SAMPLE_HANS, "gb18030"), (SAMPLE_HANT, "big5"),
                                        (SAMPLE_HANT, "utf-16"), (SAMPLE_HANS, "utf-8-sig")])
def test_encodings_round_trip(text, codec):
    data = text.encode(codec)
    assert decode(data) == (text, codec if codec != "utf-16" else "utf-16")


def test_wrong_guess_has_a_low_share_of_common_characters():
    # The measurement the detector rests on: Big5 bytes read as GB18030 give
    # mostly rare characters, and the reverse.
    big5_bytes = SAMPLE_HANT.encode("big5")
    assert _common_share(big5_bytes.decode("big5"), _big5_frequent()) > 0.9
    assert _common_share(big5_bytes.decode("gb18030", "replace"), _gb2312_level1()) < 0.6


def test_override_and_undecodable_bytes():
    assert decode(SAMPLE_HANT.encode("big5"), "big5")[0] == SAMPLE_HANT
    with pytest.raises(InputError, match="offset"):
        decode(b"\xff\xfe\xfd\x81\x30" * 3 + b"\x80", "utf-8", path="bad.txt")


def test_binary_input_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode(b"PK\x03\x04\x00\x00\x00binary", path="x.zip")


def test_bom_is_dropped():
    assert decode(codecs.BOM_UTF8 + "標題".encode())[0] == "標題"
