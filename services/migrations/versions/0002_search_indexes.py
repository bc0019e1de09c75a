"""search indexes: pg_trgm on PostgreSQL, FTS5 on SQLite

Both index the ``obligations.folded`` column (ASCII-folded words between single spaces, made
by ``services.processing.folded_words``), so both engines answer the same question with the
same words: PostgreSQL serves ``folded LIKE '% word %'`` from a trigram GIN index; SQLite
matches ``"word"`` / ``"a b c"`` in an FTS5 table kept in step by triggers (external content:
the FTS rowid is the obligations rowid; after a ``VACUUM`` run
``INSERT INTO obligations_fts(obligations_fts) VALUES('rebuild')``).

On PostgreSQL without the pg_trgm extension (and no right to create it) the index is left
out and search still works, unindexed.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import logging

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

FTS_TRIGGERS = {
    "obligations_fts_ai": "AFTER INSERT ON obligations BEGIN "
    "INSERT INTO obligations_fts(rowid, folded) VALUES (new.rowid, new.folded); END",
    "obligations_fts_ad": "AFTER DELETE ON obligations BEGIN "
    "INSERT INTO obligations_fts(obligations_fts, rowid, folded) "
    "VALUES ('delete', old.rowid, old.folded); END",
    "obligations_fts_au": "AFTER UPDATE OF folded ON obligations BEGIN "
    "INSERT INTO obligations_fts(obligations_fts, rowid, folded) "
    "VALUES ('delete', old.rowid, old.folded); "
    "INSERT INTO obligations_fts(rowid, folded) VALUES (new.rowid, new.folded); END",
}


def _trgm_schema(bind) -> str | None:
    """The schema pg_trgm lives in, creating the extension if it is missing and allowed."""
    found = bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()
    if found:
        return found
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - no right to create it: search stays unindexed
        savepoint.rollback()
        log.warning("pg_trgm not available (%s); obligation search is not indexed", exc)
        return None
    savepoint.commit()
    return bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = _trgm_schema(bind)
        if schema:
            op.execute(f'CREATE INDEX ix_obligations_folded_trgm ON obligations '
                       f'USING gin (folded "{schema}".gin_trgm_ops)')
    elif bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE obligations_fts USING fts5("
                   "folded, content='obligations', content_rowid='rowid', "
                   "tokenize='unicode61 remove_diacritics 0')")
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO obligations_fts(obligations_fts) VALUES ('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_obligations_folded_trgm")
    elif bind.dialect.name == "sqlite":
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS obligations_fts")
