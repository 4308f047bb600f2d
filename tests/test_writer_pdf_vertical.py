"""The PDF writer's vertical layout (直排), checked from what a PDF reader
sees: pdfminer's glyph positions and matrices, pypdf's and poppler's text,
and the glyphs embedded in the file against the bundled fonts' own vertical
substitutions (read here with fontTools, apart from the writer's code)."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import sys
import unicodedata
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
from _corpus import CORPUS_FILES as CORPUS
from _corpus import SEED
from test_writer_pdf import body_pages, squash

from convert.errors import UsageError
from convert.model import Document, Emph, Heading, Meta, Para, Str
from convert.writers.common import page_label, rendered_lines, running_header
from convert.writers.pdf import PdfOptions, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
BODY = PdfOptions().font_size
VERTICAL = PdfOptions(layout="vertical")
# The rules as TYPOGRAPHY states them, apart from the writer's own lists.
NO_COLUMN_START = set("、，。．：；！？”’」』）］｝〕】〉》·")
NO_COLUMN_END = set("“‘「『（［｛〔【〈《")
FACES = {"cn": "NotoSerifCJKsc-Regular", "tw": "NotoSerifCJKtc-Regular", "hk": "NotoSerifCJKhk-Regular"}
REGION = {"hans": "cn", "hant": "tw", "tw": "tw", "hk": "hk"}


def write(doc: Document, options: PdfOptions = VERTICAL) -> bytes:
    buf = io.BytesIO()
    assert PdfWriter().write(doc, buf, options) == ()
    return buf.getvalue()


def read(path: Path, script: str | None) -> Document:
    from convert.readers.news import read_news_file
    from convert.transforms import TransformOptions, apply_transforms

    doc = read_news_file(path)
    return apply_transforms(doc, TransformOptions(script=script)) if script else doc


CASES = [(SEED, script) for script in ("hant", "tw", "hk", "hans")] + [(p, None) for p in CORPUS] \
    + [(p, "hk") for p in CORPUS[:3]]


@pytest.fixture(scope="module", params=CASES, ids=[f"{p.stem[:12]}-{s or 'own'}" for p, s in CASES])
def case(request):
    path, script = request.param
    doc = read(path, script)
    return doc, write(doc), script or ("hans" if doc.meta.script == "hans" else "hant")


# ---------------------------------------------------------------- reading the PDF


def page_chars(data: bytes) -> list[list]:
    """Each page's pdfminer characters, in drawing order."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
        pages.append([c for c in device.get_result() if isinstance(c, LTChar)])
    return pages


def middle(c) -> float:
    return (c.x0 + c.x1) / 2


def em(c) -> float:
    """The character's size (pdfminer's ``size`` of a turned glyph is its advance)."""
    return c.fontsize if hasattr(c, "fontsize") else max(c.width, c.height, c.size)


def columns(chars: list) -> list[list]:
    """Characters grouped into columns: a column goes on while the glyphs'
    middles stay within 0.6 em of its first one's."""
    out: list[list] = []
    for c in chars:
        if out and abs(middle(c) - middle(out[-1][0])) < 0.6 * em(c):
            out[-1].append(c)
        else:
            out.append([c])
    return out


def upright(c) -> bool:
    a, b, cc, d = c.matrix[:4]
    return abs(b) < 1e-6 and abs(cc) < 1e-6 and a > 0 and d > 0


def turned_clockwise(c) -> bool:
    a, b, cc, d = c.matrix[:4]
    return abs(a) < 1e-6 and abs(d) < 1e-6 and b < 0 and cc > 0


@cache
def vertical_substitutions(face: str) -> dict[str, str]:
    """Character -> vertical glyph name, by the face's vert/vrt2 lookups of
    the default language of Han script, applied in lookup order."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / f"{face}.ttf", lazy=True)
    gsub = font["GSUB"].table
    script = next(r.Script for r in gsub.ScriptList.ScriptRecord if r.ScriptTag == "hani")
    lookups = sorted({i for f in script.DefaultLangSys.FeatureIndex
                      if gsub.FeatureList.FeatureRecord[f].FeatureTag in ("vert", "vrt2")
                      for i in gsub.FeatureList.FeatureRecord[f].Feature.LookupListIndex})
    tables = [{k: v for st in gsub.LookupList.Lookup[i].SubTable for k, v in st.mapping.items()}
              for i in lookups]
    out = {}
    for code, name in font.getBestCmap().items():
        result = name
        for table in tables:
            result = table.get(result, result)
        if result != name:
            out[chr(code)] = result
    return out


def is_mark(ch: str) -> bool:
    return len(ch) == 1 and not ch.isascii() and unicodedata.category(ch)[0] == "P"


def model_text(doc: Document) -> str:
    return squash("".join(line.text for line in rendered_lines(doc)))


def body_text(doc: Document, pages: list[str]) -> str:
    """The pages' text without running header and page numbers, each checked."""
    return "".join(body_pages(doc, pages))


# ---------------------------------------------------------------- the checks


def test_columns_run_down_and_right_to_left(case):
    doc, data, _ = case
    for n, chars in enumerate(page_chars(data), 1):
        cols = columns(chars)
        assert len(cols) > 2, n
        centres = [middle(col[0]) for col in cols]
        assert centres == sorted(centres, reverse=True), (n, centres)
        assert all(a - b > 1.2 * BODY * 0.7 for a, b in pairwise(centres)), n
        for col in cols:
            for a, b in pairwise(col):
                if abs(a.y1 - b.y1) < 0.01:  # digits side by side, left to right
                    assert upright(a) and upright(b) and a.x0 < b.x0 and a.get_text().isdigit()
                else:
                    assert b.y1 < a.y1, (n, a.get_text(), b.get_text())


def test_text_comes_out_in_reading_order(case, tmp_path):
    from pypdf import PdfReader

    doc, data, _ = case
    expected = model_text(doc)
    pypdf = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert body_text(doc, pypdf) == expected
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler reads each column's ActualText
        path = tmp_path / "v.pdf"
        path.write_bytes(data)
        out = subprocess.run([pdftotext, "-raw", str(path), "-"], check=True, capture_output=True,
                             text=True).stdout
        assert body_text(doc, out.split("\f")[:-1]) == expected


def test_no_column_starts_with_a_closing_mark_or_ends_with_an_opening_one(case):
    _, data, _ = case
    for chars in page_chars(data):
        for col in columns(chars):
            text = "".join(c.get_text() for c in col).strip()
            assert text[0] not in NO_COLUMN_START, text
            assert text[-1] not in NO_COLUMN_END, text


def test_punctuation_takes_the_faces_vertical_forms(case):
    doc, data, script = case
    forms = vertical_substitutions(FACES[REGION[script]])
    seen = 0
    for chars in page_chars(data):
        for c in chars:
            ch = c.get_text()
            if not is_mark(ch) or not c.fontname.split("+")[-1].startswith("NotoSerifCJK"):
                continue
            if ch == "’" and c.fontname.endswith("-Halt"):  # an apostrophe inside a Latin word
                assert turned_clockwise(c)
            elif ch in forms and ch not in "—―":
                assert c.fontname.endswith("-Vert") and upright(c), (ch, c.fontname)
                seen += 1
            elif ch in "—―":
                assert turned_clockwise(c), ch
            elif c.adv < 0.9 * em(c):  # a narrow mark (·) turns with the Latin text
                assert turned_clockwise(c), ch
            else:  # a mark the face sets the same way in both directions (a centred 。)
                assert upright(c) and not c.fontname.endswith("-Vert"), (ch, c.fontname)
    assert seen or not any(ch in forms for ch in model_text(doc))


def embedded_vertical_glyphs(data: bytes):
    """(base face, character, the embedded glyph's coordinates) for every
    glyph of the PDF's vertical-forms fonts."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    done = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            if not name.endswith("-Vert") or name in done:
                continue
            done.add(name)
            program = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
            codes = program["cmap"].tables[0].cmap
            to_unicode = font["/ToUnicode"].get_data().decode("latin-1")
            for code, text in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", to_unicode):
                if int(code, 16) not in codes or text == "0020":
                    continue  # the subset's unused codes
                glyph = program["glyf"][codes[int(code, 16)]]
                base = name.split("+")[-1].removesuffix("-Vert")
                yield base, chr(int(text, 16)), list(glyph.coordinates) if glyph.numberOfContours else []


@pytest.mark.parametrize("script", ["hans", "tw"])
def test_the_embedded_marks_are_the_fonts_vertical_glyphs(script):
    """Each glyph the vertical-forms fonts carry is the outline the face's
    own vert lookup puts in place of its character, not the horizontal one."""
    from fontTools.ttLib import TTFont

    doc = read(SEED, script)
    found = 0
    for base, ch, coordinates in embedded_vertical_glyphs(write(doc)):
        source = TTFont(FONTS / f"{base}.ttf", lazy=True)
        vertical = source["glyf"][vertical_substitutions(base)[ch]]
        assert coordinates == list(vertical.coordinates), ch
        horizontal = source["glyf"][source.getBestCmap()[ord(ch)]]
        if ch in "「」『』（）《》":
            assert coordinates != list(horizontal.coordinates), ch
        found += 1
    assert found >= 4


def test_mainland_and_taiwan_pause_marks_follow_their_faces():
    """Mainland faces move 。，、 to the upper right in vertical text;
    Taiwan faces keep them centred, the same glyph as across."""
    assert {"。", "，", "、"} <= set(vertical_substitutions(FACES["cn"]))
    assert not {"。", "，", "、"} & set(vertical_substitutions(FACES["tw"]))
    for script, vertical in (("hans", True), ("tw", False)):
        chars = [c for page in page_chars(write(read(SEED, script))) for c in page]
        stops = [c for c in chars if c.get_text() == "。"]
        assert stops and all(c.fontname.endswith("-Vert") == vertical for c in stops)


def test_latin_words_and_long_numbers_are_turned_short_numbers_stand_upright(case):
    _, data, _ = case
    for chars in page_chars(data):
        for col in columns(chars):
            runs: list[list] = []
            last = -2
            for i, c in enumerate(col):
                ch = c.get_text()
                if ch.isascii() and ch.isalnum():
                    if last == i - 1:
                        runs[-1].append(c)
                    else:
                        runs.append([c])
                    last = i
            for run in runs:
                text = "".join(c.get_text() for c in run)
                if any(ch.isalpha() for ch in text) or len(text) > 3:
                    assert all(turned_clockwise(c) for c in run), text
                    continue
                # A number of 1-3 digits standing alone (else a turned word
                # beside it would have taken it).
                if all(turned_clockwise(c) for c in run):
                    continue
                assert all(upright(c) for c in run), text
                assert len({round(c.y0, 2) for c in run}) == 1, text
                assert run[-1].x1 - run[0].x0 <= run[0].size * 1.0 + 0.01, text
                centre = (run[0].x0 + run[-1].x1) / 2
                assert abs(centre - middle(col[0])) < 0.6 * run[0].size, text


def test_the_seeds_numbers_as_a_vertical_book_sets_them():
    """2017年6月25日 14:35: the year and the time turned, the month a digit
    upright, the day two digits side by side in one em."""
    chars = [c for page in page_chars(write(read(SEED, "tw"))) for c in page]
    text = "".join(c.get_text() for c in chars)
    at = text.index("2017年6月25日")
    year, month, day = chars[at:at + 4], chars[at + 5], chars[at + 7:at + 9]
    assert all(turned_clockwise(c) for c in year)
    assert upright(month)
    assert all(upright(c) for c in day) and day[0].y0 == day[1].y0 and day[0].x1 <= day[1].x0 + 0.01
    assert day[1].x1 - day[0].x0 <= 0.93 * em(day[0])  # condensed a little to leave the em's edges
    assert abs((day[0].x0 + day[1].x1) / 2 - middle(month)) < 0.01


def test_title_opens_the_book_larger_and_header_and_page_numbers_stand_in_the_margins(case):
    doc, data, _ = case
    pages = page_chars(data)
    first = columns(pages[0])[0]
    assert squash("".join(c.get_text() for c in first)) in squash(doc.meta.title)
    assert em(first[0]) > 1.5 * BODY
    header = squash(running_header(doc))
    for n, chars in enumerate(pages, 1):
        cols = columns(chars)
        body = [col for col in cols if abs(col[0].size - BODY) < 0.01]
        footer = cols[-1]
        assert "".join(c.get_text() for c in footer).replace(" ", "") == squash(page_label(doc, n, len(pages)))
        assert middle(footer[0]) < min(middle(col[0]) for col in body) - BODY
        # (a closing mark at a column's foot may hang its blank half below it)
        assert footer[-1].y0 < min(c.y0 for col in body for c in col) + 0.5 * BODY + 0.01
        if n > 1 and header:
            assert squash("".join(c.get_text() for c in cols[0])) == header
            assert middle(cols[0][0]) > max(middle(col[0]) for col in body) + BODY


def test_pages_read_right_to_left_and_fonts_are_embedded(tmp_path):
    from pypdf import PdfReader

    data = write(read(SEED, "tw"))
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"
    pdffonts = shutil.which("pdffonts")
    if pdffonts:
        path = tmp_path / "v.pdf"
        path.write_bytes(data)
        rows = subprocess.run([pdffonts, str(path)], check=True, capture_output=True,
                              text=True).stdout.splitlines()[2:]
        assert any("-Vert" in row for row in rows)
        for row in rows:
            assert row.split()[-5:-2] == ["yes", "yes", "yes"], row


def test_dashes_stay_one_line_down_the_column():
    doc = Document(Meta(title="破折號", language="zh-Hant-TW", script="hant"),
                   (Para((Str("他說——這是真的……我們走吧。" * 3),)),))
    chars = [c for page in page_chars(write(doc)) for c in page]
    dashes = [c for c in chars if c.get_text() == "—"]
    assert dashes and all(turned_clockwise(c) for c in dashes)
    for a, b in zip(dashes[::2], dashes[1::2], strict=False):
        assert abs(middle(a) - middle(b)) < 0.01 and a.y0 >= b.y1 - 0.3 * a.size
    ellipses = [c for c in chars if c.get_text() == "…"]
    assert ellipses and all(c.fontname.endswith("-Vert") for c in ellipses)


def test_same_input_same_bytes_and_horizontal_output_untouched(tmp_path):
    doc = read(SEED, "tw")
    assert write(doc) == write(doc)
    # A fresh process builds the vertical-forms faces again, to the same bytes.
    fresh = ("import sys\nfrom pathlib import Path\nsys.path.insert(0, 'tests')\n"
             "from test_writer_pdf_vertical import SEED, read, write\n"
             f"Path({str(tmp_path / 'fresh.pdf')!r}).write_bytes(write(read(SEED, 'tw')))\n")
    subprocess.run([sys.executable, "-c", fresh], check=True, cwd=ROOT)
    assert (tmp_path / "fresh.pdf").read_bytes() == write(doc)
    horizontal = write(doc, PdfOptions())
    assert horizontal == write(doc, PdfOptions(layout="horizontal"))
    assert b"/ViewerPreferences" not in horizontal and b"-Vert" not in horizontal
    # A horizontal document does not even load the vertical setting.
    probe = ("import io, sys\nfrom convert.model import Document, Meta, Para, Str\n"
             "from convert.writers.pdf import PdfWriter, PdfOptions\n"
             "doc = Document(Meta(title='t', language='zh-Hans-CN', script='hans'), (Para((Str('字'),)),))\n"
             "PdfWriter().write(doc, io.BytesIO(), PdfOptions())\n"
             "print(any(m.startswith('convert.writers.pdf.vertical') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True,
                         cwd=ROOT).stdout
    assert out.strip() == "False"


def test_the_option_reaches_the_writer_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from convert.cli import app

    result = CliRunner().invoke(app, ["convert", str(SEED), "-t", "pdf:tw", "-O", "pdf.layout=vertical",
                                      "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    (pdf,) = tmp_path.glob("*.pdf")
    assert b"/Direction /R2L" in pdf.read_bytes()
    bad = CliRunner().invoke(app, ["convert", str(SEED), "-t", "pdf", "-O", "pdf.layout=diagonal",
                                   "-o", str(tmp_path)])
    assert bad.exit_code != 0 and "horizontal" in bad.output


def test_awkward_documents_still_make_vertical_pdfs():
    """No title, a URL longer than a column, apostrophes in words, characters
    beyond the BMP, emphasis; a title alone; every option at its edges."""
    from pypdf import PdfReader

    url = "https://example.com/" + "a" * 150
    untitled = Document(Meta(language="zh-Hant-HK", script="hant"), (
        Heading(3, (Str("第一節"),)), Para((Str(f"網址{url}，見上。"),)),
        Para((Str("Don’t split it’s words。大廈𨋢門故障，"), Emph((Str("工人"),)), Str("𠝹開電線。"))),
    ))
    empty = Document(Meta(title="只有標題", language="zh-Hant-TW", script="hant"))
    for doc in (untitled, empty):
        for options in (VERTICAL, PdfOptions(layout="vertical", font_size=20, chars_per_line=25, line_spacing=3),
                        PdfOptions(layout="vertical", font_size=6, chars_per_line=80, line_spacing=1.2)):
            data = write(doc, options)
            pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
            assert body_text(doc, pages) == model_text(doc)
            for chars in page_chars(data):
                assert all(0 < c.x0 and c.x1 < 595.3 and 0 < c.y0 and c.y1 < 841.9 for c in chars)
    outline = PdfReader(io.BytesIO(write(untitled))).outline
    assert outline[0].title == "第一節"
    with pytest.raises(UsageError):
        PdfOptions(layout="diagonal")


@pytest.mark.parametrize("text,number,upright_digits", [
    ("第2季", "2", True),
    ("約100人", "100", True),
    ("增長35倍", "35", True),
    ("售價 iPhone 15 Pro 起", "15", False),   # a number inside a Latin phrase turns with it
    ("日期2024-01-02見", "2024-01-02", False),
    ("增長3.5%", "3.5%", False),
    ("共1234人", "1234", False),
    ("時間14:35開始", "14:35", False),
    ("A4紙", "A4", False),
])
def test_which_numbers_stand_upright(text, number, upright_digits):
    doc = Document(Meta(title="數字", language="zh-Hant-TW", script="hant"), (Para((Str(text),)),))
    chars = [c for page in page_chars(write(doc)) for c in page]
    at = "".join(c.get_text() for c in chars).index(number)
    run = chars[at:at + len(number)]
    if upright_digits:
        assert all(upright(c) for c in run)
        assert len({round(c.y0, 2) for c in run}) == 1
    else:
        assert all(turned_clockwise(c) for c in run)


def test_down_a_column_pairs_compress_by_the_vertical_rule():
    """A Mainland ：！？ stands centred in a column, so a quote after ： gives
    up its blank head (：“ takes 1.5 em), and ！” keeps both ems: the
    horizontal rule would have left the one a full hole and cut into the
    other's ink."""
    doc = Document(Meta(title="标题", language="zh-Hans-CN", script="hans"),
                   (Para((Str("他说：“好！”然后问：“真的吗？”她答。"),)),))
    chars = [c for c in page_chars(write(doc))[0] if abs(em(c) - 10.5) < 0.6]
    steps = {a.get_text() + b.get_text(): round((a.matrix[5] - b.matrix[5]) / 10.5, 3)
             for a, b in itertools.pairwise(chars)}
    assert steps["：“"] == 0.5
    assert steps["！”"] == steps["？”"] == 1.0
