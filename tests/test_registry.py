"""The registry: which reader reads an input (its bytes first, then its name,
else news text), the writers and what they can do, found by entry point."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import convert
import convert.api
import convert.writers.txt
from convert import registry
from convert.model import Document, Meta, to_json
from convert.writers.options import option

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


# ---------------------------------------------------------------- writers


def test_every_declared_entry_point_loads_its_class_by_its_string():
    """The entry-point strings in pyproject.toml are the public contract: a
    package that declares them, or code that loads them, must keep working."""
    import importlib
    from importlib.metadata import entry_points

    declared = {ep.name: ep for ep in entry_points(group=registry.WRITER_GROUP) if ep.dist.name == "convert"}
    assert {name: ep.value for name, ep in declared.items()} == {
        "txt": "convert.writers.txt:TxtWriter", "json": "convert.writers.json:JsonWriter",
        "docx": "convert.writers.docx:DocxWriter", "epub": "convert.writers.epub:EpubWriter",
        "pdf": "convert.writers.pdf:PdfWriter"}
    for name, ep in declared.items():
        module, _, attribute = ep.value.partition(":")
        cls = getattr(importlib.import_module(module), attribute)
        assert ep.load() is cls and cls.name == name
        assert type(registry.get_writer(name)) is cls
    readers = {ep.name: ep for ep in entry_points(group=registry.READER_GROUP) if ep.dist.name == "convert"}
    assert sorted(readers) == ["html", "json", "news"]
    for name, ep in readers.items():
        assert type(registry.get_reader(name)) is ep.load()


def test_get_writer_and_get_reader_name_what_they_know():
    assert registry.writer_names() == ["docx", "epub", "json", "pdf", "txt"]
    assert registry.get_writer("pdf") is registry.get_writer("pdf")  # loaded once
    with pytest.raises(convert.UsageError, match=r"unknown format 'pptx' \(known: docx, epub, json, pdf, txt\)"):
        registry.get_writer("pptx")
    with pytest.raises(convert.UsageError, match=r"unknown input format 'rtf' \(known: html, json, news\)"):
        registry.get_reader("rtf")
    listed = {info.name: info for info in registry.available_writers()}
    assert listed["docx"].target == "convert.writers.docx:DocxWriter" and listed["docx"].distribution == "convert"


def test_binding_several_documents_is_a_capability_the_writer_declares():
    assert registry.writers_that_bind() == ["epub"]
    assert registry.binds("epub") and not registry.binds("pdf")


# A writer another package could register: binds, and takes an option.


@dataclass(frozen=True)
class ListOptions:
    marker: str = option("*", help="what starts each title")


class ListWriter:
    name = "titles"
    extension = "titles"
    kind = "text"
    Options = ListOptions

    def write(self, doc, out, options):
        return self.write_many([doc], out, options)

    def write_many(self, docs, out, options, *, title=""):
        lines = [title] + [f"{options.marker} {d.meta.title}" for d in sorted(docs, key=lambda d: d.meta.title)]
        out.write("\n".join(lines).encode("utf-8"))
        return (f"{len(docs)} titles",)


class Broken:
    def __init__(self):
        raise RuntimeError("cannot start")


@pytest.fixture
def plugins(monkeypatch):
    """The registry with entry points of this module's writers added, as if
    another package declared them."""
    real = registry._entry_points

    def with_plugins(group):
        found = dict(real(group))
        if group == registry.WRITER_GROUP:
            for name, target in (("titles", "test_registry:ListWriter"), ("broken", "test_registry:Broken")):
                found[name] = EntryPoint(name, target, group)
        return dict(sorted(found.items()))

    registry.get_writer.cache_clear()
    monkeypatch.setattr(registry, "_entry_points", with_plugins)
    yield
    registry.get_writer.cache_clear()


def test_a_plugin_that_binds_is_found_and_used_for_a_bundle(plugins, tmp_path):
    assert registry.writers_that_bind() == ["epub", "titles"]  # the broken one is passed over
    with pytest.raises(convert.UsageError, match="format 'broken' failed to load: RuntimeError: cannot start"):
        registry.get_writer("broken")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, title in (("a.txt", "乙篇"), ("b.txt", "甲篇")):
        (folder / name).write_text(f"{title}\n\n正文。\n", "utf-8")
    book = tmp_path / "all.titles"
    results = convert.api.bundle(folder, book, title="目錄", options={"marker": "-"})
    assert [r.status for r in results] == ["ok", "ok"] and results[0].warnings == ["2 titles"]
    assert book.read_text("utf-8") == "目錄\n- 乙篇\n- 甲篇"
    # A name that says neither: which of the two binders is meant must be said.
    with pytest.raises(convert.UsageError, match="name it .epub"):
        convert.api.bundle(folder, tmp_path / "all.book")
    assert convert.api.bundle_target(tmp_path / "all.book", ["titles"]) == convert.Target("titles")
    with pytest.raises(convert.UsageError, match="at most one -t FORMAT:SCRIPT"):
        convert.api.bundle_target(tmp_path / "all.book", ["titles", "epub"])
    with pytest.raises(convert.UsageError, match="not a .titles file; name it .epub"):
        convert.api.bundle_target(tmp_path / "all.titles", ["epub:hans"])


def test_a_bundle_in_a_format_that_cannot_bind_is_refused(tmp_path, seed_path):
    with pytest.raises(convert.UsageError, match=r"a bundle is one EPUB book \(epub can bind one\), not a .pdf file"):
        convert.api.bundle(seed_path, tmp_path / "book.pdf")
    assert convert.api.bundle_target(tmp_path / "book", []) == convert.Target("epub")
    assert convert.api.bundle_target(tmp_path / "book.md", ["docx", "epub:tw"]) == convert.Target("epub", "tw")
    assert not list(tmp_path.iterdir())


def test_two_packages_declaring_one_name_is_an_error_not_a_choice(monkeypatch):
    def declared(*pairs):
        def entry_points(group):
            return [EntryPoint(name, target, group) for name, target in pairs]
        return entry_points

    mine = ("pdf", "convert.writers.pdf:PdfWriter")
    theirs = ("pdf", "otherpdf:Writer")
    registry._entry_points.cache_clear()
    try:
        monkeypatch.setattr(registry, "entry_points", declared(mine, ("txt", "convert.writers.txt:TxtWriter"), theirs))
        with pytest.raises(convert.UsageError, match="two packages declare the output format 'pdf': "
                           r"an unknown package \(convert.writers.pdf:PdfWriter\) and "
                           r"an unknown package \(otherpdf:Writer\); uninstall one of them"):
            registry.writer_names()
        registry._entry_points.cache_clear()
        with pytest.raises(convert.UsageError, match="two packages declare the input format 'pdf'"):
            registry.reader_names()
        registry._entry_points.cache_clear()
        # The same class declared twice (a package installed under two names) is no conflict.
        monkeypatch.setattr(registry, "entry_points", declared(mine, mine))
        assert registry.writer_names() == ["pdf"]
    finally:
        registry._entry_points.cache_clear()


def test_entry_points_are_read_as_importlib_metadata_reads_them(tmp_path, monkeypatch):
    from importlib.metadata import entry_points

    def plugin_site(site: Path, version: str, target: str) -> str:
        info = site / f"Shout_Writer-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: shout-writer\nVersion: {version}\n", "utf-8")
        (info / "entry_points.txt").write_text(
            f"# comment\n[convert.writers]\nshout = {target} [extra]\n\n[other]\nx = y:z\n", "utf-8")
        return str(site)

    # The first of two installs of one package on the path is the one seen.
    first = plugin_site(tmp_path / "first", "2.0", "shoutwriter:Loud")
    second = plugin_site(tmp_path / "second", "1.0", "shoutwriter:Quiet")
    monkeypatch.setattr(sys, "path", [first, *sys.path, second])

    def seen(found):
        return sorted((ep.name, ep.value, ep.group, ep.dist.name if ep.dist else None) for ep in found)

    for group in (registry.WRITER_GROUP, registry.READER_GROUP, "console_scripts", "other"):
        assert seen(registry.entry_points(group=group)) == seen(entry_points(group=group)), group
    assert ("shout", "shoutwriter:Loud [extra]", registry.WRITER_GROUP, "shout-writer") in \
        seen(registry.entry_points(group=registry.WRITER_GROUP))
    txt = next(ep for ep in registry.entry_points(group=registry.WRITER_GROUP) if ep.name == "txt")
    assert txt.load() is convert.writers.txt.TxtWriter
    # A zipped package on the path: importlib.metadata reads it.
    zipped = tmp_path / "packages.zip"
    zipped.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    monkeypatch.setattr(sys, "path", [str(zipped), *sys.path])
    assert seen(registry.entry_points(group=registry.WRITER_GROUP)) == seen(entry_points(group=registry.WRITER_GROUP))
