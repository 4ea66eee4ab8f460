"""The columns of an incidents CSV file (design.md, "CSV columns"), and how follow-up steps are written."""

from __future__ import annotations

#: The columns of the latest assessment; any of them given means an assessment is recorded.
ASSESSMENT_COLUMNS = (
    "risk_likelihood",
    "risk_severity",
    "people_affected",
    "records_affected",
    "data_kinds",
    "consequences",
    "mitigation",
)
COLUMNS = (
    "reference",
    "category",
    "severity",
    "title",
    "description",
    "reported_by",
    "reported_at",
    "occurred_at",
    "discovered_at",
    "accounts",
    "people",
    "personal_data",
    "near_miss",
    "status",
    "resolved_at",
    "outcome",
    "ico_decision",
    "ico_notified_at",
    "clerk_notified_at",
    "chair_informed_at",
    "platform_notified_at",
    "public_notified_at",
    "external_party",
    "clerk_is_target",
    "ico_reference",
    "lessons",
    "change_passwords_at",
    "review_access_at",
    "reported_to_clerk_at",
    "reported_to_chair_at",
    "referral_at",
    *ASSESSMENT_COLUMNS,
    "subjects_told_at",
    "living_people",
    "assessed_at",
    "assessed_by",
    "assessment_reason",
    "subjects_told_how",
    "subjects_told_count",
    "public_summary",
)
REQUIRED = frozenset({"category", "title", "description"})
#: CSV columns that record a follow-up step: when it was done, or "not applicable: <reason>". Every step
#: has one (the ICO decision has its own columns), so a closed incident's follow-ups survive a round trip.
STEP_COLUMNS = {
    "clerk_notified_at": "clerk_notified",
    "chair_informed_at": "chair_informed",
    "platform_notified_at": "platform_notified",
    "public_notified_at": "public_notified",
    "change_passwords_at": "change_passwords",
    "review_access_at": "review_access",
    "reported_to_clerk_at": "reported_to_clerk",
    "reported_to_chair_at": "reported_to_chair",
    "referral_at": "referral",
    "subjects_told_at": "subjects_told",
}
STEP_FIELDS = {step: column for column, step in STEP_COLUMNS.items()}
NOT_APPLICABLE = "not applicable:"
#: A public summary is a sentence or two for the published review, not a second description.
PUBLIC_SUMMARY_LENGTH = 600
