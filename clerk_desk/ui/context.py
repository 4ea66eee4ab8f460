"""What a page needs from the application: the database, the clock and who is acting."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clerk_desk.audit import checkpoints
from clerk_desk.credentials import service as credentials
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.errors import ClerkDeskError
from clerk_desk.register import accounts
from clerk_desk.register import settings as council_settings
from clerk_desk.register.authority import Actor
from clerk_desk.storage.clock import Clock
from clerk_desk.storage.db import Database

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class Context:
    """Passed to every page and dialog instead of the main window."""

    database: Database
    actor: Actor
    #: What the keyring held when last looked at; None until the first look (it can be slow to answer).
    vault: VaultSnapshot | None = None
    _zone: ZoneInfo | None = field(default=None, repr=False)

    @property
    def clock(self) -> Clock:
        return self.database.clock

    @property
    def zone(self) -> ZoneInfo:
        """The council's time zone (the ``time_zone`` setting): every moment is shown and typed in it.
        Read once, and again after the settings are saved (``settings_changed``)."""
        if self._zone is None:
            self._zone = self.read(council_settings.time_zone)
        return self._zone

    def settings_changed(self) -> None:
        """The council's settings were saved: read the time zone again when next asked."""
        self._zone = None

    def read(self, load: Callable[[Session], T]) -> T:
        """Run a read-only service call."""
        with self.database.read() as session:
            return load(session)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One service operation, in one transaction, recorded as the actor."""
        with self.database.transaction(self.actor.name) as session:
            yield session

    def checkpoint(self, reason: str) -> None:
        """Record the head of the audit trail (at an annual report, on closing the window). A checkpoint
        that cannot be written is logged, never in the way of the work it follows."""
        try:
            checkpoints.record(self.database, self.actor.name, reason)
        except ClerkDeskError as exc:
            log.warning("no audit checkpoint (%s): %s", reason, exc)

    def refresh_vault(self) -> VaultSnapshot:
        """Look at the keyring again (after a credential action, or at start-up)."""
        self.vault = self.read(lambda session: credentials.snapshot(accounts.all_accounts(session), session))
        return self.vault
