"""Vertical EPUB (直排): the package says so, the chapters are set in
columns, short numbers stand upright, the embedded subsets keep the
vertical forms and metrics (and only in vertical books), EPUBCheck reports
nothing, and a real browser engine (headless Chromium) prints a chapter in
columns running top to bottom and right to left.

The position check (``vertical_reading``) is shared with the DOCX tests:
it reads the printed PDF's characters with pdfminer and orders them as a
reader of vertical text would."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from _corpus import CORPUS, SEED
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from test_writer_epub import NS, Book, expected_lines, in_script, run_epubcheck, sample_doc, shown_lines

from convert.model import Document
from convert.writers import _font_subset
from convert.writers._font_subset import subset_font, subset_options
from convert.writers._fonts import font_path
from convert.writers._vertical_subset import vertical_face, vertical_subset_options
from convert.writers.common import rendered_lines
from convert.writers.epub import EpubOptions, EpubWriter
from convert.writers.epub.punctuation import pair_classes
from convert.writers.epub.xhtml import UPRIGHT_CLASS, upright_numbers

# The seed in every script, and corpus pages of each kind: Taiwan news,
# Hong Kong style, traditional from the Mainland, simplified with Latin
# words and numbers of every length.
CORPUS_PAGES = {"007_huanqiu-tsai-hant": "hant", "003_cna-shangquan": "tw", "004_people-hollande-page": "hans",
                "009_cna-plg": "hk"}


@cache
def docs() -> dict[str, Document]:
    from convert.readers.news import read_news_file

    seed = read_news_file(SEED)
    found = {f"seed.{script}": in_script(seed, script) for script in ("hant", "tw", "hk", "hans")}
    for stem, script in CORPUS_PAGES.items():
        found[f"{stem}.{script}"] = in_script(read_news_file(CORPUS / f"{stem}.txt"), script)
    return found


def write(doc: Document, **options) -> tuple[bytes, tuple[str, ...]]:
    out = io.BytesIO()
    warnings = EpubWriter().write(doc, out, EpubOptions(**options))
    return out.getvalue(), warnings


@cache
def vertical_book(name: str, embed_fonts: bool = True) -> bytes:
    return write(docs()[name], layout="vertical", embed_fonts=embed_fonts)[0]


def han(text: str) -> str:
    return "".join(c for c in text if "CJK UNIFIED IDEOGRAPH" in unicodedata.name(c, ""))


# ---------------------------------------------------------------- the package


def test_option_defaults_to_horizontal_and_is_reached_by_its_key():
    from convert.writers.options import make

    assert EpubOptions().layout == "horizontal"
    assert make(EpubOptions, {"layout": "vertical"}, texts=True).layout == "vertical"


def test_vertical_book_turns_pages_right_to_left_and_tells_kindle():
    book = Book(vertical_book("seed.tw"))
    spine = book.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"
    metas = {m.get("name"): m.get("content") for m in book.opf.iterfind("opf:metadata/opf:meta", NS)}
    assert metas["primary-writing-mode"] == "vertical-rl"
    # Never the text direction: that would make the text right-to-left.
    assert book.opf.get("dir") is None
    for href in book.documents():
        assert "dir" not in book.xhtml(href).attrib


def test_horizontal_book_has_none_of_it():
    book = Book(write(docs()["seed.tw"])[0])
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") is None
    assert "primary-writing-mode" not in {m.get("name") for m in book.opf.iterfind("opf:metadata/opf:meta", NS)}
    assert "writing-mode" not in book.stylesheet()
    assert UPRIGHT_CLASS not in book.read(book.spine()[0]).decode("utf-8")


def test_stylesheet_sets_the_root_in_columns_and_short_numbers_upright():
    css = Book(vertical_book("seed.tw")).stylesheet()
    root = re.search(r"(?m)^html \{([^}]*)\}", css).group(1)
    for prop in ("-epub-writing-mode", "-webkit-writing-mode", "writing-mode"):
        assert re.search(rf"(?<![\w-]){re.escape(prop)}: vertical-rl;", root), prop
    combine = re.search(rf"\.{UPRIGHT_CLASS} \{{([^}}]*)\}}", css).group(1)
    assert "text-combine-upright: all;" in combine and "-epub-text-combine: horizontal;" in combine
    # Latin turns with the text: nothing sets it upright.
    assert "text-orientation: upright" not in css


@pytest.mark.parametrize("text, expected", [
    ("24日下午", "[24]日下午"),
    ("2017年6月25日 14:35", "2017年[6]月[25]日 14:35"),
    ("增幅仅约0.5%，COP21大会", "增幅仅约0.5%，COP21大会"),
    ("第1、2、3名，共100人，1,000元", "第[1]、[2]、[3]名，共[100]人，1,000元"),
    ("2016-06-25", "2016-06-25"),
    ("SN123", "SN123"),
])
def test_numbers_of_one_to_three_digits_are_marked_upright(text, expected):
    marked = upright_numbers(f"<p>{text}</p>")
    assert marked == "<p>" + expected.replace("[", f'<span class="{UPRIGHT_CLASS}">').replace("]", "</span>") + "</p>"


def test_vertical_chapters_show_the_same_lines():
    for name, doc in docs().items():
        book = Book(vertical_book(name))
        root = book.xhtml(book.spine()[0])
        assert shown_lines(root) == expected_lines(doc), name
        spans = root.iterfind(f".//x:span[@class='{UPRIGHT_CLASS}']", NS)
        assert all(re.fullmatch(r"[0-9]{1,3}", span.text) for span in spans), name



def nav_links(data: bytes):
    book = Book(data)
    return book.xhtml(book.nav_href()).iterfind(".//x:nav//x:a", NS)


def test_the_table_of_contents_sets_short_numbers_upright_as_the_chapters_do():
    from dataclasses import replace

    doc = docs()["seed.tw"]
    titled = replace(doc, meta=replace(doc.meta, title="第3屆論壇2017年開幕 24日 14:35 R&D"))
    books = {}
    for layout in ("vertical", "horizontal"):
        out = io.BytesIO()
        EpubWriter().write_many([titled, doc], out, EpubOptions(layout=layout), title="新聞選輯")
        books[layout] = out.getvalue()
    vertical, horizontal = list(nav_links(books["vertical"])), list(nav_links(books["horizontal"]))
    assert ["".join(a.itertext()) for a in vertical] == ["".join(a.itertext()) for a in horizontal]
    [link] = [a for a in vertical if "".join(a.itertext()) == titled.meta.title]
    upright = [span.text for span in link.iterfind(f"x:span[@class='{UPRIGHT_CLASS}']", NS)]
    assert upright == ["3", "24"]
    assert not any(a.findall(".//x:span", NS) for a in horizontal)
    # The NCX (EPUB 2) holds text only.
    ncx = Book(books["vertical"]).zip.read("EPUB/toc.ncx").decode("utf-8")
    assert UPRIGHT_CLASS not in ncx and "第3屆" in ncx


# ---------------------------------------------------------------- fonts


def drawing(font: TTFont, name: str) -> list:
    pen = RecordingPen()
    font.getGlyphSet()[name].draw(pen)
    return pen.value


@pytest.mark.parametrize("region", ["tw", "cn"])
def test_the_direct_writer_trims_every_outline_as_fonttools_does(region):
    """The direct path (horizontal and vertical subsets alike) cuts each
    glyph's padding itself; fontTools' Glyph.trim is the reference, on each
    glyph of the face as stored and padded to the next four bytes and more."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    from convert.writers._fonts import file_version

    face = _font_subset._Face(*file_version(font_path(region)))
    assert face.direct
    for gid in range(len(face.loca) - 1):
        data = bytes(face.glyf[face.loca[gid]:face.loca[gid + 1]])
        if not data:
            continue
        glyph = Glyph(data)
        glyph.trim()
        assert face.outline(gid).data == bytes(glyph.data), gid
        outline = face.outline(gid)
        padded = data + b"\0" * (4 + (-len(data)) % 4)
        assert _font_subset._trimmed(padded, outline.contours, outline.points) == bytes(glyph.data), gid


def test_a_direct_subset_loads_no_font_tables_of_fonttools(tmp_path):
    """From the face's cached index, writing a subset reads the file itself."""
    script = (
        "import sys\n"
        "from convert.writers._font_subset import subset_font\n"
        f"subset_font({str(font_path('tw'))!r}, set('新疆維吾爾，。「」'), vertical={{}})\n"
        "print(sorted(m for m in sys.modules if m.startswith('fontTools.ttLib')))\n"
    )
    env = {**os.environ, "DOCCONV_CACHE_DIR": str(tmp_path / "cache")}
    for vertical in (False, True):
        run = [sys.executable, "-c", script.format(vertical)]
        subprocess.run(run, check=True, env=env, capture_output=True)  # fills the cache
        found = subprocess.run(run, check=True, env=env, capture_output=True, text=True).stdout
        assert found.strip() == "[]", (vertical, found)


def test_vertical_subsets_keep_vertical_metrics_and_forms_for_the_book():
    book = Book(vertical_book("seed.hans"))
    text = book.read(book.spine()[0]).decode("utf-8") + "「」『』《》（）…"
    for region in ("cn", "tw", "hk"):
        path = font_path(region)
        face, columns = TTFont(path), vertical_face(path)
        face_cmap, face_order = face.getBestCmap(), face.getGlyphOrder()
        subset = TTFont(io.BytesIO(subset_font(path, set(text), vertical=True).data))
        cmap = subset.getBestCmap()
        assert {"vhea", "vmtx", "GSUB"} <= set(subset.keys())
        gsub = subset["GSUB"].table
        assert [r.FeatureTag for r in gsub.FeatureList.FeatureRecord] == ["vert", "vrt2"]
        forms = {r.FeatureTag: gsub.LookupList.Lookup[r.Feature.LookupListIndex[0]].SubTable[0].mapping
                 for r in gsub.FeatureList.FeatureRecord}
        checked = 0
        for code, name in cmap.items():
            face_name = face_cmap[code]
            assert subset["vmtx"][name] == face["vmtx"][face_name], (region, chr(code))
            face_form = columns.forms["vert"].get(face_order.index(face_name))
            if face_form is None:
                assert name not in forms["vert"], (region, chr(code))
                continue
            form = forms["vert"][name]
            assert drawing(subset, form) == drawing(face, face_order[face_form]), (region, chr(code))
            assert subset["vmtx"][form] == face["vmtx"][face_order[face_form]]
            checked += 1
        assert checked >= 8, region  # brackets, quotes, the ellipsis at least


def vertical_adjustments(font: TTFont, text: str) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """What the subset's GPOS does down a column to the vertical forms of
    ``text``: mark -> (y placement, y advance) of 'vhal', and pair of
    adjacent marks -> y advance of the first under 'vkrn'."""
    cmap, gsub, gpos = font.getBestCmap(), font["GSUB"].table, font["GPOS"].table
    (vert,) = [r for r in gsub.FeatureList.FeatureRecord if r.FeatureTag == "vert"]
    forms = gsub.LookupList.Lookup[vert.Feature.LookupListIndex[0]].SubTable[0].mapping
    set_as = {c: forms.get(cmap[ord(c)], cmap[ord(c)]) for c in text if ord(c) in cmap}
    lookups = {r.FeatureTag: gpos.LookupList.Lookup[r.Feature.LookupListIndex[0]].SubTable[0]
               for r in gpos.FeatureList.FeatureRecord}
    half_sub = lookups["vhal"]
    half = {c: (v.YPlacement or 0, v.YAdvance or 0) for c, g in set_as.items() if g in half_sub.Coverage.glyphs
            for v in [half_sub.Value[half_sub.Coverage.glyphs.index(g)]]}
    pair_sub = lookups["vkrn"]
    pairs = {}
    for a in set_as:
        for b in set_as:
            first, second = set_as[a], set_as[b]
            if first not in pair_sub.Coverage.glyphs:
                continue
            record = pair_sub.Class1Record[pair_sub.ClassDef1.classDefs.get(first, 0)]
            value = record.Class2Record[pair_sub.ClassDef2.classDefs.get(second, 0)].Value1
            if value is not None and value.YAdvance:
                pairs[a + b] = value.YAdvance
    return half, pairs


def test_vertical_subsets_compress_adjacent_marks_down_the_column():
    marks = "。，、「」『』“”（）《》"
    mainland = TTFont(io.BytesIO(subset_font(font_path("cn"), set(marks + "自"), vertical=True,
                                             pairs=pair_classes("cn", vertical=True)).data))
    half, pairs = vertical_adjustments(mainland, marks + "自")
    assert not [pair for pair in pairs if "自" in pair]  # only marks give up their blank
    # Mainland stop marks sit at the column's head, blank below; an opening
    # bracket's blank is at its head, a closing one's at its foot.
    assert half["。"] == half["，"] == half["」"] == half["”"] == (0, -500)
    assert half["「"] == half["“"] == half["（"] == (500, -500)
    assert pairs["。”"] == pairs["，“"] == pairs["」。"] == pairs["”「"] == -500  # 2 em become 1.5
    assert "「“" in pairs and "。，" not in pairs  # two stops, no bracket: each keeps its em (clreq 3.1.6.2)
    taiwan = TTFont(io.BytesIO(subset_font(font_path("tw"), set(marks + "自"), vertical=True,
                                           pairs=pair_classes("tw", vertical=True)).data))
    half, pairs = vertical_adjustments(taiwan, marks)
    assert half["。"] == (250, -500)  # centred: a quarter each side, and nothing goes beside it
    assert "。」" not in pairs and pairs["」「"] == -500


def test_the_fonttools_path_keeps_the_same_vertical_forms(tmp_path):
    """A face the direct writer cannot take goes to fontTools' subsetter,
    set to keep the vertical tables: the same forms come out."""
    text = set("「」『』《》（），。、“”‘’…自治區黨委")
    path = font_path("cn")
    face = _font_subset._face(path)
    codes = sorted(ord(c) for c in text if ord(c) in face.glyph_of)
    made = {"direct": subset_font(path, text, vertical=True).data,
            "fonttools": face.write_with_fonttools(codes, options=vertical_subset_options(subset_options()))}
    forms = {}
    for how, data in made.items():
        file = tmp_path / f"{how}.ttf"
        file.write_bytes(data)
        font, columns = TTFont(file), vertical_face(file)
        assert {"vhea", "vmtx", "GSUB"} <= set(font.keys())
        order = font.getGlyphOrder()
        forms[how] = {chr(code): (drawing(font, order[columns.forms["vert"][order.index(name)]]),
                                  font["vmtx"][order[columns.forms["vert"][order.index(name)]]])
                      for code, name in font.getBestCmap().items() if order.index(name) in columns.forms["vert"]}
    assert forms["direct"] == forms["fonttools"]
    assert len(forms["direct"]) >= 12


def test_vertical_subsets_pass_the_browsers_sanitizer_and_are_a_little_larger(tmp_path):
    ots = pytest.importorskip("ots")
    for name in ("seed.tw", "seed.hans"):
        horizontal = Book(write(docs()[name])[0]).fonts()
        vertical = Book(vertical_book(name)).fonts()
        assert horizontal.keys() == vertical.keys()
        for href, data in vertical.items():
            assert "vhea" not in TTFont(io.BytesIO(horizontal[href])), href
            assert len(horizontal[href]) < len(data) < 1.1 * len(horizontal[href]), href
            source, target = tmp_path / "in.ttf", tmp_path / "out.ttf"
            source.write_bytes(data)
            done = ots.sanitize(str(source), str(target), capture_output=True)
            assert done.returncode == 0, (done.stdout + done.stderr).decode("utf-8", "replace")


def test_vertical_book_is_reproducible():
    assert write(docs()["seed.hk"], layout="vertical")[0] == vertical_book("seed.hk")


# ---------------------------------------------------------------- EPUBCheck


def test_epubcheck_reports_nothing_for_vertical_books(tmp_path):
    books = {name: vertical_book(name) for name in docs()}
    books["seed.tw.plain"] = vertical_book("seed.tw", embed_fonts=False)
    books["sample"] = write(sample_doc(), layout="vertical")[0]
    out = io.BytesIO()
    EpubWriter().write_many(list(docs().values()), out, EpubOptions(layout="vertical"), title="新聞選輯")
    books["bundle"] = out.getvalue()
    paths = []
    for name, data in books.items():
        path = tmp_path / f"{name}.epub"
        path.write_bytes(data)
        paths.append(path)
    findings = {Path(p).stem: msg for p, msg in run_epubcheck(paths, tmp_path).items()}
    failed = {name: msg for name, msg in findings.items() if msg}
    assert not failed, "\n\n".join(f"{k}:\n{v}" for k, v in failed.items())


# ---------------------------------------------------------------- positions in a printed PDF


@dataclass(frozen=True)
class Glyph:
    text: str
    x: float  # centre
    y: float  # centre, up the page
    size: float
    matrix: tuple[float, ...]

    @property
    def turned_clockwise(self) -> bool:
        a, b, c, d = self.matrix[:4]
        return abs(a) < 1e-3 and abs(d) < 1e-3 and b < 0 < c


def printed_glyphs(pdf: Path) -> list[list[Glyph]]:
    """Each page's characters in the order the PDF draws them."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def walk(item, found: list[Glyph]) -> list[Glyph]:
        if isinstance(item, LTChar):
            found.append(Glyph(item.get_text(), (item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2, item.size,
                               tuple(item.matrix)))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child, found)
        return found

    return [walk(page, []) for page in extract_pages(str(pdf), laparams=None)]


@dataclass(frozen=True)
class Reading:
    text: str  # the Han characters in vertical reading order
    down: int  # pairs of Han characters drawn one after the other that go down a column
    pairs: int  # pairs of Han characters drawn one after the other


def down_runs(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """The Han characters of a page in runs drawn one under the other."""
    runs: list[list[Glyph]] = []
    for g in glyphs:
        if not han(g.text):
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and abs(g.x - last.x) < 0.3 * last.size and 0 < last.y - g.y < 3 * last.size:
            runs[-1].append(g)
        else:
            runs.append([g])
    return runs


def column_band(runs: list[list[Glyph]]) -> tuple[float, float] | None:
    """(bottom, top) of the band the columns fill: the runs of three
    characters or more, and a character's size around them."""
    long = [g for run in runs if len(run) >= 3 for g in run]
    if not long:
        return None
    return min(g.y - g.size for g in long), max(g.y + g.size for g in long)


def vertical_reading(pages: list[list[Glyph]]) -> Reading:
    """The pages' Han characters read as vertical text: on each page the
    runs of characters going down one column, columns from the right, a
    column from its head; pages in order.  Characters outside the band
    the columns fill (a horizontal running header and page footer) are left
    out.  Text set horizontally reads as a jumble here: its runs are single
    characters, side by side."""
    text, down, pairs = [], 0, 0
    for glyphs in pages:
        runs = down_runs(glyphs)
        down += sum(len(run) - 1 for run in runs)
        pairs += max(0, sum(len(run) for run in runs) - 1)
        band = column_band(runs)
        if band is None:
            continue
        bottom, top = band
        runs = [run for run in runs if all(bottom <= g.y <= top for g in run)]
        columns: list[list[list[Glyph]]] = []
        for run in sorted(runs, key=lambda r: -r[0].x):
            if columns and abs(columns[-1][0][0].x - run[0].x) < 0.5 * run[0].size:
                columns[-1].append(run)
            else:
                columns.append([run])
        for column in columns:
            for run in sorted(column, key=lambda r: -r[0].y):
                text.extend(g.text for g in run)
    return Reading("".join(text), down, pairs)


def model_han(doc: Document) -> str:
    return han("".join(line.text for line in rendered_lines(doc)))


def assert_reads_vertically(pages: list[list[Glyph]], doc: Document) -> None:
    reading = vertical_reading(pages)
    assert reading.pairs and reading.down >= 0.9 * reading.pairs, (reading.down, reading.pairs)
    assert reading.text == model_han(doc)
    glyphs = [g for page in pages for g in page]
    latin = [g for g in glyphs if g.text.isascii() and g.text.isalpha()]
    assert all(g.turned_clockwise for g in latin), [g.text for g in latin if not g.turned_clockwise][:10]
    assert all(not g.turned_clockwise for g in glyphs if han(g.text))


def upright_numbers_drawn(pages: list[list[Glyph]]) -> list[str]:
    """Numbers drawn upright in the columns' band: digits not turned, each
    after the first beside it on the same baseline (side by side), not
    under it."""
    found: list[str] = []
    for glyphs in pages:
        band = column_band(down_runs(glyphs))
        last = None
        for g in glyphs:
            if (not (g.text.isdigit() and g.text.isascii()) or g.turned_clockwise
                    or band is None or not band[0] <= g.y <= band[1]):
                last = None
                continue
            if last is not None and abs(last.y - g.y) < 0.1 * g.size and 0 < g.x - last.x < g.size:
                found[-1] += g.text
            else:
                found.append(g.text)
            last = g
    return found


def short_numbers(doc: Document) -> list[str]:
    return re.findall(r"(?<![0-9A-Za-z.,:/%+\-])[0-9]{1,3}(?![0-9A-Za-z.,:/%])",
                      "\n".join(line.text for line in rendered_lines(doc)))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: the browser check cannot run")


def chromium_pdf(epub: bytes, tmp_path: Path) -> Path:
    """The book's first chapter as headless Chromium prints it, with the
    book's stylesheet and fonts."""
    folder = tmp_path / "book"
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        z.extractall(folder)
    book = Book(epub)
    chapter = folder / book.base / book.spine()[0]
    pdf = tmp_path / "chapter.pdf"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", chapter.as_uri()],
        capture_output=True, text=True, timeout=180)
    assert pdf.is_file(), f"Chromium printed nothing: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return pdf


def embedded_font_kinds(pdf: Path) -> set[str]:
    from pypdf import PdfReader

    kinds = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or []:
                kinds.add(str(descendant.get_object()["/Subtype"]))
    return kinds


@needs_chromium
@pytest.mark.parametrize("name", ["seed.tw", "seed.hans", *(f"{stem}.{script}" for stem, script in CORPUS_PAGES.items())])
def test_chromium_prints_the_chapter_in_columns_from_the_right(name, tmp_path):
    pdf = chromium_pdf(vertical_book(name), tmp_path)
    # Set in the embedded subsets (TrueType outlines), not the system's CFF Noto.
    assert embedded_font_kinds(pdf) == {"/CIDFontType2"}
    pages = printed_glyphs(pdf)
    assert_reads_vertically(pages, docs()[name])
    assert sorted(upright_numbers_drawn(pages)) == sorted(short_numbers(docs()[name]))


@needs_chromium
def test_the_position_check_fails_on_a_horizontal_chapter(tmp_path):
    pages = printed_glyphs(chromium_pdf(write(docs()["seed.tw"])[0], tmp_path))
    reading = vertical_reading(pages)
    assert reading.down < 0.1 * reading.pairs
    assert reading.text != model_han(docs()["seed.tw"])


@pytest.mark.parametrize("region", ["cn", "tw", "hk"])
def test_down_a_column_the_faces_blank_halves_are_where_the_rule_says(region):
    """The faces' 'vhal' leaves blank, at the head or the foot of each
    mark's vertical form, the half convert.lang says for left or right, so
    the one pair rule serves columns too without cutting into ink."""
    from convert import lang
    from convert.writers._font_subset import vertical_half_width_marks

    vhal = vertical_half_width_marks(font_path(region))
    for mark in lang.OPENING + lang.CLOSING + lang.PAUSES_STOPS:
        placement, advance = vhal.get(mark, (0.25, -0.5))  # no 'vhal': centred, not adjustable
        assert advance == -0.5, mark
        side = {0.5: "left", 0.0: "right"}.get(placement, "")
        assert side == lang.blank_half(mark, region, vertical=True), (mark, placement)
