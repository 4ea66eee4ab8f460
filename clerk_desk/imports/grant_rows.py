"""Grants applied one at a time, with the people, accounts and grants a file names read once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from clerk_desk.access import grants as access


class GrantRows:
    """The rows of one grants file, with the same rules and messages as without what was read once."""

    def __init__(self, session: Session, rows: Sequence[Mapping[str, str]]) -> None:
        self.session = session
        self.known = access.Known(session)

    def current(self, values: Mapping[str, str]) -> Mapping[str, str] | None:
        data = access.parse(values)
        names = self.known.names
        grant = self.known.find(names.person(data.person), names.account(data.account), data.granted_on)
        return access.as_row(grant) if grant else None

    def apply(self, values: Mapping[str, str], today: date) -> bool:
        data = access.parse(values)
        names = self.known.names
        existing = self.known.find(names.person(data.person), names.account(data.account), data.granted_on)
        access.save(self.session, data, today, grant_id=existing.id if existing else None, known=self.known)
        return existing is None

    def flush(self) -> None:
        pass  # each grant is written as it is saved
