"""Random and mutated input through the reader and every writer: no crash,
and every zip-based output (DOCX, EPUB) is made of well-formed XML."""

from __future__ import annotations

import io
import zipfile
from xml.dom import minidom

import pytest
from _corpus import SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convert
from convert import registry
from convert.readers.news import read_news

SEED_TEXT = SEED.read_text("utf-8")
# Characters that scraped pages really contain, plus hostile ones.
ALPHABET = st.one_of(
    st.sampled_from(list("新聞稿报道，。、；：？！“”‘’「」（）()《》——…·0123456789abc >:：\n\n\u3000\u00a0\t")),
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF),
)


@st.composite
def mutated_seed(draw) -> str:
    text = SEED_TEXT
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        end = min(len(text), at + draw(st.integers(0, 200)))
        text = text[:at] + draw(st.text(ALPHABET, max_size=30)) + text[end:]
    return text


def _check_output(name: str, data: bytes) -> None:
    if name in ("docx", "epub"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for entry in z.namelist():
                if entry.endswith((".xml", ".xhtml", ".opf", ".ncx", ".rels")):
                    minidom.parseString(z.read(entry))  # raises on malformed XML
    elif name == "json":
        assert convert.from_json(data.decode("utf-8")) is not None
    elif name == "txt":
        data.decode("utf-8")


def _all_writers(text: str, names: list[str]) -> None:
    doc = read_news(text, path="fuzz.txt")
    for name in names:
        for script in (None, "hans"):
            out = io.BytesIO()
            convert.write(doc, out, to=name, script=script)
            _check_output(name, out.getvalue())


FAST = [n for n in registry.writer_names() if n in ("txt", "json", "docx")]
SLOW = [n for n in registry.writer_names() if n not in FAST]


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@fuzz(25)
@given(st.text(ALPHABET, max_size=400))
def test_random_text_through_fast_writers(text):
    if not text.strip():
        return
    _all_writers(text, FAST)


@fuzz(20)
@given(mutated_seed())
def test_mutated_seed_through_fast_writers(text):
    _all_writers(text, FAST)


@pytest.mark.skipif(not SLOW, reason="no other writers registered")
@fuzz(5)
@given(mutated_seed())
def test_mutated_seed_through_every_other_writer(text):
    _all_writers(text, SLOW)
