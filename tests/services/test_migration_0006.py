"""Migration 0006 moves the evidence files this PC kept in its data folder into the database, each
verified by its SHA-256; a file the PC does not have, or one that no longer matches, is left alone."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from clerk_desk.incidents import evidence
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import open_database

DATA = Path(__file__).resolve().parent.parent / "data"
INSERT = (
    "INSERT INTO incident_evidence (incident_id, filename, stored_as, sha256, size, added_at, added_by) "
    "VALUES (?, ?, ?, ?, ?, '2026-11-01 10:00:00', 'Zoë Hartley')"
)


def test_evidence_files_in_the_data_folder_are_moved_in_verified(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "council.db"
    shutil.copyfile(DATA / "schema_0005.db", path)
    kept, altered = b"screenshot of the fake page", b"a file changed after it was attached"
    folder = evidence.evidence_dir()
    conn = sqlite3.connect(path)
    try:
        incident_id = conn.execute("SELECT id FROM incidents ORDER BY id LIMIT 1").fetchone()[0]
        rows = [
            ("kept.png", "INC-OLD/kept.png", hashlib.sha256(kept).hexdigest(), len(kept)),
            ("altered.png", "INC-OLD/altered.png", hashlib.sha256(b"original").hexdigest(), 8),
            ("elsewhere.png", "INC-OLD/elsewhere.png", hashlib.sha256(b"on the other PC").hexdigest(), 15),
        ]
        for name, stored_as, digest, size in rows:
            conn.execute(
                INSERT,
                (incident_id, name, stored_as, digest, size),
            )
        conn.commit()
    finally:
        conn.close()
    (folder / "INC-OLD").mkdir(parents=True, exist_ok=True)
    (folder / "INC-OLD" / "kept.png").write_bytes(kept)
    (folder / "INC-OLD" / "altered.png").write_bytes(altered)
    try:
        database = open_database(f"sqlite:///{path}", clock)
        database.dispose()
    finally:
        shutil.rmtree(folder / "INC-OLD")
    conn = sqlite3.connect(path)
    try:
        moved = dict(conn.execute("SELECT filename, content FROM incident_evidence").fetchall())
    finally:
        conn.close()
    assert moved == {"kept.png": kept, "altered.png": None, "elsewhere.png": None}
