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

    declared = {ep.name: ep for ep in entry_points(group=registry.WRITER_GROUP) if ep.dist.name == "docconv"}
    assert {name: ep.value for name, ep in declared.items()} == {
        "txt": "convert.writers.txt:TxtWriter", "json": "convert.writers.json:JsonWriter",
        "docx": "convert.writers.docx:DocxWriter", "epub": "convert.writers.epub:EpubWriter",
        "pdf": "convert.writers.pdf:PdfWriter"}
    for name, ep in declared.items():
        module, _, attribute = ep.value.partition(":")
        cls = getattr(importlib.import_module(module), attribute)
        assert ep.load() is cls and cls.name == name
        assert type(registry.get_writer(name)) is cls
    readers = {ep.name: ep for ep in entry_points(group=registry.READER_GROUP) if ep.dist.name == "docconv"}
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
    assert listed["docx"].target == "convert.writers.docx:DocxWriter" and listed["docx"].distribution == "docconv"


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


# ------------------------------------------------------------------ the plugin guide's example


def _guide_blocks() -> dict[str, list[str]]:
    """The fenced code blocks of docs/plugins.md's complete example, by language."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text("utf-8")
    section = text.split("## A complete example", 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, list[str]] = {}
    for language, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S):
        blocks.setdefault(language, []).append(body)
    return blocks


def _install_guide_example(site, extra_entries: str = "") -> None:
    """docs/plugins.md's Markdown writer, installed in ``site`` as pip would:
    its module, and a dist-info declaring the entry points its pyproject.toml
    declares."""
    import tomllib

    blocks = _guide_blocks()
    project = tomllib.loads(blocks["toml"][0])
    name, version = project["project"]["name"], project["project"]["version"]
    declared = project["project"]["entry-points"][registry.WRITER_GROUP]
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (site / "docconv_markdown.py").write_text(blocks["python"][0], "utf-8")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", "utf-8")
    entries = "".join(f"{key} = {value}\n" for key, value in declared.items()) + extra_entries
    (info / "entry_points.txt").write_text(f"[{registry.WRITER_GROUP}]\n{entries}", "utf-8")


def test_the_plugin_guide_example_installs_and_runs_as_documented(tmp_path, seed_path):
    import os
    import shlex
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    site = tmp_path / "site"
    _install_guide_example(site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    work = tmp_path / "work"
    (work / "seeds").mkdir(parents=True)
    shutil.copy(seed_path, work / "seeds" / seed_path.name)
    docconv = Path(sys.executable).with_name("docconv")

    outputs = {}
    for line in _guide_blocks()["sh"][0].splitlines():
        args = shlex.split(line, comments=True)
        assert args[0] == "docconv"
        done = subprocess.run([str(docconv), *args[1:]], cwd=work, env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, (line, done.stderr)
        outputs[args[1]] = outputs.get(args[1], b"") + done.stdout
    assert "md       docconv_markdown:MarkdownWriter  (docconv-markdown)" in outputs["formats"].decode()
    assert "-O md.heading_level=N" in outputs["formats"].decode()

    article = (work / "article.md").read_text("utf-8").split("\n")
    assert article[0] == "# 新疆維吾爾自治區黨委召開常委會議　陳全國主持"
    assert article[2].startswith("*2017年6月25日 14:35")  # the metadata line, as every writer says it
    assert article[-1] == "" and article[-2].startswith("（")  # the closing line, then the file's last newline
    front = outputs["convert"].decode().split("\n")
    assert front[:2] == ["---", f"title: \"{front[1][8:-1]}\""] and "lang: zh-Hans-CN" in front
    assert any(line.startswith("## 新疆维吾尔自治区") for line in front)  # heading level 2, simplified
    assert sorted(p.name for p in (work / "out").glob("*.md")) == [
        f"{seed_path.stem}.hans.md", f"{seed_path.stem}.hant.md"]

    # The library finds it too, and its options are checked before anything is written.
    code = ("import convert, sys; doc = convert.read(sys.argv[1]); convert.write(doc, sys.argv[2]);"
            "convert.write(doc, sys.argv[3], options={'heading_level': 9})")
    done = subprocess.run([sys.executable, "-c", code, str(seed_path), str(tmp_path / "lib.md"),
                           str(tmp_path / "bad.md")], env=env, capture_output=True, timeout=120)
    assert b"UsageError: md.heading_level takes 1 to 6, not 9" in done.stderr
    assert (tmp_path / "lib.md").read_bytes() == (work / "article.md").read_bytes()
    assert not (tmp_path / "bad.md").exists()


def test_a_plugin_that_fails_to_load_is_listed_as_broken_and_formats_exits_1(tmp_path, seed_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    site = tmp_path / "site"
    _install_guide_example(site, "mdx = docconv_markdown:NoSuchWriter\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    docconv = str(Path(sys.executable).with_name("docconv"))
    listed = subprocess.run([docconv, "formats"], env=env, capture_output=True, timeout=120)
    assert listed.returncode == 1
    out = listed.stdout.decode()
    assert "md       docconv_markdown:MarkdownWriter" in out  # the working one is listed as usual
    assert "mdx      docconv_markdown:NoSuchWriter  (docconv-markdown)\n    cannot be used: format 'mdx' failed " \
           "to load: AttributeError" in out
    documents = subprocess.run([docconv, "formats", "--documents"], env=env, capture_output=True, timeout=120)
    assert documents.returncode == 1 and documents.stdout.decode().split() == ["docx", "epub", "pdf"]
    assert documents.stderr.decode().startswith("docconv: error: format 'mdx' failed to load")
    # The others still work, and a run of every format passes over it.
    r = subprocess.run([docconv, "convert", str(seed_path), "-t", "md", "-o", "-"], env=env, capture_output=True,
                       timeout=120)
    assert r.returncode == 0 and r.stdout.startswith(b"# ")
    asked = subprocess.run([docconv, "convert", str(seed_path), "-t", "mdx", "-o", "-"], env=env,
                           capture_output=True, timeout=120)
    assert asked.returncode == 2 and asked.stderr.count(b"\n") == 1


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
