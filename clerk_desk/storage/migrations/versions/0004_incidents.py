"""Breach incidents: follow-up steps, action timeline, evidence files, accounts and people involved.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(length=200), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=True),
        sa.Column("discovered_at", sa.DateTime(), nullable=True),
        sa.Column("external_party", sa.Text(), nullable=True),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("near_miss", sa.Boolean(), nullable=False),
        sa.Column("clerk_is_target", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("lessons", sa.Text(), nullable=True),
        sa.Column("ico_decision", sa.String(length=20), nullable=True),
        sa.Column("ico_decided_at", sa.DateTime(), nullable=True),
        sa.Column("ico_notified_at", sa.DateTime(), nullable=True),
        sa.Column("ico_reference", sa.String(length=100), nullable=True),
        sa.Column("ico_reason", sa.Text(), nullable=True),
        sa.Column("delay_reasons", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("reference", name=op.f("uq_incidents_reference")),
    )
    op.create_table(
        "incident_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_actions_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_actions")),
    )
    with op.batch_alter_table("incident_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_actions_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "incident_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_as", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_evidence_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_evidence")),
    )
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_evidence_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "incident_people",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_people_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_incident_people_person_id_people")
        ),
        sa.PrimaryKeyConstraint("incident_id", "person_id", name=op.f("pk_incident_people")),
    )
    op.create_table(
        "incident_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=200), nullable=True),
        sa.Column("not_applicable", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_steps_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_steps")),
        sa.UniqueConstraint("incident_id", "step", name="uq_incident_steps_incident_step"),
    )
    with op.batch_alter_table("incident_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_steps_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "incident_accounts",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_incident_accounts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_accounts_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("incident_id", "account_id", name=op.f("pk_incident_accounts")),
    )


def downgrade() -> None:
    op.drop_table("incident_accounts")
    with op.batch_alter_table("incident_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_steps_incident_id"))

    op.drop_table("incident_steps")
    op.drop_table("incident_people")
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_evidence_incident_id"))

    op.drop_table("incident_evidence")
    with op.batch_alter_table("incident_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_actions_incident_id"))

    op.drop_table("incident_actions")
    op.drop_table("incidents")
