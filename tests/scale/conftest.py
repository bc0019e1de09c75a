"""Real processes on loopback: PostgreSQL (127.0.0.1:5432, or CHITHI_TEST_PG), Redis
(127.0.0.1:6379, or CHITHI_TEST_REDIS), Celery workers and uvicorn servers started as
subprocesses. A service that is down fails the tests with a message saying how to start it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if getattr(sys.modules.get("services"), "__file__", "") is None:
    del sys.modules["services"]

REDIS_URL = os.environ.get("CHITHI_TEST_REDIS", "redis://127.0.0.1:6379/0")
BIN = Path(sys.executable).parent

from tests.support import free_port, temp_pg_database  # noqa: E402


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (SQLAlchemy URL), dropped afterwards."""
    with temp_pg_database("chithi_scale") as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); start it with `redis-server "
                    "--daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no` "
                    "or set CHITHI_TEST_REDIS", pytrace=False)
    return REDIS_URL


@pytest.fixture
def queue(redis_url: str) -> Iterator[str]:
    """A broker queue of its own (tests may run beside other users of the same Redis)."""
    import redis

    name = f"chithi-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    client.delete(name, *client.keys(f"{name}*"))



class Procs:
    """Subprocesses in their own process groups, logged to files, all killed at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"),
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.running.append((proc, log))
        return proc

    def log(self, proc: subprocess.Popen) -> str:
        return next(log.read_text(errors="replace") for p, log in self.running if p is proc)

    def wait_for_log(self, proc: subprocess.Popen, needle: str, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.log(proc):
                return
            if proc.poll() is not None:
                pytest.fail(f"process exited ({proc.returncode}):\n{self.log(proc)[-3000:]}")
            time.sleep(0.1)
        pytest.fail(f"no {needle!r} after {timeout}s:\n{self.log(proc)[-3000:]}")

    def celery(self, name: str, env: dict[str, str]) -> subprocess.Popen:
        """``celery -A services.celery_app worker --concurrency 1 -P solo``."""
        return self.start(name, [str(BIN / "celery"), "-A", "services.celery_app", "worker",
                                 "--concurrency", "1", "-P", "solo", "-n", f"{name}@%h",
                                 "--without-gossip", "--without-mingle", "--loglevel", "INFO"], env)

    def uvicorn(self, name: str, port: int, env: dict[str, str]) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-m", "uvicorn", "api.app:create_app",
                                 "--factory", "--host", "127.0.0.1", "--port", str(port),
                                 "--log-level", "warning"], env)

    free_port = staticmethod(free_port)

    def stop_all(self) -> None:
        for proc, _ in self.running:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # its OCR children too
            except ProcessLookupError:
                pass
        for proc, _ in self.running:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                pass


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Procs]:
    running = Procs(tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


