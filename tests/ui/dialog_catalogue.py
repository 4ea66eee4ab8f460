"""Every dialog of the window, built on the demo council: the accessibility checks open each one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from clerk_desk.models import AccountStatus, IncidentStatus
from clerk_desk.ui.access_page import grant_dialog, revoke_dialog
from clerk_desk.ui.account_dialogs import account_dialog, approve_dialog, close_dialog
from clerk_desk.ui.actor_dialog import ActorDialog
from clerk_desk.ui.assessment_pane import assessment_dialog, not_required_dialog, told_dialog
from clerk_desk.ui.credential_dialogs import HistoryDialog, RevealDialog, RotateDialog, SetPasswordDialog
from clerk_desk.ui.election_dialogs import (
    account_item_dialog,
    candidate_dialog,
    exception_dialog,
    period_dialog,
    period_item_dialog,
    removal_dialog,
)
from clerk_desk.ui.incident_dialogs import (
    edit_dialog,
    ico_dialog,
    log_dialog,
    not_applicable_dialog,
    status_dialog,
)
from clerk_desk.ui.keys_dialog import KeysDialog
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.officers_page import end_dialog, officer_dialog
from clerk_desk.ui.people_page import acknowledgement_dialog, leaving_dialog, person_dialog


def dialogs(window: MainWindow) -> dict[str, Callable[[], QDialog]]:
    """Name -> a function that builds the dialog (not shown)."""
    c = window.context
    for page in (window.accounts, window.people, window.access, window.officers, window.incidents):
        page.reload()
    accounts = [row.account for row in window.accounts.model.rows()]
    proposed = next(a for a in accounts if a.status == AccountStatus.PROPOSED)
    active = next(a for a in accounts if a.status == AccountStatus.ACTIVE)
    people = window.people.model.rows()
    grants = window.access.model.rows()
    designations = window.officers.model.rows()
    incidents = window.incidents.model.rows()
    incident = next(i for i in incidents if i.status != IncidentStatus.CLOSED)
    elections = window.go_to_title("Elections")
    period = elections.period()
    names = [p.name for p in people]
    return {
        "Add account": lambda: account_dialog(c, None, window),
        "Edit account": lambda: account_dialog(c, active, window),
        "Approve account": lambda: approve_dialog(c, proposed, window),
        "Close account": lambda: close_dialog(c, active, window),
        "Set password": lambda: SetPasswordDialog(c, active, window),
        "Reveal password": lambda: RevealDialog(active, "not-a-real-password", window),
        "Rotate password": lambda: RotateDialog(c, active, window),
        "Password history": lambda: HistoryDialog(c, active, window),
        "Add person": lambda: person_dialog(c, None, window),
        "Edit person": lambda: person_dialog(c, people[0], window),
        "Record leaving": lambda: leaving_dialog(c, people[0], window),
        "Record acknowledgement": lambda: acknowledgement_dialog(c, people[0], "v1", window),
        "Grant access": lambda: grant_dialog(c, None, window),
        "Edit grant": lambda: grant_dialog(c, grants[0], window),
        "Revoke grant": lambda: revoke_dialog(c, grants[0], window),
        "Designate officer": lambda: officer_dialog(c, None, window),
        "Edit designation": lambda: officer_dialog(c, designations[0], window),
        "End designation": lambda: end_dialog(c, designations[0], window),
        "Log incident": lambda: log_dialog(c, window),
        "Edit incident": lambda: edit_dialog(c, incident, window),
        "ICO decision": lambda: ico_dialog(c, incident, window),
        "Close incident": lambda: status_dialog(c, incident, IncidentStatus.CLOSED, window),
        "Step not applicable": lambda: not_applicable_dialog(c, incident, "change_passwords", window),
        "Who is using Clerk Desk": lambda: ActorDialog(["Zoë Hartley", "Łukasz Nowak"], "pc-user", window),
        "Keys": lambda: KeysDialog(c, window),
        "Assess risk": lambda: assessment_dialog(c, incident, window),
        "People told": lambda: told_dialog(c, incident, window),
        "Telling not required": lambda: not_required_dialog(c, incident, window),
        "Add election period": lambda: period_dialog(c, None, window),
        "Edit election period": lambda: period_dialog(c, period, window),
        "Staff briefed": lambda: period_item_dialog(c, period, "briefing", window),
        "Notice posted": lambda: account_item_dialog(c, period, active, "notice_posted_on", window),
        "Record removal": lambda: removal_dialog(c, [a.name for a in accounts], window),
        "Approve exception": lambda: exception_dialog(c, period, window),
        "Standing for election": lambda: candidate_dialog(c, period, names, window),
    }
