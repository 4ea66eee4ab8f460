"""CSV import and export (design.md, "CSV columns"): all or nothing, errors name the row and column.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

from clerk_desk.imports.kinds import KINDS as KINDS
from clerk_desk.imports.kinds import Kind as Kind
from clerk_desk.imports.kinds import kind_of as kind_of
from clerk_desk.imports.reading import MAX_CSV_BYTES as MAX_CSV_BYTES
from clerk_desk.imports.reading import ImportResult as ImportResult
from clerk_desk.imports.reading import Progress as Progress
from clerk_desk.imports.reading import import_rows as import_rows
from clerk_desk.imports.reading import read_csv as read_csv
from clerk_desk.imports.writing import export_rows as export_rows
from clerk_desk.imports.writing import write_bytes as write_bytes
from clerk_desk.imports.writing import write_csv as write_csv
