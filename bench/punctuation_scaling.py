"""How the punctuation and quote rules grow with a hostile paragraph.

    python bench/punctuation_scaling.py [--repeat 3]

Each shape is one paragraph of 50, 100, 200 and 400 thousand characters
(the sizes of the reliability issue) through the punctuation and quote
transforms.  Printed: the time at 50 K and the time at each size over the
time at 50 K, which linear growth keeps near 2, 4 and 8 (quadratic growth
gives 4, 16 and 64).
"""

from __future__ import annotations

import argparse
import base64
import random
import time

from convert.model import Document, Meta, Para, Str
from convert.transforms import TransformOptions, apply_transforms

SIZES = (50_000, 100_000, 200_000, 400_000)


def _base64(n: int) -> str:
    return base64.b64encode(random.Random(1).randbytes(n)).decode()[:n].replace("/", "A")


# name -> paragraph of about n characters
SHAPES = {
    "address, comma, base64": lambda n: "联系 a@b.cn，," + _base64(n),
    "long URL": lambda n: "见 http://" + "a" * n,
    "URL ending in )))": lambda n: "见 http://x" + ")" * n,
    "letters before @": lambda n: "a" * n + "@x",
    "run of !": lambda n: "中" + "!" * n,
    "! and spaces": lambda n: "a" + "! " * (n // 2) + "，",
    "bracket pairs": lambda n: "中" + "(x)" * (n // 3),
    "nested brackets": lambda n: "(" * (n // 2) + "x" + ")" * (n // 2) + "中",
    "straight quotes": lambda n: "中" + '"' * n,
    "Chinese prose": lambda n: ("新疆维吾尔自治区党委召开常委会议,陈全国主持会议并讲话(姚彤)。" * n)[:n],
}


def seconds(text: str, repeat: int) -> float:
    doc = Document(Meta(title="t"), (Para((Str(text),)),))
    options = TransformOptions()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        apply_transforms(doc, options)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| shape | 50 K | 100 K / 50 K | 200 K / 50 K | 400 K / 50 K |")
    print("|---|---|---|---|---|")
    for name, make in SHAPES.items():
        times = [seconds(make(n), args.repeat) for n in SIZES]
        ratios = " | ".join(f"{t / times[0]:.1f}" for t in times[1:])
        print(f"| {name} | {times[0] * 1000:.0f} ms | {ratios} |", flush=True)


if __name__ == "__main__":
    main()
