"""What ``docconv convert`` does once its arguments are parsed, and the parts
of the command line its other commands share, without typer.

Two callers parse ``docconv convert``'s arguments: typer (``cli``), for
every command line, and ``console``'s quick parser, for the plain ones most
people type, so that a one-file conversion does not wait for typer to be
imported.  Both hand a ConvertRequest to ``convert_one``.

Errors the user can act on print one line, ``docconv: error: FILE: cause``;
the functions here return the exit code (or raise UsageError where the
command decides what to do with it).
"""

import os
import re
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from .errors import ConvertError, ExitCode, Terminated, UsageError, one_line, printable


def say(line: str) -> None:
    """One line on stderr; file names in it may hold anything (see printable)."""
    stream = sys.stderr
    if stream is None:  # started with 2>&-
        return
    stream.write(printable(line) + "\n")
    stream.flush()


def failed(message: str, code: ExitCode = ExitCode.USAGE) -> int:
    """Say ``docconv: error: message`` and give the exit code."""
    say(f"docconv: error: {message}")
    return int(code)


def stopped(exc: KeyboardInterrupt, what: str = "") -> int:
    """Say ``docconv: interrupted`` (Ctrl-C) or ``terminated`` (SIGTERM),
    followed by ``what``, and give the exit code."""
    terminated = isinstance(exc, Terminated)
    say(f"docconv: {'terminated' if terminated else 'interrupted'}{what}")
    return int(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)


def transform_options(phrases: bool, keep_punctuation: bool = False, quotes: str = "auto",
                      fix_variants: bool = True):
    from .transforms import TransformOptions

    return TransformOptions(phrases=phrases, normalize_punctuation=not keep_punctuation, quotes=quotes,
                            fix_variants=fix_variants)


def max_size_bytes(value: str | None) -> int:
    """--max-size as bytes: 1048576, 512K, 256M, 2G (powers of 1024)."""
    from .api import DEFAULT_MAX_SIZE

    if value is None:
        return DEFAULT_MAX_SIZE
    m = re.fullmatch(r"\s*(\d+)\s*(?:([KMGT])(?:i?B)?|B)?\s*", value, re.I)
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"--max-size takes a size such as 512M or 2G, not {value!r}")
    return int(m.group(1)) << (10 * " KMGT".index((m.group(2) or " ").upper()))


def check_reader(name: str | None) -> None:
    """-f/--from names a registered reader (a usage error before any input is read)."""
    if name is not None:
        from . import registry

        registry.get_reader(name)


def internal(input: str, exc: Exception) -> str:
    return f"{input}: {one_line(exc)}"


def metadata_fields(pairs: list[str] | tuple[str, ...] | None) -> dict[str, str]:
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


def stdout_is_a_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):  # closed
        return False


def to_stdout(write):
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


# ------------------------------------------------------------------ writers' options

# (writer, option key, its flags, whether it is a switch, metavar, help)
FlagDeclaration = tuple[str, str, tuple[str, ...], bool, str, str]


def flag_declarations(taken: dict[str, str]) -> tuple[list[FlagDeclaration], str | None]:
    """The flags every writer declares for its options (``--reference-docx``,
    ``--no-embed-fonts``, a plugin's own), but those that clash with a flag
    in ``taken`` (flag: who has it), and the first such clash as a problem
    to report.  A writer that cannot be listed declares none here: it fails
    when it is asked for."""
    from . import registry

    try:
        names = registry.writer_names()
    except UsageError as exc:
        return [], str(exc)
    builtin = builtin_flags(names)
    taken = dict(taken)
    found, problem = [], None
    for fmt in names:
        declared = builtin.get(fmt)
        if declared is None:
            try:
                declared = flags_of(fmt)
            except (UsageError, TypeError):
                continue
        for key, flags, is_switch, metavar, help_text in declared:
            clash = next((flag for flag in flags if flag in taken), None)
            if clash is not None:
                problem = problem or (f"the {fmt} writer declares {clash}, which {taken[clash]} already has; "
                                      "its package must give the option another flag")
                continue
            taken.update(dict.fromkeys(flags, f"the {fmt} writer"))
            found.append((fmt, key, flags, is_switch, metavar, help_text))
    return found, problem


def flags_problem(taken: dict[str, str]) -> str | None:
    """The first clash flag_declarations would report, found without
    listing the flags where every writer is this package's own: those never
    clash (tests/test_console.py), and listing them costs a cache lookup."""
    from . import registry

    try:
        writers = registry.available_writers()
    except UsageError as exc:
        return str(exc)
    if all(info.target.startswith(_BUILTIN_WRITERS) for info in writers):
        return None
    return flag_declarations(taken)[1]


def flags_of(fmt: str) -> list[tuple[str, tuple[str, ...], bool, str, str]]:
    """(key, flags, is a switch, metavar, help) of each flag writer ``fmt``
    declares, asked of the writer itself."""
    from . import registry

    return [(setting.key, tuple(setting.flags), setting.declaration.is_switch, setting.metavar,
             setting.declaration.flag_help or setting.declaration.help)
            for setting in registry.writer_settings(fmt) if setting.flags]


_BUILTIN_WRITERS = "convert.writers."


def builtin_flags(names: list[str]) -> dict[str, list]:
    """``flags_of`` for each of this package's own writers, from the
    per-user cache while the package's sources are as they were: listing
    them otherwise imports every writer and the document model, the most of
    ``docconv convert --help``.  A plugin's are always asked of it."""
    from . import _cache, registry

    own = sorted((info.name, info.target) for info in registry.available_writers()
                 if info.name in names and info.target.startswith(_BUILTIN_WRITERS))
    if not own:
        return {}
    key = (own, sources_stamp(Path(__file__).parent))
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
            flags[fmt] = flags_of(fmt)
        except (UsageError, TypeError):
            return {}  # a writer that cannot be listed now may be listed next time: nothing kept
    _cache.store("writer-flags", key, {fmt: [list(d) for d in declared] for fmt, declared in flags.items()},
                 slot=__file__)
    return flags


def sources_stamp(folder: Path) -> list[tuple[str, int, int]]:
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


def writer_options(flags_given, flags_problem: str | None, pairs) -> dict:
    """Each writer's options, from the flags it declares (``flags_given``:
    (format, key, value) for each one on the command line) and from ``-O
    FORMAT.KEY=VALUE`` (after the flags, a later one winning), made and
    checked by the writer before any input is read."""
    from . import registry

    if flags_problem:
        raise UsageError(flags_problem)
    values: dict[str, dict] = {}
    for fmt, key, value in flags_given:
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


# ------------------------------------------------------------------ docconv convert

@dataclass(frozen=True)
class ConvertRequest:
    """``docconv convert``'s arguments, as its options name them (see
    ``cli.convert_command`` for their help)."""

    input: str
    to: tuple[str, ...] = ()
    output: str | None = None
    reader: str | None = None
    encoding: str | None = None
    phrases: bool = False
    keep_punctuation: bool = False
    quotes: str = "auto"
    fix_variants: bool = True
    layout: str | None = None
    writer_option: tuple[str, ...] = ()
    metadata: tuple[str, ...] = ()
    max_size: str | None = None
    quiet: bool = False
    verbose: bool = False
    # (format, key, value) of each writer's own flag given; the first clash
    # among the flags the writers declare (see flag_declarations).
    writer_flags: tuple[tuple[str, str, object], ...] = ()
    writer_flags_problem: str | None = None


def convert_one(request: ConvertRequest) -> int:
    """Convert one file as ``docconv convert`` does; the exit code."""
    from . import api

    r, input, output = request, request.input, request.output
    try:
        targets = [api.Target.parse(t) for t in r.to]
        if output not in (None, "-") and not Path(output).is_dir() and not output.endswith(("/", "\\")):
            targets = api.targets_for_output(output, targets)  # -o x.docx: a DOCX, nothing else
        targets = targets or [api.Target("txt")]
        transforms = transform_options(r.phrases, r.keep_punctuation, r.quotes, r.fix_variants)
        api.check_encoding(r.encoding)
        options = api.with_layout(writer_options(r.writer_flags, r.writer_flags_problem, r.writer_option),
                                  r.layout, [t.format for t in targets])
        fields = metadata_fields(r.metadata)
        limit = max_size_bytes(r.max_size)
        check_reader(r.reader)
        # The page formats' writers load in child processes while the input
        # is read (where the system can fork and has a processor to spare).
        ahead = api.start_writers([t.format for t in targets]) if output != "-" else nullcontext()
        with ahead as started:
            if input == "-":
                doc = api.read_bytes(api.read_stdin(limit), path=None, encoding=r.encoding, reader=r.reader,
                                     metadata=fields)
                stem = "stdin"
            else:
                doc = api.read(input, encoding=r.encoding, reader=r.reader, metadata=fields, max_size=limit)
                stem = Path(input).stem
            for warning in doc.warnings if not r.quiet else ():
                say(f"docconv: warning: {input}: {warning}")
            if doc.furniture and r.verbose and not r.quiet:
                say(f"docconv: info: {input}: removed {len(doc.furniture)} line(s) of page furniture "
                    "(docconv inspect lists them)")

            if output == "-":
                if len(targets) != 1:
                    raise UsageError("-o - takes exactly one format")
                from . import registry

                if registry.get_writer(targets[0].format).kind == "document" and stdout_is_a_terminal():
                    raise UsageError(f"{targets[0].format} is a binary format: give -o FILE, or send -o - "
                                     "into a pipe or a file, not to the terminal")
                warnings = to_stdout(lambda out: api.write(doc, out, to=str(targets[0]), transforms=transforms,
                                                           options=options.get(targets[0].format)))
            else:
                # All or none: a format that fails leaves no other behind.
                outputs = list(destinations(targets, output, stem, input, doc.meta.script))
                warnings = api.write_targets(doc, outputs, transforms=transforms, writer_options=options,
                                             parallel=True, started=started)
                for _, dest in outputs if not r.quiet else ():
                    say(str(dest))
            for warning in warnings if not r.quiet else ():
                say(f"docconv: warning: {input}: {warning}")
    except UsageError as exc:
        return failed(str(exc), ExitCode.USAGE)
    except ConvertError as exc:
        return failed(str(exc), ExitCode.FAILED)
    except Exception as exc:  # a bug met on one input is still one line, not a traceback
        return failed(internal(input, exc), ExitCode.FAILED)
    except KeyboardInterrupt as exc:  # typer would make it a silent exit 130, SIGTERM's too
        kept = "" if output == "-" else ": no output written"  # all or none; a pipe may have had a part
        return stopped(exc, f": {input}{kept}")
    return int(ExitCode.OK)


def destinations(targets, output: str | None, stem: str, input: str, script: str):
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
