"""Why each metadata field the news reader found holds its value (what
``explain`` shows); imported only to explain a reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import find_dates

if TYPE_CHECKING:
    from ...model import Document
    from .units import Found


@dataclass(frozen=True)
class Evidence:
    """Why a field holds its value: the line it was read from (0 when it
    stands on no one line), the rule that chose it, and what came second."""

    field: str
    value: str
    line: int
    rule: str
    runner_up: str | None = None


def evidence(doc: Document, found: Found, text: str) -> tuple[Evidence, ...]:
    """For each metadata field ``doc`` holds, the line, the rule and the runner-up."""
    lines = text.split("\n")
    title_line = found.reasons.get("title", ("", None, 0))[2]
    # Fields are looked for from the headline on, then anywhere.
    order = [*range(max(title_line, 1), len(lines) + 1), *range(1, max(title_line, 1))]

    def line_of(value: str) -> int:
        return next((n for n in order if value and value in lines[n - 1]), 0)

    def line_of_date(value: str) -> int:
        return next((n for n in order if any(d.value[:16] == value[:16] for d in find_dates(lines[n - 1]))), 0)

    m = doc.meta
    values = {"title": m.title, "published": m.published, "source": m.source, "byline": m.byline,
              "editors": "、".join(m.editors) or None, "channel": m.breadcrumb or m.channel}
    out = []
    for name, value in values.items():
        if not value:
            continue
        rule, runner_up, line = found.reasons.get(name, ("", None, 0))
        if not line:
            line = line_of_date(value) if name == "published" else line_of(m.editors[0] if name == "editors" else value)
        out.append(Evidence(name, value, line, rule or "read from the text", runner_up))
    return tuple(out)
