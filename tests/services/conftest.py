"""Fixtures: every archive test runs on real SQLite (tmp dir) AND real PostgreSQL.

PostgreSQL: one fresh database per session on 127.0.0.1:5432 (override the server with
CHITHI_TEST_PG, an admin URL such as ``postgresql://postgres@127.0.0.1:5432/postgres``), a
fresh schema per test, the database dropped at the end. If the server is down the tests fail.
"""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

# tests/services/ has no __init__.py, so under pytest's default import mode the folder would
# shadow the real ``services`` package as a namespace package: put the repo first.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("services"), "__file__", "") is None:
    del sys.modules["services"]

from services import Archive  # noqa: E402
from tests.support import temp_pg_database  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_database():
    with temp_pg_database("chithi_test") as url:
        yield url


def _pg_schema_url(request) -> str:
    import psycopg

    base = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def db_url(request) -> str | None:
    """None for SQLite in the archive's home, else a fresh PostgreSQL schema's URL."""
    return None if request.param == "sqlite" else _pg_schema_url(request)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def archive(db_url, home):
    arc = Archive.open(db_url, home=home)
    try:
        yield arc
    finally:
        arc.close()


@pytest.fixture(scope="session")
def corpus_files(root: Path) -> list[Path]:
    files = sorted((root / "corpora").glob("*.txt"))
    assert len(files) == 5, files
    return files
