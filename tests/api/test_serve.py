"""The real server: ``chithi serve`` in a subprocess, a scanned page through OCR to a task
list, and a server killed (SIGKILL) in the middle of a job that finishes after a restart."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support import free_port, wait_healthy

from api_helpers import API, auth, wait_job

ROOT = Path(__file__).resolve().parents[2]
CHITHI = Path(sys.executable).with_name("chithi")



class Server:
    def __init__(self, home: Path) -> None:
        self.home, self.port, self.proc = home, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        env = {**os.environ, "CHITHI_HOME": str(self.home), "CHITHI_JOB_POLL_S": "0.2",
               "CHITHI_JOB_HEARTBEAT_S": "0.5", "CHITHI_JOB_STALE_S": "3", "CHITHI_OCR_WORKERS": "1"}
        self.log = open(self.home.parent / f"serve-{self.port}.log", "ab")
        self.proc = subprocess.Popen([str(CHITHI), "serve", "--port", str(self.port)], cwd=ROOT,
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_healthy(self.url, self.proc, self.tail)
        return self

    def tail(self) -> str:
        return (self.home.parent / f"serve-{self.port}.log").read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)  # the server and any OCR workers it started
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def _keys(home: Path) -> dict[str, str]:
    from chithi.settings import Settings
    from services.archive import Archive

    with Archive(Settings(home=home)) as archive:
        return {role: archive.create_key(role) for role in ("clerk", "legal")}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_serve_scan_to_tasks(home, shared):
    keys = _keys(home)
    server = Server(home).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            scan = shared / "scans" / "004_ab66ba41325aaf9c" / "clean" / "p01.png"
            r = http.post(f"{API}/documents", headers=auth(keys["clerk"]),
                          files=[("files", ("p01.png", scan.read_bytes(), "image/png"))])
            assert r.status_code == 202, r.text
            item = r.json()["items"][0]
            assert item["media_type"] == "image/png"
            job = wait_job(http, keys["clerk"], item["job_id"], timeout=120)
            assert job["state"] == "done", job
            assert job["pages_done"] == job["pages_total"] == 1
            doc = http.get(item["document_url"], headers=auth(keys["legal"])).json()
            assert doc["pages"][0]["method"] == "ocr" and doc["pages"][0]["confidence"] > 0.5
            agencies = http.get(f"{API}/agencies", headers=auth(keys["legal"])).json()["items"]
            busy = [a for a in agencies if a["open_tasks"] > 0]
            assert busy, agencies
            tasks = http.get(f"{API}/agencies/{busy[0]['id']}/tasks", headers=auth(keys["legal"])).json()
            assert tasks["total"] > 0 and all(t["document_id"] == item["document_id"] for t in tasks["items"])
    finally:
        server.stop()


def test_killed_server_finishes_the_job_after_restart(home, shared):
    keys = _keys(home)
    pdf = shared / "scans" / "004_ab66ba41325aaf9c" / "004_ab66ba41325aaf9c_imageonly.pdf"
    server = Server(home).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            r = http.post(f"{API}/documents", headers=auth(keys["clerk"]),
                          files=[("files", (pdf.name, pdf.read_bytes(), "application/pdf"))])
            assert r.status_code == 202, r.text
            item = r.json()["items"][0]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # wait until it is half way through the pages
                job = http.get(f"{API}/jobs/{item['job_id']}", headers=auth(keys["clerk"])).json()
                if job["state"] == "running" and job["pages_done"] >= 1:
                    break
                time.sleep(0.1)
            assert job["state"] == "running" and job["pages_done"] < (job["pages_total"] or 99), job
    finally:
        server.kill()
    server = Server(home).start()  # same archive
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            job = wait_job(http, keys["clerk"], item["job_id"], timeout=150)
            assert job["state"] == "done" and job["attempts"] == 2, job
            assert job["pages_done"] == job["pages_total"] >= 2
            legal = auth(keys["legal"])
            docs = http.get(f"{API}/documents", headers=legal).json()
            assert docs["total"] == 1 and docs["items"][0]["status"] == "done"
            assert docs["items"][0]["obligations"] > 0
            assert http.get(item["document_url"] + "/file",
                            headers=legal).content == pdf.read_bytes()
            page = http.get(f"{API}/documents/{item['document_id']}/pages/2.png", headers=legal)
            assert page.status_code == 200 and page.content.startswith(b"\x89PNG")
    finally:
        server.stop()
