"""A whole council in one portable file: a zip of every table as JSON, with a manifest of SHA-256 sums.

Every table is in it (people, accounts, access, incidents and their evidence files, settings and the
logo, the audit trail with its chain), so the archive can be read without Clerk Desk and checked for
damage with any SHA-256 tool. No password is in it in plain text: whatever the database holds of them
(sealed copies) is copied as it is, and a KeePass file is the only export of passwords.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from clerk_desk.continuity.transfer import table_rows, tables
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.storage import files
from clerk_desk.storage.db import Database
from clerk_desk.storage.migrations import HEAD

FORMAT = "clerk-desk-archive/1"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Archived:
    path: Path
    tables: int
    rows: int


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def write(database: Database, out: Path) -> Archived:
    """Write the archive to ``out`` (a new file), under a temporary name until it is complete."""
    out = out.expanduser()
    if out.exists():
        raise ValidationError("out", f"{out} already exists; choose a new file name")
    if not out.parent.is_dir():
        raise ValidationError("out", f"the folder {out.parent} does not exist")
    temporary = out.with_name(f".{out.name}.partial")
    sums: dict[str, str] = {}
    counts: dict[str, int] = {}
    try:
        temporary.unlink(missing_ok=True)
        files.create_private(temporary)  # the council's records: readable by the user only
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as zf, database.engine.connect() as conn:
            with conn.begin():
                for table in tables():
                    rows = [
                        {key: _plain(value) for key, value in row.items()}
                        for batch in table_rows(conn, table)
                        for row in batch
                    ]
                    data = json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")
                    name = f"tables/{table.name}.json"
                    zf.writestr(name, data)
                    sums[name] = hashlib.sha256(data).hexdigest()
                    counts[table.name] = len(rows)
            manifest = {
                "format": FORMAT,
                "schema": HEAD,
                "written_at": database.clock.now().isoformat(),
                "database": database.engine.dialect.name,
                "rows": counts,
                "sha256": sums,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(temporary, out)
    except OSError as exc:
        raise ClerkDeskError(f"The archive {out} could not be written: {exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return Archived(out, len(counts), sum(counts.values()))


def verify(path: Path) -> dict[str, Any]:
    """Read the manifest and check every file's SHA-256; returns the manifest."""
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise ClerkDeskError(f"{path} is not a Clerk Desk archive")
            for name, expected in manifest["sha256"].items():
                if hashlib.sha256(zf.read(name)).hexdigest() != expected:
                    raise ClerkDeskError(f"{name} in {path} does not match its SHA-256 sum: it is damaged")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ClerkDeskError(f"{path} is not a Clerk Desk archive, or it is damaged ({exc})") from exc
    return dict(manifest)
