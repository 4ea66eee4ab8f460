"""Dialogs for the register: add or edit an account, approve a proposal, close an account."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.checks import engine as checks
from clerk_desk.errors import ValidationError
from clerk_desk.models import Account, AccountStatus, TwoFactor, TwoFactorCodes
from clerk_desk.register import accounts, people
from clerk_desk.register import settings as council_settings
from clerk_desk.ui import plain
from clerk_desk.ui.context import Context
from clerk_desk.ui.form import (
    FormDialog,
    check_field,
    choice_field,
    date_field,
    line_field,
    record_dialog,
    text_field,
)


def _approver_choices(context: Context, current: str | None) -> list[tuple[str, str]]:
    names = context.read(lambda s: [p.name for p in people.approvers(s, context.clock.today())])
    if current and current not in names:
        names.append(current)  # an approval stands after the approver leaves
    return [("", "Not approved")] + [(name, name) for name in names]


#: A new account recorded as it is found: in use on the platform, never approved (Barling Magna).
LIVE_UNAPPROVED = "live_unapproved"
LIVE_UNAPPROVED_LABEL = "Already live, not yet approved (will be flagged)"


def _status_choices(new: bool) -> list[tuple[str, str]]:
    choices = [(s.value, s.label) for s in AccountStatus]
    if new:
        at = [value for value, _ in choices].index(AccountStatus.ACTIVE.value) + 1
        choices.insert(at, (LIVE_UNAPPROVED, LIVE_UNAPPROVED_LABEL))
    return choices


def account_dialog(context: Context, account: Account | None, parent: QWidget | None = None) -> FormDialog:
    """Add an account (``account`` None) or edit one; saving goes through ``accounts.save``.

    A new account is a proposal, or an approved account, or one that is "already live, not yet
    approved" (an account found on the platform): that choice is explicit, and the account-unapproved
    finding it raises is shown as soon as it is saved.
    """
    current = accounts.as_row(account) if account else None
    default_days = context.read(lambda s: council_settings.load(s).rotation_days)

    def write(session: Session, values: dict[str, str]) -> Account:
        live_unapproved = values.get("status") == LIVE_UNAPPROVED
        if live_unapproved:
            values = {**values, "status": AccountStatus.ACTIVE.value}
        data = accounts.parse(values)
        if live_unapproved and data.approved_by:
            raise ValidationError("status", "is 'not yet approved', but an approver is given; choose Active")
        in_use = data.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
        if account is None and in_use and not data.approved_by and not live_unapproved:
            raise ValidationError(
                "status",
                f"is {data.status.label.lower()} without an approver; give the approval, or choose "
                f"'{LIVE_UNAPPROVED_LABEL}' for an account already in use ({accounts.APPROVAL_CLAUSE})",
            )
        return accounts.save(
            session,
            data,
            context.clock.today(),
            account_id=account.id if account else None,
            expected_version=account.version if account else None,
        )

    dialog = record_dialog(
        context,
        f"Edit {account.name}" if account else "Add account",
        [
            choice_field("platform", "Platform", [(p, p) for p in accounts.PLATFORMS], editable=True),
            line_field("handle", "Handle", "@TownCouncil, or the page name"),
            line_field("url", "Web address", "https://"),
            text_field("purpose", "Purpose"),
            choice_field("status", "Status", _status_choices(account is None)),
            date_field("suspended_from", "Suspended from"),
            date_field("suspended_to", "Suspended until"),
            line_field("sign_in_email", "Sign-in email", "a shared council mailbox"),
            choice_field(
                "two_factor", "Two-factor", [("", "Not recorded")] + [(t.value, t.label) for t in TwoFactor]
            ),
            choice_field(
                "two_factor_codes",
                "Two-factor codes kept on",
                [("", "Not recorded")] + [(c.value, c.label) for c in TwoFactorCodes],
            ),
            line_field("recovery_email", "Recovery email", "a council mailbox the clerk or deputy can read"),
            line_field("recovery_phone", "Recovery phone", "a council phone number"),
            choice_field(
                "approved_by",
                "Approved by",
                _approver_choices(context, current["approved_by"] if current else None),
            ),
            date_field("approved_on", "Approved on"),
            text_field("business_case", "Business case"),
            check_field("complaints_info", "Complaints information published"),
            line_field(
                "rotation_days", "Password change interval (days)", f"council default: {default_days}"
            ),
            date_field("last_rotated_on", "Password last changed"),
            date_field("opened_on", "Opened on"),
            date_field("closed_on", "Closed on"),
        ],
        write,
        parent,
        values=current or {"platform": "", "status": AccountStatus.PROPOSED.value},
        intro=None
        if account
        else "A new account starts as a proposal until the clerk or deputy clerk approves it "
        "(Barling Magna; Stalbridge 4). An account already in use that was never approved can be "
        "recorded as it is, and is flagged until it is approved.",
    )
    saving = dialog.submit
    assert saving is not None

    def submit(values: dict[str, str]) -> Account:
        saved: Account = saving(values)
        if values.get("status") == LIVE_UNAPPROVED:
            _show_unapproved(context, saved, dialog)
        return saved

    dialog.submit = submit
    return dialog


def _show_unapproved(context: Context, saved: Account, parent: QWidget) -> None:
    """The finding a live, unapproved account raises, shown at once rather than at the next check."""
    found = context.read(
        lambda s: [
            f.message
            for f in checks.run(s, context.clock)
            if f.rule == "account-unapproved" and f.subject_id == saved.id
        ]
    )
    plain.warning(
        parent,
        "Saved, and flagged",
        "\n".join(found) + f"\n\nIt stays on Home until it is approved ({accounts.APPROVAL_CLAUSE}).",
    )


def approve_dialog(context: Context, account: Account, parent: QWidget | None = None) -> FormDialog:
    """Approve a proposed account, making it active."""
    today = context.clock.today()
    choices = _approver_choices(context, None)[1:]
    default = context.actor.name if any(name == context.actor.name for name, _ in choices) else ""

    def write(session: Session, values: dict[str, str]) -> Any:
        approver = fields.required_text(values, "approved_by")
        approved_on = fields.iso_date(values, "approved_on", required=True)
        assert approved_on is not None
        return accounts.approve(
            session,
            account.id,
            account.version,
            approver,
            approved_on,
            values.get("business_case", ""),
            today,
        )

    return record_dialog(
        context,
        f"Approve {account.name}",
        [
            choice_field("approved_by", "Approved by", choices),
            date_field("approved_on", "Approved on"),
            text_field("business_case", "Business case"),
        ],
        write,
        parent,
        values={
            "approved_by": default,
            "approved_on": today.isoformat(),
            "business_case": account.business_case or "",
        },
        intro="Approval by the clerk or deputy clerk makes the account active (Barling Magna; Stalbridge 4).",
        save_text="Approve",
    )


def close_dialog(context: Context, account: Account, parent: QWidget | None = None) -> FormDialog:
    """Close an account; it stays in the register with its history."""
    today = context.clock.today()

    def write(session: Session, values: dict[str, str]) -> Any:
        closed_on = fields.iso_date(values, "closed_on", required=True)
        assert closed_on is not None
        return accounts.close(session, account.id, account.version, closed_on, today)

    return record_dialog(
        context,
        f"Close {account.name}",
        [date_field("closed_on", "Closed on")],
        write,
        parent,
        values={"closed_on": today.isoformat()},
        intro="The account stays in the register, marked closed, with its approval and history.",
        save_text="Close account",
    )
