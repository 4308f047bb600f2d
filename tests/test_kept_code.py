"""The methods dataclasses writes, kept compiled across docconv runs
(convert/_kept_code.py): the code kept is the code Python compiles, a damaged
entry is compiled again, and only docconv's own process is changed."""

from __future__ import annotations

import dataclasses
import inspect
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from _corpus import SEED

from convert import _cache, _kept_code

pytestmark = [pytest.mark.skipif(_kept_code._PYTHON is None, reason="code is kept on CPython 3.11-3.13 only"),
              pytest.mark.skipif(not hasattr(os, "getuid"), reason="private entries need POSIX owners and modes")]

METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__ge__", "__hash__", "__setattr__", "__delattr__")


def _a_class() -> type:
    @dataclass(frozen=True, slots=True, order=True)
    class Point:
        """A class with every kind of generated method."""

        x: int
        label: str = "origin"
        tags: tuple[str, ...] = ()
        notes: list[str] = field(default_factory=list, compare=False)

    return Point


def _codes(cls: type) -> dict[str, tuple]:
    # Code objects compare equal whatever their file names and places: those too.
    def described(code):
        return code, code.co_filename, code.co_qualname, code.co_firstlineno, list(code.co_positions())

    return {name: described(inspect.unwrap(getattr(cls, name)).__code__) for name in METHODS}


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A process with an empty cache of its own and the hook installed;
    calling it again starts a new process (what the last one made is kept)."""
    monkeypatch.setenv(_cache.ENV, str(tmp_path / "cache"))
    monkeypatch.delattr(dataclasses, "exec", raising=False)

    def start():
        monkeypatch.setattr(_kept_code, "_kept", None)
        monkeypatch.setattr(_kept_code, "_made", {})
        monkeypatch.setattr(dataclasses, "exec", _kept_code._exec, raising=False)

    start()
    return start


def test_the_code_kept_is_the_code_python_compiles_and_the_next_run_compiles_nothing(fresh, monkeypatch):
    monkeypatch.delattr(dataclasses, "exec")
    plain = _a_class()
    monkeypatch.setattr(dataclasses, "exec", _kept_code._exec, raising=False)
    hooked = _a_class()
    assert _codes(hooked) == _codes(plain)
    assert hooked.__init__.__annotations__ == plain.__init__.__annotations__  # not the test module's __future__
    assert len(_kept_code._made) >= len(METHODS)
    _kept_code.save_made()

    fresh()
    monkeypatch.setattr(_kept_code, "compile", lambda *a, **k: pytest.fail("compiled again"), raising=False)
    kept = _a_class()
    assert _codes(kept) == _codes(plain)
    assert not _kept_code._made
    # The class behaves as the one dataclasses made alone.
    a, b = kept(1, tags=("x",)), plain(1, tags=("x",))
    assert repr(a).replace(kept.__qualname__, "") == repr(b).replace(plain.__qualname__, "")
    assert a == kept(1, tags=("x",), notes=["other"]) and a < kept(2) and hash(a) == hash(kept(1, tags=("x",)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 2  # type: ignore[misc]
    assert dataclasses.replace(a, x=5).x == 5 and [f.name for f in dataclasses.fields(a)] == ["x", "label", "tags",
                                                                                               "notes"]


def test_a_damaged_entry_is_compiled_again(fresh, monkeypatch):
    source = "def __create_fn__(x):\n def f(self, y):\n  return (x, y, 'text')\n return f\n"
    expected = compile(source, "<string>", "exec", dont_inherit=True)
    assert _kept_code.code_for(source) == expected
    data, check = _kept_code._made[source]
    for at in range(len(data)):
        damaged = bytearray(data)
        damaged[at] ^= 0x41
        monkeypatch.setattr(_kept_code, "_kept", {source: (bytes(damaged), check)})
        monkeypatch.setattr(_kept_code, "_made", {})
        assert _kept_code.code_for(source) == expected, at
    monkeypatch.setattr(_kept_code, "_kept", {source: (data, "a check of something else")})
    assert _kept_code.code_for(source) == expected


def test_exec_is_taken_only_as_dataclasses_calls_it(fresh):
    namespace: dict[str, object] = {}
    _kept_code._exec("x = 1\n", namespace)
    assert namespace["x"] == 1
    with pytest.raises(TypeError):
        _kept_code._exec("x = 1\n", None)  # it would run in the hook's own namespace


def test_an_entry_of_another_python_or_that_others_could_write_is_not_read(fresh, tmp_path, monkeypatch):
    source = "x = 1\n"
    _kept_code.code_for(source)
    _kept_code.save_made()
    fresh()
    assert set(_kept_code._load()) == {source}
    monkeypatch.setattr(_kept_code, "_PYTHON", (*_kept_code._PYTHON[:-1], b"another build"))
    assert _kept_code._load() == {}
    monkeypatch.undo()
    monkeypatch.setenv(_cache.ENV, str(tmp_path / "cache"))
    folder = tmp_path / "cache"
    folder.chmod(0o770)  # a group may write here: what is found is not trusted, and nothing is kept
    assert _kept_code._load() == {}
    [entry] = folder.iterdir()
    before = entry.read_bytes(), entry.stat().st_mtime_ns
    monkeypatch.setattr(_kept_code, "_made", {"y = 2\n": (b"", "")})
    _kept_code.save_made()
    assert (entry.read_bytes(), entry.stat().st_mtime_ns) == before


def test_too_many_kept_sources_start_the_entry_again(fresh, monkeypatch):
    monkeypatch.setattr(_kept_code, "_MOST_KEPT", 3)
    for n in range(3):
        _kept_code.code_for(f"x = {n}\n")
    _kept_code.save_made()
    fresh()
    _kept_code.code_for("x = 'new'\n")
    _kept_code.save_made()
    assert set(_kept_code._load()) == {"x = 'new'\n"}


def _run(code: str, cache: Path, cwd: Path) -> str:
    env = {**os.environ, _cache.ENV: str(cache)}
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True,
                          check=True, timeout=120).stdout


def test_docconv_keeps_the_code_and_a_library_user_s_dataclasses_are_left_alone(tmp_path):
    cache = tmp_path / "cache"
    convert_seed = (
        "import sys\n"
        "from convert import _kept_code, _process, console\n"
        "_process.finish = lambda code, command: None\n"
        f"sys.argv = ['docconv', 'convert', {str(SEED)!r}, '-t', 'txt', '-o', sys.argv[1]]\n"
        "console.main()\n"
        "print(len(_kept_code._made), len(_kept_code._kept or ()))\n"
        "_kept_code.save_made()\n"
    )
    first = _run(convert_seed.replace("sys.argv[1]", repr(str(tmp_path / "first.txt"))), cache, tmp_path)
    made, kept = map(int, first.split())
    assert made > 100 and kept == 0
    second = _run(convert_seed.replace("sys.argv[1]", repr(str(tmp_path / "second.txt"))), cache, tmp_path)
    made, kept = map(int, second.split())
    assert made == 0 and kept > 100
    assert (tmp_path / "first.txt").read_bytes() == (tmp_path / "second.txt").read_bytes()

    as_library = (
        "import dataclasses, convert\n"
        f"convert.write(convert.read({str(SEED)!r}), {str(tmp_path / 'library.txt')!r})\n"
        "print('exec' in vars(dataclasses))\n"
    )
    assert _run(as_library, cache, tmp_path).strip() == "False"
    assert (tmp_path / "library.txt").read_bytes() == (tmp_path / "first.txt").read_bytes()


def test_the_command_keeps_the_code_at_its_end_and_a_second_run_changes_nothing(tmp_path):
    """docconv itself, nothing patched: the first run keeps the code as it
    ends; the second finds all it needs, so the entry is not written again."""
    env = {**os.environ, _cache.ENV: str(tmp_path / "cache")}

    def convert(name: str) -> None:
        subprocess.run([sys.executable, "-m", "convert", "convert", str(SEED), "-t", "txt", "-o", str(tmp_path / name)],
                       env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)

    convert("first.txt")
    [entry] = (tmp_path / "cache").glob(f"{_kept_code._CACHE_KIND}-*")
    written = entry.read_bytes(), entry.stat().st_mtime_ns
    assert len(pickle.loads(written[0][len(_cache._MAGIC):])[1]) > 100
    convert("second.txt")
    assert (entry.read_bytes(), entry.stat().st_mtime_ns) == written
    assert (tmp_path / "first.txt").read_bytes() == (tmp_path / "second.txt").read_bytes()
