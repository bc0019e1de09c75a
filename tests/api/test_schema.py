"""Property-based requests from the OpenAPI schema (schemathesis): no answer is a 5xx, and
every error is problem+json."""
from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from api.config import ApiSettings


@pytest.fixture(scope="module")
def served(tmp_path_factory, root):
    app = create_app(ApiSettings(home=tmp_path_factory.mktemp("schema") / "home", max_upload_mb=1,
                                 job_poll_s=0.2))
    archive = app.state.archive
    archive.ingest_path(root / "corpora" / "004_ab66ba41325aaf9c.txt")
    with TestClient(app):  # runs the lifespan: the worker is up
        yield app, archive.create_key("admin")
    archive.close()


def test_no_server_errors(served):
    """Every operation, a few generated requests each (schemathesis' pytest plugin does not
    run under pytest 9, so the operations' strategies are driven with Hypothesis directly)."""
    app, key = served
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers={"X-API-Key": key})
            where = f"{case.method} {case.formatted_path}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code} {response.text[:300]}")
            elif response.status_code >= 400 and not "".join(response.headers.get(
                    "content-type") or []).startswith("application/problem+json"):
                failures.append(f"{where}: {response.status_code} is not problem+json")

        check()
    assert operations >= 15
    assert not failures, "\n".join(failures[:20])
