"""The OS keyring: where each keyholder's private key is kept on their PC.

This is the only module that imports ``keyring``. Entries are filed under the service ``clerk-desk``:
a person's private key under ``key:<key UUID>``; passwords themselves are sealed in the database
(``credentials.copies``). Earlier versions filed each account's password under the account's UUID;
those entries are read only to move them into sealed copies. There is no fallback: with no usable
keyring, credential actions are refused with a message that says what to do, and nothing is stored
anywhere else (design.md, "Credentials and the keyring").

Keyring calls run on a worker thread with a time limit, because unlocking GNOME Keyring or KWallet can
wait for a prompt that never comes; the window stays responsive and the clerk gets a message. The limit
is for a whole command (``time_limit``), not for each call: a keyring that answers just inside the limit
each time cannot make ``check`` take minutes.

A write that is given up on may still complete later (an unlock prompt answered late). The caller has
by then been told it failed and has recorded nothing, so the late write is undone: the entry that was
there before (a private key) is put back. The keyring never holds a key the database does not know of.
"""

from __future__ import annotations

import contextvars
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


class _Budget:
    """The time a command has with the keyring, counted from its first keyring call."""

    def __init__(self, seconds: float, outer: _Budget | None) -> None:
        self.seconds = seconds
        self.outer = outer
        self.started: float | None = None

    def ends(self) -> float:
        """When the time runs out (time.monotonic()); the clock starts at the first call."""
        if self.started is None:
            self.started = time.monotonic()
        own = self.started + self.seconds
        return own if self.outer is None else min(own, self.outer.ends())


#: The current command's time with the keyring, if it is limited.
_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "clerk_desk_keyring_budget", default=None
)


@contextmanager
def time_limit(seconds: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Limit all keyring calls made inside the block to ``seconds`` together, counted from the first of
    them: time spent before it (typing a password at a prompt) does not count. A nested limit can only
    shorten the one around it."""
    token = _budget.set(_Budget(seconds, _budget.get()))
    try:
        yield
    finally:
        _budget.reset(token)


def _no_answer(timeout: float) -> VaultError:
    return VaultError(
        VaultState.LOCKED,
        f"The password store did not answer within {timeout:.0f} seconds. If a window is asking you "
        "to unlock the keyring, unlock it and try again.",
    )


def _call(action: Callable[[], T], timeout: float, late: Callable[[], None] | None = None) -> T:
    """Run a keyring call on a worker thread; give up after ``timeout`` seconds, or sooner if the
    command's time limit runs out first.

    ``late`` runs on the worker if the call completes after it was given up on (to undo a write).
    """
    backend = _backend()
    if not _usable(backend):
        raise _unavailable()
    budget = _budget.get()
    limit = timeout
    if budget is not None:
        limit = min(timeout, budget.ends() - time.monotonic())
        if limit <= 0:
            raise _no_answer(timeout)
    outcome: dict[str, object] = {}
    lock = threading.Lock()
    state = {"done": False, "abandoned": False}

    def work() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:  # handed back to the caller's thread below
            outcome["error"] = exc
        with lock:
            state["done"] = True
            undo = state["abandoned"] and "error" not in outcome and late is not None
        if undo:
            try:
                late()  # type: ignore[misc]
            except Exception as exc:  # nobody is waiting: log the kind of failure, never its text
                log.error("undoing a late keyring write failed: %s", type(exc).__name__)

    worker = threading.Thread(target=work, name="clerk-desk-keyring", daemon=True)
    worker.start()
    _waiter(worker, limit)
    with lock:
        if not state["done"]:
            state["abandoned"] = True
            raise _no_answer(timeout)
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
    """Store (or replace) the account's password.

    If the store does not answer in time, the clerk is told it failed; should the write still complete
    later, the password that was there before is put back (or the new one removed).
    """
    if not password:
        raise ClerkDeskError("An empty password cannot be stored.")
    previous = _call(lambda: _backend().get_password(SERVICE, account_uuid), timeout)

    def put_back() -> None:
        backend = _backend()
        if previous is None:
            backend.delete_password(SERVICE, account_uuid)
        else:
            backend.set_password(SERVICE, account_uuid, previous)

    _call(lambda: _backend().set_password(SERVICE, account_uuid, password), timeout, late=put_back)


def delete_password(account_uuid: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Forget the account's password; False when there was none.

    As for a write, a removal that completes after it was given up on is undone.
    """
    previous = _call(lambda: _backend().get_password(SERVICE, account_uuid), timeout)
    if previous is None:
        return False

    def delete() -> bool:
        try:
            _backend().delete_password(SERVICE, account_uuid)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    def put_back() -> None:
        _backend().set_password(SERVICE, account_uuid, previous)

    return _call(delete, timeout, late=put_back)


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
