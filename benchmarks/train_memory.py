"""Memory over many trainings in one process: resident memory before and after 200 lesson runs.

    python benchmarks/train_memory.py [--runs 200]

The target: growth under 100 MB (a long-lived server trains for a whole class).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.training import train  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    data = prepare(DataSpec(validation_size=0.2))
    train(data, ModelSpec())  # warm-up: imports and first allocations
    before = rss_mb()
    start = time.perf_counter()
    for _ in range(runs):
        train(data, ModelSpec())
    seconds = time.perf_counter() - start
    after = rss_mb()
    print(f"{runs} trainings of the lesson model (100 epochs each) in {seconds:.1f} s")
    print(f"  resident memory before: {before:7.1f} MB, after: {after:7.1f} MB, growth: {after - before:+.1f} MB "
          f"(target < 100 MB)")


if __name__ == "__main__":
    main()
