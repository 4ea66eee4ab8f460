"""How each operation grows with the council: `check`, the Home reload, filtering and the import, at 1×,
10× and 100× a small council (1× is about the demo council's size; 100× is design.md's large council).

usage (from the project root):
    uv run python bench/scale.py [--factors 1 10 100] [--runs 3]

Each council is built with ``bench/council.py`` (through the real import, which is itself timed). The
lines printed last give, for each operation, its median time at each size and the ratio of the
largest to the smallest, so the growth of each is visible at a glance.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import council  # noqa: E402

#: 1× is a hundredth of the large council: 10 people, 3 accounts, 50 grants, 500 incidents.
UNIT = 0.01


def time_check(url: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "clerk_desk", "--database", url, "check"],
        capture_output=True,
        cwd=ROOT,
        check=False,  # exit 1 means findings, as expected
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - started


def time_window(url: str) -> tuple[float, float]:
    """The Home reload and the slowest filter of the People table, in seconds."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from clerk_desk.app import create_main_window

    window = create_main_window(url, actor=None)
    window.show()
    app.processEvents()
    started = time.perf_counter()
    window.home.reload()
    home = time.perf_counter() - started
    page = window.go_to_title("People")
    worst = 0.0
    for text in ("P", "Pe", "Person 00", "nobody"):
        started = time.perf_counter()
        page.search.setText(text)
        app.processEvents()
        worst = max(worst, time.perf_counter() - started)
    window.context.database.dispose()
    window.close()
    return home, worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    # The council's clerk is known by their login, as at the council's own PC.
    os.environ.update(LOGNAME=council.CLERK_LOGIN, USER=council.CLERK_LOGIN)
    results: dict[str, dict[int, float]] = {"check": {}, "home": {}, "filter": {}, "import": {}}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLERK_DESK_DATA_DIR"] = tmp
        for factor in args.factors:
            path = Path(tmp) / f"council-{factor}.db"
            started = time.perf_counter()
            url = council.build(path, UNIT * factor, report=False)
            results["import"][factor] = time.perf_counter() - started
            results["check"][factor] = statistics.median(time_check(url) for _ in range(args.runs))
            homes, filters = zip(*(time_window(url) for _ in range(args.runs)), strict=True)
            results["home"][factor] = statistics.median(homes)
            results["filter"][factor] = statistics.median(filters)
            sizes = council.sizes(UNIT * factor)
            print(f"{factor:>4}×: {sizes}")
    first, last = args.factors[0], args.factors[-1]
    for name, times in results.items():
        cells = "  ".join(f"{factor}×: {times[factor] * 1000:8.1f} ms" for factor in args.factors)
        print(f"{name:<7} {cells}  ({last}× / {first}× = {times[last] / times[first]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
