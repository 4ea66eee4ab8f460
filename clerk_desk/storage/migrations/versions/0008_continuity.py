"""Account recovery details and where the 2FA codes are kept; clerk handovers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recovery_email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("recovery_phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("two_factor_codes", sa.String(length=20), nullable=True))
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outgoing_id", sa.Integer(), nullable=False),
        sa.Column("incoming_id", sa.Integer(), nullable=False),
        sa.Column("handed_over_on", sa.Date(), nullable=False),
        sa.Column("passwords_by", sa.String(length=20), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("label", sa.String(length=420), nullable=False),
        sa.ForeignKeyConstraint(["incoming_id"], ["people.id"], name=op.f("fk_handovers_incoming_id_people")),
        sa.ForeignKeyConstraint(["outgoing_id"], ["people.id"], name=op.f("fk_handovers_outgoing_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )


def downgrade() -> None:
    op.drop_table("handovers")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("two_factor_codes")
        batch_op.drop_column("recovery_phone")
        batch_op.drop_column("recovery_email")
