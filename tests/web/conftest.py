"""A real uvicorn server of the app (tmp CHITHI_HOME) and Debian's Chromium via Playwright."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
if str(Path(__file__).parent) not in sys.path:  # web_helpers, as tests/api does
    sys.path.insert(0, str(Path(__file__).parent))
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHITHI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]



class Server:
    """``uvicorn --factory serve_app:app`` on a free loopback port, stopped with SIGINT."""

    def __init__(self, home: Path, *, demo: bool = False) -> None:
        self.home, self.demo, self.port = home, demo, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home.parent / f"uvicorn-{self.port}.log"

    def start(self) -> "Server":
        env = {**os.environ, "CHITHI_HOME": str(self.home), "CHITHI_JOB_POLL_S": "0.2",
               "CHITHI_JOB_HEARTBEAT_S": "0.5", "CHITHI_OCR_WORKERS": "1",
               "CHITHI_DEMO": "1" if self.demo else "0", "PYTHONPATH": str(ROOT)}
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "serve_app:app", "--app-dir",
             str(Path(__file__).parent), "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_healthy(self.url, self.proc, self.tail)
        return self

    def tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def _key(home: Path, role: str) -> str:
    from chithi.settings import Settings
    from services.archive import Archive

    with Archive(Settings(home=home)) as archive:
        return archive.create_key(role)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server without demo mode and a clerk key made in its archive."""
    home = tmp_path_factory.mktemp("web") / "home"
    key = _key(home, "clerk")
    srv = Server(home).start()
    srv.key = key
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("demo") / "home", demo=True).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"no Chromium at {CHROMIUM}: run .ci/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context (no cookies); a screenshot of the last page when the test ends."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(60000)  # a loaded 2-core CI machine is slow, not broken
    from playwright.sync_api import expect

    expect.set_options(timeout=20000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"web-{request.node.name}-end.png"), full_page=True)
    context.close()

