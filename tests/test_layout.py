"""--layout / layout=: one choice reaching every writer that sets pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from convert import api
from convert.errors import UsageError
from convert.writers.options import settings


def _takes_layout(fmt: str) -> bool:
    return any(s.key == "layout" for s in settings(type(api.registry.writer_options(fmt))))


PAGE_FORMATS = [f for f in ("pdf", "epub", "docx") if _takes_layout(f)]


def test_text_has_no_layout_so_vertical_text_alone_is_refused():
    with pytest.raises(UsageError, match="sets vertical text"):
        api.with_layout(None, "vertical", ["txt"])


def test_horizontal_is_always_accepted():
    assert api.with_layout(None, "horizontal", ["txt"]) == {}


def test_an_unknown_layout_is_a_usage_error():
    with pytest.raises(UsageError, match="horizontal or vertical"):
        api.with_layout(None, "sideways", ["pdf"])


@pytest.mark.parametrize("fmt", PAGE_FORMATS)
def test_vertical_reaches_each_writer_that_has_it_and_passes_text_over(fmt):
    options = api.with_layout({}, "vertical", [fmt, "txt"])
    assert options[fmt].layout == "vertical"
    assert "txt" not in options


@pytest.mark.parametrize("fmt", PAGE_FORMATS)
def test_a_writer_option_contradicting_the_layout_is_refused(fmt):
    with pytest.raises(UsageError, match="contradicts"):
        api.with_layout({fmt: {"layout": "vertical"}}, "horizontal", [fmt])
    assert api.with_layout({fmt: {"layout": "vertical"}}, "vertical", [fmt])[fmt].layout == "vertical"


def test_the_command_line_refuses_vertical_plain_text(seed_path):
    result = subprocess.run([sys.executable, "-m", "convert", "convert", str(seed_path), "-t", "txt",
                             "--layout", "vertical", "-o", "-"], capture_output=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().splitlines() == ["docconv: error: no format asked for (txt) sets vertical text"]
