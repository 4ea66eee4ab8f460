"""`clerk-desk import` on a large file: a progress line on a terminal and none when redirected, and a
killed import leaves nothing behind."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import factories

from clerk_desk.audit import chain as audit
from clerk_desk.cli import main
from clerk_desk.cli_support import ProgressLine
from clerk_desk.models import Role
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import open_database

ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def incidents_file(path: Path, count: int) -> Path:
    lines = ["reference,category,title,description"]
    lines += [f"INC-2026-{i:05d},other,Spam {i},Comments removed" for i in range(1, count + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def council(url: str, clock: FixedClock) -> None:
    database = open_database(url, clock)
    with database.transaction("Zoë Hartley") as session:
        factories.person(session, "Zoë Hartley", Role.CLERK, login="zhartley")
    database.dispose()


def test_the_progress_line_is_redrawn_in_place_at_most_ten_times_a_second() -> None:
    stream, now = Terminal(), [0.0]
    line = ProgressLine(stream, "Importing incidents", clock=lambda: now[0])
    line(0, 3000)
    for done in range(500, 3000, 500):
        now[0] += 0.04
        line(done, 3000)
    line(3000, 3000)  # the last one is always drawn
    line.end()
    assert stream.getvalue() == (
        "\rImporting incidents: 0 of 3,000 rows (0%)"
        "\rImporting incidents: 1,500 of 3,000 rows (50%)"
        "\rImporting incidents: 3,000 of 3,000 rows (100%)\n"
    )


def test_no_progress_line_is_written_when_the_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, "Importing incidents")
    line(0, 10)
    line(10, 10)
    line.end()
    assert stream.getvalue() == ""


def test_an_import_with_its_output_redirected_prints_only_the_result(
    tmp_path: Path, clock: FixedClock, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.register import authority

    monkeypatch.setattr(authority, "os_login", lambda: "zhartley")
    url = f"sqlite:///{tmp_path / 'council.db'}"
    council(url, clock)
    capsys.readouterr()
    code = main(["--database", url, "import", "incidents", str(incidents_file(tmp_path / "i.csv", 1200))])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == f"Imported {tmp_path / 'i.csv'}: 1200 added, 0 updated.\n"


def run_on_a_terminal(args: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    """The command with its error output on a pseudo-terminal (as in a shell window)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "USER": "zhartley", "LOGNAME": "zhartley", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "clerk_desk", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    return process, leader


def read_terminal(leader: int, until: float, stop: bytes | None = None) -> bytes:
    seen = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the command has ended
                break
            if not chunk:
                break
            seen += chunk
            if stop is not None and stop in seen:
                break
    return seen


def test_an_import_on_a_terminal_shows_a_progress_line(tmp_path: Path, clock: FixedClock) -> None:
    url = f"sqlite:///{tmp_path / 'council.db'}"
    council(url, clock)
    process, leader = run_on_a_terminal(
        ["--database", url, "import", "incidents", str(incidents_file(tmp_path / "i.csv", 1500))]
    )
    shown = read_terminal(leader, time.monotonic() + 120)
    out, _ = process.communicate(timeout=120)
    os.close(leader)
    assert process.returncode == 0, shown
    assert b"\rImporting incidents: 0 of 1,500 rows (0%)" in shown
    assert shown.rstrip().endswith(b"\rImporting incidents: 1,500 of 1,500 rows (100%)")
    assert out.decode() == f"Imported {tmp_path / 'i.csv'}: 1500 added, 0 updated.\n"


def test_an_import_killed_half_way_leaves_nothing_behind(tmp_path: Path, clock: FixedClock) -> None:
    """kill -9 in the middle of a large import (batches already written in its transaction): the
    database holds nothing of it, and the audit trail still verifies."""
    path = tmp_path / "council.db"
    url = f"sqlite:///{path}"
    council(url, clock)
    before = {table: _count(path, table) for table in ("incidents", "audit_entries")}
    process, leader = run_on_a_terminal(
        ["--database", url, "import", "incidents", str(incidents_file(tmp_path / "i.csv", 60_000))]
    )
    # Wait until batches are written (the progress line past a thousand rows), then kill it outright.
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _done(seen) < 1000:
        seen += read_terminal(leader, time.monotonic() + 0.5)
    assert 1000 <= _done(seen) < 60_000, seen
    assert b" of 60,000 rows" in seen, seen
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    os.close(leader)
    assert process.returncode == -signal.SIGKILL
    assert {table: _count(path, table) for table in before} == before
    database = open_database(url, clock)
    try:
        with database.read() as session:
            assert audit.verify(session).ok
    finally:
        database.dispose()


def _done(shown: bytes) -> int:
    """The rows done, as the last progress line says."""
    counts = re.findall(rb"Importing incidents: ([0-9,]+) of", shown)
    return int(counts[-1].replace(b",", b"")) if counts else 0


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
