"""One metadata truth: every format says the same identifier, language tag,
title and date as the document model (JSON), read back the way each
format's readers read it, and none says a date the text does not have."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import docx
import pytest
from _corpus import CORPUS, SEED
from lxml import etree
from pypdf import PdfReader

import convert
from convert.api import prepare
from convert.lang import LANGUAGE_TAGS, region_of
from convert.model import Document, Meta, Para, Str, from_json, to_json
from convert.writers.common import rendered_lines

CHINA = timezone(timedelta(hours=8))
PAGES = sorted(CORPUS.glob("*.txt"))
FORMATS = ("docx", "epub", "pdf", "json")
WORD_LANG = {"cn": "zh-CN", "tw": "zh-TW", "hk": "zh-HK"}  # Word's East Asian language ids
NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def targets(index: int) -> list[str | None]:
    """Each page in its own script, and in one of the four targets in turn,
    so that every target's tag is checked on six pages."""
    return [None, ("hans", "hant", "tw", "hk")[index % 4]]


CASES = [(page, script) for i, page in enumerate(PAGES) for script in targets(i)]


@cache
def outputs(page: Path, script: str | None) -> tuple[Document, dict[str, bytes]]:
    doc = prepare(convert.read(page), script)
    written = {}
    for fmt in FORMATS:
        out = io.BytesIO() if fmt != "json" else io.StringIO()
        convert.write(doc, out, to=fmt)
        value = out.getvalue()
        written[fmt] = value.encode("utf-8") if isinstance(value, str) else value
    return doc, written


# ---------------------------------------------------------------- read back


def when(text: str | None) -> datetime | None:
    """An ISO date or date-time as an instant; a date alone is its midnight
    in China time, as the model's published dates are."""
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


def from_json_output(data: bytes) -> dict:
    meta = json.loads(data)["meta"]
    return {"identifier": meta["identifier"], "language": meta["language"], "title": meta["title"],
            "date": when(meta["published"]), "subtitle": meta["subtitle"]}


def from_docx(data: bytes) -> dict:
    word = docx.Document(io.BytesIO(data))
    props = word.core_properties
    assert props.created == props.modified
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
    east_asian = set(styles.xpath("//w:lang/@w:eastAsia", namespaces=NS))
    return {"identifier": props.identifier, "language": props.language, "title": props.title,
            "date": props.created, "subtitle": props.subject or None, "word_lang": east_asian}


def from_epub(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = container.find(".//c:rootfile", NS).get("full-path")
        opf = etree.fromstring(book.read(opf_path))
        uid = opf.get("unique-identifier")
        languages = opf.xpath("//dc:language/text()", namespaces=NS)
        assert len(languages) == 1
        documents = [item.get("href") for item in opf.xpath("//opf:manifest/opf:item", namespaces=NS)
                     if item.get("media-type") == "application/xhtml+xml"]
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        xml_langs = {etree.fromstring(book.read(base + href)).get(XML_LANG) for href in documents}
    dates = opf.xpath("//dc:date/text()", namespaces=NS)
    assert len(dates) <= 1
    return {"identifier": opf.xpath(f"//dc:identifier[@id='{uid}']/text()", namespaces=NS)[0],
            "language": languages[0], "xml_langs": xml_langs,
            "title": opf.xpath("//dc:title/text()", namespaces=NS)[0],
            "date": when(dates[0]) if dates else None,
            "modified": opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS)}


def pdf_date(text: str | None) -> datetime | None:
    """D:YYYYMMDD[HHmmSS+HH'mm'] as an instant (a day alone: its midnight in China)."""
    if text is None:
        return None
    digits = text.removeprefix("D:")
    if len(digits) == 8:
        return datetime.strptime(digits, "%Y%m%d").replace(tzinfo=CHINA)
    return datetime.strptime(digits.replace("'", ""), "%Y%m%d%H%M%S%z")


def from_pdf(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata or {}
    xmp = reader.xmp_metadata
    assert xmp is not None, "no XMP metadata"
    created, modified = info.get("/CreationDate"), info.get("/ModDate")
    assert created == modified
    return {"identifier": xmp.dc_identifier, "language": str(reader.trailer["/Root"]["/Lang"]),
            "xmp_language": xmp.dc_language, "title": info.get("/Title"), "xmp_title": xmp.dc_title,
            "date": pdf_date(created), "subtitle": info.get("/Subject"),
            "file_id": [bytes(part.original_bytes) for part in reader.trailer["/ID"]],
            "xmp_date": xmp_dc_date(reader)}


def xmp_dc_date(reader: PdfReader) -> datetime | None:
    """The XMP packet's dc:date, as written (pypdf's reading drops the zone)."""
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    found = etree.fromstring(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0]).xpath(
        "//dc:date//rdf:li/text()",
        namespaces={"dc": NS["dc"], "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"})
    return when(found[0]) if found else None


# ---------------------------------------------------------------- the test


@pytest.mark.parametrize("page, script", CASES, ids=[f"{p.stem[:3]}-{s or 'own'}" for p, s in CASES])
def test_every_format_says_the_same_identifier_language_title_and_date(page, script):
    doc, written = outputs(page, script)
    model = from_json_output(written["json"])
    word, book, pdf = from_docx(written["docx"]), from_epub(written["epub"]), from_pdf(written["pdf"])

    assert model["identifier"].startswith("urn:uuid:")
    assert word["identifier"] == book["identifier"] == pdf["identifier"] == model["identifier"]
    file_id = uuid.UUID(model["identifier"].removeprefix("urn:uuid:")).bytes
    assert pdf["file_id"] == [file_id, file_id]

    if script is not None:
        assert model["language"] == LANGUAGE_TAGS[script]
    tag = model["language"]
    assert word["language"] == book["language"] == pdf["language"] == tag
    assert book["xml_langs"] == {tag}
    assert pdf["xmp_language"] == [tag]
    assert word["word_lang"] == {WORD_LANG[region_of(doc)]}  # Word's own id, a valid w:lang

    assert word["title"] == book["title"] == pdf["title"] == model["title"]
    assert pdf["xmp_title"] == {"x-default": model["title"]}

    assert word["date"] == book["date"] == pdf["date"] == pdf["xmp_date"] == model["date"]
    if model["date"] is None:
        assert book["modified"] == ["1980-01-01T00:00:00Z"]  # EPUB demands one: the documented epoch
    else:
        assert book["modified"] == [model["date"].astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]

    assert word["subtitle"] == pdf["subtitle"] == model["subtitle"]  # the subtitle or nothing


def test_the_corpus_has_dated_and_undated_pages():
    dates = [outputs(page, None)[0].meta.published for page in PAGES]
    assert len(PAGES) == 24
    assert 0 < dates.count(None) < len(dates)


def test_an_undated_text_gets_no_date_anywhere():
    doc = Document(Meta(title="無日期", language="zh-Hant-TW", script="hant",
                        identifier="urn:uuid:00000000-0000-5000-8000-000000000002"),
                   (Para((Str("正文。"),)),))
    written = {}
    for fmt in ("docx", "epub", "pdf"):
        out = io.BytesIO()
        convert.write(doc, out, to=fmt)
        written[fmt] = out.getvalue()
        again = io.BytesIO()
        convert.write(doc, again, to=fmt)
        assert again.getvalue() == written[fmt], fmt  # deterministic without a date too
    core = zipfile.ZipFile(io.BytesIO(written["docx"])).read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core
    info = PdfReader(io.BytesIO(written["pdf"])).metadata
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert b"1979" not in written["pdf"] and b"D:1980" not in written["pdf"]
    assert from_epub(written["epub"])["date"] is None


def test_a_day_without_a_time_stays_a_day():
    doc = Document(Meta(title="只有日期", published="2016-11-07", language="zh-Hans-CN", script="hans",
                        identifier="urn:uuid:00000000-0000-5000-8000-000000000003"))
    out = io.BytesIO()
    convert.write(doc, out, to="pdf")
    info = PdfReader(io.BytesIO(out.getvalue())).metadata
    assert info["/CreationDate"] == "D:20161107"  # no time or zone made up
    assert xmp_dc_date(PdfReader(io.BytesIO(out.getvalue()))) == datetime(2016, 11, 7, tzinfo=CHINA)


# ---------------------------------------------------------------- the lines under the title


def test_the_channel_is_labelled_on_the_metadata_line():
    base = Meta(title="題", published="2016-11-07T13:16+08:00", source="新疆日報", channel="領導活動",
                language="zh-Hant", script="hant")
    (meta,) = [line.text for line in rendered_lines(Document(base)) if line.role == "meta"]
    assert meta == "2016年11月7日 13:16\u3000來源：新疆日報\u3000欄目：領導活動"
    hans = replace(base, source="新疆日报", channel="领导活动", language="zh-Hans-CN", script="hans")
    (meta,) = [line.text for line in rendered_lines(Document(hans)) if line.role == "meta"]
    assert meta.endswith("来源：新疆日报\u3000栏目：领导活动")


ESSAY = CORPUS / "010_essay-beiying.txt"


def test_an_essays_author_stays_under_its_title():
    doc = convert.read(ESSAY)
    assert doc.meta.byline == "朱自清" and doc.meta.byline_under_title
    lines = rendered_lines(doc)
    assert [(line.role, line.text) for line in lines[:2]] == [("title", "背影"), ("author", "朱自清")]
    assert all(line.role != "byline" for line in lines)
    assert "（朱自清）" not in "".join(line.text for line in lines)

    _, written = outputs(ESSAY, None)
    word = docx.Document(io.BytesIO(written["docx"]))
    first = [(p.style.name, p.text) for p in word.paragraphs[:3]]
    assert first[:2] == [("Title", "背影"), ("News Author", "朱自清")]
    assert all("（朱自清）" not in p.text for p in word.paragraphs)

    with zipfile.ZipFile(io.BytesIO(written["epub"])) as book:
        chapter = etree.fromstring(book.read("EPUB/text/chapter-001.xhtml"))
    header = chapter.find(".//{http://www.w3.org/1999/xhtml}header")
    assert [(el.get("class"), "".join(el.itertext())) for el in header] == [("title", "背影"), ("author", "朱自清")]

    text = PdfReader(io.BytesIO(written["pdf"])).pages[0].extract_text()
    assert text.replace(" ", "").startswith("背影\n朱自清\n")
    last = PdfReader(io.BytesIO(written["pdf"])).pages[-1].extract_text()
    assert "（朱自清）" not in last


def test_a_news_byline_still_closes_the_text():
    doc = convert.read(CORPUS / "008_quality-supply.txt")
    assert doc.meta.byline and not doc.meta.byline_under_title
    assert rendered_lines(doc)[-1].role == "byline"


def test_the_place_of_the_byline_survives_json_and_old_documents_still_read():
    doc = convert.read(ESSAY)
    assert from_json(to_json(doc)).meta.byline_under_title
    news = convert.read(SEED)
    assert "byline_under_title" not in json.loads(to_json(news))["meta"]  # written only when it says something
    assert from_json(to_json(news)) == news
    bad = json.loads(to_json(doc))
    bad["meta"]["byline_under_title"] = "yes"
    with pytest.raises(ValueError, match="byline_under_title"):
        from_json(json.dumps(bad))


def test_date_read_back_helpers():
    assert when("2016-11-07") == datetime(2016, 11, 7, tzinfo=CHINA)
    assert pdf_date("D:20161107131600+08'00'") == datetime(2016, 11, 7, 13, 16, tzinfo=CHINA)
    assert pdf_date("D:20161107").date() == date(2016, 11, 7)
