"""Delegated access: the grants, and a matrix of who holds which keys (Thornbury 9.1, 9.2)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QWidget
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.access import grants as access
from clerk_desk.models import AccessLevel, Account, AccountStatus, Grant, Person
from clerk_desk.register import accounts, authority
from clerk_desk.ui import a11y, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, choice_field, date_field, record_dialog, text_field
from clerk_desk.ui.table_model import Column, RowTableModel, sort_text
from clerk_desk.ui.table_page import TablePage, button


def grant_state(grant: Grant, today: Any) -> str:
    if grant.revoked_on is not None and grant.revoked_on <= today:
        return f"Revoked {grant.revoked_on.isoformat()}"
    if grant.person.left_on is not None and grant.person.left_on <= today:
        return "Holder has left"
    if grant.expires_on is not None and grant.expires_on <= today:
        return "Expired, not revoked"
    return "In force"


def _columns(context: Context) -> list[Column[Grant]]:
    today = context.clock.today
    return [
        Column("Person", lambda g: g.person.name),
        Column("Account", lambda g: g.account.name),
        Column("Level", lambda g: AccessLevel(g.level).label),
        Column("State", lambda g: grant_state(g, today())),
        Column("Granted on", lambda g: g.granted_on),
        Column("Expires on", lambda g: g.expires_on),
        Column("Approved by", lambda g: g.approved_by.name if g.approved_by else ""),
        Column("Revoked by", lambda g: g.revoked_by.name if g.revoked_by else ""),
        Column("Business case", lambda g: g.business_case, tooltip=lambda g: g.business_case),
        Column("Revoke reason", lambda g: g.revoke_reason),
    ]


class MatrixModel(QAbstractTableModel):
    """People (rows) × accounts (columns): the level of access in force today in each cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.people: list[Person] = []
        self.accounts: list[Account] = []
        self.cells: dict[tuple[int, int], str] = {}

    def set_grants(self, grants: list[Grant], registered: list[Account], today: Any) -> None:
        self.beginResetModel()
        in_force = [
            g for g in grants if g.in_force(today) or (g.revoked_on is None and g.person.has_left(today))
        ]
        self.accounts = [a for a in registered if a.status != AccountStatus.CLOSED]
        by_id = {g.person.id: g.person for g in in_force}
        self.people = sorted(by_id.values(), key=lambda p: sort_text(p.name))
        self.cells = {}
        for grant in in_force:
            key = (grant.person_id, grant.account_id)
            level = AccessLevel(grant.level).label
            self.cells[key] = "Manage" if "Manage" in (level, self.cells.get(key)) else level
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.accounts)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        person, account = self.people[index.row()], self.accounts[index.column()]
        level = self.cells.get((person.id, account.id), "")
        if role == Qt.ItemDataRole.DisplayRole:
            return level
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(f"{person.name} — {account.name}: {level or 'no access'}")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.accounts):
            account = self.accounts[section]
            return f"{account.platform}\n{account.handle}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.people):
            return self.people[section].name
        return None


def grant_dialog(context: Context, grant: Grant | None, parent: QWidget | None = None) -> FormDialog:
    """Grant access (``grant`` None) or edit a grant."""
    today = context.clock.today()

    offered = context.read(lambda session: access.choices(session, today))
    names, account_names, approvers = offered.people, offered.accounts, offered.approvers
    current = access.as_row(grant) if grant else None
    if current:
        names = sorted({*names, current["person"]}, key=str.casefold)
        account_names = sorted({*account_names, current["account"]}, key=str.casefold)
        if current["approved_by"] and current["approved_by"] not in approvers:
            approvers.append(current["approved_by"])

    def write(session: Session, values: dict[str, str]) -> Grant:
        data = access.parse({**(current or {}), **values})
        return access.save(
            session,
            data,
            today,
            grant_id=grant.id if grant else None,
            expected_version=grant.version if grant else None,
        )

    actor = context.actor.name
    return record_dialog(
        context,
        f"Edit access of {grant.label}" if grant else "Grant access",
        [
            choice_field("person", "Person", [(n, n) for n in names], editable=True),
            choice_field("account", "Account", [(a, a) for a in account_names]),
            choice_field("level", "Level", [(lvl.value, lvl.label) for lvl in AccessLevel]),
            text_field("business_case", "Business case"),
            choice_field("approved_by", "Approved by", [(a, a) for a in approvers]),
            date_field("granted_on", "Granted on"),
            date_field("expires_on", "Expires on"),
        ],
        write,
        parent,
        values=current
        or {
            "granted_on": today.isoformat(),
            "approved_by": actor if actor in approvers else "",
            "level": AccessLevel.POST.value,
        },
        intro="Access is delegated case by case with a business case, approved by the clerk or deputy clerk "
        "(Thornbury 9.1). No elected member may hold direct access (Thornbury 9.2).",
    )


def revoke_dialog(context: Context, grant: Grant, parent: QWidget | None = None) -> FormDialog:
    today = context.clock.today()

    def write(session: Session, values: dict[str, str]) -> Grant:
        revoked_on = fields.iso_date(values, "revoked_on", required=True)
        reason = fields.required_text(values, "revoke_reason", max_length=2000, multiline=True)
        assert revoked_on is not None
        return access.revoke(session, grant.id, grant.version, revoked_on, reason, today)

    return record_dialog(
        context,
        f"Revoke {grant.label}",
        [date_field("revoked_on", "Revoked on"), text_field("revoke_reason", "Reason")],
        write,
        parent,
        values={"revoked_on": today.isoformat()},
        intro="The grant stays in the history with who revoked it, when and why. Change the "
        "account's password afterwards (Thornbury 9.4).",
        save_text="Revoke",
    )


class AccessPage(TablePage):
    """Every grant, current and past, and the access matrix of who holds which keys today."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(
            "Delegated access", RowTableModel(_columns(context), zone=lambda: context.zone), parent
        )
        self.context = context
        self.grant_button = button("&Grant access")
        self.edit_button = button("&Edit", "Edit the selected grant (or double-click it)")
        self.revoke_button = button("&Revoke", "Revoke the selected grant; it stays in the history")
        for widget in (self.grant_button, self.edit_button, self.revoke_button):
            self.add_action(widget)
        self.finish_actions()
        self.show_filter = QComboBox()
        for text, value in (("In force", "current"), ("All grants", "all"), ("Ended", "ended")):
            self.show_filter.addItem(text, value)
        self.show_filter.currentIndexChanged.connect(self._apply_filter)
        self.add_filter("S&how", self.show_filter)
        self.matrix_heading = a11y.heading("Access matrix: who holds which keys today", 2)
        self.matrix_model = MatrixModel(self)
        self.matrix = a11y.Table()
        self.matrix.setModel(self.matrix_model)
        self.matrix.setAccessibleName("Access matrix")
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setAlternatingRowColors(True)
        self.body.addWidget(self.matrix_heading)
        self.body.addWidget(self.matrix, 1)
        self.grant_button.clicked.connect(lambda: self.run_dialog(grant_dialog(self.context, None, self)))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.revoke_button.clicked.connect(self.revoke)
        self.activated.connect(self.edit)
        self.selection_changed.connect(self._update_buttons)
        self._may_manage = True
        self._apply_filter()

    def reload(self) -> None:
        today = self.context.clock.today()

        def load(session):  # type: ignore[no-untyped-def]
            return (
                access.all_grants(session),
                accounts.all_accounts(session),
                authority.actor_may_manage(session, self.context.actor.name, today),
            )

        grants, registered, self._may_manage = self.context.read(load)
        self.replace_rows(grants, key=lambda g: g.id)
        self.fit_columns()
        self.matrix_model.set_grants(grants, registered, today)
        self.matrix.resizeColumnsToContents()
        self._update_buttons()

    def _apply_filter(self) -> None:
        today = self.context.clock.today()
        wanted = self.show_filter.currentData()
        if wanted == "current":
            self.proxy.set_predicate(lambda g: g.revoked_on is None or g.revoked_on > today)
        elif wanted == "ended":
            self.proxy.set_predicate(lambda g: g.revoked_on is not None)
        else:
            self.proxy.set_predicate(None)

    def _update_buttons(self) -> None:
        grant = self.current()
        self.grant_button.setEnabled(self._may_manage)
        self.edit_button.setEnabled(self._may_manage and grant is not None)
        self.revoke_button.setEnabled(self._may_manage and grant is not None and grant.revoked_on is None)

    def edit(self, grant: Grant | None) -> None:
        if grant is not None and self._may_manage:
            self.run_dialog(grant_dialog(self.context, grant, self))

    def revoke(self) -> None:
        grant = self.current()
        if grant is not None and self.run_dialog(revoke_dialog(self.context, grant, self)):
            plain.information(
                self,
                "Change the password",
                f"Change the password of {grant.account.name} now (Thornbury 9.4).",
            )

    def clear_filters(self) -> None:
        super().clear_filters()
        self.show_filter.setCurrentIndex(self.show_filter.findData("all"))

    def select_grant(self, grant_id: int) -> bool:
        self.show_filter.setCurrentIndex(self.show_filter.findData("all"))
        return self.select_where(lambda g: g.id == grant_id)
