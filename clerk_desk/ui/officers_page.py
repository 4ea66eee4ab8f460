"""Designated officers and their sites: the list the policies say is held centrally (district 5a)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.access import grants as access
from clerk_desk.access import officers
from clerk_desk.models import Designation
from clerk_desk.register import authority
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, choice_field, date_field, multi_field, record_dialog
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button

COLUMNS: list[Column[Designation]] = [
    Column("Officer", lambda d: d.person.name),
    Column("Job title", lambda d: d.person.job_title),
    Column("Designated by", lambda d: d.designated_by.name if d.designated_by else ""),
    Column("Designated on", lambda d: d.designated_on),
    Column("Ended on", lambda d: d.ended_on),
    Column("May post on", lambda d: ", ".join(a.name for a in d.accounts), tooltip=lambda d: d.scope),
]


def officer_dialog(
    context: Context, designation: Designation | None, parent: QWidget | None = None
) -> FormDialog:
    """Designate an officer (``designation`` None) or edit a designation."""
    today = context.clock.today()

    offered = context.read(lambda session: access.choices(session, today))
    names, sites, approvers = offered.people, offered.accounts, offered.approvers
    current = officers.as_row(designation) if designation else None
    if current:
        names = sorted({*names, current["person"]}, key=str.casefold)
        sites = sorted({*sites, *current["accounts"].split(";")} - {""}, key=str.casefold)
        if current["designated_by"] and current["designated_by"] not in approvers:
            approvers.append(current["designated_by"])

    def write(session: Session, values: dict[str, str]) -> Designation:
        return officers.save(
            session,
            officers.parse(values),
            today,
            designation_id=designation.id if designation else None,
            expected_version=designation.version if designation else None,
        )

    actor = context.actor.name
    return record_dialog(
        context,
        f"Edit the designation of {designation.person.name}" if designation else "Designate officer",
        [
            choice_field("person", "Officer", [(n, n) for n in names]),
            multi_field("accounts", "May post on", sites),
            choice_field("designated_by", "Designated by", [(a, a) for a in approvers]),
            date_field("designated_on", "Designated on"),
            date_field("ended_on", "Ended on"),
        ],
        write,
        parent,
        values=current
        or {"designated_on": today.isoformat(), "designated_by": actor if actor in approvers else ""},
        intro="Only designated officers post in the council's name, on the accounts listed here "
        "(district policy 5a; Thornbury 3).",
    )


def end_dialog(context: Context, designation: Designation, parent: QWidget | None = None) -> FormDialog:
    today = context.clock.today()

    def write(session: Session, values: dict[str, str]) -> Designation:
        ended_on = fields.iso_date(values, "ended_on", required=True)
        assert ended_on is not None
        return officers.end(session, designation.id, designation.version, ended_on, today)

    return record_dialog(
        context,
        f"End the designation of {designation.person.name}",
        [date_field("ended_on", "Ended on")],
        write,
        parent,
        values={"ended_on": today.isoformat()},
        intro="The designation stays on record with the date it ended.",
        save_text="End designation",
    )


class OfficersPage(TablePage):
    """Each designated officer with the accounts they may post on."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Designated officers", RowTableModel(COLUMNS, zone=lambda: context.zone), parent)
        self.context = context
        self.designate_button = button("&Designate officer")
        self.edit_button = button("&Edit", "Edit the selected designation (or double-click it)")
        self.end_button = button("E&nd designation")
        for widget in (self.designate_button, self.edit_button, self.end_button):
            self.add_action(widget)
        self.finish_actions()
        self.show_filter = QComboBox()
        for text, value in (("Current officers", "current"), ("All designations", "all")):
            self.show_filter.addItem(text, value)
        self.show_filter.currentIndexChanged.connect(self._apply_filter)
        self.add_filter("S&how", self.show_filter)
        self.designate_button.clicked.connect(
            lambda: self.run_dialog(officer_dialog(self.context, None, self))
        )
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.end_button.clicked.connect(self.end)
        self.activated.connect(self.edit)
        self.selection_changed.connect(self._update_buttons)
        self._may_manage = True
        self._apply_filter()

    def reload(self) -> None:
        today = self.context.clock.today()

        def load(session):  # type: ignore[no-untyped-def]
            return (
                officers.all_designations(session),
                authority.actor_may_manage(session, self.context.actor.name, today),
            )

        rows, self._may_manage = self.context.read(load)
        self.replace_rows(rows, key=lambda d: d.id)
        self.fit_columns()
        self._update_buttons()

    def _apply_filter(self) -> None:
        today = self.context.clock.today()
        if self.show_filter.currentData() == "current":
            self.proxy.set_predicate(lambda d: d.in_force(today) and not d.person.has_left(today))
        else:
            self.proxy.set_predicate(None)

    def _update_buttons(self) -> None:
        designation = self.current()
        self.designate_button.setEnabled(self._may_manage)
        self.edit_button.setEnabled(self._may_manage and designation is not None)
        self.end_button.setEnabled(
            self._may_manage and designation is not None and designation.ended_on is None
        )

    def edit(self, designation: Designation | None) -> None:
        if designation is not None and self._may_manage:
            self.run_dialog(officer_dialog(self.context, designation, self))

    def end(self) -> None:
        designation = self.current()
        if designation is not None:
            self.run_dialog(end_dialog(self.context, designation, self))
