"""People: staff, volunteers, councillors and contractors. Leaving is a date, never a delete."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from clerk_desk import authority, fields, people
from clerk_desk.models import Person, Role
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, choice_field, date_field, line_field
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button

COLUMNS: list[Column[Person]] = [
    Column("Name", lambda p: p.name),
    Column("Role", lambda p: Role(p.role).label),
    Column("Job title", lambda p: p.job_title),
    Column("Email", lambda p: p.email),
    Column("Login", lambda p: p.login),
    Column("Started on", lambda p: p.started_on),
    Column("Left on", lambda p: p.left_on),
]


def person_dialog(context: Context, person: Person | None, parent: QWidget | None = None) -> FormDialog:
    """Add a person (``person`` None) or edit one."""
    dialog = FormDialog(
        f"Edit {person.name}" if person else "Add person",
        [
            line_field("name", "Name"),
            choice_field("role", "Role", [(r.value, r.label) for r in Role]),
            line_field("job_title", "Job title"),
            line_field("email", "Email"),
            line_field("login", "Login", "their user name on the office PCs"),
            date_field("started_on", "Started on"),
            date_field("left_on", "Left on"),
        ],
        parent,
    )
    if person:
        dialog.set_values(people.as_row(person))
    else:
        dialog.set_values({"role": Role.EMPLOYEE.value})

    def submit(values: dict[str, str]) -> Person:
        data = people.parse(values)
        with context.write() as session:
            return people.save(
                session,
                data,
                person_id=person.id if person else None,
                expected_version=person.version if person else None,
            )

    dialog.submit = submit
    return dialog


def leaving_dialog(context: Context, person: Person, parent: QWidget | None = None) -> FormDialog:
    """Record the date someone left."""
    dialog = FormDialog(
        f"{person.name} is leaving",
        [date_field("left_on", "Left on")],
        parent,
        intro="Their record stays in People, marked with the date they left.",
        save_text="Record leaving",
    )
    dialog.set_values({"left_on": context.clock.today().isoformat()})

    def submit(values: dict[str, str]) -> Any:
        left_on = fields.iso_date(values, "left_on", required=True)
        assert left_on is not None
        with context.write() as session:
            return people.record_leaving(session, person.id, person.version, left_on)

    dialog.submit = submit
    return dialog


class PeoplePage(TablePage):
    """Everyone the council's governance names, current and former."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("People", RowTableModel(COLUMNS), parent)
        self.context = context
        self.add_button = button("Add person")
        self.edit_button = button("Edit", "Edit the selected person (or double-click them)")
        self.leaving_button = button("Record leaving", "Record the date the selected person left")
        for widget in (self.add_button, self.edit_button, self.leaving_button):
            self.add_action(widget)
        self.finish_actions()

        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName("Show")
        self.show_filter.addItem("Current and former", "all")
        self.show_filter.addItem("Current only", "current")
        self.show_filter.addItem("Left", "left")
        self.show_filter.currentIndexChanged.connect(self._apply_filter)
        self.filters_bar.addWidget(self.show_filter)

        self.add_button.clicked.connect(lambda: self._run(person_dialog(self.context, None, self)))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.leaving_button.clicked.connect(self.record_leaving)
        self.activated.connect(self.edit)
        self.selection_changed.connect(self._update_buttons)
        self._may_manage = True

    def reload(self) -> None:
        def load(session):  # type: ignore[no-untyped-def]
            return people.all_people(session), authority.actor_may_manage(
                session, self.context.actor.name, self.context.clock.today()
            )

        selected = self.current()
        rows, self._may_manage = self.context.read(load)
        self.model.set_rows(rows)
        self.fit_columns()
        if selected is not None:
            self.select_where(lambda p: p.id == selected.id)
        self._update_buttons()

    def _apply_filter(self) -> None:
        today = self.context.clock.today()
        wanted = self.show_filter.currentData()
        if wanted == "current":
            self.proxy.set_predicate(lambda p: not p.has_left(today))
        elif wanted == "left":
            self.proxy.set_predicate(lambda p: p.has_left(today))
        else:
            self.proxy.set_predicate(None)

    def _update_buttons(self) -> None:
        person = self.current()
        self.add_button.setEnabled(self._may_manage)
        self.edit_button.setEnabled(self._may_manage and person is not None)
        self.leaving_button.setEnabled(self._may_manage and person is not None and person.left_on is None)

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            saved = getattr(dialog, "result_value", None)
            self.reload()
            if isinstance(saved, Person):
                self.select_where(lambda p: p.id == saved.id)

    def edit(self, person: Person | None) -> None:
        if person is not None and self._may_manage:
            self._run(person_dialog(self.context, person, self))

    def record_leaving(self) -> None:
        person = self.current()
        if person is not None:
            self._run(leaving_dialog(self.context, person, self))
