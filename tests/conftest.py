from __future__ import annotations

from pathlib import Path

import pytest
from _corpus import SEED


@pytest.fixture(scope="session", autouse=True)
def _a_cache_of_their_own(tmp_path_factory):
    """The tests keep a per-user cache of their own (every docconv they run
    inherits it): what a developer's runs kept is neither read nor changed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCCONV_CACHE_DIR", str(tmp_path_factory.mktemp("docconv-cache")))
        yield
        from convert import _kept_code, _lazy_re

        # Now, not at exit into the developer's cache.
        _lazy_re.save_compiled()
        _kept_code.save_made()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_doc():
    from convert.readers.news import read_news_file

    return read_news_file(SEED)
