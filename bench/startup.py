"""Start-up benchmark: Clerk Desk's first shown window against a bare PySide6 window of the same rows.

usage (from the project root):
    uv run python bench/startup.py [--runs 5] [--accounts 300] [--people 1000]

Builds a large council in a SQLite file (through the services, so every row is audited as in real use),
then starts each program in a fresh interpreter several times and reports the median wall-clock time
from launch to the first shown window, and the ratio (design.md budget: 2×). It also times the home
screen (budget 100 ms) and filtering the largest table (budget 50 ms) in-process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent

CLERK_DESK_CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from clerk_desk.app import create_main_window
window = create_main_window(sys.argv[1], actor="bench-clerk")
window.show()
app.processEvents()
print(time.time())
"""

BARE_CHILD = """
import sqlite3, sys, time
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication(sys.argv)
rows = sqlite3.connect(sys.argv[2]).execute(
    "SELECT a.platform, a.handle, a.status, p.name, a.approved_on, a.two_factor, a.sign_in_email, "
    "a.complaints_info, a.last_rotated_on, a.purpose "
    "FROM accounts a LEFT JOIN people p ON p.id = a.approved_by_id"
).fetchall()
people = sqlite3.connect(sys.argv[2]).execute(
    "SELECT name, role, job_title, email, login FROM people"
).fetchall()

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return len(rows)
    def columnCount(self, parent=QModelIndex()):
        return 10
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return str(rows[index.row()][index.column()]) if role == Qt.ItemDataRole.DisplayRole else None

view = QTableView()
view.setModel(Model())
view.resize(1280, 800)
view.show()
app.processEvents()
print(time.time())
"""


def build_council(path: Path, n_accounts: int, n_people: int) -> str:
    sys.path.insert(0, str(ROOT))
    from clerk_desk.models import AccountStatus, Role, TwoFactor
    from clerk_desk.register import accounts, people
    from clerk_desk.register import settings as council_settings
    from clerk_desk.storage.db import open_database

    url = f"sqlite:///{path}"
    database = open_database(url)
    today = date.today()
    roles = [Role.EMPLOYEE, Role.VOLUNTEER, Role.COUNCILLOR, Role.CONTRACTOR]
    with database.transaction("bench") as session:
        council_settings.update(
            session, {"council_name": "Benchmark Borough Council", "email_domains": "bench.gov.uk"}
        )
        people.save(
            session,
            people.PersonData(
                "Bench Clerk",
                Role.CLERK,
                "clerk@bench.gov.uk",
                "Clerk",
                "bench-clerk",
                today - timedelta(days=3000),
            ),
        )
        for i in range(n_people - 1):
            people.save(
                session,
                people.PersonData(
                    f"Person {i:04d}",
                    roles[i % 4],
                    f"person{i}@bench.gov.uk",
                    "Officer",
                    f"login{i}",
                    today - timedelta(days=100 + i),
                    today - timedelta(days=10) if i % 9 == 0 else None,
                ),
            )
        platforms = ["Facebook", "X", "Instagram", "YouTube", "LinkedIn", "TikTok"]
        for i in range(n_accounts):
            status = [
                AccountStatus.ACTIVE,
                AccountStatus.ACTIVE,
                AccountStatus.SUSPENDED,
                AccountStatus.PROPOSED,
                AccountStatus.CLOSED,
            ][i % 5]
            approved = status != AccountStatus.PROPOSED
            accounts.save(
                session,
                accounts.AccountData(
                    platforms[i % 6],
                    f"@bench{i:04d}",
                    status,
                    f"https://example.org/bench{i}",
                    f"Service {i}",
                    f"social{i % 7}@bench.gov.uk",
                    list(TwoFactor)[i % 5],
                    "Bench Clerk" if approved else None,
                    today - timedelta(days=400) if approved else None,
                    "Service channel",
                    i % 3 != 0,
                    None,
                    today - timedelta(days=i % 400),
                    today - timedelta(days=500),
                    today - timedelta(days=5) if status == AccountStatus.CLOSED else None,
                    today - timedelta(days=3) if status == AccountStatus.SUSPENDED else None,
                ),
                today,
            )
    database.dispose()
    return url


def time_child(code: str, *args: str) -> float:
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return float(out.stdout.strip().splitlines()[-1]) - start


def in_process_timings(url: str) -> tuple[float, float]:
    """Home screen reload and the slowest filter of the People table, in milliseconds."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from clerk_desk.app import create_main_window

    window = create_main_window(url, actor="bench-clerk")
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
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    check_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLERK_DESK_DATA_DIR"] = tmp
        path = Path(tmp) / "large.db"
        started = time.perf_counter()
        url = build_council(path, args.accounts, args.people)
        print(
            f"built {args.accounts} accounts and {args.people} people "
            f"in {time.perf_counter() - started:.1f} s"
        )
        clerk, bare = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            clerk.append(time_child(CLERK_DESK_CHILD, url))
            bare.append(time_child(BARE_CHILD, url, str(path)))
        clerk_s, bare_s = statistics.median(clerk), statistics.median(bare)
        print(f"Clerk Desk first window: median {clerk_s:.3f} s over {args.runs} runs ({_list(clerk)})")
        print(f"bare PySide6 window:     median {bare_s:.3f} s over {args.runs} runs ({_list(bare)})")
        print(f"ratio: {clerk_s / bare_s:.2f}x (budget 2x)")
        home_ms, filter_ms = in_process_timings(url)
        print(f"home screen reload: {home_ms:.1f} ms (budget 100 ms)")
        print(f"slowest People filter over {args.people} rows: {filter_ms:.1f} ms (budget 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
