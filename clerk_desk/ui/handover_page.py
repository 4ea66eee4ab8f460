"""Handover: the clerk handover pack, a KeePass file for the incoming clerk, and the confirmation.

Layout and wiring only; ``continuity.handover`` writes the pack and ``continuity.handovers`` records
the handover. The passphrase is typed twice and never shown, logged or stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.continuity import handover, handovers
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.models import Role
from clerk_desk.register import people
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import Field, choice_field, line_field, passphrase_field
from clerk_desk.ui.table_page import button


class HandoverPage(QWidget):
    """Write the pack for the incoming clerk, then confirm the handover once they have it."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.pack: handover.Pack | None = None
        heading = a11y.heading("Clerk handover")
        intro = plain.label(
            "When the clerk changes: write the handover pack (a PDF of every account's way in, open "
            "incidents, access, officers and policy dates, with a checklist for the first week) and a "
            "KeePass file of the passwords for the incoming clerk. Confirming the handover ends the "
            "outgoing clerk's role and makes every password due for a change (Thornbury 9.4)."
        )
        intro.setWordWrap(True)
        self.incoming = choice_field("to", "Incoming clerk", [])
        self.folder = line_field(
            "out", "Folder for the pack", "e.g. a USB stick or the council's shared drive"
        )
        self.passphrase = passphrase_field("passphrase", "KeePass passphrase")
        self.passphrase.widget.setToolTip(
            "For a KeePass file of the passwords; leave it empty if the incoming clerk's key is approved"
        )
        self.again = passphrase_field("passphrase_again", "Passphrase again")
        self.choose_button = button("C&hoose folder…")
        self.choose_button.clicked.connect(self.choose_folder)
        form = QFormLayout()
        for field, extra in (
            (self.incoming, None),
            (self.folder, self.choose_button),
            (self.passphrase, None),
            (self.again, None),
        ):
            label = plain.label(f"{field.label}:")
            label.setBuddy(field.widget)
            row = QHBoxLayout()
            row.addWidget(field.widget, 1)
            if extra is not None:
                row.addWidget(extra)
            column = QVBoxLayout()
            column.addLayout(row)
            column.addWidget(field.error)
            form.addRow(label, column)
        self.write_button = button("&Write the pack")
        self.write_button.clicked.connect(self.write_pack)
        self.confirm_button = button("Con&firm the handover")
        self.confirm_button.clicked.connect(self.ask_to_confirm)
        self.message = plain.label()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Handover")
        actions = QHBoxLayout()
        actions.addWidget(self.write_button)
        actions.addWidget(self.confirm_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def reload(self) -> None:
        today = self.context.clock.today()

        def load(session):  # type: ignore[no-untyped-def]
            candidates = [
                p.name
                for p in people.all_people(session)
                if not p.has_left(today) and p.role not in (Role.CLERK, Role.COUNCILLOR)
            ]
            clerks = [
                p.name for p in people.all_people(session) if p.role == Role.CLERK and not p.has_left(today)
            ]
            return candidates, self.context.actor.name in clerks

        candidates, outgoing_here = self.context.read(load)
        combo = self.incoming.widget
        chosen = self.incoming.value()
        combo.clear()  # type: ignore[attr-defined]
        for name in candidates:
            combo.addItem(name, name)  # type: ignore[attr-defined]
        if chosen:
            self.incoming.set_value(chosen)
        for widget in (self.incoming.widget, self.folder.widget, self.passphrase.widget, self.again.widget):
            widget.setEnabled(outgoing_here)
        self.write_button.setEnabled(outgoing_here and bool(candidates))
        self.choose_button.setEnabled(outgoing_here)
        self.confirm_button.setEnabled(
            outgoing_here and self.pack is not None and self.pack.passwords_by is not None
        )
        if not outgoing_here:
            a11y.show_message(
                self.message,
                f"Only the clerk in post hands over; you are acting as {self.context.actor.name}.",
            )

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Choose the folder for the handover pack")
        if chosen:
            self.folder.set_value(chosen)

    def _show_error(self, field: Field, message: str) -> None:
        field.error.setText(f"{field.label}: {message}")
        field.error.setVisible(True)
        field.widget.setFocus()
        a11y.show_message(self.message, "Nothing was written; correct the field marked above.")

    def write_pack(self) -> bool:
        for field in (self.incoming, self.folder, self.passphrase, self.again):
            field.error.setVisible(False)
        if not self.incoming.value():
            self._show_error(self.incoming, "choose the person taking over")
            return False
        folder = self.folder.value().strip()
        if not folder or not Path(folder).expanduser().is_absolute():
            self._show_error(self.folder, "give the full path of a folder")
            return False
        if self.passphrase.value() != self.again.value():
            self._show_error(self.again, "is not the same as the passphrase")
            return False
        # No passphrase: no KeePass file (enough when the incoming clerk's key is approved).
        passphrase = self.passphrase.value() or None
        try:
            with self.context.write() as session:
                self.pack = handover.write_pack(
                    session,
                    self.incoming.value(),
                    Path(folder).expanduser(),
                    passphrase,
                    self.context.clock.today(),
                )
        except ValidationError as exc:
            target = {"passphrase": self.passphrase, "to": self.incoming, "out": self.folder}.get(exc.field)
            if target is not None:
                self._show_error(target, exc.message)
            else:
                a11y.show_message(self.message, str(exc))
            return False
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc))
            return False
        finally:
            self.passphrase.set_value("")
            self.again.set_value("")
        wrote = "Wrote " + " and ".join(str(p) for p in self.pack.files) + "."
        if self.pack.passwords_by is None:
            wrote += (
                " To confirm the handover, approve the incoming clerk's key (Keys), or write the pack again "
                "with a passphrase for a KeePass file."
            )
        a11y.show_message(self.message, wrote)
        self.confirm_button.setEnabled(self.pack.passwords_by is not None)
        return True

    def ask_to_confirm(self) -> None:
        answer = plain.question(
            self,
            "Confirm the handover?",
            f"Confirm that {self.incoming.value()} has the pack and can read the passwords? You will leave "
            "the clerk's role today and every password becomes due for a change.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.confirm()

    def confirm(self) -> bool:
        if self.pack is None or self.pack.passwords_by is None:
            a11y.show_message(
                self.message, "Write the pack first, with a KeePass file unless their key is approved."
            )
            return False
        try:
            with self.context.write() as session:
                done = handovers.confirm(
                    session, self.incoming.value(), self.context.clock.today(), self.pack.passwords_by
                )
        except ClerkDeskError as exc:
            a11y.show_message(self.message, str(exc))
            return False
        self.pack = None
        self.reload()
        a11y.show_message(
            self.message,
            f"Handover confirmed: {done.outgoing} left on {done.on.isoformat()} and {done.incoming} is the "
            f"clerk. {len(done.accounts)} passwords are due for a change now (clerk handover).",
        )
        return True
