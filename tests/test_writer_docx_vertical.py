"""Vertical DOCX (直排): the section runs top to bottom, right to left on
an A4 landscape page, short numbers are runs set upright, and LibreOffice
converts the document to a PDF whose columns read top to bottom and right
to left (the position check of the EPUB tests, on LibreOffice's PDF)."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from lxml import etree
from test_writer_docx import libreoffice_pdf
from test_writer_epub_vertical import (
    CORPUS_PAGES,
    assert_reads_vertically,
    docs,
    printed_glyphs,
    short_numbers,
    upright_numbers_drawn,
    vertical_reading,
)

from convert.model import Document
from convert.writers.common import rendered_lines
from convert.writers.docx import DocxOptions, DocxWriter
from convert.writers.docx.vertical import CHARS_PER_COLUMN
from convert.writers.options import make

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def write(doc: Document, **options) -> bytes:
    out = io.BytesIO()
    DocxWriter().write(doc, out, DocxOptions(**options))
    return out.getvalue()


def part(data: bytes, name: str = "word/document.xml"):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def attr(el, name: str) -> str | None:
    return el.get(f"{{{W}}}{name}")


def test_option_defaults_to_horizontal_and_is_reached_by_its_key():
    assert DocxOptions().layout == "horizontal"
    assert make(DocxOptions, {"layout": "vertical"}, texts=True).layout == "vertical"


def test_section_runs_top_to_bottom_right_to_left_on_a_landscape_page():
    sect = part(write(docs()["seed.tw"], layout="vertical")).find(".//w:body/w:sectPr", NS)
    (direction,) = sect.findall("w:textDirection", NS)
    assert attr(direction, "val") == "tbRl"
    # The schema's order: textDirection before docGrid.
    names = [etree.QName(child).localname for child in sect]
    assert names.index("textDirection") < names.index("docGrid")
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert attr(size, "orient") == "landscape"
    assert (int(attr(size, "w")), int(attr(size, "h"))) == (16838, 11906)  # A4 on its side
    column = int(attr(size, "h")) - int(attr(margins, "top")) - int(attr(margins, "bottom"))
    assert column == CHARS_PER_COLUMN * 10.5 * 20  # 40 ideographs of 10.5 pt


def test_horizontal_document_has_none_of_it():
    document = part(write(docs()["seed.tw"]))
    assert document.find(".//w:textDirection", NS) is None
    assert document.find(".//w:eastAsianLayout", NS) is None
    assert attr(document.find(".//w:pgSz", NS), "orient") is None


def test_short_numbers_are_runs_of_their_own_set_upright():
    for name, doc in docs().items():
        document = part(write(doc, layout="vertical"))
        layouts = document.findall(".//w:r/w:rPr/w:eastAsianLayout", NS)
        texts = ["".join(layout.getparent().getparent().itertext()) for layout in layouts]
        body_lines = [line.text for line in rendered_lines(doc)]
        assert sorted(texts) == sorted(short_numbers(doc)), name
        assert all(attr(e, "vert") == "1" and attr(e, "vertCompress") == "1" for e in layouts)
        ids = [attr(e, "id") for e in layouts]
        assert len(set(ids)) == len(ids)  # Word joins the runs of one id into one upright block
        paragraphs = ["".join(p.itertext()) for p in document.iterfind(".//w:body/w:p", NS)]
        assert paragraphs == body_lines, name


def test_title_starts_at_the_column_head_and_the_date_line_stands_at_its_foot():
    styles = part(write(docs()["seed.tw"], layout="vertical"), "word/styles.xml")

    def jc(style_id: str) -> str:
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        return attr(style.find("w:pPr/w:jc", NS), "val")

    assert (jc("Title"), jc("NewsMetadata")) == ("left", "right")
    horizontal = part(write(docs()["seed.tw"]), "word/styles.xml")
    assert attr(horizontal.find("w:style[@w:styleId='Title']/w:pPr/w:jc", NS), "val") == "center"


def test_vertical_document_is_reproducible():
    doc = docs()["seed.hk"]
    assert write(doc, layout="vertical") == write(doc, layout="vertical")


# ---------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: the DOCX-to-PDF check cannot run")


@needs_soffice
@pytest.mark.parametrize("name", [*(f"seed.{script}" for script in ("hant", "tw", "hk", "hans")),
                                  *(f"{stem}.{script}" for stem, script in CORPUS_PAGES.items())])
def test_libreoffice_sets_the_text_in_columns_from_the_right(name, tmp_path):
    doc = docs()[name]
    pdf = libreoffice_pdf(write(doc, layout="vertical"), tmp_path)
    from pypdf import PdfReader

    for page in PdfReader(pdf).pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    pages = printed_glyphs(pdf)
    assert_reads_vertically(pages, doc)
    assert sorted(upright_numbers_drawn(pages)) == sorted(short_numbers(doc))


@needs_soffice
def test_the_position_check_fails_on_a_horizontal_document(tmp_path):
    pages = printed_glyphs(libreoffice_pdf(write(docs()["seed.tw"]), tmp_path))
    reading = vertical_reading(pages)
    assert reading.down < 0.1 * reading.pairs


def test_a_reference_documents_page_is_kept_and_set_in_columns(tmp_path):
    import docx
    from docx.shared import Twips

    reference = docx.Document()
    reference.sections[0].page_width, reference.sections[0].page_height = Twips(12240), Twips(15840)  # Letter
    reference.save(tmp_path / "reference.docx")
    sect = part(write(docs()["seed.tw"], layout="vertical", reference_docx=str(tmp_path / "reference.docx"))
                ).find(".//w:body/w:sectPr", NS)
    assert attr(sect.find("w:textDirection", NS), "val") == "tbRl"
    size = sect.find("w:pgSz", NS)
    assert (attr(size, "w"), attr(size, "h")) == ("12240", "15840")
