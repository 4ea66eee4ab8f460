"""The import of incidents alone: N of the large council's incidents into its 1,000 people and 300 accounts.

usage (from the project root):
    uv run python bench/import_speed.py [--incidents 50000] [--base people-and-accounts.db]

The people and accounts are imported once (through the real import) into ``--base`` when it does not
exist yet; each run copies it, so another version of Clerk Desk (the main branch checked out elsewhere,
this script run from its directory with the same ``--base``) imports into the same council. Prints the
rows a second, the processor time beside the elapsed time (on a shared machine the two differ), and,
every 5,000 rows, how long the import had taken so far.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import council

# The Clerk Desk of the directory it is run from (council.py puts its own first).
sys.path.insert(0, str(Path.cwd()))


def base_council(path: Path) -> None:
    """The large council's people and accounts, without grants or incidents."""
    sizes = dict(council.SIZES)
    council.SIZES.update(grants=2, incidents=2)
    try:
        council.build(path, 1.0, report=False)
    finally:
        council.SIZES.update(sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--base", type=Path, help="the people and accounts (made when missing)")
    args = parser.parse_args()

    from clerk_desk import imports
    from clerk_desk.incidents import records
    from clerk_desk.storage.clock import FixedClock
    from clerk_desk.storage.db import open_database

    with tempfile.TemporaryDirectory() as tmp:
        base = args.base or Path(tmp) / "base.db"
        if not base.exists():
            base_council(base)
        work = Path(tmp) / "work.db"
        shutil.copy(base, work)
        now = datetime.now(UTC).replace(microsecond=0)
        rows = council.incident_rows(args.incidents, council.SIZES["accounts"], now)
        # The bench council's own two incidents take two of these references: those rows update them.
        content = council.as_csv(records.COLUMNS, rows)
        database = open_database(f"sqlite:///{work}", FixedClock(now))
        marks: list[str] = []
        started, cpu = time.perf_counter(), time.process_time()

        def progress(done: int, total: int) -> None:
            if done and done % 5000 == 0 and done < total:
                marks.append(f"{done:,}: {time.perf_counter() - started:.1f} s")

        # A version of Clerk Desk from before the import told its progress is timed without it.
        knows_progress = "progress" in inspect.signature(imports.import_rows).parameters
        told = {"progress": progress} if knows_progress else {}
        with database.transaction(council.CLERK) as session:
            result = imports.import_rows(session, "incidents", content, now.date(), **told)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        database.dispose()
    print(f"{'; '.join(marks)}")
    print(
        f"imported {args.incidents:,} incidents ({result.added:,} added, {result.updated:,} updated) in "
        f"{elapsed:.1f} s, {cpu:.1f} s of processor time: {args.incidents / elapsed:,.0f} rows a second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
