"""Page dumps: a whole web page as a crawler saved its text, one line per
HTML block or flattened onto one line, with the article somewhere among
menus, "related" lists, comment threads and footers.

The article is found from general properties of such text, never from what
one site looks like:

* the headline: a crawler's text starts with the page's ``<title>``
  (``标题_频道_网站``, ``标题 | 网站``, ``标题 - 網站``) and the page shows
  the headline again above the article; the longest start of the first line
  that recurs later on a line (or between spaces) of its own is the
  headline, and where it recurs more than once, the occurrence with a date
  and prose close after it wins;
* the body: the block after the headline with the highest text density
  (the classic line-block method): long lines, or lines with sentence
  punctuation, count for it, short lines, link lists and interface text
  (登入, 分享, 下載APP, 上一篇) against it; a "related"/comments heading
  ends it;
* the metadata: date, source, byline and editors from the lines between
  the headline and the body (and just above the headline), then from the
  lines closing the article, by their labels and forms.

Everything that is neither metadata nor body is kept as furniture.

This module lays the page out and reads the fields; ``lines`` says what a
line is, ``flat`` cuts a flattened page back into blocks, ``headline``
finds the headline, ``body`` the article's block of prose.
"""

from __future__ import annotations

import re

from ...model import Furniture
from .body import body_span
from .dates import find_dates
from .flat import SENTENCE_END_SPACE, cut_pieces, record_page
from .header import MARKUP_DEBRIS, parse_breadcrumb, split_names
from .headline import (
    article_evidence,
    find_flat_headline,
    find_headline,
    flat_headline_run,
    flat_runner_up,
    headline_above_body,
    looks_like_dump,
    site_from_title,
    title_field,
)
from .lines import (
    ACCOUNT_FIGURES,
    AUTHOR_FIELD,
    AUTHOR_LINE_START,
    BBS_SOURCE,
    BRACKET_EDITOR,
    CATEGORY_FIELD,
    CHANNEL_NAMED,
    COMMENT_BUTTON,
    CRUMB_ROOTS,
    DATE_FIELD,
    DATE_LABEL,
    DATELINE_CREDIT,
    DESK_LEAD,
    EDITOR_FIELD,
    FIELD,
    FLAT_TITLE_FIELD,
    FOLLOW_BUTTON,
    FULL_STOP,
    HERE_STEP,
    LEAD_CREDIT,
    OUTLET_REPORTERS,
    POSTED_AT,
    POSTED_BY,
    PUBLISHED_BY,
    PUBLISHED_BY_RUNNING,
    REPORTER_LEAD,
    SENTENCE_MARKS,
    SIGNATURE,
    SOURCE_FIELD,
    SOURCE_FROM,
    TITLE_LABEL_ALONE,
    TITLE_SEPARATOR,
    WIRE_LEAD,
    clean_source,
    closes_article,
    find_crumbs,
    header_kind,
    in_page_title,
    is_caption_line,
    is_field_line,
    is_interface_text,
    is_personal_name,
    is_subheading,
    is_unmarked_caption,
    opens_article,
    ui_hits,
)
from .patterns import REPORTER_LINE, outlet
from .units import Found, Page, Unit, is_han_word, strip_space


def segment(text: str) -> Page | None:
    """Lay a page dump out as units with its headline marked, or None when
    the text is not a page dump (a tidy article goes to the news stages)."""
    from .split import split_units

    lines = [line for line in text.split("\n") if strip_space(line)]
    if not lines:
        return None
    longest = max(len(line) for line in lines)
    if len(lines) <= 5 and longest > 200:
        numbered = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if strip_space(line)]
        page = " ".join(strip_space(line) for _, line in numbered)
        found = find_flat_headline(page)
        field = FLAT_TITLE_FIELD.search(page[:3000])
        if field is not None:  # a forum post's header names it
            found = (field.start("title"), field.end("title"), field["title"])
        else:
            # As on a page with its lines: where the page title is not shown
            # again above the article (nowhere, or only below its prose: the
            # site's name in the footer), it names the site, and the headline
            # is the title-like piece just above the densest prose.
            weak = found is None or (len(SENTENCE_MARKS.findall(page[found[1]:]))
                                     < len(SENTENCE_MARKS.findall(page[: found[0]])))
            units = cut_pieces(page, 1) if weak else []
            above = headline_above_body(units) if weak and looks_like_dump(units) else None
            if above is not None:
                start, end = flat_headline_run(units, above)
                headline = " ".join(u.text for u in units[start:end])
                # A button's word the page set just before it, one space away
                # (我要说说 广汽回应…): a piece of its own, not the headline's.
                lead, _, rest = headline.partition(" ")
                if len(rest) >= 6 and (is_interface_text(lead) or COMMENT_BUTTON.match(lead)):
                    units[start:end] = [Unit(lead, 1), Unit(rest, 1)]
                    start += 1
                else:
                    units[start:end] = [Unit(headline, 1)]
                return Page(units, True, start, units[start].text, None, found[2] if found else units[0].text,
                            {"title": "the title-like piece closest above the article's prose"})
        if found is None:
            return record_page(numbered)
        start, end, title = found
        units = cut_pieces(page[:start], 1)
        headline = len(units)
        units.append(Unit(title, 1))
        units.extend(cut_pieces(page[end:], 1))
        why = (f"the 标题 field of the post's header, at character {start}" if field is not None
               else f"the page starts with it and shows it again at character {start}")
        return Page(units, True, headline, title, site_from_title(page[:300], title, True),
                    flat_runner_up(page, start, title), {"title": why})
    units = split_units(text)
    if len(units) <= 5 and any(len(SENTENCE_END_SPACE.findall(u.text)) >= 2 for u in units):
        return record_page([(u.line, u.text) for u in units])
    if len(units) < 12:
        return None
    found_line = find_headline(units)
    forum = found_line is not None and title_field(units, found_line[0]) is not None
    # A page laid out as a table of fields (a government notice's 标题 /
    # 发文字号 / 发布日期) gives the title the line after its bare label.
    labelled = found_line is not None and TITLE_LABEL_ALONE.match(units[found_line[0] - 1].text) is not None
    weak = found_line is None or not labelled and (article_evidence(units, found_line[0]) < 1.0 or (
        # the article's prose starts far below: the "headline" was the site's name on the page
        body_span(units, found_line[0] + 1)[0] - found_line[0] > 25))
    if not forum and weak and looks_like_dump(units):
        # The page title names the site or the section, not the article (成報
        # SING PAO DAILY NEWS): the headline is the title-like line just above
        # the densest block of prose.
        above = headline_above_body(units)
        if above is not None:
            runner_up = found_line[1] if found_line else units[0].text
            return Page(units, False, above, units[above].text, None, runner_up,
                        {"title": "the title-like line closest above the article's prose"})
    if found_line is None:
        return None
    index, title = found_line
    if index == 0:
        return None
    if forum or labelled:
        why = "the 标题 field of the post's header" if forum else "the line after the label 标题"
    else:
        why = f"the page title (line {units[0].line}) shown again above the article"
    runner_up = units[0].text if units[0].text != title else None
    return Page(units, False, index, title, site_from_title(units[0].text, title), runner_up, {"title": why})

def read_page(page: Page, found: Found) -> list[Unit]:
    """Fill ``found`` from the page around its headline; return the body."""
    units = page.units
    h = page.headline
    assert h is not None
    found.title = page.title
    found.site = page.site
    found.because("title", page.evidence.get("title", "the page title shown again"), page.runner_up, units[h].line)
    b0, b1 = body_span(units, h + 1)
    if b0 == b1:  # no prose after the headline at all
        b0 = b1 = h + 1
    # A short closing sentence (你期待吗？) ends the article, not the page.
    for _ in range(3):
        if b1 < len(units) and closes_article(units[b1].text):
            b1 += 1
    header = units[h + 1: b0]
    before = units[:h]
    # The page shows its headline again above the text, on a flattened page
    # run together with its deck and the text (副题 标题 副题 正文…): up to the
    # last space before the first full stop, that block is header.
    if b0 < b1 and (at := units[b0].text.find(page.title)) >= 0 and at <= 40 \
            and not FULL_STOP.search(units[b0].text[:at]):
        text = units[b0].text
        stop = FULL_STOP.search(text, at)
        cut = text.rfind(" ", 0, stop.start()) if stop else len(text)
        if cut < at + len(page.title) or SENTENCE_MARKS.search(text[at + len(page.title):].split(" ", 1)[0]):
            pass  # a sentence that opens with the headline's words (标题，…): the first paragraph
        elif len(text) - cut > 16:
            header.append(Unit(text[:cut], units[b0].line))
            units[b0].text = strip_space(text[cut:])
        else:
            header.append(units[b0])
            b0 += 1
    # A caption, a credit or a date-and-source line just above the first
    # paragraph is not its start.
    while b0 < b1 and (is_caption_line(units[b0].text, units[b0 + 1].text if b0 + 1 < b1 else "")
                       or is_field_line(units[b0].text) or DATELINE_CREDIT.match(units[b0].text)
                       or OUTLET_REPORTERS.match(units[b0].text) or REPORTER_LINE.match(units[b0].text)
                       or PUBLISHED_BY.match(units[b0].text)
                       or re.fullmatch(r"【[^】]{2,12}】", units[b0].text)):  # a series' label: 【新春走基层】
        header.append(units[b0])
        b0 += 1
    # A reporter's credit or a wire dateline opens the article: what stands
    # before it (a caption, a teaser) is not its first paragraph.
    for k in range(b0 + 1, min(b0 + 5, b1)):
        if opens_article(units[k].text) and not any(opens_article(u.text) for u in units[b0:k]):
            header.extend(units[b0:k])
            b0 = k
            break
    # A sub-heading can open the article: a short heading-like line just
    # above the first paragraph, set in as a paragraph is, belongs to it (a
    # headline's deck, not set in, does not).
    if (b0 - 1 > h and header and header[-1] is units[b0 - 1] and units[b0 - 1].indented
            and is_subheading(units[b0 - 1].text) and page.title not in units[b0 - 1].text):
        header.pop()
        b0 -= 1
    # A summary the page keeps hidden repeats the start of the first paragraph.
    while b0 + 1 < b1 and len(units[b0].text) >= 20 and units[b0].text[:30] in units[b0 + 1].text[:60]:
        header.append(units[b0])
        b0 += 1
    body = units[b0:b1]
    # Pictures' captions without markers: short one-sentence lines set
    # between long paragraphs.  One such line may be a short paragraph; a
    # page that has several has pictures.
    captions = [u for i, u in enumerate(body) if is_unmarked_caption(
        u.text, body[i + 1].text if i + 1 < len(body) else "", body[i - 1].text if i else None)]
    if len(captions) >= 2:
        body = [u for u in body if u not in captions]
        found.furniture.extend(Furniture(u.text, "caption", u.line) for u in captions)
    trailer_end = min(len(units), b1 + 15)
    trailer = units[b1:trailer_end]
    used: set[int] = set()

    read_channel(before, header, found, page.flattened, title_line(page, before))
    read_header_fields(header, before, found, used, page.flattened)
    read_trailer_fields(trailer, found, used)
    if page.flattened and found.byline is None:
        after = " ".join(u.text for u in units[b1:])
        if (m := re.search(r"(?:^|\s)(?P<name>\S{2,20}) (?:發表在|发表在|发表于|發表於) (?!\d)", after)) \
                and not ui_hits(m["name"]):
            found.byline = m["name"]
            found.because("byline", "the blog's 'posted by' footer")
    for u in units[b1:]:
        if (m := POSTED_BY.match(u.text)) and found.byline is None:
            found.byline = m["name"]
            found.because("byline", "the blog's 'posted by' footer")
        elif m := POSTED_AT.match(u.text):
            dates = find_dates(m["date"])
            if dates and found.published is None:
                found.published = dates[0].value
                found.because("published", "the blog's 'posted @' footer")
            if found.byline is None:
                found.byline = m["name"]
                found.because("byline", "the blog's 'posted @' footer")
    read_lead_byline(body, found)

    if page.flattened:
        # A flattened page's furniture is kept as the stretches of text it
        # was on the page (a menu is one piece, not a word each), with the
        # metadata read from it: cutting it into words would lose the text.
        for zone, kind in ((before, "navigation"), (header, "header"), (units[b1:], "footer")):
            if zone:
                kinds = {header_kind(u.text) for u in zone} - {"header"} if kind == "header" else set()
                found.furniture.append(Furniture(" ".join(u.text for u in zone), min(kinds or {kind}), zone[0].line))
        return body
    # Lines the metadata was read from stay too, as what they were.
    for u in before:
        found.furniture.append(Furniture(u.text, "metadata" if id(u) in used else "navigation", u.line))
    for u in header:
        found.furniture.append(Furniture(u.text, "metadata" if id(u) in used else header_kind(u.text), u.line))
    for u in units[b1:]:
        found.furniture.append(Furniture(u.text, "metadata" if id(u) in used else "footer", u.line))
    return body

def read_channel(before: list[Unit], header: list[Unit], found: Found, flattened: bool,
                 page_title: str | None = None) -> None:
    """The breadcrumb closest above the headline; else a column label (one
    or two short words) right above it; else the word the date line
    carries."""
    crumbs = find_crumbs(before[-80:], flattened) or find_crumbs(header[:12], flattened)
    if crumbs:
        crumb = crumbs[-1] if find_crumbs(before[-80:], flattened) else crumbs[0]
        found.breadcrumb = crumb
        found.because("channel", "the breadcrumb closest to the headline",
                      crumbs[-2] if len(crumbs) > 1 else None)
        parsed = parse_breadcrumb(crumb)
        if parsed:
            found.site = found.site or parsed[0]
            found.channel = parsed[1]
        else:
            found.channel = crumb
        return
    for u in before[-3:]:
        if m := HERE_STEP.fullmatch(u.text):
            # "当前位置：洛阳": the page says where the article stands, a path of one step.
            found.breadcrumb = found.channel = m["step"]
            found.because("channel", "the one step of the page's 'you are here' line")
            return
    if before and CHANNEL_NAMED.fullmatch(before[-1].text) and not ui_hits(before[-1].text):
        found.breadcrumb = found.channel = before[-1].text  # "报社新闻　频道": the line says what it is
        found.because("channel", "the channel named right above the headline")
        return
    if len(before) >= 2 and before[-1].text in ("正文", "內文") and is_han_word(before[-2].text, 2, 6) \
            and before[-2].text not in CRUMB_ROOTS:
        # "太原 正文": a path whose separators were pictures, ending at the article itself.
        found.breadcrumb = found.channel = before[-2].text
        found.because("channel", "the step before 正文 right above the headline")
        return
    words: list[str] = []
    for u in reversed(before[-2:] if flattened else before[-1:]):
        if is_han_word(u.text, 2, 6) and u.text not in CRUMB_ROOTS:
            words.insert(0, u.text)
        else:
            break
    if len(words) == 2 and words[0] == words[1]:
        words = words[1:]  # the column's name in the menu and again over the headline
    if len(words) == 2 and not is_column_label(words, before, page_title):
        words = words[1:]
    if words and is_column_label(words, before, page_title):
        found.breadcrumb = found.channel = " ".join(words)
        found.because("channel", "the column named right above the headline")
        return
    for u in header[:3]:
        dates = find_dates(u.text)
        if dates or (flattened and is_han_word(u.text, 2, 6)):
            joined = " ".join(x.text for x in header[:4]) if flattened else u.text
            dates = find_dates(joined)
            label = strip_space(joined[: dates[0].start]) if dates else ""
            if is_han_word(label, 2, 6) and not DATE_LABEL.search(label):
                found.breadcrumb = found.channel = label
                found.because("channel", "the column named on the date line")
            return

def title_line(page: Page, before: list[Unit]) -> str:
    """The page title the page starts with: its first line, or on a flattened
    page (cut at every space) its start up to the site's name."""
    first = before[0].text if before else ""
    if not (page.flattened and page.site and page.title):
        return first
    joined = " ".join(u.text for u in before[:30])
    end = joined.find(page.site, len(page.title))
    return joined[: end + len(page.site)] if joined.startswith(page.title) and 0 <= end <= len(page.title) + 40 \
        else first

def is_column_label(words: list[str], before: list[Unit], page_title: str | None = None) -> bool:
    """Short words right above a headline name its column when the page says
    so elsewhere: the page title carries the column, the line above is the
    site's root (a breadcrumb laid out a line a step), or a column and its
    section both stand in the page's menus too."""
    if page_title is None:
        page_title = before[0].text if before else ""
    suffix = page_title.split(words[-1][:2], 1)
    if len(suffix) == 2 and suffix[0] and TITLE_SEPARATOR.search(suffix[0][-4:] + " "):
        # The title carries the column; a word above it that the title lacks is a button (取消).
        return all(w in page_title for w in words[:-1])
    above = before[-1 - len(words)].text if len(before) > len(words) else ""
    if above in CRUMB_ROOTS:
        return True
    # A column and its section standing alone before the headline, after
    # something that is not a menu of short words, and named in the menus.
    run = 0
    for u in reversed(before):
        if not is_han_word(u.text, 1, 6):
            break
        run += 1
    menus = " ".join(u.text for u in before[: -len(words)])
    return len(words) == 2 and run == 2 and f" {words[0]} " in f" {menus} "

def read_header_fields(header: list[Unit], before: list[Unit], found: Found, used: set[int],
                        flattened: bool = False) -> None:
    """Date, source, byline and editors between the headline and the body;
    a date may also stand just above the headline."""
    joined_header = " ".join(u.text for u in header)
    for m in PUBLISHED_BY_RUNNING.finditer(joined_header):
        if flattened and not ui_hits(m["name"]) and (published := find_dates(m["date"])):
            found.published = published[0].value
            found.because("published", "'X 于 DATE 发布' under the headline")
            if found.byline is None:
                found.byline = m["name"]
                found.because("byline", "'X 于 DATE 发布' under the headline")
            break
    for u in header:
        if (m := PUBLISHED_BY.match(u.text)) and (published := find_dates(m["date"])) and not ui_hits(m["name"]):
            found.published = published[0].value
            found.because("published", "'X 于 DATE 发布' under the headline")
            if found.byline is None and not ui_hits(m["name"]):
                found.byline = m["name"]
                found.because("byline", "'X 于 DATE 发布' under the headline")
            used.add(id(u))
            break
    for u in header[:6]:
        dates = find_dates(u.text)
        name = u.text[: dates[0].start].strip() if dates else ""
        if found.byline is None and dates and is_personal_name(name) and not in_page_title(name, before):
            found.byline = name  # "谢若含2017-03-01 14:27:02": the author and the time
            found.because("byline", "the name before the date under the headline")
    for i, u in enumerate(header[:-1]):
        if found.byline is not None or not FOLLOW_BUTTON.match(header[i + 1].text):
            continue
        if ACCOUNT_FIGURES.match(u.text) and i:
            u = header[i - 1]  # the account's figures (粉丝：23文章：11) between its name and the button
        if 2 <= len(u.text) <= 20 and not SENTENCE_MARKS.search(u.text) and not ui_hits(u.text) \
                and not ACCOUNT_FIGURES.match(u.text) and not find_dates(u.text):
            found.byline = u.text  # an account's name above its follow button
            found.because("byline", "the account's name above its follow button")
            used.add(id(u))
    for u in [*header, *before[-3:]]:
        if found.channel is None and (m := CATEGORY_FIELD.match(u.text)):
            found.breadcrumb = found.channel = m["name"]
            found.because("channel", "the labelled category near the headline")
    joined, owner = joined_text(header)
    dates = find_dates(joined)
    if dates and found.published is None:
        # The headline's own date is the first one under it.
        found.published = dates[0].value
        found.because("published", "the first date under the headline",
                      next((d.value for d in dates[1:] if d.value != dates[0].value), None))
        used.update(id(header[owner[k]]) for k in range(dates[0].start, dates[0].end) if owner[k] >= 0)
    for u in [*(before[-8:] if flattened else before[-3:]), *header]:
        text = u.text
        for m in FIELD.finditer(text):
            label = m["label"]
            value = re.split(r"[\s\u3000]|(?=责任编辑|責任編輯|来源|來源|作者|编辑|編輯)", text[m.end():])[0]
            value = value.strip("　 ,，|｜")
            if not value and label in ("来源", "來源", "稿源") and (nxt := text_after(header, u)):
                value = nxt.split()[0] if nxt.split() else ""
            if not value or len(value) > 20 or MARKUP_DEBRIS.match(value):
                continue
            used.add(id(u))
            if label in ("来源", "來源", "稿源"):
                found.source = found.source or clean_source(value)
                found.because("source", f"labelled {label} near the headline")
            elif label in ("责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯"):
                found.editors = found.editors or split_names(value)
                found.because("editors", f"labelled {label} near the headline")
            elif label in ("发信人", "發信人", "楼主", "樓主"):
                found.byline = found.byline or re.split(r"[\s(（]", value)[0]
                found.because("byline", "the poster in the forum post's header")
            elif label != "出品":
                found.byline = found.byline or value
                found.because("byline", f"labelled {label} near the headline")
        if (m := REPORTER_LEAD.search(text + " ")) and found.byline is None:
            found.byline = strip_space(m["byline"])
            found.because("byline", "the reporter's credit under the headline")
            used.add(id(u))
        elif found.byline is None and u in header and (
                (m := REPORTER_LINE.match(text)) or (m := AUTHOR_LINE_START.match(text))):
            # "记者 张三 李四", "本报记者 张三 通讯员 李四", "文/张三" under the headline.
            found.byline = strip_space(m["byline"] if "byline" in m.groupdict() else m["name"])
            found.because("byline", "the reporter or author line under the headline")
            used.add(id(u))
        elif found.byline is None and u in header and (m := OUTLET_REPORTERS.match(text)):
            found.byline = strip_space(m["byline"])
            found.because("byline", "the reporter or author line under the headline")
            used.add(id(u))
        elif found.byline is None and is_personal_name(text) and not in_page_title(text, before) and not any(
                b.text == text for b in before):
            found.byline = text
            found.because("byline", "a personal name alone under the headline")
            used.add(id(u))
        if (m := DESK_LEAD.match(text)) and found.byline is None:
            found.byline = m["desk"]
            found.because("byline", "the desk's credit under the headline")
            used.add(id(u))
        if (m := SOURCE_FROM.search(text)) and found.source is None:
            found.source = outlet(m["value"])
            found.because("source", "'来源于' near the headline")
            used.add(id(u))
        if m := BBS_SOURCE.match(text):
            found.source = found.source or m["site"]
    if found.published is None:
        above = before[-6:]
        joined, owner = joined_text(above)
        dates = find_dates(joined)
        if dates:
            found.published = dates[-1].value
            found.because("published", "the date just above the headline")
            used.update(id(above[owner[k]]) for k in range(dates[-1].start, dates[-1].end) if owner[k] >= 0)
    # A CMS fills 作者 with the desk editor's name: that is not the author.
    if found.byline and found.byline in found.editors:
        found.byline = None
        found.reasons.pop("byline", None)

def joined_text(units: list[Unit]) -> tuple[str, list[int]]:
    """The units' text joined by spaces, and which unit each character is of
    (-1 for the joining spaces): a date or a field cut by the page's layout
    is read whole."""
    text, owner = [], []
    for i, u in enumerate(units):
        if text:
            text.append(" ")
            owner.append(-1)
        text.append(u.text)
        owner.extend([i] * len(u.text))
    return "".join(text), owner

def text_after(units: list[Unit], u: Unit) -> str:
    for i, other in enumerate(units):
        if other is u:
            return units[i + 1].text if i + 1 < len(units) else ""
    return ""

def read_trailer_fields(trailer: list[Unit], found: Found, used: set[int]) -> None:
    """Editors, bylines and sources in the lines that close the article."""
    author_from_trailer = None
    trailer_editors: set[str] = set()
    for u in trailer:
        text = strip_space(u.text)
        if SIGNATURE.match(text):
            used.add(id(u))
            continue
        if (m := BRACKET_EDITOR.match(text)) and not found.editors:
            found.editors = [m["name"]]  # （松花江网编辑 孙桂芳）
            found.because("editors", "the site's editor in brackets closing the article")
            used.add(id(u))
        elif m := EDITOR_FIELD.match(text):
            # Every editors line closing the article adds its names (编辑：甲 and 责任编辑：乙).
            names = re.split(r"\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：︰︱|｜]\s*", m["names"])
            if not found.editors or "editors" in trailer_editors:
                found.editors = list(dict.fromkeys([*found.editors, *(n for p in names for n in split_names(p))]))
                trailer_editors.add("editors")
                found.because("editors", "the editors line closing the article")
            used.add(id(u))
        elif m := AUTHOR_FIELD.match(text):
            author_from_trailer = author_from_trailer or strip_space(m["name"])
            used.add(id(u))
        elif m := BBS_SOURCE.match(text):
            found.source = found.source or m["site"]
            used.add(id(u))
        elif m := POSTED_BY.match(text):
            author_from_trailer = author_from_trailer or m["name"]
        elif len(text) <= 30 and ((m := OUTLET_REPORTERS.match(text)) or (m := REPORTER_LINE.match(text))):
            author_from_trailer = author_from_trailer or strip_space(m["byline"])  # 记者 刘涛, after the text
            used.add(id(u))
        elif (m := SOURCE_FIELD.match(text)) and found.source is None and len(text) <= 40:
            found.source = clean_source(m["value"])
            found.because("source", "labelled 来源 closing the article")
            used.add(id(u))
        elif (m := CATEGORY_FIELD.match(text)) and found.channel is None:
            found.breadcrumb = found.channel = m["name"]
            found.because("channel", "the labelled category closing the article")
            used.add(id(u))
        elif (m := DATE_FIELD.match(text)) and (dates := find_dates(m["date"])) and (
                found.published is None
                # the day found above it, with the time this one adds (发布于：2015-11-05 11:34);
                # not a bare 时间, which may be an event's
                or len(found.published) == 10 and len(dates[0].value) > 10 and dates[0].value[:10] == found.published
                and text.startswith(("发布", "發布", "發佈", "发表", "發表"))):
            refined = found.published is not None
            found.published = dates[0].value
            if refined:
                found.reasons.pop("published", None)
            found.because("published", "the labelled date closing the article"
                          + (", the time of the day found above it" if refined else ""))
            used.add(id(u))
    if author_from_trailer and found.byline is None:
        found.byline = author_from_trailer
        found.because("byline", "the author line closing the article")

def read_lead_byline(body: list[Unit], found: Found) -> None:
    """``記者林悅／南市報導`` before the first paragraph, or a desk credit
    ``〔即時新聞／綜合報導〕`` opening it."""
    if not body:
        return
    first = body[0]
    if (m := DESK_LEAD.match(first.text)) and found.byline in (None, m["desk"]):
        found.byline = m["desk"]
        found.because("byline", "the desk's credit opening the first paragraph")
        found.furniture.append(Furniture(strip_space(m.group(0)), "byline", first.line))
        first.text = strip_space(first.text[m.end():]) or first.text
    elif m := REPORTER_LEAD.match(first.text):
        if found.byline is None:
            found.byline = strip_space(m["byline"])
            found.because("byline", "the reporter's credit opening the first paragraph")
        rest = strip_space(first.text[m.end():])
        found.furniture.append(Furniture(strip_space(m.group(0)), "byline", first.line))
        if rest:
            first.text = rest
        else:
            body.pop(0)
    elif (m := WIRE_LEAD.match(first.text)) and found.byline is None:
        found.byline = strip_space(m["byline"])
        found.because("byline", "the reporters named in the wire dateline")
    elif (m := LEAD_CREDIT.match(first.text)) and found.byline is None and (
            m["desk3"] is None or m["desk3"] != found.source):  # "国际在线报道：" by the source itself
        found.byline = strip_space(m["desk"] or m["desk2"] or m["desk3"])
        found.because("byline", "the desk credit opening the first paragraph")
