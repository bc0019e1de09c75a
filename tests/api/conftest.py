"""Fixtures: the real app (TestClient) over a real archive (SQLite in a tmp dir), real keys."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# tests/api/ has no __init__.py: make sure ``api`` and ``services`` are the real packages.
_ROOT = str(Path(__file__).resolve().parents[2])
for _path in (str(Path(__file__).resolve().parent), _ROOT):
    if _path not in sys.path:
        sys.path.insert(0, _path)
for _name in ("api", "services"):
    if getattr(sys.modules.get(_name), "__file__", "") is None:
        del sys.modules[_name]

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.config import ApiSettings  # noqa: E402

from api_helpers import API, auth, wait_job  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path) -> ApiSettings:
    return ApiSettings(home=tmp_path / "home", max_upload_mb=1, job_poll_s=0.1,
                       job_heartbeat_s=0.5, job_stale_s=5.0)


@pytest.fixture
def client(settings):
    app = create_app(settings)
    with TestClient(app) as c:
        yield c
    app.state.archive.close()


@pytest.fixture
def keys(client) -> dict[str, str]:
    archive = client.app.state.archive
    return {role: archive.create_key(role) for role in ("clerk", "legal", "admin")}



@pytest.fixture
def seeded(client, keys, root: Path) -> dict:
    """Seeds 002 and 004 uploaded in one request and processed by the worker."""
    paths = [root / "corpora" / "002_b9256b626c0d84a5.txt", root / "corpora" / "004_ab66ba41325aaf9c.txt"]
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    r = client.post(f"{API}/documents", files=files, headers=auth(keys["clerk"]))
    assert r.status_code == 202, r.text
    items = r.json()["items"]
    for item in items:
        job = wait_job(client, keys["clerk"], item["job_id"])
        assert job["state"] == "done", job
    return {"items": items, "paths": paths}
