"""tasks: the state of the web app's background tasks, seen by every server process

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-08

An upload or a handover export runs on a worker thread of one server process, and its owner
polls for it. With several server processes (``jiandang serve --workers``) or several nodes the
poll often reaches another process, so the state lives in the catalog instead of one process's
memory.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("node", sa.String(300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
    )
    op.create_index("ix_tasks_node", "tasks", ["node"])
    op.create_index("ix_tasks_updated_at", "tasks", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_tasks_updated_at", table_name="tasks")
    op.drop_index("ix_tasks_node", table_name="tasks")
    op.drop_table("tasks")
