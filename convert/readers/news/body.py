"""The article's body in a page dump: the densest block of prose after the
headline (the line-block method), ended by what closes an article."""

from __future__ import annotations

from .lines import (
    ARTICLE_END,
    AUTHOR_FIELD,
    BOX_BULLETS,
    CLOSING_KINDS,
    CREDIT_LINE,
    EDITOR_FIELD,
    REPLY_HEADER,
    density_score,
    is_stop,
    opens_article,
)
from .patterns import REPORTER_LINE, SHORT_LINE_MAX, furniture_kind
from .units import Unit


def closes_body(text: str) -> bool:
    """What follows an article's prose and ends it: a related or comments
    heading, a boxed notice, a disclaimer or copyright line, a reply's
    header, a short author or editors line."""
    return bool(is_stop(text) or text[0] in BOX_BULLETS or furniture_kind(text[:80]) in CLOSING_KINDS
                or REPLY_HEADER.match(text)
                or len(text) <= 40 and (AUTHOR_FIELD.match(text) or EDITOR_FIELD.match(text)))


def body_span(units: list[Unit], start: int) -> tuple[int, int]:
    """The densest run of units from ``start`` on (Kadane's maximum
    subarray), ending before the first related/comments heading that follows
    some prose."""
    end = len(units)
    seen_prose = False
    prose_seen = 0
    scores: list[float] = []
    for i in range(start, len(units)):
        text = units[i].text
        if closes_body(text) and seen_prose:
            end = i
            break
        if seen_prose and (ARTICLE_END.search(text)
                           or len(text) <= SHORT_LINE_MAX and REPORTER_LINE.match(text) and not opens_article(text)
                           and not CREDIT_LINE.match(text) and prose_seen >= 2):
            # its end mark or its reporter's credit
            scores.append(density_score(text))
            end = i + 1
            break
        scores.append(density_score(units[i].text))
        if scores[-1] >= 20:
            seen_prose = True
            prose_seen += 1
    best, best_span = 0.0, (start, start)
    running, run_start = 0.0, start
    for i in range(start, end):
        score = scores[i - start]
        if running <= 0:
            running, run_start = score, i
        else:
            running += score
        if running > best:
            best, best_span = running, (run_start, i + 1)
    return best_span
