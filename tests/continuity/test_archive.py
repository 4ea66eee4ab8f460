"""The portable archive: every table as JSON in a zip, a manifest of SHA-256 sums, no secret."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from services.helpers import tiny_png
from sqlalchemy import func, select

from clerk_desk.continuity import archive, transfer
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.register import accounts
from clerk_desk.register import settings as council_settings
from clerk_desk.storage.db import Database

CLERK = "Zoë Hartley"

SECRET = "Archive-never-ŝ3cr3t!9"


def test_every_table_is_in_the_archive_with_its_sha256(council: Database, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(tiny_png())  # a logo must be a picture that decodes
    with council.transaction(CLERK) as session:
        council_settings.set_logo(session, logo)
        facebook = accounts.by_name(session, "Facebook:@LittleAshcombeTC")
        assert facebook is not None
        credentials.set_password(session, facebook.id, SECRET, changed_on_platform=True)
    out = tmp_path / "council.zip"
    written = archive.write(council, out)
    manifest = archive.verify(out)
    if os.name == "posix":  # the council's records: readable by the user only
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with council.engine.connect() as conn:
        expected = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in transfer.tables()
        }
    assert manifest["rows"] == expected
    assert written.rows == sum(expected.values())
    with zipfile.ZipFile(out) as zf:
        for name, digest in manifest["sha256"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        everything = b"".join(zf.read(n) for n in zf.namelist())
        logos = json.loads(zf.read("tables/council_logo.json"))
        trail = json.loads(zf.read("tables/audit_entries.json"))
    assert SECRET.encode() not in everything
    assert logos[0]["data"]["base64"]
    assert [e["seq"] for e in trail] == list(range(1, len(trail) + 1))
    assert all(e["hash"] and e["prev_hash"] for e in trail)


def test_a_damaged_archive_is_detected(council: Database, tmp_path: Path) -> None:
    out = tmp_path / "council.zip"
    archive.write(council, out)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            dst.writestr(
                item, data.replace(b"Zo\xc3\xab", b"Zoe") if item.startswith("tables/people") else data
            )
    with pytest.raises(ClerkDeskError, match="SHA-256"):
        archive.verify(damaged)


def test_an_existing_file_is_not_overwritten(council: Database, tmp_path: Path) -> None:
    out = tmp_path / "council.zip"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(ValidationError):
        archive.write(council, out)
    assert out.read_text(encoding="utf-8") == "keep me"
