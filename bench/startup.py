"""Start-up benchmark: Clerk Desk's first painted window against a bare PySide6 window of 50,000 rows.

usage (from the project root):
    uv run python bench/startup.py [--runs 5] [--scale 1.0 | --database large.db]

Builds the large council of bench/council.py (or uses one already built), then starts each program in
a fresh interpreter, interleaved, and reports the median wall-clock time from launch to the first
painted window, and to the window taking input (the register loaded), against the floor: a bare
PySide6 window showing a table of every incident. It also times the Home reload (budget 100 ms) and
filtering the People table (budget 50 ms) in-process. The median ratios come last (budget 2×).
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

CLERK_DESK_CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from clerk_desk.app import MainWindow, Opener, apply_style
apply_style(app)
window = MainWindow(None)
window.show()
app.processEvents()
painted = time.time()
opener = Opener(sys.argv[1], None)
opener.opened.connect(window.attach)
failed = []
opener.failed.connect(failed.append)
opener.start()
while not window.ready and not failed:
    app.processEvents()
    opener.worker.join(0.005)
if failed:
    sys.exit(f"Clerk Desk did not open the council: {failed[0]}")
app.processEvents()
ready = time.time()
import resource
print(painted, ready, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

# The floor: a bare PySide6 window showing a table of every incident (50,000 rows on the large council).
BARE_CHILD = """
import sqlite3, sys, time
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication(sys.argv)
rows = sqlite3.connect(sys.argv[2]).execute(
    "SELECT reference, category, severity, status, title, reported_at FROM incidents"
).fetchall()

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return len(rows)
    def columnCount(self, parent=QModelIndex()):
        return 6
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return str(rows[index.row()][index.column()]) if role == Qt.ItemDataRole.DisplayRole else None

view = QTableView()
view.setModel(Model())
view.resize(1280, 800)
view.show()
app.processEvents()
now = time.time()
import resource
print(now, now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def time_child(code: str, *args: str) -> tuple[float, float, float]:
    """Seconds from launch to the first painted window and to a window that takes input, and the peak
    memory (resident set, MiB) by then."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    painted, ready, peak_kib = out.stdout.strip().splitlines()[-1].split()
    return float(painted) - start, float(ready) - start, int(peak_kib) / 1024


def in_process_timings(url: str) -> tuple[float, float]:
    """Home screen reload and the slowest filter of the People table, in milliseconds."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from clerk_desk.app import create_main_window

    window = create_main_window(url, actor=None)
    window.show()
    app.processEvents()
    start = time.perf_counter()
    window.home.reload()
    home_ms = (time.perf_counter() - start) * 1000
    page = window.go_to_title("People")
    worst = 0.0
    for text in ("P", "Pe", "Person 09", "nobody"):
        start = time.perf_counter()
        page.search.setText(text)
        app.processEvents()
        worst = max(worst, (time.perf_counter() - start) * 1000)
    window.context.database.dispose()
    return home_ms, worst


def _list(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def check_bytecode() -> None:
    """Where writing .pyc files is disabled, every start compiles SQLAlchemy again; say so."""
    import sqlalchemy

    cache = Path(sqlalchemy.__file__).parent / "__pycache__"
    if not cache.is_dir():
        print(
            "warning: site-packages is not byte-compiled; run `uv sync --compile-bytecode`", file=sys.stderr
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="of the large council (bench/council.py)")
    parser.add_argument("--database", type=Path, help="a council already built with bench/council.py")
    args = parser.parse_args()
    check_bytecode()
    # The council's clerk is known by their login, as at the council's own PC.
    os.environ.update(LOGNAME=council.CLERK_LOGIN, USER=council.CLERK_LOGIN)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLERK_DESK_DATA_DIR"] = tmp
        if args.database:
            path = args.database
            url = f"sqlite:///{path}"
        else:
            path = Path(tmp) / "large.db"
            started = time.perf_counter()
            url = council.build(path, args.scale)
            print(f"built the council in {time.perf_counter() - started:.1f} s")
        clerk, bare = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            clerk.append(time_child(CLERK_DESK_CHILD, url))
            bare.append(time_child(BARE_CHILD, url, str(path)))
        painted = statistics.median(t for t, _, _ in clerk)
        ready = statistics.median(t for _, t, _ in clerk)
        floor = statistics.median(t for t, _, _ in bare)
        memory = statistics.median(m for _, _, m in clerk)
        floor_memory = statistics.median(m for _, _, m in bare)
        print(f"Clerk Desk painted window: median {painted:.3f} s ({_list([t for t, _, _ in clerk])})")
        print(f"Clerk Desk takes input:    median {ready:.3f} s ({_list([t for _, t, _ in clerk])})")
        print(
            f"bare PySide6 window of every incident: median {floor:.3f} s ({_list([t for t, _, _ in bare])})"
        )
        print(f"peak memory: Clerk Desk taking input {memory:.0f} MiB, bare window {floor_memory:.0f} MiB")
        home_ms, filter_ms = in_process_timings(url)
        print(f"home screen reload: {home_ms:.1f} ms (budget 100 ms)")
        print(f"slowest People filter: {filter_ms:.1f} ms (budget 50 ms)")
        print(f"ratio, painted window: {painted / floor:.2f}x (budget 2x)")
        print(f"ratio, window taking input: {ready / floor:.2f}x")
        print(f"ratio, peak memory: {memory / floor_memory:.2f}x (budget 2.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
