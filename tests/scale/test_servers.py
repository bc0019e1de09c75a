"""Two uvicorn processes of the app over one PostgreSQL database: what one process takes in
shows up in the other's task lists within a second (each request checks the graph revision)."""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from chithi.settings import Settings
from services import Archive

API = "/api/v1"


def _wait_up(procs, proc, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited ({proc.returncode}):\n{procs.log(proc)[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"server on {port} not up after 60s:\n{procs.log(proc)[-3000:]}")


def _lead_agencies(text: Path, tmp_path: Path) -> set[str]:
    """The lead agencies' ids of ``text`` (worked out in a scratch archive)."""
    with Archive.open(None, home=tmp_path / "scratch") as scratch:
        doc_id = scratch.ingest_path(text).document_id
        ids = set()
        for ob in scratch.get_document(doc_id).extraction.obligations:
            for agency in ob.lead:
                for entry in scratch.agency_tasks(agency.canonical, include_groups=False):
                    if any(t.document_id == doc_id for t in entry.tasks):
                        ids.add(entry.agency.id)
        return ids


def test_upload_through_one_server_shows_in_the_other_within_a_second(
        tmp_path, pg_url, procs, root):
    texts = sorted((root / "corpora").glob("*.txt"))
    home = tmp_path / "home"
    env = {"CHITHI_HOME": str(home), "CHITHI_DB": pg_url, "CHITHI_BROKER": "",
           "CHITHI_JOB_POLL_S": "0.2"}
    with Archive(Settings(home=home, db=pg_url)) as archive:
        key = archive.create_key("admin")
        archive.ingest_path(texts[0])
    wanted = _lead_agencies(texts[1], tmp_path) - _lead_agencies(texts[0], tmp_path / "s0")
    assert wanted, "the second seed should bring an agency the first one lacks"
    agency = sorted(wanted)[0]
    ports = [procs.free_port(), procs.free_port()]
    servers = [procs.uvicorn(f"api{i}", port, env) for i, port in enumerate(ports)]
    for proc, port in zip(servers, ports):
        _wait_up(procs, proc, port)
    head = {"X-API-Key": key}
    a, b = (httpx.Client(base_url=f"http://127.0.0.1:{p}{API}", headers=head, timeout=30)
            for p in ports)
    with a, b:
        assert b.get("/agencies", params={"size": 1}).status_code == 200  # B's graph is built
        assert b.get(f"/agencies/{agency}/tasks").status_code == 404

        upload = a.post("/documents", files={"files": (texts[1].name, texts[1].read_bytes(),
                                                       "text/plain")})
        assert upload.status_code == 202, upload.text
        item = upload.json()["items"][0]
        deadline = time.monotonic() + 60
        while (job := a.get(f"/jobs/{item['job_id']}").json())["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline, job
            time.sleep(0.02)
        assert job["state"] == "done", job
        done_at = time.monotonic()
        while True:
            got = b.get(f"/agencies/{agency}/tasks")
            seen = time.monotonic() - done_at
            if got.status_code == 200 and any(
                    t["document_id"] == item["document_id"] for t in got.json()["items"]):
                break
            assert seen < 1.0, f"server B still without the new task after {seen:.2f}s: {got.text[:300]}"
        assert seen < 1.0

        # and back: a status set through B is what A lists
        task = next(t for t in got.json()["items"] if t["document_id"] == item["document_id"])
        put = b.put(f"/agencies/{agency}/tasks/{quote(task['obligation_id'], safe='')}/status",
                    json={"status": "done"})
        assert put.status_code == 200, put.text
        started = time.monotonic()
        while True:
            listed = a.get(f"/agencies/{agency}/tasks").json()["items"]
            mine = next(t for t in listed if t["obligation_id"] == task["obligation_id"])
            if mine["status"] == "done":
                break
            assert time.monotonic() - started < 1.0, mine
