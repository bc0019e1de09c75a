"""Helpers shared by the API tests (fixtures are in conftest.py)."""
from __future__ import annotations

import time

API = "/api/v1"


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def problem(r, status: int, code: str) -> dict:
    """Assert an RFC 9457 problem with ``status`` and chithi ``code``; returns its body."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["code"] == code, body
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    return body


def wait_job(client, key: str, job_id: str, timeout: float = 60.0, prefix: str = "") -> dict:
    """Poll a job until done or failed (``client`` a TestClient or an httpx.Client)."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"{prefix}{API}/jobs/{job_id}", headers=auth(key)).json()
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)
