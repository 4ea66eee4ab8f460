"""Reading a CSV file into the register: all or nothing, errors name the row and column.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from clerk_desk import collector
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.imports.cells import unescape
from clerk_desk.imports.kinds import Kind, Rows, kind_of
from clerk_desk.storage import files

#: The largest CSV file read: far more rows than a council keeps, and the size is checked before reading.
MAX_CSV_BYTES = 50 * 1024 * 1024


def read_csv(path: Path) -> str:
    """The file's text; Excel's byte-order mark and Windows line ends are accepted."""
    try:
        raw = files.read_regular(path, "file", MAX_CSV_BYTES)
    except ValidationError as exc:
        raise ClerkDeskError(f"Cannot read {path}: {exc.message}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClerkDeskError(
            f"{path} is not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'"
        ) from None


#: Rows applied between two writes of a kind imported in batches, and between two progress reports.
BATCH = 500

#: Told how many rows are done of how many, as an import goes.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def import_rows(
    session: Session, kind_name: str, content: str, today: date, progress: Progress | None = None
) -> ImportResult:
    """Apply every row in one go; the first bad row raises, naming the row and column.

    The caller's transaction makes it all or nothing. What the rows name is read once, and records are
    written many at a time; ``progress`` is told (done, total) as the rows go.
    """
    # A file of many rows makes millions of short-lived objects: the collector runs less often, and never
    # looks again at what was in memory before the rows were applied (the rows read, the names read once).
    # The window froze what it made at start-up: that stays frozen after the import, its own objects not.
    frozen_before = gc.get_freeze_count()
    with collector.fewer_collections():
        try:
            return _import(session, kind_of(kind_name), content, today, progress)
        finally:
            gc.unfreeze()
            if frozen_before:
                gc.collect()  # the import's own cycles, before what is left is frozen again
                gc.freeze()


def _import(
    session: Session, kind: Kind, content: str, today: date, progress: Progress | None
) -> ImportResult:
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ClerkDeskError(f"row 1: cannot be read as CSV ({_csv_problem(exc)})") from None
    _check_header(header, kind)
    reader.fieldnames = header
    rows, unreadable = _read(reader)
    # A column the file leaves out keeps what is stored; an empty cell in a column it has clears it.
    absent = [name for name in (*kind.columns, *kind.import_only) if name not in header]
    applier = kind.many(session, [values for _, values in rows if values is not None])
    gc.freeze()  # what is held now stays until the end: the collector need not look at it again
    seen: dict[str, int] = {}
    added = updated = 0
    total = len(rows)
    if progress:
        progress(0, total)
    for done, (number, values) in enumerate(rows, start=1):
        if values is None:
            raise ValidationError(header[-1], "has more cells than the header has columns", row=number)
        if "".join(values.values()).strip():  # a row of blank cells is skipped
            key = kind.key(values)
            if key in seen:
                raise ValidationError(kind.columns[0], f"repeats row {seen[key]}", row=number)
            seen[key] = number
            try:
                if absent:
                    values = _keep_absent(applier, values, absent)
                if applier.apply(values, today):
                    added += 1
                else:
                    updated += 1
            except ValidationError as exc:
                raise exc.at_row(number) from None
        if done % BATCH == 0:
            applier.flush()
            if progress:
                progress(done, total)
    if unreadable is not None:
        raise unreadable
    applier.flush()
    if progress:
        progress(total, total)
    return ImportResult(added, updated)


Numbered = list[tuple[int, dict[str, str] | None]]


def _read(reader: csv.DictReader[str]) -> tuple[Numbered, ClerkDeskError | None]:
    """Every row with its number (None for a row with more cells than the header), and the error of the
    first row the csv module cannot read: it is raised once the rows before it have been applied.

    Each row is read as ``csv.DictReader`` reads it (its header's names; a cell it leaves out is blank),
    straight from the reader underneath, one dictionary a row."""
    rows: Numbered = []
    header = list(reader.fieldnames or [])
    width = len(header)
    try:
        for number, raw in enumerate(_rows(reader), start=2):
            if len(raw) > width:
                rows.append((number, None))
                continue
            cells = dict(zip(header, raw, strict=False))
            if "'" in "".join(raw):  # only a cell starting with one can be an escaped formula (``unescape``)
                cells = {k: unescape(v) for k, v in cells.items()}
            if len(raw) < width:
                cells.update(dict.fromkeys(header[len(raw) :], ""))
            rows.append((number, cells))
    except ClerkDeskError as exc:
        return rows, exc
    return rows, None


def _keep_absent(applier: Rows, values: Mapping[str, str], absent: Sequence[str]) -> dict[str, str]:
    """The row with each column the file leaves out filled in from the stored record it names."""
    try:
        stored = applier.current(values)
    except ValidationError:
        stored = None  # the row is bad: applying it names the field
    kept = dict(values)
    for name in absent:
        if stored is not None and name in stored:
            kept[name] = stored[name]
    return kept


def _rows(reader: csv.DictReader[str]) -> Iterator[list[str]]:
    """The rows after the header, each a list of cells, skipping blank lines as ``csv.DictReader`` does; a
    row the csv module cannot read is a one-line error naming it."""
    cells = reader.reader
    number = 1
    while True:
        number += 1
        try:
            row = next(cells)
            while row == []:
                row = next(cells)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ClerkDeskError(f"row {number}: cannot be read as CSV ({_csv_problem(exc)})") from None
        yield row


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit() // 1024} KB; no field is that long"
    if "NUL" in text:
        return "it holds a NUL character; save the file from the spreadsheet again as 'CSV UTF-8'"
    return text


def _check_header(header: Sequence[str], kind: Kind) -> None:
    if not header:
        raise ValidationError(
            "header",
            f"the file is empty; the first row must name the columns: {', '.join(kind.columns)}",
            row=1,
        )
    repeated = next((name for index, name in enumerate(header) if name in header[:index]), None)
    if repeated is not None:
        raise ValidationError(repeated, "appears more than once in the header row", row=1)
    known = (*kind.columns, *kind.import_only)
    unknown = [name for name in header if name not in known]
    if unknown:
        raise ValidationError(
            unknown[0], f"is not a column of this file; the columns are {', '.join(known)}", row=1
        )
    missing = [name for name in kind.columns if name not in header and name not in kind.optional]
    if missing:
        raise ValidationError(missing[0], "is missing from the header row", row=1)
