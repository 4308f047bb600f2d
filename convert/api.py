"""The pipeline: read → transforms → write, for one file or many.

Everything the CLI does goes through here, so ``import convert`` users get the
same behaviour: atomic outputs, no input ever overwritten, one error per bad
file with its cause.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from . import errors as _errors
from . import registry
from .errors import ConvertError, InputError, NotFoundError, ReadError, UsageError, WriteError, one_line
from .model import Document
from .transforms import SCRIPTS, TransformOptions, apply_transforms

PathLike = str | os.PathLike


@dataclass(frozen=True)
class Target:
    """One output: a format and, optionally, the script/region to convert to."""

    format: str
    script: str | None = None

    @classmethod
    def parse(cls, spec: str) -> Target:
        """``"docx"``, ``"txt:hans"`` → Target; raises UsageError on a bad spec."""
        name, _, script = spec.strip().partition(":")
        if not name:
            raise UsageError(f"empty format in {spec!r}")
        if script and script not in SCRIPTS:
            raise UsageError(f"unknown script {script!r} in {spec!r} (choose from {', '.join(SCRIPTS)})")
        registry.get_writer(name)  # fails early and clearly on an unknown format
        return cls(name, script or None)

    def __str__(self) -> str:
        return f"{self.format}:{self.script}" if self.script else self.format

    def filename(self, stem: str) -> str:
        ext = registry.get_writer(self.format).extension
        return f"{stem}.{self.script}.{ext}" if self.script else f"{stem}.{ext}"


def default_targets() -> list[Target]:
    """Every registered format; text formats once per script (hans and hant)."""
    targets = []
    for name in registry.writer_names():
        try:
            writer = registry.get_writer(name)
        except UsageError:
            continue  # a broken plugin is reported by `docconv formats`, not here
        if writer.kind == "text":
            targets += [Target(name, "hans"), Target(name, "hant")]
        else:
            targets.append(Target(name))
    return targets


def _targets(to: str | Target | Iterable[str | Target] | None) -> list[Target]:
    if to is None:
        return default_targets()
    if isinstance(to, (str, Target)):
        to = [to]
    expect("to", to, Iterable)
    targets = []
    for t in to:  # type: ignore[union-attr]
        expect("each of to", t, str, Target)
        targets.append(t if isinstance(t, Target) else Target.parse(t))
    return targets


def expect(what: str, value: Any, *types: Any, optional: bool = False) -> None:
    """TypeError, naming the argument, for a value of none of ``types``
    (``optional``: None is taken too): a wrong type given to the library
    says so at once, not as an AttributeError deep in a writer."""
    if (optional and value is None) or isinstance(value, types):
        return
    names = [getattr(t, "__name__", str(t)) for t in types] + (["None"] if optional else [])
    wanted = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    raise TypeError(f"{what} must be {wanted}, not {type(value).__name__}")


def check_arguments(path: Any = None, *, encoding: Any = None, transforms: Any = None, metadata: Any = None,
                    max_size: Any = 0, reader: Any = None) -> None:
    """The argument types every reading function takes, checked alike."""
    if path is not None:
        expect("path", path, str, os.PathLike)
    expect("encoding", encoding, str, optional=True)
    expect("reader", reader, str, optional=True)
    expect("transforms", transforms, TransformOptions, optional=True)
    expect("metadata", metadata, Mapping, optional=True)
    if isinstance(max_size, bool) or not isinstance(max_size, int):
        raise TypeError(f"max_size must be int, not {type(max_size).__name__}")


# ------------------------------------------------------------------ reading


def read_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None,
               reader: str | None = None, metadata: Mapping[str, str] | None = None) -> Document:
    """Read an input's bytes into a Document.

    ``path``: the input's name, for messages and for choosing the reader
    (default None: none); ``reader``: a registered reader's name (default:
    as ``registry.reader_for`` chooses from the bytes and the name);
    ``encoding`` and ``metadata``: see ``read``.

    Raises InputError (a ValueError) for empty or unreadable input,
    UsageError (a ValueError) for an unknown reader or a bad metadata field,
    TypeError for arguments of the wrong type.
    """
    expect("data", data, bytes, bytearray, memoryview)
    check_arguments(None, encoding=encoding, metadata=metadata, reader=reader)
    expect("path", path, str, optional=True)
    if not data.strip():
        raise InputError("empty input (no text)", path)
    implementation = registry.get_reader(reader or registry.reader_for(path, data))
    return _with_metadata(implementation.read(data, path=path, encoding=encoding), metadata)


@dataclass(frozen=True)
class Source:
    """The bytes an output was made from, as a batch compares them to decide
    whether the output is up to date: by content, as dates lie (``cp -p``,
    rsync and tar give a new file an old date; an edit made while the file
    converted is older than its output)."""

    size: int
    sha256: str
    # os.stat of the file as it was read, a shortcut past hashing it again;
    # None when it changed too recently to be told apart from a later edit.
    stat: tuple[int, ...] | None = None


# Time stamps tick coarsely (a few ms; 2 s on FAT): an edit in the same tick
# as the reading would leave the same stat behind.  A stat this much older
# than the moment it was taken cannot be repeated by a later edit.
_SETTLED_NS = 3_000_000_000


def stat_key(st: os.stat_result, now_ns: int | None = None) -> tuple[int, ...] | None:
    """What of ``os.stat`` changes whenever a file's content does (any write
    moves mtime and ctime, a replacement the inode too), or None when the
    file changed too recently for that to hold."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    if now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < _SETTLED_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


# An input is read whole into memory, and so are the document and its
# outputs: a bound keeps /dev/zero, or a log file of 40 GB, from taking the
# machine's memory.  Generous: the largest news page is a few megabytes.
DEFAULT_MAX_SIZE = 256 << 20


def _source(data: bytes, before: os.stat_result | None = None) -> Source:
    # hashlib loads OpenSSL: only a batch, which compares sources, pays for it.
    import hashlib

    return Source(len(data), hashlib.sha256(data).hexdigest(), None if before is None else stat_key(before))


def _load(p: Path, max_size: int = DEFAULT_MAX_SIZE) -> tuple[bytes, os.stat_result]:
    """The bytes of ``p``, and its stat as it was before they were read."""
    if not p.exists():
        raise NotFoundError("no such file", str(p))
    if p.is_dir():
        raise UsageError("is a directory, not a file", str(p))
    _refuse_devices(p.stat().st_mode, str(p))  # before opening: opening a device may do something
    try:
        with open(p, "rb") as f:
            before = os.fstat(f.fileno())  # before: an edit during the reading moves it on
            _refuse_devices(before.st_mode, str(p))
            if stat.S_ISREG(before.st_mode) and before.st_size > max_size:
                raise InputError(too_large(max_size), str(p))
            data = read_at_most(f, max_size, str(p), before.st_size if stat.S_ISREG(before.st_mode) else None)
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror}", str(p)) from None
    return data, before


def _refuse_devices(mode: int, path: str) -> None:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError("is a device, not a text file", path)


def too_large(max_size: int) -> str:
    return f"larger than the input limit of {size_text(max_size)} (--max-size raises it)"


def size_text(size: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} bytes"


def read_at_most(stream: BinaryIO, max_size: int, path: str | None, expected: int | None = None) -> bytes:
    """All of ``stream``, or InputError once it holds more than ``max_size``
    bytes (a pipe, or a file still growing, says nothing of its size first).

    ``expected``: the size the stream is believed to have; read at once
    (Python sets aside as much memory as a read asks for), then onwards
    only if the file grew meanwhile."""
    first = min(expected, max_size) + 1 if expected is not None else max_size + 1
    data = stream.read(first)
    if len(data) == first and first <= max_size:
        data += stream.read(max_size + 1 - len(data))
    if len(data) > max_size:
        raise InputError(too_large(max_size), path)
    return data


def read_stdin(max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """Standard input within ``max_size``: a pipe, a file or a terminal; a
    device such as /dev/zero or /dev/urandom is refused before it is read."""
    fd = sys.stdin.fileno() if sys.stdin is not None else -1
    try:
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError):
        raise InputError("standard input is closed", "-") from None
    if (stat.S_ISCHR(mode) and not os.isatty(fd)) or stat.S_ISBLK(mode):
        raise InputError("standard input is a device, not text (redirect a file or pipe text into it)", "-")
    try:
        return read_at_most(sys.stdin.buffer, max_size, "-")
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}", "-") from None


def read(path: PathLike, *, encoding: str | None = None, reader: str | None = None,
         metadata: Mapping[str, str] | None = None, max_size: int = DEFAULT_MAX_SIZE) -> Document:
    """Read one input file into a Document (``.json`` files as the model).

    ``path``: a str or path-like.  ``encoding``: the input's encoding
    (default None: detected).  ``reader``: a registered reader's name,
    ``"news"``, ``"html"`` or ``"json"`` (default None: chosen from the
    bytes and the name).  ``metadata``: fields set over what the reader
    found (pandoc's ``-M``): ``{"title": "…", "published": "2017-06-25T14:35"}``
    (default None).  ``max_size``: the most bytes an input may have
    (default 256 MiB).

    Raises NotFoundError (a FileNotFoundError) when ``path`` does not exist,
    UsageError (a ValueError) for a folder, an unknown reader or a bad
    metadata field, ReadError (an OSError) when the system refuses the
    reading, InputError (a ValueError) for an input that is empty, too large
    or not text, and TypeError for arguments of the wrong type.
    """
    expect("path", path, str, os.PathLike)
    check_arguments(path, encoding=encoding, metadata=metadata, max_size=max_size, reader=reader)
    return _read(Path(path), encoding, reader, metadata, max_size)


def explain(path: PathLike, *, encoding: str | None = None, reader: str | None = None,
            metadata: Mapping[str, str] | None = None,
            max_size: int = DEFAULT_MAX_SIZE) -> tuple[Document, tuple[Any, ...]]:
    """Read ``path`` and say why each metadata field holds its value: the
    line, the rule and the runner-up (for the news and HTML readers; the
    others give no evidence).  A field set through ``metadata`` says so.
    ``reader``: a registered reader's name (default: as ``read`` chooses).
    Raises as ``read`` does."""
    expect("path", path, str, os.PathLike)
    check_arguments(path, encoding=encoding, metadata=metadata, max_size=max_size, reader=reader)
    p = Path(path)
    data, _ = _load(p, max_size)
    try:
        return explain_bytes(data, path=str(p), encoding=encoding, reader=reader, metadata=metadata)
    except ConvertError as exc:
        exc.path = str(p)  # errors name the file as it is on disk
        raise


def explain_bytes(data: bytes, *, path: str | None = None, encoding: str | None = None, reader: str | None = None,
                  metadata: Mapping[str, str] | None = None) -> tuple[Document, tuple[Any, ...]]:
    """``explain`` for an input's bytes (standard input: ``path`` None)."""
    reader = reader or registry.reader_for(None if path is None else Path(path).name, data)
    implementation = registry.get_reader(reader)
    name = None if path is None else readable_name(path)
    if not hasattr(implementation, "explain"):
        return read_bytes(data, path=name, encoding=encoding, reader=reader, metadata=metadata), ()
    if not data.strip():
        raise InputError("empty input (no text)", path)
    doc, evidence = implementation.explain(data, path=name, encoding=encoding)
    if metadata:
        from dataclasses import replace as _replace

        evidence = tuple(e for e in evidence if e.field not in metadata) + tuple(
            _replace(e, value=v, line=0, rule="set with -M", runner_up=e.value)
            for e in evidence for k, v in metadata.items() if e.field == k)
    return _with_metadata(doc, metadata), evidence


def _with_metadata(doc: Document, metadata: Mapping[str, str] | None) -> Document:
    """``doc`` with the caller's fields set; a bad field is a usage error."""
    if not metadata:
        return doc
    from .model import with_metadata

    try:
        return with_metadata(doc, metadata)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _read(p: Path, encoding: str | None, reader: str | None,
          metadata: Mapping[str, str] | None = None, max_size: int = DEFAULT_MAX_SIZE) -> Document:
    data, _ = _load(p, max_size)
    return _with_metadata(_parse(p, data, encoding, reader), metadata)


def _parse(p: Path | str, data: bytes, encoding: str | None, reader: str | None) -> Document:
    try:
        return read_bytes(data, path=readable_name(str(p)), encoding=encoding, reader=reader)
    except ConvertError as exc:
        exc.path = str(p)  # errors name the file as it is on disk
        raise


def readable_name(name: str) -> str:
    """``name`` with the bytes of a name that is not UTF-8 (GBK from a
    Windows zip) decoded as text: a document's title and metadata may come
    from its file name, and a writer cannot put undecodable bytes there."""
    if not any("\udc80" <= c <= "\udcff" for c in name):
        return name
    from .readers.encoding import decode_name

    return decode_name(os.fsencode(name))


# ------------------------------------------------------------------ writing


# Temporary outputs are named so that no user would pick the name: a batch
# removes those a killed run left behind, and must never take a user's file
# for one.  The name is cut short (see _short) to stay within the file system's limit.
TEMPORARY_PREFIX = ".docconv-tmp."


@contextmanager
def atomic_output(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """Write to a hidden temporary file beside ``path``, rename on success.

    An interrupted or failed write leaves the old file (or none), never half a
    file.  ``durable`` also flushes the file to the disk before the rename, so
    that not even a power cut leaves an empty file under the final name; a
    batch leaves that to its manifest, which records each output's size.

    A symbolic link is replaced, never written through: it may point
    anywhere, an input included.  A device or pipe such as /dev/null (or a
    link to one, /dev/stdout) is written directly, as there is nothing to
    rename onto it and no file there to lose.  A read-only file is not
    replaced: the rename would replace it all the same (and give the new
    file the usual mode), but read-only is how a user says "keep this".
    OSError becomes a one-line error.
    """
    with output_group(durable=durable) as group, group.open(path) as out:
        yield out


class OutputGroup:
    """The outputs of one input, written beside their final names and renamed
    into place together once every one of them is written.

    A writer that fails on the third format must not leave the first two
    behind: a batch would report the file failed with no outputs while its
    DOCX stood in the folder, made from the input it just called bad.
    """

    def __init__(self, durable: bool = True):
        self.durable = durable
        self._written: list[tuple[str, Path]] = []  # (temporary, final name)

    @contextmanager
    def open(self, path: Path) -> Iterator[BinaryIO]:
        if not self._checked(path):
            try:
                with path.open("wb") as out:
                    yield out
            except OSError as exc:
                raise WriteError(f"cannot write: {exc.strerror}", str(path)) from None
            return
        fd, tmp = self.reserve(path)
        try:
            with os.fdopen(fd, "wb") as out:
                yield out
                out.flush()
                if self.durable:
                    os.fsync(out.fileno())
            self.written(tmp)
        except BaseException as exc:
            self._drop(tmp)
            if isinstance(exc, OSError):
                raise _write_error(path, exc) from None
            raise

    def _checked(self, path: Path, folder: bool = False) -> bool:
        """Whether ``path`` is written through a temporary file: False for an
        existing file that is not a regular one (a device, a pipe), written
        in place; an error for what cannot be written at all (``folder``:
        also make the folder it goes into)."""
        if folder:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _write_error(path, exc) from None
        if _read_only(path):
            raise WriteError("read-only, not replaced (make it writable, or remove it, to have it made again)",
                             str(path))
        try:
            if not path.exists() or path.is_file():
                return True
            is_dir = path.is_dir()
        except OSError as exc:  # a name too long, a folder that is a file
            raise _write_error(path, exc) from None
        if is_dir:
            raise UsageError("is a directory, cannot write a file there", str(path))
        return False

    def reserve(self, path: Path) -> tuple[int, str]:
        """A new temporary file beside ``path`` (its descriptor and name),
        renamed to ``path`` at commit, removed at discard."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _new_private_file(path.parent, f"{TEMPORARY_PREFIX}{_short(path.name)}.", ".part")
        except OSError as exc:
            raise _write_error(path, exc) from None
        self._written.append((tmp, path))
        return fd, tmp

    @staticmethod
    def written(tmp: str) -> None:
        """A reserved file is whole: it gets the permissions a new file gets
        (it was made private)."""
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)

    def _drop(self, tmp: str) -> None:
        _unlink(tmp)
        self._written = [(t, p) for t, p in self._written if t != tmp]

    def commit(self) -> None:
        """Every output into its place."""
        pending = self._written
        self._written = []
        for n, (tmp, path) in enumerate(pending):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                for later, _ in pending[n:]:
                    _unlink(later)
                raise _write_error(path, exc) from None

    def discard(self) -> None:
        for tmp, _ in self._written:
            _unlink(tmp)
        self._written = []


@contextmanager
def output_group(*, durable: bool = True) -> Iterator[OutputGroup]:
    """An OutputGroup committed when the block ends, discarded when it fails."""
    group = OutputGroup(durable)
    try:
        yield group
    except BaseException:
        group.discard()
        raise
    group.commit()


def _write_error(path: Path, exc: OSError) -> ConvertError:
    """The one line for an output that cannot be written, saying why in
    the user's terms where the system's words mislead: "a.txt/x.txt: File
    exists" meant that a.txt, given as a folder, is a file."""
    import errno

    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    return UsageError(f"is a file, not a folder to write {path.name} into", str(parent))
                break
    if exc.errno == errno.ENAMETOOLONG:
        longest = max(path.parts, key=lambda part: len(os.fsencode(part)))
        return WriteError(f"cannot write: the name {longest!r} is {len(os.fsencode(longest))} bytes long, "
                            "more than the file system takes", str(path))
    return WriteError(f"cannot write: {exc.strerror or exc}", str(path))



def _new_private_file(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """``tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)``: a new
    file only this user can read, its descriptor and name; without importing
    tempfile, which brings shutil and random (3 ms of a one-file run).  Its
    random part is eight characters of [a-z0-9_] as mkstemp's is: the sweeps
    of what a killed run left (batching, distributed) know the names by it."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(4).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")

def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


# Bytes of the output's name a temporary name keeps: a name near the file
# system's 255-byte limit must leave room for the prefix and the suffix.
_TEMPORARY_NAME_BYTES = 80


def _short(name: str) -> str:
    """The start of ``name`` in at most _TEMPORARY_NAME_BYTES bytes (a CJK
    extension B character is four), cut between two characters."""
    raw = os.fsencode(name)
    if len(raw) <= _TEMPORARY_NAME_BYTES:
        return name
    cut = raw[:_TEMPORARY_NAME_BYTES]
    for end in range(len(cut), len(cut) - 4, -1):
        try:
            return cut[:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return os.fsdecode(cut)  # a name that is not UTF-8 keeps its bytes


def _read_only(path: Path) -> bool:
    """A regular file (not a link) no one may write, or this user may not;
    the mode bits also count for root, whom access() lets write anything."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and (not st.st_mode & 0o222 or not os.access(path, os.W_OK))


def prepare(doc: Document, script: str | None = None, transforms: TransformOptions | None = None) -> Document:
    """Apply the transforms the output needs (script conversion and the rest)."""
    from dataclasses import replace

    options = transforms or TransformOptions()
    if script is not None:
        options = replace(options, script=script)
    return apply_transforms(doc, options)


def write(doc: Document, dest: PathLike | IO[Any], *, to: str | None = None, script: str | None = None,
          transforms: TransformOptions | None = None, options: Any = None,
          layout: str | None = None) -> tuple[str, ...]:
    """Write ``doc`` as format ``to`` (``"docx"``, or ``"txt:hans"``) to a path or stream.

    ``dest``: a path (written atomically: to a temporary file renamed into
    place) or a stream with ``write`` (binary; a text stream takes text
    formats only).  ``to`` (default None): without it, a path's extension
    names the format (``x.docx``), and text is the default; a ``to`` its
    extension contradicts is refused (see ``targets_for_output``).
    ``script`` (default None: the document's own): ``hans``, ``hant``,
    ``tw`` or ``hk``; a script ``to`` names too must be the same one.
    ``transforms``: TransformOptions (default None: the defaults).
    ``options``: the writer's Options, or a mapping of its fields
    (``{"font_size": 12}``; default None: the writer's defaults).
    ``layout`` (default None: the writer's own, horizontal): ``"horizontal"``
    or ``"vertical"`` (see ``with_layout``).

    Returns the writer's warnings.  Raises UsageError (a ValueError) for an
    unknown format or script, arguments that contradict each other, or an
    output that would overwrite the document's input; WriteError (an
    OSError) when the output cannot be written; TypeError for arguments of
    the wrong type.
    """
    expect("doc", doc, Document)
    expect("to", to, str, Target, optional=True)
    expect("script", script, str, optional=True)
    expect("transforms", transforms, TransformOptions, optional=True)
    requested = [to if isinstance(to, Target) else Target.parse(to)] if to else []
    if script is not None and script not in SCRIPTS:
        raise UsageError(f"unknown script {script!r} (choose from {', '.join(SCRIPTS)})")
    _refuse_two_scripts(requested[0] if requested else None, script)
    if isinstance(dest, (str, os.PathLike)):
        (target,) = targets_for_output(dest, requested)
    else:
        target = requested[0] if requested else Target("txt")
        _check_stream(dest, target.format)
    if layout is not None:
        options = with_layout({target.format: options}, layout, [target.format]).get(target.format)
    return _write_prepared(prepare(doc, script or target.script, transforms), dest, target.format, options)


def _refuse_two_scripts(target: Target | None, script: str | None) -> None:
    """A script given twice, in ``to`` (``"txt:hans"``) and as ``script``,
    must be the same one: which of two the caller meant is not ours to guess."""
    if target is not None and target.script and script and target.script != script:
        raise UsageError(f"two scripts asked for: to={str(target)!r} and script={script!r}; give one")


def _check_stream(dest: Any, format: str) -> None:
    """A stream ``format`` can be written to, before any work: a text
    stream takes text formats only (their UTF-8 is decoded into it)."""
    if not callable(getattr(dest, "write", None)):
        raise TypeError(f"write() takes a path or a stream, not {type(dest).__name__}")
    if isinstance(dest, io.TextIOBase) and registry.get_writer(format).kind == "document":
        raise TypeError(f"{format} is a binary format: write it to a binary stream (io.BytesIO(), "
                        f"open(..., 'wb')) or a path, not to a text stream")


def check_encoding(encoding: str | None) -> None:
    """UsageError for an --encoding that cannot decode a text file, before any is read."""
    if encoding is None:
        return
    from .readers.encoding import check_encoding as problem_with

    problem = problem_with(encoding)
    if problem:
        raise UsageError(f"--encoding: {problem}")


def format_of(path: PathLike) -> str | None:
    """The registered format whose extension ``path`` has (``x.docx``: docx), or None."""
    ext = Path(path).suffix.lower().lstrip(".")
    if not ext:
        return None
    # The format named like the extension is asked first (all of this
    # package's are), so that the others need not be imported.
    for name in sorted(registry.writer_names(), key=lambda name: name != ext):
        try:
            if registry.get_writer(name).extension.lower() == ext:
                return name
        except UsageError:
            continue  # a broken plugin claims no extension
    return None


def targets_for_output(output: PathLike, targets: list[Target]) -> list[Target]:
    """What to write when the caller names the output file ``output``.

    Never a format under another format's extension: a name with a known
    extension and no target asks for that format (``x.docx``: docx), a
    target it contradicts is a UsageError (DOCX in ``x.pdf``), and so are
    several targets, which go into a folder, not into ``x.pdf``.  Other
    names (``x.md``, ``/dev/null``) take any one format, text by default.
    """
    named = format_of(output)
    if named is None:
        return targets or [Target("txt")]
    if not targets:
        return [Target(named)]
    if len(targets) > 1:
        raise UsageError(f"several formats go into a folder, not into a .{Path(output).suffix[1:]} file",
                         str(output))
    if targets[0].format != named:
        want = registry.get_writer(targets[0].format).extension
        raise UsageError(f"a .{Path(output).suffix[1:]} name for {targets[0].format} output; "
                         f"name it .{want}, or ask for {named}", str(output))
    return targets


def options_by_format(given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Writer options by format, each as its writer's Options: given as one,
    or as a mapping of its fields (``{"pdf": {"font_size": 12}}``), made
    into one here so that a bad key or value is a UsageError before any
    input is read.  A format given None is left out (its defaults)."""
    return {fmt: registry.writer_options(fmt, options) for fmt, options in (given or {}).items()
            if options is not None}


LAYOUTS = ("horizontal", "vertical")


def with_layout(writer_options: Mapping[str, Any] | None, layout: str | None,
                formats: Iterable[str]) -> dict[str, Any]:
    """``writer_options`` (see ``options_by_format``) with ``layout`` set on
    every writer among ``formats`` whose Options has a ``layout`` field.

    Plain text has no layout, so a format without the field is passed over;
    but a vertical layout that none of ``formats`` can set, or a writer's
    own ``layout`` option contradicting it, is a UsageError."""
    from dataclasses import replace

    from .writers.options import settings

    options = options_by_format(writer_options)
    if layout is None:
        return options
    if layout not in LAYOUTS:
        raise UsageError(f"layout takes {' or '.join(LAYOUTS)}, not {layout!r}")
    formats = list(dict.fromkeys(formats))
    taken = []
    for fmt in formats:
        current = registry.writer_options(fmt, options.get(fmt))
        fields = {s.key: s.default for s in settings(type(current))}
        if "layout" not in fields:
            continue
        own = current.layout
        if own != fields["layout"] and own != layout:
            raise UsageError(f"--layout {layout} contradicts the {fmt} option layout={own}")
        options[fmt] = replace(current, layout=layout)
        taken.append(fmt)
    if not taken and layout != LAYOUTS[0]:
        raise UsageError(f"no format asked for ({', '.join(formats)}) sets {layout} text")
    return options


def write_targets(doc: Document, outputs: Iterable[tuple[Target, PathLike]], *,
                  transforms: TransformOptions | None = None, writer_options: Mapping[str, Any] | None = None,
                  durable: bool = True, parallel: bool = False,
                  started: WriterProcesses | None = None) -> tuple[str, ...]:
    """Write ``doc`` once per (target, path), all or none: the files are
    renamed into place only once every one is written.  ``writer_options``:
    see ``options_by_format``.  ``parallel`` (default False): write the
    formats side by side in child processes, where the system can fork and
    has more than one processor for them (the command line's one file in
    several formats; never in a process that runs threads).  ``started``:
    writers ``start_writers`` started while the input was read, each given
    its output here.  Returns the warnings."""
    outputs = list(outputs)
    prepared: dict[str | None, Document] = {}  # the formats written in one script share the transforms
    for target, _ in outputs:
        if target.script not in prepared:
            prepared[target.script] = prepare(doc, target.script, transforms)
    options = writer_options or {}
    jobs = [(prepared[target.script], dest, target.format, options.get(target.format)) for target, dest in outputs]
    by_output: list[tuple[str, ...] | _WriterProcess | None] = [None] * len(jobs)
    processes = started or WriterProcesses(())
    with output_group(durable=durable) as group:
        try:
            # Each place is checked, in order, before any is written: the
            # first that cannot be is the error, as one after another.
            forking = (parallel or started is not None) and _can_fork()
            in_child = [forking and isinstance(dest, (str, os.PathLike)) and group._checked(Path(dest), folder=True)
                        for _, dest, _, _ in jobs]
            # The outputs that have a writer started go to it; with
            # ``parallel``, every other one but the first to a new child.
            # What is left is written here meanwhile.
            for n, (doc_, dest, fmt, opts) in enumerate(jobs):
                if not in_child[n]:
                    continue
                process = processes.take(fmt)
                if process is None and parallel and n:
                    process = _WriterProcess(fmt)
                if process is not None:
                    by_output[n] = process
                    process.send(doc_, Path(dest), opts, group)
            for n, job in enumerate(jobs):
                if by_output[n] is None:
                    by_output[n] = tuple(_write_prepared(*job, group=group))
            for written in by_output:
                if isinstance(written, _WriterProcess):
                    written.finish()
        finally:
            for written in by_output:
                if isinstance(written, _WriterProcess):
                    written.stop()
            processes.stop()
    return tuple(w for written in by_output
                 for w in (written.warnings if isinstance(written, _WriterProcess) else written or ()))


class WriterProcesses:
    """Writers loading in child processes while the input is read (see
    ``start_writers``); ``write_targets`` gives each its output."""

    def __init__(self, processes: Iterable[_WriterProcess]):
        self._idle = list(processes)

    def take(self, format: str) -> _WriterProcess | None:
        for process in self._idle:
            if process.format == format:
                self._idle.remove(process)
                return process
        return None

    def stop(self) -> None:
        """End the writers no output was given to."""
        for process in self._idle:
            process.stop()
        self._idle = []


@contextmanager
def start_writers(formats: Iterable[str]) -> Iterator[WriterProcesses | None]:
    """Start the page formats' writers (DOCX, PDF, EPUB: those whose
    libraries take the longest to load) in child processes now, so that they
    load while the caller reads and prepares its input; hand the result to
    ``write_targets(started=)``.  Yields None where children cannot be used
    (see ``write_targets``' ``parallel``).  Writers left without an output
    are ended when the block ends."""
    if not _can_fork():
        yield None
        return
    chosen = []
    for format in dict.fromkeys(formats):
        try:
            if registry.get_writer(format).kind == "document":
                chosen.append(format)
        except UsageError:
            continue  # the format's error is met where it is written
    processes = WriterProcesses(_WriterProcess(format) for format in chosen)
    try:
        yield processes
    finally:
        processes.stop()


def _can_fork() -> bool:
    """Whether writing in a child process is safe and can gain: fork exists
    (and is safe: not on macOS), more than one processor is ours, and no
    other thread runs (a forked child gets a copy of their locks, held)."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1


class _WriterProcess:
    """A forked child that loads one format's writer, then writes the one
    output it is sent into a temporary file of the parent's OutputGroup:
    renamed with the others, or removed with them, whatever becomes of the
    child."""

    def __init__(self, format: str):
        self.format = format
        self.warnings: tuple[str, ...] = ()
        self.dest: Path | None = None
        self.tmp = ""
        job_read, job_write = os.pipe()
        report_read, report_write = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()  # or the child would inherit, and print again, what waits in them
        self.pid = os.fork()
        if self.pid == 0:
            os.close(job_write)
            os.close(report_read)
            _child_writes(format, job_read, report_write)
        os.close(job_read)
        os.close(report_write)
        self._jobs = os.fdopen(job_write, "wb")
        self._reports = os.fdopen(report_read, "rb")

    def send(self, prepared: Document, dest: Path, options: Any, group: OutputGroup) -> None:
        """Give the child its output: a temporary file reserved in ``group``."""
        import pickle

        self.dest = dest
        fd, self.tmp = group.reserve(dest)
        os.close(fd)
        # Whether to flush to the disk is the group's: the writer may have been
        # started before anyone knew.
        job = pickle.dumps((prepared, self.tmp, str(dest), options, group.durable), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            # Its length first: children forked later hold this pipe open
            # too, so the child cannot wait for its end.
            with self._jobs:
                self._jobs.write(len(job).to_bytes(8, "big") + job)
        except OSError:
            pass  # the child is gone: finish() says how it ended

    def finish(self) -> None:
        """Wait for the child; its error, if it had one, is raised here."""
        import pickle

        with self._reports:
            report = self._reports.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            outcome = pickle.loads(report)
        except Exception:  # the child died before it could say
            name = self.dest.name if self.dest else self.format
            raise WriteError(f"the {name} writer stopped ({_how_it_ended(status)})",
                             str(self.dest) if self.dest else None) from None
        if outcome[0] == "written":
            self.warnings = tuple(outcome[1])
            OutputGroup.written(self.tmp)
            return
        _, kind, message, path = outcome
        error = getattr(_errors, kind, None)
        if isinstance(error, type) and issubclass(error, ConvertError):
            raise error(message, path)
        raise _errors.ChildError(kind, message)

    def stop(self) -> None:
        """End a child still at work (another output failed, Ctrl-C, or no
        output for it); its temporary file goes with the group's."""
        if self.pid:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        for stream in (self._jobs, self._reports):
            if not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass


def _child_writes(format: str, jobs: int, reports: int) -> None:
    """In the child: load the writer, wait for the output, write it, report,
    and leave without running the parent's exit handlers or flushing its
    streams."""
    import pickle

    code = 0
    try:
        dest = None
        try:
            writer = registry.get_writer(format)
            load = getattr(writer, "load", None)
            if load is not None:
                load()
            with os.fdopen(jobs, "rb") as job:
                size = int.from_bytes(job.read(8), "big")
                received = job.read(size)
            if not size or len(received) != size:
                return  # no output for this writer
            prepared, tmp, dest, options, durable = pickle.loads(received)
            dest = Path(dest)
            with open(tmp, "r+b") as out:
                warnings = _write_prepared(prepared, out, format, options)
                out.truncate()
                out.flush()
                if durable:
                    os.fsync(out.fileno())
            outcome: tuple = ("written", tuple(warnings))
        except BaseException as exc:
            code = 1
            if isinstance(exc, OSError) and dest is not None:
                exc = _write_error(dest, exc)  # as OutputGroup.open says it
            outcome = ("failed", type(exc).__name__, exc.args[0] if isinstance(exc, ConvertError) and exc.args
                       else " ".join(str(exc).split()), getattr(exc, "path", None))
        with os.fdopen(reports, "wb") as report:
            report.write(pickle.dumps(outcome))
    finally:
        os._exit(code)


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        import signal

        try:
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _write_prepared(prepared: Document, dest: PathLike | IO[Any], format: str, options: Any,
                    durable: bool = True, group: OutputGroup | None = None) -> tuple[str, ...]:
    writer = registry.get_writer(format)
    opts = registry.writer_options(format, options)
    if isinstance(dest, (str, os.PathLike)):
        if group is not None:
            with group.open(Path(dest)) as out:
                return tuple(writer.write(prepared, out, opts))
        with atomic_output(Path(dest), durable=durable) as out:
            return tuple(writer.write(prepared, out, opts))
    if isinstance(dest, io.TextIOBase):
        buffer = io.BytesIO()
        warnings = writer.write(prepared, buffer, opts)
        dest.write(buffer.getvalue().decode("utf-8"))
        return tuple(warnings)
    return tuple(writer.write(prepared, dest, opts))


# ------------------------------------------------------------------ converting


@dataclass
class Result:
    """What happened to one input."""

    input: str
    status: str = "ok"  # ok | failed
    outputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    document: Document | None = None
    source: Source | None = None  # the input as it was read
    encoding: str | None = None
    furniture: int = 0  # lines of page furniture the reader removed


def convert(path: PathLike, *, to: str | Target | Iterable[str | Target] | None = None,
            out_dir: PathLike = ".", encoding: str | None = None, transforms: TransformOptions | None = None,
            writer_options: Mapping[str, Any] | None = None, stem: str | None = None,
            durable: bool = True, metadata: Mapping[str, str] | None = None,
            max_size: int = DEFAULT_MAX_SIZE, data: bytes | None = None, reader: str | None = None,
            layout: str | None = None) -> Result:
    """Read ``path`` and write every target into ``out_dir``; raise on failure,
    leaving none of the outputs (see ``write_targets``).  ``metadata``: see ``read``;
    ``writer_options``: see ``options_by_format``; ``layout``: see ``with_layout``.

    ``durable``: see ``atomic_output``.  ``stem``: the outputs' name without
    extension, relative to ``out_dir`` (``sub/x``); never outside it.
    ``data``: the input's bytes, fetched from where no file system reaches
    (an object store); ``path`` then only names it (its URL).

    ``to`` (default None: ``default_targets()``): a format, a Target or
    several.  ``out_dir`` (default the current folder).  ``encoding``,
    ``reader``, ``metadata`` and ``max_size``: see ``read``.  ``transforms``:
    TransformOptions (default None: the defaults).

    Raises as ``read`` and ``write`` do; the Result's ``outputs`` name what
    was written and its ``warnings`` what the user should hear.
    """
    expect("path", path, str, os.PathLike)
    check_arguments(path, encoding=encoding, transforms=transforms, metadata=metadata, max_size=max_size,
                    reader=reader)
    expect("out_dir", out_dir, str, os.PathLike)
    expect("stem", stem, str, optional=True)
    expect("writer_options", writer_options, Mapping, optional=True)
    started = time.perf_counter()
    if stem is not None:
        _check_stem(stem)
    writer_options = with_layout(writer_options, layout, [t.format for t in _targets(to)])
    src = Path(path)
    if data is None:
        content, before = _load(src, max_size)
        doc = _with_metadata(_parse(src, content, encoding, reader), metadata)
        source = _source(content, before)
        name = str(src)
    else:
        name = os.fspath(path)
        if len(data) > max_size:
            raise InputError(too_large(max_size), name)
        doc = _with_metadata(_parse(name, data, encoding, reader), metadata)
        source = _source(data)
    # Page furniture removed is information, not a warning: the Result
    # counts it, and the document keeps every line of it.
    result = Result(input=name, document=doc, source=source, furniture=len(doc.furniture))
    result.warnings.extend(doc.warnings)
    out = Path(out_dir)
    outputs: list[tuple[Target, Path]] = []
    for target in _targets(to):
        dest = out / target.filename(stem or src.stem)
        if data is not None:
            outputs.append((target, dest))  # an input elsewhere: no output lands on it
            continue
        if stem is None and would_overwrite(dest, src):
            # "docconv convert a.txt" must not write a.txt over itself: name
            # the output after the script it is written in.
            dest = out / Target(target.format, target.script or doc.meta.script).filename(src.stem)
        refuse_overwriting_input(dest, src)
        outputs.append((target, dest))
    result.warnings.extend(write_targets(doc, outputs, transforms=transforms, writer_options=writer_options,
                                         durable=durable))
    result.outputs.extend(str(dest) for _, dest in outputs)
    result.seconds = time.perf_counter() - started
    return result


def _check_stem(stem: str) -> None:
    p = Path(stem)
    if not stem.strip() or p.is_absolute() or p.drive or ".." in p.parts or p.name in ("", "."):
        raise UsageError(f"the output name {stem!r} is not a name inside the output folder")


def one_or_many(inputs: PathLike | Iterable[PathLike]) -> list[PathLike]:
    """The inputs as a list: one path given alone (a str is iterable, and
    would be taken for one input a character) or an iterable of them."""
    if isinstance(inputs, (str, bytes, os.PathLike)):
        return [inputs]
    return list(inputs)


class Landing:
    """Where outputs land, against the inputs of the run.

    An output is written beside its final name and renamed onto it: a link
    in the last place is replaced, but a linked folder on the way is gone
    through (``out/sub -> ../in``), so the output could land on an input.
    A link in the last place that points at an input is refused too: it
    would be harmless to replace, but someone meant the two to be one.
    Names compare case-insensitively, as on the file systems that do.
    """

    def __init__(self, inputs: Iterable[Path]):
        self.inputs = {str(p.resolve()).casefold(): p for p in inputs}
        self.folders: dict[Path, Path] = {}

    def where(self, output: Path) -> str:
        """The place ``output`` is written, as a key."""
        folder = self.folders.get(output.parent)
        if folder is None:
            folder = self.folders[output.parent] = output.parent.resolve()
        return str(folder / output.name).casefold()

    def input_under(self, outputs: Iterable[Path]) -> tuple[Path, Path] | None:
        for output in outputs:
            victim = self.inputs.get(self.where(output))
            if victim is None and output.is_symlink():
                victim = self.inputs.get(str(output.resolve()).casefold())
            if victim is not None:
                return output, victim
        return None


def would_overwrite(dest: Path, src: Path) -> bool:
    """Whether writing ``dest`` would replace the input ``src``: the one
    rule every command and the library follow (see ``Landing``), and a hard
    link of the input counts too."""
    if Landing([src]).input_under([dest]) is not None:
        return True
    try:
        return dest.exists() and src.exists() and dest.samefile(src)
    except OSError:
        return False


def refuse_overwriting_input(dest: Path, src: Path) -> None:
    if would_overwrite(dest, src):
        raise UsageError(f"output {dest} would overwrite the input", str(src))


def refuse_overwriting_inputs(dest: Path, inputs: Iterable[Path], what: str = "output") -> None:
    """A report or a bundle written over one of the inputs would lose it."""
    for src in inputs:
        if would_overwrite(dest, src):
            raise UsageError(f"{what} {dest} would overwrite the input {src}", str(dest))


# Text's endings: the news reader declares none, text having no signature.
INPUT_SUFFIXES = (".txt", ".text")
# Endings any kind of content takes (a scraper's records, an API's answers
# are .json too): in a folder, such a file is an input only when a reader
# declaring the ending knows its first bytes for its own (a document the
# json writer wrote).
CONTAINER_SUFFIXES = (".json",)


def input_suffixes() -> tuple[str, ...]:
    """The endings of the files a folder's inputs are: text's, and every
    ending a registered reader declares (``.html``, ``.htm``, ``.json``, ...)."""
    found = list(INPUT_SUFFIXES)
    for name in registry.reader_names():
        try:
            reader = registry.get_reader(name)
        except UsageError:  # a reader that fails to load takes no files
            continue
        found += [s.lower() for s in getattr(reader, "suffixes", ()) if isinstance(s, str) and s.startswith(".")]
    return tuple(dict.fromkeys(found))


def _known_by_content(path: Path) -> bool:
    """Whether a reader that declares the file's ending knows its first bytes
    (a file that cannot be read is let in: converting it says why it fails)."""
    try:
        with open(path, "rb") as f:
            head = f.read(registry.SNIFF_BYTES)
    except OSError:
        return True
    return known_by_head(path.suffix.lower(), head)


def known_by_head(suffix: str, head: bytes) -> bool:
    """Whether a reader that declares ``suffix`` knows ``head``, a file's first bytes, for its own."""
    for name in registry.reader_names():
        try:
            reader = registry.get_reader(name)
        except UsageError:
            continue
        sniff = getattr(reader, "sniff", None)
        if suffix in getattr(reader, "suffixes", ()) and sniff is not None and sniff(head):
            return True
    return False


def collect_inputs(paths: PathLike | Iterable[PathLike], *, exclude: Path | None = None,
                   follow_links: bool = False, on_skipped: Callable[[str], None] | None = None) -> list[Path]:
    """Files given, plus the inputs inside the folders given (sorted), each
    once; nothing below ``exclude`` (the output folder, which may sit inside an
    input folder: its outputs must not become inputs of the next run).

    A folder's inputs are its files whose ending a reader takes (see
    ``input_suffixes``: text, saved pages, JSON documents); a ``.json`` file
    only when it is a document (``CONTAINER_SUFFIXES``), not any JSON.

    Inside a folder, a link to a file outside it is left out, and linked
    folders are not gone into: a scraped tree (or an unpacked archive) may
    hold a link to anywhere, ~/.ssh included, and its content would end up in
    the outputs.  ``follow_links`` follows both.  A file named on its own is
    read wherever its link points: the caller chose it.

    A folder that cannot be listed, or an entry that cannot be looked at
    (permissions), is left out and told to ``on_skipped`` in one line
    (by default a RuntimeWarning): the others are still found.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    skip = exclude.resolve() if exclude is not None else None
    tell = on_skipped or _warn_skipped

    def skipped(path: Path, exc: OSError, what: str) -> None:
        tell(f"{path}: {what}: {exc.strerror or exc}; what it holds is not converted")

    def add(f: Path) -> None:
        real = f.resolve()
        if real in seen or (skip is not None and real.is_relative_to(skip)):
            return
        seen.add(real)
        found.append(f)

    suffixes: tuple[str, ...] | None = None
    for raw in one_or_many(paths):
        p = Path(os.fsdecode(raw))
        if p.is_dir():
            root = p.resolve()
            suffixes = suffixes or input_suffixes()
            for f in sorted(_walk(p, follow_links, skipped)):
                if f.suffix.lower() not in suffixes or f.name.startswith("."):
                    continue
                try:
                    if f.is_file() and (follow_links or not f.is_symlink() or f.resolve().is_relative_to(root)) \
                            and (f.suffix.lower() not in CONTAINER_SUFFIXES or _known_by_content(f)):
                        add(f)
                except OSError as exc:  # a folder listed but not searchable (chmod a-x)
                    skipped(f, exc, "cannot look at the file")
        elif p.exists():
            add(p)
        else:
            raise NotFoundError("no such file or directory", str(p))
    return found


def _warn_skipped(message: str) -> None:
    import warnings

    warnings.warn(message, RuntimeWarning, stacklevel=4)


def _walk(folder: Path, follow_links: bool, skipped: Callable[[Path, OSError, str], None]) -> Iterator[Path]:
    """Every entry below ``folder``; linked folders gone into only when asked,
    and then each real folder once (a link may point back up the tree).

    Folders are visited depth first in name order, so which of two ways to
    one folder counts does not depend on the disk's order.  A folder that
    cannot be listed is told to ``skipped``, never silently passed over."""
    visited: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        here = stack.pop()
        if follow_links:
            try:
                st = os.stat(here)
            except OSError as exc:
                skipped(here, exc, "cannot look at the folder")
                continue
            if (st.st_dev, st.st_ino) in visited:
                continue
            visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            skipped(here, exc, "cannot list the folder")
            continue
        below = []
        for entry in entries:
            path = here / entry.name
            yield path
            try:
                if entry.is_dir(follow_symlinks=follow_links):
                    below.append(path)
            except OSError as exc:
                skipped(path, exc, "cannot look at the folder")
        stack.extend(reversed(below))


def __getattr__(name: str) -> Any:
    # batch() moved to convert.batching, which is built on this module; the
    # old name keeps working, found when it is asked for (as the package's
    # front door finds its names) so that this module does not import it.
    if name == "batch":
        from importlib import import_module

        return import_module(".batching", __package__).batch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bundle_target(book: PathLike, to: Iterable[str | Target] = ()) -> Target:
    """The format (and script) a bundle ``book`` is bound in: one a writer
    binds several documents in (``registry.writers_that_bind``), the one of
    ``to`` if one is, else the one ``book``'s extension names, else the only
    one there is.  A name for another format is a UsageError, as in
    ``targets_for_output``."""
    binders = registry.writers_that_bind()
    named = format_of(book)
    chosen = list(dict.fromkeys(t for t in _targets(list(to)) if t.format in binders))
    if len(chosen) > 1:
        raise UsageError("--bundle makes one book: give at most one -t FORMAT:SCRIPT for it "
                         f"({', '.join(map(str, chosen))})")
    if chosen and named in (None, chosen[0].format):
        return chosen[0]
    if not chosen and named in binders:
        return Target(named)
    if not chosen and named is None and len(binders) == 1:
        return Target(binders[0])
    if not binders:
        raise UsageError("no registered format binds several documents into one book", str(book))
    want = chosen[0].format if chosen else binders[0]
    suffix = Path(book).suffix[1:]
    what = f"a .{suffix} file" if suffix else "a name without an extension"
    raise UsageError(f"a bundle is one {want.upper()} book ({', '.join(binders)} can bind one), not {what}; "
                     f"name it .{registry.get_writer(want).extension}", str(book))


def bundle(inputs: PathLike | Iterable[PathLike], book: PathLike, *, to: str | Target | None = None,
           script: str | None = None, encoding: str | None = None, transforms: TransformOptions | None = None,
           options: Any = None, title: str = "", follow_links: bool = False,
           max_size: int = DEFAULT_MAX_SIZE, reader: str | None = None, layout: str | None = None) -> list[Result]:
    """Bind every readable input into one book, a chapter each, in the order
    its writer gives them (EPUB: by date); inputs that fail are reported in
    the results and left out.  ``to``: the format (``"epub"``, ``"epub:hans"``)
    among those whose writer binds, by default the one ``book``'s extension
    names (see ``bundle_target``).  ``options``: that writer's Options, or a
    mapping of its fields (``{"embed_fonts": False}``; default None: its
    defaults).  ``layout`` (default None): see ``with_layout``.  ``script`` (default None: ``to``'s, else each document's
    own); a script ``to`` names too must be the same one.  ``title``: the
    book's (default "": the writer's choice).  ``encoding``, ``reader``,
    ``transforms``, ``follow_links`` and ``max_size``: as for ``batch``.

    Returns one Result per input.  Raises UsageError (a ValueError) for
    bad arguments or a ``book`` that would overwrite an input, InputError
    when no input could be read or bound, WriteError (an OSError) when the
    book cannot be written, TypeError for arguments of the wrong type.
    """
    check_arguments(None, encoding=encoding, transforms=transforms, max_size=max_size, reader=reader)
    expect("book", book, str, os.PathLike)
    expect("script", script, str, optional=True)
    target = bundle_target(book, [to] if to is not None else [])
    _refuse_two_scripts(target, script)
    script = script or target.script
    options = registry.writer_options(
        target.format, with_layout({target.format: options}, layout, [target.format]).get(target.format))
    results: list[Result] = []
    docs: list[tuple[Document, Result]] = []
    check_encoding(encoding)
    def skipped(message: str) -> None:  # an unreadable folder is named with the inputs that failed
        results.append(Result(message.split(": ", 1)[0], "failed", error=message))

    paths = collect_inputs(inputs, follow_links=follow_links, on_skipped=skipped)
    refuse_overwriting_inputs(Path(book), paths, "bundle")
    if Path(book).is_dir():
        raise UsageError("is a directory; --bundle takes a file name", str(book))
    for path in paths:
        started = time.perf_counter()
        try:
            doc = prepare(read(path, encoding=encoding, reader=reader, max_size=max_size), script, transforms)
            results.append(Result(str(path), seconds=time.perf_counter() - started))
            docs.append((doc, results[-1]))
        except ConvertError as exc:
            results.append(Result(str(path), "failed", error=" ".join(str(exc).split())))
    if not docs:
        raise InputError("no input could be read: nothing to bind", str(book))
    try:
        data, warnings = _bind(target.format, [d for d, _ in docs], options, title)
    except ConvertError:
        raise
    except Exception:
        # One chapter the writer cannot set must not lose the whole book:
        # each is tried alone, and those that fail are left out and named.
        for doc, result in docs:
            try:
                _bind(target.format, [doc], options, title)
            except Exception as exc:
                result.status = "failed"
                result.error = f"{result.input}: {one_line(exc)}"
        docs = [(d, r) for d, r in docs if r.status == "ok"]
        if not docs:
            raise InputError("no input could be bound: nothing to write", str(book)) from None
        data, warnings = _bind(target.format, [d for d, _ in docs], options, title)
    with atomic_output(Path(book)) as out:
        out.write(data)
    for _, r in docs:
        r.outputs.append(str(book))
        r.warnings.extend(warnings)
    return results


def _bind(format: str, docs: list[Document], options: Any, title: str) -> tuple[bytes, tuple[str, ...]]:
    buffer = io.BytesIO()
    warnings = registry.get_writer(format).write_many(docs, buffer, options, title=title)
    return buffer.getvalue(), tuple(warnings)


