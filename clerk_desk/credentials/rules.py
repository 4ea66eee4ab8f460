"""The rules of sealed credentials: no account depends on one person (Thornbury 9.1).

Each rule is a pure function of a loaded ``Register``; ``RULES`` lists them for the engine.
"""

from __future__ import annotations

from collections.abc import Iterable

from clerk_desk import clauses
from clerk_desk.checks.findings import Finding, Register, Severity

CLAUSE = clauses.CONTROL


def _passwords_stored(register: Register) -> bool:
    # Sealed copies only: they are in the database, so every PC gives the same answer. A password an
    # earlier version left in one PC's keyring is sealed (and counted) on its first use.
    return register.keys.sealed_accounts > 0


def passwords_single_holder(register: Register) -> Iterable[Finding]:
    """Only one person can read the passwords and there is no recovery key."""
    keys = register.keys
    if len(keys.holders) == 1 and not keys.recovery and _passwords_stored(register):
        [holder] = keys.holders
        yield Finding(
            "passwords-single-holder",
            CLAUSE,
            Severity.MEDIUM,
            holder,
            f"Only {holder} can read the council's passwords and there is no recovery key: if that PC "
            "fails or they leave, every password is lost. Have the deputy set up their PC, and make a "
            "recovery key.",
            "vault",
        )


def key_awaiting_approval(register: Register) -> Iterable[Finding]:
    """A new key waits for a keyholder to compare its fingerprint and approve it."""
    for name, fingerprint in register.keys.awaiting:
        yield Finding(
            "key-awaiting-approval",
            CLAUSE,
            Severity.LOW,
            name,
            f"{name}'s key ({fingerprint}) is waiting for approval: compare the fingerprint with "
            f"{name}'s PC, then give {name} the passwords.",
            "vault",
        )


def recovery_key_missing(register: Register) -> Iterable[Finding]:
    """Passwords are stored but the council has no recovery key for its safe."""
    if not register.keys.recovery and _passwords_stored(register):
        yield Finding(
            "recovery-key-missing",
            CLAUSE,
            Severity.HIGH,
            "Recovery key",
            "The council has no recovery key, so if every keyholder's PC is lost the passwords are lost "
            "too. Make one (Set up this PC, or clerk-desk key init) and put its emergency sheet in the "
            "council's safe.",
            "vault",
        )


RULES = (passwords_single_holder, key_awaiting_approval, recovery_key_missing)
