"""``docconv``: a thin command line over ``convert.api``.

Errors the user can act on print one line, ``docconv: error: FILE: cause``,
and exit with 2 (usage) or 1 (some inputs failed); never a traceback.
"""

# No ``from __future__ import annotations`` here: typer reads the commands'
# annotations, and as strings it would compile each of them on every run.
import os
import re
import signal
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.29 carries its own click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - a typer that uses click itself
    from click import exceptions as click_exceptions

from .errors import ConvertError, ExitCode, Terminated, UsageError, one_line, printable


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


def _fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    _say(f"docconv: error: {message}")
    return typer.Exit(int(code))


def _say(line: str) -> None:
    """One line on stderr; file names in it may hold anything (see printable)."""
    typer.echo(printable(line), err=True)


def _transforms(phrases: bool, keep_punctuation: bool = False, quotes: str = "auto", fix_variants: bool = True):
    from .transforms import TransformOptions

    return TransformOptions(phrases=phrases, normalize_punctuation=not keep_punctuation, quotes=quotes,
                            fix_variants=fix_variants)


def _max_size(value: str | None) -> int:
    """--max-size as bytes: 1048576, 512K, 256M, 2G (powers of 1024)."""
    from .api import DEFAULT_MAX_SIZE

    if value is None:
        return DEFAULT_MAX_SIZE
    m = re.fullmatch(r"\s*(\d+)\s*(?:([KMGT])(?:i?B)?|B)?\s*", value, re.I)
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"--max-size takes a size such as 512M or 2G, not {value!r}")
    return int(m.group(1)) << (10 * " KMGT".index((m.group(2) or " ").upper()))


# ------------------------------------------------------------------ writers' options

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
    """Command-line parameters for the flags every writer declares, made by
    typer from a signature built for them; which writer and option (its key)
    each serves; and the first problem met."""
    import inspect

    from . import registry

    try:
        names = registry.writer_names()
    except UsageError as exc:
        return [], {}, str(exc)
    builtin = _builtin_flags(names)
    parameters, owners, problem = [], {}, None
    for fmt in names:
        declared = builtin.get(fmt)
        if declared is None:
            try:
                declared = _flags_of(fmt)
            except (UsageError, TypeError):
                continue  # a broken plugin fails when it is asked for, not here
        for key, flags, is_switch, metavar, help_text in declared:
            clash = next((flag for flag in flags if flag in taken), None)
            if clash is not None:
                problem = problem or (f"the {fmt} writer declares {clash}, which {taken[clash]} already has; "
                                      "its package must give the option another flag")
                continue
            taken.update(dict.fromkeys(flags, f"the {fmt} writer"))
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


def _flags_of(fmt: str) -> list[tuple[str, tuple[str, ...], bool, str, str]]:
    """(key, flags, is a switch, metavar, help) of each flag writer ``fmt``
    declares, asked of the writer itself."""
    from . import registry

    return [(setting.key, tuple(setting.flags), setting.declaration.is_switch, setting.metavar,
             setting.declaration.flag_help or setting.declaration.help)
            for setting in registry.writer_settings(fmt) if setting.flags]


_BUILTIN_WRITERS = "convert.writers."


def _builtin_flags(names: list[str]) -> dict[str, list]:
    """``_flags_of`` for each of this package's own writers, from the
    per-user cache while the package's sources are as they were: listing
    them otherwise imports every writer and the document model, the most of
    ``docconv convert --help``.  A plugin's are always asked of it."""
    from . import _cache, registry

    own = sorted((info.name, info.target) for info in registry.available_writers()
                 if info.name in names and info.target.startswith(_BUILTIN_WRITERS))
    if not own:
        return {}
    key = (own, _sources_stamp(Path(__file__).parent))
    found = _cache.load("writer-flags", key, slot=__file__)
    if isinstance(found, dict) and set(found) == {fmt for fmt, _ in own}:
        try:
            return {fmt: [(str(k), tuple(map(str, f)), s is True, str(m), str(h)) for k, f, s, m, h in declared]
                    for fmt, declared in found.items()}
        except (TypeError, ValueError):
            pass  # not an entry of this shape: asked again
    flags = {}
    for fmt, _ in own:
        try:
            flags[fmt] = _flags_of(fmt)
        except (UsageError, TypeError):
            return {}  # a writer that cannot be listed now may be listed next time: nothing kept
    _cache.store("writer-flags", key, {fmt: [list(d) for d in declared] for fmt, declared in flags.items()},
                 slot=__file__)
    return flags


def _sources_stamp(folder: Path) -> list[tuple[str, int, int]]:
    """(path, size, modification time) of each Python source under ``folder``."""
    found = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for file in sorted(files):
            if file.endswith(".py"):
                path = os.path.join(directory, file)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found.append((os.path.relpath(path, folder), stat.st_size, stat.st_mtime_ns))
    return found


def _writer_options(ctx: typer.Context, pairs: list[str] | None) -> dict[str, Any]:
    """Each writer's options, from the flags it declares and from ``-O
    FORMAT.KEY=VALUE`` (after the flags, a later one winning), made and
    checked by the writer before any input is read."""
    from . import registry

    if ctx.meta.get(_FLAGS_PROBLEM):
        raise UsageError(ctx.meta[_FLAGS_PROBLEM])
    values: dict[str, dict[str, Any]] = {}
    for fmt, key, value in ctx.meta.get(_FLAGS_GIVEN, ()):
        declaration = next((s.declaration for s in registry.writer_settings(fmt) if s.key == key), None)
        if declaration is None:
            raise UsageError(f"the {fmt} writer no longer has the option {key!r}; run the command again")
        values.setdefault(fmt, {})[key] = declaration.switch if declaration.is_switch else value
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        fmt, dot, key = name.strip().partition(".")
        key = key.strip().replace("-", "_")
        if not sep or not dot or not fmt or not key:
            raise UsageError(f"-O takes FORMAT.KEY=VALUE (-O pdf.font_size=12), not {pair!r}")
        try:
            registry.get_writer(fmt)
        except UsageError as exc:
            raise UsageError(f"-O {pair}: {exc}") from None
        values.setdefault(fmt, {})[key] = value
    options = {}
    for fmt, given in values.items():
        options[fmt] = registry.writer_options(fmt, given, texts=True)
        registry.check_writer_options(fmt, options[fmt])
    return options


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
    from . import api

    try:
        targets = [api.Target.parse(t) for t in to] if to else []
        if output not in (None, "-") and not Path(output).is_dir() and not output.endswith(("/", "\\")):
            targets = api.targets_for_output(output, targets)  # -o x.docx: a DOCX, nothing else
        targets = targets or [api.Target("txt")]
        transforms = _transforms(phrases, keep_punctuation, quotes, fix_variants)
        api.check_encoding(encoding)
        writer_options = api.with_layout(_writer_options(ctx, writer_option), layout,
                                         [t.format for t in targets])
        fields = _metadata(metadata)
        limit = _max_size(max_size)
        _check_reader(reader)
        # The page formats' writers load in child processes while the input
        # is read (where the system can fork and has a processor to spare).
        ahead = api.start_writers([t.format for t in targets]) if output != "-" else nullcontext()
        with ahead as started:
            if input == "-":
                doc = api.read_bytes(api.read_stdin(limit), path=None, encoding=encoding, reader=reader,
                                     metadata=fields)
                stem = "stdin"
            else:
                doc = api.read(input, encoding=encoding, reader=reader, metadata=fields, max_size=limit)
                stem = Path(input).stem
            for warning in doc.warnings if not quiet else ():
                _say(f"docconv: warning: {input}: {warning}")
            if doc.furniture and verbose and not quiet:
                _say(f"docconv: info: {input}: removed {len(doc.furniture)} line(s) of page furniture "
                     "(docconv inspect lists them)")

            if output == "-":
                if len(targets) != 1:
                    raise UsageError("-o - takes exactly one format")
                from . import registry

                if registry.get_writer(targets[0].format).kind == "document" and _stdout_is_a_terminal():
                    raise UsageError(f"{targets[0].format} is a binary format: give -o FILE, or send -o - "
                                     "into a pipe or a file, not to the terminal")
                warnings = _to_stdout(lambda out: api.write(doc, out, to=str(targets[0]), transforms=transforms,
                                                            options=writer_options.get(targets[0].format)))
            else:
                # All or none: a format that fails leaves no other behind.
                outputs = list(_destinations(targets, output, stem, input, doc.meta.script))
                warnings = api.write_targets(doc, outputs, transforms=transforms, writer_options=writer_options,
                                             parallel=True, started=started)
                for _, dest in outputs if not quiet else ():
                    _say(str(dest))
            for warning in warnings if not quiet else ():
                _say(f"docconv: warning: {input}: {warning}")
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    except ConvertError as exc:
        raise _fail(str(exc), ExitCode.FAILED) from None
    except Exception as exc:  # a bug met on one input is still one line, not a traceback
        raise _fail(_internal(input, exc), ExitCode.FAILED) from None
    except KeyboardInterrupt as exc:  # typer would make it a silent exit 130, SIGTERM's too
        kept = "" if output == "-" else ": no output written"  # all or none; a pipe may have had a part
        _say(f"docconv: {'terminated' if isinstance(exc, Terminated) else 'interrupted'}: {input}{kept}")
        raise typer.Exit(_interrupted_exit(exc)) from None


def _stdout_is_a_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):  # closed
        return False


def _to_stdout(write):
    """``write(stream)`` on standard output; a closed or full one is a one-line error."""
    if sys.stdout is None:  # started with >&-
        raise ConvertError("standard output is closed; give -o FILE", "-")
    try:
        warnings = write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except OSError as exc:
        # What stays in the buffer would be flushed again at exit, and fail
        # again with a second message: it goes nowhere instead.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        raise ConvertError(f"cannot write to standard output: {exc.strerror or exc}", "-") from None
    return warnings


def _check_reader(name: str | None) -> None:
    """-f/--from names a registered reader (a usage error before any input is read)."""
    if name is not None:
        from . import registry

        registry.get_reader(name)


def _internal(input: str, exc: Exception) -> str:
    return f"{input}: {one_line(exc)}"


def _metadata(pairs: list[str] | None) -> dict[str, str]:
    """``-M key=value`` options as a mapping, checked before any file is read."""
    from .model import Document, Meta, with_metadata

    fields: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-M takes KEY=VALUE, not {pair!r}")
        fields[key.strip()] = value
    try:
        with_metadata(Document(Meta(title="x")), fields)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return fields


def _destinations(targets, output: str | None, stem: str, input: str, script: str):
    """Where each target goes: -o FILE for one target, else a directory.

    A name of our choosing that would land on the input (``docconv convert
    a.txt`` writing a.txt) is named after the script instead (a.hant.txt); a
    name the user gave is refused."""
    from . import api

    single_file = output is not None and len(targets) == 1 and not Path(output).is_dir() \
        and not output.endswith(("/", "\\"))
    for target in targets:
        dest = Path(output) if single_file else Path(output or ".") / target.filename(stem)
        if input != "-" and not single_file and api.would_overwrite(dest, Path(input)):
            dest = dest.parent / api.Target(target.format, target.script or script).filename(stem)
        if input != "-":
            api.refuse_overwriting_input(dest, Path(input))
        yield target, dest


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
        transforms = _transforms(phrases, keep_punctuation, quotes, fix_variants)
        api.check_encoding(encoding)
        _check_reader(reader)
        writer_options = _writer_options(ctx, writer_option)
        limit = _max_size(max_size)
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
                               tuple(sorted(_metadata(metadata).items())), max_size=limit,
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
        raise _fail(_internal(output, exc), ExitCode.FAILED) from None
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        _say(f"docconv: {what} after {len(results)} input(s); finished outputs are kept")
        raise typer.Exit(_interrupted_exit(exc)) from None
    finally:
        if (report is not None or report_name == "-") and results:
            try:
                if report is None:
                    _to_stdout(lambda out: write_report(out, results, options, time.perf_counter() - started,
                                                        problems))
                else:
                    write_report(report, results, options, time.perf_counter() - started, problems)
            except ConvertError as exc:
                _say(f"docconv: error: {exc}")
                raise typer.Exit(int(ExitCode.FAILED)) from None
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "skipped", "failed")}
    _say(f"{counts['ok']} converted, {counts['skipped']} up to date, {counts['failed']} failed "
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
        raise _fail(_internal(str(book), exc), ExitCode.FAILED) from None
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        _say(f"failed  {r.error}")
    _say(f"{book}: {len(results) - len(failed)} chapter(s), {len(failed)} input(s) failed")
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
        _check_reader(reader)
        fields, limit = _metadata(metadata), _max_size(max_size)
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
        raise _fail(_internal(input, exc), ExitCode.FAILED) from None
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
            _say(f"docconv: error: {problem}")
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


def main() -> None:
    # SIGTERM (kill, a service stopping, a CI time-out) would end the process
    # where it stands, leaving temporary files and an unsaved manifest; it is
    # taken as Ctrl-C is.  One the caller set to be ignored stays ignored.
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        with _only_the_command_named(sys.argv[1:2]):
            code = app(standalone_mode=False)
    except KeyboardInterrupt as exc:
        _say("docconv: terminated" if isinstance(exc, Terminated) else "docconv: interrupted")
        sys.exit(_interrupted_exit(exc))
    except click_exceptions.NoArgsIsHelpError as exc:  # no arguments at all: the help, as before
        exc.show()
        sys.exit(exc.exit_code)
    except click_exceptions.ClickException as exc:
        # click's own parse errors (no such option, a missing argument, a
        # bad value) in one line, as every other error is, not click's three.
        hint = ""
        if isinstance(exc, click_exceptions.UsageError) and exc.ctx is not None:
            hint = f" (docconv{' ' + exc.ctx.info_name if exc.ctx.parent else ''} -h for help)"
        _say(f"docconv: error: {' '.join(exc.format_message().split())}{hint}")
        sys.exit(exc.exit_code)
    except typer.Abort:  # typer 0.29 keeps it out of its click copy's exceptions
        _say("docconv: aborted")
        sys.exit(int(ExitCode.FAILED))
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    """End the process with ``code``.  After a command that has done all it
    does (``convert``: every output written, renamed into place and
    reported, its writers' processes waited for; the help) the interpreter's
    finalization, which frees every object and module one by one, took an
    eighth of a one-file run: the process ends at once instead, its standard
    streams flushed.  A batch (its pools, a Dask client) exits as usual, and
    so does a run under a tracer or coverage, which save their data at exit."""
    if sys.argv[1:2] == ["batch"] or sys.gettrace() is not None or "coverage" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed, or a pipe no one reads
            code = code or int(ExitCode.FAILED)
    os._exit(code)


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


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _interrupted_exit(exc: KeyboardInterrupt) -> int:
    return int(ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED)
