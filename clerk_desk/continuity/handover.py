"""The clerk handover pack: a PDF of everything the incoming clerk needs, and a KeePass file for them.

The PDF lists, for each account, its sign-in mailbox, recovery email and phone, two-factor method and
where the codes are kept, who holds access and when its password is due; then open incidents and their
follow-ups; officers, grants and policy dates; and a checklist for the first week. It never holds a
password: those go only into the passphrase-protected KeePass file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from clerk_desk.access import grants as access
from clerk_desk.access import officers
from clerk_desk.checks import engine as checks
from clerk_desk.continuity import handovers, kdbx
from clerk_desk.errors import ValidationError
from clerk_desk.incidents import lifecycle
from clerk_desk.models import Account, AccountStatus, TwoFactor, TwoFactorCodes
from clerk_desk.register import settings as council_settings
from clerk_desk.storage.clock import clock_of

CHECKLIST = (
    "Change every account's password (each is due now once the handover is confirmed: clerk handover).",
    "Confirm each account's sign-in mailbox, recovery email and recovery phone are the council's own.",
    "Move any two-factor codes kept on a personal phone to a council device or mailbox (Thornbury 9.6).",
    "Review who holds access to each account and revoke what is no longer needed (Thornbury 9.1).",
    "Record your own acknowledgement of the policy, and chase any officer who has not (Thornbury 4.2).",
    "Follow up the open incidents listed in this pack.",
    "Check that the automatic backups run on this PC (Home shows the last good backup).",
)


@dataclass(frozen=True)
class Pack:
    files: list[Path]
    #: "kdbx" when a KeePass file was made for the incoming clerk, "key" when their key is approved, else
    #: None (the handover cannot be confirmed yet).
    passwords_by: str | None


def write_pack(session: Session, incoming_name: str, out_dir: Path, passphrase: str | None, on: date) -> Pack:
    """Write the handover PDF (and, with a passphrase, the KeePass file) into ``out_dir``."""
    incoming = handovers.incoming_clerk(session, incoming_name, on)
    outgoing = handovers.outgoing_clerk(session, on, incoming)
    out_dir = out_dir.expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise ValidationError("out", f"{out_dir} is a file; give a folder for the handover pack")
    if passphrase is not None:
        kdbx.check_passphrase(passphrase, (incoming.name, outgoing.name))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError("out", f"the folder {out_dir} cannot be made: {exc.strerror}") from exc
    files = []
    if passphrase is not None:
        target = out_dir / f"passwords for {incoming.name} {on.isoformat()}.kdbx"
        files.append(kdbx.export(session, target, passphrase).path)
    pdf = out_dir / f"handover {on.isoformat()}.pdf"
    _write_pdf(session, pdf, outgoing.name, incoming.name, on)
    files.insert(0, pdf)
    if passphrase is not None:
        return Pack(files, handovers.BY_KEEPASS)
    return Pack(files, handovers.BY_KEY if handovers.key_approved(session, incoming) else None)


def _holders(grants: list, account: Account, on: date) -> str:
    names = sorted({g.person.name for g in grants if g.account_id == account.id and g.in_force(on)})
    return ", ".join(names) or "No one"


def account_rows(session: Session, on: date) -> list[list[str]]:
    """One row per account in use: the way in, who holds it, and when its password is due."""
    register = checks.load(session, clock_of(session))
    grants = access.all_grants(session)
    rows = []
    for account in register.accounts:
        if account.status == AccountStatus.CLOSED:
            continue
        due = checks.rotation_due(account, register.settings)
        event = register.rotate_now.get(account.id)
        if event is not None:
            when = f"Now ({event.reason})"
        else:
            when = due.isoformat() if due else "No change recorded"
        rows.append(
            [
                account.name,
                account.sign_in_email or "Not recorded",
                account.recovery_email or "Not recorded",
                account.recovery_phone or "Not recorded",
                TwoFactor(account.two_factor).label if account.two_factor else "Not recorded",
                TwoFactorCodes(account.two_factor_codes).label
                if account.two_factor_codes
                else "Not recorded",
                _holders(grants, account, on),
                when,
            ]
        )
    return rows


def _write_pdf(session: Session, out: Path, outgoing: str, incoming: str, on: date) -> None:
    from reportlab.platypus import SimpleDocTemplate

    from clerk_desk.reports import layout
    from clerk_desk.reports.output import write_atomically

    layout.register_fonts()
    settings = council_settings.load(session)
    council = settings.council_name or "The council"
    story: list = [
        layout.para(council, "cover_council"),
        layout.para("Clerk handover pack", "h1"),
        layout.para(
            f"From {outgoing} to {incoming}, {on.isoformat()}. Confidential: keep with the council's records."
        ),
        layout.para("Accounts", "h2"),
        layout.table(
            [
                "Account",
                "Sign-in mailbox",
                "Recovery email",
                "Recovery phone",
                "Two-factor",
                "Codes kept",
                "Who holds access",
                "Password due",
            ],
            account_rows(session, on),
            layout.scaled([16, 14, 14, 10, 9, 12, 13, 10]),
            size=7,
        ),
        layout.para("Open incidents and their follow-ups", "h2"),
    ]
    open_incidents = lifecycle.all_incidents(session, open_only=True)
    incident_rows = [
        [i.reference, i.title, i.status, "; ".join(s.step for s in i.steps if not s.settled) or "None"]
        for i in open_incidents
    ]
    story.append(
        layout.table(
            ["Reference", "Title", "Status", "Follow-ups still to do"],
            incident_rows,
            layout.scaled([12, 40, 12, 36]),
        )
        if incident_rows
        else layout.para("No incident is open.")
    )
    story.append(layout.para("Designated officers", "h2"))
    officer_rows = [
        [d.person.name, ", ".join(a.name for a in d.accounts), d.designated_on.isoformat()]
        for d in officers.all_designations(session)
        if d.in_force(on)
    ]
    story.append(
        layout.table(["Officer", "Accounts", "Since"], officer_rows, layout.scaled([25, 55, 20]))
        if officer_rows
        else layout.para("No one is designated.")
    )
    story.append(layout.para("Access granted", "h2"))
    grant_rows = [
        [
            g.person.name,
            g.account.name,
            g.level,
            g.granted_on.isoformat(),
            g.expires_on.isoformat() if g.expires_on else "No expiry",
        ]
        for g in access.all_grants(session)
        if g.in_force(on) and g.person.name != outgoing
    ]
    story.append(
        layout.table(
            ["Person", "Account", "Level", "Granted", "Expires"],
            grant_rows,
            layout.scaled([24, 32, 14, 15, 15]),
        )
        if grant_rows
        else layout.para("No one else holds access.")
    )
    story.append(layout.para("Policy", "h2"))
    story.append(
        layout.fact_table(
            "Policy dates",
            [
                ("Version", str(settings["policy_version"] or "Not recorded")),
                ("Adopted", str(settings["policy_adopted_on"] or "Not recorded")),
                ("Last reviewed", str(settings["policy_reviewed_on"] or "Not recorded")),
                ("Next review", _next_review(settings)),
            ],
        )
    )
    story.append(layout.para("The first week", "h2"))
    story.extend(layout.para(f"☐ {item}") for item in CHECKLIST)

    def build(path: Path) -> None:
        doc = SimpleDocTemplate(
            str(path),
            pagesize=layout.A4,
            leftMargin=layout.MARGIN,
            rightMargin=layout.MARGIN,
            topMargin=layout.MARGIN,
            bottomMargin=layout.MARGIN,
            title=f"Clerk handover pack, {council}",
        )
        doc.build(story)

    write_atomically(out, build)


def _next_review(settings: council_settings.CouncilSettings) -> str:
    due = checks.policy_review_due(settings)
    return due.isoformat() if due else "Not recorded"
