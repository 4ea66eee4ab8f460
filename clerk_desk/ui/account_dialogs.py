"""Dialogs for the register: add or edit an account, approve a proposal, close an account."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.models import Account, AccountStatus, TwoFactor, TwoFactorCodes
from clerk_desk.register import accounts, people
from clerk_desk.register import settings as council_settings
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


def account_dialog(context: Context, account: Account | None, parent: QWidget | None = None) -> FormDialog:
    """Add an account (``account`` None) or edit one; saving goes through ``accounts.save``."""
    current = accounts.as_row(account) if account else None
    default_days = context.read(lambda s: council_settings.load(s).rotation_days)

    def write(session: Session, values: dict[str, str]) -> Account:
        return accounts.save(
            session,
            accounts.parse(values),
            context.clock.today(),
            account_id=account.id if account else None,
            expected_version=account.version if account else None,
        )

    return record_dialog(
        context,
        f"Edit {account.name}" if account else "Add account",
        [
            choice_field("platform", "Platform", [(p, p) for p in accounts.PLATFORMS], editable=True),
            line_field("handle", "Handle", "@TownCouncil, or the page name"),
            line_field("url", "Web address", "https://"),
            text_field("purpose", "Purpose"),
            choice_field("status", "Status", [(s.value, s.label) for s in AccountStatus]),
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
        "(Barling Magna; Stalbridge 4).",
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
