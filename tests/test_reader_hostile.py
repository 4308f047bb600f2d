"""Messy and hostile input: each either converts or fails with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import convert
from convert.model import paragraph_texts
from convert.readers.news import read_news

DOCCONV = Path(sys.executable).with_name("docconv")
ARTICLE = "标题一行\n\n2020-01-02 10:00 来源：某报\n\n第一段正文。\n\n第二段正文。\n"


@pytest.mark.parametrize("data,cause", [
    (b"", "empty input"),
    (b" \n\t\r\n\xe3\x80\x80\n", "empty input"),
    (b"\x00\x01\x02\x03binary\x00", "binary file"),
    (b"\xff\xfe\x00\xd8A\x00", "not valid utf-16"),  # a UTF-16 BOM and a lone surrogate before "A"
])
def test_bad_files_fail_with_one_line(tmp_path, data, cause):
    bad = tmp_path / "bad input 文件.txt"
    bad.write_bytes(data)
    r = subprocess.run([str(DOCCONV), "convert", str(bad), "-t", "txt", "-o", str(tmp_path / "o.txt")],
                       capture_output=True, timeout=60)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1
    assert err.count("\n") == 1 and str(bad) in err and cause in err.lower(), err
    assert not (tmp_path / "o.txt").exists()


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings(newline):
    doc = read_news(ARTICLE.replace("\n", newline))
    assert doc.meta.title == "标题一行" and paragraph_texts(doc) == ["第一段正文。", "第二段正文。"]


def test_indents_tabs_and_zero_width_marks():
    text = ARTICLE.replace("第一段", "\u3000\u3000第\u200b一段").replace("第二段", "\t第二\ufeff段")
    assert paragraph_texts(read_news(text)) == ["第一段正文。", "第二段正文。"]


def test_control_characters_are_removed_with_a_warning():
    doc = read_news(ARTICLE.replace("第一段", "第\x07一\x1b段\x85"))
    assert paragraph_texts(doc)[0] == "第一段正文。"
    assert any("U+0007" in w for w in doc.warnings)


def test_lone_surrogates_in_text_are_removed():
    doc = read_news(ARTICLE.replace("第一段", "第\ud800一段"))
    assert paragraph_texts(doc)[0] == "第一段正文。" and doc.warnings


def test_astral_and_right_to_left_text_are_kept():
    text = ARTICLE.replace("第一段正文。", "𠀋𪚥是扩展B的字，😀也要保留，עברית 与 العربية 也是。")
    assert paragraph_texts(read_news(text))[0] == "𠀋𪚥是扩展B的字，😀也要保留，עברית 与 العربية 也是。"


def test_a_very_long_line_converts(tmp_path):
    line = "很长的一行文字，没有换行。" * 20000
    src = tmp_path / "长 行.txt"
    src.write_text(f"标题\n\n{line}\n", "utf-8")
    result = convert.convert(src, to=["txt", "json"], out_dir=tmp_path / "out")
    assert line in (tmp_path / "out" / "长 行.txt").read_text("utf-8")
    assert len(result.outputs) == 2


def test_file_names_with_spaces_and_non_ascii(tmp_path, seed_path):
    src = tmp_path / "新 聞 稿 (1).txt"
    src.write_bytes(seed_path.read_bytes())
    r = subprocess.run([str(DOCCONV), "batch", str(tmp_path), "-o", str(tmp_path / "out"), "-t", "txt:hans"],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "新 聞 稿 (1).hans.txt").read_text("utf-8").startswith("新疆维吾尔自治区")


def test_related_links_after_the_article_are_furniture():
    text = ARTICLE + "\n相关新闻\n\n某地发生某事\n\n另一条新闻标题\n"
    doc = read_news(text)
    assert paragraph_texts(doc) == ["第一段正文。", "第二段正文。"]
    assert [f.text for f in doc.furniture] == ["相关新闻", "某地发生某事", "另一条新闻标题"]


@pytest.mark.parametrize("line,kind", [
    ("打印 网摘 纠错", "tools"),
    ("图为会议现场。新华社记者 张三 摄", "caption"),
    ("版权所有 未经授权禁止转载", "copyright"),
    ("原標題：另一個標題", "original-title"),
])
def test_furniture_in_tidy_pages(line, kind):
    doc = read_news(ARTICLE.replace("第二段正文。", f"第二段正文。\n\n{line}\n\n第三段正文。"))
    assert [(f.kind, f.text) for f in doc.furniture] == [(kind, line)]
    assert paragraph_texts(doc) == ["第一段正文。", "第二段正文。", "第三段正文。"]


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
def test_a_file_cut_inside_its_last_character_keeps_the_rest_and_says_so(tmp_path, codec):
    """A download that stopped mid-character: everything before it is read,
    the partial character is left out, and the user is told."""
    ending = "最後一個字是" if codec == "big5" else "最后一个字是"
    article = ARTICLE.replace("第二段正文。\n", f"第二段正文，{ending}中")
    if codec == "big5":
        article = article.replace("标题", "標題").replace("来源：某报", "來源：某報")
    data = article.encode(codec)[:-1]
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data)
    r = subprocess.run([str(DOCCONV), "convert", str(cut), "-t", "json", "-o", str(tmp_path / "o.json")],
                       capture_output=True, timeout=60)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 0, err
    assert "ends inside a character" in err and str(cut) in err
    doc = convert.read(cut)
    assert paragraph_texts(doc)[-1] == f"第二段正文，{ending}"
    assert any("ends inside a character" in w for w in doc.warnings)


def test_bytes_cut_in_the_middle_are_still_refused(tmp_path):
    data = ARTICLE.encode("utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data[:1] + data[2:])  # a character broken inside the text, not at its end
    r = subprocess.run([str(DOCCONV), "convert", str(bad), "-t", "txt", "-o", str(tmp_path / "o.txt")],
                       capture_output=True, timeout=60)
    assert r.returncode == 1 and "offset" in r.stderr.decode("utf-8")
