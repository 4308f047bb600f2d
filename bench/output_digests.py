"""Digests of every output of the seeds and the corpus, to prove a refactor changes no byte.

    python bench/output_digests.py --write /tmp/before.txt
    ... change the code ...
    python bench/output_digests.py --check /tmp/before.txt

Each input (seeds/, the corpus's text pages and its saved HTML) is written in
every registered format, in its own script and in each of hans, hant, tw and
hk, with the default options and with those that change the most (phrase
conversion, variants repaired, no embedded fonts).  One line an output:
``sha256  input  target  options``.  The digests depend on the installed
versions of reportlab and python-docx, so compare two runs on one machine, not
against a file made elsewhere.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from convert import api, registry  # noqa: E402
from convert.transforms import TransformOptions  # noqa: E402

SCRIPTS = (None, "hans", "hant", "tw", "hk")
VARIANTS = {
    "default": TransformOptions(),
    "phrases+variants": TransformOptions(phrases=True, fix_variants=True),
}


def inputs() -> list[Path]:
    corpus = ROOT / "tests" / "fixtures" / "corpus"
    return sorted((ROOT / "seeds").glob("*.txt")) + sorted(corpus.glob("*.txt")) + sorted(
        (corpus / "html").glob("*.html"))


def digests(quick: bool = False) -> list[str]:
    lines = []
    formats = registry.writer_names()
    for path in inputs():
        name = path.relative_to(ROOT).as_posix()
        # Read by the name relative to the checkout: a document keeps its
        # input's name, so two checkouts compare.
        doc = api.read_bytes(path.read_bytes(), path=name)
        for variant, transforms in VARIANTS.items():
            for script in SCRIPTS if variant == "default" else ("hant", "hans"):
                prepared = api.prepare(doc, script, transforms)
                for fmt in formats:
                    buf = io.BytesIO()
                    writer = registry.get_writer(fmt)
                    writer.write(prepared, buf, writer.Options())
                    lines.append(f"{hashlib.sha256(buf.getvalue()).hexdigest()}  {name}  "
                                 f"{fmt}:{script or '-'}  {variant}")
        if quick:
            break
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, metavar="FILE")
    group.add_argument("--check", type=Path, metavar="FILE")
    args = parser.parse_args()
    found = digests()
    if args.write:
        args.write.write_text("\n".join(found) + "\n", encoding="utf-8")
        print(f"{len(found)} outputs written to {args.write}")
        return 0
    expected = args.check.read_text(encoding="utf-8").splitlines()
    differ = sorted(set(expected) ^ set(found))
    for line in differ:
        print(("- " if line in expected else "+ ") + line)
    print(f"{len(found)} outputs, {len(differ)} lines differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
