"""jobs: the watcher that is taking a file in (several app nodes share one catalog)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

With the catalog on PostgreSQL several watchers (one per app node) share the job table. A job
in ``processing`` names its ``owner`` (``core/watching/lock.py``: host, process and a random tag,
held alive by an advisory lock); a starting watcher puts back only the jobs of owners that are
gone, never those another live node is reading right now.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("owner", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("owner")
