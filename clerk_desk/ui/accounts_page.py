"""The register of authorised accounts (Barling Magna; Stalbridge 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from clerk_desk import accounts, authority, checks
from clerk_desk import settings as council_settings
from clerk_desk.models import Account, AccountStatus, TwoFactor
from clerk_desk.ui.account_dialogs import account_dialog, approve_dialog, close_dialog
from clerk_desk.ui.context import Context
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button


@dataclass(frozen=True)
class AccountRow:
    """An account and what the table shows about it."""

    account: Account
    password_due: date | None

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
    Column("Approved by", lambda r: r.account.approved_by.name if r.account.approved_by else "Not approved"),
    Column("Approved on", lambda r: r.account.approved_on),
    Column("Two-factor", lambda r: _two_factor(r.account)),
    Column("Sign-in email", lambda r: r.account.sign_in_email),
    Column("Complaints info", lambda r: r.account.complaints_info),
    Column("Password due", lambda r: r.password_due),
    Column("Purpose", lambda r: r.account.purpose, tooltip=lambda r: r.account.business_case),
]


class AccountsPage(TablePage):
    """Lists every account; add, edit, approve and close them."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Accounts", RowTableModel(COLUMNS), parent)
        self.context = context
        self.add_button = button("Add account", "Register a new or proposed account")
        self.edit_button = button("Edit", "Edit the selected account (or double-click it)")
        self.approve_button = button("Approve", "Approve the selected proposal (Barling Magna; Stalbridge 4)")
        self.close_button = button("Close account", "Mark the selected account closed; its row is kept")
        for widget in (self.add_button, self.edit_button, self.approve_button, self.close_button):
            self.add_action(widget)
        self.finish_actions()

        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Status")
        self.status_filter.addItem("All statuses", "")
        for status in AccountStatus:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.currentIndexChanged.connect(self._apply_status_filter)
        self.filters_bar.addWidget(self.status_filter)

        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(lambda: self.edit(self._selected()))
        self.approve_button.clicked.connect(self.approve)
        self.close_button.clicked.connect(self.close_account)
        self.activated.connect(lambda row: self.edit(row.account))
        self.selection_changed.connect(self._update_buttons)
        self._may_manage = True

    def reload(self) -> None:
        def load(session):  # type: ignore[no-untyped-def]
            settings = council_settings.load(session)
            rows = [AccountRow(a, checks.rotation_due(a, settings)) for a in accounts.all_accounts(session)]
            return rows, authority.actor_may_manage(
                session, self.context.actor.name, self.context.clock.today()
            )

        selected = self._selected()
        rows, self._may_manage = self.context.read(load)
        self.model.set_rows(rows)
        self.fit_columns()
        if selected is not None:
            self.select_account(selected.id)
        self._update_buttons()

    def select_account(self, account_id: int) -> bool:
        return self.select_where(lambda row: row.account.id == account_id)

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

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            saved = getattr(dialog, "result_value", None)
            self.reload()
            if isinstance(saved, Account):
                self.select_account(saved.id)

    def add(self) -> None:
        self._run(account_dialog(self.context, None, self))

    def edit(self, account: Account | None) -> None:
        if account is not None and self._may_manage:
            self._run(account_dialog(self.context, account, self))

    def approve(self) -> None:
        account = self._selected()
        if account is not None:
            self._run(approve_dialog(self.context, account, self))

    def close_account(self) -> None:
        account = self._selected()
        if account is not None:
            self._run(close_dialog(self.context, account, self))
