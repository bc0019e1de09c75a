"""Alembic environment: run programmatically by :func:`services.db.migrate` with a connection."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from services.tables import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # the alembic command line: alembic -x url=... upgrade head
        url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
            "sqlalchemy.url")
        with create_engine(url).connect() as conn:
            _migrate(conn)
            conn.commit()
        return
    _migrate(connection)


# made by hand in 0002 (search indexes), not in the models: autogenerate must leave them
NOT_IN_MODELS = ("obligations_fts", "ix_obligations_folded_trgm")


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    return not (reflected and name and name.startswith(NOT_IN_MODELS))


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()
