"""Writers declare their options on their Options class; text from a command
line, or a mapping from the library, becomes an instance of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from convert import registry
from convert.errors import UsageError
from convert.writers.options import make, option, settings


@dataclass(frozen=True)
class SampleOptions:
    width: int = option(72, metavar="N", help="characters a line")
    scale: float = option(1.0, help="how much bigger")
    plain: bool = option(False, flag="--plain", switch=True, help="no markup")
    style: Literal["serif", "sans"] = option("serif", help="the face")
    margin: int | None = option(None, help="blank around the text")
    title: str | None = None  # declared without option(): still reachable
    notes: tuple[str, ...] = field(default=())


def test_every_field_is_a_setting_with_its_declaration():
    found = {s.key: s for s in settings(SampleOptions)}
    assert list(found) == ["width", "scale", "plain", "style", "margin", "title", "notes"]
    assert found["width"].metavar == "N" and found["width"].help == "characters a line"
    assert found["plain"].flags == ("--plain",) and found["plain"].declaration.is_switch
    assert found["style"].metavar == "serif|sans"
    assert found["margin"].metavar == "N|none"
    assert found["title"].help == "" and found["title"].flags == ()


@pytest.mark.parametrize("key,text,value", [
    ("width", "80", 80),
    ("scale", "1.5", 1.5),
    ("plain", "yes", True),
    ("plain", "False", False),
    ("style", "sans", "sans"),
    ("margin", "none", None),
    ("margin", "3", 3),
    ("title", "", None),
    ("title", "none", "none"),  # a text field keeps the word
])
def test_text_is_read_by_the_fields_type(key, text, value):
    assert getattr(make(SampleOptions, {key: text}, texts=True), key) == value


@pytest.mark.parametrize("values,message", [
    ({"wide": "1"}, "has no option 'wide' (its options: width, scale, plain, style, margin, title, notes)"),
    ({"width": "wide"}, "width takes a whole number, not 'wide'"),
    ({"scale": "x"}, "scale takes a number, not 'x'"),
    ({"plain": "maybe"}, "plain takes true or false, not 'maybe'"),
    ({"style": "mono"}, "style takes serif|sans, not 'mono'"),
    ({"notes": "a,b"}, "notes cannot be set from the command line"),
])
def test_a_bad_key_or_value_is_a_usage_error_that_says_what_is_allowed(values, message):
    with pytest.raises(UsageError, match="^sample.*" + message.replace("(", r"\(").replace(")", r"\)")):
        make(SampleOptions, values, texts=True, what="sample")


def test_library_values_are_taken_as_given_and_text_is_read_where_the_field_holds_none():
    made = make(SampleOptions, {"width": 90, "plain": "false", "title": "none", "notes": ("a",)})
    assert made == SampleOptions(width=90, plain=False, title="none", notes=("a",))


def test_a_flag_is_declared_as_such():
    with pytest.raises(ValueError, match="--name"):
        option(1, flag="-w")
    with pytest.raises(ValueError, match="switch needs a flag"):
        option(False, switch=True)


# ---------------------------------------------------------------- our writers


def test_our_writers_declare_their_flags_and_help():
    flags = {s.flags: (name, s.key) for name in registry.writer_names() for s in registry.writer_settings(name)
             if s.flags}
    assert flags == {("--reference-docx", "--reference-doc"): ("docx", "reference_docx"),
                     ("--no-embed-fonts",): ("epub", "embed_fonts")}
    for name in registry.writer_names():
        for setting in registry.writer_settings(name):
            assert setting.help, f"{name}.{setting.key} has no help"


def test_declared_options_keep_their_defaults_and_validation():
    pdf = registry.get_writer("pdf")
    assert pdf.Options() == registry.writer_options("pdf", {})
    assert registry.writer_options("pdf", {"font_size": "12"}, texts=True) == pdf.Options(font_size=12.0)
    with pytest.raises(UsageError, match="6-20 points"):
        registry.writer_options("pdf", {"font_size": "30"}, texts=True)
    assert registry.writer_options("txt", {"line_ending": "crlf"}, texts=True).line_ending == "\r\n"
    assert registry.writer_options("json", {"indent": "none"}, texts=True).indent is None
    assert registry.writer_options("epub", {"embed_fonts": "false"}, texts=True).embed_fonts is False
    # A path is written as pathlib writes it, as the command line always gave it.
    assert registry.writer_options("docx", {"reference_docx": "./a.docx"}, texts=True).reference_docx == "a.docx"


def test_writer_options_takes_an_instance_a_mapping_or_nothing():
    epub = registry.get_writer("epub")
    given = epub.Options(embed_fonts=False)
    assert registry.writer_options("epub", given) is given
    assert registry.writer_options("epub", None) == epub.Options()
    assert registry.writer_options("epub", {"embed_fonts": False}) == given
    with pytest.raises(TypeError, match="EpubOptions or a mapping"):
        registry.writer_options("epub", registry.get_writer("pdf").Options())


def test_a_reference_document_is_checked_before_any_work(tmp_path):
    with pytest.raises(UsageError, match="no such reference document"):
        registry.check_writer_options("docx", registry.writer_options("docx", {"reference_docx": str(tmp_path / "x")}))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(UsageError, match="broken.docx"):
        registry.check_writer_options("docx", registry.writer_options("docx", {"reference_docx": str(broken)}))
    registry.check_writer_options("pdf", registry.writer_options("pdf"))  # a writer with nothing to check


def test_the_writers_packages_import_nothing_heavy():
    """The registry loads a writer's class to list, check and parse its
    options: that must not cost python-docx, reportlab, ebooklib or fontTools."""
    import subprocess
    import sys

    script = ("import sys\n"
              "from convert import registry\n"
              "for name in registry.writer_names():\n"
              "    registry.writer_settings(name)\n"
              "heavy = {'docx', 'reportlab', 'ebooklib', 'fontTools', 'lxml', 'opencc'}\n"
              "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- the library


def test_the_library_takes_a_writers_options_as_its_class_or_a_mapping(tmp_path, seed_path):
    import convert

    doc = convert.read(seed_path)
    epub = registry.get_writer("epub").Options(embed_fonts=False)
    convert.write(doc, tmp_path / "a.epub", options=epub)
    convert.write(doc, tmp_path / "b.epub", options={"embed_fonts": False})
    convert.write(doc, tmp_path / "c.epub", options={"embed_fonts": "no"})
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes() == (tmp_path / "c.epub").read_bytes()

    pdf = registry.get_writer("pdf").Options(font_size=12)
    by_class = convert.convert(seed_path, to="pdf", out_dir=tmp_path / "x", writer_options={"pdf": pdf})
    by_fields = convert.convert(seed_path, to="pdf", out_dir=tmp_path / "y", writer_options={"pdf": {"font_size": 12}})
    assert Path(by_class.outputs[0]).read_bytes() == Path(by_fields.outputs[0]).read_bytes()

    with pytest.raises(UsageError, match="pdf has no option 'size'"):
        convert.convert(seed_path, to="pdf", out_dir=tmp_path / "z", writer_options={"pdf": {"size": 12}})
    with pytest.raises(UsageError, match="pdf has no option 'size'"):
        convert.batch(seed_path, tmp_path / "z", to="pdf", writer_options={"pdf": {"size": 12}})
    assert not (tmp_path / "z").exists()


def test_options_given_as_fields_count_as_the_same_options_for_a_resumed_batch(tmp_path, seed_path):
    import convert

    out = tmp_path / "out"
    options = {"txt": registry.get_writer("txt").Options(line_ending="\r\n")}
    assert [r.status for r in convert.batch(seed_path, out, to="txt", writer_options=options)] == ["ok"]
    again = convert.batch(seed_path, out, to="txt", writer_options={"txt": {"line_ending": "\r\n"}})
    assert [r.status for r in again] == ["skipped"]
