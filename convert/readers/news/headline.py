"""The headline of a page dump: the start of the page title that the page
shows again, the occurrence with a date and prose after it winning; where
the page title names only the site, the title-like line above the prose."""

from __future__ import annotations

import re

from .body import body_span
from .dates import find_dates
from .flat import DATELINE_LABEL_END
from .lines import (
    CJK,
    POSTER_FIELD,
    SENTENCE_MARKS,
    SUBJECT_FIELD,
    TITLE_FIELD,
    TITLE_SEPARATOR,
    density_score,
    find_crumbs,
    is_caption_line,
    is_field_line,
    is_interface_text,
)
from .patterns import DOCUMENT_NUMBER, REPORTERS_CREDIT, SPACE
from .units import Unit, strip_space


def title_candidates(first: str) -> list[str]:
    """Starts of a page title that can be the headline, longest first: the
    whole line, then the line cut at each separator."""
    out = [first]
    for m in TITLE_SEPARATOR.finditer(first):
        if m.start() >= 4:
            out.append(first[: m.start()])
    return sorted({strip_space(c) for c in out if len(strip_space(c)) >= 4}, key=len, reverse=True)

def site_from_title(first: str, title: str, flattened: bool = False) -> str | None:
    rest = first[len(title):] if first.startswith(title) else ""
    if flattened:  # the page title ends where the first menu starts: after its last separated part
        m = re.match(r"(?:\s*(?:[_|｜]|--|－|—|::|-)\s*[^\s_|｜]+(?:\s(?=[A-Z0-9.]+(?:\s|$))[A-Z0-9.]+)?)+", rest)
        rest = m.group(0) if m else ""
    parts = [p for p in TITLE_SEPARATOR.split(rest) if strip_space(p)]
    return strip_space(parts[-1]).strip(":： ") or None if parts else None

def article_evidence(units: list[Unit], i: int) -> float:
    """How much the text after line ``i`` looks like an article's start: a
    date close after it, then prose."""
    score = 0.0
    window = units[i + 1: i + 12]
    for k, u in enumerate(window[:8]):
        if find_dates(u.text):
            score += 3 - k * 0.2
            break
    score += sum(max(0.0, density_score(u.text)) for u in window) / 100
    return score

def title_field(units: list[Unit], i: int) -> str | None:
    """The title a field names on line ``i`` (标题：…, or a post's 主题：… over
    its poster's field), or None."""
    m = TITLE_FIELD.match(units[i].text)
    if m is None and i + 1 < len(units) and POSTER_FIELD.match(units[i + 1].text):
        m = SUBJECT_FIELD.match(units[i].text)
    return strip_space(m["title"]) if m else None


def find_headline(units: list[Unit]) -> tuple[int, str] | None:
    """The line where the page shows its own title again, and that title."""
    first = units[0].text
    for u_index in range(min(len(units), 60)):
        if title := title_field(units, u_index):  # a forum post's header names it
            return u_index, title
    found: list[tuple[float, int, str]] = []
    for candidate in title_candidates(first):
        for i, u in enumerate(units):
            if i == 0 or (i <= 3 and u.text == first):  # the page title given twice (og:title)
                continue
            if u.text == candidate or (u.text.startswith(candidate) and len(candidate) >= 8
                                       and u.text[len(candidate):len(candidate) + 1] in SPACE):
                found.append((article_evidence(units, i), i, candidate))
            elif (len(u.text) >= 8 and candidate.startswith(u.text) and i + 1 < len(units)
                  and re.sub(r"\s", "", u.text + units[i + 1].text) == re.sub(r"\s", "", candidate)):
                # a headline set on two lines, one in the page title
                found.append((article_evidence(units, i + 1), i + 1, candidate))
    if not found:
        return None
    # The article may repeat its headline as its first heading: an occurrence
    # inside the article that an earlier occurrence opens is not the headline.
    inside: set[int] = set()
    for evidence, i, _ in sorted(found, key=lambda f: f[1]):
        if i in inside or evidence < 1.0:
            continue
        b0, b1 = body_span(units, i + 1)
        if b0 - i <= 12:
            inside.update(range(b0, b1))
    found = [f for f in found if f[1] not in inside] or found
    _, index, title = best_headline(found)
    return index, title

def find_flat_headline(page: str) -> tuple[int, int, str] | None:
    """In a flattened page: the longest start of the page, ending between
    words, that recurs later between words (start, end of the recurrence)."""
    head = page[:200]
    ends = sorted({m.start() for m in re.finditer(" ", head)} | {m.start() for m in TITLE_SEPARATOR.finditer(head)}
                  | {len(head)})
    found: list[tuple[float, int, str, int]] = []  # (evidence, start, the headline, end)
    # Every candidate starts as the page does: only where the page's first
    # characters recur after a space can one of them recur.
    opening = page[:2]
    spots = [k + 1 for k in range(len(page) - 2) if page[k] == " " and page.startswith(opening, k + 1)
             and not shown_twice(page, k + 1)]
    # A candidate's pattern can only match where the page goes on as the
    # candidate does once whitespace and dashes are left out of both (see
    # loose_core): most candidates need no pattern compiled (one cost about
    # 1 ms, and a page has some forty candidates).
    cores = [loose_core(page[spot:spot + CORE_WINDOW]) for spot in spots]
    for end in ends:
        candidate = page[:end].strip()
        if len(candidate) < 4:
            continue
        core = loose_core(candidate)
        near = [spot for spot, shown in zip(spots, cores, strict=True)
                if shown.startswith(core) or len(shown) < len(core)]  # a window too short to tell
        if not near:
            continue
        pattern = re.compile(loose_pattern(candidate) + r"(?= |$)")
        for m in filter(None, (pattern.match(page, spot) for spot in near)):
            # The page's own dashes, but not the spaces its lines were joined with.
            shown = candidate if re.sub(r"\s", "", m.group(0)) == re.sub(r"\s", "", candidate) else m.group(0)
            found.append((flat_evidence(page, m.end()), m.start(), shown, m.end()))
    if not found:  # no start of the page title shown again: perhaps its end
        found = site_first_headline(page)
    if not found:
        return None
    best = max((f for f in found if f[0] >= max(f[0] for f in found) - 0.5), key=lambda f: (len(f[2]), f[0]))
    return best[1], best[3], best[2]

def site_first_headline(page: str) -> list[tuple[float, int, str, int]]:
    """Where the page title, given twice at the top, names the site first
    (多维博客 » 播客热潮迅速蔓延): its last part, shown again further down."""
    twice = next((k + 1 for k in range(min(len(page), 200)) if page[k] == " " and shown_twice(page, k + 1)), None)
    if twice is None:
        return []
    title = page[:twice].strip(SPACE + "\ufeff")
    separators = list(TITLE_SEPARATOR.finditer(title))
    if not separators:
        return []
    last = strip_space(title[separators[-1].end():])
    if len(last) < 4:
        return []
    pattern = re.compile(r"(?<= )" + loose_pattern(last) + r"(?= |$)")
    return [(flat_evidence(page, m.end()), m.start(), last, m.end())
            for m in pattern.finditer(page, twice + len(title))]

def shown_twice(page: str, spot: int) -> bool:
    """The page starts with its title given twice (the title tag, then the
    same title for sharing): the second copy, right after the first, is not
    the article showing its headline."""
    before = page[:spot].strip(SPACE + "\ufeff")
    return len(before) >= 4 and page.startswith(before, spot)

DASHES = "-—－–"
_WITHOUT_DASHES = dict.fromkeys(map(ord, DASHES))
_DASH_RUNS = "|".join(f"{re.escape(dash)}+" for dash in DASHES)  # a run of one kind of dash
# How much of the page after a spot is compared with a candidate's core (a
# candidate comes from the page's first 200 characters).
CORE_WINDOW = 1000


def loose_core(text: str) -> str:
    """``text`` without whitespace (``\\s``, which is ``str.isspace``) and
    the dashes: what a match of ``loose_pattern(title)`` is, left so, is
    exactly ``loose_core(title)``, as the pattern lets only whitespace and
    dashes stand between the title's other characters."""
    return "".join(text.split()).translate(_WITHOUT_DASHES)


def loose_pattern(title: str) -> str:
    """A pattern for ``title`` as a page may show it again: a page title's
    hyphen is the headline's dash (——), its spaces any spaces, and a space
    may stand between two of its Chinese characters where the page set the
    headline on two lines."""
    parts = re.split(rf"(\s+|{_DASH_RUNS})", title)
    out = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif set(part) <= set(DASHES):
            out.append(rf"\s*(?:{_DASH_RUNS})\s*")
        else:
            out.append(r"\s?".join(re.escape(c) for c in part) if len(part) <= 80 else re.escape(part))
    return "".join(out)

def flat_runner_up(page: str, spot: int, title: str) -> str | None:
    """What came second to the chosen headline: another start of the page
    title shown elsewhere, or the same title shown at another place."""
    others = []
    for m in re.finditer(re.escape(" " + title + " "), page + " "):
        if m.start() + 1 != spot:
            others.append(f"the same title at character {m.start() + 1}")
    return others[0] if others else None

def best_headline(found: list[tuple[float, int, str]]) -> tuple[float, int, str]:
    """Where the article's own headline most likely is: the occurrence with
    the strongest signs of an article after it (a page repeating its title
    in the footer shows none); among near equals, the longest title."""
    strongest = max(e for e, _, _ in found)
    return max((f for f in found if f[0] >= strongest - 0.5), key=lambda f: (len(f[2]), f[0]))

def flat_evidence(page: str, at: int) -> float:
    after = page[at: at + 400]
    dates = find_dates(after[:150])
    score = 3.0 if dates else 0.0
    score += len(SENTENCE_MARKS.findall(after)) / 20
    return score

def looks_like_dump(units: list[Unit]) -> bool:
    """Menus and link lists: many lines, most of them a few words."""
    short = sum(1 for u in units if len(u.text) <= 10)
    return len(units) >= 20 and short * 4 >= len(units)

def flat_headline_run(units: list[Unit], i: int) -> tuple[int, int]:
    """The pieces a flattened headline was cut into at its own spaces (美國擴
    「潔淨網絡」 中國不可信程式須下架 騰訊 阿里被點名), around piece ``i``:
    title-like phrases after it up to the date line, and longer than a menu's
    words before it."""
    def phrase(text: str) -> bool:
        return (2 <= len(text) <= 40 and not SENTENCE_MARKS.search(text) and not is_interface_text(text)
                and not is_field_line(text) and not find_dates(text) and not DATELINE_LABEL_END.search(text)
                and not find_crumbs([Unit(text, 0)], False))

    end = i + 1
    while end < len(units) and end - i <= 3 and phrase(units[end].text):
        end += 1
    if end == len(units) or not (find_dates(units[end].text) or DATELINE_LABEL_END.search(units[end].text)):
        end = i + 1  # the phrases after it do not lead to the date line: not the headline's
    start = i
    while start > 0 and i - start < 3 and len(units[start - 1].text) >= 5 and phrase(units[start - 1].text):
        start -= 1
    if sum(len(u.text) + 1 for u in units[start:end]) > 65:
        return i, i + 1
    return start, end

def headline_above_body(units: list[Unit]) -> int | None:
    """The line most like a headline among the dozen above the densest
    block of prose: a title's length, no sentence, close above a date."""
    b0, b1 = body_span(units, 1)
    if b1 - b0 < 1 or b0 <= 3:  # prose from the top: a tidy article, its first line the title
        return None
    page_title = units[0].text
    best, best_score = None, 0.0
    for i in range(max(1, b0 - 12), b0 + 1):
        text = units[i].text
        # A headline of a Chinese page has Chinese words (not 'size="20"', debris of broken markup).
        if not (6 <= len(text) <= 64) or text[-1] in "。，；：:,;" or len(CJK.findall(text)) < 2 \
                or is_interface_text(text) or find_dates(text) \
                or is_field_line(text) or find_crumbs([units[i]], False) or is_caption_line(text) \
                or DOCUMENT_NUMBER.match(text) or REPORTERS_CREDIT.match(text):
            continue
        score = 1.0 + min(len(text), 30) / 30
        if any(find_dates(u.text) for u in units[i + 1: i + 4]):
            score += 2
        if len(set(text) & set(page_title)) >= 4:
            score += 1
        score -= (b0 - i) * 0.1
        if score > best_score:
            best, best_score = i, score
    return best
