"""Every policy clause the app cites, in one table.

Findings, error messages, the window's tooltips and the annual review all take their clause from here,
so a clause is written once. ``RULES`` maps each policy-finding rule id (design.md, "Policy-finding rule
ids") to the clause it comes from; a test checks that every finding cites its rule's clause.
"""

from __future__ import annotations

# The council's own policies (../shared/policies), by the clauses the app enforces.
APPROVAL = "Barling Magna; Stalbridge 4"
COUNCIL_SIGN_IN = "Stalbridge req. 1; Thornbury 9.6"
COMPLAINTS_INFO = "Stalbridge req. 2"
CONTROL = "Thornbury 9.1"
BUSINESS_CASE = "Thornbury 9.1; Thornbury 3.1.1"
MEMBER = "Thornbury 9.2"
UNIQUE_PASSWORDS = "Thornbury 9.3"
ROTATION = "Thornbury 9.4"
KEYHOLDER_LEFT = "Thornbury 9.1; 9.4"
TWO_FACTOR = "Thornbury 9.5"
NON_COUNCIL_DEVICE = "Thornbury 9.7.1"
IMPERSONATION = "Thornbury 8"
HARASSMENT = "Ottery 7.4; Thornbury 5.3"
POLICY_BREACH = "Thornbury 6; district policy 6"
FOLLOW_UP = "Thornbury 6; Stalbridge 3"
POLICY_REVIEW = "Thornbury 10; Stalbridge 5"
OFFICERS = "district policy 5a; Thornbury 3"
ACKNOWLEDGEMENT = "district policy 5c; Thornbury 4.2"
SIGN_IN_HELD_BY_COUNCIL = "Thornbury 9.6"
# The law and national guidance, not the council's policies.
ICO_NOTIFICATION = "UK GDPR Art. 33"
SUBJECTS_TOLD = "UK GDPR Art. 34"
PRE_ELECTION = "Publicity Code paras 33–35; LGA pre-election guidance"
PRE_ELECTION_CANDIDATE = "Publicity Code para 34; Thornbury 9.2"
GOVERNANCE_EVIDENCE = "AGAR 2025/26 Assertion 10"
ACCESSIBILITY = "Public Sector Bodies Accessibility Regulations 2018 (WCAG 2.2 AA)"

#: Each policy-finding rule id and the clause it cites.
RULES: dict[str, str] = {
    "account-unapproved": APPROVAL,
    "signin-email-not-council": COUNCIL_SIGN_IN,
    "complaints-info-missing": COMPLAINTS_INFO,
    "no-two-factor": TWO_FACTOR,
    "password-missing": CONTROL,
    "password-reused": UNIQUE_PASSWORDS,
    "password-overdue": ROTATION,
    "rotate-now": ROTATION,
    "councillor-access": MEMBER,
    "grant-expired": CONTROL,
    "grant-no-business-case": BUSINESS_CASE,
    "officer-not-acknowledged": ACKNOWLEDGEMENT,
    "keyholder-left": KEYHOLDER_LEFT,
    "policy-review-overdue": POLICY_REVIEW,
    "ico-deadline": ICO_NOTIFICATION,
    "chair-not-informed": NON_COUNCIL_DEVICE,
    "platform-not-notified": IMPERSONATION,
    "incident-open-too-long": FOLLOW_UP,
    "passwords-single-holder": CONTROL,
    "key-awaiting-approval": CONTROL,
    "recovery-key-missing": CONTROL,
    "backup-overdue": GOVERNANCE_EVIDENCE,
    "two-factor-personal-device": SIGN_IN_HELD_BY_COUNCIL,
    "data-subjects-not-told": SUBJECTS_TOLD,
    "pre-election-notice-missing": PRE_ELECTION,
    "pre-election-grant-to-candidate": PRE_ELECTION_CANDIDATE,
}
