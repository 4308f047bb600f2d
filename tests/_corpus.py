"""Where the test data lives and how the tests walk it: the seed, the
annotated corpus and the other sites' pages, and copies of the seed for the
batch tests.  A plain module, imported by name (``from _corpus import
SEED``), so that conftest.py holds only fixtures."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
# The writer and transform tests run over the first ten pages (tidy articles
# and the first flattened pages); the reader's tests over every page.
FIRST_PAGES = 10
CORPUS_FILES = sorted(p for p in CORPUS.glob("*.txt") if int(p.name[:3]) <= FIRST_PAGES)


UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
HOLDOUT = ROOT / "tests" / "fixtures" / "holdout"
FINAL = ROOT / "tests" / "fixtures" / "final"
FRESH = ROOT / "tests" / "fixtures" / "fresh"
SIXTH = ROOT / "tests" / "fixtures" / "sixth"


def corpus_cases(every_page: bool = False, folder: Path = CORPUS) -> list[tuple[Path, dict]]:
    return [(p.with_name(p.name.replace(".expected.json", ".txt")), json.loads(p.read_text("utf-8")))
            for p in sorted(folder.glob("*.expected.json")) if every_page or int(p.name[:3]) <= FIRST_PAGES]


def seed_copies(tmp_path: Path, seed_path: Path, count: int = 4) -> Path:
    """A folder ``in`` of ``count`` copies of the seed, each a different text
    (its byline changed), named a000.txt, a001.txt, ..."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = seed_path.read_text("utf-8")
    for i in range(count):
        (folder / f"a{i:03d}.txt").write_text(text.replace("姚彤", f"記者{i}"), "utf-8")
    return folder


FIXTURES = ROOT / "tests" / "fixtures"
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|n|t|\\)")


def table_cases(name: str) -> list[tuple[str, dict[str, str], str, str]]:
    """The cases of ``tests/fixtures/<name>``: one a line, input, options and
    expected separated by tabs (``#`` starts a comment line).  Options are
    ``key=value`` pairs separated by commas, ``-`` for none.  ``\\uXXXX``,
    ``\\n``, ``\\t`` and ``\\\\`` stand for their characters, so that spaces
    and marks that look alike stay readable.  Each case comes with an id
    naming its line: ``quotes.tsv:12``."""
    cases = []
    path = FIXTURES / name
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 3:
            raise ValueError(f"{name}:{number}: {len(columns)} columns, not 3 (input, options, expected)")
        text, options, expected = columns
        pairs = dict(option.split("=", 1) for option in options.split(",")) if options != "-" else {}
        cases.append((_unescape(text), pairs, _unescape(expected), f"{name}:{number}"))
    return cases


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return {"n": "\n", "t": "\t", "\\": "\\"}.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(one, text)
