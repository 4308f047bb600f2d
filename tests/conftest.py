from __future__ import annotations

from pathlib import Path

import pytest

# CORPUS_FILES and ROOT are not used here: the writer tests still import them
# by way of conftest, until they import _corpus as the other tests do.
from _corpus import CORPUS_FILES, ROOT, SEED  # noqa: F401


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_doc():
    from convert.readers.news import read_news_file

    return read_news_file(SEED)
