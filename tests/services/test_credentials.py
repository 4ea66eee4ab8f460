"""Credential actions: only the clerk and deputy, the keyring only, two-phase rotation, the audit trail
without the secret, and a clear refusal when there is no keyring (Thornbury 9.1, 9.3, 9.4)."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import factories
import keyring
import keyring.errors
import pytest
from conftest import MemoryKeyring
from keyring.backends import fail
from sqlalchemy import MetaData, make_url, select
from sqlalchemy.orm import Session

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.checks import engine as checks
from clerk_desk.cli import main
from clerk_desk.credentials import copies, enrolment, keys, rotation, vault
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError, PermissionDenied
from clerk_desk.models import (
    Account,
    AuditEntry,
    CopyKind,
    PasswordRotation,
    Role,
    RotationReason,
    SealedCopy,
)
from clerk_desk.register import accounts
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import give_keys, row_counts

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CLERK, DEPUTY = "Zoë Hartley", "Łukasz Nowak"
VOLUNTEER, COUNCILLOR, LEAVER, STRANGER = "Tom Beckett", "Cllr Margaret Oduya", "Ayşe Ağca", "Mallory Quinn"
FACEBOOK, X = "Facebook:@TownCouncil", "X:@Town"
SECRET = "Zoë-Fb-ñ7#kQ2!vL9wR"
OTHER_SECRET = "X-acct-Ş4%mP8&tY3zB"
NEW_SECRET = "Rotated-Ğ5^nV1*qW6sD"


@dataclass
class Council:
    db: Database
    facebook: int
    x: int

    def uuid(self, account_id: int) -> str:
        with self.db.read() as session:
            return accounts.get(session, account_id).uuid


@pytest.fixture
def council(db: Database) -> Council:
    """The clerk, the deputy, people who may not handle passwords, and two active accounts.

    Facebook has no password change recorded yet; X was last changed on 2026-01-05, so with the
    default 180 days it has been overdue since 2026-07-04.
    """
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, VOLUNTEER, Role.VOLUNTEER)
        factories.person(session, COUNCILLOR, Role.COUNCILLOR)
        # A deputy clerk who has left may no longer hold the keys.
        factories.person(session, LEAVER, Role.DEPUTY_CLERK, left_on=date(2026, 10, 31))
        facebook = factories.approved_account(session, TODAY, last_rotated_on=None)
        x = factories.approved_account(
            session, TODAY, platform="X", handle="@Town", last_rotated_on=date(2026, 1, 5)
        )
    # The clerk and the deputy share this PC's keyring, each with their own key.
    give_keys(db, CLERK, DEPUTY)
    return Council(db, facebook.id, x.id)


def act(db: Database, actor: str, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One credential action by ``actor`` in its own transaction."""
    with db.transaction(actor) as session:
        return action(session, *args, **kwargs)


def key(council: Council, account_id: int, *, pending: bool = False) -> tuple[str, str]:
    uuid = council.uuid(account_id)
    return (vault.SERVICE, f"{uuid}:pending" if pending else uuid)


def sealed(council: Council, account_id: int, *, pending: bool = False) -> str | None:
    """What the clerk's key opens from the account's sealed copies (the current password, or a
    rotation's new one); None when there is none. Records nothing."""
    kind = CopyKind.PENDING if pending else CopyKind.CURRENT
    with council.db.read() as session:
        session.info["actor"] = CLERK
        holder = keys.holder_key(session)
        return copies.open_copy(session, accounts.get(session, account_id), kind, *holder)


def history(db: Database, account_id: int) -> list[PasswordRotation]:
    with db.read() as session:
        return rotation.history(session, account_id)


def entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())


def entries_after(db: Database, seq: int) -> list[AuditEntry]:
    return [entry for entry in entries(db) if entry.seq > seq]


def last_seq(db: Database) -> int:
    return max((entry.seq for entry in entries(db)), default=0)


def findings_for(db: Database, clock: FixedClock, subject: str) -> list[str]:
    with db.read() as session:
        return [f.rule for f in checks.run(session, clock) if f.subject == subject]


def account(db: Database, account_id: int) -> Account:
    with db.read() as session:
        return accounts.get(session, account_id)


# --- who may handle passwords -------------------------------------------------------------------

#: Every credential action, with what the refusal says the actor may not do.
ACTIONS: dict[str, tuple[str, Callable[[Session, int], object]]] = {
    "set": (
        "set a password",
        lambda s, a: credentials.set_password(s, a, "A-new-password-77!", changed_on_platform=True),
    ),
    "reveal": ("reveal a password", credentials.reveal),
    "copy": ("copy a password", credentials.copy),
    "begin-rotation": ("rotate a password", lambda s, a: credentials.begin_rotation(s, a, "Next-pw-88?")),
    "see-pending": ("rotate a password", credentials.pending),
    "confirm-rotation": (
        "rotate a password",
        lambda s, a: credentials.confirm_rotation(s, a, RotationReason.SCHEDULED),
    ),
    "cancel-rotation": ("rotate a password", credentials.cancel_rotation),
    "forget": ("forget a password", credentials.forget),
}


@pytest.fixture
def mid_rotation(council: Council) -> Council:
    """Facebook has a password and a rotation waiting for confirmation, so every action could proceed."""
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    act(council.db, CLERK, credentials.begin_rotation, council.facebook, NEW_SECRET)
    return council


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize(
    ("actor", "who"),
    [
        pytest.param(VOLUNTEER, VOLUNTEER, id="volunteer"),
        pytest.param(COUNCILLOR, COUNCILLOR, id="councillor"),
        pytest.param(LEAVER, LEAVER, id="deputy-who-left"),
        pytest.param(STRANGER, f"'{STRANGER}', who is not in People", id="not-in-people"),
    ],
)
def test_only_the_clerk_or_deputy_in_post_may_handle_passwords(
    mid_rotation: Council, memory_keyring: MemoryKeyring, name: str, actor: str, who: str
) -> None:
    db = mid_rotation.db
    what, action = ACTIONS[name]
    counts, trail, stored = row_counts(db), entries(db), dict(memory_keyring.entries)
    with pytest.raises(PermissionDenied) as caught:
        act(db, actor, action, mid_rotation.facebook)
    assert str(caught.value) == (
        f"Only the clerk or deputy clerk may {what} (Thornbury 9.1); you are acting as {who}."
    )
    # Nothing stored, changed or audited.
    assert memory_keyring.entries == stored
    assert row_counts(db) == counts
    assert [e.hash for e in entries(db)] == [e.hash for e in trail]


@pytest.mark.parametrize("actor", [CLERK, DEPUTY])
def test_the_clerk_and_the_deputy_may_handle_passwords(council: Council, actor: str) -> None:
    act(council.db, actor, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    assert act(council.db, actor, credentials.reveal, council.facebook) == SECRET
    assert act(council.db, actor, credentials.copy, council.facebook) == SECRET
    assert [e.actor for e in entries(council.db)[-2:]] == [actor, actor]


def test_the_window_asks_who_may_hold_the_keys(council: Council) -> None:
    with council.db.read() as session:
        assert credentials.may_hold_keys(session, CLERK, TODAY)
        assert credentials.may_hold_keys(session, DEPUTY, TODAY)
        for actor in (VOLUNTEER, COUNCILLOR, LEAVER, STRANGER, ""):
            assert not credentials.may_hold_keys(session, actor, TODAY)
        # The leaver held the keys until the day they left.
        assert credentials.may_hold_keys(session, LEAVER, date(2026, 10, 30))


# --- set password -------------------------------------------------------------------------------


def test_set_password_keeps_only_sealed_copies_one_per_key_and_the_recovery_key(
    council: Council, memory_keyring: MemoryKeyring
) -> None:
    keyring_before = dict(memory_keyring.entries)
    reason = act(
        council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True
    )
    assert reason is RotationReason.FIRST_SET
    # The keyring holds the private keys only (filed under "key:<uuid>"), and they did not change.
    assert memory_keyring.entries == keyring_before
    assert all(user.startswith("key:") for _, user in memory_keyring.entries)
    assert SECRET not in json.dumps(list(memory_keyring.entries.values()))
    with council.db.read() as session:
        held = session.execute(select(SealedCopy).where(SealedCopy.account_id == council.facebook)).scalars()
        assert sorted((c.person_key_id is None, c.recovery_key_id is None) for c in held) == [
            (False, True),
            (False, True),
            (True, False),
        ]
        assert credentials.readers(session)[council.facebook] == [CLERK, DEPUTY, "recovery key"]
    assert sealed(council, council.facebook) == SECRET


def test_the_first_password_set_is_a_first_set_entry_in_the_history(
    council: Council, memory_keyring: MemoryKeyring
) -> None:
    before = last_seq(council.db)
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    [entry] = history(council.db, council.facebook)
    assert (entry.rotated_on, entry.reason, entry.recorded_by, entry.recorded_at) == (
        TODAY,
        "first_set",
        CLERK,
        NOW,
    )
    assert entry.account_name == FACEBOOK
    # "Last changed" comes from the history.
    assert account(council.db, council.facebook).last_rotated_on == TODAY
    actions = [(e.action, e.subject_type, e.subject_label) for e in entries_after(council.db, before)]
    assert actions == [
        ("create", "Password change", FACEBOOK),
        ("update", "Account", FACEBOOK),
        ("set password", "Account", FACEBOOK),
    ]
    done = entries_after(council.db, before)[-1]
    assert (done.actor, done.at, done.subject_id) == (CLERK, NOW, str(council.facebook))
    assert json.loads(done.changes) == {"reason": [None, "first_set"]}
    assert all(SECRET not in e.changes for e in entries(council.db))


def test_setting_it_again_is_recorded_as_another_change(council: Council) -> None:
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    again = act(
        council.db, DEPUTY, credentials.set_password, council.facebook, NEW_SECRET, changed_on_platform=True
    )
    assert again is RotationReason.OTHER
    scheduled = act(
        council.db,
        DEPUTY,
        credentials.set_password,
        council.facebook,
        "Third-one-3!",
        RotationReason.SCHEDULED,
        changed_on_platform=True,
    )
    assert scheduled is RotationReason.SCHEDULED
    assert [(e.reason, e.recorded_by) for e in history(council.db, council.facebook)] == [
        ("scheduled", DEPUTY),
        ("other", DEPUTY),
        ("first_set", CLERK),
    ]
    assert act(council.db, CLERK, credentials.reveal, council.facebook) == "Third-one-3!"


def test_a_password_forgotten_then_set_again_is_not_a_first_set(council: Council) -> None:
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    act(council.db, CLERK, credentials.forget, council.facebook)
    assert (
        act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
        is RotationReason.OTHER
    )


def test_the_password_an_overdue_account_already_has_is_not_a_change(
    council: Council, memory_keyring: MemoryKeyring, clock: FixedClock
) -> None:
    """Recording the existing password keeps the account overdue: no history entry, no new date."""
    assert findings_for(council.db, clock, X) == ["password-overdue"]
    before, seq = [e.id for e in history(council.db, council.x)], last_seq(council.db)
    assert (
        act(council.db, CLERK, credentials.set_password, council.x, OTHER_SECRET, changed_on_platform=False)
        is None
    )
    assert sealed(council, council.x) == OTHER_SECRET
    assert [e.id for e in history(council.db, council.x)] == before
    assert account(council.db, council.x).last_rotated_on == date(2026, 1, 5)
    assert findings_for(council.db, clock, X) == ["password-overdue"]
    [done] = entries_after(council.db, seq)
    assert (done.action, json.loads(done.changes)) == ("set password", {"kind": [None, credentials.EXISTING]})
    # A first password that the account already had does not count as a change either.
    assert (
        act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=False)
        is None
    )
    assert history(council.db, council.facebook) == []
    assert account(council.db, council.facebook).last_rotated_on is None
    # Only a password changed on the platform restarts the interval.
    assert act(
        council.db, CLERK, credentials.set_password, council.x, NEW_SECRET, changed_on_platform=True
    ) is (RotationReason.OTHER)
    assert findings_for(council.db, clock, X) == []


def test_an_empty_password_is_refused(council: Council, memory_keyring: MemoryKeyring) -> None:
    counts = row_counts(council.db)
    with pytest.raises(ClerkDeskError, match="An empty password cannot be stored"):
        act(council.db, CLERK, credentials.set_password, council.facebook, "", changed_on_platform=True)
    with pytest.raises(ClerkDeskError, match="An empty password cannot be stored"):
        act(council.db, CLERK, credentials.begin_rotation, council.facebook, "")
    assert row_counts(council.db) == counts
    assert sealed(council, council.facebook) is None


# --- unique passwords (Thornbury 9.3) -----------------------------------------------------------


def test_another_accounts_password_needs_confirming(council: Council, memory_keyring: MemoryKeyring) -> None:
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    counts, stored = row_counts(council.db), dict(memory_keyring.entries)
    with pytest.raises(credentials.PasswordReused) as caught:
        act(council.db, CLERK, credentials.set_password, council.x, SECRET, changed_on_platform=True)
    assert caught.value.others == [FACEBOOK]
    message = str(caught.value)
    assert f"already used for {FACEBOOK}" in message and "(Thornbury 9.3)" in message
    assert SECRET not in message
    # Refused: nothing stored, no history, no audit entry.
    assert (memory_keyring.entries, row_counts(council.db)) == (stored, counts)
    assert history(council.db, council.x)[0].rotated_on == date(2026, 1, 5)

    before = last_seq(council.db)
    act(
        council.db,
        CLERK,
        credentials.set_password,
        council.x,
        SECRET,
        confirm_reuse=True,
        changed_on_platform=True,
    )
    assert sealed(council, council.x) == SECRET
    done = entries_after(council.db, before)[-1]
    assert done.action == "set password"
    assert json.loads(done.changes) == {
        "reason": [None, "other"],
        "same_password_as": [None, FACEBOOK],
    }


def test_the_accounts_own_password_is_not_reuse(council: Council) -> None:
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    assert (
        act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
        is RotationReason.OTHER
    )


def test_reuse_names_every_other_account(council: Council) -> None:
    with council.db.transaction(CLERK) as session:
        third = factories.approved_account(session, TODAY, platform="Instagram", handle="@town").id
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    act(
        council.db,
        CLERK,
        credentials.set_password,
        council.x,
        SECRET,
        confirm_reuse=True,
        changed_on_platform=True,
    )
    with pytest.raises(credentials.PasswordReused) as caught:
        act(council.db, CLERK, credentials.set_password, third, SECRET, changed_on_platform=True)
    assert sorted(caught.value.others) == [FACEBOOK, X]


# --- two-phase rotation -------------------------------------------------------------------------


@pytest.fixture
def with_password(council: Council) -> Council:
    """X has a stored password (set, as a change recorded on 2026-11-21)."""
    act(council.db, CLERK, credentials.set_password, council.x, OTHER_SECRET, changed_on_platform=True)
    return council


def test_beginning_a_rotation_keeps_the_new_password_beside_the_old(
    with_password: Council, memory_keyring: MemoryKeyring
) -> None:
    council = with_password
    changes, before = history(council.db, council.x), last_seq(council.db)
    act(council.db, CLERK, credentials.begin_rotation, council.x, NEW_SECRET)
    assert sealed(council, council.x) == OTHER_SECRET
    assert sealed(council, council.x, pending=True) == NEW_SECRET
    assert act(council.db, CLERK, credentials.pending, council.x) == NEW_SECRET
    # Not a change yet: the platform has not accepted it.
    assert [e.id for e in history(council.db, council.x)] == [e.id for e in changes]
    assert act(council.db, CLERK, credentials.reveal, council.x) == OTHER_SECRET
    started = entries_after(council.db, before)[0]
    assert (started.action, started.subject_label, started.actor) == ("rotation started", X, CLERK)
    assert NEW_SECRET not in started.changes


def test_cancelling_a_rotation_keeps_the_old_password(
    with_password: Council, memory_keyring: MemoryKeyring
) -> None:
    council = with_password
    act(council.db, CLERK, credentials.begin_rotation, council.x, NEW_SECRET)
    changes, before = history(council.db, council.x), last_seq(council.db)
    act(council.db, DEPUTY, credentials.cancel_rotation, council.x)
    assert (sealed(council, council.x), sealed(council, council.x, pending=True)) == (OTHER_SECRET, None)
    assert act(council.db, CLERK, credentials.pending, council.x) is None
    assert [e.id for e in history(council.db, council.x)] == [e.id for e in changes]
    [cancelled] = entries_after(council.db, before)
    assert (cancelled.action, cancelled.subject_label, cancelled.actor) == ("rotation cancelled", X, DEPUTY)
    # With nothing waiting, cancelling again is harmless and not recorded.
    before = last_seq(council.db)
    act(council.db, DEPUTY, credentials.cancel_rotation, council.x)
    assert entries_after(council.db, before) == []


def test_confirming_a_rotation_retires_the_old_password(
    with_password: Council, memory_keyring: MemoryKeyring, clock: FixedClock
) -> None:
    council = with_password
    act(council.db, CLERK, credentials.begin_rotation, council.x, NEW_SECRET)
    clock.moment = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # confirmed two days later
    before = last_seq(council.db)
    act(council.db, CLERK, credentials.confirm_rotation, council.x, RotationReason.SUSPECTED_COMPROMISE)
    assert (sealed(council, council.x), sealed(council, council.x, pending=True)) == (NEW_SECRET, None)
    newest = history(council.db, council.x)[0]
    assert (newest.rotated_on, newest.reason, newest.recorded_by) == (
        date(2026, 11, 23),
        "suspected_compromise",
        CLERK,
    )
    assert account(council.db, council.x).last_rotated_on == date(2026, 11, 23)
    confirmed = entries_after(council.db, before)[-1]
    assert confirmed.action == "rotation confirmed"
    assert json.loads(confirmed.changes) == {"reason": [None, "suspected_compromise"]}


def test_confirming_with_nothing_waiting_asks_to_start_again(
    with_password: Council, memory_keyring: MemoryKeyring
) -> None:
    council = with_password
    counts = row_counts(council.db)
    with pytest.raises(ClerkDeskError, match=f"There is no new password waiting for {X}; start the rotation"):
        act(council.db, CLERK, credentials.confirm_rotation, council.x, RotationReason.SCHEDULED)
    assert row_counts(council.db) == counts
    assert (sealed(council, council.x), sealed(council, council.x, pending=True)) == (OTHER_SECRET, None)


def test_a_rotation_to_another_accounts_password_needs_confirming(
    with_password: Council, memory_keyring: MemoryKeyring
) -> None:
    council = with_password
    act(council.db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    act(council.db, CLERK, credentials.begin_rotation, council.x, SECRET)
    counts = row_counts(council.db)
    with pytest.raises(credentials.PasswordReused, match=FACEBOOK):
        act(council.db, CLERK, credentials.confirm_rotation, council.x, RotationReason.SCHEDULED)
    # The old password stays, and the new one still waits for an explicit confirmation.
    assert sealed(council, council.x) == OTHER_SECRET
    assert sealed(council, council.x, pending=True) == SECRET
    assert row_counts(council.db) == counts
    act(
        council.db,
        CLERK,
        credentials.confirm_rotation,
        council.x,
        RotationReason.SCHEDULED,
        confirm_reuse=True,
    )
    assert sealed(council, council.x) == SECRET
    assert sealed(council, council.x, pending=True) is None


def test_rotating_an_overdue_password_clears_its_finding_and_adds_to_its_history(
    with_password: Council, memory_keyring: MemoryKeyring, clock: FixedClock
) -> None:
    """Done when: rotating a password for an overdue account clears its password-overdue finding and adds
    an entry to its rotation history."""
    council = with_password
    # An account whose last change (2026-01-05) is long past the council's 180 days.
    with council.db.transaction(CLERK) as session:
        overdue = factories.approved_account(
            session, TODAY, platform="YouTube", handle="Town Meetings", last_rotated_on=date(2026, 1, 5)
        ).id
    name = "YouTube:Town Meetings"
    memory_keyring.entries[key(council, overdue)] = "Old-youtube-pw-1"
    assert findings_for(council.db, clock, name) == ["password-overdue"]
    before = history(council.db, overdue)

    act(council.db, CLERK, credentials.begin_rotation, overdue, NEW_SECRET)
    assert findings_for(council.db, clock, name) == ["password-overdue"]  # not until it is confirmed
    act(council.db, CLERK, credentials.confirm_rotation, overdue, RotationReason.SCHEDULED)

    assert findings_for(council.db, clock, name) == []
    after = history(council.db, overdue)
    assert len(after) == len(before) + 1
    assert (after[0].rotated_on, after[0].reason) == (TODAY, "scheduled")
    assert sealed(council, overdue) == NEW_SECRET


# --- reveal, copy, forget -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "recorded"), [(credentials.reveal, "reveal password"), (credentials.copy, "copy password")]
)
def test_reveal_and_copy_are_audited_without_the_secret(
    with_password: Council, action: Callable[[Session, int], str], recorded: str
) -> None:
    council = with_password
    changes, before = history(council.db, council.x), last_seq(council.db)
    assert act(council.db, DEPUTY, action, council.x) == OTHER_SECRET
    [entry] = entries_after(council.db, before)
    assert (entry.action, entry.actor, entry.at) == (recorded, DEPUTY, NOW)
    assert (entry.subject_type, entry.subject_id, entry.subject_label) == ("Account", str(council.x), X)
    assert json.loads(entry.changes) == {}
    # Looking is not changing.
    assert [e.id for e in history(council.db, council.x)] == [e.id for e in changes]


@pytest.mark.parametrize("action", [credentials.reveal, credentials.copy])
def test_reveal_or_copy_with_nothing_stored_says_so(council: Council, action: Callable[..., str]) -> None:
    counts = row_counts(council.db)
    with pytest.raises(
        ClerkDeskError, match=f"No password is stored for {FACEBOOK}. Use Set password first."
    ):
        act(council.db, CLERK, action, council.facebook)
    assert row_counts(council.db) == counts


def test_forget_removes_the_password_and_any_waiting_rotation(
    with_password: Council, memory_keyring: MemoryKeyring
) -> None:
    council = with_password
    act(council.db, CLERK, credentials.begin_rotation, council.x, NEW_SECRET)
    before = last_seq(council.db)
    assert act(council.db, CLERK, credentials.forget, council.x) is True
    assert (sealed(council, council.x), sealed(council, council.x, pending=True)) == (None, None)
    [entry] = entries_after(council.db, before)
    assert (entry.action, entry.subject_label) == ("forget password", X)
    # The history of changes stays.
    assert history(council.db, council.x)
    before = last_seq(council.db)
    assert act(council.db, CLERK, credentials.forget, council.x) is False
    assert entries_after(council.db, before) == []


def test_the_security_settings_page_of_each_platform(council: Council) -> None:
    facebook, x = account(council.db, council.facebook), account(council.db, council.x)
    assert credentials.security_page(facebook) == "https://accountscenter.facebook.com/password_and_security"
    assert credentials.security_page(x) == "https://x.com/settings/password"
    mastodon = Account(platform="Mastodon", handle="@town", url="https://mastodon.social/@town")
    assert credentials.security_page(mastodon) == "https://mastodon.social/auth/edit"
    other = Account(platform="Parish Forum", handle="clerk", url="https://forum.example.org/u/clerk")
    assert credentials.security_page(other) == "https://forum.example.org/u/clerk"
    assert credentials.security_page(Account(platform="Parish Forum", handle="clerk", url=None)) is None


# --- no keyring, a locked keyring, a keyring that fails -----------------------------------------


def test_without_a_keyring_every_action_says_what_to_do(
    mid_rotation: Council, memory_keyring: MemoryKeyring
) -> None:
    db = mid_rotation.db
    counts = row_counts(db)
    keyring.set_keyring(fail.Keyring())
    for name, (_, action) in ACTIONS.items():
        with pytest.raises(vault.VaultError) as caught:
            act(db, CLERK, action, mid_rotation.facebook)
        error = caught.value
        assert error.state is vault.VaultState.UNAVAILABLE, name
        message = str(error)
        assert message.startswith("No password store is available on this PC"), name
        assert "install and start GNOME Keyring (or KWallet)" in message, name
        assert "Clerk Desk never stores passwords anywhere else." in message, name
    assert row_counts(db) == counts
    # Nothing went anywhere else either.
    keyring.set_keyring(memory_keyring)
    assert sealed(mid_rotation, mid_rotation.facebook) == SECRET
    assert sealed(mid_rotation, mid_rotation.facebook, pending=True) == NEW_SECRET


def test_a_locked_keyring_asks_to_unlock_it(
    mid_rotation: Council, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*args: object) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    for method in ("get_password", "set_password", "delete_password"):
        monkeypatch.setattr(memory_keyring, method, locked)
    counts = row_counts(mid_rotation.db)
    for name, (_, action) in ACTIONS.items():
        with pytest.raises(vault.VaultError) as caught:
            act(mid_rotation.db, CLERK, action, mid_rotation.facebook)
        assert caught.value.state is vault.VaultState.LOCKED, name
        assert "The password store is locked. Unlock it" in str(caught.value), name
    assert row_counts(mid_rotation.db) == counts


class RefusingKeyring(MemoryKeyring):
    """Reads work; every write fails, with a message that (carelessly) repeats the password."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"could not store {password!r} for {username}")


@pytest.mark.parametrize("phase", ["set", "begin-rotation", "confirm-rotation"])
def test_a_failure_while_sealing_leaves_no_history_and_no_audit_entry(
    with_password: Council, clock: FixedClock, phase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    council = with_password
    if phase == "confirm-rotation":
        act(council.db, CLERK, credentials.begin_rotation, council.x, NEW_SECRET)
    clock.moment = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # a change that stuck would be dated today
    counts, trail = row_counts(council.db), [e.hash for e in entries(council.db)]

    def broken(*args: object) -> int:
        raise ClerkDeskError("sealing failed")

    monkeypatch.setattr(copies, "store", broken)
    attempts: dict[str, Callable[[Session], object]] = {
        "set": lambda s: credentials.set_password(
            s, council.x, NEW_SECRET, confirm_reuse=True, changed_on_platform=True
        ),
        "begin-rotation": lambda s: credentials.begin_rotation(s, council.x, NEW_SECRET),
        "confirm-rotation": lambda s: credentials.confirm_rotation(s, council.x, RotationReason.SCHEDULED),
    }
    with pytest.raises(ClerkDeskError, match="sealing failed"), council.db.transaction(CLERK) as session:
        attempts[phase](session)
    # The transaction rolled back: no history entry, no audit entry, no new "last changed" date.
    assert row_counts(council.db) == counts
    assert [e.hash for e in entries(council.db)] == trail
    assert account(council.db, council.x).last_rotated_on == TODAY
    monkeypatch.undo()
    assert sealed(council, council.x) == OTHER_SECRET


def test_a_keyring_that_fails_to_store_a_new_key_leaves_no_key_and_does_not_repeat_it(
    council: Council, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    with council.db.transaction(CLERK) as session:
        factories.person(session, "Nia Evans", Role.DEPUTY_CLERK)
    refusing = RefusingKeyring()
    refusing.entries = dict(memory_keyring.entries)
    keyring.set_keyring(refusing)
    counts = row_counts(council.db)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(vault.VaultError) as caught:
        act(council.db, "Nia Evans", enrolment.set_up)
    assert "The password store refused the request (PasswordSetError)" in str(caught.value)
    assert row_counts(council.db) == counts
    with council.db.read() as session:
        assert "Nia Evans" not in [k.person.name for k in keys.all_keys(session)]
    # The backend's message held the private key; neither the error nor the log repeats it.
    told = "".join(traceback.format_exception(caught.value))
    assert "could not store" not in told and "could not store" not in caplog.text
    assert "keyring call failed: PasswordSetError" in caplog.text


# --- what the checks read -----------------------------------------------------------------------


def test_the_snapshot_keeps_who_has_a_password_and_who_shares_one_but_no_secret(
    with_password: Council,
) -> None:
    council = with_password
    act(
        council.db,
        CLERK,
        credentials.set_password,
        council.facebook,
        OTHER_SECRET,
        confirm_reuse=True,
        changed_on_platform=True,
    )
    with council.db.read() as session:
        snapshot = credentials.snapshot(accounts.all_accounts(session))
    assert snapshot.status.ok
    assert snapshot.stored == {council.uuid(council.facebook), council.uuid(council.x)}
    assert snapshot.reuse == {council.uuid(council.facebook): [X], council.uuid(council.x): [FACEBOOK]}
    assert OTHER_SECRET not in repr(snapshot)


def test_the_snapshot_of_a_missing_keyring_says_why(council: Council) -> None:
    keyring.set_keyring(fail.Keyring())
    with council.db.read() as session:
        snapshot = credentials.snapshot(accounts.all_accounts(session))
    assert snapshot.status.state is vault.VaultState.UNAVAILABLE
    assert (snapshot.stored, snapshot.reuse) == (frozenset(), {})


# --- the secret never leaks ---------------------------------------------------------------------


def every_value(db: Database) -> list[str]:
    """Every value in every table of the database, as text."""
    values: list[str] = []
    with db.engine.connect() as conn:
        metadata = MetaData()
        metadata.reflect(conn)
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    values.append(
                        value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    )
    return values


@pytest.fixture
def log_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[Path]:
    """Everything Clerk Desk logs, at DEBUG, in a file as well as in ``caplog``."""
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "clerk-desk.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("clerk_desk")
    saved_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
        handler.close()


def test_secrets_never_leak(
    council: Council,
    memory_keyring: MemoryKeyring,
    log_file: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    db = council.db
    generated = "Gen3rated-Ł9!pass-" + "q" * 4
    secrets_used = [SECRET, OTHER_SECRET, NEW_SECRET, generated, "Cancelled-Ž2@xyz-88"]
    shown: list[str] = []

    # Every credential action, including those refused and those that fail.
    act(db, CLERK, credentials.set_password, council.facebook, SECRET, changed_on_platform=True)
    act(db, DEPUTY, credentials.set_password, council.x, OTHER_SECRET, changed_on_platform=True)
    with pytest.raises(credentials.PasswordReused) as reused:
        act(db, CLERK, credentials.set_password, council.x, SECRET, changed_on_platform=True)
    shown.append(str(reused.value))
    shown.append(act(db, CLERK, credentials.reveal, council.facebook))
    shown.append(act(db, DEPUTY, credentials.copy, council.x))
    act(db, CLERK, credentials.begin_rotation, council.facebook, NEW_SECRET)
    act(db, CLERK, credentials.confirm_rotation, council.facebook, RotationReason.SUSPECTED_COMPROMISE)
    act(db, CLERK, credentials.begin_rotation, council.x, "Cancelled-Ž2@xyz-88")
    act(db, CLERK, credentials.cancel_rotation, council.x)
    act(db, CLERK, credentials.begin_rotation, council.x, generated)
    act(db, CLERK, credentials.confirm_rotation, council.x, RotationReason.SCHEDULED)
    with pytest.raises(PermissionDenied) as refused:
        act(db, VOLUNTEER, credentials.set_password, council.x, SECRET, changed_on_platform=True)
    shown.append(str(refused.value))
    with db.transaction(CLERK) as session:
        factories.person(session, "Nia Evans", Role.DEPUTY_CLERK)
    refusing = RefusingKeyring()
    refusing.entries = dict(memory_keyring.entries)
    keyring.set_keyring(refusing)
    with pytest.raises(vault.VaultError) as failed:
        act(db, "Nia Evans", enrolment.set_up)
    shown.append("".join(traceback.format_exception(failed.value)))
    keyring.set_keyring(memory_keyring)
    assert (sealed(council, council.facebook), sealed(council, council.x)) == (NEW_SECRET, generated)
    assert shown[1:3] == [SECRET, OTHER_SECRET]  # reveal and copy do hand the secret to the window
    del shown[1:3]

    # What a person can see or send on: the messages, the command line's output and files.
    with db.read() as session:
        exports = {kind: imports.export_rows(session, kind) for kind in ("people", "accounts")}
    calendar = tmp_path / "reminders.ics"
    for args in (
        ("check",),
        ("check", "--json"),
        ("export", "accounts", "-"),
        ("export", "people", "-"),
        ("export", "accounts", str(tmp_path / "accounts.csv")),
        ("audit", "--limit", "1000"),
        ("audit", "--verify"),
        ("reminders", "--ics", str(calendar)),
    ):
        main(["--database", db.url, *args])
        out, err = capsys.readouterr()
        shown += [out, err]
    shown += [*exports.values(), (tmp_path / "accounts.csv").read_text("utf-8"), calendar.read_text("utf-8")]

    # The audit trail and every other row of the database.
    trail = entries(db)
    assert {"set password", "reveal password", "copy password", "rotation started", "rotation confirmed"} <= {
        e.action for e in trail
    }
    stored_values = every_value(db)
    with db.read() as session:
        assert audit.verify(session).ok

    # The log: the failing keyring was logged (so the log is really captured), without the secret.
    logged = log_file.read_text("utf-8")
    assert "keyring call failed: PasswordSetError" in logged
    assert "keyring call failed: PasswordSetError" in caplog.text

    # The database file itself, and its write-ahead log, byte for byte.
    raw: list[bytes] = []
    if db.engine.dialect.name == "sqlite":
        db.dispose()
        path = Path(make_url(db.url).database or "")
        files = [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))]
        raw = [f.read_bytes() for f in files if f.exists()]
        # The bytes read are really the council's data (the file, or its log not yet checkpointed).
        assert any(FACEBOOK.encode("utf-8") in blob for blob in raw)

    for secret in [*secrets_used, generated + "-again"]:
        for text in shown:
            assert secret not in text
        for entry in trail:
            assert secret not in " ".join(str(v) for v in vars(entry).values())
        assert not [value for value in stored_values if secret in value]
        assert secret not in logged
        assert secret not in caplog.text
        for blob in raw:
            assert secret.encode("utf-8") not in blob
            assert secret.encode("utf-16-le") not in blob


def test_a_key_write_given_up_on_leaves_keyring_and_database_in_agreement(
    council: Council, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's private key is written to the keyring after the time limit (an unlock prompt answered
    late): nothing was recorded in the database, so the keyring goes back to what the database knows of."""
    import threading

    act(council.db, CLERK, credentials.set_password, council.x, SECRET, changed_on_platform=True)
    with council.db.transaction(CLERK) as session:
        factories.person(session, "Nia Evans", Role.DEPUTY_CLERK)
    counts, stored = row_counts(council.db), dict(memory_keyring.entries)
    release = threading.Event()
    real_set = memory_keyring.set_password

    def slow_set(service: str, username: str, password: str) -> None:
        release.wait(5)
        real_set(service, username, password)

    monkeypatch.setattr(memory_keyring, "set_password", slow_set)
    with pytest.raises(vault.VaultError, match="did not answer"), vault.time_limit(0.3):
        act(council.db, "Nia Evans", enrolment.set_up)
    release.set()
    for worker in threading.enumerate():
        if worker.name == "clerk-desk-keyring":
            worker.join(5)
    assert (memory_keyring.entries, row_counts(council.db)) == (stored, counts)
    assert sealed(council, council.x) == SECRET


def test_a_weak_password_needs_confirming(council: Council, memory_keyring: MemoryKeyring) -> None:
    counts, stored = row_counts(council.db), dict(memory_keyring.entries)
    with pytest.raises(credentials.PasswordWeak) as caught:
        act(
            council.db,
            CLERK,
            credentials.set_password,
            council.facebook,
            "Password1!",
            changed_on_platform=True,
        )
    message = str(caught.value)
    assert message.startswith("This password is ") and "could be guessed" in message
    assert "Password1!" not in message
    assert (memory_keyring.entries, row_counts(council.db)) == (stored, counts)
    act(
        council.db,
        CLERK,
        credentials.set_password,
        council.facebook,
        "Password1!",
        changed_on_platform=True,
        confirm_weak=True,
    )
    assert sealed(council, council.facebook) == "Password1!"
