"""Every corpus page's whole model against its golden file (tests/golden.py;
`make golden` rewrites them after a change meant to alter them)."""

from __future__ import annotations

import difflib

import pytest
from golden import CORPUS, ROOT, golden_path, model_json, pages

SHOWN = 60  # lines of a diff shown: enough to see what moved, short enough to read


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(CORPUS.relative_to(ROOT)).as_posix())
def test_the_model_of_each_page_is_its_golden_file(page):
    path = golden_path(page)
    expected = path.read_text("utf-8")
    actual = model_json(page)
    if actual != expected:
        diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), str(path.name), "now",
                                         lineterm="", n=2))
        more = f"\n... {len(diff) - SHOWN} more lines" if len(diff) > SHOWN else ""
        pytest.fail(f"{page} reads differently from its golden file; if that is meant, run `make golden` and "
                    f"review `git diff`:\n" + "\n".join(diff[:SHOWN]) + more, pytrace=False)
