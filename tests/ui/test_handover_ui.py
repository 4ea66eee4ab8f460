"""The Handover page: the pack and KeePass file written from the window, the passphrase typed twice,
and the confirmation ending the outgoing clerk's role."""

from __future__ import annotations

from pathlib import Path

from pykeepass import PyKeePass

from clerk_desk.models import Role
from clerk_desk.register import people
from clerk_desk.ui.main_window import MainWindow

PASSPHRASE = "ferry lantern oatmeal quartz ñandú"


def test_the_handover_page_writes_the_pack_and_confirms(window: MainWindow, tmp_path: Path) -> None:
    page = window.go_to_title("Handover")
    assert page.write_button.isEnabled()
    assert not page.confirm_button.isEnabled()
    page.incoming.set_value("Łukasz Nowak")
    page.folder.set_value(str(tmp_path / "pack"))
    page.passphrase.set_value(PASSPHRASE)
    page.again.set_value(PASSPHRASE + "x")
    assert not page.write_pack()
    assert page.again.error.text() == "Passphrase again: is not the same as the passphrase"
    assert not (tmp_path / "pack").exists()
    page.passphrase.set_value("weak")
    page.again.set_value("weak")
    assert not page.write_pack()
    assert page.passphrase.error.text().startswith("KeePass passphrase: is ")
    page.passphrase.set_value(PASSPHRASE)
    page.again.set_value(PASSPHRASE)
    assert page.write_pack(), page.message.text()
    assert page.passphrase.value() == "" and page.again.value() == ""  # not kept in the window
    assert PASSPHRASE not in page.message.text()
    kdbx = next((tmp_path / "pack").glob("*.kdbx"))
    assert PyKeePass(str(kdbx), password=PASSPHRASE) is not None
    assert next((tmp_path / "pack").glob("handover *.pdf")).stat().st_size > 0
    assert page.confirm_button.isEnabled()
    assert page.confirm(), page.message.text()
    assert "Handover confirmed: Zoë Hartley left" in page.message.text()
    today = window.context.clock.today()
    outgoing, incoming = window.context.read(
        lambda s: (people.by_name(s, "Zoë Hartley"), people.by_name(s, "Łukasz Nowak"))
    )
    assert outgoing is not None and outgoing.left_on == today
    assert incoming is not None and incoming.role == Role.CLERK
    assert not page.write_button.isEnabled()  # the outgoing clerk, still at the window, has left
