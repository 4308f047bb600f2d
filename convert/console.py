"""``docconv``'s entry point.

The command lines people type most, ``docconv convert INPUT`` with formats,
an output and the common options, are parsed here and run without importing
typer, which is otherwise a third of converting one file to text; and
``docconv --help`` prints the text typer made for it, kept in the per-user
cache.  Every other command line goes to typer (``cli.main``): the other
commands, every other help, a writer's own flag, shell completion, a mistake in the arguments, and
any form this parser does not take (``--``, ``-qv``, ``-oFILE``, an option
given twice, a value that looks like an option).  tests/test_console.py
checks that what is parsed here is what typer parses, option by option.
"""

import os
import sys

_VALUE, _VALUES = "a value", "values"  # an option's value; a repeatable option's

# docconv convert's options: the ConvertRequest field each sets and what it
# takes (a value, one of several, or the value a switch gives).
OPTIONS: dict[str, tuple[str, object]] = {
    "-t": ("to", _VALUES), "--to": ("to", _VALUES),
    "-o": ("output", _VALUE), "--output": ("output", _VALUE),
    "-f": ("reader", _VALUE), "--from": ("reader", _VALUE),
    "--encoding": ("encoding", _VALUE),
    "--phrases": ("phrases", True),
    "--no-normalize-punctuation": ("keep_punctuation", True),
    "--quotes": ("quotes", _VALUE),
    "--fix-variants": ("fix_variants", True), "--no-fix-variants": ("fix_variants", False),
    "--layout": ("layout", _VALUE),
    "-O": ("writer_option", _VALUES), "--writer-option": ("writer_option", _VALUES),
    "-M": ("metadata", _VALUES), "--metadata": ("metadata", _VALUES),
    "--max-size": ("max_size", _VALUE),
    "-q": ("quiet", True), "--quiet": ("quiet", True),
    "-v": ("verbose", True), "--verbose": ("verbose", True),
}


def parse_convert(args: list[str]) -> dict[str, object] | None:
    """``docconv convert``'s arguments (those after the command's name) as
    ConvertRequest fields, or None where typer is to parse them."""
    fields: dict[str, object] = {}
    inputs = []
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg == "-" or not arg.startswith("-"):
            inputs.append(arg)
            continue
        name, equals, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name not in OPTIONS:
            return None
        field, takes = OPTIONS[name]
        if takes is _VALUE or takes is _VALUES:
            if equals:
                value = attached
            elif position < len(args):
                value = args[position]
                position += 1
            else:
                return None
            if value.startswith("-") and value != "-":
                return None
            if takes is _VALUES:
                fields[field] = (*fields.get(field, ()), value)  # type: ignore[misc]
                continue
        elif equals:
            return None
        else:
            value = takes
        if field in fields:
            return None
        fields[field] = value
    if len(inputs) != 1:
        return None
    fields["input"] = inputs[0]
    return fields


def main() -> None:
    from ._process import finish, stop_on_sigterm

    stop_on_sigterm()
    args = sys.argv[1:]
    fields = None
    # Typer expands wildcards, ~ and variables in the arguments on Windows,
    # whose shell leaves them: that is typer's to do there.
    plain = os.name != "nt" and not any(name.endswith("_COMPLETE") for name in os.environ)
    if args in _GROUP_HELP and plain:
        code = 0
        try:
            if sys.stdout is not None:  # not started with >&-
                sys.stdout.write(group_help())
                sys.stdout.flush()
        except OSError as exc:
            sys.stderr.write(f"docconv: error: cannot write to standard output: {exc.strerror or exc}\n")
            code = 1
        finish(code, None)
        return
    from ._kept_code import keep_dataclass_code

    keep_dataclass_code()
    if args[:1] == ["convert"] and plain:
        fields = parse_convert(args[1:])
    if fields is None:
        from .cli import main as run_with_typer

        run_with_typer()
        return
    from .command import ConvertRequest, convert_one, flags_problem, stopped

    try:
        # The writers' flags are typer's to parse, but a writer declaring one
        # that clashes is reported whatever the command line.
        problem = flags_problem(dict.fromkeys(OPTIONS, "docconv"))
        code = convert_one(ConvertRequest(**fields, writer_flags_problem=problem))  # type: ignore[arg-type]
    except KeyboardInterrupt as exc:
        sys.exit(stopped(exc))
    finish(code, "convert")


_GROUP_HELP = (["--help"], ["-h"])


def group_help() -> str:
    """``docconv --help``'s text, kept in the per-user cache: typer's import
    is most of the time it takes to make it.  The key holds all it depends
    on: the name the process was run by, the terminal's width (as
    shutil.get_terminal_size finds it), this package's version and command
    definitions, and the installed typer."""
    from . import _cache

    try:
        width: object = os.get_terminal_size(sys.__stdout__.fileno())
    except (AttributeError, ValueError, OSError):
        width = None
    main = sys.modules.get("__main__")
    key = [sys.argv[0], getattr(main, "__package__", None), str(width),
           sorted((name, value) for name, value in os.environ.items()
                  if name in ("COLUMNS", "LINES") or name.startswith(("TYPER", "_TYPER", "CLICK")))]
    # What makes the text: the commands (cli.py) and typer, or the click a
    # typer of before 0.29 uses.
    commands = _cache.file_stamp(os.path.join(os.path.dirname(__file__), "cli.py"))
    typer = _cache.package_stamp("typer")
    if commands is None or typer is None:
        return _typer_group_help()
    key += [commands, typer, _cache.package_stamp("click")]
    text = _cache.load("help", key, slot="docconv --help")
    if not isinstance(text, str):
        text = _typer_group_help()
        _cache.store("help", key, text, slot="docconv --help")
    return text


def _typer_group_help() -> str:
    from .cli import group_help as made_by_typer

    return made_by_typer()
