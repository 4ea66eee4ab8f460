"""KeePass files from the window: save every stored password to a new KeePass file, and store the
passwords of a KeePass file the council already keeps (Thornbury 9.1, 9.6: the passwords are never in
one person's head or on one PC only). The same services as ``clerk-desk password export`` / ``import``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from clerk_desk.continuity import kdbx
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, passphrase_field

T = TypeVar("T")
#: How many of an import's matches a confirmation lists by name before saying how many more there are.
LISTED = 15


def _busy(work: Callable[[], T]) -> T:
    """Run a slow step (a KeePass file's key takes seconds to derive) with the busy cursor."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QApplication.restoreOverrideCursor()


def export_file(context: Context, parent: QWidget | None = None) -> str | None:
    """Ask for a new file and a passphrase, write the KeePass file; the sentence to show, or None."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save the passwords to a KeePass file", "council-passwords.kdbx", "KeePass (*.kdbx)"
    )
    if not chosen:
        return None
    path = Path(chosen)

    def submit(values: dict[str, str]) -> kdbx.Exported:
        if values["repeat"] != values["passphrase"]:
            raise ValidationError("repeat", "is not the same as the passphrase")
        with context.write() as session:
            return _busy(lambda: kdbx.export(session, path, values["passphrase"]))

    dialog = FormDialog(
        "Passphrase for the KeePass file",
        [passphrase_field("passphrase", "Passphrase"), passphrase_field("repeat", "Passphrase again")],
        parent,
        intro=(
            f"Every stored password will be written to {path.name}, locked with this passphrase. Use four or "
            "five random words, and keep the passphrase apart from the file."
        ),
        save_text="Write the file",
        submit=submit,
    )
    try:
        if a11y.exec_dialog(dialog) != FormDialog.DialogCode.Accepted:
            return None
        written: kdbx.Exported = dialog.result_value
    finally:
        for field in dialog.fields.values():
            field.set_value("")  # the passphrase does not outlive the dialog
    text = f"Wrote {written.entries} passwords to {written.path} (KeePass)."
    if written.without_password:
        text += f" No password is stored for: {', '.join(written.without_password)}."
    return text


def import_file(context: Context, parent: QWidget | None = None) -> str | None:
    """Ask for a KeePass file and its passphrase, show what matches, and store it on confirmation.

    The passwords are recorded as the ones the accounts already have, not as changes (issue 9's rule):
    storing them does not settle a password change that is due."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Store passwords from a KeePass file", "", "KeePass (*.kdbx);;All files (*)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    passphrase, ok = QInputDialog.getText(
        parent, "KeePass passphrase", f"Passphrase of {path.name}:", QLineEdit.EchoMode.Password
    )
    if not ok:
        return None
    try:
        plan = _busy(lambda: context.read(lambda session: kdbx.plan_import(session, path, passphrase)))
    except ClerkDeskError as exc:
        return str(exc)
    finally:
        passphrase = ""
    if not plan.matches:
        return f"No entry in {path.name} matches an account of the register; nothing was stored."
    if (
        plain.question(parent, "Store these passwords?", _plan_text(path, plan))
        != QMessageBox.StandardButton.Yes
    ):
        return "Nothing was stored."
    return _store(context, plan, parent)


def _plan_text(path: Path, plan: kdbx.ImportPlan) -> str:
    names = [f"{m.account} (from “{m.entry}”)" for m in plan.matches]
    listed = "\n".join(f"• {name}" for name in names[:LISTED])
    more = f"\n… and {len(names) - LISTED} more" if len(names) > LISTED else ""
    text = (
        f"{path.name} holds passwords for {len(plan.matches)} accounts:\n{listed}{more}\n\n"
        "They are stored as the passwords the accounts already have (not a change), so any change that "
        "is due stays due."
    )
    if plan.unmatched_entries:
        text += f"\n\nEntries that match no account are left out: {len(plan.unmatched_entries)}."
    if plan.accounts_without_entry:
        text += f"\nAccounts with no entry in the file: {', '.join(plan.accounts_without_entry)}."
    return text


def _store(context: Context, plan: kdbx.ImportPlan, parent: QWidget | None) -> str:
    def write(allow_weak: bool) -> int:
        with context.write() as session:
            return kdbx.store(session, plan, allow_weak=allow_weak)

    try:
        try:
            stored = write(allow_weak=False)
        except kdbx.WeakInFile as exc:
            question = (
                f"{exc.account}'s password is {exc.strength}: it could be guessed. Store them all anyway?"
            )
            if plain.question(parent, "Weak password", question) != QMessageBox.StandardButton.Yes:
                return "Nothing was stored."
            stored = write(allow_weak=True)
    except ClerkDeskError as exc:
        return str(exc)
    return f"Stored {stored} passwords from the KeePass file."
