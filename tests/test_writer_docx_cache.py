"""The DOCX template kept in the per-user cache: a run that finds it writes
the same bytes as one that makes it, without python-docx; a damaged or
stale entry, or a reference document changed since, is made again.

Each write runs in a process of its own, as each conversion on the command
line does: within one process the template is made once anyway."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from _corpus import SEED

from convert import _cache

ROOT = Path(__file__).resolve().parents[1]

WRITE = """\
import sys
import convert
from convert.writers.docx import DocxOptions, DocxWriter

out, reference, layout = sys.argv[1:]
doc = convert.read({seed!r})
with open(out, "wb") as f:
    DocxWriter().write(doc, f, DocxOptions(reference_docx=reference or None, layout=layout))
print("docx" in sys.modules)
"""


def write(tmp_path: Path, cache: str | Path, reference: Path | None = None,
          layout: str = "horizontal") -> tuple[bytes, bool]:
    """The DOCX of the seed written in a fresh process with ``cache`` as the
    cache directory, and whether that process imported python-docx."""
    out = tmp_path / "out.docx"
    env = {**os.environ, _cache.ENV: str(cache), "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", WRITE.format(seed=str(SEED)), str(out),
                          str(reference or ""), layout], env=env, capture_output=True, text=True, check=True)
    return out.read_bytes(), run.stdout.strip() == "True"


def entries(where: Path) -> list[Path]:
    return sorted(where.glob("docx-template-*")) if where.exists() else []


@pytest.mark.parametrize("layout", ["horizontal", "vertical"])
def test_cold_warm_damaged_and_uncached_runs_write_the_same_bytes(tmp_path, layout):
    cache = tmp_path / "cache"
    uncached, imported = write(tmp_path, "off", layout=layout)
    assert imported and not cache.exists()
    cold, imported = write(tmp_path, cache, layout=layout)
    assert imported and cold == uncached
    [entry] = entries(cache)
    warm, imported = write(tmp_path, cache, layout=layout)
    assert warm == uncached
    assert not imported, "the template came from the cache: python-docx is not needed"
    # A damaged entry is made again, and replaced.
    for damage in (lambda data: data[: len(data) // 2], lambda data: b"garbage" + data[7:]):
        entry.write_bytes(damage(entry.read_bytes()))
        again, imported = write(tmp_path, cache, layout=layout)
        assert imported and again == uncached
        assert write(tmp_path, cache, layout=layout) == (uncached, False)


def test_an_entry_of_another_shape_is_made_again(tmp_path):
    """An entry that unpickles to the right key but not to a whole template
    (a part it names is missing) is passed over, never half used."""
    cache = tmp_path / "cache"
    uncached, _ = write(tmp_path, "off")
    write(tmp_path, cache)
    [entry] = entries(cache)
    magic = b"docconv-cache\n"
    key, value = pickle.loads(entry.read_bytes()[len(magic):])
    del value["entries"][value["document"]]
    entry.write_bytes(magic + pickle.dumps((key, value)))
    assert write(tmp_path, cache) == (uncached, True)
    assert write(tmp_path, cache) == (uncached, False)


def make_reference(path: Path, body_pt: int) -> None:
    ref = docx.Document()
    ref.styles["Body Text"].font.size = docx.shared.Pt(body_pt)
    ref.sections[0].header.paragraphs[0].text = "本社内部稿件"
    ref.save(str(path))


def body_text_size(data: bytes):
    return docx.Document(io.BytesIO(data)).styles["Body Text"].font.size


def test_a_reference_document_changed_since_is_never_served_from_its_old_entry(tmp_path):
    cache = tmp_path / "cache"
    reference = tmp_path / "reference.docx"
    make_reference(reference, 15)
    first, _ = write(tmp_path, cache, reference)
    assert body_text_size(first) == docx.shared.Pt(15)
    assert write(tmp_path, cache, reference) == (first, False)
    # Rewritten with another size, and given back its old modification time:
    # the entry is keyed by what the file holds, not by its time.
    stat = reference.stat()
    make_reference(reference, 16)
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed, imported = write(tmp_path, cache, reference)
    assert imported and body_text_size(changed) == docx.shared.Pt(16)
    assert changed == write(tmp_path, "off", reference)[0]
    assert write(tmp_path, cache, reference) == (changed, False)
    assert len(entries(cache)) == 1, "the new template replaces the old one's entry"


def test_a_reference_document_keeps_its_warnings_from_the_cache(tmp_path):
    """What the reference lacks is said on every run, the cached ones too."""
    cache = tmp_path / "cache"
    reference = tmp_path / "reference.docx"
    make_reference(reference, 15)
    script = ("import io, sys, convert\n"
              "from convert.writers.docx import DocxOptions, DocxWriter\n"
              f"doc = convert.read({str(SEED)!r})\n"
              f"print(DocxWriter().write(doc, io.BytesIO(), DocxOptions(reference_docx={str(reference)!r})))\n"
              "print('docx' in sys.modules)\n")
    env = {**os.environ, _cache.ENV: str(cache), "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                           check=True).stdout.rsplit("\n", 2)[:2] for _ in range(2)]
    (said, made), (said_again, made_again) = runs
    assert (made, made_again) == ("True", "False"), "the second run's template came from the cache"
    assert said == said_again and "News Point" in said and str(reference) in said
