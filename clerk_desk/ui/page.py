"""What the main window asks of a page: nothing private."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Page(Protocol):
    """A page of the window: it reloads from the database when shown, and can show one of its records."""

    def reload(self) -> None:
        """Read what the page shows again."""

    def show_record(self, subject: object) -> bool:
        """Show the record with id ``subject`` (clearing any search or filter that hides it) and put the
        focus on it. False when the page has no such record."""
