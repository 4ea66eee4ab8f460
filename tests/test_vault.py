"""The vault: OS keyring only, clear states, time limits, never a plaintext fallback."""

from __future__ import annotations

import contextlib
import threading
import uuid

import keyring
import pytest
from keyring.backends import fail

from clerk_desk.credentials import vault


def test_set_get_delete_in_the_keyring(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    account = str(uuid.uuid4())
    vault.set_password(account, "correct horse battery staple")
    assert memory_keyring.entries[(vault.SERVICE, account)] == "correct horse battery staple"
    assert vault.get_password(account) == "correct horse battery staple"
    assert vault.delete_password(account) is True
    assert vault.get_password(account) is None
    assert vault.delete_password(account) is False


def test_status_ok() -> None:
    assert vault.status().state == vault.VaultState.OK


def test_no_keyring_is_unavailable_with_what_to_do() -> None:
    keyring.set_keyring(fail.Keyring())
    status = vault.status()
    assert status.state == vault.VaultState.UNAVAILABLE
    assert "GNOME Keyring" in status.message and "never stores passwords anywhere else" in status.message
    with pytest.raises(vault.VaultError) as caught:
        vault.set_password(str(uuid.uuid4()), "s3cret-value")
    assert "s3cret-value" not in str(caught.value)


def test_locked_keyring(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def locked(*args: object) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    assert vault.status().state == vault.VaultState.LOCKED


def test_a_keyring_that_hangs_times_out(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    monkeypatch.setattr(memory_keyring, "get_password", lambda *args: release.wait(5))
    try:
        with pytest.raises(vault.VaultError, match="did not answer within 0 seconds"):
            vault.get_password(str(uuid.uuid4()), timeout=0.2)
    finally:
        release.set()


def test_plaintext_backends_are_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class PlaintextKeyring(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("a plaintext store must never be written")

        def delete_password(self, service: str, username: str) -> None:
            return None

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())
    assert vault.status().state == vault.VaultState.UNAVAILABLE
    with pytest.raises(vault.VaultError):
        vault.set_password("x", "never-written")


@pytest.mark.secret_service
def test_real_secret_service_round_trip() -> None:
    """Against GNOME Keyring over D-Bus (CI runs this under dbus-run-session)."""
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    account = f"clerk-desk-test-{uuid.uuid4()}"
    try:
        assert vault.status().state == vault.VaultState.OK, vault.status().message
        vault.set_password(account, "Zoë's very secret pässword")
        assert backend.get_password(vault.SERVICE, account) == "Zoë's very secret pässword"
        assert vault.get_password(account) == "Zoë's very secret pässword"
        assert vault.delete_password(account) is True
        assert vault.get_password(account) is None
    finally:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend.delete_password(vault.SERVICE, account)


def _wait_for_workers() -> None:
    for worker in threading.enumerate():
        if worker.name == "clerk-desk-keyring":
            worker.join(5)


def test_a_write_that_completes_after_the_time_limit_is_undone(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An unlock prompt answered late must not leave a password the caller was told was not stored."""
    account = str(uuid.uuid4())
    memory_keyring.entries[(vault.SERVICE, account)] = "the-old-one"
    release = threading.Event()
    real_set = memory_keyring.set_password

    def slow_set(service: str, username: str, password: str) -> None:
        release.wait(5)
        real_set(service, username, password)

    monkeypatch.setattr(memory_keyring, "set_password", slow_set)
    with pytest.raises(vault.VaultError, match="did not answer"):
        vault.set_password(account, "the-new-one", timeout=0.2)
    release.set()
    _wait_for_workers()
    assert memory_keyring.entries[(vault.SERVICE, account)] == "the-old-one"
    # A first password written late is removed again.
    fresh = str(uuid.uuid4())
    release.clear()
    with pytest.raises(vault.VaultError, match="did not answer"):
        vault.set_password(fresh, "never-recorded", timeout=0.2)
    release.set()
    _wait_for_workers()
    assert (vault.SERVICE, fresh) not in memory_keyring.entries


def test_a_private_key_written_after_the_time_limit_is_undone(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The keyring holds each person's private key: a late write of one is undone as for any entry."""
    key_uuid = str(uuid.uuid4())
    entry = (vault.SERVICE, vault.private_key_entry(key_uuid))
    memory_keyring.entries[entry] = "the-key-the-database-knows"
    release = threading.Event()
    real_set = memory_keyring.set_password

    def slow_set(service: str, username: str, password: str) -> None:
        release.wait(5)
        real_set(service, username, password)

    monkeypatch.setattr(memory_keyring, "set_password", slow_set)
    with pytest.raises(vault.VaultError, match="did not answer"):
        vault.set_private_key(key_uuid, "a-key-nobody-recorded", timeout=0.2)
    release.set()
    _wait_for_workers()
    assert memory_keyring.entries[entry] == "the-key-the-database-knows"
    assert vault.get_private_key(key_uuid) == "the-key-the-database-knows"


def test_a_removal_that_completes_late_is_undone(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    account = str(uuid.uuid4())
    memory_keyring.entries[(vault.SERVICE, account)] = "keep-me"
    release = threading.Event()
    real_delete = memory_keyring.delete_password

    def slow_delete(service: str, username: str) -> None:
        release.wait(5)
        real_delete(service, username)

    monkeypatch.setattr(memory_keyring, "delete_password", slow_delete)
    with pytest.raises(vault.VaultError, match="did not answer"):
        vault.delete_password(account, timeout=0.2)
    release.set()
    _wait_for_workers()
    assert memory_keyring.entries[(vault.SERVICE, account)] == "keep-me"


def test_time_before_the_first_keyring_call_does_not_count(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    """A command that first reads a password from its prompt has its whole limit left for the keyring."""
    import time

    with vault.time_limit(0.2):
        time.sleep(0.3)  # the clerk typing at the prompt
        assert vault.get_password(str(uuid.uuid4())) is None


def test_the_time_limit_is_for_the_whole_command(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Calls that each answer inside their own limit still stop when the command's time is up."""
    import time

    real_get = memory_keyring.get_password

    def slow_get(service: str, username: str) -> str | None:
        time.sleep(0.15)
        return real_get(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", slow_get)
    started = time.monotonic()
    answered = 0
    with pytest.raises(vault.VaultError, match="did not answer"), vault.time_limit(0.5):
        for _ in range(20):
            vault.get_password(str(uuid.uuid4()), timeout=1.0)
            answered += 1
    assert answered <= 3
    assert time.monotonic() - started < 1.0
    _wait_for_workers()


@pytest.mark.secret_service
def test_real_secret_service_keeps_a_key_and_opens_a_sealed_password(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """Key creation and a sealed round trip, with the private key in GNOME Keyring over D-Bus."""
    from datetime import date

    import factories
    from keyring.backends import SecretService

    from clerk_desk.credentials import enrolment, keys
    from clerk_desk.credentials import service as credentials
    from clerk_desk.models import Role

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    secret = "Zoë's sealed pässword-7!"
    with sqlite_db.transaction("Zoë Hartley") as session:
        factories.person(session, "Zoë Hartley", Role.CLERK)
        account_id = factories.approved_account(session, date(2026, 11, 21)).id
    entries: list[str] = []
    try:
        with sqlite_db.transaction("Zoë Hartley") as session:
            made = enrolment.set_up(session)
            entries.append(vault.private_key_entry(made.key.uuid))
            assert made.approved and made.recovery is not None
        # The private key is in the real keyring, and nowhere in the database.
        stored = backend.get_password(vault.SERVICE, entries[0])
        assert stored is not None and len(stored) == 44
        with sqlite_db.transaction("Zoë Hartley") as session:
            credentials.set_password(session, account_id, secret, changed_on_platform=True)
        with sqlite_db.transaction("Zoë Hartley") as session:
            assert credentials.reveal(session, account_id) == secret
            key, private = keys.holder_key(session)
            assert private is not None and key.fingerprint == made.key.fingerprint
        raw = sqlite_db.engine.url.database
        sqlite_db.dispose()
        from pathlib import Path

        path = Path(raw or "")
        for blob in (p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()):
            assert secret.encode() not in blob and stored.encode() not in blob
    finally:
        for entry in entries:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(vault.SERVICE, entry)
