"""Helpers several test folders share: a free loopback port, waiting for a server process to
answer /health, and a throwaway PostgreSQL database."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

ADMIN_URL = os.environ.get("CHITHI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, tail: Callable[[], str], *, timeout: float = 60) -> None:
    """Until ``url``/health answers 200; the process dying or the time running out fails with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, tail()
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not start: " + tail())


@contextmanager
def temp_pg_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database (SQLAlchemy URL), dropped afterwards; fails (never skips)
    with a clear message when the server is down."""
    import psycopg
    from sqlalchemy.engine import make_url

    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {ADMIN_URL} ({exc}); start it with "
                    "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
                    "or set CHITHI_TEST_PG", pytrace=False)
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(ADMIN_URL).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
