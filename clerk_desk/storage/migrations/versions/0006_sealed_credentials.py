"""Sealed credentials (keys, recovery key, sealed copies, rotate-now flags) and evidence in the database.

Evidence files that earlier versions kept in this PC's data folder are copied into the database here,
each checked against its recorded SHA-256; a file this PC does not have (it was attached on another
PC), or one that no longer matches its hash, is left as it was and reported as missing when opened.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("clerk_desk.migrations")


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("retired_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_person_keys_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_keys")),
        sa.UniqueConstraint("uuid", name=op.f("uq_person_keys_uuid")),
    )
    with op.batch_alter_table("person_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_keys_person_id"), ["person_id"], unique=False)
    op.create_table(
        "recovery_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_keys")),
    )
    op.create_table(
        "sealed_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_key_id", sa.Integer(), nullable=True),
        sa.Column("recovery_key_id", sa.Integer(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_sealed_copies_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["person_key_id"], ["person_keys.id"], name=op.f("fk_sealed_copies_person_key_id_person_keys")
        ),
        sa.ForeignKeyConstraint(
            ["recovery_key_id"],
            ["recovery_keys.id"],
            name=op.f("fk_sealed_copies_recovery_key_id_recovery_keys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sealed_copies")),
    )
    with op.batch_alter_table("sealed_copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sealed_copies_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sealed_copies_person_key_id"), ["person_key_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sealed_copies_recovery_key_id"), ["recovery_key_id"], unique=False
        )
    op.create_table(
        "rotate_now_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_rotate_now_flags_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotate_now_flags")),
    )
    with op.batch_alter_table("rotate_now_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rotate_now_flags_account_id"), ["account_id"], unique=False)
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("media_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
        batch_op.alter_column("stored_as", existing_type=sa.String(length=500), nullable=True)
    _move_evidence_files_in()


def _move_evidence_files_in() -> None:
    """Copy each evidence file this PC holds into the database, verified by its SHA-256."""
    from clerk_desk.storage import config

    folder = config.data_dir() / "evidence"
    conn = op.get_bind()
    evidence = sa.table(
        "incident_evidence",
        sa.column("id", sa.Integer()),
        sa.column("stored_as", sa.String()),
        sa.column("sha256", sa.String()),
        sa.column("content", sa.LargeBinary()),
    )
    rows = conn.execute(sa.select(evidence.c.id, evidence.c.stored_as, evidence.c.sha256)).all()
    for row_id, stored_as, digest in rows:
        path = folder / Path(stored_as or "")
        if not stored_as or not path.is_file():
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            log.warning("evidence file %s does not match its recorded SHA-256; left where it is", path)
            continue
        conn.execute(sa.update(evidence).where(evidence.c.id == row_id).values(content=data))


def downgrade() -> None:
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.drop_column("content")
        batch_op.drop_column("media_type")
    op.drop_table("rotate_now_flags")
    op.drop_table("sealed_copies")
    op.drop_table("recovery_keys")
    op.drop_table("person_keys")
