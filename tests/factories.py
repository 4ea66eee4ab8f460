"""Small builders for test data, going through the services so the rules apply."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from clerk_desk.access import grants as access
from clerk_desk.access import officers
from clerk_desk.models import (
    AccessLevel,
    Account,
    AccountStatus,
    Designation,
    Grant,
    Person,
    Role,
    TwoFactor,
)
from clerk_desk.register import accounts, people


def person(session: Session, name: str = "Zoë Hartley", role: Role = Role.CLERK, **fields: Any) -> Person:
    return people.save(session, people.PersonData(name=name, role=role, **fields))


def account(
    session: Session,
    today: date,
    platform: str = "Facebook",
    handle: str = "@TownCouncil",
    status: AccountStatus = AccountStatus.PROPOSED,
    **fields: Any,
) -> Account:
    data = accounts.AccountData(platform=platform, handle=handle, status=status)
    return accounts.save(session, replace(data, **fields), today)


def approved_account(session: Session, today: date, approver: str = "Zoë Hartley", **fields: Any) -> Account:
    """An active account that meets every rule of the foundation checks."""
    defaults: dict[str, Any] = dict(
        status=AccountStatus.ACTIVE,
        approved_by=approver,
        approved_on=date(2026, 1, 5),
        business_case="Residents' news",
        sign_in_email="social@town.gov.uk",
        two_factor=TwoFactor.APP,
        complaints_info=True,
        last_rotated_on=date(2026, 10, 1),
        opened_on=date(2026, 1, 5),
    )
    defaults.update(fields)
    return account(session, today, **defaults)


def grant(
    session: Session,
    today: date,
    person: str = "Nguyễn Thu Hà",
    account: str = "Facebook:@TownCouncil",
    **fields: Any,
) -> Grant:
    """A grant in force, approved by the clerk, with its business case."""
    data = access.GrantData(
        person=person,
        account=account,
        level=AccessLevel.POST,
        business_case="Posts news and events",
        approved_by="Zoë Hartley",
        granted_on=date(2026, 6, 1),
    )
    return access.save(session, replace(data, **fields), today)


def designation(
    session: Session,
    today: date,
    person: str = "Nguyễn Thu Hà",
    accounts: tuple[str, ...] = ("Facebook:@TownCouncil",),
    **fields: Any,
) -> Designation:
    """A designated officer, designated by the clerk."""
    data = officers.OfficerData(person, accounts, "Zoë Hartley", date(2026, 6, 1))
    return officers.save(session, replace(data, **fields), today)
