"""KeePass (KDBX 4) files: the one export of passwords, for the council safe or a clerk handover.

A file is protected by a passphrase of at least "strong" strength (zxcvbn). Each account with a stored
password becomes one entry in a group named after the council: title ``Platform:handle``, username the
sign-in email, the password, the URL, and notes with the business case and how its sign-in is
protected. Importing matches entries to accounts by title or URL, shows the match first, and stores
every matched password or none, as sealed copies. Passwords are read and written only through
``credentials.service``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from clerk_desk.audit import chain as audit
from clerk_desk.credentials import passwords
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.models import Account, AccountStatus, TwoFactor, TwoFactorCodes
from clerk_desk.register import accounts
from clerk_desk.register import settings as council_settings


class KeePassError(ClerkDeskError):
    """The KeePass file cannot be read or written; nothing was stored."""


class WeakInFile(ClerkDeskError):
    """A password in the file is weak; storing it needs the clerk's word (``allow_weak``)."""

    def __init__(self, account: str, strength: str) -> None:
        super().__init__(
            f"The password for {account} is {strength}: it could be guessed. "
            "Change it on the platform first, or import with --allow-weak. Nothing was stored."
        )
        self.account, self.strength = account, strength


@dataclass(frozen=True)
class Exported:
    path: Path
    entries: int
    without_password: list[str]


def check_passphrase(passphrase: str, context: Sequence[str] = ()) -> None:
    """A KeePass passphrase must be at least "strong" (zxcvbn score 3 of 4)."""
    verdict = passwords.strength(passphrase, tuple(context))
    if not verdict.acceptable:
        advice = f" {verdict.advice}" if verdict.advice else ""
        raise ValidationError(
            "passphrase",
            f"is {verdict.label.lower()}; use a longer one, e.g. four or five random words.{advice}",
        )


def notes_for(account: Account) -> str:
    """The entry's notes: what the account is for and how its sign-in is protected (never a secret)."""
    two_factor = TwoFactor(account.two_factor).label if account.two_factor else "Not recorded"
    codes = TwoFactorCodes(account.two_factor_codes).label if account.two_factor_codes else "Not recorded"
    lines = [
        f"Business case: {account.business_case or 'Not recorded'}",
        f"Two-factor: {two_factor}",
        f"Two-factor codes kept: {codes}",
        f"Recovery email: {account.recovery_email or 'Not recorded'}",
        f"Recovery phone: {account.recovery_phone or 'Not recorded'}",
    ]
    return "\n".join(lines)


def export(session: Session, path: Path, passphrase: str, *, only: Sequence[int] | None = None) -> Exported:
    """Write every stored password (or those of ``only``) to a new KeePass file at ``path``."""
    credentials.require_keyholder(session, "export passwords")
    council = council_settings.load(session).council_name or "Council"
    check_passphrase(passphrase, (council,))
    path = path.expanduser()
    if path.exists():
        raise ValidationError("kdbx", f"{path} already exists; choose a new file name")
    if not path.parent.is_dir():
        raise ValidationError("kdbx", f"the folder {path.parent} does not exist")
    registered = [
        a
        for a in accounts.all_accounts(session)
        if a.status != AccountStatus.CLOSED and (only is None or a.id in only)
    ]
    held = credentials.snapshot(registered, session)
    if not held.status.ok:
        raise KeePassError(held.status.message)
    with_password = [a for a in registered if a.uuid in held.stored]
    temporary = path.with_name(f".{path.name}.partial")
    try:
        _write(temporary, passphrase, council, session, with_password)
        os.replace(temporary, path)
    except OSError as exc:
        raise KeePassError(f"The KeePass file {path} could not be written: {exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    audit.record(session, "export passwords", "KeePass file", "", path.name, {"entries": len(with_password)})
    missing = [a.name for a in registered if a.uuid not in held.stored]
    return Exported(path, len(with_password), missing)


def _write(target: Path, passphrase: str, council: str, session: Session, chosen: list[Account]) -> None:
    from pykeepass import create_database

    kp = create_database(str(target), password=passphrase)
    group = kp.add_group(kp.root_group, council)
    for account in chosen:
        secret = credentials.reveal(session, account.id)
        kp.add_entry(
            group,
            title=account.name,
            username=account.sign_in_email or "",
            password=secret,
            url=account.url or "",
            notes=notes_for(account),
        )
    kp.save()


@dataclass(frozen=True)
class Match:
    account_id: int
    account: str
    entry: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class ImportPlan:
    """What a KeePass file would store; shown before anything is stored."""

    matches: list[Match]
    unmatched_entries: list[str]
    accounts_without_entry: list[str]

    def describe(self) -> list[str]:
        lines = [f"match: {m.entry} -> {m.account}" for m in self.matches]
        lines += [f"no account for entry: {title}" for title in self.unmatched_entries]
        lines += [f"no entry for account: {name}" for name in self.accounts_without_entry]
        return lines


def open_file(path: Path, passphrase: str):  # type: ignore[no-untyped-def]
    """The KeePass database; a wrong passphrase or a damaged file is refused in words."""
    from pykeepass import PyKeePass
    from pykeepass.exceptions import CredentialsError

    path = path.expanduser()
    if not path.is_file():
        raise KeePassError(f"{path} does not exist.")
    try:
        return PyKeePass(str(path), password=passphrase)
    except CredentialsError as exc:
        raise KeePassError(f"The passphrase for {path.name} is wrong; nothing was stored.") from exc
    except Exception as exc:  # construct and pykeepass raise many kinds of error for a damaged file
        raise KeePassError(
            f"{path.name} is not a KeePass file, or it is damaged; nothing was stored."
        ) from exc


def _url_key(url: str | None) -> str:
    if not url:
        return ""
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    host = parts.netloc.casefold().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/').casefold()}"


def plan_import(session: Session, path: Path, passphrase: str) -> ImportPlan:
    """Match the file's entries to accounts by title (``Platform:handle``) or URL."""
    kp = open_file(path, passphrase)
    live = [a for a in accounts.all_accounts(session) if a.status != AccountStatus.CLOSED]
    by_title = {a.name.casefold(): a for a in live}
    by_url = {_url_key(a.url): a for a in live if a.url}
    recycle = kp.recyclebin_group
    matches: dict[int, Match] = {}
    unmatched: list[str] = []
    for entry in kp.entries:
        if recycle is not None and entry.group == recycle:
            continue
        title = entry.title or "(untitled)"
        account = by_title.get(title.strip().casefold()) or by_url.get(_url_key(entry.url))
        if account is None or not entry.password:
            unmatched.append(title if entry.password else f"{title} (no password)")
            continue
        if account.id in matches:
            raise KeePassError(
                f"Two entries match {account.name}: '{matches[account.id].entry}' and '{title}'. "
                "Keep one of them in the file; nothing was stored."
            )
        matches[account.id] = Match(account.id, account.name, title, entry.password)
    missing = [a.name for a in live if a.id not in matches]
    return ImportPlan(sorted(matches.values(), key=lambda m: m.account.casefold()), unmatched, missing)


def store(session: Session, plan: ImportPlan, *, allow_weak: bool = False) -> int:
    """Store every matched password, or none: they are the passwords the accounts already have (not a
    change), sealed in the caller's transaction, which a refusal for any one of them rolls back whole.
    A weak password is refused unless ``allow_weak`` says the clerk has been told and accepts it."""
    credentials.require_keyholder(session, "import passwords")
    _check_unique(plan.matches)
    for match in plan.matches:
        try:
            credentials.set_password(
                session, match.account_id, match.password, changed_on_platform=False, confirm_weak=allow_weak
            )
        except credentials.PasswordWeak as exc:
            raise WeakInFile(match.account, exc.verdict.label.lower()) from exc
        except credentials.PasswordReused as exc:
            raise ClerkDeskError(
                f"The password for {match.account} is already used for {', '.join(exc.others)} "
                f"({credentials.UNIQUE_CLAUSE}). Nothing was stored."
            ) from exc
    audit.record(
        session, "import passwords", "KeePass file", "", "KeePass import", {"entries": len(plan.matches)}
    )
    return len(plan.matches)


def _check_unique(matches: Sequence[Match]) -> None:
    """Every account has its own password (Thornbury 9.3): no two entries of the file share one."""
    seen: dict[str, str] = {}
    for match in matches:
        if not match.password:
            raise ValidationError("password", f"the entry for {match.account} has an empty password")
        if match.password in seen:
            raise ClerkDeskError(
                f"{match.account} and {seen[match.password]} have the same password in the file; every "
                f"account should have its own ({credentials.UNIQUE_CLAUSE}). Nothing was stored."
            )
        seen[match.password] = match.account
