"""The Keys dialog: set up this PC (with the recovery key and its emergency sheet), give the deputy the
passwords after comparing fingerprints, and who can read each password on the Accounts page."""

from __future__ import annotations

from pathlib import Path

import keyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from clerk_desk.credentials import enrolment
from clerk_desk.credentials import service as credentials
from clerk_desk.models import KeyState
from clerk_desk.register import accounts
from clerk_desk.storage.db import Database
from clerk_desk.ui.keys_dialog import KeysDialog, RecoveryKeyDialog
from clerk_desk.ui.main_window import MainWindow

CLERK, DEPUTY = "Zoë Hartley", "Łukasz Nowak"


def test_set_up_give_the_deputy_the_passwords_and_show_who_can_read_them(
    window: MainWindow,
    database: Database,
    memory_keyring,
    qtbot,
    monkeypatch,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    shown: list[str] = []
    sheet = tmp_path / "sheet.pdf"

    def save_and_close(self: RecoveryKeyDialog) -> int:
        shown.append(self.field.text())
        assert self.save_sheet(sheet)
        return 0

    monkeypatch.setattr(RecoveryKeyDialog, "exec", save_and_close)
    dialog = KeysDialog(window.context, window)
    qtbot.addWidget(dialog)
    assert dialog.recovery_label.text() == "The council has no recovery key yet."
    dialog.set_up()
    [row] = dialog.model.rows()
    assert (row.person, row.state, row.on_this_pc) == (CLERK, KeyState.APPROVED, True)
    assert f"fingerprint {row.fingerprint}, approved" in dialog.message.text()
    assert len(shown) == 1 and len(shown[0]) == 39 and sheet.stat().st_size > 0
    assert dialog.recovery_label.text().startswith("Recovery key fingerprint: ")

    # The deputy sets up on their own PC.
    pc2 = type(memory_keyring)()  # the deputy's PC: a keyring of its own
    keyring.set_keyring(pc2)
    with database.transaction(DEPUTY) as session:
        fingerprint = enrolment.set_up(session).key.fingerprint
    keyring.set_keyring(memory_keyring)
    dialog.reload()
    assert not dialog.give_button.isEnabled()
    dialog.table.selectRow(1)
    assert dialog.give_button.isEnabled() and dialog.give_button.text() == f"Give {DEPUTY} the passwords"
    assert dialog.give_button.accessibleName() == dialog.give_button.text()
    # A mistyped fingerprint is refused with a clear message, and nothing changes.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("0000-0000", True))
    dialog.give_passwords()
    assert "is not the fingerprint of Łukasz Nowak's key" in dialog.message.text()
    assert dialog.model.rows()[1].state == KeyState.AWAITING
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (fingerprint, True))
    dialog.table.selectRow(1)
    dialog.give_passwords()
    assert dialog.message.text() == f"{DEPUTY} can now read the council's passwords."
    assert [r.state for r in dialog.model.rows()] == [KeyState.APPROVED, KeyState.APPROVED]

    # A password set by the clerk can be read by both, and the Accounts page says so.
    with database.read() as session:
        x = accounts.by_name(session, "X:@AshcombeTC")
        assert x is not None
    with database.transaction(CLERK) as session:
        credentials.set_password(session, x.id, "Kx9!vTq#2mWz$Lp7@bNc", changed_on_platform=True)
    page = window.go_to_title("Accounts")
    window.check_vault()
    page.reload()
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    column = headers.index("Who can read it")
    row_index = [r.account.id for r in page.model.rows()].index(x.id)
    assert page.model.index(row_index, column).data() == f"{CLERK}, {DEPUTY}, recovery key"
    assert page.keys_button.isEnabled() and page.keys_button.accessibleName() == "Keys"


def test_save_to_and_store_from_a_keepass_file_in_the_window(
    window: MainWindow,
    database: Database,
    qtbot,
    monkeypatch,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """The Keys dialog writes a KeePass file of every stored password and stores one back, asking
    before a weak password; the passphrase is typed twice, and a mismatch is named."""
    from pykeepass import PyKeePass, create_database
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from clerk_desk.ui import plain
    from clerk_desk.ui.form import FormDialog

    passphrase = "lantern orchard velvet quarry ñandú"
    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda self: 0)
    dialog = KeysDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.set_up()
    with database.transaction(CLERK) as session:
        x = accounts.by_name(session, "X:@AshcombeTC")
        assert x is not None
        credentials.set_password(session, x.id, "Kx9!vTq#2mWz$Lp7@bNc", changed_on_platform=True)

    out = tmp_path / "council.kdbx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    typed = [
        {"passphrase": passphrase, "repeat": "something else"},
        {"passphrase": passphrase, "repeat": passphrase},
    ]
    errors: list[str] = []

    def fill_and_save(self: FormDialog) -> int:
        for values in typed:
            self.set_values(values)
            self.try_save()
            errors.append(self.fields["repeat"].error.text())
        return int(self.result()) if self.result_value is not None else 0

    monkeypatch.setattr(FormDialog, "exec", fill_and_save)
    assert dialog.export_button.text() == "Save to a KeePass file"
    dialog.export_button.click()
    assert errors[0] == "Passphrase again: is not the same as the passphrase"
    assert dialog.message.text().startswith(
        f"Wrote 1 passwords to {out} (KeePass). No password is stored for: "
    )
    assert passphrase not in dialog.message.text()
    kp = PyKeePass(str(out), password=passphrase)
    assert {e.title: e.password for e in kp.entries} == {"X:@AshcombeTC": "Kx9!vTq#2mWz$Lp7@bNc"}

    # Store from a file the council keeps: one weak password asks first; No stores nothing.
    source = tmp_path / "kept.kdbx"
    kept = create_database(str(source), password=passphrase)
    kept.add_entry(kept.root_group, "X:@AshcombeTC", "social", "Password1!")
    kept.add_entry(kept.root_group, "Nothing we know", "someone", "Zq8#unrelated!Lm2")
    kept.save()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (passphrase, True))
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No]
    monkeypatch.setattr(plain, "question", lambda parent, title, text: asked.append(text) or answers.pop(0))
    dialog.import_button.click()
    assert "holds passwords for 1 accounts" in asked[0] and "• X:@AshcombeTC" in asked[0]
    assert "Entries that match no account are left out: 1." in asked[0]
    assert "X:@AshcombeTC's password is" in asked[1]
    assert dialog.message.text() == "Nothing was stored."
    with database.transaction(CLERK) as session:
        assert credentials.reveal(session, x.id) == "Kx9!vTq#2mWz$Lp7@bNc"
    answers[:] = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes]
    dialog.import_button.click()
    assert dialog.message.text() == "Stored 1 passwords from the KeePass file."
    with database.transaction(CLERK) as session:
        assert credentials.reveal(session, x.id) == "Password1!"
    # A wrong passphrase is a message, and nothing is stored.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("not it", True))
    dialog.import_button.click()
    assert dialog.message.text() == "The passphrase for kept.kdbx is wrong; nothing was stored."
