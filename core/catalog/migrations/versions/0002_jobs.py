"""durable job queue for watched folders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("root", sa.Text, nullable=False, index=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger),
        sa.Column("mtime_ns", sa.BigInteger),  # nanoseconds: 64 bits (SQLite's INTEGER is anyway)
        sa.Column("sha256", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("document_id", sa.String(32)),
        sa.Column("batch_id", sa.String(32), index=True),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    # One live row per path in a root: the in-flight guard against double queueing.
    op.create_index("jobs_root_path", "jobs", ["root", "path"], unique=True)


def downgrade() -> None:
    op.drop_index("jobs_root_path", table_name="jobs")
    op.drop_table("jobs")
