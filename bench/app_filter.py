"""Server time of a filter change in the app (AppTest), per page. Prints figures; no asserts.

Usage: .venv/bin/python bench/app_filter.py [--repeat N]
The target is < 250 ms per filter change on the bundled data (issue 3).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _page(module: str) -> None:
    import importlib

    importlib.import_module(f"kb.ui.{module}").render()


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    if at.exception:
        raise SystemExit(f"the page raised: {at.exception[0].message}")
    return (time.perf_counter() - start) * 1000


def _explorer_changes(at: AppTest) -> list[float]:
    times = []
    for value in ("moderate", "low", None, "high", "very-low"):
        at.selectbox(key="ex_certainty").set_value(value)
        times.append(_timed(at))
    for windows in (["short-term"], ["immediate", "long-term"], []):
        at.multiselect(key="ex_window").set_value(windows)
        times.append(_timed(at))
    at.toggle(key="ex_optimistic").set_value(True)
    times.append(_timed(at))
    at.toggle(key="ex_ungraded").set_value(True)
    times.append(_timed(at))
    return times


def _map_changes(at: AppTest) -> list[float]:
    times = []
    for value in ("moderate", "low", None):
        at.selectbox(key="map_certainty").set_value(value)
        times.append(_timed(at))
    return times


def _claims_changes(at: AppTest) -> list[float]:
    times = []
    for topics in (["safety"], ["efficacy", "indication"], []):
        at.multiselect(key="cl_topic").set_value(topics)
        times.append(_timed(at))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    AppTest.from_file(APP, default_timeout=60).run()
    print(f"first load (KB + caches): {(time.perf_counter() - start) * 1000:.0f} ms")
    cases = {"explorer": _explorer_changes, "evidence_map": _map_changes,
             "claims": _claims_changes}
    for module, change in cases.items():
        times: list[float] = []
        for _ in range(args.repeat):
            at = AppTest.from_function(_page, args=(module,), default_timeout=60)
            at.run()
            times += change(at)
        print(f"{module:>13}: filter change n={len(times)} median {statistics.median(times):.0f} ms"
              f", max {max(times):.0f} ms (target < 250 ms)")


if __name__ == "__main__":
    main()
