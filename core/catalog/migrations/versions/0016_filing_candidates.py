"""documents: the classifier's top three candidates with their reasons, for the review queue

Revision ID: 0016
Revises: 0015_i15
Create Date: 2026-12-07

``candidates`` keeps the best three places a document could be filed (sub-class, item, score,
reasons) as the classifier and the learned model saw them at ingest, so the review page offers
them to pick from instead of a blank list. NULL for documents classified before this revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015_i15"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("candidates", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("candidates")
