"""--layout / layout=: one choice reaching every writer that sets pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from convert import api
from convert.errors import UsageError
from convert.writers.options import settings

PAGE_FORMATS = ["pdf", "epub", "docx"]


@pytest.mark.parametrize("fmt", PAGE_FORMATS)
def test_every_format_that_sets_pages_takes_a_layout(fmt):
    assert any(s.key == "layout" for s in settings(type(api.registry.writer_options(fmt))))


def test_text_has_no_layout_so_vertical_text_alone_is_refused():
    with pytest.raises(UsageError, match="sets vertical text"):
        api.with_layout(None, "vertical", ["txt"])


def test_horizontal_is_always_accepted():
    assert api.with_layout(None, "horizontal", ["txt"]) == {}


def test_an_unknown_layout_is_a_usage_error():
    with pytest.raises(UsageError, match="horizontal or vertical"):
        api.with_layout(None, "sideways", ["pdf"])


@pytest.mark.parametrize("fmt", PAGE_FORMATS)
def test_vertical_reaches_each_writer_that_has_it_and_passes_text_over(fmt):
    options = api.with_layout({}, "vertical", [fmt, "txt"])
    assert options[fmt].layout == "vertical"
    assert "txt" not in options


@pytest.mark.parametrize("fmt", PAGE_FORMATS)
def test_a_writer_option_contradicting_the_layout_is_refused(fmt):
    with pytest.raises(UsageError, match="contradicts"):
        api.with_layout({fmt: {"layout": "vertical"}}, "horizontal", [fmt])
    assert api.with_layout({fmt: {"layout": "vertical"}}, "vertical", [fmt])[fmt].layout == "vertical"


def test_the_command_line_refuses_vertical_plain_text(seed_path):
    result = subprocess.run([sys.executable, "-m", "convert", "convert", str(seed_path), "-t", "txt",
                             "--layout", "vertical", "-o", "-"], capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().splitlines() == ["docconv: error: no format asked for (txt) sets vertical text"]


def test_the_library_writes_vertical_pages(tmp_path, seed_path):
    from pypdf import PdfReader

    result = api.convert(seed_path, to=["pdf:tw", "txt"], out_dir=tmp_path, layout="vertical")
    pdf = next(p for p in result.outputs if p.endswith(".pdf"))
    assert PdfReader(pdf).trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"


def test_batch_sets_every_page_format_vertical_and_text_as_ever(tmp_path, seed_path):
    import zipfile

    from docx import Document as DocxDocument

    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "convert", "batch", str(seed_path), "-o", str(out),
                             "-t", "epub", "-t", "docx", "-t", "txt", "--layout", "vertical", "-q"],
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (epub,) = out.glob("*.epub")
    with zipfile.ZipFile(epub) as book:
        opf = next(book.read(n) for n in book.namelist() if n.endswith(".opf"))
    assert b'page-progression-direction="rtl"' in opf
    (docx,) = out.glob("*.docx")
    section = DocxDocument(str(docx)).sections[0]._sectPr.xml
    assert 'w:textDirection w:val="tbRl"' in section
    (txt,) = out.glob("*.txt")
    assert txt.read_text(encoding="utf-8") == subprocess.run(
        [sys.executable, "-m", "convert", "convert", str(seed_path), "-t", "txt", "-o", "-"],
        capture_output=True, timeout=120).stdout.decode("utf-8")
