"""oversight: the facts read from each document, and auditors' corrections (issue 17)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

``oversight_documents`` holds, per document, the kind the oversight reader took it for and every
fact it read (JSON: value, unit, page, passage, confidence), with the reader's version: facts are
read once when a document arrives or changes, never again per view. ``oversight_corrections`` is
the auditors' layer over those facts: append-only (a new correction supersedes, nothing is
edited or deleted), each with its reason and author; the extracted value stays beside it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "oversight_documents",
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("read_at", TZ, nullable=False),
    )
    op.create_index("ix_oversight_documents_project_id", "oversight_documents", ["project_id"])
    op.create_index("ix_oversight_documents_kind", "oversight_documents", ["kind"])
    op.create_table(
        "oversight_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id")),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("who", sa.String(128), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_oversight_corrections_project_id", "oversight_corrections", ["project_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER oversight_corrections_no_{verb.lower()} BEFORE {verb} ON oversight_corrections "
                "BEGIN SELECT RAISE(ABORT, 'oversight corrections are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute("""
            CREATE FUNCTION oversight_corrections_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'oversight corrections are append-only'; END $$""")
        op.execute("CREATE TRIGGER oversight_corrections_append_only BEFORE UPDATE OR DELETE ON oversight_corrections "
                   "FOR EACH ROW EXECUTE FUNCTION oversight_corrections_refuse()")
        op.execute("CREATE TRIGGER oversight_corrections_no_truncate BEFORE TRUNCATE ON oversight_corrections "
                   "FOR EACH STATEMENT EXECUTE FUNCTION oversight_corrections_refuse()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS oversight_corrections_no_truncate ON oversight_corrections")
        op.execute("DROP TRIGGER IF EXISTS oversight_corrections_append_only ON oversight_corrections")
        op.execute("DROP FUNCTION IF EXISTS oversight_corrections_refuse()")
    op.drop_table("oversight_corrections")
    op.drop_table("oversight_documents")
