"""Server time of `kb check` on a 3,000-word page, beside a floor measured in the same run.

The page is the seed articles' sentences repeated to 3,000 words. The floor is one pass of
kb.status.computed_status over the bundled KB (the status rules the check reuses), so the
figures compare on the machine's current load.

    python bench/check_timing.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.load import load  # noqa: E402
from kb.status import computed_status  # noqa: E402
from kb.textcheck import check_text  # noqa: E402
from kb.textread import read_document  # noqa: E402

SEEDS = Path("/work/shared/seeds")
WORDS = 3000
RUNS = 5


def page() -> str:
    words = " ".join(p.read_text() for p in sorted(SEEDS.glob("*.txt"))).split(" ")
    return " ".join(words[:WORDS])


def timed(run) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    kb = load()
    text = page()
    check_text(read_document(text, "text"), kb)  # warm: pysbd, regexes
    total = timed(lambda: check_text(read_document(text, "text"), kb))
    reading = timed(lambda: read_document(text, "text"))
    floor = timed(lambda: computed_status(kb))
    print(f"{len(text.split())} words, median of {RUNS}: check {total:.2f} s "
          f"(reading and splitting {reading:.2f} s); floor: status rules on the KB "
          f"{floor:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
