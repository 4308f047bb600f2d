"""The PDF writer: line breaking on synthetic glyphs, then real PDFs checked with
the readers a user has (pdftotext, pdffonts, qpdf, pypdf, pdfminer)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import unicodedata
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
from convert.writers.pdf.layout import BOTTOM_MARGIN
from convert.writers.pdf.lines import (
    CANNOT_END,
    CANNOT_START,
    TAIWAN,
    Glyph,
    Line,
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


OPENING = "“‘「『（《"
CLOSING = "”’」』）》、，。：；！？"


def glyphs(text: str, marks: bool = False, centred: str = "") -> list[Glyph]:
    """Unit-size glyphs: Han and full-width marks 1 wide, Latin 0.5.  With
    ``marks`` the marks have their blank half as in a Mainland face (closing
    ones and pause marks on the right, opening ones on the left); those in
    ``centred`` sit in the middle, as in a Taiwan face, with no blank half."""
    out = []
    for ch in text:
        wide = not ch.isascii()
        left = 0.5 if marks and ch in OPENING and ch not in centred else 0.0
        right = 0.5 if marks and ch in CLOSING and ch not in centred else 0.0
        out.append(Glyph(ch, "F", 1.0, 1.0 if wide else 0.5, left, right))
    return out


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def widths(line) -> list[float]:
    """How far each glyph of a line is from the next (the last: to the line's end)."""
    return [b - a for a, b in pairwise([*line.xs, line.extent])]


def test_a_pause_mark_is_pushed_in_only_by_halving_it_at_the_line_end():
    # Half an em of room: the comma comes in, set in the half em.
    lines = break_lines(glyphs("一二三四五六七八九，十一", marks=True), 9.5)
    assert texts(lines) == ["一二三四五六七八九，", "十一"]
    assert lines[0].extent == pytest.approx(9.5)
    assert widths(lines[0])[-1] == pytest.approx(0.5)
    # No room: the pause marks in the line keep their em (they used to be
    # squeezed to let the comma in); a character goes to the next line.
    lines = break_lines(glyphs("一、二、三四五六七八，九十", marks=True), 10)
    assert texts(lines) == ["一、二、三四五六七", "八，九十"]
    gap = 1 / 8  # the em pushed out, over the line's eight gaps
    assert widths(lines[0])[:-1] == pytest.approx([1 + gap] * 8)


def test_without_room_a_character_is_pushed_out():
    lines = break_lines(glyphs("一二三四五六七八九十，一二"), 10)
    assert texts(lines) == ["一二三四五六七八九", "十，一二"]
    assert lines[0].extent == pytest.approx(10)  # justified: the slack is spread


def test_adjacent_marks_take_one_and_a_half_em():
    # ：“ gives up the colon's blank half, 。” the full stop's, ”， the
    # quote's, ）（ the closing bracket's: the blank between the two inks.
    for pair in ("：“", "。”", "”，", "）（", "》，"):
        line = set_line(glyphs(f"他{pair}好", marks=True), 20, justify=False)
        assert widths(line) == pytest.approx([1, 0.5, 1, 1]), pair
    # “《: the first has no blank half between them, the second gives its own
    line = set_line(glyphs("是“《书》”了", marks=True), 20, justify=False)
    assert widths(line) == pytest.approx([1, 0.5, 1, 1, 0.5, 1, 1])
    # ”，“: each of the two pairs gives up half an em
    line = set_line(glyphs("好”，“走", marks=True), 20, justify=False)
    assert widths(line) == pytest.approx([1, 0.5, 0.5, 1, 1])
    # 「」 has no blank between its inks: nothing to give
    line = set_line(glyphs("他「」他", marks=True), 20, justify=False)
    assert widths(line) == pytest.approx([1, 1, 1, 1])


def test_centred_marks_keep_their_em_next_to_a_bracket():
    """A Taiwan 。 has a quarter em each side and no blank half: 。」 stays 2
    em (the blank between the inks is a quarter em), ，「 loses the
    bracket's half."""
    line = set_line(glyphs("說。」他，「好", marks=True, centred="。，"), 20, justify=False, trimming=TAIWAN)
    assert widths(line) == pytest.approx([1, 1, 1, 1, 0.5, 1, 1])


def test_line_edges_lose_the_blank_half_facing_the_margin():
    lines = break_lines(glyphs("他说：“我们走吧。”大家都同意，“走！”", marks=True), 9)
    assert texts(lines) == ["他说：“我们走吧。”", "大家都同意，“走！”"]
    first, second = lines
    assert first.extent == pytest.approx(9)  # the closing quote ends at the margin
    assert widths(first)[-1] == pytest.approx(0.5)
    line = break_lines(glyphs("一二三四五六七八九十“好”", marks=True), 10)[1]
    assert line.text == "“好”"
    assert line.xs[0] == pytest.approx(-0.5)  # the opening quote's ink starts at the margin


def test_taiwan_keeps_full_marks_at_line_edges_and_compresses_pairs():
    lines = break_lines(glyphs("一二三四五六七八九十「好」。", marks=True), 10, trimming=TAIWAN)
    assert texts(lines) == ["一二三四五六七八九十", "「好」。"]
    assert lines[1].xs[0] == 0
    assert widths(lines[1]) == pytest.approx([1, 1, 0.5, 1])
    mainland = break_lines(glyphs("一二三四五六七八九十「好」。", marks=True), 10)
    assert mainland[1].xs[0] == pytest.approx(-0.5) and mainland[1].extent == pytest.approx(2.5)


def test_no_slack_goes_inside_dashes_ellipses_or_compressed_pairs():
    line = break_lines(glyphs("一二——三四……五六。”七八九十一二三四五六七八九十", marks=True), 20)[0]
    text, w = line.text, widths(line)
    assert line.extent == pytest.approx(20)
    han_gap = w[0] - 1
    assert han_gap > 0
    for run in ("——", "……", "。”"):
        i = text.index(run)
        assert w[i] == pytest.approx(1 if run != "。”" else 0.5), run


@pytest.mark.parametrize("mark", ["——", "……", "――"])
def test_doubled_dashes_and_ellipses_stay_whole(mark):
    lines = break_lines(glyphs(f"一二三四五六七八九{mark}十"), 10)
    assert all(mark in line or mark[0] not in line for line in texts(lines))


def test_latin_words_and_numbers_are_not_split():
    lines = break_lines(glyphs("一二三四五六七GDP2020年增长"), 8)
    assert texts(lines) == ["一二三四五六七", "GDP2020年增长"]


def test_a_long_url_is_split_rather_than_letter_space_the_han_text_before_it():
    # After a slash, when that leaves the line's Han gaps within 0.1 em ...
    text = "网址在这里可以找到全部的资料和说明文字http://example.com/abcdefghij/klmnop，见上"
    lines = texts(break_lines(glyphs(text), 30))
    assert lines[0] == "网址在这里可以找到全部的资料和说明文字http://example.com/"
    # ... else where it overflows: two Han characters and a 15-em gap between them is no line.
    lines = texts(break_lines(glyphs("网址http://example.com/abcdefghij/klmnop，见上"), 16))
    assert lines == ["网址http://example.com/abcdefghi", "j/klmnop，见上"]
    lines = texts(break_lines(glyphs("网址http://example.com/" + "x" * 40), 16))
    assert lines == ["网址http://example.com/xxxxxxxxx", "x" * 31]
    # An ordinary word is never split, and a call in program code breaks before its bracket.
    lines = texts(break_lines(glyphs("一二三四五六七八九十一二三四observeOn(AndroidSchedulers)"), 20))
    assert lines == ["一二三四五六七八九十一二三四observeOn", "(AndroidSchedulers)"]


def test_a_glyph_marked_as_part_of_a_word_is_not_a_break():
    marks = glyphs("一二三四五六七八De’Mon")
    marks[10] = Glyph("’", "F", 1.0, 0.25, word=True)  # an apostrophe, as the layout sets it
    assert texts(break_lines(marks, 10)) == ["一二三四五六七八", "De’Mon"]


def test_every_break_respects_the_prohibition_lists():
    text = "「我們」，他說：「這是《新聞》（二〇一七）。」她問？答：“好！”——是的……" * 6
    for width in range(6, 30):
        lines = texts(break_lines(glyphs(text, marks=True), width))
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
    assert not break_allowed("a", "b") and not break_allowed("—", "—") and not break_allowed("―", "―")
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


def test_markup_characters_in_the_title_and_identifier_reach_the_xmp_as_text():
    from dataclasses import replace

    from pypdf import PdfReader

    doc = sample_doc()
    title, identifier = "R&D <新> 标题 & “引号” > 'x'", "https://example.com/a?b=1&c=<2>"
    doc = replace(doc, meta=replace(doc.meta, title=title, identifier=identifier))
    xmp = PdfReader(io.BytesIO(write(doc)[0])).xmp_metadata
    assert xmp.dc_title == {"x-default": title}
    assert xmp.dc_identifier == identifier
    assert xmp.xmpmm_document_id == identifier


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


def test_an_apostrophe_in_a_word_copies_out_with_its_word(tmp_path):
    """Set as narrow as its ink, the apostrophe of De’Mon is drawn from the
    half-width face: with its full-width box poppler started a new line at
    the next letter."""
    text = "猎鹰开赛靠翟蒙（De’Mon Brooks）、白萨联手拉出1波20比6攻势，Don’t split it’s words。"
    doc = Document(Meta(title="翟蒙", language="zh-Hans-CN", script="hans"), (Para((Str(text),)),))
    lines = pdftotext(write(doc)[0], tmp_path).splitlines()
    assert any("（De’Mon Brooks）" in line for line in lines), lines
    assert any("Don’t" in line for line in lines), lines


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


# ---------------------------------------------------------------- punctuation over the corpus
#
# Every page of the corpus and the seed, set for each region, read back glyph
# by glyph with pdfminer.  The rules are stated here as clreq states them,
# from the fonts' outlines, apart from the writer's own code:
#
# - a full-width mark is one em wide: from its origin to the next glyph's,
#   less the slack the line spreads between characters (measured between two
#   Han characters of the same line, and the same everywhere on it);
# - a run of adjacent marks gives up half an em for each two neighbours, one
#   of them a bracket or quote, whose blank halves face each other (the half
#   of the em box a mark's ink leaves blank: the right one of a closing mark
#   or of a Mainland pause mark, the left one of an opening mark; a centred
#   mark has none); two pause or stop marks (？！) keep their ems;
# - the "hole" between two adjacent marks, the blank halves left between their
#   inks, is at most half an em;
# - a justified line ends at the right margin; in Mainland and Hong Kong text
#   a closing mark there is set in half an em, and an opening mark that starts
#   a line has its ink, not its blank, at the left margin; Taiwan text keeps
#   both full;
# - the slack between two Han characters is at most 0.1 em, unless every
#   Han/Latin boundary of the line already took 1/4 em (a line before a long
#   number or word that cannot be split has nowhere else to put it);
# - —— and ―― are one unbroken line at the middle of the Han characters, and
#   the dots of …… are evenly spaced.

EM_TOL = 0.006  # em: rounding of positions in the content stream
MARKS = set("、，。．：；！？”’」』）］｝〕】〉》“‘「『（［｛〔【〈《")
BRACKETS = set("”’」』）］｝〕】〉》“‘「『（［｛〔【〈《")
BODY_SIZE = PdfOptions().font_size
LEFT = (A4[0] - BODY_SIZE * PdfOptions().chars_per_line) / 2
RIGHT = LEFT + BODY_SIZE * PdfOptions().chars_per_line
REGIONS = {"hans": "cn", "tw": "tw", "hk": "hk"}


def is_han(ch: str) -> bool:
    return "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "")


def is_latin_char(ch: str) -> bool:
    if ch.isspace():
        return False
    return ch.isascii() or (unicodedata.east_asian_width(ch) not in ("W", "F")
                            and unicodedata.category(ch)[0] in "LNM")


class Outlines:
    """Ink boxes and advances of the bundled faces, read with fontTools."""

    def __init__(self):
        self._fonts = {}

    def _font(self, pdf_name: str):
        base = pdf_name.split("+")[-1].removesuffix("-Halt")
        if base not in self._fonts:
            from fontTools.ttLib import TTFont

            font = TTFont(Path(__file__).parents[1] / "fonts" / f"{base}.ttf", lazy=True)
            self._fonts[base] = (font, font.getBestCmap(), font["head"].unitsPerEm)
        return self._fonts[base]

    def ink(self, pdf_name: str, ch: str) -> tuple[float, float, float, float]:
        """x0, x1, y0, y1 of the glyph's ink, in em."""
        font, cmap, upm = self._font(pdf_name)
        glyph = font["glyf"][cmap[ord(ch)]]
        glyph.recalcBounds(font["glyf"])
        return glyph.xMin / upm, glyph.xMax / upm, glyph.yMin / upm, glyph.yMax / upm

    def advance(self, pdf_name: str, ch: str) -> float:
        """The glyph's advance as the PDF's font has it (its half-width
        variant: half an em), in em."""
        if pdf_name.endswith("-Halt"):
            return 0.5
        font, cmap, upm = self._font(pdf_name)
        return font["hmtx"][cmap[ord(ch)]][0] / upm

    def blank_half(self, pdf_name: str, ch: str) -> str:
        """'right', 'left' or '' (centred, or not full-width): which half of
        the em box the mark's ink leaves blank."""
        font, cmap, upm = self._font(pdf_name)
        if font["hmtx"][cmap[ord(ch)]][0] < 0.9 * upm:
            return ""  # proportional
        x0, x1, _, _ = self.ink(pdf_name, ch)
        if 1 - x1 >= 0.47 and x0 < 1 - x1:
            return "right"
        if x0 >= 0.47:
            return "left"
        return ""


@pytest.fixture(scope="session")
def outlines() -> Outlines:
    return Outlines()


def pdf_lines(data: bytes):
    """The PDF's text lines, page by page, each a list of pdfminer characters
    in drawing order, read with the character spacing after every glyph as
    the PDF specification says (pdfminer's own reading drops it after the
    last glyph of each string, where reportlab changes font subset)."""
    from pdfminer import utils
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Device(PDFPageAggregator):
        def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace,
                                     wordspace, rise, dxscale, ncs, graphicstate):
            x, y = pos
            for obj in seq:
                if isinstance(obj, (int, float)):
                    x -= obj * dxscale
                elif isinstance(obj, bytes):
                    for cid in font.decode(obj):
                        x += self.render_char(utils.translate_matrix(matrix, (x, y)), font, fontsize,
                                              scaling, rise, cid, ncs, graphicstate) + charspace
            return (x, y)

    manager = PDFResourceManager()
    device = Device(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
        lines: list[list] = []
        for c in device.get_result():
            if not isinstance(c, LTChar):
                continue
            if lines and abs(c.matrix[5] - lines[-1][-1].matrix[5]) < 0.3 * c.size \
                    and c.matrix[4] > lines[-1][-1].matrix[4] - 1:
                lines[-1].append(c)
            else:
                lines.append([c])
        pages.append(lines)
    return pages


def em_x(c) -> float:
    return c.matrix[4] / BODY_SIZE


@pytest.fixture(scope="module", params=list(REGIONS))
def corpus_pdfs(request):
    """(name, document, PDF) of the seed and every corpus page in one target script."""
    from _corpus import corpus_cases

    from convert.transforms import TransformOptions, apply_transforms

    out = []
    for path in [SEED, *(p for p, _ in corpus_cases(every_page=True))]:
        doc = apply_transforms(read_or_skip(path), TransformOptions(script=request.param))
        data, warnings = write(doc)
        assert warnings == ()
        out.append((path.stem, doc, data, pdf_lines(data)))
    return request.param, out


def body_lines(pages):
    """The body-size lines of the document in reading order, with the page
    each is on (running header, footer, title block left out)."""
    for number, page in enumerate(pages, 1):
        for line in page:
            if all(abs(c.size - BODY_SIZE) < 0.01 for c in line):
                yield number, line


def line_slack(line) -> float | None:
    """The slack between two Han characters of a line (em), None if it has no two."""
    gaps = [em_x(b) - em_x(a) - 1 for a, b in pairwise(line)
            if is_han(a.get_text()) and is_han(b.get_text())]
    if not gaps:
        return None
    assert max(gaps) - min(gaps) < EM_TOL, "".join(c.get_text() for c in line)
    return gaps[0]


def test_full_width_marks_keep_one_width_and_adjacent_ones_compress(corpus_pdfs, outlines):
    script, pdfs = corpus_pdfs
    lone, runs, problems = 0, 0, []
    for name, _, _, pages in pdfs:
        for _, line in body_lines(pages):
            s = line_slack(line)
            if s is None:
                continue
            text = "".join(c.get_text() for c in line)
            i = 1
            while i < len(line) - 1:
                if line[i].get_text() not in MARKS or not is_han(line[i - 1].get_text()):
                    i += 1
                    continue
                j = i
                while j < len(line) and line[j].get_text() in MARKS:
                    j += 1
                if j == len(line) or not is_han(line[j].get_text()):
                    i = j
                    continue
                run = line[i:j]
                facing = [(a.get_text() in BRACKETS or b.get_text() in BRACKETS)
                          and (outlines.blank_half(a.fontname, a.get_text()) == "right"
                               or outlines.blank_half(b.fontname, b.get_text()) == "left")
                          for a, b in pairwise(run)]
                span = em_x(line[j]) - em_x(line[i]) - s
                expected = len(run) - 0.5 * sum(facing)
                if abs(em_x(line[i]) - em_x(line[i - 1]) - 1 - s) > EM_TOL or abs(span - expected) > EM_TOL:
                    problems.append((name, text, "".join(c.get_text() for c in run), round(span, 3)))
                for a, b in pairwise(run):
                    hole = (em_x(b) + ink_half(outlines, b)[0]) - (em_x(a) + ink_half(outlines, a)[1])
                    if hole > 0.5 + EM_TOL:
                        problems.append((name, text, a.get_text() + b.get_text(), f"hole {hole:.2f}"))
                lone += len(run) == 1
                runs += len(run) > 1
                i = j
    assert not problems, problems[:10]
    assert lone > 1500 and runs > 100, (lone, runs)  # the test saw them


def ink_half(outlines: Outlines, c) -> tuple[float, float]:
    """The half of a mark's em box its ink takes (a centred mark: the middle half)."""
    side = outlines.blank_half(c.fontname, c.get_text())
    return {"right": (0.0, 0.5), "left": (0.5, 1.0)}.get(side, (0.25, 0.75))


def paragraphs_lines(pages):
    """Each body line with whether the paragraph goes on after it: the next
    body line is not indented (it starts at the margin, or half an em before
    it with an opening mark's blank)."""
    lines = [line for _, line in body_lines(pages)]
    for line, nxt in zip(lines, [*lines[1:], None], strict=True):
        goes_on = nxt is not None and em_x(nxt[0]) - LEFT / BODY_SIZE < 0.1
        yield line, goes_on


def test_line_edges_and_justification(corpus_pdfs, outlines):
    script, pdfs = corpus_pdfs
    trims = REGIONS[script] != "tw"
    starts = ends = justified = 0
    problems, loose = [], []
    for name, _, _, pages in pdfs:
        previous_goes_on = False
        for line, goes_on in paragraphs_lines(pages):
            text = "".join(c.get_text() for c in line)
            first, last = line[0], line[-1]
            if previous_goes_on:  # a continuation line starts at the margin
                start = em_x(first) - LEFT / BODY_SIZE
                opening = outlines.blank_half(first.fontname, first.get_text()) == "left" \
                    and first.get_text() in MARKS
                wanted = -0.5 if opening and trims else 0.0
                starts += opening
                if abs(start - wanted) > EM_TOL:
                    problems.append((name, text, f"starts at {start:+.2f} em"))
            previous_goes_on = goes_on
            if not goes_on:
                continue
            justified += 1
            # a justified line ends at the right margin
            closing = last.get_text() in MARKS and outlines.blank_half(last.fontname, last.get_text()) == "right"
            width = 0.5 if closing and trims else last.adv / BODY_SIZE
            ends += closing
            end = em_x(last) + width - RIGHT / BODY_SIZE
            if abs(end) > EM_TOL:
                problems.append((name, text, f"ends at {end:+.2f} em"))
            s = line_slack(line)
            if s is not None and s > 0.1 + EM_TOL:
                edges = [em_x(b) - em_x(a) - a.adv / BODY_SIZE for a, b in pairwise(line[1:])
                         if (is_latin_char(a.get_text()) != is_latin_char(b.get_text())
                             or a.get_text().isspace() != b.get_text().isspace())
                         and not (a.get_text() in MARKS and b.get_text() in MARKS)]
                if not edges or any(abs(e - 0.25) > EM_TOL for e in edges):
                    problems.append((name, text, f"Han gaps of {s:.2f} em"))
                loose.append((name, text))
    assert not problems, problems[:10]
    assert justified > 500 and starts >= 5 and ends >= (50 if script == "hans" else 1), (justified, starts, ends)
    assert len(loose) <= 2, loose  # lines of nothing but figures and brackets


def check_dashes_and_ellipses(name: str, pages, outlines: Outlines) -> tuple[int, int]:
    """—— and ―― are one line two em long at the middle of the Han
    characters; the parts of …… are one em apart, so that the six dots keep
    the third of an em the glyph has between its own.  Returns the numbers
    of dash and ellipsis pairs seen."""
    dashes = ellipses = 0
    for _, line in body_lines(pages):
        text = "".join(c.get_text() for c in line)
        han = next((c for c in line if is_han(c.get_text())), None)
        for a, b in pairwise(line):
            if a.get_text() != b.get_text():
                continue
            if a.get_text() in "—―":
                dashes += 1
                left, right = [], []
                for c in (a, b):
                    x0, x1, y0, y1 = outlines.ink(c.fontname, c.get_text())
                    scale = c.adv / (outlines.advance(c.fontname, c.get_text()) * BODY_SIZE)
                    left.append(c.matrix[4] + x0 * scale * BODY_SIZE)
                    right.append(c.matrix[4] + x1 * scale * BODY_SIZE)
                assert right[0] >= left[1], (name, text)  # the two touch
                assert right[1] - left[0] > 1.95 * BODY_SIZE, (name, text)  # two em long
                assert a.y0 == b.y0
                if han is not None:  # at the middle of the ideographic em box
                    middle = (y0 + y1) / 2 * BODY_SIZE + a.y0 - han.y0
                    assert abs(middle - 0.38 * BODY_SIZE) < 0.02 * BODY_SIZE, (name, text)
            elif a.get_text() == "…":
                ellipses += 1
                assert abs(em_x(b) - em_x(a) - 1) < EM_TOL, (name, text)
    return dashes, ellipses


def test_dashes_are_one_line_over_the_corpus(corpus_pdfs, outlines):
    _, pdfs = corpus_pdfs
    seen = [check_dashes_and_ellipses(name, pages, outlines)[0] for name, _, _, pages in pdfs]
    assert sum(seen) >= 2


def test_dashes_and_ellipses_in_every_position(outlines, tmp_path):
    """Mid-line, justified, after a quote, both faces and both weights; the
    text copies out as the characters of the source, in order."""
    for script in ("hans", "hant"):
        doc = sample_doc(script)
        text = "他说——“不”——是的……他问：“真的吗？”——不……是的――好。" * 8
        doc = Document(doc.meta, (Para((Str(text),)), Para((Strong((Str(text[:40]),)), Str(text)))))
        data, warnings = write(doc)
        assert warnings == ()
        dashes, ellipses = check_dashes_and_ellipses(script, pdf_lines(data), outlines)
        assert dashes >= 30 and ellipses >= 15
        check_text_round_trip(doc, data, tmp_path)
        check_line_edges(data, tmp_path)


def paginate(*blocks: tuple[str, int], height: float = 10.0) -> list[list[tuple[str, int]]]:
    """Blocks of (role, number of lines) on pages ten body lines high: each
    page as (role, line number) pairs."""
    from convert.writers.pdf.layout import Block, _paginate, styles

    table = styles(1.0)
    made = [Block(role, table[role], [Line([]) for _ in range(n)], 1.0, 1.0, 0.0, 10.0)
            for role, n in blocks]
    pages = _paginate(made, height, 1.0)
    return [[(p.block.role, next(i for i, line in enumerate(p.block.lines) if line is p.line))
             for p in page] for page in pages]


def test_a_page_ends_full_even_when_a_paragraph_ends_at_the_top_of_the_next():
    pages = paginate(("para", 8), ("para", 3), ("para", 5))
    assert [len(page) for page in pages] == [10, 6]
    assert pages[1][0] == ("para", 2)  # the last line of the second paragraph opens page 2
    # a paragraph's first line may end a page
    assert [len(page) for page in paginate(("para", 9), ("para", 4))] == [10, 3]


def test_a_heading_keeps_its_next_two_lines_and_a_last_line_is_not_left_alone():
    pages = paginate(("para", 8), ("heading", 1), ("para", 4))
    assert [len(page) for page in pages] == [8, 5]
    # the text's last line alone with the byline would be a page of its own
    pages = paginate(("para", 8), ("para", 3), ("byline", 1))
    assert pages[1][:2] == [("para", 1), ("para", 2)]
    assert [len(page) for page in pages] == [9, 3]


def test_a_long_run_of_headings_breaks_like_text_rather_than_empty_a_page():
    """Kept together, the run would move whole to the next page and leave
    this one a third empty or more; a run that long is no heading group (a
    page's list of tags read as headings).  Its last heading still keeps
    its text."""
    pages = paginate(("para", 30), *[("heading", 1)] * 12, ("para", 10), height=40)
    assert len(pages[0]) > 30
    last_heading = max(i for i, (role, _) in enumerate(pages[0] + pages[1]) if role == "heading")
    assert (pages[0] + pages[1])[last_heading + 1: last_heading + 3] == [("para", 0), ("para", 1)]
    # a group of two headings at the foot of a page still moves whole
    pages = paginate(("para", 36), ("heading", 1), ("heading", 1), ("para", 4), height=40)
    assert len(pages[0]) == 36 and pages[1][:2] == [("heading", 0), ("heading", 0)]


def test_pages_are_full_unless_a_heading_or_a_lone_last_line_would_follow(corpus_pdfs):
    """No page ends a line short: only a heading kept with its text, or a
    paragraph's last line that would be alone on the last page with the
    byline, moves to the next page with room left."""
    _, pdfs = corpus_pdfs
    leading = BODY_SIZE * PdfOptions().line_spacing
    # from a body line's baseline to the bottom of its line box
    below = (leading - BODY_SIZE) / 2 + 0.12 * BODY_SIZE
    short = []
    for name, _, _, pages in pdfs:
        for number, (page, nxt) in enumerate(pairwise(pages), 1):
            body = [line for line in page if all(abs(c.size - BODY_SIZE) < 0.01 for c in line)]
            following = [line for line in nxt if all(abs(c.size - BODY_SIZE) < 0.01 for c in line)]
            room = (min(line[0].matrix[5] for line in body) - below - BOTTOM_MARGIN) / leading
            if room >= 1 - 1e-6 and "Bold" not in following[0][0].fontname:
                short.append((name, number, round(room, 2)))
    assert not short
