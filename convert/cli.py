"""``docconv``: a thin command line over ``convert.api``.

Errors the user can act on print one line, ``docconv: error: FILE: cause``,
and exit with 2 (usage) or 1 (some inputs failed); never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import ConvertError, ExitCode, Terminated, UsageError, printable

app = typer.Typer(
    name="docconv",
    help="Turn scraped Chinese news texts into DOCX, PDF, EPUB and plain text.",
    add_completion=False,
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
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="Input encoding (default: detected).")]
PhrasesOpt = Annotated[bool, typer.Option("--phrases", help="Also convert vocabulary (OpenCC phrase tables).")]
KeepPunctuationOpt = Annotated[bool, typer.Option(
    "--no-normalize-punctuation", help="Keep ASCII and small-form punctuation in Chinese text as scraped.")]
QuotesOpt = Annotated[str, typer.Option(
    "--quotes", metavar="keep|mainland|taiwan|auto",
    help="Quote marks: “”‘’ (mainland), 「」『』 (taiwan), as written (keep); auto follows the output script.")]
FixVariantsOpt = Annotated[bool, typer.Option(
    "--fix-variants", help="Repair simplified leftovers in traditional text (精准→精準).")]
NoEmbedFontsOpt = Annotated[bool, typer.Option(
    "--no-embed-fonts", help="EPUB: leave fonts to the reading system instead of embedding a subset.")]
MaxSizeOpt = Annotated[str | None, typer.Option(
    "--max-size", metavar="SIZE",
    help="Refuse an input larger than this (bytes, or with K, M or G: 512M, 2G; default 256M).")]
ReferenceDocxOpt = Annotated[Path | None, typer.Option(
    "--reference-docx", metavar="FILE", help="Take the DOCX styles and page setup from this Word document.")]


# Seconds a batch gives one file: far beyond any news article (a second or
# two), and beyond a 50 MB text in every format, yet a hang ends.
DEFAULT_TIMEOUT = 1800.0


def _fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    _say(f"docconv: error: {message}")
    return typer.Exit(int(code))


def _say(line: str) -> None:
    """One line on stderr; file names in it may hold anything (see printable)."""
    typer.echo(printable(line), err=True)


def _transforms(phrases: bool, keep_punctuation: bool = False, quotes: str = "auto", fix_variants: bool = False):
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


def _writer_options(reference_docx: Path | None, no_embed_fonts: bool = False) -> dict:
    """Per-format options, built with each writer's own Options class."""
    from . import registry

    options = {}
    if no_embed_fonts:
        options["epub"] = registry.get_writer("epub").Options(embed_fonts=False)
    if reference_docx is not None:
        if not reference_docx.is_file():
            raise UsageError("no such reference document", str(reference_docx))
        options["docx"] = registry.get_writer("docx").Options(reference_docx=str(reference_docx))
        from .writers.docx import check_reference

        check_reference(str(reference_docx))  # a bad one stops the run before any file is read
    return options


@app.command("convert", epilog="""Examples:

  docconv convert seeds/article.txt -t txt:hans -o -

  docconv convert seeds/article.txt -t docx -t pdf:tw -o out/

  cat article.txt | docconv convert - -t json -o article.json
""")
def convert_command(
    input: Annotated[str, typer.Argument(help="Input file (news text, a saved HTML page), or - for standard input.")],
    to: TargetsOpt = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Output file, directory (several formats), or - for standard output.")] = None,
    encoding: EncodingOpt = None,
    phrases: PhrasesOpt = False,
    keep_punctuation: KeepPunctuationOpt = False,
    quotes: QuotesOpt = "auto",
    fix_variants: FixVariantsOpt = False,
    reference_docx: ReferenceDocxOpt = None,
    no_embed_fonts: NoEmbedFontsOpt = False,
    metadata: MetadataOpt = None,
    max_size: MaxSizeOpt = None,
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
        writer_options = _writer_options(reference_docx, no_embed_fonts)
        fields = _metadata(metadata)
        limit = _max_size(max_size)
        if input == "-":
            doc = api.read_bytes(api.read_stdin(limit), path=None, encoding=encoding, metadata=fields)
            stem = "stdin"
        else:
            doc = api.read(input, encoding=encoding, metadata=fields, max_size=limit)
            stem = Path(input).stem
        for warning in doc.warnings:
            _say(f"docconv: warning: {input}: {warning}")
        if doc.furniture:
            _say(f"docconv: note: {input}: removed {len(doc.furniture)} line(s) of page furniture "
                 "(docconv inspect lists them)")

        if output == "-":
            if len(targets) != 1:
                raise UsageError("-o - takes exactly one format")
            from . import registry

            if registry.get_writer(targets[0].format).kind == "document":
                raise UsageError(f"{targets[0].format} is a binary format; give -o FILE, not -o -")
            warnings = _to_stdout(lambda out: api.write(doc, out, to=str(targets[0]), transforms=transforms,
                                                        options=writer_options.get(targets[0].format)))
        else:
            # All or none: a format that fails leaves no other behind.
            outputs = list(_destinations(targets, output, stem, input, doc.meta.script))
            warnings = api.write_targets(doc, outputs, transforms=transforms, writer_options=writer_options)
            for _, dest in outputs:
                _say(str(dest))
        for warning in warnings:
            _say(f"docconv: warning: {input}: {warning}")
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    except ConvertError as exc:
        raise _fail(str(exc), ExitCode.FAILED) from None
    except Exception as exc:  # a bug met on one input is still one line, not a traceback
        raise _fail(_internal(input, exc), ExitCode.FAILED) from None


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


def _internal(input: str, exc: Exception) -> str:
    return f"{input}: internal error: {type(exc).__name__}: {' '.join(str(exc).split())}"


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
        if input != "-" and not single_file and dest.resolve() == Path(input).resolve():
            dest = dest.parent / api.Target(target.format, target.script or script).filename(stem)
        if input != "-" and dest.resolve() == Path(input).resolve():
            raise UsageError(f"output {dest} would overwrite the input", input)
        yield target, dest


@app.command("batch", epilog="""Examples:

  docconv batch seeds/ -o out/

  docconv batch a.txt b.txt -o out/ -t docx -t txt:hans --jobs 4 --report report.json

  docconv batch seeds/ --bundle news.epub --title 新闻选辑
""")
def batch_command(
    inputs: Annotated[list[str], typer.Argument(help="Input files and folders (folders: every .txt inside).")],
    output: Annotated[str | None, typer.Option("--output", "-o", help="Output directory.")] = None,
    to: TargetsOpt = None,
    encoding: EncodingOpt = None,
    phrases: PhrasesOpt = False,
    keep_punctuation: KeepPunctuationOpt = False,
    quotes: QuotesOpt = "auto",
    fix_variants: FixVariantsOpt = False,
    reference_docx: ReferenceDocxOpt = None,
    no_embed_fonts: NoEmbedFontsOpt = False,
    bundle: Annotated[Path | None, typer.Option(
        "--bundle", metavar="BOOK.epub",
        help="Bind all inputs into one EPUB, a chapter each in date order (script from -t epub:SCRIPT).")] = None,
    title: Annotated[str, typer.Option("--title", help="Title of the --bundle book.")] = "",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                                help="Worker processes (default: number of cores).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo outputs that are already up to date.")] = False,
    report_name: Annotated[str | None, typer.Option(
        "--report", metavar="FILE", help="Write a JSON report of every input.")] = None,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first failed input.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures and the summary.")] = False,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="In input folders, also read linked folders and links to files outside them.")] = False,
    metadata: MetadataOpt = None,
    max_size: MaxSizeOpt = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", metavar="SECONDS", min=0,
        help="A file that takes longer fails alone, \"timed out\" (0: no limit).")] = DEFAULT_TIMEOUT,
) -> None:
    """Convert many files in parallel; one bad file never stops the others.

    Default formats: every registered document format, json, and txt in both
    hans and hant.  Outputs are named <stem>.<ext> or <stem>.<script>.<ext>;
    files in sub-folders keep their sub-folder.  An output made from the same
    input content with the same options is skipped (--force redoes it).
    """
    import time

    from . import api
    from .batching import BatchOptions, run, write_report
    from .progress import reporter

    try:
        transforms = _transforms(phrases, keep_punctuation, quotes, fix_variants)
        api.check_encoding(encoding)
        limit = _max_size(max_size)
        if report_name is not None and report_name.endswith(("/", os.sep)):
            raise UsageError("names a folder; --report takes a file name (report.json)", report_name)
        report = Path(report_name) if report_name is not None else None
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    if bundle is not None:
        _bundle(inputs, bundle, to, encoding, transforms, no_embed_fonts, title, follow_links, limit)
        if output is None:
            return
    if output is None:
        raise _fail("give an output directory with -o (or --bundle BOOK.epub)")
    started = time.perf_counter()
    results: list = []
    problems: list[str] = []  # the run's own troubles, beside the inputs'
    try:
        targets = tuple(api.Target.parse(t) for t in to) if to else tuple(api.default_targets())
        options = BatchOptions(Path(output), targets, encoding, transforms,
                               _writer_options(reference_docx, no_embed_fonts),
                               jobs or os.cpu_count() or 1, force, fail_fast, follow_links,
                               tuple(sorted(_metadata(metadata).items())), max_size=limit,
                               timeout=timeout or None)
        with reporter(quiet=quiet) as show:
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
        if report is not None and results:
            try:
                write_report(report, results, options, time.perf_counter() - started, problems)
            except ConvertError as exc:
                _say(f"docconv: error: {exc}")
                raise typer.Exit(int(ExitCode.FAILED)) from None
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "skipped", "failed")}
    _say(f"{counts['ok']} converted, {counts['skipped']} up to date, {counts['failed']} failed "
         f"in {time.perf_counter() - started:.1f} s")
    if counts["failed"] or problems:
        raise typer.Exit(int(ExitCode.FAILED))


def _bundle(inputs, book: Path, to, encoding, transforms, no_embed_fonts: bool, title: str,
            follow_links: bool, max_size: int) -> None:
    """``batch --bundle``: every input as a chapter of one EPUB."""
    from . import api

    try:
        scripts = {api.Target.parse(t).script for t in (to or []) if t.split(":")[0] == "epub"}
        if len(scripts) > 1:
            raise UsageError("--bundle makes one book: give at most one -t epub:SCRIPT")
        options = _writer_options(None, no_embed_fonts).get("epub")
        results = api.bundle(inputs, book, script=scripts.pop() if scripts else None, encoding=encoding,
                             transforms=transforms, options=options, title=title, follow_links=follow_links,
                             max_size=max_size)
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


@app.command("inspect", epilog="""Example:

  docconv inspect seeds/article.txt
""")
def inspect_command(
    input: Annotated[str, typer.Argument(help="Input file (news text, a saved HTML page).")],
    encoding: EncodingOpt = None,
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
        doc, evidence = api.explain(input, encoding=encoding, metadata=_metadata(metadata),
                                    max_size=_max_size(max_size))
    except UsageError as exc:
        raise _fail(str(exc), ExitCode.USAGE) from None
    except ConvertError as exc:
        raise _fail(str(exc), ExitCode.FAILED) from None
    except Exception as exc:  # a bug met on one input is still one line, not a traceback
        raise _fail(_internal(input, exc), ExitCode.FAILED) from None
    if as_json:
        typer.echo(json.dumps(summary(doc, evidence), ensure_ascii=False, indent=2))
    else:
        typer.echo(describe(doc, evidence))


@app.command("formats")
def formats_command(
    documents: Annotated[bool, typer.Option(
        "--documents", help="Print only the names of the document formats (docx, pdf, ...), one a line.")] = False,
) -> None:
    """List the output formats registered through entry points."""
    from . import registry

    if documents:
        for name in registry.writer_names():
            try:
                if registry.get_writer(name).kind == "document":
                    typer.echo(name)
            except UsageError:
                continue
        return
    for info in registry.available_writers():
        typer.echo(f"{info.name:8} {info.target}  ({info.distribution or 'unknown package'})")


def main() -> None:
    # SIGTERM (kill, a service stopping, a CI time-out) would end the process
    # where it stands, leaving temporary files and an unsaved manifest; it is
    # taken as Ctrl-C is.  One the caller set to be ignored stays ignored.
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except KeyboardInterrupt as exc:
        _say("docconv: terminated" if isinstance(exc, Terminated) else "docconv: interrupted")
        sys.exit(_interrupted_exit(exc))


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _interrupted_exit(exc: KeyboardInterrupt) -> int:
    return int(ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED)
