"""The entry point's quick parser for ``docconv convert``: what it takes it
takes as typer does, and a command line it runs ends as the same command
line run through typer does."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from convert import cli, console
from convert.command import ConvertRequest, flag_declarations

DOCCONV = Path(sys.executable).with_name("docconv")


def convert_command():
    with cli._only_the_command_named(["convert"]):
        group = typer.main.get_command(cli.app)
    return group.commands["convert"]


def typer_fields(args: list[str]) -> dict[str, object]:
    """The convert command's parameters as typer's click parses ``args``,
    named and shaped as ConvertRequest's fields."""
    command = convert_command()
    ctx = command.make_context("convert", list(args), parent=None)
    declared = {param.name for param in command.params}
    fields = {}
    for name, value in ctx.params.items():
        if name not in declared:
            assert value in (None, False), f"a writer's flag was set: {name}"
            continue
        if isinstance(value, list | tuple):
            value = tuple(value)
        fields[name] = () if value is None and name in ("to", "writer_option", "metadata") else value
    return fields


def request_fields(parsed: dict[str, object]) -> dict[str, object]:
    defaults = ConvertRequest(input="")
    return {name: parsed.get(name, getattr(defaults, name)) for name in typer_fields(["x"])}


def test_the_quick_parser_knows_every_option_of_the_command_as_typer_declares_it():
    declared = {}
    for param in convert_command().params:
        if param.param_type_name != "option":
            continue
        for opt in param.opts:
            kind = "values" if param.multiple else (True if param.is_flag else "a value")  # a switch sets True
            declared[opt] = (param.name, kind)
        for opt in param.secondary_opts:
            declared[opt] = (param.name, False)
    assert console.OPTIONS == declared


def test_a_request_left_at_its_defaults_is_what_typer_gives_for_an_input_alone():
    assert request_fields(console.parse_convert(["a.txt"])) == typer_fields(["a.txt"])


@pytest.mark.parametrize("args", [
    ["seeds/a.txt"],
    ["a.txt", "-t", "docx", "-o", "out/"],
    ["-t", "docx", "-t", "pdf:tw", "a.txt", "-o", "out/"],
    ["a.txt", "--to=txt:hans", "--output=-"],
    ["-", "-t", "json", "-o", "article.json"],
    ["a.txt", "-o", "x.docx", "-O", "docx.page_size=A5", "-M", "title=标题", "-M", "byline=记者"],
    ["a.txt", "--phrases", "--no-normalize-punctuation", "--quotes", "taiwan", "--no-fix-variants", "-q", "-v"],
    ["a.txt", "--layout", "vertical", "--max-size", "2G", "--encoding", "gb18030", "-f", "news"],
    ["文章 一.txt", "-o", ""],
])
def test_what_people_type_is_parsed_here_as_typer_parses_it(args):
    parsed = console.parse_convert(args)
    assert parsed is not None, "the quick parser should take this command line"
    assert request_fields(parsed) == typer_fields(args)


@pytest.mark.parametrize("args", [
    [], ["a.txt", "b.txt"], ["-h"], ["a.txt", "--help"], ["a.txt", "--", "-o"], ["a.txt", "-qv"],
    ["a.txt", "-ox.txt"], ["a.txt", "-o"], ["a.txt", "-o", "x", "-o", "y"], ["a.txt", "-q", "-q"],
    ["a.txt", "-o", "--to"], ["a.txt", "--quiet=yes"], ["a.txt", "--reference-docx", "ref.docx"],
    ["a.txt", "--no-such-option"], ["a.txt", "--fix-variants", "--no-fix-variants"], ["--", "a.txt"],
])
def test_anything_else_is_left_to_typer(args):
    assert console.parse_convert(args) is None


def test_random_command_lines_are_parsed_as_typer_parses_them_or_left_to_it():
    words = ["a.txt", "-", "out/", "x.docx", "docx", "pdf:tw", "title=题", "--", "-x", "", "=",
             *console.OPTIONS, "--help", "-qv", "--to=txt", "--quiet=1", "--reference-docx"]
    rng = random.Random(20261202)
    taken = 0
    for _ in range(3000):
        args = [rng.choice(words) for _ in range(rng.randint(0, 7))]
        parsed = console.parse_convert(args)
        if parsed is None:
            continue
        taken += 1
        assert request_fields(parsed) == typer_fields(args), args
    assert taken > 100  # the quick parser is still in use


def test_the_built_in_writers_flags_never_clash_with_the_commands_own():
    assert flag_declarations(dict.fromkeys(console.OPTIONS, "docconv"))[1] is None


# docconv run through typer alone (cli.main), by its own name.
THROUGH_TYPER = [sys.executable, "-c", "import sys; sys.argv[0] = 'docconv'; from convert.cli import main; main()"]


@pytest.mark.parametrize("args", [
    ["SEED", "-o", "OUT/a.txt"],
    ["SEED", "-t", "json", "-t", "txt:tw", "-o", "OUT/"],
    ["SEED", "-t", "txt:hans", "--quotes", "taiwan", "-v", "-o", "-"],
    ["SEED", "-o", "OUT/a.docx", "-t", "pdf"],
    ["SEED", "-t", "pptx"],
    ["SEED", "-M", "nonsense"],
    ["SEED", "-O", "pdf.no_such_option=1", "-o", "OUT/"],
    ["SEED", "--max-size", "10", "-o", "OUT/"],
    ["SEED", "-o", "SEED"],
    ["no/such/file.txt", "-o", "OUT/"],
    ["-", "-t", "txt", "-o", "-"],
])
def test_a_command_line_ends_as_it_does_through_typer(args, seed_path, tmp_path):
    outs, results = {}, []
    concrete = [a.replace("SEED", "seed.txt").replace("OUT", "out") for a in args]
    for name, docconv in (("quick", [str(DOCCONV)]), ("typer", THROUGH_TYPER)):
        (tmp_path / name / "out").mkdir(parents=True)
        (tmp_path / name / "seed.txt").write_bytes(seed_path.read_bytes())
        results.append(subprocess.run([*docconv, "convert", *concrete], cwd=tmp_path / name, capture_output=True,
                                      input=seed_path.read_bytes(), timeout=120))
        outs[name] = {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*")
                      if p.is_file()}
    quick, through_typer = results
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        through_typer.returncode, through_typer.stdout, through_typer.stderr)
    assert outs["quick"] == outs["typer"]


def test_a_plain_conversion_does_not_import_typer(seed_path, tmp_path):
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "convert", "convert", str(seed_path),
                        "-t", "txt", "-o", str(tmp_path / "a.txt")], capture_output=True, timeout=120)
    assert r.returncode == 0
    imported = {line.split("|")[-1].strip() for line in r.stderr.decode().splitlines() if "|" in line}
    assert "convert.command" in imported and not any(name.startswith(("typer", "click")) for name in imported)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("新疆")


def test_help_and_mistakes_still_go_through_typer(seed_path):
    r = subprocess.run([str(DOCCONV), "convert", str(seed_path), "--no-such-option"], capture_output=True,
                       timeout=120)
    assert r.returncode == 2
    assert r.stderr.decode().startswith("docconv: error: No such option: --no-such-option")
    r = subprocess.run([str(DOCCONV), "convert", "--help"], capture_output=True, timeout=120)
    assert r.returncode == 0 and b"--reference-docx" in r.stdout


def test_every_pairing_of_two_options_is_parsed_as_typer_parses_it():
    values = {"a value": ["x", "-"], "values": ["y"]}
    for (first, (_, a)), (second, (_, b)) in itertools.permutations(console.OPTIONS.items(), 2):
        args = ["a.txt"]
        for name, takes in ((first, a), (second, b)):
            args += [name, *values[takes][:1]] if takes in values else [name]
        parsed = console.parse_convert(args)
        if parsed is not None:
            assert request_fields(parsed) == typer_fields(args), args


def test_the_help_kept_in_the_cache_is_what_typer_prints(tmp_path):
    cache = tmp_path / "cache"
    for columns in ("100", "60"):
        env = {**os.environ, "DOCCONV_CACHE_DIR": str(cache), "COLUMNS": columns}
        expected = subprocess.run([*THROUGH_TYPER, "--help"], env=env, capture_output=True, timeout=120)
        assert expected.returncode == 0 and expected.stdout.startswith(b"Usage: docconv [OPTIONS] COMMAND")
        for args in (["--help"], ["--help"], ["-h"]):  # made, then kept
            r = subprocess.run([str(DOCCONV), *args], env=env, capture_output=True, timeout=120)
            assert (r.returncode, r.stdout, r.stderr) == (0, expected.stdout, b"")
    narrow, wide = (subprocess.run([str(DOCCONV), "--help"], capture_output=True, timeout=120,
                                   env={**os.environ, "DOCCONV_CACHE_DIR": str(cache), "COLUMNS": c}).stdout
                    for c in ("60", "100"))
    assert narrow != wide  # one entry a width
    [entry] = cache.glob("help-*")
    entry.write_bytes(entry.read_bytes()[:40])  # damaged: made again
    env = {**os.environ, "DOCCONV_CACHE_DIR": str(cache), "COLUMNS": "100"}
    assert subprocess.run([str(DOCCONV), "--help"], env=env, capture_output=True, timeout=120).stdout == wide
    module = subprocess.run([sys.executable, "-m", "convert", "--help"], env=env, capture_output=True, timeout=120)
    assert module.stdout.startswith(b"Usage: python -m convert [OPTIONS]")


def test_the_help_does_not_import_typer_once_kept(tmp_path):
    env = {**os.environ, "DOCCONV_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "convert", "--help"], env=env, capture_output=True, timeout=120)
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "convert", "--help"], env=env,
                       capture_output=True, timeout=120)
    imported = {line.split("|")[-1].strip() for line in r.stderr.decode().splitlines() if "|" in line}
    assert r.stdout.startswith(b"Usage:") and "convert.console" in imported
    assert not any(name.startswith(("typer", "click", "convert.command")) for name in imported)


def test_what_runs_at_the_end_comes_after_the_output_and_cannot_fail_the_run():
    program = ("import sys; from convert import _process\n"
               "def stopped(): raise KeyboardInterrupt\n"
               "def kept(): sys.stderr.write('kept\\n'); sys.stderr.flush()\n"
               "_process.on_exit(stopped); _process.on_exit(kept)\n"
               "sys.stdout.write('converted\\n'); _process.finish(0, 'convert')\n")
    r = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, b"converted\n", b"kept\n")
