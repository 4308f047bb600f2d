"""The PDF writer: line breaking on synthetic glyphs, then real PDFs checked with
the readers a user has (pdftotext, pdffonts, qpdf, pypdf, pdfminer)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from _corpus import CORPUS_FILES as CORPUS
from _corpus import SEED

from convert.errors import UsageError
from convert.model import (
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
    Str,
    Strong,
    inline_text,
)
from convert.writers.common import page_label, rendered_lines, running_header
from convert.writers.pdf import PdfOptions, PdfWriter
from convert.writers.pdf.lines import (
    CANNOT_END,
    CANNOT_START,
    Glyph,
    balanced_lines,
    break_allowed,
    break_lines,
    set_line,
)

A4 = (595.276, 841.89)
# The rules as TYPOGRAPHY states them, kept apart from the writer's own lists
# so that a mistake there cannot hide here.
NO_LINE_START = set("、，。．：；！？”’」』）］｝〕】〉》·,.:;?!)]")
NO_LINE_END = set("“‘「『（［｛〔【〈《")

# ---------------------------------------------------------------- line breaking


def glyphs(text: str, squeeze: bool = False) -> list[Glyph]:
    """Unit-size glyphs: Han and full-width marks 1 wide, Latin 0.5."""
    out = []
    for ch in text:
        wide = not ch.isascii()
        right = 0.5 if squeeze and ch in "，。、" else 0.0
        out.append(Glyph(ch, "F", 1.0, 1.0 if wide else 0.5, 0.0, right))
    return out


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def test_a_pause_mark_is_pushed_in_by_squeezing_punctuation():
    lines = break_lines(glyphs("一、二、三四五六七八，九十", squeeze=True), 10)
    assert texts(lines) == ["一、二、三四五六七八，", "九十"]
    assert lines[0].extent == pytest.approx(10)
    # the three marks gave up a third of their blank half each
    assert lines[0].xs[2] - lines[0].xs[1] == pytest.approx(1 - 1 / 3)


def test_without_squeezable_punctuation_a_character_is_pushed_out():
    lines = break_lines(glyphs("一二三四五六七八九十，一二"), 10)
    assert texts(lines) == ["一二三四五六七八九", "十，一二"]
    assert lines[0].extent == pytest.approx(10)  # justified: the slack is spread


def test_a_last_line_never_holds_a_single_character():
    lines = break_lines(glyphs("一二三四五六七八九十代。"), 10)
    assert texts(lines) == ["一二三四五六七八九", "十代。"]
    assert lines[0].extent == pytest.approx(10)


def test_no_line_ends_with_an_opening_quote():
    lines = break_lines(glyphs("一二三四五六七八九“十”一二"), 10)
    assert texts(lines) == ["一二三四五六七八九", "“十”一二"]


@pytest.mark.parametrize("mark", ["——", "……"])
def test_doubled_dashes_and_ellipses_stay_whole(mark):
    lines = break_lines(glyphs(f"一二三四五六七八九{mark}十"), 10)
    assert all(mark in line or mark[0] not in line for line in texts(lines))


def test_latin_words_and_numbers_are_not_split():
    lines = break_lines(glyphs("一二三四五六七GDP2020年增长"), 8)
    assert texts(lines) == ["一二三四五六七", "GDP2020年增长"]


def test_a_long_url_is_broken_after_a_slash_rather_than_leave_a_gaping_line():
    lines = texts(break_lines(glyphs("网址http://example.com/abcdefghij/klmnop，见上"), 16))
    assert lines == ["网址http://example.com/", "abcdefghij/klmnop，见上"]
    lines = texts(break_lines(glyphs("网址http://example.com/" + "x" * 40), 16))
    assert lines == ["网址http://example.com/", "x" * 32, "x" * 8]


def test_a_glyph_marked_as_part_of_a_word_is_not_a_break():
    marks = glyphs("一二三四五六七八De’Mon")
    marks[10] = Glyph("’", "F", 1.0, 0.25, word=True)  # an apostrophe, as the layout sets it
    assert texts(break_lines(marks, 10)) == ["一二三四五六七八", "De’Mon"]


def test_every_break_respects_the_prohibition_lists():
    text = "「我們」，他說：「這是《新聞》（二〇一七）。」她問？答：“好！”——是的……" * 6
    for width in range(6, 30):
        lines = texts(break_lines(glyphs(text, squeeze=True), width))
        assert "".join(lines) == text
        for before, after in pairwise(lines):
            assert after[0] not in CANNOT_START, (width, before, after)
            assert before[-1] not in CANNOT_END, (width, before, after)


def test_justification_spreads_the_slack_and_caps_latin_boundaries():
    line = break_lines(glyphs("一二三四五六七八九十，一二"), 10)[0]
    gaps = [b - a - 1 for a, b in pairwise(line.xs)]
    assert max(gaps) - min(gaps) < 1e-9 and gaps[0] == pytest.approx(1 / 8)  # not left at the end
    line = set_line(glyphs("一二AB三四"), 8, justify=True)
    xs = dict(zip("一二AB三四", line.xs, strict=True))
    assert line.extent == pytest.approx(8)
    assert xs["B"] - xs["A"] == pytest.approx(0.5)  # no space inside a word
    assert xs["A"] - xs["二"] - 1 == pytest.approx(0.25)  # at most 1/4 em at Han/Latin
    assert xs["二"] - xs["一"] - 1 == pytest.approx(1.25)  # the rest goes between Han


def test_breaks_are_forbidden_only_where_the_rules_say():
    assert not break_allowed("中", "，") and not break_allowed("（", "中")
    assert not break_allowed("a", "b") and not break_allowed("—", "—")
    assert break_allowed("中", "文") and break_allowed("，", "中") and break_allowed("a", "中")


def test_titles_are_balanced_rather_than_leaving_a_short_last_line():
    lines = balanced_lines(glyphs("一二三四五六七八九十一二"), 10)
    assert texts(lines) == ["一二三四五六", "七八九十一二"]


# ---------------------------------------------------------------- real PDFs


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (poppler-utils / qpdf; .ci/run installs them)")
    return path


def sample_doc(script: str = "hans") -> Document:
    hant = script == "hant"
    language = "zh-Hant-TW" if hant else "zh-Hans-CN"

    def t(simplified: str, traditional: str) -> str:
        return traditional if hant else simplified

    long_para = t("会议指出，在全面推进脱贫攻坚的关键时期，", "會議指出，在全面推進脫貧攻堅的關鍵時期，") * 6
    return Document(
        meta=Meta(
            title=t("测试标题：排版检查　第二部分", "測試標題：排版檢查　第二部分"),
            subtitle=t("副标题", "副標題"),
            site=t("人民网", "人民網"),
            channel=t("时政", "時政"),
            published="2017-06-25T14:35+08:00",
            source=t("新疆日报", "新疆日報"),
            byline=t("记者 王小明", "記者 王小明"),
            editors=("姜萍萍", "程宏毅"),
            language=language,
            script=script,
            input_path="sample.txt",
        ),
        blocks=(
            Para((Str(long_para + t("（记者　王小明）", "（記者　王小明）")),)),
            Heading(2, (Str(t("一、小标题", "一、小標題")),)),
            Para((Str("2020年GDP增长6.5%，"), Strong((Str(t("重点", "重點")),)),
                  Emph((Str(t("强调", "強調")),)), Str(t("。第一行", "。第一行")), LineBreak(),
                  Str(t("第二行。", "第二行。")))),
            # 38 characters fill the indented first line; the comma after them
            # cannot start the next one, so a character is pushed out and the
            # first line is justified.
            Para((Str(t("两岸", "兩岸") * 19 + "，" + t("两岸", "兩岸") * 30),)),
            OrderedList((
                ListItem(t("一要", "一要"), (Str(t("进一步提高认识。", "進一步提高認識。")),),
                         (Str(long_para),)),
                ListItem("（二）", (), (Str(t("没有引导句的条目。", "沒有引導句的條目。")),)),
            ), style="cjk-yao"),
            BlockQuote((Para((Str(t("引文段落，", "引文段落，") * 12),)),)),
            Div((Para((Str(t("容器中的段落。", "容器中的段落。") * 150),)),)),
        ),
    )


def write(doc: Document, options: PdfOptions | None = None) -> tuple[bytes, tuple[str, ...]]:
    buf = io.BytesIO()
    warnings = PdfWriter().write(doc, buf, options or PdfOptions())
    assert isinstance(warnings, tuple)
    return buf.getvalue(), warnings


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run([need("pdftotext"), *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def body_pages(doc: Document, pages: list[str]) -> list[str]:
    """Each page's text without its running header and its footer, which are
    checked on the way."""
    header = squash(running_header(doc))
    out = []
    for n, page in enumerate(pages, 1):
        text = squash(page)
        footer = squash(page_label(doc, n, len(pages)))
        assert text.endswith(footer), (n, text[-40:])
        text = text[: -len(footer)]
        if n > 1 and header:
            assert text.startswith(header), (n, text[:40])
            text = text[len(header):]
        out.append(text)
    return out


def check_text_round_trip(doc: Document, data: bytes, tmp_path: Path) -> None:
    """pdftotext and pypdf both give back the model's text, in order."""
    from pypdf import PdfReader

    expected = squash("".join(line.text for line in rendered_lines(doc)))
    poppler = pdftotext(data, tmp_path).split("\f")[:-1]
    assert "".join(body_pages(doc, poppler)) == expected
    pypdf = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert "".join(body_pages(doc, pypdf)) == expected


def check_line_edges(data: bytes, tmp_path: Path) -> None:
    """No line of the PDF, as pdftotext reads it, breaks a prohibition rule."""
    for line in pdftotext(data, tmp_path).splitlines():
        line = line.strip(" \f\u3000")
        if line:
            assert line[0] not in NO_LINE_START, line
            assert line[-1] not in NO_LINE_END, line


def pdffonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run([need("pdffonts"), str(path)], check=True, capture_output=True,
                         text=True).stdout
    return [row.split() for row in out.splitlines()[2:]]


def check_fonts(data: bytes, tmp_path: Path, family: str) -> None:
    rows = pdffonts(data, tmp_path)
    assert rows
    for row in rows:
        name, emb, sub, uni = row[0], row[-5], row[-4], row[-3]
        assert "+" in name and (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert any(family in row[0] for row in rows)


@pytest.mark.parametrize("script,family", [("hans", "NotoSerifCJKsc"), ("hant", "NotoSerifCJKtc")])
def test_sample_document_structure_fonts_and_text(script, family, tmp_path):
    from pypdf import PdfReader

    doc = sample_doc(script)
    data, warnings = write(doc)
    assert warnings == ()
    assert data.startswith(b"%PDF-")

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.01)
    assert reader.trailer["/Root"]["/Lang"] == doc.meta.language
    info = reader.metadata
    assert info.title == doc.meta.title
    assert info.author == doc.meta.byline
    assert info.subject == doc.meta.subtitle
    assert info["/Keywords"] == ", ".join([doc.meta.site, doc.meta.channel, doc.meta.source])
    assert info.creator.startswith("convert")
    assert info["/CreationDate"] == info["/ModDate"] == "D:20170625143500+08'00'"
    title, children = reader.outline  # the title, and the heading one level down
    assert title.title == doc.meta.title
    assert [item.title for item in children] == [inline_text(doc.blocks[1].content)]
    assert reader.get_destination_page_number(children[0]) == 0

    check_fonts(data, tmp_path, family)
    check_text_round_trip(doc, data, tmp_path)
    check_line_edges(data, tmp_path)

    check = subprocess.run([need("qpdf"), "--check", str(tmp_path / "doc.pdf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_page_labels_follow_the_script(tmp_path):
    for script, word in (("hans", "页"), ("hant", "頁")):
        text = pdftotext(write(sample_doc(script))[0], tmp_path)
        assert re.search(rf"第 1 {word}，共 \d+ {word}", text), text[-200:]


def chars_by_line(data: bytes):
    """pdfminer's characters of every text line: (font name, char, x0, x1, y)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    for page in extract_pages(io.BytesIO(data)):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLine):
                    yield [(c.fontname, c.get_text(), c.x0, c.x1, c.y0) for c in line
                           if isinstance(c, LTChar)]


def test_lead_sentences_are_bold_and_paragraphs_indented_and_justified():
    doc = sample_doc("hans")
    options = PdfOptions()
    data, _ = write(doc, options)
    lines = [line for line in chars_by_line(data) if line]
    left = (A4[0] - options.font_size * options.chars_per_line) / 2
    right = left + options.font_size * options.chars_per_line
    size = options.font_size

    lead = next(line for line in lines if "".join(c[1] for c in line).startswith("一要"))
    text = "".join(c[1] for c in lead)
    bold_part = len("一要进一步提高认识。")
    assert all("Bold" in c[0] for c in lead[:bold_part]), text
    assert all("Regular" in c[0] for c in lead[bold_part:]), text
    assert lead[0][2] == pytest.approx(left + 2 * size, abs=0.05)  # 2-em indent

    pushed = next(line for line in lines if "".join(c[1] for c in line).startswith("两岸两岸"))
    assert "".join(c[1] for c in pushed) == "两岸" * 18 + "两"  # 岸， went to the next line
    assert pushed[0][2] == pytest.approx(left + 2 * size, abs=0.05)  # the 2-em indent
    assert pushed[-1][3] == pytest.approx(right, abs=0.3)  # justified to the margin ...
    gaps = [b[2] - a[3] for a, b in pairwise(pushed)]
    assert min(gaps) > 0.02 and max(gaps) - min(gaps) < 0.02  # ... with the slack spread evenly
    follow = next(ln for ln in lines if ln[0][4] < pushed[0][4] - 5)
    assert "".join(c[1] for c in follow).startswith("岸，")
    assert follow[0][2] == pytest.approx(left, abs=0.05)


def test_same_input_gives_identical_bytes_even_in_a_fresh_process(tmp_path):
    doc = sample_doc("hant")
    first, _ = write(doc)
    write(sample_doc("hans"))  # another document in between must leave no trace
    assert write(doc)[0] == first
    script = (
        "import sys, io\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_writer_pdf import sample_doc, write\n"
        "sys.stdout.buffer.write(write(sample_doc('hant'))[0])\n"
    )
    fresh = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True).stdout
    assert fresh == first


def test_a_character_no_font_has_is_reported_by_file(monkeypatch, tmp_path):
    from convert.writers import _fonts
    from convert.writers.pdf import fonts as pdf_fonts

    monkeypatch.setattr(pdf_fonts, "_fallbacks", {})
    monkeypatch.setattr(_fonts, "system_font_for", lambda ch: None)
    doc = Document(Meta(title="罕见字", language="zh-Hans-CN", script="hans",
                        input_path="/data/in/rare.txt"), (Para((Str("这个字𠀀和𪚥都不在字库里。"),)),))
    data, warnings = write(doc)
    assert len(warnings) == 1
    assert "U+20000" in warnings[0] and "U+2A6A5" in warnings[0]
    assert "rare.txt" not in warnings[0]  # whoever prints it names the file
    check_fonts(data, tmp_path, "NotoSerifCJKsc")


def tiny_font(path: Path, ch: str) -> Path:
    """A TrueType font with one square glyph for ``ch``: a stand-in system font."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for x, y in ((100, 0), (100, 700), (600, 700), (600, 0)):
        (pen.lineTo if x != 100 or y != 0 else pen.moveTo)((x, y))
    pen.closePath()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "box"])
    fb.setupCharacterMap({ord(ch): "box"})
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "box": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "box": (700, 100)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Stand In", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def test_a_character_the_bundled_fonts_lack_comes_from_a_system_font(monkeypatch, tmp_path):
    from convert.writers import _fonts
    from convert.writers.pdf import fonts as pdf_fonts

    font = tiny_font(tmp_path / "StandIn.ttf", "Ա")
    monkeypatch.setattr(pdf_fonts, "_fallbacks", {})
    monkeypatch.setattr(_fonts, "system_font_for", lambda ch: font if ch == "Ա" else None)
    doc = Document(Meta(title="亚美尼亚字母", language="zh-Hans-CN", script="hans"),
                   (Para((Str("字母Ա在这里。"),)),))
    data, warnings = write(doc)
    assert warnings == ()
    rows = pdffonts(data, tmp_path)
    assert any("StandIn" in row[0] or "Stand" in row[0] for row in rows), rows
    check_text_round_trip(doc, data, tmp_path)


def test_a_real_system_font_fills_in_where_fontconfig_has_one(tmp_path):
    from convert.writers import _fonts

    if _fonts.system_font_for("Ա") is None:
        pytest.skip("fontconfig knows no TrueType font with Armenian letters here")
    doc = Document(Meta(title="字母", language="zh-Hans-CN", script="hans"),
                   (Para((Str("亚美尼亚字母Ա。"),)),))
    data, warnings = write(doc)
    assert warnings == ()
    assert len(pdffonts(data, tmp_path)) >= 2
    check_text_round_trip(doc, data, tmp_path)


def test_awkward_documents_still_make_valid_pdfs(tmp_path):
    from pypdf import PdfReader

    url = "https://example.com/" + "a" * 150
    untitled = Document(Meta(language="zh-Hant-HK", script="hant"), (
        Heading(3, (Str("第一節"),)), Para((Str(f"網址{url}，見上。"),)),
        Heading(4, (Str("小節"),)), Para((Str("Don’t split it’s words。"),)),
    ))
    empty = Document(Meta(title="只有標題", language="zh-Hant-TW", script="hant"))
    for doc, family in ((untitled, "NotoSerifCJKhk"), (empty, "NotoSerifCJKtc")):
        data, warnings = write(doc)
        assert warnings == ()
        check_text_round_trip(doc, data, tmp_path)
        check_fonts(data, tmp_path, family)
    outline = PdfReader(io.BytesIO(write(untitled)[0])).outline
    assert outline[0].title == "第一節" and outline[1][0].title == "小節"
    words = [ln for ln in chars_by_line(write(untitled)[0]) if "D" in "".join(c[1] for c in ln)]
    text = "".join(c[1] for c in words[0])
    n, t = text.index("n"), text.index("t")
    apostrophe = words[0][n + 1]
    assert apostrophe[1] == "’" and words[0][t][2] - apostrophe[2] < 0.3 * PdfOptions().font_size


def test_options_are_checked():
    with pytest.raises(UsageError):
        PdfOptions(font_size=2)
    with pytest.raises(UsageError):
        PdfOptions(chars_per_line=80, font_size=12)
    writer = PdfWriter()
    assert (writer.name, writer.extension, writer.kind, writer.Options) == ("pdf", "pdf", "document", PdfOptions)


# ---------------------------------------------------------------- seed and corpus


def read_or_skip(path: Path) -> Document:
    try:
        from convert.readers.news import read_news_file
    except ImportError as exc:
        pytest.skip(f"the news reader is not available yet: {exc}")
    return read_news_file(path)


@pytest.mark.parametrize("script", [None, "hans", "tw"])
def test_seed(script, tmp_path):
    from convert.transforms import TransformOptions, apply_transforms

    doc = read_or_skip(SEED)
    if script:
        doc = apply_transforms(doc, TransformOptions(script=script))
    data, warnings = write(doc)
    assert warnings == ()
    check_fonts(data, tmp_path, "NotoSerifCJKsc" if script == "hans" else "NotoSerifCJKtc")
    check_text_round_trip(doc, data, tmp_path)
    check_line_edges(data, tmp_path)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus(path, tmp_path):
    doc = read_or_skip(path)
    data, warnings = write(doc)
    assert warnings == ()
    check_fonts(data, tmp_path, "NotoSerifCJK")
    check_text_round_trip(doc, data, tmp_path)
    check_line_edges(data, tmp_path)


def test_characters_beyond_the_bmp_copy_out_as_themselves(tmp_path):
    """Hong Kong text sets HKSCS characters beyond the BMP (𨋢 lift, 𠝹
    cut): text extraction and search must give them back, not a neighbour."""
    from pypdf import PdfReader

    text = "大廈𨋢門故障，工人𠝹開電線，居民要行樓梯。"
    doc = Document(Meta(title="𨋢門故障", language="zh-Hant-HK", script="hant"), (Para((Str(text),)),))
    data, warnings = write(doc)
    assert not warnings
    assert text in squash(pdftotext(data, tmp_path))
    assert text in squash(PdfReader(io.BytesIO(data)).pages[0].extract_text())
