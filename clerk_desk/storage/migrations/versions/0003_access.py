"""Delegated access (grants), designated officers and policy acknowledgements.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.String(length=50), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=False),
        sa.Column("training_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_acknowledgements_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
        sa.UniqueConstraint("person_id", "policy_version", name="uq_acknowledgements_person_version"),
    )
    with op.batch_alter_table("acknowledgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_acknowledgements_person_id"), ["person_id"], unique=False)

    op.create_table(
        "designations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("designated_by_id", sa.Integer(), nullable=True),
        sa.Column("designated_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["designated_by_id"], ["people.id"], name=op.f("fk_designations_designated_by_id_people")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_designations_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designations")),
    )
    with op.batch_alter_table("designations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_designations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "designation_accounts",
        sa.Column("designation_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_designation_accounts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["designation_id"],
            ["designations.id"],
            name=op.f("fk_designation_accounts_designation_id_designations"),
        ),
        sa.PrimaryKeyConstraint("designation_id", "account_id", name=op.f("pk_designation_accounts")),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("business_case", sa.Text(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_grants_account_id_accounts")),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["people.id"], name=op.f("fk_grants_approved_by_id_people")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_grants_person_id_people")),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["people.id"], name=op.f("fk_grants_revoked_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
    )
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_person_id"))
        batch_op.drop_index(batch_op.f("ix_grants_account_id"))

    op.drop_table("grants")
    op.drop_table("designation_accounts")
    with op.batch_alter_table("designations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_designations_person_id"))

    op.drop_table("designations")
    with op.batch_alter_table("acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgements_person_id"))

    op.drop_table("acknowledgements")
