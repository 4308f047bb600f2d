from __future__ import annotations

import importlib
import io
import re
import unicodedata
import zipfile

import pytest
from _corpus import table_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from convert.api import prepare
from convert.errors import UsageError
from convert.model import Document, Emph, Meta, Para, Str, Strong, paragraph_texts
from convert.transforms import TransformOptions, apply_transforms
from convert.transforms.quotes import convert_quotes, convert_quotes_text, quote_style
from convert.writers.common import rendered_lines


def body(*paragraphs: str, style: str, script: str = "hant") -> list[str]:
    doc = Document(Meta(title="標題", script=script), tuple(Para((Str(p),)) for p in paragraphs))
    return paragraph_texts(convert_quotes(doc, style))


@pytest.mark.parametrize("text,options,expected", [
    pytest.param(text, options, expected, id=where) for text, options, expected, where in table_cases("quotes.tsv")])
def test_cases(text, options, expected):
    """Each case's paragraphs (a \\n between them in the file) as one body."""
    options = dict(options)
    style, script = options.pop("quotes"), options.pop("script", "hant")
    assert not options, f"unknown options {options}"
    assert body(*text.split("\n"), style=style, script=script) == expected.split("\n")


def test_quotations_cross_inline_nodes():
    doc = Document(Meta(title="標題", script="hans"), (
        Para((Str("他说"), Strong((Str("“重要‘词’"),)), Emph((Str("”"),)), Str("。"))),))
    para = convert_quotes(doc, "taiwan").blocks[0]
    assert para == Para((Str("他说"), Strong((Str("「重要『词』"),)), Emph((Str("」"),)), Str("。")))


def test_metadata_fields_stand_alone():
    doc = Document(Meta(title="“四個意識”", source="“新疆", byline="日報”"), (Para((Str("‘甲’"),)),))
    out = convert_quotes(doc, "taiwan")
    assert out.meta.title == "「四個意識」"
    assert (out.meta.source, out.meta.byline) == ("「新疆", "日報」")
    assert paragraph_texts(out) == ["「甲」"]


def test_styles():
    hans = Document(Meta(title="标题", script="hans"))
    hant = Document(Meta(title="標題", script="hant"))
    assert quote_style(hans, "auto") == "mainland" and quote_style(hant, "auto") == "taiwan"
    assert quote_style(hans, "taiwan") == "taiwan" and quote_style(hant, "keep") is None
    assert convert_quotes_text("“四個意識”", "taiwan") == "「四個意識」"
    with pytest.raises(UsageError):
        TransformOptions(quotes="british")


def test_keep_changes_nothing():
    doc = Document(Meta(title="“標題”", script="hant"), (Para((Str('他說"好"。“甲”'),)),))
    assert convert_quotes(doc, "keep") == doc


def test_seed_quotes_follow_the_target_script(seed_doc):
    def text(**options) -> str:
        return "".join(line.text for line in rendered_lines(apply_transforms(seed_doc, TransformOptions(**options))))

    tw, hans, kept = text(script="tw"), text(script="hans"), text(script="tw", quotes="keep")
    assert "「四個意識」" in tw and not set("“”‘’") & set(tw)
    assert "“四个意识”" in hans and not set("「」『』") & set(hans)
    assert "“四個意識”" in kept
    assert text(quotes="mainland").count("“") == tw.count("「")


# ---------------------------------------------------------------- every format

HAN_ASCII = re.compile(r"[\u3400-\u9fff][,:][\u3400-\u9fff]")


def _extract(fmt: str, data: bytes) -> str:
    if fmt == "txt":
        return data.decode("utf-8")
    if fmt == "docx":
        import docx

        d = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in d.paragraphs)
    if fmt == "pdf":
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        pages = [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.endswith((".xhtml", ".html"))]
    return re.sub(r"<[^>]+>", "", "\n".join(pages))


def _skip_without_fonts() -> None:
    from convert.writers._fonts import font_path

    try:
        for region in ("cn", "tw"):
            font_path(region), font_path(region, bold=True)
    except FileNotFoundError as exc:  # the bundled fonts are built separately
        pytest.skip(f"bundled fonts not built: {exc}")


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "epub"])
@pytest.mark.parametrize("script", [None, "tw", "hans"])
def test_every_format_shows_the_transformed_text(seed_doc, fmt, script):
    # The writer classes directly: the entry points are declared by the
    # package metadata, which may not list every writer yet.
    module = importlib.import_module(f"convert.writers.{fmt}")
    writer = getattr(module, f"{fmt.capitalize()}Writer")()
    if fmt in ("pdf", "epub"):
        _skip_without_fonts()
    out = io.BytesIO()
    writer.write(prepare(seed_doc, script), out, writer.Options())
    text = _extract(fmt, out.getvalue())
    flat = re.sub(r"\s+", "", text)
    assert "脫貧攻堅" in flat or "脱贫攻坚" in flat  # the body really is there
    assert not HAN_ASCII.search(flat)
    assert "﹔" not in flat
    if script == "hans":
        assert "“四个意识”" in flat and "「" not in flat
    else:
        assert "「四個意識」" in flat and "“" not in flat


# ---------------------------------------------------------------- properties

HAN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=3)
QUOTE = st.sampled_from(list("“”‘’「」『』\"＂'"))
LATIN = st.from_regex(r"[A-Za-z]{1,5}", fullmatch=True)
OTHER = st.sampled_from(list("，。：、 ,.!?") + ["\n"])
URL = st.from_regex(r"https?://[a-z]{2,6}\.(com|cn)(/[a-z0-9_]{1,6}){0,2}", fullmatch=True)
NUMBER = st.from_regex(r"[0-9]{1,3}(,[0-9]{3})?(\.[0-9])?|[0-9]{1,2}:[0-9]{2}", fullmatch=True)
PARAGRAPH = st.lists(st.one_of(HAN, QUOTE, QUOTE, LATIN, OTHER), min_size=1, max_size=14).map("".join)


def han_count(text: str) -> int:
    return sum(1 for c in text if unicodedata.name(c, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEO")))


def doc_of(paragraphs: list[str], cut: int) -> Document:
    def split(t: str) -> tuple:
        return (Str(t[:cut]), Strong((Str(t[cut:cut + 3]),)), Str(t[cut + 3:]))

    return Document(Meta(title=paragraphs[0], script="hans"), tuple(Para(split(p)) for p in paragraphs))


@settings(max_examples=400, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=5), st.integers(0, 4), st.sampled_from(["mainland", "taiwan"]))
def test_idempotent_and_only_quote_marks_change(paragraphs, cut, style):
    doc = doc_of(paragraphs, cut)
    once = convert_quotes(doc, style)
    assert convert_quotes(once, style) == once
    for before, after in zip(paragraph_texts(doc), paragraph_texts(once), strict=True):
        assert len(before) == len(after) and han_count(before) == han_count(after)
        assert all(a == b or (a in "“”‘’「」『』\"＂" and b in "“”‘’「」『』") for a, b in zip(before, after, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=5), st.integers(0, 4))
def test_the_target_style_does_not_depend_on_the_source_style(paragraphs, cut):
    doc = doc_of(paragraphs, cut)
    direct = convert_quotes(doc, "taiwan")
    assert convert_quotes(convert_quotes(doc, "mainland"), "taiwan") == direct


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(HAN, st.one_of(URL, NUMBER, LATIN), QUOTE), min_size=1, max_size=6))
def test_urls_numbers_and_latin_words_are_untouched(parts):
    text = "".join(h + k + q for h, k, q in parts)
    for style in ("mainland", "taiwan"):
        out = convert_quotes_text(text, style)
        for _, kept, _ in parts:
            assert kept in out
