"""``docconv``: a thin command line over ``convert.api``.

Errors the user can act on print one line, ``docconv: error: FILE: cause``,
and exit with 2 (usage) or 1 (some inputs failed); never a traceback.
"""

# No ``from __future__ import annotations`` here: typer reads the commands'
# annotations, and as strings it would compile each of them on every run.
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.29 carries its own click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - a typer that uses click itself
    from click import exceptions as click_exceptions

from ._process import finish, stop_on_sigterm
from .command import (
    ConvertRequest,
    check_reader,
    convert_one,
    failed,
    flag_declarations,
    internal,
    max_size_bytes,
    metadata_fields,
    say,
    stopped,
    to_stdout,
    transform_options,
    writer_options,
)
from .errors import ConvertError, ExitCode, UsageError


class _PlainParsing:
    """Plain values converted directly, not through typer's per-run converters
    (see _plain_coercion); shared by the group and every command."""

    def parse_args(self, ctx, args):
        for param in self.get_params(ctx):
            _plain_coercion(param)
        return super().parse_args(ctx, args)


class _Group(_PlainParsing, TyperGroup):
    pass


app = typer.Typer(
    name="docconv",
    cls=_Group,
    help="Turn scraped Chinese news texts into DOCX, PDF, EPUB and plain text.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

TargetsOpt = Annotated[
    list[str] | None,
    typer.Option("--to", "-t", metavar="FORMAT[:SCRIPT]",
                 help="Output format, optionally with a script: hans, hant, tw or hk. Repeatable."),
]
MetadataOpt = Annotated[list[str] | None, typer.Option(
    "--metadata", "-M", metavar="KEY=VALUE",
    help="Set a metadata field over what the reader found (title, subtitle, site, channel, breadcrumb, "
         "published, source, byline, editors, language); repeatable: -M title=... -M published=2017-06-25")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", metavar="ENCODING",
                                                 help="Input encoding (default: detected).")]
FromOpt = Annotated[str | None, typer.Option(
    "--from", "-f", metavar="FORMAT",
    help="Input format, the reader to use: news (scraped text), html (a saved page), json (a document "
         "the json writer wrote); default: chosen from the input's bytes and name.")]
PhrasesOpt = Annotated[bool, typer.Option("--phrases", help="Also convert vocabulary (OpenCC phrase tables).")]
KeepPunctuationOpt = Annotated[bool, typer.Option(
    "--no-normalize-punctuation", help="Keep ASCII and small-form punctuation in Chinese text as scraped.")]
QuotesOpt = Annotated[str, typer.Option(
    "--quotes", metavar="keep|mainland|taiwan|auto",
    help="Quote marks: “”‘’ (mainland), 「」『』 (taiwan), as written (keep); auto follows the output script.")]
FixVariantsOpt = Annotated[bool, typer.Option(
    "--fix-variants/--no-fix-variants",
    help="Repair simplified leftovers in traditional text (精准→精準; regional forms such as 啓 綫 峯 are kept); "
         "--no-fix-variants keeps the text as scraped.")]
LayoutOpt = Annotated[str | None, typer.Option(
    "--layout", metavar="horizontal|vertical",
    help="Lines across the page (the default) or columns top to bottom, right to left, in the formats "
         "that set pages (PDF, EPUB, DOCX); text formats have no layout.")]
WriterOptionOpt = Annotated[list[str] | None, typer.Option(
    "--writer-option", "-O", metavar="FORMAT.KEY=VALUE",
    help="Set an option of a format's writer: -O pdf.font_size=12 -O epub.embed_fonts=false; "
         "repeatable, a later one wins; docconv formats lists each writer's options.")]
MaxSizeOpt = Annotated[str | None, typer.Option(
    "--max-size", metavar="SIZE",
    help="Refuse an input larger than this (bytes, or with K, M or G: 512M, 2G; default 256M).")]


def _show_version(value: bool) -> None:
    if value:
        from ._version import __version__

        typer.echo(f"docconv {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    pass


# Seconds a batch gives one file: far beyond any news article (a second or
# two), and beyond a 50 MB text in every format, yet a hang ends.
DEFAULT_TIMEOUT = 1800.0


# ------------------------------------------------------------------ writers' options

def _fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    return typer.Exit(failed(message, code))


# Where WriterFlags leaves the flags it parsed for the command.
_FLAGS_GIVEN = "convert.writer_flags"
_FLAGS_PROBLEM = "convert.writer_flags_problem"


class Command(_PlainParsing, TyperCommand):
    """A command whose help shows its arguments as they are typed (``INPUT``,
    ``INPUT...``), without typer's braces and type labels (``{input}``,
    ``<list[str]>``)."""

    def collect_usage_pieces(self, ctx):
        return [re.sub(r"\{([^{}]*)\}", r"\1", piece) for piece in super().collect_usage_pieces(ctx)]

    def format_help(self, ctx, formatter):
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                param.display_type_rich = _no_type  # the metavar says it
        super().format_help(ctx, formatter)


def _no_type(ctx) -> None:
    return None


_INTEGER = re.compile(r"[+-]?\d{1,18}")
_DECIMAL = re.compile(r"[+-]?(?:\d{1,18}(?:\.\d{0,18})?|\.\d{1,18})")


class _PlainValues:
    """Typer's coercion for the plain values this CLI takes (text, lists of
    text, whole and decimal numbers, a path), done directly.

    Typer builds a pydantic TypeAdapter for each parameter of the command it
    runs, on every run: importing pydantic and building them is most of a
    short conversion's start-up.  A value this does not take as it comes
    (a bad number, one out of range) goes to typer's own coercion, so what
    is accepted, and the message for what is not, stay typer's."""

    def __init__(self, param, convert):
        self.param, self.convert, self.theirs = param, convert, None

    def coerce(self, value, param, ctx):
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        result = self.convert(value, param.type_descriptor.parameter_info)
        if result is not _DEFER:
            return result
        if self.theirs is None:
            from typer._coercion import build_runtime_param

            self.theirs = build_runtime_param(param.type_descriptor)
        return self.theirs.coerce(value, param=param, ctx=ctx)


_DEFER = object()


def _in_range(number, info):
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if getattr(info, "clamp", False) or (low is not None and number < low) or (high is not None and number > high):
        return _DEFER
    return number


def _as_str(value, info):
    return value if type(value) is str else _DEFER


def _as_strs(value, info):
    return list(value) if isinstance(value, (list, tuple)) and all(type(v) is str for v in value) else _DEFER


def _as_int(value, info):
    if type(value) is int:
        return _in_range(value, info)
    return _in_range(int(value), info) if type(value) is str and _INTEGER.fullmatch(value) else _DEFER


def _as_float(value, info):
    if type(value) in (int, float):
        return _in_range(float(value), info)
    return _in_range(float(value), info) if type(value) is str and _DECIMAL.fullmatch(value) else _DEFER


def _as_path(value, info):
    if type(value) is not str or any(getattr(info, a, False) for a in ("exists", "resolve_path", "writable")) \
            or not getattr(info, "file_okay", True) or not getattr(info, "dir_okay", True):
        return _DEFER
    return Path(value)


def _as_bool(value, info):
    return value if type(value) is bool else _DEFER


_PLAIN = {bool: _as_bool, str: _as_str, list[str]: _as_strs, int: _as_int, float: _as_float, Path: _as_path}


def _plain_coercion(param) -> None:
    """Give ``param`` the direct coercion of _PlainValues, where this typer
    version coerces through a runtime parameter and the value is plain."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", False) is not None:
        return  # another typer version, or already set
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None \
            or getattr(info, "click_type", None) is not None or descriptor.is_choice:
        return
    convert = _PLAIN.get(descriptor.annotation)
    if convert is not None:
        param._runtime_param = _PlainValues(param, convert)


class WriterFlags(Command):
    """A command that also takes the flags the writers declare for their
    options (``--reference-docx``, ``--no-embed-fonts``, a plugin's own).

    They are asked of the registry the first time the command parses its
    arguments or shows its help, so that ``docconv --help`` and the other
    commands load no writer; this package's own come from the per-user cache
    when it has them (``_builtin_flags``).  What they give is left in
    ``ctx.meta`` for ``_writer_options``; a writer that cannot be listed, or
    that declares a flag already taken, is reported there as a usage error."""

    _writer_flags: tuple[list, dict[str, tuple[str, str]], str | None] | None = None

    def _flags(self) -> tuple[list, dict[str, tuple[str, str]], str | None]:
        if self._writer_flags is None:
            taken = {name: "docconv" for param in self.params for name in (*param.opts, *param.secondary_opts)}
            self._writer_flags = _declared_flags(taken)
        return self._writer_flags

    def get_params(self, ctx):
        params = super().get_params(ctx)
        extra = self._flags()[0]
        help_option = self.get_help_option(ctx)
        if extra and help_option is not None and params and params[-1] is help_option:
            return [*params[:-1], *extra, help_option]  # help stays last in --help
        return [*params, *extra]

    def invoke(self, ctx):
        params, owners, problem = self._flags()
        given = []
        for param in params:
            value = ctx.params.pop(param.name, None)
            if value is not None and value is not False:
                given.append((*owners[param.name], value))
        ctx.meta[_FLAGS_GIVEN] = given
        ctx.meta[_FLAGS_PROBLEM] = problem
        return super().invoke(ctx)


def _declared_flags(taken: dict[str, str]) -> tuple[list, dict[str, tuple[str, str]], str | None]:
    """Command-line parameters for the flags every writer declares (see
    command.flag_declarations), made by typer from a signature built for
    them; which writer and option (its key) each serves; and the first
    problem met."""
    import inspect

    declared, problem = flag_declarations(taken)
    parameters, owners = [], {}
    for fmt, key, flags, is_switch, metavar, help_text in declared:
        name = f"writer_flag_{len(parameters)}"
        text = f"{fmt.upper()}: {help_text}."
        if is_switch:
            annotation: Any = Annotated[bool, typer.Option(*flags, help=text)]
            default: Any = False
        else:
            annotation = Annotated[str | None, typer.Option(*flags, metavar=metavar, help=text)]
            default = None
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                            annotation=annotation))
        owners[name] = (fmt, key)
    if not parameters:
        return [], owners, problem

    def flags(**values: Any) -> None:
        """Never called: typer reads its signature."""

    flags.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    holder = typer.Typer(add_completion=False)
    holder.command()(flags)
    return list(typer.main.get_command(holder).params), owners, problem


def _writer_options(ctx: typer.Context, pairs: list[str] | None) -> dict[str, Any]:
    """command.writer_options with the writers' flags WriterFlags parsed."""
    return writer_options(ctx.meta.get(_FLAGS_GIVEN, ()), ctx.meta.get(_FLAGS_PROBLEM), pairs)


@app.command("convert", cls=WriterFlags, epilog="""Examples:

  docconv convert seeds/article.txt -t txt:hans -o -

  docconv convert seeds/article.txt -t docx -t pdf:tw -o out/

  cat article.txt | docconv convert - -t json -o article.json
""")
def convert_command(
    ctx: typer.Context,
    input: Annotated[str, typer.Argument(
        metavar="INPUT", help="Input file (news text, a saved HTML page), or - for standard input.")],
    to: TargetsOpt = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="OUTPUT",
        help="Output file, directory (several formats), or - for standard output.")] = None,
    reader: FromOpt = None,
    encoding: EncodingOpt = None,
    phrases: PhrasesOpt = False,
    keep_punctuation: KeepPunctuationOpt = False,
    quotes: QuotesOpt = "auto",
    fix_variants: FixVariantsOpt = True,
    layout: LayoutOpt = None,
    writer_option: WriterOptionOpt = None,
    metadata: MetadataOpt = None,
    max_size: MaxSizeOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors: no warnings, no output names.")]
    = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print information lines (page furniture "
                                                                   "removed).")] = False,
) -> None:
    """Convert one file into one or more formats."""
    code = convert_one(ConvertRequest(
        input, tuple(to or ()), output, reader, encoding, phrases, keep_punctuation, quotes, fix_variants, layout,
        tuple(writer_option or ()), tuple(metadata or ()), max_size, quiet, verbose,
        writer_flags=tuple(ctx.meta.get(_FLAGS_GIVEN, ())), writer_flags_problem=ctx.meta.get(_FLAGS_PROBLEM)))
    if code:
        raise typer.Exit(code)


@app.command("batch", cls=WriterFlags, epilog="""Examples:

  docconv batch seeds/ -o out/

  docconv batch a.txt b.txt -o out/ -t docx -t txt:hans --jobs 4 --report report.json

  docconv batch seeds/ --bundle news.epub --title 新闻选辑
""")
def batch_command(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", help="Input files and folders (folders: the text files, saved pages and JSON documents inside).")],
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="DIR", help="Output directory.")] = None,
    to: TargetsOpt = None,
    reader: FromOpt = None,
    encoding: EncodingOpt = None,
    phrases: PhrasesOpt = False,
    keep_punctuation: KeepPunctuationOpt = False,
    quotes: QuotesOpt = "auto",
    fix_variants: FixVariantsOpt = True,
    layout: LayoutOpt = None,
    writer_option: WriterOptionOpt = None,
    bundle: Annotated[Path | None, typer.Option(
        "--bundle", metavar="BOOK.epub",
        help="Bind all inputs into one book, a chapter each, in the format its extension names "
             "(.epub; docconv formats marks the formats that bind); script from -t FORMAT:SCRIPT.")] = None,
    title: Annotated[str, typer.Option("--title", metavar="TITLE", help="Title of the --bundle book.")] = "",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N",
                                                help="Worker processes (default: number of cores).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo outputs that are already up to date.")] = False,
    report_name: Annotated[str | None, typer.Option(
        "--report", metavar="FILE", help="Write a JSON report of every input (- for standard output).")] = None,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first failed input.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures and the summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every input, with information lines "
                                                                   "(page furniture removed).")] = False,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="In input folders, also read linked folders and links to files outside them.")] = False,
    metadata: MetadataOpt = None,
    max_size: MaxSizeOpt = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", metavar="SECONDS", min=0,
        help="A file that takes longer fails alone, \"timed out\" (0: no limit).")] = DEFAULT_TIMEOUT,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS",
        help="Convert on a Dask cluster: its scheduler, tcp://HOST:8786, or local:N for N workers here; "
             "inputs and -o may then be URLs (s3://...). Needs pip install 'docconv[dask]'.")] = None,
) -> None:
    """Convert many files in parallel; one bad file never stops the others.

    Default formats: every registered document format, json, and txt in both
    hans and hant.  Outputs are named <stem>.<ext> or <stem>.<script>.<ext>;
    files in sub-folders keep their sub-folder.  An output made from the same
    input content with the same options is skipped (--force redoes it).
    """
    import time

    from . import api
    from .batching import BatchOptions, default_jobs, run, write_report
    from .progress import reporter

    try:
        if jobs is not None and jobs < 1:
            raise UsageError(f"--jobs takes a number of worker processes, 1 or more, not {jobs}")
        transforms = transform_options(phrases, keep_punctuation, quotes, fix_variants)
        api.check_encoding(encoding)
        check_reader(reader)
        writer_options = _writer_options(ctx, writer_option)
        limit = max_size_bytes(max_size)
        if report_name is not None and report_name.endswith(("/", os.sep)):
            raise UsageError("names a folder; --report takes a file name (report.json)", report_name)
        report = Path(report_name) if report_name not in (None, "-") else None
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    if bundle is not None:
        _bundle(inputs, bundle, to, encoding, transforms, writer_options, title, follow_links, limit, reader,
                layout)
        if output is None:
            return
    if output is None:
        raise _fail("give an output directory with -o (or --bundle BOOK.epub)")
    started = time.perf_counter()
    results: list = []
    problems: list[str] = []  # the run's own troubles, beside the inputs'
    try:
        targets = tuple(api.Target.parse(t) for t in to) if to else tuple(api.default_targets())
        writer_options = api.with_layout(writer_options, layout, [t.format for t in targets])
        options = BatchOptions(output if "://" in output else Path(output), targets, encoding, transforms,
                               writer_options,
                               jobs or default_jobs(), force, fail_fast, follow_links,
                               tuple(sorted(metadata_fields(metadata).items())), max_size=limit,
                               timeout=timeout or None, reader=reader)
        if scheduler is not None:
            from .distributed import run_on

            run = run_on(scheduler)
        with reporter(quiet=quiet, verbose=verbose) as show:
            def problem(message: str) -> None:
                problems.append(message)
                show.note(f"docconv: error: {message}")

            for result in run(inputs, options, on_planned=show.planned, on_problem=problem, report=report):
                results.append(result)
                show.result(result)
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    except ConvertError as exc:
        raise _fail(str(exc), ExitCode.FAILED) from None
    except Exception as exc:  # planning or reporting met a bug: one line, and the report of what was done
        raise _fail(internal(output, exc), ExitCode.FAILED) from None
    except KeyboardInterrupt as exc:
        raise typer.Exit(stopped(exc, f" after {len(results)} input(s); finished outputs are kept")) from None
    finally:
        if (report is not None or report_name == "-") and results:
            try:
                if report is None:
                    to_stdout(lambda out: write_report(out, results, options, time.perf_counter() - started,
                                                        problems))
                else:
                    write_report(report, results, options, time.perf_counter() - started, problems)
            except ConvertError as exc:
                say(f"docconv: error: {exc}")
                raise typer.Exit(int(ExitCode.FAILED)) from None
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "skipped", "failed")}
    say(f"{counts['ok']} converted, {counts['skipped']} up to date, {counts['failed']} failed "
         f"in {time.perf_counter() - started:.1f} s")
    if counts["failed"] or problems:
        raise typer.Exit(int(ExitCode.FAILED))


def _bundle(inputs, book: Path, to, encoding, transforms, writer_options: dict[str, Any], title: str,
            follow_links: bool, max_size: int, reader: str | None = None, layout: str | None = None) -> None:
    """``batch --bundle``: every input as a chapter of one book, in a
    format whose writer binds (``api.bundle_target``)."""
    from . import api

    try:
        target = api.bundle_target(book, to or [])
        results = api.bundle(inputs, book, to=target, encoding=encoding, transforms=transforms,
                             options=writer_options.get(target.format), title=title, follow_links=follow_links,
                             max_size=max_size, reader=reader, layout=layout)
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    except ConvertError as exc:
        raise _fail(str(exc), ExitCode.FAILED) from None
    except Exception as exc:  # a bug met while binding: one line, not a traceback
        raise _fail(internal(str(book), exc), ExitCode.FAILED) from None
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        say(f"failed  {r.error}")
    say(f"{book}: {len(results) - len(failed)} chapter(s), {len(failed)} input(s) failed")
    if failed:
        raise typer.Exit(int(ExitCode.FAILED))


@app.command("inspect", cls=Command, epilog="""Example:

  docconv inspect seeds/article.txt
""")
def inspect_command(
    input: Annotated[str, typer.Argument(
        metavar="INPUT", help="Input file (news text, a saved HTML page), or - for standard input.")],
    encoding: EncodingOpt = None,
    reader: FromOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    metadata: MetadataOpt = None,
    max_size: MaxSizeOpt = None,
) -> None:
    """Show what the reader found and why: metadata (each field with its line,
    rule and runner-up), blocks, removed furniture, script."""
    from . import api
    from .inspection import describe, summary

    try:
        api.check_encoding(encoding)
        check_reader(reader)
        fields, limit = metadata_fields(metadata), max_size_bytes(max_size)
        if input == "-":
            doc, evidence = api.explain_bytes(api.read_stdin(limit), path=None, encoding=encoding, reader=reader,
                                              metadata=fields)
        else:
            doc, evidence = api.explain(input, encoding=encoding, reader=reader, metadata=fields, max_size=limit)
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    except ConvertError as exc:
        raise _fail(str(exc), ExitCode.FAILED) from None
    except Exception as exc:  # a bug met on one input is still one line, not a traceback
        raise _fail(internal(input, exc), ExitCode.FAILED) from None
    if as_json:
        import json

        typer.echo(json.dumps(summary(doc, evidence), ensure_ascii=False, indent=2))
    else:
        typer.echo(describe(doc, evidence))


@app.command("formats", cls=Command)
def formats_command(
    documents: Annotated[bool, typer.Option(
        "--documents", help="Print only the names of the document formats (docx, pdf, ...), one a line.")] = False,
) -> None:
    """List the output formats registered through entry points, each with
    the options its writer takes (-O FORMAT.KEY=VALUE, or its own flag).
    A format whose writer cannot be loaded is listed with the reason, and
    the command then exits with 1."""
    from . import registry

    try:
        names, listed = registry.writer_names(), registry.available_writers()
    except UsageError as exc:  # two packages declare one format
        raise _fail(str(exc)) from None
    if documents:
        broken = []
        for name in names:
            try:
                if registry.get_writer(name).kind == "document":
                    typer.echo(name)
            except UsageError as exc:
                broken.append(str(exc))
        for problem in broken:
            say(f"docconv: error: {problem}")
        if broken:
            raise typer.Exit(int(ExitCode.FAILED))
        return
    broken = 0
    for info in listed:
        line = f"{info.name:8} {info.target}  ({info.distribution or 'unknown package'})"
        try:
            settings = registry.writer_settings(info.name)
            binds = registry.binds(info.name)
        except (UsageError, TypeError) as exc:  # a broken plugin is listed, and says why
            typer.echo(f"{line}\n    cannot be used: {exc}")
            broken += 1
            continue
        typer.echo(line + ("; binds a --bundle" if binds else ""))
        for setting in settings:
            typer.echo(f"    {f'-O {info.name}.{setting.key}={setting.metavar}':34} {_described(setting)}")
    if broken:
        raise typer.Exit(int(ExitCode.FAILED))


def _described(setting) -> str:
    """A writer option's help, default and flags, for docconv formats."""
    default = setting.default
    shown = ("true" if default else "false") if isinstance(default, bool) else \
        "none" if default is None else repr(default) if isinstance(default, str) else str(default)
    extra = [f"default {shown}", *setting.flags]
    return f"{setting.help or setting.key.replace('_', ' ')} ({'; '.join(extra)})"


def group_help() -> str:
    """What ``docconv --help`` prints, as typer makes it for this process
    (the name it was run by, the terminal's width)."""
    try:
        from typer._click.utils import _detect_program_name
    except ImportError:  # pragma: no cover - a typer that uses click itself
        from click.utils import _detect_program_name

    group = typer.main.get_command(app)
    with group.make_context(_detect_program_name(), [], resilient_parsing=True) as ctx:
        return ctx.get_help() + "\n"


def main() -> None:
    """Run the command line in ``sys.argv`` with typer (``console.main``
    runs the plainest ``docconv convert`` lines without it)."""
    stop_on_sigterm()
    try:
        with _only_the_command_named(sys.argv[1:2]):
            code = app(standalone_mode=False)
    except KeyboardInterrupt as exc:
        sys.exit(stopped(exc))
    except click_exceptions.NoArgsIsHelpError as exc:  # no arguments at all: the help, as before
        exc.show()
        sys.exit(exc.exit_code)
    except click_exceptions.ClickException as exc:
        # click's own parse errors (no such option, a missing argument, a
        # bad value) in one line, as every other error is, not click's three.
        hint = ""
        if isinstance(exc, click_exceptions.UsageError) and exc.ctx is not None:
            hint = f" (docconv{' ' + exc.ctx.info_name if exc.ctx.parent else ''} -h for help)"
        say(f"docconv: error: {' '.join(exc.format_message().split())}{hint}")
        sys.exit(exc.exit_code)
    except typer.Abort:  # typer 0.29 keeps it out of its click copy's exceptions
        say("docconv: aborted")
        sys.exit(int(ExitCode.FAILED))
    finish(code if isinstance(code, int) else 0, sys.argv[1] if len(sys.argv) > 1 else None)


@contextmanager
def _only_the_command_named(first: list[str]):
    """Typer builds every command's parameters before it runs one: when the
    first argument names a command, only that one is built (the others' are
    not needed to run it, nor to show its help).  Shell completion and the
    group's own options and help see them all."""
    registered = app.registered_commands
    chosen = [info for info in registered if first and info.name == first[0]]
    if not chosen or any(name.endswith("_COMPLETE") for name in os.environ):
        yield
        return
    app.registered_commands = chosen
    try:
        yield
    finally:
        app.registered_commands = registered
