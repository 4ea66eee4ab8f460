"""The continuity commands end to end: backup, restore, archive, copy, password export/import --kdbx and
handover, with messages a clerk can act on and never a traceback or a secret."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MemoryKeyring
from pykeepass import PyKeePass

from clerk_desk.cli import main
from clerk_desk.register import authority
from clerk_desk.storage import db as db_module
from clerk_desk.storage.clock import FixedClock

PASSPHRASE = "ferry lantern oatmeal quartz ñandú"
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def fixed_time_and_user(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    monkeypatch.setattr(db_module, "SystemClock", lambda: clock)
    monkeypatch.setattr(authority, "os_login", lambda: "zhartley")


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    url = f"sqlite:///{tmp_path / 'council.db'}"

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--database", url, *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    assert run("demo")[0] == 0
    return run


def test_backup_then_restore(run: Cli, tmp_path: Path) -> None:
    code, out, _ = run("backup", "--to", str(tmp_path / "backups"))
    assert code == 0 and "Backed up to" in out
    made = next((tmp_path / "backups").glob("clerk-desk-*.db"))
    _, before, _ = run("export", "people", "-")
    assert (
        run("import", "people", str(write(tmp_path / "p.csv", "name,role\nRhiannon Evans,employee\n")))[0]
        == 0
    )
    code, out, _ = run("restore", str(made))
    assert code == 0
    assert "Restored Little Ashcombe Town Council" in out and "8 people, 8 accounts" in out
    assert "kept at" in out
    assert run("export", "people", "-")[1] == before
    assert run("audit", "--verify")[0] == 0


def test_restore_refuses_a_damaged_file_untouched(run: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.db", "not a database")
    _, before, _ = run("export", "accounts", "-")
    code, _, err = run("restore", str(bad))
    assert code == 2 and "not a SQLite database" in err
    assert run("export", "accounts", "-")[1] == before


def test_archive_and_copy(run: Cli, tmp_path: Path) -> None:
    code, out, _ = run("archive", "--out", str(tmp_path / "council.zip"))
    assert code == 0 and "SHA-256" in out
    code, out, _ = run("copy", "--to", f"sqlite:///{tmp_path / 'copy.db'}")
    assert code == 0 and "verifies" in out
    code, _, err = run("copy", "--to", f"sqlite:///{tmp_path / 'copy.db'}")
    assert code == 2 and "already holds records" in err


def test_password_export_and_import_through_stdin(
    run: Cli, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    out_file = tmp_path / "safe.kdbx"
    code, _, err = run("password", "export", "--kdbx", str(out_file), stdin="weak\n")
    assert code == 2 and "passphrase" in err and not out_file.exists()
    code, out, _ = run("password", "export", "--kdbx", str(out_file), stdin=PASSPHRASE + "\n")
    assert code == 0 and "Wrote 0 passwords" in out
    kp = PyKeePass(str(out_file), password=PASSPHRASE)
    entry = kp.add_entry(kp.root_group, "Facebook:@LittleAshcombeTC", "u", "From-KeePass-7#x")
    assert entry is not None
    kp.save()
    code, out, _ = run("password", "import", "--kdbx", str(out_file), "--dry-run", stdin=PASSPHRASE + "\n")
    assert code == 0 and "match: Facebook:@LittleAshcombeTC" in out and "Nothing was stored." in out
    assert run("password", "get", "Facebook:@LittleAshcombeTC")[0] != 0
    code, out, _ = run("password", "import", "--kdbx", str(out_file), stdin=PASSPHRASE + "\n")
    assert code == 0 and "Stored 1 passwords." in out
    assert run("password", "get", "Facebook:@LittleAshcombeTC")[1] == "From-KeePass-7#x\n"
    assert "From-KeePass-7#x" not in out
    code, _, err = run("password", "import", "--kdbx", str(out_file), stdin="wrong passphrase here\n")
    assert code == 2 and "wrong" in err


def test_handover_writes_the_pack_and_confirms(run: Cli, tmp_path: Path) -> None:
    people = write(tmp_path / "p.csv", "name,role,login\nRhiannon Evans,employee,revans\n")
    assert run("import", "people", str(people))[0] == 0
    code, out, _ = run("handover", "--to", "Rhiannon Evans", "--out", str(tmp_path / "pack"))
    assert code == 0 and "Not yet confirmed" in out
    code, _, err = run("handover", "--to", "Rhiannon Evans", "--out", str(tmp_path / "pack2"), "--confirm")
    assert code == 2 and "KeePass" in err
    code, out, _ = run(
        "handover",
        "--to",
        "Rhiannon Evans",
        "--out",
        str(tmp_path / "pack3"),
        "--kdbx",
        "--confirm",
        stdin=PASSPHRASE + "\n",
    )
    assert code == 0, out
    assert "Zoë Hartley left on 2026-11-21" in out and "Rhiannon Evans is the clerk" in out
    assert len(list((tmp_path / "pack3").glob("*.kdbx"))) == 1
    _, people_out, _ = run("export", "people", "-")
    assert "Zoë Hartley,clerk" in people_out and ",2026-11-21" in people_out
    _, findings, _ = run("check")
    assert findings.count("rotate-now") >= 6
    assert "clerk handover" in findings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
