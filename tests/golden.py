"""The whole model of every corpus page, kept as a golden file beside it.

    make golden        # or: python tests/golden.py

writes ``tests/fixtures/corpus/<page>.model.json`` for each text page and
``tests/fixtures/corpus/html/<page>.model.json`` for each saved HTML page:
exactly what ``docconv convert <page> -t json -o -`` prints when run from the
repository's top (so ``input_path`` is the page's path from there), the
document every writer is given.  Like pandoc's ``.native`` files, they make
any change to what the reader finds or the transforms do show as a diff:
``tests/test_golden.py`` compares them with what the code makes now, and after
a change meant to alter them, this script rewrites them for review with
``git diff``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _corpus import CORPUS, ROOT


def pages() -> list[Path]:
    """Every corpus page, as a path from the repository's top."""
    found = sorted(CORPUS.glob("*.txt")) + sorted((CORPUS / "html").glob("*.html"))
    return [p.relative_to(ROOT) for p in found]


def golden_path(page: Path) -> Path:
    return ROOT / page.with_name(page.stem + ".model.json")


def model_json(page: Path) -> str:
    """The page's document as the JSON writer writes it, with the default options."""
    from convert import api, registry

    with _at_the_top():
        prepared = api.prepare(api.read(page))
    writer = registry.get_writer("json")
    out = io.BytesIO()
    writer.write(prepared, out, writer.Options())
    return out.getvalue().decode("utf-8")


@contextmanager
def _at_the_top() -> Iterator[None]:
    # The document records the path it was read from; read from the top of
    # the repository, it is the same wherever the repository is.
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    changed = 0
    for page in pages():
        path, text = golden_path(page), model_json(page)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            changed += 1
            print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(pages())} pages, {changed} golden file(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
