"""The register of authorised accounts (Barling Magna; Stalbridge 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QMessageBox, QWidget

from clerk_desk.checks import engine as checks
from clerk_desk.credentials import rotation
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import Account, AccountStatus, RotationReason, TwoFactor
from clerk_desk.register import accounts, authority
from clerk_desk.register import settings as council_settings
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.account_dialogs import account_dialog, approve_dialog, close_dialog
from clerk_desk.ui.context import Context
from clerk_desk.ui.credential_dialogs import (
    HistoryDialog,
    RevealDialog,
    RotateDialog,
    SetPasswordDialog,
)
from clerk_desk.ui.keys_dialog import KeysDialog
from clerk_desk.ui.password_editor import ClipboardGuard
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button


@dataclass(frozen=True)
class AccountRow:
    """An account and what the table shows about it."""

    account: Account
    password_due: date | None
    password_state: str = ""
    readers: str = ""

    @property
    def status_text(self) -> str:
        a = self.account
        if a.status == AccountStatus.SUSPENDED and a.suspended_from:
            until = f" to {a.suspended_to.isoformat()}" if a.suspended_to else ""
            return f"Suspended from {a.suspended_from.isoformat()}{until}"
        if a.status == AccountStatus.CLOSED and a.closed_on:
            return f"Closed {a.closed_on.isoformat()}"
        return AccountStatus(a.status).label


def _two_factor(account: Account) -> str:
    return TwoFactor(account.two_factor).label if account.two_factor else "Not recorded"


COLUMNS: list[Column[AccountRow]] = [
    Column("Platform", lambda r: r.account.platform),
    Column("Handle", lambda r: r.account.handle),
    Column("Status", lambda r: r.status_text, sort=lambda r: r.account.status),
    Column("Password", lambda r: r.password_state),
    Column("Who can read it", lambda r: r.readers),
    Column("Password due", lambda r: r.password_due),
    Column("Two-factor", lambda r: _two_factor(r.account)),
    Column("Approved by", lambda r: r.account.approved_by.name if r.account.approved_by else "Not approved"),
    Column("Approved on", lambda r: r.account.approved_on),
    Column("Last changed", lambda r: r.account.last_rotated_on),
    Column("Sign-in email", lambda r: r.account.sign_in_email),
    Column("Complaints info", lambda r: r.account.complaints_info),
    Column("Purpose", lambda r: r.account.purpose, tooltip=lambda r: r.account.business_case),
]


class AccountsPage(TablePage):
    """Lists every account; add, edit, approve and close them."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Accounts", RowTableModel(COLUMNS, zone=lambda: context.zone), parent)
        self.context = context
        self.add_button = button("&Add account", "Register a new or proposed account")
        self.edit_button = button("&Edit", "Edit the selected account (or double-click it)")
        self.approve_button = button(
            "A&pprove", "Approve the selected proposal (Barling Magna; Stalbridge 4)"
        )
        self.close_button = button("&Close account", "Mark the selected account closed; its row is kept")
        for widget in (self.add_button, self.edit_button, self.approve_button, self.close_button):
            self.add_action(widget)
        self.finish_actions()

        self.set_password_button = button(
            "Set pass&word", "Store the account's password in the password store"
        )
        self.reveal_button = button("&Reveal", "Show the password for 30 seconds")
        self.copy_button = button("C&opy", "Copy the password; the clipboard is cleared after 30 seconds")
        self.rotate_button = button(
            "Ro&tate", "Change the password: new one kept until the platform accepts it"
        )
        self.history_button = button("&History", "The account's password changes")
        self.forget_button = button("&Forget", "Remove the password from the password store")
        self.keys_button = button("&Keys", "Set up this PC, give the deputy the passwords, the recovery key")
        self.credential_buttons = (
            self.set_password_button,
            self.reveal_button,
            self.copy_button,
            self.rotate_button,
            self.forget_button,
        )
        password_bar = QHBoxLayout()
        password_label = plain.label("Password:")
        password_bar.addWidget(password_label)
        for widget in (
            *self.credential_buttons[:4],
            self.history_button,
            self.forget_button,
            self.keys_button,
        ):
            password_bar.addWidget(widget)
        password_bar.addStretch(1)
        self.vault_state = plain.label()
        password_bar.addWidget(self.vault_state)
        self.body.insertLayout(2, password_bar)
        self.clipboard = ClipboardGuard()
        self.set_password_button.clicked.connect(self.set_password)
        self.reveal_button.clicked.connect(self.reveal)
        self.copy_button.clicked.connect(self.copy)
        self.rotate_button.clicked.connect(self.rotate)
        self.history_button.clicked.connect(self.history)
        self.forget_button.clicked.connect(self.forget)
        self.keys_button.clicked.connect(self.keys)
        self._holds_keys = False

        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for status in AccountStatus:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.currentIndexChanged.connect(self._apply_status_filter)
        self.add_filter("Stat&us", self.status_filter)

        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(lambda: self.edit(self._selected()))
        self.approve_button.clicked.connect(self.approve)
        self.close_button.clicked.connect(self.close_account)
        self.activated.connect(lambda row: self.edit(row.account))
        self.selection_changed.connect(self._update_buttons)
        self._may_manage = True

    def reload(self) -> None:
        snapshot = self.context.vault
        today = self.context.clock.today()

        def state(account: Account) -> str:
            """What the password store holds for the account, once it has been looked at."""
            if snapshot is None:
                return ""
            if not snapshot.status.ok:
                return "Store unavailable"
            if account.uuid not in snapshot.stored:
                return "Not stored" if account.status != AccountStatus.CLOSED else ""
            return "Reused" if snapshot.reuse.get(account.uuid) else "Stored"

        def load(session):  # type: ignore[no-untyped-def]
            settings = council_settings.load(session)
            readers = credentials.readers(session)
            rows = [
                AccountRow(a, checks.rotation_due(a, settings), state(a), ", ".join(readers.get(a.id, [])))
                for a in accounts.all_accounts(session)
            ]
            actor = self.context.actor.name
            return (
                rows,
                authority.actor_may_manage(session, actor, today),
                credentials.may_hold_keys(session, actor, today),
            )

        selected = self._selected()
        rows, self._may_manage, self._holds_keys = self.context.read(load)
        if snapshot is not None:
            self.vault_state.setText(
                "Password store: ready" if snapshot.status.ok else "Password store: unavailable"
            )
            self.vault_state.setToolTip(plain.tooltip(snapshot.status.message))
        self.model.set_rows(rows)
        self.fit_columns()
        if selected is not None:
            self.select_account(selected.id)
        self._update_buttons()

    def select_account(self, account_id: int) -> bool:
        return self.select_where(lambda row: row.account.id == account_id)

    def clear_filters(self) -> None:
        super().clear_filters()
        self.status_filter.setCurrentIndex(0)

    def show_record(self, subject: object) -> bool:
        """Show the account and open it for editing: what a finding about it asks for is fixed there."""
        if not super().show_record(subject):
            return False
        self.edit(self._selected())
        return True

    def _selected(self) -> Account | None:
        row = self.current()
        return row.account if row else None

    def _apply_status_filter(self) -> None:
        wanted = self.status_filter.currentData()
        self.proxy.set_predicate((lambda row: row.account.status == wanted) if wanted else None)

    def _update_buttons(self) -> None:
        account = self._selected()
        manage = self._may_manage
        tip = "" if manage else "Only the clerk or deputy clerk may change the register (Thornbury 9.1)"
        self.add_button.setEnabled(manage)
        self.edit_button.setEnabled(manage and account is not None)
        self.approve_button.setEnabled(
            manage and account is not None and account.status == AccountStatus.PROPOSED
        )
        self.close_button.setEnabled(
            manage and account is not None and account.status != AccountStatus.CLOSED
        )
        for widget in (self.add_button, self.edit_button, self.approve_button, self.close_button):
            widget.setStatusTip(tip)
        keys = self._holds_keys and account is not None
        for widget in self.credential_buttons:
            widget.setEnabled(keys)
            widget.setStatusTip(
                ""
                if self._holds_keys
                else "Only the clerk or deputy clerk may handle passwords (Thornbury 9.1)"
            )
        self.history_button.setEnabled(account is not None)
        self.keys_button.setEnabled(self._holds_keys)

    def add(self) -> None:
        self.run_dialog(account_dialog(self.context, None, self))

    def edit(self, account: Account | None) -> None:
        if account is not None and self._may_manage:
            self.run_dialog(account_dialog(self.context, account, self))

    def approve(self) -> None:
        account = self._selected()
        if account is not None:
            self.run_dialog(approve_dialog(self.context, account, self))

    def close_account(self) -> None:
        account = self._selected()
        if account is not None:
            self.run_dialog(close_dialog(self.context, account, self))

    # --- passwords ----------------------------------------------------------------------------------

    def _after_credential_change(self) -> None:
        self.context.refresh_vault()
        self.reload()

    def set_password(self) -> None:
        account = self._selected()
        if (
            account is not None
            and a11y.exec_dialog(SetPasswordDialog(self.context, account, self))
            == QDialog.DialogCode.Accepted
        ):
            self._after_credential_change()
            self.show_message(f"The password of {account.name} is stored.")

    def _secret(self, action) -> str | None:  # type: ignore[no-untyped-def]
        account = self._selected()
        if account is None:
            return None
        try:
            with self.context.write() as session:
                return action(session, account.id)
        except ClerkDeskError as exc:
            plain.warning(self, "Password", str(exc))
            return None

    def reveal(self) -> None:
        account = self._selected()
        password = self._secret(credentials.reveal)
        if account is not None and password is not None:
            a11y.exec_dialog(RevealDialog(account, password, self))

    def copy(self) -> None:
        account = self._selected()
        password = self._secret(credentials.copy)
        if account is not None and password is not None:
            self.clipboard.copy(password)
            self.show_message(f"The password of {account.name} is on the clipboard for 30 seconds.")

    def rotate(self) -> None:
        account = self._selected()
        if account is None:
            return
        dialog = RotateDialog(self.context, account, self, self._rotation_reason(account))
        if dialog.start():
            a11y.exec_dialog(dialog)
            self._after_credential_change()

    def _rotation_reason(self, account: Account) -> RotationReason:
        def load(session):  # type: ignore[no-untyped-def]
            return rotation.outstanding([account], checks.rotate_now_events(session)).get(account.id)

        event = self.context.read(load)
        return event.rotation_reason if event is not None else RotationReason.SCHEDULED

    def keys(self) -> None:
        a11y.exec_dialog(KeysDialog(self.context, self))
        self._after_credential_change()

    def history(self) -> None:
        account = self._selected()
        if account is not None:
            a11y.exec_dialog(HistoryDialog(self.context, account, self))

    def forget(self) -> None:
        account = self._selected()
        if account is None:
            return
        answer = plain.question(
            self,
            "Forget the password?",
            f"Remove the password of {account.name} from the password store? Clerk Desk keeps no other copy.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._secret(credentials.forget) is not None:
            self._after_credential_change()
            self.show_message(f"The password of {account.name} was removed from the password store.")
