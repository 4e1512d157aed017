"""Server time of `kb check` on a 3,000-word page, beside a floor measured in the same run.

The page is the seed articles' text cut to 3,000 words. The floor is one pass of
kb.status.computed_status over the bundled KB (the status rules the check reuses), so the
figures compare on the machine's current load. Each figure is the median of RUNS runs, as
wall-clock time and as this process's CPU time (the server time a shared machine's other
work does not add to).

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


def timed(run) -> str:
    """'0.45 s (CPU 0.41 s)': medians of RUNS runs."""
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return f"{statistics.median(wall):.2f} s (CPU {statistics.median(cpu):.2f} s)"


def main() -> int:
    kb = load()
    text = page()
    check_text(read_document(text, "text"), kb)  # warm: pysbd, regexes
    total = timed(lambda: check_text(read_document(text, "text"), kb))
    reading = timed(lambda: read_document(text, "text"))
    floor = timed(lambda: computed_status(kb))
    print(f"{len(text.split())} words, median of {RUNS}: check {total} "
          f"(reading and splitting {reading}); floor: status rules on the KB {floor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
