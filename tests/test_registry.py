"""Which reader reads an input: its bytes first, then its name, else news text."""

from __future__ import annotations

import pytest

import convert
from convert import registry
from convert.model import Document, Meta, to_json

PAGE = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>"
DOC = to_json(Document(Meta(title="標題"))).encode("utf-8")


@pytest.mark.parametrize("name,data,reader", [
    ("a.txt", "标题\n\n正文。".encode(), "news"),
    ("a.json", DOC, "json"),
    ("a.txt", DOC, "json"),  # the json writer's output, whatever its name
    ("a.json", b'{"title": "a crawler record"}', "json"),  # the name says so
    ("a.html", PAGE, "html"),
    ("a.HTM", b"plain words in a file named .htm", "html"),
    ("a.txt", PAGE, "html"),  # a page saved as text is a page
    ("a", PAGE, "html"),
    (None, PAGE, "html"),  # standard input
    (None, "标题\n\n正文。".encode(), "news"),
])
def test_the_reader_is_chosen_by_content_then_by_name(name, data, reader):
    assert registry.reader_for(name, data) == reader


def test_every_built_in_reader_declares_what_it_reads():
    for name in ("html", "json"):
        reader = registry.get_reader(name)
        assert reader.name == name and reader.suffixes and callable(reader.sniff)


def test_a_json_document_saved_as_text_reads_back(tmp_path):
    doc = Document(Meta(title="標題", script="hant"))
    path = tmp_path / "doc.txt"
    path.write_text(to_json(doc), "utf-8")
    assert convert.read(path).meta.title == "標題"
