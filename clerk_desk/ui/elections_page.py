"""Elections: the pre-election period's checklist per account, what is done once for the period, who is
standing, the exceptions approved, and the moderation log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.elections import moderation, periods
from clerk_desk.elections.periods import ChecklistRow
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import Candidacy, ElectionException, ElectionPeriod, ModerationEntry
from clerk_desk.register import accounts, people
from clerk_desk.ui import a11y, election_dialogs, plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog
from clerk_desk.ui.table_model import Column, RowTableModel
from clerk_desk.ui.table_page import TablePage, button, caption

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "Not yet"


CHECKLIST: list[Column[ChecklistRow]] = [
    Column("Account", lambda r: r.account.name),
    Column("State", lambda r: r.state),
    Column(
        "Pre-election notice posted", lambda r: _day(r.notice_posted_on) if r.needs_notice else "Not needed"
    ),
    Column("Scheduled posts reviewed", lambda r: _day(r.posts_reviewed_on)),
]
MODERATION: list[Column[ModerationEntry]] = [
    Column("When", lambda e: e.at),
    Column("Account", lambda e: e.account.name),
    Column("Action", lambda e: e.action.capitalize()),
    Column("By", lambda e: e.done_by),
    Column("Content", lambda e: e.content, tooltip=lambda e: e.content),
    Column("Why", lambda e: e.reason, tooltip=lambda e: e.reason),
]
EXCEPTIONS: list[Column[ElectionException]] = [
    Column("Approved", lambda e: e.approved_on),
    Column("By", lambda e: e.approved_by),
    Column("What", lambda e: e.what, tooltip=lambda e: e.what),
    Column("Reason", lambda e: e.reason, tooltip=lambda e: e.reason),
]
CANDIDATES: list[Column[Candidacy]] = [
    Column("Person", lambda c: c.person.name),
    Column("Marked", lambda c: c.marked_on),
    Column("By", lambda c: c.marked_by),
]


def _table(model: RowTableModel, name: str) -> QTableView:
    view = a11y.Table()
    view.setModel(model)
    view.setAccessibleName(name)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    return view


def _pane(view: QWidget, *controls: QWidget) -> QWidget:
    pane = QWidget()
    layout = QVBoxLayout(pane)
    layout.addWidget(view, 1)
    row = QHBoxLayout()
    for control in controls:
        row.addWidget(control)
    row.addStretch(1)
    layout.addLayout(row)
    return pane


def period_text(period: ElectionPeriod) -> str:
    """What is done once for the period, in words."""
    items = []
    for on, label, note in (
        (period.partnership_handled_on, "Partnership profiles handled", period.partnership_note),
        (period.staff_briefed_on, "Staff and officers briefed", period.staff_briefed_note),
    ):
        state = f"{on.isoformat()}" + (f" ({note})" if note else "") if on else "not yet"
        items.append(f"{label}: {state}")
    covers = f" · Covers: {period.elections}" if period.elections else ""
    return (
        f"Notice of election {period.notice_on.isoformat()} · polling day {period.poll_on.isoformat()}"
        f"{covers} · " + " · ".join(items)
    )


class ElectionsPage(TablePage):
    """The chosen period's checklist, with the moderation log, exceptions and candidates below."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Elections", RowTableModel(CHECKLIST, zone=lambda: context.zone), parent)
        self.context = context
        self.table.setAccessibleName("Pre-election checklist")
        self.add_button = button(
            "&Add period…", "Add a pre-election period: notice of election to polling day"
        )
        self.edit_button = button("&Edit period…")
        self.partnership_button = button("Partnership &profiles handled…")
        self.briefed_button = button("Staff and officers &briefed…")
        for widget in (self.add_button, self.edit_button, self.partnership_button, self.briefed_button):
            self.add_action(widget)
        self.finish_actions()
        self.period_choice = QComboBox()
        self.filters_bar.insertWidget(0, caption("Peri&od", self.period_choice))
        self.filters_bar.insertWidget(1, self.period_choice, 1)
        self.period_info = plain.label()
        self.period_info.setWordWrap(True)
        self.period_info.setAccessibleName("Period checklist")
        self.body.insertWidget(3, self.period_info)

        self.notice_button = button(
            "&Notice posted…", "The pre-election notice was posted on the selected account"
        )
        self.reviewed_button = button("Scheduled posts &reviewed…")
        account_row = QHBoxLayout()
        for widget in (self.notice_button, self.reviewed_button):
            account_row.addWidget(widget)
        account_row.addStretch(1)
        self.body.addLayout(account_row)

        self.detail = QTabWidget()
        self.detail.setAccessibleName("Period records")
        self.moderation_model: RowTableModel[ModerationEntry] = RowTableModel(
            MODERATION, self, zone=lambda: context.zone
        )
        self.moderation_view = _table(self.moderation_model, "Moderation log")
        self.removal_button = button("Record re&moval…", "Content removed or hidden: when, by whom and why")
        self.detail.addTab(_pane(self.moderation_view, self.removal_button), "Moderation log")
        self.exceptions_model: RowTableModel[ElectionException] = RowTableModel(
            EXCEPTIONS, self, zone=lambda: context.zone
        )
        self.exceptions_view = _table(self.exceptions_model, "Exceptions")
        self.exception_button = button("Approve e&xception…")
        self.withdraw_button = button("Withdraw exception", "The selected exception no longer applies")
        self.detail.addTab(
            _pane(self.exceptions_view, self.exception_button, self.withdraw_button), "Exceptions"
        )
        self.candidates_model: RowTableModel[Candidacy] = RowTableModel(
            CANDIDATES, self, zone=lambda: context.zone
        )
        self.candidates_view = _table(self.candidates_model, "Standing for election")
        self.candidate_button = button("S&tanding for election…", "Mark a person as standing in this period")
        self.unmark_button = button("Not standing", "The selected person withdrew, or was marked in error")
        self.detail.addTab(
            _pane(self.candidates_view, self.candidate_button, self.unmark_button), "Standing for election"
        )
        self.body.addWidget(self.detail, 1)

        self.periods: list[ElectionPeriod] = []
        self.period_choice.currentIndexChanged.connect(lambda _: self.show_period())
        self.add_button.clicked.connect(lambda: self.edit_period(None))
        self.edit_button.clicked.connect(lambda: self.edit_period(self.period()))
        self.partnership_button.clicked.connect(lambda: self.period_item("partnership"))
        self.briefed_button.clicked.connect(lambda: self.period_item("briefing"))
        self.notice_button.clicked.connect(lambda: self.account_item("notice_posted_on"))
        self.reviewed_button.clicked.connect(lambda: self.account_item("posts_reviewed_on"))
        self.activated.connect(lambda _: self.account_item("notice_posted_on"))
        self.removal_button.clicked.connect(self.record_removal)
        self.exception_button.clicked.connect(self.approve_exception)
        self.candidate_button.clicked.connect(self.mark_candidate)
        self.withdraw_button.clicked.connect(self.withdraw_exception)
        self.unmark_button.clicked.connect(self.unmark_candidate)
        for view in (self.exceptions_view, self.candidates_view):
            view.selectionModel().selectionChanged.connect(lambda *_: self._update_record_buttons())

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        chosen = self.period()
        wanted = chosen.id if chosen else None

        def load(session):  # type: ignore[no-untyped-def]
            return (
                periods.all_periods(session),
                accounts.all_accounts(session),
                moderation.all_entries(session),
            )

        self.periods, self.accounts, entries = self.context.read(load)
        self.period_choice.blockSignals(True)
        self.period_choice.clear()
        today = self.context.clock.today()
        for period in self.periods:
            state = "open" if period.covers(today) else "over" if period.poll_on < today else "to come"
            self.period_choice.addItem(f"{period.name} ({state})", period.id)
        index = self.period_choice.findData(wanted) if wanted is not None else -1
        if index < 0 and self.periods:
            current = periods.open_periods(self.periods, today)
            index = self.period_choice.findData(current[0].id if current else self.periods[0].id)
        self.period_choice.setCurrentIndex(index)
        self.period_choice.blockSignals(False)
        self.moderation_model.set_rows(entries)
        self.moderation_view.resizeColumnsToContents()
        self.show_period()

    def period(self) -> ElectionPeriod | None:
        wanted = self.period_choice.currentData()
        return next((p for p in self.periods if p.id == wanted), None)

    def select_period(self, period_id: int) -> None:
        index = self.period_choice.findData(period_id)
        if index >= 0:
            self.period_choice.setCurrentIndex(index)

    def show_record(self, subject: object) -> bool:
        """Show a period (the ``Page`` protocol: a finding about an election opens it here)."""
        if not isinstance(subject, int) or self.period_choice.findData(subject) < 0:
            return False
        self.select_period(subject)
        self.period_choice.setFocus()
        return True

    def show_period(self) -> None:
        period = self.period()
        has = period is not None
        for widget in (
            self.edit_button,
            self.partnership_button,
            self.briefed_button,
            self.notice_button,
            self.reviewed_button,
            self.exception_button,
            self.candidate_button,
        ):
            widget.setEnabled(has)
        if period is None:
            self.period_info.setText(
                "No pre-election period yet: add one when the notice of election is due."
            )
            self.model.set_rows([])
            self.exceptions_model.set_rows([])
            self.candidates_model.set_rows([])
            self._update_record_buttons()
            return
        self.period_info.setText(period_text(period))
        self.replace_rows(periods.checklist(period, self.accounts), key=lambda r: r.account.id)
        self.fit_columns()
        self.exceptions_model.set_rows(period.exceptions)
        self.candidates_model.set_rows(period.candidates)
        self._update_record_buttons()

    def _update_record_buttons(self) -> None:
        self.withdraw_button.setEnabled(_chosen(self.exceptions_view, self.exceptions_model) is not None)
        self.unmark_button.setEnabled(_chosen(self.candidates_view, self.candidates_model) is not None)

    # --- actions --------------------------------------------------------------------------------

    def _run(self, dialog: FormDialog) -> bool:
        period = self.period()
        saved = self.run_dialog(dialog, select=False)
        if saved and period is not None:
            self.select_period(period.id)
        return saved

    def edit_period(self, period: ElectionPeriod | None) -> None:
        dialog = election_dialogs.period_dialog(self.context, period, self)
        if self.run_dialog(dialog, select=False) and dialog.result_value is not None:
            self.reload()
            self.select_period(dialog.result_value.id)

    def period_item(self, item: str) -> None:
        period = self.period()
        if period is not None:
            self._run(election_dialogs.period_item_dialog(self.context, period, item, self))

    def account_item(self, field: str) -> None:
        period, row = self.period(), self.current()
        if period is None or row is None:
            return
        self._run(election_dialogs.account_item_dialog(self.context, period, row.account, field, self))
        self.select_where(lambda r: r.account.id == row.account.id)

    def record_removal(self) -> None:
        names = [a.name for a in self.accounts if a.status != "closed"]
        self._run(election_dialogs.removal_dialog(self.context, names, self))

    def approve_exception(self) -> None:
        period = self.period()
        if period is not None:
            self._run(election_dialogs.exception_dialog(self.context, period, self))

    def mark_candidate(self) -> None:
        period = self.period()
        if period is not None:
            names = self.context.read(lambda s: [p.name for p in people.all_people(s)])
            self._run(election_dialogs.candidate_dialog(self.context, period, names, self))

    def withdraw_exception(self) -> None:
        period, chosen = self.period(), _chosen(self.exceptions_view, self.exceptions_model)
        if period is None or chosen is None:
            return
        question = (
            f"Withdraw the exception approved on {chosen.approved_on.isoformat()}: “{chosen.what}”? "
            "Its approval stays in the audit trail."
        )
        if plain.question(self, "Withdraw exception?", question) != plain.Button.Yes:
            return
        self._change(lambda s: periods.withdraw_exception(s, period.id, chosen.id), period.id)

    def unmark_candidate(self) -> None:
        period, chosen = self.period(), _chosen(self.candidates_view, self.candidates_model)
        if period is None or chosen is None:
            return
        question = f"{chosen.person.name} is no longer standing in {period.name}?"
        if plain.question(self, "Not standing?", question) != plain.Button.Yes:
            return
        self._change(lambda s: periods.unmark_candidate(s, period.id, chosen.id), period.id)

    def _change(self, action: Callable[[Session], object], period_id: int) -> None:
        try:
            with self.context.write() as session:
                action(session)
        except ClerkDeskError as exc:
            plain.warning(self, "Not changed", str(exc))
            return
        self.reload()
        self.select_period(period_id)


def _chosen(view: QTableView, model: RowTableModel[T]) -> T | None:
    index = view.currentIndex()
    return model.row_at(index.row()) if index.isValid() and view.selectionModel().hasSelection() else None
