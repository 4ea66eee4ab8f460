"""The OS keyring: where each keyholder's private key is kept on their PC.

This is the only module that imports ``keyring``. Entries are filed under the service ``clerk-desk``:
a person's private key under ``key:<key UUID>``; passwords themselves are sealed in the database
(``credentials.copies``). Earlier versions filed each account's password under the account's UUID;
those entries are read only to move them into sealed copies. There is no fallback: with no usable
keyring, credential actions are refused with a message that says what to do, and nothing is stored
anywhere else (design.md, "Credentials and the keyring").

Keyring calls run on a worker thread with a time limit, because unlocking GNOME Keyring or KWallet can
wait for a prompt that never comes; the window stays responsive and the clerk gets a message.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from clerk_desk.errors import ClerkDeskError

SERVICE = "clerk-desk"
DEFAULT_TIMEOUT = 10.0
#: A probe entry that is looked up, never written, to tell whether the keyring answers.
_PROBE_USER = "clerk-desk-status-probe"
#: The throwaway entry ``round_trip`` writes and removes again.
_ROUND_TRIP_USER = "clerk-desk-self-test"
# Backends that would keep secrets in a file Clerk Desk cannot vouch for (vorta's keyring/db.py is the
# counter-example the house style warns about).
_REFUSED_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")

log = logging.getLogger(__name__)
T = TypeVar("T")
Waiter = Callable[[threading.Thread, float], None]


def _join(worker: threading.Thread, timeout: float) -> None:
    worker.join(timeout)


_waiter: Waiter = _join


def set_waiter(waiter: Waiter | None) -> None:
    """How to wait for a keyring call: the window installs one that keeps repainting meanwhile."""
    global _waiter
    _waiter = waiter or _join


HOW_TO_FIX = (
    "On Linux, install and start GNOME Keyring (or KWallet) and log in to the desktop; on Windows, "
    "Credential Manager and on macOS, the Keychain work without set-up."
)


class VaultState(StrEnum):
    OK = "ok"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class VaultStatus:
    """The keyring's state in words a clerk understands."""

    state: VaultState
    message: str
    backend: str = ""

    @property
    def ok(self) -> bool:
        return self.state == VaultState.OK


class VaultError(ClerkDeskError):
    """A credential action that could not be done; the message says what to do. Never holds a secret."""

    def __init__(self, state: VaultState, message: str) -> None:
        self.state = state
        super().__init__(message)


def _backend() -> KeyringBackend:
    return keyring.get_keyring()


def _backend_name(backend: KeyringBackend) -> str:
    return getattr(backend, "name", type(backend).__name__)


def _usable(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULES):
        return False
    if module == "keyring.backends.chainer":
        return bool(getattr(backend, "backends", []))
    return True


def _unavailable(detail: str = "") -> VaultError:
    why = f" ({detail})" if detail else ""
    return VaultError(
        VaultState.UNAVAILABLE,
        f"No password store is available on this PC{why}, so Clerk Desk cannot keep passwords. {HOW_TO_FIX} "
        "Clerk Desk never stores passwords anywhere else.",
    )


def _locked() -> VaultError:
    return VaultError(
        VaultState.LOCKED,
        "The password store is locked. Unlock it (on Linux, the 'Login' keyring; on Windows or macOS, "
        "sign in to your user account again) and try again.",
    )


def _call(action: Callable[[], T], timeout: float) -> T:
    """Run a keyring call on a worker thread; give up after ``timeout`` seconds."""
    backend = _backend()
    if not _usable(backend):
        raise _unavailable()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:  # handed back to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="clerk-desk-keyring", daemon=True)
    worker.start()
    _waiter(worker, timeout)
    if worker.is_alive():
        raise VaultError(
            VaultState.LOCKED,
            f"The password store did not answer within {timeout:.0f} seconds. If a window is asking you "
            "to unlock the keyring, unlock it and try again.",
        )
    error = outcome.get("error")
    if error is not None:
        raise _translate(error) from None
    return outcome.get("value")  # type: ignore[return-value]


def _translate(error: object) -> VaultError:
    # Only the exception's type is logged: a backend's message could, in principle, echo what it was given.
    log.warning("keyring call failed: %s", type(error).__name__)
    if isinstance(error, keyring.errors.KeyringLocked):
        return _locked()
    if isinstance(error, keyring.errors.NoKeyringError | keyring.errors.InitError):
        return _unavailable()
    if isinstance(error, keyring.errors.KeyringError):
        return VaultError(
            VaultState.UNAVAILABLE,
            f"The password store refused the request ({type(error).__name__}). {HOW_TO_FIX}",
        )
    return _unavailable(type(error).__name__)


def status(timeout: float = DEFAULT_TIMEOUT) -> VaultStatus:
    """Whether passwords can be kept: ok, locked or unavailable, with what to do."""
    backend = _backend()
    name = _backend_name(backend)
    try:
        _call(lambda: backend.get_password(SERVICE, _PROBE_USER), timeout)
    except VaultError as exc:
        return VaultStatus(exc.state, str(exc), name)
    return VaultStatus(VaultState.OK, f"Passwords are kept in {name}.", name)


def get_password(account_uuid: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """The account's password, or None when none is stored."""
    return _call(lambda: _backend().get_password(SERVICE, account_uuid), timeout)


def set_password(account_uuid: str, password: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Store (or replace) the account's password."""
    if not password:
        raise ClerkDeskError("An empty password cannot be stored.")
    _call(lambda: _backend().set_password(SERVICE, account_uuid, password), timeout)


def delete_password(account_uuid: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Forget the account's password; False when there was none."""

    def delete() -> bool:
        try:
            _backend().delete_password(SERVICE, account_uuid)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _call(delete, timeout)


def private_key_entry(key_uuid: str) -> str:
    """The keyring username of a person's private key."""
    return f"key:{key_uuid}"


def get_private_key(key_uuid: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """A person's private key (as text) if this PC's keyring holds it."""
    return get_password(private_key_entry(key_uuid), timeout)


def set_private_key(key_uuid: str, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    set_password(private_key_entry(key_uuid), text, timeout)


def delete_private_key(key_uuid: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    return delete_password(private_key_entry(key_uuid), timeout)


def round_trip(timeout: float = DEFAULT_TIMEOUT) -> str:
    """Store a throwaway random value, read it back and remove it again; returns the store's name.

    Proves that this PC's store really keeps what it is given (``clerk-desk self-test``). Raises VaultError,
    which never holds the value, when any step fails.
    """
    value = secrets.token_urlsafe(24)
    set_password(_ROUND_TRIP_USER, value, timeout)
    try:
        read_back = get_password(_ROUND_TRIP_USER, timeout)
    finally:
        removed = delete_password(_ROUND_TRIP_USER, timeout)
    if read_back != value:
        raise VaultError(
            VaultState.UNAVAILABLE, "The password store gave back something other than was stored."
        )
    if not removed or get_password(_ROUND_TRIP_USER, timeout) is not None:
        raise VaultError(VaultState.UNAVAILABLE, "The password store did not remove a test entry when asked.")
    return _backend_name(_backend())
