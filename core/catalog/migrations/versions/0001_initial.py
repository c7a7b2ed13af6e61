"""initial catalog: projects, documents, texts, receipts, append-only events

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)

# PostgreSQL: one PL/pgSQL function refuses the change; each table's triggers pass their message.
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION jiandang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$"""


def append_only_triggers(table: str, message: str) -> list[str]:
    """UPDATE and DELETE (per row) and TRUNCATE (per statement) refused on ``table``."""
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION jiandang_append_only('{message}')",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION jiandang_append_only('{message}')",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION jiandang_append_only('{message}')",
    ]


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("name", sa.String(255)),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("original_name", sa.String(1024), nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("quarantine_code", sa.String(32)),
        sa.Column("quarantine_reason", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("pages", sa.Integer),
        sa.Column("extractor", sa.String(32)),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("class_code", sa.String(8), index=True),
        sa.Column("item_code", sa.String(16)),
        sa.Column("doc_type", sa.String(64)),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("needs_review", sa.Boolean, nullable=False),
        sa.Column("doc_date", sa.Date),
        sa.Column("amount", sa.Float),
        sa.Column("indexed_at", TZ, index=True),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "document_texts",
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False, index=True),
        sa.Column("batch_id", sa.String(32), nullable=False, index=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("received_at", TZ, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # History is append-only: refuse edits and deletions at the database itself.
        op.execute(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )
    elif dialect == "postgresql":
        op.execute(APPEND_ONLY_FUNCTION)
        for statement in append_only_triggers("events", "events are append-only"):
            op.execute(statement)


def downgrade() -> None:
    for table in ("events", "receipts", "document_texts", "documents", "projects"):
        op.drop_table(table)
