"""Alembic migration scripts, shipped inside the package (script_location ``services:migrations``)."""
