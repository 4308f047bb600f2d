"""The DOCX writer, checked by reading its output back: python-docx and
docx2python for text, styles and properties, the raw WordprocessingML for the
CJK attributes python-docx cannot see, and LibreOffice as an independent
reader (PDF conversion)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from _corpus import CORPUS_FILES as CORPUS
from _corpus import SEED
from docx2python import docx2python
from lxml import etree

from convert.errors import UsageError
from convert.model import (
    Attr,
    BlockQuote,
    Div,
    Document,
    Emph,
    Heading,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    Para,
    Span,
    Str,
    Strong,
    paragraph_texts,
)
from convert.writers._fonts import REGION_FONTS
from convert.writers.common import display_date, page_label, rendered_lines, running_header, timestamp
from convert.writers.docx import DocxOptions, DocxWriter

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

ROLE_STYLES = {"title": "Title", "subtitle": "Subtitle", "meta": "News Metadata", "para": "Body Text",
               "heading": "Heading 2", "item": "News Point", "byline": "News Byline",
               "editors": "News Editors"}
PROFILES = {  # language -> (region, Word's East Asian language)
    "zh-Hans-CN": ("cn", "zh-CN"),
    "zh-Hant-TW": ("tw", "zh-TW"),
    "zh-Hant-HK": ("hk", "zh-HK"),
}


def sample(language: str = "zh-Hans-CN") -> Document:
    """Every block and inline kind, in an order that tests the walk."""
    meta = Meta(
        title="国务院召开常务会议 部署稳就业", subtitle="“六稳”工作再加力", site="中国政府网", channel="要闻",
        breadcrumb="中国政府网>>要闻", published="2020-03-18T17:05+08:00", source="新华社",
        byline="记者 王明", editors=("李华", "张强"), language=language,
        script="hans" if "Hans" in language else "hant", identifier="urn:uuid:00000000-0000-5000-8000-000000000001",
    )
    blocks = (
        Para((Str("新华社北京3月18日电 国务院总理主持召开常务会议，"), Strong((Str("部署稳就业"),)),
              Str("。会议指出，“稳就业”是重中之重。"))),
        Heading(2, (Str("一、加大支持力度"),)),
        Para((Str("第一行"), LineBreak(), Str("第二行，"), Emph((Str("着重"),)),
              Span((Str("说明"),), Attr(classes=("x",))), Str("。"))),
        OrderedList((ListItem("一是", (Str("减税降费。"),), (Str("今年再减负2000亿元。"),)),
                     ListItem("二是", (), (Str("没有导语的一点。"),))), style="cjk-shi"),
        BlockQuote((Para((Str("引文段落。"),)),)),
        Div((Para((Str("容器里的段落。"),)),)),
    )
    return Document(meta, blocks)


def write(doc: Document, options: DocxOptions | None = None) -> tuple[bytes, tuple[str, ...]]:
    out = io.BytesIO()
    warnings = DocxWriter().write(doc, out, options or DocxOptions())
    return out.getvalue(), warnings


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def style_by_name(styles: etree._Element, name: str) -> etree._Element:
    """The w:style Word shows as ``name`` (Word stores "Heading 1" as "heading 1")."""
    internal = docx.styles.BabelFish.ui2internal(name)
    found = styles.xpath("w:style[w:name/@w:val=$n]", namespaces=NS, n=internal)
    assert found, f"style {name!r} is not defined"
    return found[0]


def read_news():
    try:
        from convert.readers.news import read_news_file
    except ImportError as exc:  # pragma: no cover - only while the reader is missing
        pytest.skip(f"news reader not available: {exc}")
    return read_news_file


def hans(doc: Document) -> Document:
    from convert.transforms import TransformOptions, apply_transforms

    return apply_transforms(doc, TransformOptions(script="hans"))


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_news()(SEED)


# ---------------------------------------------------------------- text


def body_texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def docx2python_texts(data: bytes) -> list[str]:
    def flatten(x):
        if isinstance(x, str):
            yield x
        else:
            for y in x:
                yield from flatten(y)

    with docx2python(io.BytesIO(data)) as content:
        return list(flatten(content.body))


@pytest.mark.parametrize("language", PROFILES)
def test_text_is_the_rendered_lines_in_order(language):
    doc = sample(language)
    data, warnings = write(doc)
    expected = [line.text for line in rendered_lines(doc)]
    assert body_texts(data) == expected
    assert docx2python_texts(data) == expected
    assert warnings == ()


@pytest.mark.parametrize("path", [SEED, *CORPUS], ids=lambda p: p.stem)
def test_real_documents_keep_their_text(path):
    doc = read_news()(path)
    for variant in (doc, hans(doc)):
        data, _ = write(variant)
        expected = [line.text for line in rendered_lines(variant)]
        assert body_texts(data) == expected
        assert docx2python_texts(data) == expected


def test_hans_output_is_simplified_chinese_for_the_mainland(seed):
    simplified = hans(seed)
    data, _ = write(simplified)
    text = "\n".join(body_texts(data))
    assert "新疆维吾尔自治区党委召开常委会议" in text and "維吾爾" not in text
    styles = part(data, "word/styles.xml")
    assert styles.xpath("string(w:docDefaults//w:lang/@w:eastAsia)", namespaces=NS) == "zh-CN"
    assert style_by_name(styles, "Normal").xpath("string(.//w:rFonts/@w:eastAsia)", namespaces=NS) \
        == "Noto Serif CJK SC"
    # The seed as read is traditional: the same document without :hans is set for Taiwan.
    original = part(write(seed)[0], "word/styles.xml")
    assert original.xpath("string(w:docDefaults//w:lang/@w:eastAsia)", namespaces=NS) == "zh-TW"


# ---------------------------------------------------------------- styles


def test_every_paragraph_has_a_named_style_and_runs_carry_no_formatting():
    doc = sample()
    data, _ = write(doc)
    word = docx.Document(io.BytesIO(data))
    roles = [line.role for line in rendered_lines(doc)]
    names = [p.style.name for p in word.paragraphs]
    # A quoted paragraph has its own style; one in a Div is plain body text.
    expected = [ROLE_STYLES[r] for r in roles]
    quote_at = [line.text for line in rendered_lines(doc)].index("引文段落。")
    expected[quote_at] = "News Quote"
    assert names == expected
    styles = part(data, "word/styles.xml")
    for name in set(names):
        style = style_by_name(styles, name)
        assert style.get(f"{{{W}}}type") == "paragraph"
    document = part(data, "word/document.xml")
    for rpr in document.iter(f"{{{W}}}rPr"):
        tags = [etree.QName(child).localname for child in rpr]
        assert set(tags) <= {"rStyle", "rFonts"}, tags
        fonts = rpr.find("w:rFonts", NS)
        assert fonts is not None and dict(fonts.attrib) == {f"{{{W}}}hint": "eastAsia"}
    for ppr in document.iter(f"{{{W}}}pPr"):
        assert [etree.QName(child).localname for child in ppr] == ["pStyle"]


def test_inline_and_point_styles():
    data, _ = write(sample())
    word = docx.Document(io.BytesIO(data))
    runs = {r.text: r for p in word.paragraphs for r in p.runs if r.text}
    assert runs["部署稳就业"].style.name == "Strong"
    assert runs["着重"].style.name == "Emphasis"
    assert runs["一是"].style.name == runs["减税降费。"].style.name == "News Point Lead"
    assert runs["今年再减负2000亿元。"].style.name == "Default Paragraph Font"
    assert runs["二是"].style.name == "News Point Lead"
    styles = part(data, "word/styles.xml")
    assert style_by_name(styles, "News Point Lead").find("w:rPr/w:b", NS) is not None
    emphasis = style_by_name(styles, "Emphasis")
    assert emphasis.find("w:rPr/w:em", NS).get(f"{{{W}}}val") == "underDot"
    assert emphasis.find("w:rPr/w:i", NS) is None


@pytest.mark.parametrize("language", PROFILES)
def test_east_asian_fonts_and_language(language):
    region, word_lang = PROFILES[language]
    family = REGION_FONTS[region].family
    data, _ = write(sample(language))
    styles = part(data, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(f"{{{W}}}eastAsia") == family
    assert defaults.find("w:lang", NS).get(f"{{{W}}}eastAsia") == word_lang
    normal = style_by_name(styles, "Normal")
    assert normal.find("w:rPr/w:rFonts", NS).get(f"{{{W}}}eastAsia") == family
    assert normal.find("w:rPr/w:lang", NS).get(f"{{{W}}}eastAsia") == word_lang
    # No theme font may override the East Asian face on anything we use.
    for name in ("Normal", *ROLE_STYLES.values(), "News Quote", "Header", "Footer", "Strong"):
        style = style_by_name(styles, name)
        assert not style.xpath(".//@w:eastAsiaTheme", namespaces=NS), name
    assert not defaults.xpath(".//@w:eastAsiaTheme", namespaces=NS)
    # Word on a machine without the face tries the region's Song/Ming faces.
    fonts = part(data, "word/fontTable.xml")
    entry = fonts.xpath("w:font[@w:name=$n]", namespaces=NS, n=family)[0]
    assert entry.find("w:altName", NS).get(f"{{{W}}}val").split(",") == list(REGION_FONTS[region].fallbacks)
    settings = part(data, "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(f"{{{W}}}eastAsia") == word_lang
    # Word is handed the line-edge rules the PDF writer follows, mark for mark.
    from convert import lang

    for tag, must in (("noLineBreaksBefore", lang.CANNOT_START + lang.NEVER_SPLIT),
                      ("noLineBreaksAfter", lang.CANNOT_END)):
        element = settings.find(f"w:{tag}", NS)
        assert element.get(f"{{{W}}}lang") == word_lang
        assert set(element.get(f"{{{W}}}val")) == set(must)
    assert settings.find("w:characterSpacingControl", NS).get(f"{{{W}}}val") == "compressPunctuation"


def test_body_paragraphs_are_indented_two_characters_and_justified():
    data, _ = write(sample())
    styles = part(data, "word/styles.xml")
    normal = style_by_name(styles, "Normal")
    for tag in ("kinsoku", "overflowPunct", "widowControl"):
        element = normal.find(f"w:pPr/w:{tag}", NS)
        assert element is not None and element.get(f"{{{W}}}val") in (None, "1", "true"), tag
    for name in ("Body Text", "News Point", "News Quote"):
        ppr = style_by_name(styles, name).find("w:pPr", NS)
        assert ppr.find("w:ind", NS).get(f"{{{W}}}firstLineChars") == "200", name
        assert ppr.find("w:jc", NS).get(f"{{{W}}}val") == "both", name
        spacing = ppr.find("w:spacing", NS)
        # At least 1.5 times the 10.5 pt body size.
        assert int(spacing.get(f"{{{W}}}line")) >= 1.5 * 210 and spacing.get(f"{{{W}}}lineRule") == "exact"
    word = docx.Document(io.BytesIO(data))
    body = word.styles["Body Text"]
    assert body.paragraph_format.first_line_indent == docx.shared.Pt(21)
    assert body.base_style.name == "Normal"


def test_han_next_to_latin_letters_and_digits_is_set_solid():
    """Word's automatic quarter em between Han and digits (2016 年 11 月 7 日)
    is off, so a date prints as the PDF and the EPUB print it."""
    data, _ = write(sample())
    normal = style_by_name(part(data, "word/styles.xml"), "Normal")
    for tag in ("autoSpaceDE", "autoSpaceDN"):
        element = normal.find(f"w:pPr/w:{tag}", NS)
        assert element is not None and element.get(f"{{{W}}}val") in ("0", "false", "off"), tag
    # Nothing below Normal turns them on again, and no run carries a space of its own.
    styles = part(data, "word/styles.xml")
    assert len(styles.findall(".//w:autoSpaceDN", NS)) == len(styles.findall(".//w:autoSpaceDE", NS)) == 1
    assert "2020年3月18日 17:05" in body_texts(data)[2]


def test_body_size_and_measure_are_the_pdfs():
    """10.5 pt on a measure of 40 ideographs, lines 1.75 times the size apart,
    as the PDF writer's defaults: a page of each reads alike."""
    from convert.writers.pdf import PdfOptions

    pdf = PdfOptions()
    data, _ = write(sample())
    styles = part(data, "word/styles.xml")
    for root in (styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS), style_by_name(styles, "Normal").find("w:rPr", NS)):
        assert root.find("w:sz", NS).get(f"{{{W}}}val") == str(round(pdf.font_size * 2))
    line = int(style_by_name(styles, "Body Text").find("w:pPr/w:spacing", NS).get(f"{{{W}}}line"))
    assert abs(line - pdf.font_size * pdf.line_spacing * 20) <= 1
    section = docx.Document(io.BytesIO(data)).sections[0]
    measure = section.page_width - section.left_margin - section.right_margin
    assert measure == docx.shared.Pt(pdf.font_size * pdf.chars_per_line)
    assert section.left_margin == section.right_margin
    # A title, a subtitle and a date line in the PDF's proportions to the body.
    sizes = {name: int(style_by_name(styles, name).find("w:rPr/w:sz", NS).get(f"{{{W}}}val")) / 2
             for name in ("Title", "Subtitle", "News Metadata", "Header", "Footer")}
    assert sizes == {"Title": 18, "Subtitle": 12, "News Metadata": 9, "Header": 8, "Footer": 8}


def test_styles_validate_against_the_element_order_word_expects():
    """Word rejects a file with pPr/rPr children out of schema order; check
    the orders we write by hand."""
    ppr_order = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "pBdr",
                 "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
                 "spacing", "ind", "jc", "outlineLvl"]
    rpr_order = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "sz", "szCs", "em", "lang"]
    style_order = ["name", "basedOn", "next", "qFormat", "pPr", "rPr"]
    data, _ = write(sample())
    styles = part(data, "word/styles.xml")
    for name in ("Normal", *ROLE_STYLES.values(), "News Quote", "Header", "Footer", "Strong", "Emphasis",
                 "News Point Lead"):
        style = style_by_name(styles, name)
        for element, order in ((style, style_order), (style.find("w:pPr", NS), ppr_order),
                               (style.find("w:rPr", NS), rpr_order)):
            if element is None:
                continue
            tags = [etree.QName(c).localname for c in element]
            assert tags == sorted(tags, key=order.index), (name, tags)


# ---------------------------------------------------------------- page


def test_a4_page_header_and_page_numbers():
    doc = sample()
    data, _ = write(doc)
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= section.left_margin.mm <= 35 and 20 <= section.top_margin.mm <= 35
    header = section.header.paragraphs[0]
    assert header.text == running_header(doc) == "中国政府网 · 要闻"
    assert header.style.name == "Header"
    footer = part(data, "word/footer1.xml")
    instructions = [f.get(f"{{{W}}}instr").split()[0] for f in footer.iter(f"{{{W}}}fldSimple")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "".join(footer.itertext()) == "第 1 页，共 1 页"


def header_parts(data: bytes) -> dict[tuple[str, str], etree._Element]:
    """(header|footer, default|first|even) -> the part the last section names."""
    document = part(data, "word/document.xml")
    rels = part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    found = {}
    for ref in document.find("w:body/w:sectPr", NS):
        kind = etree.QName(ref).localname.replace("Reference", "")
        if kind in ("header", "footer"):
            rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            found[kind, ref.get(f"{{{W}}}type")] = part(data, "word/" + targets[rid])
    return found


def test_first_page_has_no_running_header_but_keeps_its_page_number():
    """The opening page shows site and channel in its title block (as the
    PDF's does): its header is empty and draws no rule; its footer numbers it."""
    data, _ = write(sample())
    sect_pr = part(data, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect_pr.find("w:titlePg", NS) is not None
    parts = header_parts(data)
    assert set(parts) == {("header", "default"), ("header", "first"), ("footer", "default"), ("footer", "first")}
    first = parts["header", "first"]
    assert "".join(first.itertext()) == ""
    assert not first.findall(".//w:pStyle", NS) and not first.findall(".//w:pBdr", NS)
    assert "".join(parts["header", "default"].itertext()) == "中国政府网 · 要闻"
    for kind in ("default", "first"):
        footer = parts["footer", kind]
        assert [f.get(f"{{{W}}}instr").split()[0] for f in footer.iter(f"{{{W}}}fldSimple")] == ["PAGE", "NUMPAGES"]
        assert "".join(footer.itertext()) == "第 1 页，共 1 页"


def test_an_empty_running_header_draws_no_rule():
    doc = sample()
    doc = replace(doc, meta=replace(doc.meta, site=None, channel=None))
    assert running_header(doc) == ""
    data, _ = write(doc)
    header_rule = style_by_name(part(data, "word/styles.xml"), "Header").find("w:pPr/w:pBdr/w:bottom", NS)
    assert header_rule is not None  # the style draws it, under a header with text
    for (kind, _), element in header_parts(data).items():
        if kind == "header":
            assert "".join(element.itertext()) == ""
            assert not element.findall(".//w:pStyle", NS) and not element.findall(".//w:pBdr", NS)


def test_title_block_is_closed_by_one_rule():
    """Title, subtitle and date line share one bottom border, which Word and
    LibreOffice draw once under the last of them; a block without a date
    line keeps the space under its rule."""
    doc = sample()
    data, _ = write(doc)
    styles = part(data, "word/styles.xml")

    def border(name):
        found = style_by_name(styles, name).find("w:pPr/w:pBdr", NS)
        return etree.tostring(found) if found is not None else None

    assert border("Title") == border("Subtitle") == border("News Metadata") is not None
    bottom = style_by_name(styles, "Title").find("w:pPr/w:pBdr/w:bottom", NS)
    assert bottom.get(f"{{{W}}}val") == "single" and int(bottom.get(f"{{{W}}}space")) > 0
    for name in ("Body Text", "Heading 2", "News Point", "News Quote", "News Byline", "News Editors"):
        assert border(name) is None, name
    meta_after = style_by_name(styles, "News Metadata").find("w:pPr/w:spacing", NS).get(f"{{{W}}}after")
    assert int(meta_after) > 0
    for title_only in (Document(Meta(title="只有标题", language="zh-Hans-CN"), doc.blocks),
                       replace(doc, meta=replace(doc.meta, published=None, source=None, channel=None))):
        paragraphs = part(write(title_only)[0], "word/document.xml").findall("w:body/w:p", NS)
        closing = [p for p in paragraphs
                   if p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") in ("Title", "Subtitle")][-1]
        assert closing.find("w:pPr/w:spacing", NS).get(f"{{{W}}}after") == meta_after


def test_core_properties_come_from_the_metadata():
    doc = sample()
    data, _ = write(doc)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == doc.meta.title
    assert props.author == "记者 王明"
    assert props.subject == doc.meta.subtitle  # as the PDF's Subject
    assert props.keywords == "中国政府网; 要闻; 新华社"
    assert props.language == "zh-Hans-CN"
    assert props.identifier == doc.meta.identifier
    published = datetime(2020, 3, 18, 9, 5, tzinfo=timezone.utc)  # 17:05 in Beijing
    assert props.created == props.modified == published
    assert props.comments == props.last_modified_by == ""
    with docx2python(io.BytesIO(data)) as content:
        assert content.core_properties["creator"] == "记者 王明"
        assert content.core_properties["created"] == "2020-03-18T09:05:00Z"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(b"python-docx" in z.read(n) for n in z.namelist())


def test_author_falls_back_on_the_source():
    doc = sample()
    doc = replace(doc, meta=replace(doc.meta, byline=None))
    data, _ = write(doc)
    assert docx.Document(io.BytesIO(data)).core_properties.author == "新华社"


# ---------------------------------------------------------------- bytes


def test_same_input_gives_the_same_bytes(seed):
    first, _ = write(seed)
    second, _ = write(read_news()(SEED))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        infos = z.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and names[0] == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2017, 6, 25, 14, 35, 0)}
    assert "docProps/thumbnail.jpeg" not in names


def test_articles_written_one_after_another_share_nothing(seed):
    """Every article starts from the same template: nothing of the one
    before survives into the next, whatever the order."""
    other = sample()
    first, _ = write(seed)
    between, _ = write(other)
    assert write(seed)[0] == first
    assert body_texts(between) == [line.text for line in rendered_lines(other)]
    header = docx.Document(io.BytesIO(between)).sections[0].header
    assert [p.text for p in header.paragraphs] == [running_header(other)]


def test_articles_written_from_several_threads_are_whole(seed):
    from concurrent.futures import ThreadPoolExecutor

    docs = [seed, sample(), hans(seed), sample("zh-Hant-TW")] * 3
    alone = [write(d)[0] for d in docs]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda d: write(d)[0], docs))
    assert together == alone


def test_zip_date_is_the_publication_time_not_the_clock():
    doc = sample()
    data, _ = write(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        stamps = {i.date_time for i in z.infolist()}
    # Zip times have two-second resolution: 17:05:00 stays as it is.
    assert stamps == {(2020, 3, 18, 17, 5, 0)}


def test_undated_document_gets_the_fixed_fallback_date():
    doc = sample()
    undated = Document(Meta(title="无日期", language="zh-Hans-CN"), doc.blocks)
    data, _ = write(undated)
    assert write(undated)[0] == data
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created is None and props.modified is None  # no invented date
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"dcterms:created" not in z.read("docProps/core.xml")
        # Zip entries must carry a date: the earliest zip can hold.
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_core_dates_are_the_publication_time(seed):
    """python-docx would stamp the clock; the seed says 2017-06-25 14:35 in Beijing."""
    data, _ = write(seed)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created == props.modified == timestamp(seed)


def test_unknown_block_kind_fails_loudly():
    class Table:
        pass

    with pytest.raises(TypeError, match="Table"):
        write(Document(Meta(title="x"), (Table(),)))


# ---------------------------------------------------------------- reference docx


def make_reference(path: Path) -> None:
    ref = docx.Document()
    body = ref.styles["Body Text"]
    body.font.size = docx.shared.Pt(15)
    body.font.color.rgb = docx.shared.RGBColor(0x11, 0x22, 0x33)
    ref.styles["Title"].font.size = docx.shared.Pt(30)
    ref.sections[0].page_width = docx.shared.Mm(216)
    ref.sections[0].page_height = docx.shared.Mm(279)
    ref.sections[0].header.paragraphs[0].text = "本社内部稿件"
    ref.add_paragraph("模板里的示例文字，不应出现在输出中。")
    ref.save(str(path))


def test_reference_docx_supplies_styles_and_page(tmp_path):
    reference = tmp_path / "reference.docx"
    make_reference(reference)
    doc = sample()
    data, warnings = write(doc, DocxOptions(reference_docx=str(reference)))
    word = docx.Document(io.BytesIO(data))
    assert [p.text for p in word.paragraphs] == [line.text for line in rendered_lines(doc)]
    assert word.styles["Body Text"].font.size == docx.shared.Pt(15)
    assert str(word.styles["Body Text"].font.color.rgb) == "112233"
    assert word.styles["Title"].font.size == docx.shared.Pt(30)
    section = word.sections[0]
    assert round(section.page_width.mm) == 216
    assert section.header.paragraphs[0].text == "本社内部稿件"
    # What the reference lacks is added, and the user is told.
    assert word.styles["News Point"].paragraph_format.first_line_indent is not None
    assert len(warnings) == 1 and "News Point" in warnings[0] and "Body Text" not in warnings[0]
    # Chinese line breaking still needs the language, whatever the template says.
    styles = part(data, "word/styles.xml")
    assert styles.xpath("string(w:docDefaults//w:lang/@w:eastAsia)", namespaces=NS) == "zh-CN"
    assert data == write(doc, DocxOptions(reference_docx=str(reference)))[0]


def test_reference_docx_without_header_footer_or_properties_gets_ours(tmp_path):
    """A bare reference document supplies styles only: the article still
    gets its running header, page footer and document properties."""
    import re

    plain = tmp_path / "plain.docx"
    ref = docx.Document()
    ref.styles["Title"].font.size = docx.shared.Pt(30)
    ref.save(str(plain))
    bare = tmp_path / "bare.docx"  # and without docProps/core.xml
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bare, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                continue
            if name == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            if name == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/docProps/core.xml"[^>]*/>', b"", data)
            dst.writestr(name, data)
    doc = sample()
    for reference in (plain, bare):
        for _ in range(2):  # the second article from the same template too
            data, _ = write(doc, DocxOptions(reference_docx=str(reference)))
            word = docx.Document(io.BytesIO(data))
            section = word.sections[0]
            assert [p.text for p in section.header.paragraphs] == [running_header(doc)]
            assert "".join(p.text for p in section.footer.paragraphs).startswith("第")
            assert word.core_properties.title == doc.meta.title
            assert word.styles["Title"].font.size == docx.shared.Pt(30)


def test_missing_reference_docx_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="reference"):
        write(sample(), DocxOptions(reference_docx=str(tmp_path / "nope.docx")))
    not_docx = tmp_path / "plain.docx"
    not_docx.write_text("not a zip")
    with pytest.raises(UsageError):
        write(sample(), DocxOptions(reference_docx=str(not_docx)))


def test_reference_docx_keeps_its_embedded_fonts(tmp_path):
    """A reference document's font table can point at embedded font files;
    replacing the table must keep those links or Word refuses the file."""
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    reference = tmp_path / "embedded.docx"
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/font" Target="fonts/font1.odttf"/></Relationships>')
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(reference, "w") as dst:
        for name in src.namelist():
            payload = src.read(name)
            if name == "[Content_Types].xml":
                payload = payload.replace(b"<Default ", b'<Default Extension="odttf" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.obfuscatedFont"/>'
                                          b"<Default ", 1)
            dst.writestr(name, payload)
        dst.writestr("word/_rels/fontTable.xml.rels", rels)
        dst.writestr("word/fonts/font1.odttf", b"\0" * 64)
    data, _ = write(sample(), DocxOptions(reference_docx=str(reference)))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("word/fonts/font1.odttf") == b"\0" * 64
        assert b"fonts/font1.odttf" in z.read("word/_rels/fontTable.xml.rels")
    fonts = part(data, "word/fontTable.xml")
    assert fonts.xpath("w:font[@w:name='Noto Serif CJK SC']", namespaces=NS)

# ---------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: the DOCX-to-PDF check cannot run")


def libreoffice_pdf(data: bytes, tmp_path: Path) -> Path:
    """The PDF LibreOffice makes of the DOCX ``data``."""
    source = tmp_path / "article.docx"
    source.write_bytes(data)
    profile = tmp_path / "profile"  # a private profile: parallel runs must not share one
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "article.pdf"
    # soffice can exit 0 without writing anything.
    assert pdf.is_file(), f"LibreOffice wrote no PDF: {result.stdout} {result.stderr}"
    return pdf


def libreoffice_pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(libreoffice_pdf(data, tmp_path)).pages]


def squeeze(text: str) -> str:
    return "".join(text.split())


def body_of_pages(pages: list[str], doc: Document) -> str:
    """The pages' text run together without running heads and page numbers
    (each checked on its page), so a paragraph that crosses a page break
    reads as one.  The first page has no running head: its title block says
    the same."""
    header = squeeze(running_header(doc))
    out = []
    for n, page in enumerate(pages, start=1):
        text = squeeze(page)
        head = header if n > 1 else ""
        footer = squeeze(page_label(doc, n, len(pages)))
        assert text.startswith(head) and text.endswith(footer), (n, text[:40], text[-40:])
        out.append(text[len(head):-len(footer)])
    return "".join(out)


@needs_soffice
@pytest.mark.parametrize("variant", ["seed", "seed-hans", "sample"])
def test_libreoffice_reads_every_paragraph(variant, seed, tmp_path):
    doc = {"seed": lambda: seed, "seed-hans": lambda: hans(seed), "sample": sample}[variant]()
    data, _ = write(doc)
    text = body_of_pages(libreoffice_pdf_pages(data, tmp_path), doc)
    for paragraph in paragraph_texts(doc):
        assert squeeze(paragraph) in text, paragraph[:30]
    # Everything, in order: title block, body, byline and editors.
    assert text == "".join(squeeze(line.text) for line in rendered_lines(doc))


# ---------------------------------------------------------------- the corpus printed by LibreOffice


@dataclass
class PrintedLine:
    text: str  # the characters as drawn, no space inferred from gaps
    top: float  # from the page's top edge, points
    bottom: float
    size: float
    chars: list  # pdfminer LTChar, left to right


@dataclass
class PrintedPage:
    lines: list[PrintedLine]  # top to bottom
    rules: list[tuple[float, float, float]]  # horizontal rules: (y from the top, x0, x1)


def printed_pages(pdf: Path) -> list[PrintedPage]:
    """What LibreOffice drew: lines of characters and horizontal rules."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTCurve

    def walk(element, chars: list, curves: list) -> None:
        if isinstance(element, LTChar):
            chars.append(element)
        elif isinstance(element, LTCurve):  # lines and rectangles too
            curves.append(element)
        elif hasattr(element, "__iter__"):
            for child in element:
                walk(child, chars, curves)

    pages = []
    for layout in extract_pages(str(pdf), laparams=LAParams(line_margin=0.1)):
        height = layout.height
        chars, curves = [], []
        walk(layout, chars, curves)
        rules = [(height - (c.y0 + c.y1) / 2, c.x0, c.x1) for c in curves if c.height < 1.5 and c.width > 50]
        rows: dict[int, list] = {}
        for char in chars:
            if char.get_text().strip():
                rows.setdefault(round(height - char.y1), []).append(char)
        lines = []
        for top in sorted(rows):
            row = sorted(rows[top], key=lambda c: c.x0)
            if lines and top - lines[-1].top < 2:  # one line, glyphs of different heights
                lines[-1].chars = sorted(lines[-1].chars + row, key=lambda c: c.x0)
                lines[-1].text = "".join(c.get_text() for c in lines[-1].chars)
                continue
            lines.append(PrintedLine("".join(c.get_text() for c in row), top,
                                     max(height - c.y0 for c in row), max(c.size for c in row), row))
        # LibreOffice draws a border as more than one path: one rule each.
        pages.append(PrintedPage(lines, sorted({(round(y, 1), round(x0, 1), round(x1, 1)) for y, x0, x1 in rules})))
    return pages


@pytest.fixture(scope="module")
def printed_corpus(tmp_path_factory) -> dict[str, tuple[Document, list[PrintedPage]]]:
    """The seed and the first corpus pages as DOCX, printed to PDF by
    LibreOffice in one run."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("printed")
    docs = {}
    for path in [SEED, *CORPUS]:
        doc = read_news()(path)
        docs[path.stem] = doc
        (folder / f"{path.stem}.docx").write_bytes(write(doc)[0])
    profile = folder / "profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *sorted(str(p) for p in folder.glob("*.docx"))],
        capture_output=True, text=True, timeout=900)
    printed = {}
    for name, doc in docs.items():
        pdf = folder / f"{name}.pdf"
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {name}: {result.stdout} {result.stderr}"
        printed[name] = (doc, printed_pages(pdf))
    return printed


@needs_soffice
def test_printed_corpus_opens_on_its_title_and_runs_its_header_from_page_two(printed_corpus):
    """Page 1 starts with the title, no running header above it; every later
    page has the header (when there is one) above a rule, and an article
    without one has neither text nor rule there."""
    for name, (doc, pages) in printed_corpus.items():
        title = squeeze(doc.meta.title)
        first = pages[0]
        assert title.startswith(squeeze(first.lines[0].text)), (name, first.lines[0].text)
        header = squeeze(running_header(doc))
        assert not any(squeeze(line.text) == header for line in first.lines), name
        for number, page in enumerate(pages[1:], start=2):
            body_top = next(line.top for line in page.lines if squeeze(line.text) != header)
            rules_above = [rule for rule in page.rules if rule[0] < body_top]
            if header:
                assert squeeze(page.lines[0].text) == header, (name, number, page.lines[0].text)
                assert len(rules_above) == 1 and page.lines[0].bottom < rules_above[0][0], (name, number)
            else:
                assert not rules_above, (name, number, rules_above)


@needs_soffice
def test_printed_title_block_is_closed_by_a_rule_across_the_measure(printed_corpus):
    for name, (doc, pages) in printed_corpus.items():
        lines = pages[0].lines
        head = [line.text for line in rendered_lines(doc) if line.role in ("title", "subtitle", "author", "meta")]
        # The block's last printed line: its text ends that of the block.
        block_text = squeeze("".join(head))
        printed, at = "", 0
        while printed != block_text:
            assert at < len(lines) and block_text.startswith(printed), \
                f"{name}: the title block is not printed as it reads: {printed[:60]}"
            printed += squeeze(lines[at].text)
            at += 1
        last, first_body = lines[at - 1], lines[at]
        rules = [rule for rule in pages[0].rules if last.bottom < rule[0] < first_body.top]
        assert len(rules) == 1, (name, pages[0].rules)
        y, x0, x1 = rules[0]
        assert abs((x1 - x0) - 420) < 2, (name, x0, x1)  # the 40-character measure
        # Midway, give or take a few points of line box.
        assert abs((y - last.bottom) - (first_body.top - y)) < 6, (name, last.bottom, y, first_body.top)


@needs_soffice
def test_printed_dates_read_without_spaces(printed_corpus):
    """The date line prints 2016年11月7日: no space character, and no gap
    wider than the quarter em clreq allows between Han and digits (Word
    leaves none; LibreOffice, which ignores w:autoSpaceDN, a fifth of an em)."""
    checked = 0
    for name, (doc, pages) in printed_corpus.items():
        date = display_date(doc).split(" ")[0]
        if not date:
            continue
        line = next((line for line in pages[0].lines if date in line.text), None)
        assert line is not None, (name, date, [line.text for line in pages[0].lines[:4]])
        start = line.text.index(date)
        chars = line.chars[start:start + len(date)]
        for left, right in zip(chars, chars[1:], strict=False):
            assert right.x0 - left.x1 <= 0.25 * left.size + 0.05, (name, left.get_text(), right.get_text())
        checked += 1
    assert checked >= 6


def test_a_package_dated_in_another_zone_is_stamped_in_china_time_as_the_epub_is(tmp_path):
    """DOCX and EPUB packages share one zip writer: the same date gives the
    same entry times, in China time, whatever zone the text gave."""
    import zipfile

    from convert import api
    from convert.model import Document, Meta, Para, Str

    doc = Document(Meta(title="標題", published="2017-06-25T06:35:00+00:00", language="zh-Hant-TW",
                        script="hant"), (Para((Str("正文。"),)),))
    stamps = set()
    for fmt in ("docx", "epub"):
        api.write(doc, tmp_path / f"a.{fmt}")
        with zipfile.ZipFile(tmp_path / f"a.{fmt}") as package:
            stamps |= {info.date_time for info in package.infolist()}
    assert stamps == {(2017, 6, 25, 14, 35, 0)}
