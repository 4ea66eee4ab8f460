"""CSV export: every record of a kind, in the columns the import reads; a file written whole or not at all."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.orm import Session

from clerk_desk.errors import ClerkDeskError
from clerk_desk.imports.cells import escape
from clerk_desk.imports.kinds import kind_of


def export_rows(session: Session, kind_name: str) -> str:
    """Every record of a kind as CSV text, with the same columns the import reads."""
    kind = kind_of(kind_name)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=kind.columns, lineterminator="\r\n")
    writer.writeheader()
    for row in kind.rows(session):
        writer.writerow({key: escape(value) for key, value in row.items()})
    return out.getvalue()


def write_csv(path: Path, content: str) -> None:
    """Write the whole file, or leave any existing file as it was.

    The file starts with UTF-8's byte-order mark, so Excel opened by a double-click reads "Zoë", not
    "ZoÃ«"; ``read_csv`` accepts it.
    """
    write_bytes(path, content.encode("utf-8-sig"))


def write_bytes(path: Path, content: bytes) -> None:
    """Write the whole file, or leave any existing file as it was."""
    temp = path.with_name(f".{path.name}.partial")
    try:
        temp.write_bytes(content)
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ClerkDeskError(f"Cannot write {path}: {exc.strerror}") from exc
