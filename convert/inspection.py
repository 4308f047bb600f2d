"""What ``docconv inspect`` reports about a document read from text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from .errors import printable
from .model import Document, Heading, OrderedList, Para, iter_blocks

_SCRIPT_NAMES = {"hans": "simplified", "hant": "traditional"}


def block_counts(doc: Document) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for b in iter_blocks(doc.blocks):
        if isinstance(b, Para):
            counts["paragraphs"] += 1
        elif isinstance(b, Heading):
            counts["headings"] += 1
        elif isinstance(b, OrderedList):
            counts["ordered lists"] += 1
            counts["list items"] += len(b.items)
        else:
            counts[type(b).__name__.lower()] += 1
    return dict(counts)


def variant_repairs(doc: Document) -> list[str]:
    """What ``--fix-variants`` would change, each with its context; looked for
    in the text as punctuation normalisation leaves it, which is what the
    repair sees in the pipeline."""
    from .transforms.punctuation import normalize_punctuation
    from .transforms.variants import find_variant_repairs

    return [str(r) for r in find_variant_repairs(normalize_punctuation(doc))]


def summary(doc: Document, evidence: Sequence[Any] = ()) -> dict[str, Any]:
    """What the reader found; ``evidence`` (the news reader's, one entry a
    field) says for each field the line, the rule and the runner-up."""
    m = doc.meta
    return {
        "input": m.input_path,
        "encoding": m.encoding,
        "script": m.script,
        "language": m.language,
        "title": m.title,
        "subtitle": m.subtitle,
        "site": m.site,
        "channel": m.channel,
        "breadcrumb": m.breadcrumb,
        "published": m.published,
        "source": m.source,
        "byline": m.byline,
        "editors": list(m.editors),
        "identifier": m.identifier,
        "blocks": block_counts(doc),
        "evidence": {e.field: {"line": e.line, "rule": e.rule, "runner_up": e.runner_up} for e in evidence},
        "furniture": [{"line": f.line, "kind": f.kind, "text": f.text} for f in doc.furniture],
        "variant_repairs": variant_repairs(doc),
        "warnings": list(doc.warnings),
    }


def describe(doc: Document, evidence: Sequence[Any] = ()) -> str:
    s = summary(doc, evidence)
    lines = [f"input:      {printable(s['input'] or '(stdin)')}",  # a name may hold control characters
             f"encoding:   {s['encoding']}",
             f"script:     {_SCRIPT_NAMES.get(s['script'], s['script'])} ({s['language']})"]
    for key in ("title", "subtitle", "site", "channel", "published", "source", "byline"):
        if s[key]:
            lines.append(f"{key + ':':11} {s[key]}")
    if s["editors"]:
        lines.append(f"editors:    {'、'.join(s['editors'])}")
    lines.append(f"identifier: {s['identifier']}")
    if s["evidence"]:
        lines.append("why:")
        for key, why in s["evidence"].items():
            where = f"line {why['line']}" if why["line"] else "no one line"
            second = f"; runner-up: {why['runner_up']}" if why["runner_up"] else ""
            lines.append(f"  {key + ':':11} {where}, {why['rule']}{second}")
    lines.append("blocks:     " + ", ".join(f"{n} {k}" for k, n in s["blocks"].items()))
    lines.append(f"furniture removed: {len(s['furniture'])}")
    lines += [f"  line {f['line']:>4} [{f['kind']}] {f['text']}" for f in s["furniture"]]
    if s["variant_repairs"]:
        lines.append(f"simplified leftovers (--fix-variants repairs them): {len(s['variant_repairs'])}")
        lines += [f"  {r}" for r in s["variant_repairs"]]
    if s["warnings"]:
        lines.append("warnings:")
        lines += [f"  {w}" for w in s["warnings"]]
    return "\n".join(lines)
