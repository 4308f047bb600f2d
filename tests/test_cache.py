"""The per-user cache: what it keeps, where, and that nothing found there can
break or take over a run."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import SEED

from convert import _cache

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(_cache.ENV, str(where))
    return where


def entries(where: Path) -> list[Path]:
    return sorted(where.iterdir()) if where.exists() else []


def test_a_value_comes_back_for_its_key_only(cache_dir):
    value = {"tables": {"glyf": (10, 20)}, "codes": b"\0" * 16, "selectors": [0xFE00], "direct": True}
    _cache.store("index", ("font.ttf", 1, 2), value)
    assert _cache.load("index", ("font.ttf", 1, 2)) == value
    assert _cache.load("index", ("font.ttf", 1, 3)) is None
    assert _cache.load("other", ("font.ttf", 1, 2)) is None
    [entry] = entries(cache_dir)
    assert entry.name.startswith("index-") and entry.suffix == ".pickle"


def test_a_slot_holds_one_entry_whatever_its_key(cache_dir):
    _cache.store("face", ("v1", "a.ttf", 1), "old", slot="a.ttf")
    _cache.store("face", ("v2", "a.ttf", 2), "new", slot="a.ttf")
    _cache.store("face", ("v2", "b.ttf", 2), "other", slot="b.ttf")
    assert len(entries(cache_dir)) == 2
    assert _cache.load("face", ("v1", "a.ttf", 1), slot="a.ttf") is None
    assert _cache.load("face", ("v2", "a.ttf", 2), slot="a.ttf") == "new"


def test_writing_leaves_no_temporary_file_and_replaces_the_entry(cache_dir):
    _cache.store("index", "key", [1])
    _cache.store("index", "key", [2])
    assert [p.name.startswith("index-") for p in entries(cache_dir)] == [True]
    assert _cache.load("index", "key") == [2]


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[: len(data) // 2],  # cut short
    lambda data: b"garbage" + data[7:],
    lambda data: data[:20] + bytes(b ^ 0xFF for b in data[20:40]) + data[40:],
])
def test_a_damaged_entry_is_passed_over_and_made_again(cache_dir, damage):
    _cache.store("index", "key", {"numbers": list(range(1000))})
    [entry] = entries(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))
    assert _cache.load("index", "key") is None
    _cache.store("index", "key", {"numbers": [1]})
    assert _cache.load("index", "key") == {"numbers": [1]}


def test_an_entry_made_for_another_key_is_not_used(cache_dir):
    _cache.store("index", "one", "first")
    [entry] = entries(cache_dir)
    _cache.store("index", "two", "second")
    other = next(p for p in entries(cache_dir) if p != entry)
    other.write_bytes(entry.read_bytes())  # the first entry under the second's name
    assert _cache.load("index", "two") is None
    assert _cache.load("index", "one") == "first"


class Planted:
    def __reduce__(self):
        return (os.system, ("echo planted > planted.txt",))


def test_an_entry_that_would_build_objects_is_refused_without_running_anything(cache_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _cache.store("index", "key", "plain")
    [entry] = entries(cache_dir)
    full_key = _cache._full_key("index", "key")
    entry.write_bytes(_cache._MAGIC + pickle.dumps((full_key, Planted())))
    assert _cache.load("index", "key") is None
    assert not (tmp_path / "planted.txt").exists()


def test_only_plain_data_is_kept(cache_dir):
    _cache.store("index", "key", Path("a"))
    assert entries(cache_dir) == [] and _cache.load("index", "key") is None


def test_caching_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv(_cache.ENV, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.directory() is None
    _cache.store("index", "key", 1)
    assert _cache.load("index", "key") is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG layout")
def test_the_default_place_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.directory() == tmp_path / "xdg" / "docconv"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache.directory() == tmp_path / ".cache" / "docconv"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind this user")
def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv(_cache.ENV, str(locked / "cache"))
    _cache.store("index", "key", 1)
    assert _cache.load("index", "key") is None


def test_a_cache_path_that_is_a_file_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(_cache.ENV, str(blocker / "cache"))
    _cache.store("index", "key", 1)
    assert _cache.load("index", "key") is None


def test_numbers_pack_and_unpack():
    packed = _cache.pack_numbers([0, -5, 2**40, 7])
    assert list(_cache.unpack_numbers(packed)) == [0, -5, 2**40, 7]
    assert _cache.pack_numbers([1, 2.5]) is None and _cache.pack_numbers([2**70]) is None
    with pytest.raises(ValueError):
        _cache.unpack_numbers(b"\0" * 7)


# ------------------------------------------------------------ whole runs

def convert(target: str, out: Path, cache: str) -> bytes:
    env = {**os.environ, _cache.ENV: cache}
    subprocess.run([sys.executable, "-m", "convert", "convert", str(SEED), "-t", target, "-o", str(out), "-q"],
                   check=True, env=env, cwd=ROOT, timeout=300)
    return out.read_bytes()


@pytest.mark.parametrize("target", ["pdf", "epub:hans"])
def test_a_run_from_the_cache_writes_the_same_bytes(tmp_path, target):
    """Cold (entries made), warm (entries read), damaged (entries made
    again) and without a cache: one output."""
    cache = tmp_path / "cache"
    suffix = target.split(":")[0]
    cold = convert(target, tmp_path / f"cold.{suffix}", str(cache))
    made = {p.name: p.read_bytes() for p in entries(cache)}
    assert made, "the run kept nothing"
    warm = convert(target, tmp_path / f"warm.{suffix}", str(cache))
    assert {p.name: p.read_bytes() for p in entries(cache)} == made  # read, not made again
    for entry in entries(cache):
        entry.write_bytes(entry.read_bytes()[:100])
    damaged = convert(target, tmp_path / f"damaged.{suffix}", str(cache))
    assert {p.name: p.read_bytes() for p in entries(cache)} == made  # made again, whole
    off = convert(target, tmp_path / f"off.{suffix}", "off")
    assert cold == warm == damaged == off


# ------------------------------------------------------------ the writers' flags

def test_the_writers_flags_from_the_cache_are_those_the_writers_declare(cache_dir, tmp_path, monkeypatch):
    from convert import command, registry

    names = registry.writer_names()
    asked = {fmt: command.flags_of(fmt) for fmt in names}
    assert any(asked.values())
    assert command.builtin_flags(names) == asked  # asked, and kept
    [entry] = entries(cache_dir)
    made = entry.read_bytes()
    monkeypatch.setattr(command, "flags_of", lambda fmt: pytest.fail("asked again"))
    assert command.builtin_flags(names) == asked  # from the cache
    entry.write_bytes(made[:50])
    monkeypatch.undo()
    monkeypatch.setenv(_cache.ENV, str(cache_dir))
    assert command.builtin_flags(names) == asked  # a damaged entry is made again
    assert entry.read_bytes() == made


def test_an_edited_writer_source_is_asked_again(cache_dir, tmp_path, monkeypatch):
    from convert import command, registry

    names = registry.writer_names()
    command.builtin_flags(names)
    package = tmp_path / "convert"
    (package / "writers" / "pdf").mkdir(parents=True)
    (package / "writers" / "pdf" / "options.py").write_text("# edited\n")
    real_stamp = command.sources_stamp
    monkeypatch.setattr(command, "sources_stamp", lambda folder: real_stamp(package))
    asked = []
    real_flags_of = command.flags_of
    monkeypatch.setattr(command, "flags_of", lambda fmt: asked.append(fmt) or real_flags_of(fmt))
    command.builtin_flags(names)
    assert asked == sorted(names)
    (package / "writers" / "pdf" / "options.py").write_text("# edited again, longer\n")
    asked.clear()
    command.builtin_flags(names)
    assert asked == sorted(names)
    assert len(entries(cache_dir)) == 1  # each new key replaced the entry


# ------------------------------------------------------------ vertical layout

def convert_vertical(target: str, out: Path, cache: str) -> bytes:
    env = {**os.environ, _cache.ENV: cache}
    subprocess.run([sys.executable, "-m", "convert", "convert", str(SEED), "-t", target, "--layout", "vertical",
                    "-o", str(out), "-q"], check=True, env=env, cwd=ROOT, timeout=300)
    return out.read_bytes()


@pytest.mark.parametrize("target, kind", [("pdf:tw", "pdf-vertical-forms"), ("epub:hans", "subset-vertical")])
def test_a_vertical_run_from_the_cache_writes_the_same_bytes(tmp_path, target, kind):
    """The derived vertical faces (PDF) and the faces' vertical tables
    (EPUB) are kept too; cold, warm, damaged and off give one output."""
    cache = tmp_path / "cache"
    suffix = target.split(":")[0]
    cold = convert_vertical(target, tmp_path / f"cold.{suffix}", str(cache))
    made = {p.name: p.read_bytes() for p in entries(cache)}
    assert any(name.startswith(f"{kind}-") for name in made), sorted(made)
    warm = convert_vertical(target, tmp_path / f"warm.{suffix}", str(cache))
    assert {p.name: p.read_bytes() for p in entries(cache)} == made  # read, not made again
    for entry in entries(cache):
        if entry.name.startswith(f"{kind}-"):
            entry.write_bytes(entry.read_bytes()[:100])
    damaged = convert_vertical(target, tmp_path / f"damaged.{suffix}", str(cache))
    assert {p.name: p.read_bytes() for p in entries(cache)} == made  # made again, whole
    off = convert_vertical(target, tmp_path / f"off.{suffix}", "off")
    assert cold == warm == damaged == off


def test_a_vertical_entry_of_another_shape_is_made_again(cache_dir):
    from convert.writers import _vertical_subset
    from convert.writers._fonts import face_file_key, file_version, font_data

    real, stamp = file_version(ROOT / "fonts" / "NotoSerifCJKtc-Regular.ttf")
    made = _vertical_subset._kept(real, stamp)
    assert made is not None and made.forms["vert"]
    [entry] = [p for p in entries(cache_dir) if p.name.startswith("subset-vertical-")]
    right = entry.read_bytes()
    assert _vertical_subset._kept(real, stamp) == made  # from the entry
    _cache.store("subset-vertical", face_file_key(real, stamp, font_data(real)), {"vertical": True, "vhea": b""}, real)
    assert _vertical_subset._kept(real, stamp) == made  # read again from the face
    assert entry.read_bytes() == right


# ------------------------------------------------------------ compiled patterns

def _every_lazy_pattern():
    import pkgutil
    from importlib import import_module

    import convert
    from convert._lazy_re import LazyPattern

    found = {}
    for info in pkgutil.walk_packages(convert.__path__, "convert."):
        if info.name.endswith(("__main__", ".distributed")):
            continue  # runs the command line; needs the optional Dask
        module = import_module(info.name)
        for name, value in vars(module).items():
            values = value if isinstance(value, tuple | list) else value.values() if isinstance(value, dict) \
                else (value,)
            for item in values:
                if isinstance(item, LazyPattern):
                    found[(item.pattern, item._flags)] = f"{info.name}.{name}"
    return found


def test_every_lazy_pattern_made_from_its_kept_code_is_the_pattern_re_compiles():
    import _sre
    import re

    from convert import _lazy_re

    patterns = _every_lazy_pattern()
    assert len(patterns) > 100
    for (pattern, flags), where in patterns.items():
        kept = pickle.loads(pickle.dumps(_lazy_re._engine_arguments(pattern, flags)))  # as the cache gives it
        # Patterns are equal when their text, flags and engine code are.
        made, expected = _sre.compile(pattern, *kept), re.compile(pattern, flags)
        assert made == expected, where
        assert (made.groups, made.groupindex) == (expected.groups, expected.groupindex), where


def test_compiled_patterns_are_kept_for_the_next_run_and_a_bad_entry_is_made_again(cache_dir, monkeypatch):
    import re

    from convert import _lazy_re

    def fresh_process():
        monkeypatch.setattr(_lazy_re, "_kept", None)
        monkeypatch.setattr(_lazy_re, "_made", {})

    samples = [(r"(?P<y>\d{4})年(?P<m>\d{1,2})月", 0), (r"[\u4e00-\u9fff]+", re.I), (r"^来源[:：]", re.M)]
    fresh_process()
    for pattern, flags in samples:
        assert _lazy_re.compile_pattern(pattern, flags) == re.compile(pattern, flags)
    _lazy_re.save_compiled()
    [entry] = entries(cache_dir)
    fresh_process()
    real = _lazy_re._engine_arguments
    monkeypatch.setattr(_lazy_re, "_engine_arguments", lambda *a: pytest.fail("compiled again"))
    for pattern, flags in samples:
        assert _lazy_re.compile_pattern(pattern, flags) == re.compile(pattern, flags)
    assert not _lazy_re._made  # nothing new to keep
    monkeypatch.setattr(_lazy_re, "_engine_arguments", real)
    entry.write_bytes(entry.read_bytes()[:100])  # damaged: compiled again, and kept again
    fresh_process()
    assert _lazy_re.compile_pattern(*samples[0]) == re.compile(*samples[0])
    _lazy_re.save_compiled()
    fresh_process()
    assert set(_lazy_re._load()) == {samples[0]}


def test_code_the_engine_refuses_is_compiled_again(cache_dir, monkeypatch):
    import re

    from convert import _lazy_re

    pattern = r"(\d+)-(\d+)"
    arguments = (32, [999, 1, 2], 1, {}, (None, None))
    monkeypatch.setattr(_lazy_re, "_kept", {(pattern, 0): (*arguments, _lazy_re._check(pattern, arguments))})
    monkeypatch.setattr(_lazy_re, "_made", {})
    assert _lazy_re.compile_pattern(pattern) == re.compile(pattern)


def test_kept_code_damaged_in_any_number_is_never_run(cache_dir, monkeypatch):
    # The engine checks code only in part: one number changed can crash it.
    # Each entry's check catches the change, so the pattern is compiled again.
    import re

    from convert import _lazy_re

    pattern = r"(?P<y>\d{4})年(?P<m>\d{1,2})月[\u4e00-\u9fff]{2,8}"
    arguments = _lazy_re._engine_arguments(pattern, 0)
    check = _lazy_re._check(pattern, arguments)
    final_flags, code, groups, groupindex, indexgroup = arguments
    for at in range(len(code)):
        damaged = [*code[:at], code[at] ^ 1, *code[at + 1:]]
        monkeypatch.setattr(_lazy_re, "_kept", {(pattern, 0): (final_flags, damaged, groups, groupindex,
                                                                indexgroup, check)})
        monkeypatch.setattr(_lazy_re, "_engine_arguments", lambda *a: arguments)
        assert _lazy_re.compile_pattern(pattern) == re.compile(pattern), at


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_kept_code_is_read_only_from_a_cache_no_one_else_can_write(cache_dir, monkeypatch):
    import re

    from convert import _lazy_re

    pattern = r"来源[:：](\S+)"
    monkeypatch.setattr(_lazy_re, "_kept", None)
    monkeypatch.setattr(_lazy_re, "_made", {})
    _lazy_re.compile_pattern(pattern)
    _lazy_re.save_compiled()
    assert (pattern, 0) in _lazy_re._load()
    [entry] = entries(cache_dir)
    for path, mode in ((entry, 0o620), (entry, 0o602), (cache_dir, 0o775), (cache_dir, 0o757)):
        original = path.stat().st_mode & 0o777
        path.chmod(mode)
        try:
            assert _lazy_re._load() == {}, (path.name, oct(mode))
        finally:
            path.chmod(original)
    assert (pattern, 0) in _lazy_re._load()
    monkeypatch.setattr(_lazy_re, "_kept", None)
    assert _lazy_re.compile_pattern(pattern) == re.compile(pattern)


def test_a_conversion_keeps_its_patterns_and_the_next_reads_them(cache_dir, tmp_path):
    env = {**os.environ, _cache.ENV: str(cache_dir)}
    outputs = []
    for n in range(2):
        out = tmp_path / f"{n}.txt"
        r = subprocess.run([sys.executable, "-m", "convert", "convert", str(SEED), "-o", str(out)], env=env,
                           capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr
        outputs.append(out.read_bytes())
        kept = [p for p in entries(cache_dir) if p.name.startswith("regex-code-")]
        assert len(kept) == 1
        if n == 0:
            made = kept[0].read_bytes()
    assert kept[0].read_bytes() == made  # the second run had nothing to add
    assert outputs[0] == outputs[1]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_the_cache_folder_is_the_user_s_alone_whatever_the_umask(cache_dir):
    """With umask 002 (many systems' default) a folder made as usual is
    group-writable, and private entries in it would never be read."""
    old = os.umask(0o002)
    try:
        _cache.store("private-kind", "key", {"a": 1}, private=True)
    finally:
        os.umask(old)
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert _cache.load("private-kind", "key", private=True) == {"a": 1}


def test_no_home_is_no_cache(monkeypatch):
    monkeypatch.delenv(_cache.ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    if sys.platform != "win32":
        assert _cache.directory() is None
    assert _cache.load("kind", "key") is None
    _cache.store("kind", "key", 1)  # passed over, not raised
