"""Two indexes no query uses, which every write paid for.

- ``incident_steps.incident_id``: the unique (``incident_id``, ``step``) index already finds an
  incident's steps.
- ``audit_entries.subject_type``: the audit trail's filter compares the type in lower case, which this
  index cannot serve.

An import of 50,000 incidents writes 297,000 steps and 355,000 audit entries; without these it is
about 4% quicker.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_incident_steps_incident_id", table_name="incident_steps")
    op.drop_index("ix_audit_entries_subject_type", table_name="audit_entries")


def downgrade() -> None:
    op.create_index("ix_audit_entries_subject_type", "audit_entries", ["subject_type"], unique=False)
    op.create_index("ix_incident_steps_incident_id", "incident_steps", ["incident_id"], unique=False)
