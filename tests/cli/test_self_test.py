"""``clerk-desk --version`` and ``clerk-desk self-test``."""

from __future__ import annotations

import contextlib
from importlib import metadata

import keyring
import pytest
from keyring.backends import fail

from clerk_desk import selftest
from clerk_desk.cli import main
from clerk_desk.credentials import vault


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"clerk-desk {metadata.version('clerk-desk')}\n"


def test_the_smoke_test_flag_is_not_offered_to_clerks(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "self-test" in out
    assert "--smoke-test" not in out


def test_self_test_passes_and_leaves_nothing_in_the_keyring(
    memory_keyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["self-test"]) == 0
    out = capsys.readouterr().out
    for name, _ in selftest.CHECKS:
        assert f"ok      {name}: " in out
    assert "a test entry was stored, read back and removed" in out
    assert out.endswith("Everything Clerk Desk needs is in place.\n")
    assert memory_keyring.entries == {}


def test_self_test_without_a_password_store_exits_1_saying_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    keyring.set_keyring(fail.Keyring())
    assert main(["self-test"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  password store: No password store is available on this PC" in out
    assert "ok      database upgrades: " in out
    assert out.endswith("Problems: password store.\n")


def test_self_test_notices_missing_upgrade_scripts(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    import clerk_desk.storage.migrations as migrations

    monkeypatch.setattr(migrations, "SCRIPT_LOCATION", tmp_path)
    assert main(["self-test"]) == 1
    assert f"FAILED  database upgrades: env.py is missing from {tmp_path}" in capsys.readouterr().out


def test_a_store_that_gives_back_something_else_fails_the_round_trip(
    memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory_keyring, "get_password", lambda service, user: "not what was stored")
    with pytest.raises(vault.VaultError, match="something other than was stored") as caught:
        vault.round_trip()
    assert "not what was stored" not in str(caught.value)


@pytest.mark.secret_service
def test_the_round_trip_against_the_real_secret_service() -> None:
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    try:
        assert vault.round_trip() == backend.name
        assert backend.get_password(vault.SERVICE, "clerk-desk-self-test") is None
    finally:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend.delete_password(vault.SERVICE, "clerk-desk-self-test")
