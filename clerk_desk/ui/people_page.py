"""People: staff, volunteers, councillors and contractors. Leaving is a date, never a delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.access import acknowledgements, leaving
from clerk_desk.access import grants as access
from clerk_desk.errors import PolicyViolation
from clerk_desk.models import Acknowledgement, Person, Role
from clerk_desk.register import authority, people
from clerk_desk.register import settings as council_settings
from clerk_desk.ui import plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, check_field, choice_field, date_field, line_field, record_dialog
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button


def _columns(acknowledged: Callable[[Person], str]) -> list[Column[Person]]:
    return [
        Column("Name", lambda p: p.name),
        Column("Role", lambda p: Role(p.role).label),
        Column("Job title", lambda p: p.job_title),
        Column("Policy acknowledged", acknowledged),
        Column("Email", lambda p: p.email),
        Column("Login", lambda p: p.login),
        Column("Started on", lambda p: p.started_on),
        Column("Left on", lambda p: p.left_on),
    ]


def person_dialog(context: Context, person: Person | None, parent: QWidget | None = None) -> FormDialog:
    """Add a person (``person`` None) or edit one.

    A keyholder made a councillor is refused (Thornbury 9.2); the dialog offers to revoke their access in
    the same step.
    """

    def save(data: people.PersonData, revoke: bool) -> Person:
        with context.write() as session:
            return leaving.save_person(
                session,
                data,
                person_id=person.id if person else None,
                expected_version=person.version if person else None,
                revoke_grants=revoke,
            )

    def submit(values: dict[str, str]) -> Person:
        data = people.parse(values)
        try:
            return save(data, revoke=False)
        except PolicyViolation as exc:
            if exc.field != "role" or exc.clause != access.MEMBER_CLAUSE:
                raise
            answer = plain.question(
                dialog,
                "Revoke their access?",
                f"{exc.message}.\n\nRevoke all of their access now, in the same step, "
                "and make them a councillor?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                raise
            return save(data, revoke=True)

    # Its own submit: the question between the refused save and the second one is asked outside any
    # transaction.
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
        submit=submit,
    )
    dialog.set_values(people.as_row(person) if person else {"role": Role.EMPLOYEE.value})
    return dialog


def leaving_dialog(context: Context, person: Person, parent: QWidget | None = None) -> FormDialog:
    """Record the date someone left, and in the same step end their access (Thornbury 9.4)."""

    def write(session: Session, values: dict[str, str]) -> Any:
        left_on = fields.iso_date(values, "left_on", required=True)
        assert left_on is not None
        return leaving.record_leaving(
            session, person.id, person.version, left_on, revoke_access=fields.boolean(values, "revoke")
        )

    return record_dialog(
        context,
        f"{person.name} is leaving",
        [
            date_field("left_on", "Left on"),
            check_field(
                "revoke",
                "Revoke their access, end their designations and flag their accounts for a password change",
            ),
        ],
        write,
        parent,
        values={"left_on": context.clock.today().isoformat(), "revoke": "yes"},
        intro="Their record stays in People, marked with the date they left.",
        save_text="Record leaving",
    )


def acknowledgement_dialog(
    context: Context, person: Person, policy_version: str, parent: QWidget | None = None
) -> FormDialog:
    """Record that a person read and understood a version of the policy (district 5c; Thornbury 4.2)."""
    today = context.clock.today()

    def write(session: Session, values: dict[str, str]) -> Acknowledgement:
        data = acknowledgements.parse({**values, "person": person.name})
        return acknowledgements.save(session, data, today)[0]

    return record_dialog(
        context,
        f"{person.name}: policy acknowledgement",
        [
            line_field("policy_version", "Policy version"),
            date_field("acknowledged_on", "Acknowledged on"),
            date_field("training_on", "Training on"),
        ],
        write,
        parent,
        values={"policy_version": policy_version, "acknowledged_on": today.isoformat()},
        intro="A written acknowledgement that they have read and understood the social media policy, "
        "and the date of their awareness training (district policy 5c; Thornbury 4.2; Barling Magna).",
    )


class PeoplePage(TablePage):
    """Everyone the council's governance names, current and former."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        self._acknowledged: dict[int, str] = {}
        self.policy_version = ""
        super().__init__(
            "People",
            RowTableModel(_columns(lambda p: self._acknowledged.get(p.id, "")), zone=lambda: context.zone),
            parent,
        )
        self.context = context
        self.add_button = button("&Add person")
        self.edit_button = button("&Edit", "Edit the selected person (or double-click them)")
        self.leaving_button = button("Record &leaving", "Record the date the selected person left")
        self.acknowledge_button = button(
            "Record ac&knowledgement", "Record that the selected person acknowledged the policy"
        )
        for widget in (self.add_button, self.edit_button, self.leaving_button, self.acknowledge_button):
            self.add_action(widget)
        self.finish_actions()

        self.show_filter = QComboBox()
        self.show_filter.addItem("Current and former", "all")
        self.show_filter.addItem("Current only", "current")
        self.show_filter.addItem("Left", "left")
        self.show_filter.currentIndexChanged.connect(self._apply_filter)
        self.add_filter("S&how", self.show_filter)

        self.add_button.clicked.connect(lambda: self.run_dialog(person_dialog(self.context, None, self)))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.leaving_button.clicked.connect(self.record_leaving)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.activated.connect(self.edit)
        self.selection_changed.connect(self._update_buttons)
        self._may_manage = True

    def reload(self) -> None:
        today = self.context.clock.today()

        def load(session):  # type: ignore[no-untyped-def]
            return (
                people.all_people(session),
                acknowledgements.all_acknowledgements(session),
                council_settings.load(session).policy_version,
                authority.actor_may_manage(session, self.context.actor.name, today),
            )

        rows, acks, self.policy_version, self._may_manage = self.context.read(load)
        latest: dict[int, Acknowledgement] = {}
        for ack in acks:  # newest first
            latest.setdefault(ack.person_id, ack)
        current = acknowledgements.latest_by_person(acks, self.policy_version) if self.policy_version else {}
        self._acknowledged = {}
        for person in rows:
            if person.id in current:
                self._acknowledged[person.id] = (
                    f"{self.policy_version} on {current[person.id].acknowledged_on}"
                )
            elif person.id in latest:
                self._acknowledged[person.id] = (
                    f"Only {latest[person.id].policy_version} (current {self.policy_version or 'not set'})"
                )
            else:
                self._acknowledged[person.id] = "Not acknowledged"
        self.replace_rows(rows, key=lambda p: p.id)
        self.fit_columns()
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
        self.acknowledge_button.setEnabled(self._may_manage and person is not None)

    def clear_filters(self) -> None:
        super().clear_filters()
        self.show_filter.setCurrentIndex(0)

    def select_person(self, person_id: int) -> bool:
        return self.select_where(lambda p: p.id == person_id)

    def edit(self, person: Person | None) -> None:
        if person is not None and self._may_manage:
            self.run_dialog(person_dialog(self.context, person, self))

    def record_leaving(self) -> None:
        person = self.current()
        if person is None:
            return
        dialog = leaving_dialog(self.context, person, self)
        if self.run_dialog(dialog, select=False):
            result: leaving.LeavingResult = dialog.result_value
            self.select_person(person.id)
            if result.accounts_to_change:
                plain.information(
                    self,
                    "Change their passwords",
                    f"{person.name} held access to {', '.join(result.accounts_to_change)}. Those passwords "
                    "are due for a change now (Thornbury 9.4); they are on Home until changed.",
                )

    def acknowledge(self) -> None:
        person = self.current()
        if person is not None:
            self.run_dialog(
                acknowledgement_dialog(self.context, person, self.policy_version, self), select=False
            )
            self.select_person(person.id)
