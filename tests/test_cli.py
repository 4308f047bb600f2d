from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCCONV = Path(sys.executable).with_name("docconv")


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(DOCCONV), *args], input=stdin, capture_output=True, cwd=cwd, timeout=120, env=env)


def test_txt_hans_to_stdout(seed_path):
    r = run("convert", str(seed_path), "-t", "txt:hans", "-o", "-")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("utf-8")
    assert out.startswith("新疆维吾尔自治区党委召开常委会议")
    assert "微信" not in out and "扫一扫" not in out
    assert "（责编：姜萍萍、程宏毅）" in out and "一要进一步提高认识。" in out


def test_txt_taiwan_keeps_taiwan_forms(seed_path):
    out = run("convert", str(seed_path), "-t", "txt:tw", "-o", "-").stdout.decode("utf-8")
    assert "為" in out and "群眾" in out and "爲" not in out


def test_json_shows_every_field(seed_path):
    r = run("convert", str(seed_path), "-t", "json", "-o", "-")
    data = json.loads(r.stdout)
    meta = data["meta"]
    assert (meta["site"], meta["channel"], meta["published"], meta["source"], meta["byline"]) == (
        "中國共產黨新聞網", "領導活動", "2017-06-25T14:35+08:00", "新疆日報", "姚彤")
    assert meta["editors"] == ["姜萍萍", "程宏毅"]
    assert re.sub("[\u00a0\u3000]", " ", meta["title"]) == "新疆維吾爾自治區黨委召開常委會議 陳全國主持"
    lists = [b for b in data["blocks"] if b["t"] == "OrderedList"]
    assert len(lists[0]["c"]["items"]) == 8
    assert lists[0]["c"]["items"][0]["c"]["lead"][0]["c"]["text"] == "進一步提高認識。"
    assert len(data["furniture"]) == 4


def test_inspect_lists_the_removed_lines(seed_path):
    r = run("inspect", str(seed_path))
    assert r.returncode == 0
    out = r.stdout.decode("utf-8")
    assert out.count("微信“掃一掃”添加") == 4
    assert "furniture removed: 4" in out and "traditional" in out


def test_stdin_and_python_dash_m(seed_path):
    r = subprocess.run([sys.executable, "-m", "convert", "convert", "-", "-t", "txt", "-o", "-"],
                       input=seed_path.read_bytes(), capture_output=True, timeout=120)
    assert r.returncode == 0 and r.stdout.decode().startswith("新疆維吾爾自治區黨委召開常委會議")


@pytest.mark.parametrize("args,needle", [
    (("convert", "no/such/file.txt", "-t", "txt"), "no/such/file.txt: no such file"),
    (("convert", "seeds", "-t", "txt"), "seeds: is a directory"),
    (("convert", "SEED", "-t", "pptx"), "unknown format 'pptx'"),
    (("convert", "SEED", "-t", "txt:latin"), "unknown script 'latin'"),
    (("inspect", "no/such/file.txt"), "no such file"),
])
def test_usage_errors_are_one_line_with_exit_2(args, needle, seed_path):
    root = seed_path.parents[1]
    args = tuple(str(seed_path) if a == "SEED" else a for a in args)
    r = run(*args, cwd=root)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2
    assert err.count("\n") == 1 and needle in err and err.startswith("docconv: error:")
    assert "Traceback" not in err


def test_binary_format_to_stdout_is_refused(seed_path):
    r = run("convert", str(seed_path), "-t", "json", "-t", "txt", "-o", "-")
    assert r.returncode == 2 and b"exactly one format" in r.stderr


def test_convert_never_overwrites_its_input(tmp_path, seed_path):
    src = tmp_path / "a.txt"
    src.write_bytes(seed_path.read_bytes())
    r = run("convert", str(src), "-t", "txt", "-o", str(src))
    assert r.returncode == 2 and b"overwrite the input" in r.stderr
    assert src.read_bytes() == seed_path.read_bytes()


def test_batch_goes_on_past_a_bad_file(tmp_path, seed_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_bytes(seed_path.read_bytes())
    (inputs / "empty.txt").write_bytes(b"   \n")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02PK")
    r = run("batch", str(inputs), "-o", str(tmp_path / "out"), "-t", "txt:hans", "-t", "json")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1
    assert "1 converted, 0 up to date, 2 failed" in err
    assert "empty.txt: empty input" in err and "binary.txt: binary file" in err
    made = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert made == ["good.hans.txt", "good.json"]
    assert (tmp_path / "out" / "good.hans.txt").read_text("utf-8").startswith("新疆维吾尔自治区")


def test_batch_default_targets_cover_every_format(tmp_path, seed_path):
    r = run("batch", str(seed_path), "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    names = {p.name for p in tmp_path.iterdir()}
    stem = seed_path.stem
    formats = run("formats").stdout.decode().split()
    assert {f"{stem}.hans.txt", f"{stem}.hant.txt", f"{stem}.json"} <= names
    for fmt in ("docx", "pdf", "epub"):
        if fmt in formats:
            assert f"{stem}.{fmt}" in names
    assert not [n for n in names if n.endswith(".part")]


def test_formats_lists_entry_points():
    out = run("formats").stdout.decode()
    assert "txt" in out and "convert.writers.txt:TxtWriter" in out
    assert run("formats", "--documents").stdout.decode().split() == ["docx", "epub", "pdf"]
    # Each writer's options, and which writers bind a --bundle.
    lines = out.splitlines()
    assert "-O pdf.font_size=POINTS" in out and "(default 10.5)" in out
    assert next(line for line in lines if "-O docx.reference_docx=FILE" in line).endswith(
        "(default none; --reference-docx; --reference-doc)")
    assert [line.split()[0] for line in lines if line.endswith("binds a --bundle")] == ["epub"]


def test_help_shows_examples():
    out = run("convert", "--help").stdout.decode()
    assert "Examples" in out and "txt:hans" in out


def test_reference_docx_is_passed_to_the_writer(tmp_path, seed_path):
    reference = tmp_path / "house-style.docx"
    assert run("convert", str(seed_path), "-t", "docx", "-o", str(reference)).returncode == 0
    r = run("convert", str(seed_path), "-t", "docx", "--reference-docx", str(reference), "-o",
            str(tmp_path / "styled.docx"))
    assert r.returncode == 0, r.stderr
    from docx import Document as Docx

    assert Docx(str(tmp_path / "styled.docx")).paragraphs[0].text.startswith("新疆維吾爾自治區")
    missing = run("convert", str(seed_path), "-t", "docx", "--reference-docx", str(tmp_path / "nope.docx"))
    assert missing.returncode == 2 and missing.stderr.decode().count("\n") == 1
    assert b"no such reference document" in missing.stderr
    # pandoc's spelling, and the generic form, give the same document.
    for flags in (("--reference-doc", str(reference)), ("-O", f"docx.reference_docx={reference}")):
        r = run("convert", str(seed_path), "-t", "docx", *flags, "-o", str(tmp_path / "again.docx"))
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "again.docx").read_bytes() == (tmp_path / "styled.docx").read_bytes()


def test_bundle_binds_every_input_into_one_epub(tmp_path, seed_path):
    import zipfile

    book = tmp_path / "news.epub"
    corpus = seed_path.parents[1] / "tests" / "fixtures" / "corpus"
    r = run("batch", str(seed_path), str(corpus), "--bundle", str(book), "-t", "epub:hans", "--title", "新闻选辑")
    assert r.returncode == 0, r.stderr
    from convert.api import collect_inputs

    inputs = 1 + len(collect_inputs(corpus))  # its texts, and its saved pages with their bodies' truth
    assert f"{inputs} chapter(s), 0 input(s) failed".encode() in r.stderr
    with zipfile.ZipFile(book) as z:
        chapters = [n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
        opf = next(z.read(n).decode() for n in z.namelist() if n.endswith(".opf"))
    assert len(chapters) >= inputs and "新闻选辑" in opf


def test_no_embed_fonts_reaches_the_epub_writer(tmp_path, seed_path):
    import zipfile

    for flag, fonts in ((), True), (("--no-embed-fonts",), False):
        out = tmp_path / f"{fonts}.epub"
        assert run("convert", str(seed_path), "-t", "epub", "-o", str(out), *flag).returncode == 0
        with zipfile.ZipFile(out) as z:
            assert any(n.endswith((".ttf", ".otf")) for n in z.namelist()) is fonts


def test_convert_next_to_its_input_names_the_output_after_its_script(tmp_path, seed_path):
    src = tmp_path / "a.txt"
    src.write_bytes(seed_path.read_bytes())
    r = run("convert", "a.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert src.read_bytes() == seed_path.read_bytes()
    assert (tmp_path / "a.hant.txt").read_text("utf-8").startswith("新疆維吾爾自治區")


@pytest.mark.parametrize("args", [
    ("convert", "SEED", "-t", "docx", "-o", "AFILE/x.docx"),
    ("batch", "SEED", "-o", "AFILE/out"),
    ("batch", "SEED", "-o", "OUT", "--report", "SEED"),
    ("batch", "SEED", "--bundle", "SEED"),
])
def test_output_problems_are_one_line_errors(tmp_path, seed_path, args):
    afile = tmp_path / "afile"
    afile.write_text("x")
    src = tmp_path / "seed.txt"
    src.write_bytes(seed_path.read_bytes())
    subs = {"SEED": str(src), "AFILE": str(afile), "OUT": str(tmp_path / "out")}
    args = tuple(subs.get(a, a) for a in args)
    args = tuple(a.replace("AFILE", str(afile)) for a in args)
    r = run(*args)
    err = r.stderr.decode("utf-8")
    assert r.returncode in (1, 2) and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("docconv: error:") or "failed" in err
    assert src.read_bytes() == seed_path.read_bytes()


def test_writing_to_a_device_leaves_it_a_device(seed_path):
    r = run("convert", str(seed_path), "-t", "txt", "-o", "/dev/null")
    assert r.returncode == 0 and Path("/dev/null").is_char_device()


def test_metadata_overrides_on_the_command_line(tmp_path, seed_path):
    out = tmp_path / "a.json"
    r = run("convert", str(seed_path), "-t", "json", "-o", str(out), "-M", "title=另一個標題",
            "-M", "published=2017-06-26 09:00", "-M", "editors=甲、乙")
    assert r.returncode == 0, r.stderr
    meta = json.loads(out.read_text("utf-8"))["meta"]
    assert meta["title"] == "另一個標題" and meta["published"] == "2017-06-26T09:00+08:00"
    assert meta["editors"] == ["甲", "乙"] and meta["source"] == "新疆日報"  # the rest as read
    for bad in (["-M", "colour=red"], ["-M", "published=soon"], ["-M", "title"]):
        r = run("convert", str(seed_path), "-t", "json", "-o", str(tmp_path / "b.json"), *bad)
        assert r.returncode == 2 and r.stderr.decode().count("\n") == 1 and b"Traceback" not in r.stderr
        assert not (tmp_path / "b.json").exists()
    r = run("batch", str(seed_path), "-o", str(tmp_path / "batch"), "-t", "json", "-M", "byline=某人")
    assert r.returncode == 0, r.stderr
    assert json.loads(next((tmp_path / "batch").glob("*.json")).read_text("utf-8"))["meta"]["byline"] == "某人"


def test_inspect_says_why_each_field_was_chosen(seed_path):
    r = run("inspect", str(seed_path), "--json")
    assert r.returncode == 0, r.stderr
    why = json.loads(r.stdout)["evidence"]
    lines = seed_path.read_text("utf-8").split("\n")
    assert "新疆日報" in lines[why["source"]["line"] - 1] and "来源" in why["source"]["rule"]
    assert "姜萍萍" in lines[why["editors"]["line"] - 1]
    assert why["title"]["line"] and why["title"]["rule"]
    r = run("inspect", str(seed_path), "-M", "title=X")
    assert b"set with -M; runner-up: " in r.stdout


# ------------------------------------------------------------------ writers' options


def test_writer_options_reach_the_writer_from_the_command_line(tmp_path, seed_path):
    import convert
    from convert import registry

    out = tmp_path / "a.pdf"
    r = run("convert", str(seed_path), "-t", "pdf", "-o", str(out), "-O", "pdf.font_size=12",
            "-O", "pdf.line-spacing=2")
    assert r.returncode == 0, r.stderr
    options = registry.get_writer("pdf").Options(font_size=12, line_spacing=2)
    convert.write(convert.read(seed_path), tmp_path / "b.pdf", options=options)
    assert out.read_bytes() == (tmp_path / "b.pdf").read_bytes()
    default = tmp_path / "c.pdf"
    convert.write(convert.read(seed_path), default)
    assert out.read_bytes() != default.read_bytes()
    # In a batch too, and a later -O wins.
    r = run("batch", str(seed_path), "-o", str(tmp_path / "batch"), "-t", "txt", "-O", "txt.line_ending=cr",
            "-O", "txt.line_ending=crlf")
    assert r.returncode == 0, r.stderr
    assert b"\r\n\r\n" in next((tmp_path / "batch").glob("*.txt")).read_bytes()


@pytest.mark.parametrize("args,needle", [
    (("-O", "pdf.font_size"), "-O takes FORMAT.KEY=VALUE (-O pdf.font_size=12), not 'pdf.font_size'"),
    (("-O", "font_size=12"), "-O takes FORMAT.KEY=VALUE"),
    (("-O", "pptx.size=1"), "-O pptx.size=1: unknown format 'pptx' (known: docx, epub, json, pdf, txt)"),
    (("-O", "pdf.size=12"), "pdf has no option 'size' (its options: font_size, chars_per_line, line_spacing, layout)"),
    (("-O", "pdf.font_size=big"), "pdf.font_size takes a number, not 'big'"),
    (("-O", "pdf.font_size=40"), "pdf font_size must be 6-20 points, not 40.0"),
    (("-O", "pdf.chars_per_line=60", "-O", "pdf.font_size=20"), "60 characters of 20.0 pt do not fit A4"),
    (("-O", "pdf.chars_per_line=80", "-O", "pdf.font_size=6", "-O", "pdf.font_size=big"), "not 'big'"),
    (("-O", "epub.embed_fonts=perhaps"), "epub.embed_fonts takes true or false, not 'perhaps'"),
    (("-O", "json.indent=two"), "json.indent takes a whole number, not 'two'"),
])
@pytest.mark.parametrize("command", ["convert", "batch"])
def test_bad_writer_options_are_one_line_usage_errors(tmp_path, seed_path, command, args, needle):
    out = tmp_path / "out"
    r = run(command, str(seed_path), "-t", "txt", "-o", str(out), *args)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 2 and err.startswith("docconv: error: ") and err.count("\n") == 1, err
    assert needle in err and "Traceback" not in err
    assert not out.exists()


SHOUT = """
from dataclasses import dataclass

from convert.writers.common import rendered_lines
from convert.writers.options import option


@dataclass(frozen=True)
class ShoutOptions:
    greeting: str = option("你好", metavar="TEXT", help="the first line")
    shout: bool = option(False, flag=FLAG, switch=True, help="capital letters")
    repeat: int = option(1, help="times the title is written")


class ShoutWriter:
    name = "shout"
    extension = "shout"
    kind = "text"
    Options = ShoutOptions

    def write(self, doc, out, options):
        text = options.greeting + "\\n" + (rendered_lines(doc)[0].text + "\\n") * options.repeat
        out.write((text.upper() if options.shout else text).encode("utf-8"))
        return ()
"""


def plugin(tmp_path: Path, entries: dict[str, str], flag: str = "--shout") -> dict[str, str]:
    """The environment of a docconv that also has a package ``shoutwriter``
    declaring ``entries`` in the group convert.writers."""
    site = tmp_path / "site"
    info = site / "shoutwriter-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "shoutwriter.py").write_text(SHOUT.replace("FLAG", repr(flag)), "utf-8")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shoutwriter\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text(
        "[convert.writers]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items()), "utf-8")
    return {**os.environ, "PYTHONPATH": str(site)}


def test_a_plugin_writer_gets_its_options_from_the_command_line(tmp_path, seed_path):
    # A broken plugin beside it takes nothing down; it is listed with its fault.
    env = plugin(tmp_path, {"shout": "shoutwriter:ShoutWriter", "broken": "shoutwriter:Missing"})
    out = tmp_path / "a.shout"
    r = run("convert", str(seed_path), "-o", str(out), "-O", "shout.greeting=hello", "-O", "shout.repeat=2",
            "--shout", env=env)
    assert r.returncode == 0, r.stderr
    greeting, title, again, *_ = out.read_text("utf-8").split("\n")
    assert greeting == "HELLO" and title == again and title.startswith("新疆維吾爾自治區黨委")
    r = run("batch", str(seed_path), "-o", str(tmp_path / "batch"), "-t", "shout:hans", env=env)
    assert r.returncode == 0, r.stderr
    assert next((tmp_path / "batch").glob("*.shout")).read_text("utf-8").startswith("你好\n新疆维吾尔自治区")
    assert "--shout" in run("convert", "--help", env=env).stdout.decode()
    assert "--shout" not in run("convert", "--help").stdout.decode()
    listed = run("formats", env=env).stdout.decode()
    assert "shout    shoutwriter:ShoutWriter  (shoutwriter)" in listed
    assert "-O shout.repeat=N" in listed and "capital letters (default false; --shout)" in listed
    assert "cannot be used: format 'broken' failed to load: AttributeError" in listed
    r = run("convert", str(seed_path), "-t", "shout", "-O", "shout.repeat=often", env=env)
    assert r.returncode == 2 and b"shout.repeat takes a whole number, not 'often'" in r.stderr


def test_a_plugin_flag_that_is_already_taken_is_a_one_line_error(tmp_path, seed_path):
    for flag, owner in (("--output", "docconv"), ("--no-embed-fonts", "the epub writer")):
        env = plugin(tmp_path / flag, {"shout": "shoutwriter:ShoutWriter"}, flag=flag)
        r = run("convert", str(seed_path), "-t", "txt", "-o", "-", env=env)
        err = r.stderr.decode("utf-8")
        assert r.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert f"the shout writer declares {flag}, which {owner} already has" in err


def test_two_packages_declaring_one_format_is_a_one_line_error(tmp_path, seed_path):
    env = plugin(tmp_path, {"pdf": "shoutwriter:ShoutWriter"})
    for args in (("convert", str(seed_path), "-t", "txt", "-o", "-"), ("formats",),
                 ("batch", str(seed_path), "-o", str(tmp_path / "out"))):
        r = run(*args, env=env)
        err = r.stderr.decode("utf-8")
        assert r.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert "two packages declare the output format 'pdf'" in err
        assert "docconv (convert.writers.pdf:PdfWriter)" in err and "shoutwriter (shoutwriter:ShoutWriter)" in err
    assert not (tmp_path / "out").exists()


def test_leftovers_are_repaired_unless_asked_to_keep_them(seed_path):
    repaired = run("convert", str(seed_path), "-t", "txt:tw", "-o", "-")
    kept = run("convert", str(seed_path), "-t", "txt:tw", "-o", "-", "--no-fix-variants")
    assert repaired.returncode == kept.returncode == 0, repaired.stderr + kept.stderr
    assert "精準扶貧" in repaired.stdout.decode("utf-8") and "精准" not in repaired.stdout.decode("utf-8")
    assert "精准扶貧" in kept.stdout.decode("utf-8")


# ------------------------------------------------------------------ conventions (pandoc's, where people know them)


def test_version():
    from convert._version import __version__

    r = run("--version")
    assert r.returncode == 0 and r.stdout.decode() == f"docconv {__version__}\n"


def test_convert_quiet_prints_nothing_but_writes(seed_path, tmp_path):
    r = run("convert", str(seed_path), "-q", "-o", str(tmp_path / "a.txt"))
    assert r.returncode == 0 and r.stdout == b"" and r.stderr == b""
    assert (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("新疆")


def test_furniture_removed_is_an_information_line_shown_with_verbose(seed_path, tmp_path):
    plain = run("convert", str(seed_path), "-o", str(tmp_path / "a.txt"))
    assert plain.returncode == 0 and b"page furniture" not in plain.stderr
    assert plain.stderr.decode().splitlines() == [str(tmp_path / "a.txt")]
    verbose = run("convert", str(seed_path), "-v", "-o", str(tmp_path / "b.txt"))
    assert verbose.returncode == 0
    assert f"docconv: info: {seed_path}: removed 4 line(s) of page furniture" in verbose.stderr.decode()


def test_batch_tells_of_furniture_only_with_verbose(seed_path, tmp_path):
    plain = run("batch", str(seed_path), "-t", "txt", "-o", str(tmp_path / "a"))
    assert plain.returncode == 0 and b"furniture" not in plain.stderr
    verbose = run("batch", str(seed_path), "-t", "txt", "-v", "-o", str(tmp_path / "b"))
    assert verbose.returncode == 0
    assert "        info: removed 4 line(s) of page furniture (docconv inspect lists them)" in \
        verbose.stderr.decode().splitlines()


@pytest.mark.parametrize("args", [
    ("convert", "--bogus"),
    ("convert",),
    ("batch", "x", "--jobs", "many"),
    ("convert", "x", "-t"),
    ("nosuchcommand",),
])
def test_parse_errors_are_one_line_usage_errors(args):
    r = run(*args)
    lines = r.stderr.decode().splitlines()
    assert r.returncode == 2 and len(lines) == 1, lines
    assert lines[0].startswith("docconv: error: ") and r.stdout == b""


def test_no_arguments_still_shows_the_help():
    r = run()
    assert b"Usage: docconv" in r.stdout + r.stderr and b"convert" in r.stdout + r.stderr


@pytest.mark.parametrize("command", ["convert", "inspect", "batch"])
def test_unknown_encoding_is_a_usage_error(seed_path, tmp_path, command):
    r = run(command, str(seed_path), "--encoding", "no-such-codec", *(("-o", str(tmp_path)) if command == "batch" else ()))
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == ["docconv: error: --encoding: unknown encoding 'no-such-codec'"]


def test_inspect_reads_standard_input(seed_path):
    from_file = run("inspect", str(seed_path), "--json")
    from_stdin = run("inspect", "-", "--json", stdin=seed_path.read_bytes())
    assert from_stdin.returncode == 0, from_stdin.stderr
    a, b = json.loads(from_file.stdout), json.loads(from_stdin.stdout)
    assert a.pop("input") == str(seed_path) and b.pop("input") in ("-", "(stdin)", None)
    assert a == b


def test_from_chooses_the_reader(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>標題一</title></head><body><h1>標題一</h1>"
                    "<p>這是正文的第一段，內容很長很長。</p></body></html>", encoding="utf-8")
    as_html = run("convert", str(page), "-t", "txt", "-o", "-")
    as_news = run("convert", str(page), "-f", "news", "-t", "txt", "-o", "-")
    assert as_html.returncode == 0 and b"<p>" not in as_html.stdout
    assert as_news.returncode == 0 and b"<p>" in as_news.stdout  # read as the text it is
    assert run("inspect", str(page), "--from", "news").stdout != run("inspect", str(page)).stdout
    as_json = run("convert", str(page), "--from", "json", "-o", "-")
    assert as_json.returncode == 1 and as_json.stderr.startswith(b"docconv: error: ")
    unknown = run("convert", str(page), "-f", "docx", "-o", "-")
    assert unknown.returncode == 2
    assert unknown.stderr.decode() == "docconv: error: unknown input format 'docx' (known: html, json, news)\n"


@pytest.mark.parametrize("command", [(), ("convert",), ("batch",), ("inspect",), ("formats",)])
def test_help_reads_cleanly(command):
    r = run(*command, "--help")
    assert r.returncode == 0
    text = r.stdout.decode()
    assert "Usage: docconv" in text and ("INPUT" in text or command in ((), ("formats",))), (command, text[:200])
    for leak in ("{input", "{INPUT", "<str>", "<list[", "<int", "range>", "[x>=", "<bool>", "<float"):
        assert leak not in text, (command, leak)


def test_batch_takes_from_as_convert_does(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "p.html").write_text("<html><head><title>標題一</title></head><body><h1>標題一</h1>"
                                   "<p>這是正文的第一段，內容很長很長。</p></body></html>", encoding="utf-8")
    as_html = run("batch", str(folder), "-o", str(tmp_path / "html"), "-t", "txt", "-q")
    as_news = run("batch", str(folder), "-f", "news", "-o", str(tmp_path / "news"), "-t", "txt", "-q")
    assert as_html.returncode == 0 and as_news.returncode == 0, as_news.stderr
    assert "<p>" not in (tmp_path / "html" / "p.txt").read_text("utf-8")
    assert "<p>" in (tmp_path / "news" / "p.txt").read_text("utf-8")  # read as the text it is
    # The reader is part of what an output was made with: another one remakes it.
    again = run("batch", str(folder), "-f", "news", "-o", str(tmp_path / "html"), "-t", "txt", "-q")
    assert again.returncode == 0 and "1 converted, 0 up to date" in again.stderr.decode()
    unknown = run("batch", str(folder), "-f", "docx", "-o", str(tmp_path / "x"))
    assert unknown.returncode == 2 and not (tmp_path / "x").exists()
    assert unknown.stderr.decode() == "docconv: error: unknown input format 'docx' (known: html, json, news)\n"


def test_shell_completion_is_offered_and_completes(tmp_path):
    assert "--install-completion" in run("--help").stdout.decode()
    script = run("--show-completion", "bash", env={**os.environ, "SHELL": "/bin/bash"})
    assert script.returncode == 0 and b"complete -o default -F _docconv_completion docconv" in script.stdout
    env = {**os.environ, "_DOCCONV_COMPLETE": "complete_bash", "COMP_WORDS": "docconv batch --fo", "COMP_CWORD": "2"}
    done = run(env=env)
    assert done.returncode == 0 and done.stdout.decode().split() == ["--force", "--follow-links"]


def test_a_format_that_contradicts_the_output_name_is_a_usage_error(tmp_path, seed_path):
    r = run("convert", str(seed_path), "-t", "pdf", "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and r.stderr.count(b"\n") == 1
    assert b"a .docx name for pdf output; name it .pdf, or ask for docx" in r.stderr
    assert not list(tmp_path.iterdir())
    assert run("convert", str(seed_path), "-o", str(tmp_path / "x.docx")).returncode == 0  # the name says docx
    assert (tmp_path / "x.docx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("fmt", ["docx", "epub", "pdf"])
def test_a_binary_format_goes_to_a_pipe_but_not_to_a_terminal(seed_path, fmt):
    import io
    import pty
    import zipfile

    piped = run("convert", str(seed_path), "-t", fmt, "-o", "-")
    assert piped.returncode == 0, piped.stderr
    if fmt == "pdf":
        from pypdf import PdfReader

        assert "新疆" in PdfReader(io.BytesIO(piped.stdout)).pages[0].extract_text()
    else:
        assert zipfile.ZipFile(io.BytesIO(piped.stdout)).testzip() is None
    leader, follower = pty.openpty()
    try:
        r = subprocess.run([str(DOCCONV), "convert", str(seed_path), "-t", fmt, "-o", "-"], stdout=follower,
                           stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert r.returncode == 2
    assert r.stderr.decode().splitlines() == [
        f"docconv: error: {fmt} is a binary format: give -o FILE, or send -o - into a pipe or a file, "
        "not to the terminal"]


def test_the_batch_report_goes_to_standard_output(seed_path, tmp_path):
    r = run("batch", str(seed_path), "-t", "txt", "-o", str(tmp_path / "out"), "--report", "-", "-q")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["summary"] == {"ok": 1} and report["inputs"][0]["input"] == str(seed_path)
    assert not (tmp_path / "-").exists() and not Path("-").exists()
