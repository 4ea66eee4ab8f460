"""Alembic environment: always given an open connection by ``clerk_desk.storage.db``."""

from alembic import context

from clerk_desk.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Clerk Desk migrations run only through clerk_desk.storage.db.open_database")

# Batch mode lets later migrations alter SQLite tables, which support few ALTER statements.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
