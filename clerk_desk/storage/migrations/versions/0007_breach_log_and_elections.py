"""The ICO's assessment of personal-data breaches with its history, telling the people affected
(Art. 34), and the pre-election period: checklist, candidates, exceptions and the moderation log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "election_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("notice_on", sa.Date(), nullable=False),
        sa.Column("poll_on", sa.Date(), nullable=False),
        sa.Column("elections", sa.Text(), nullable=True),
        sa.Column("partnership_handled_on", sa.Date(), nullable=True),
        sa.Column("partnership_note", sa.Text(), nullable=True),
        sa.Column("staff_briefed_on", sa.Date(), nullable=True),
        sa.Column("staff_briefed_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_periods")),
    )
    op.create_table(
        "election_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("marked_on", sa.Date(), nullable=False),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["election_periods.id"],
            name=op.f("fk_election_candidates_period_id_election_periods"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_election_candidates_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_candidates")),
        sa.UniqueConstraint("period_id", "person_id", name="uq_election_candidates_pair"),
    )
    with op.batch_alter_table("election_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_election_candidates_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_election_candidates_person_id"), ["person_id"], unique=False)

    op.create_table(
        "election_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["election_periods.id"],
            name=op.f("fk_election_exceptions_period_id_election_periods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_exceptions")),
    )
    with op.batch_alter_table("election_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_election_exceptions_period_id"), ["period_id"], unique=False)

    op.create_table(
        "incident_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("living_people", sa.Boolean(), nullable=False),
        sa.Column("likelihood", sa.String(length=10), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("people_affected", sa.Integer(), nullable=True),
        sa.Column("records_affected", sa.Integer(), nullable=True),
        sa.Column("data_kinds", sa.Text(), nullable=True),
        sa.Column("consequences", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_assessments_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_assessments")),
    )
    with op.batch_alter_table("incident_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_assessments_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "election_account_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("notice_posted_on", sa.Date(), nullable=True),
        sa.Column("posts_reviewed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_election_account_checks_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["election_periods.id"],
            name=op.f("fk_election_account_checks_period_id_election_periods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_account_checks")),
        sa.UniqueConstraint("period_id", "account_id", name="uq_election_account_checks_pair"),
    )
    with op.batch_alter_table("election_account_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_election_account_checks_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_election_account_checks_period_id"), ["period_id"], unique=False)

    op.create_table(
        "moderation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_moderation_log_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_log")),
    )
    with op.batch_alter_table("moderation_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_log_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_log_at"), ["at"], unique=False)

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subjects_told_how", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("subjects_told_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("subjects_told_count")
        batch_op.drop_column("subjects_told_how")

    with op.batch_alter_table("moderation_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_log_at"))
        batch_op.drop_index(batch_op.f("ix_moderation_log_account_id"))

    op.drop_table("moderation_log")
    with op.batch_alter_table("election_account_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_election_account_checks_period_id"))
        batch_op.drop_index(batch_op.f("ix_election_account_checks_account_id"))

    op.drop_table("election_account_checks")
    with op.batch_alter_table("incident_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_assessments_incident_id"))

    op.drop_table("incident_assessments")
    with op.batch_alter_table("election_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_election_exceptions_period_id"))

    op.drop_table("election_exceptions")
    with op.batch_alter_table("election_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_election_candidates_person_id"))
        batch_op.drop_index(batch_op.f("ix_election_candidates_period_id"))

    op.drop_table("election_candidates")
    op.drop_table("election_periods")
