"""The continuity rules: a council that can be recovered, and a way in held by the council.

``backup-overdue`` reads this PC's backups folder (``Register.backup``, given by the caller for a SQLite
council); ``two-factor-personal-device`` reads where each account's two-factor codes are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from clerk_desk import council_time
from clerk_desk.checks.findings import Finding, Register, Severity
from clerk_desk.continuity.backup import OVERDUE_AFTER
from clerk_desk.models import AccountStatus, TwoFactor, TwoFactorCodes

BACKUP_CLAUSE = "AGAR 2025/26 Assertion 10"
DEVICE_CLAUSE = "Thornbury 9.6"


def backup_overdue(register: Register) -> Iterable[Finding]:
    """No good backup in 7 days, or the backups folder cannot be written (an unplugged drive)."""
    state = register.backup
    if state is None:
        return
    if state.problem:
        yield Finding(
            "backup-overdue",
            BACKUP_CLAUSE,
            Severity.MEDIUM,
            "Backups",
            f"{state.problem} Choose another folder in Settings, or reconnect the drive.",
            "settings",
        )
        return
    if state.last is None:
        message = f"No backup of the council's database has been made in {state.folder}."
    elif register.now - state.last.made_at > OVERDUE_AFTER:
        made_on = council_time.local_date(state.last.made_at, register.settings.time_zone)
        message = (
            f"The last good backup was made on {made_on}, more than 7 days ago; "
            "close the window or run 'clerk-desk backup' to make one."
        )
    else:
        return
    yield Finding("backup-overdue", BACKUP_CLAUSE, Severity.MEDIUM, "Backups", message, "settings")


def two_factor_personal_device(register: Register) -> Iterable[Finding]:
    """The council, not a person, holds the way in: 2FA codes on a personal phone (Thornbury 9.6)."""
    for account in register.accounts:
        if (
            account.status == AccountStatus.CLOSED
            or account.two_factor_codes != TwoFactorCodes.PERSONAL_DEVICE
        ):
            continue
        if account.two_factor in (TwoFactor.NONE, TwoFactor.NOT_OFFERED):
            continue
        yield Finding(
            "two-factor-personal-device",
            DEVICE_CLAUSE,
            Severity.MEDIUM,
            account.name,
            f"The two-factor codes of {account.name} go to a personal phone; move them to a council "
            "device, mailbox or password manager, so the council and not one person holds the way in.",
            "account",
            account.id,
        )


RULES = (backup_overdue, two_factor_personal_device)
