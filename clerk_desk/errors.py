"""Errors a person can act on.

Services raise these; the CLI prints them and the UI shows them beside the field or in a dialog.
Anything else that escapes is a bug.
"""

from __future__ import annotations


class ClerkDeskError(Exception):
    """Base class for every error that carries a message meant for a person."""


class ValidationError(ClerkDeskError):
    """A value that cannot be accepted.

    Args:
        field: the field (or CSV column) the value belongs to.
        message: what is wrong, in words a clerk understands.
        row: the CSV row number (1 is the header), when the value came from a file.
    """

    def __init__(self, field: str, message: str, row: int | None = None) -> None:
        self.field = field
        self.message = message
        self.row = row
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f"row {self.row}, column {self.field}" if self.row is not None else self.field
        return f"{where}: {self.message}"

    def at_row(self, row: int, column: str | None = None) -> ValidationError:
        """The same error, placed at a CSV row (and column, when the field name differs)."""
        err = type(self).__new__(type(self))
        err.__dict__.update(self.__dict__)
        err.row = row
        if column is not None:
            err.field = column
        Exception.__init__(err, err.describe())
        return err


class PolicyViolation(ValidationError):
    """A value refused by a rule of the council's policy; the message names the clause."""

    def __init__(self, field: str, clause: str, message: str, row: int | None = None) -> None:
        self.clause = clause
        super().__init__(field, f"{message} ({clause})", row)


class StaleEditError(ClerkDeskError):
    """Someone else saved the same record after it was opened here."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} was changed by someone else after you opened it. Nothing was saved: "
            "close the form, reopen the record to see their changes, and make yours again."
        )


class NotFoundError(ClerkDeskError):
    """A named record does not exist."""


class PermissionDenied(ClerkDeskError):
    """The person acting may not do this."""


class DatabaseError(ClerkDeskError):
    """The database cannot be opened or used as it is (too new, unreadable, unreachable)."""
