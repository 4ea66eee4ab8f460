"""Password rotation history; each account's recorded last change becomes its first entry.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "password_rotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("rotated_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("account_name", sa.String(length=310), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_password_rotations_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_rotations")),
    )
    with op.batch_alter_table("password_rotations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_rotations_account_id"), ["account_id"], unique=False)

    # The date the register already held is kept as history, so "last changed" keeps its value.
    accounts = sa.table(
        "accounts",
        sa.column("id", sa.Integer),
        sa.column("platform", sa.String),
        sa.column("handle", sa.String),
        sa.column("last_rotated_on", sa.Date),
    )
    rotations = sa.table(
        "password_rotations",
        sa.column("account_id", sa.Integer),
        sa.column("rotated_on", sa.Date),
        sa.column("recorded_at", sa.DateTime),
        sa.column("recorded_by", sa.String),
        sa.column("reason", sa.String),
        sa.column("note", sa.Text),
        sa.column("account_name", sa.String),
    )
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "account_id": row.id,
            "rotated_on": row.last_rotated_on,
            "recorded_at": now,
            "recorded_by": "Clerk Desk upgrade",
            "reason": "other",
            "note": "Recorded in the register before rotation history was kept",
            "account_name": f"{row.platform}:{row.handle}",
        }
        for row in connection.execute(sa.select(accounts).where(accounts.c.last_rotated_on.is_not(None)))
    ]
    if rows:
        op.bulk_insert(rotations, rows)


def downgrade() -> None:
    with op.batch_alter_table("password_rotations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_rotations_account_id"))

    op.drop_table("password_rotations")
