"""The dialogs of the Elections page: a pre-election period, its checklist items, the moderation log,
exceptions and candidates."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.elections import moderation, periods
from clerk_desk.models import (
    Account,
    Candidacy,
    ElectionException,
    ElectionPeriod,
    ModerationAction,
    ModerationEntry,
)
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import FormDialog, choice_field, date_field, line_field, record_dialog, text_field


def period_dialog(
    context: Context, period: ElectionPeriod | None, parent: QWidget | None = None
) -> FormDialog:
    """Add a pre-election period (``period`` None) or edit one."""

    def write(session: Session, values: dict[str, str]) -> ElectionPeriod:
        return periods.save(
            session,
            periods.parse(values),
            period_id=period.id if period else None,
            expected_version=period.version if period else None,
        )

    return record_dialog(
        context,
        "Edit pre-election period" if period else "Add pre-election period",
        [
            date_field("notice_on", "Notice of election"),
            date_field("poll_on", "Polling day"),
            line_field("name", "Name", "e.g. Town council elections 2027"),
            line_field("elections", "Elections it covers", "e.g. town council; county council"),
        ],
        write,
        parent,
        values={
            "notice_on": period.notice_on.isoformat(),
            "poll_on": period.poll_on.isoformat(),
            "name": period.name,
            "elections": period.elections or "",
        }
        if period is not None
        else None,
        intro="From the notice of election to the close of poll, council publicity on every channel is "
        "restricted, even when the seats are uncontested.",
    )


def period_item_dialog(
    context: Context, period: ElectionPeriod, item: str, parent: QWidget | None = None
) -> FormDialog:
    """Record a once-a-period item (partnership profiles handled, staff and officers briefed)."""

    def write(session: Session, values: dict[str, str]) -> ElectionPeriod:
        on = fields.iso_date(values, "on", required=True)
        return periods.record_period_item(session, period.id, item, on, values.get("note", ""))

    return record_dialog(
        context,
        periods.PERIOD_ITEMS[item],
        [date_field("on", "Done on"), text_field("note", "Note")],
        write,
        parent,
        values={"on": context.clock.today().isoformat()},
        intro="For partnership profiles: follow the rules, or hand all administration to the partner."
        if item == "partnership"
        else "Staff and officers know what they may and may not post until the close of poll.",
    )


def account_item_dialog(
    context: Context, period: ElectionPeriod, account: Account, field: str, parent: QWidget | None = None
) -> FormDialog:
    """Record the notice posted on an account, or its scheduled posts reviewed."""
    label = "Pre-election notice posted" if field == "notice_posted_on" else "Scheduled posts reviewed"

    def write(session: Session, values: dict[str, str]) -> object:
        on = fields.iso_date(values, "on", required=True)
        return periods.record_account(session, period.id, account.name, **{field: on})

    return record_dialog(
        context,
        f"{label}: {account.name}",
        [date_field("on", "On")],
        write,
        parent,
        values={"on": context.clock.today().isoformat()},
    )


def removal_dialog(context: Context, names: list[str], parent: QWidget | None = None) -> FormDialog:
    """Content removed or hidden on a council account."""
    zone = context.zone

    def write(session: Session, values: dict[str, str]) -> ModerationEntry:
        return moderation.record(session, moderation.parse(values, zone))

    return record_dialog(
        context,
        "Record removal",
        [
            choice_field("account", "Account", [(n, n) for n in names]),
            line_field("at", "When", council_time.hint(zone)),
            choice_field("action", "Action", [(a.value, a.value.capitalize()) for a in ModerationAction]),
            text_field("content", "Content"),
            text_field("reason", "Why"),
        ],
        write,
        parent,
        values={"at": council_time.show(context.clock.now(), zone)},
        intro="Content removed or hidden on a council account, kept so that a complaint can be answered.",
    )


def exception_dialog(context: Context, period: ElectionPeriod, parent: QWidget | None = None) -> FormDialog:
    """New publicity allowed during the period, with the clerk's reason."""

    def write(session: Session, values: dict[str, str]) -> ElectionException:
        on = fields.iso_date(values, "on", required=True)
        return periods.approve_exception(
            session, period.id, values.get("what", ""), values.get("reason", ""), on
        )

    return record_dialog(
        context,
        "Approve exception",
        [
            text_field("what", "What is allowed"),
            text_field("reason", "Reason"),
            date_field("on", "Approved on"),
        ],
        write,
        parent,
        values={"on": context.clock.today().isoformat()},
        intro="New publicity during the period only when planned before the election was called, or "
        "for a reason the clerk approves and records here.",
    )


def candidate_dialog(
    context: Context, period: ElectionPeriod, names: list[str], parent: QWidget | None = None
) -> FormDialog:
    """Mark a person as standing for election in the period."""

    def write(session: Session, values: dict[str, str]) -> Candidacy:
        return periods.mark_candidate(session, period.id, values.get("person", ""))

    return record_dialog(
        context,
        "Standing for election",
        [choice_field("person", "Person", [(n, n) for n in names])],
        write,
        parent,
        intro="Someone standing for election holds no access to the council's accounts and does not post "
        "for it during the period.",
        save_text="Mark as standing",
    )
