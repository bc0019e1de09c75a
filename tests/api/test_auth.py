"""Keys and roles: 401 without a valid key, 403 for the wrong role or another agency."""
from __future__ import annotations

from api_helpers import API, auth, problem as _problem



def test_health_is_open(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["worker"] is True


def test_every_api_route_needs_a_key(client, keys):
    for method, path in [("get", "/documents"), ("get", "/obligations"), ("get", "/agencies"),
                         ("get", "/jobs/x"), ("get", "/references/26%2FCT-TTg"), ("get", "/keys"),
                         ("post", "/documents"), ("patch", "/obligations/x%23o1"),
                         ("get", "/agencies/agency:x/tasks")]:
        _problem(getattr(client, method)(API + path), 401, "E401")
    assert "Bearer" in client.get(f"{API}/documents").headers["www-authenticate"]
    _problem(client.get(f"{API}/documents", headers=auth("chk_nope_nothing")), 401, "E401")
    _problem(client.get(f"{API}/documents", headers=auth("garbage")), 401, "E401")
    _problem(client.get(f"{API}/documents", headers={"Authorization": "Bearer x"}), 401, "E401")


def test_bearer_and_header_keys(client, keys):
    assert client.get(f"{API}/documents", headers={"Authorization": f"Bearer {keys['legal']}"}).status_code == 200
    assert client.get(f"{API}/documents", headers=auth(keys["legal"])).status_code == 200


def test_roles(client, keys, seeded):
    legal, clerk = auth(keys["legal"]), auth(keys["clerk"])
    _problem(client.post(f"{API}/documents", files=[("files", ("a.txt", b"x", "text/plain"))],
                         headers=legal), 403, "E403")
    oid = client.get(f"{API}/obligations", headers=legal).json()["items"][0]["obligation_id"]
    _problem(client.patch(f"{API}/obligations/{oid.replace('#', '%23')}", json={"text": "x"},
                          headers=legal), 403, "E403")
    _problem(client.get(f"{API}/keys", headers=clerk), 403, "E403")
    _problem(client.post(f"{API}/keys", json={"role": "legal"}, headers=legal), 403, "E403")


def test_admin_manages_keys_and_agency_keys_see_only_their_agency(client, keys, seeded):
    admin = auth(keys["admin"])
    agencies = client.get(f"{API}/agencies", params={"q": "Sở Nội vụ tỉnh Kon Tum"}, headers=admin).json()["items"]
    mine = agencies[0]["id"]
    other = next(a["id"] for a in client.get(f"{API}/agencies", headers=admin).json()["items"]
                 if a["id"] != mine)
    r = client.post(f"{API}/keys", json={"role": "agency", "agency": mine}, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["agency_id"] == mine and created["key"].startswith("chk_")
    agency = auth(created["key"])
    tasks = client.get(f"{API}/agencies/{mine}/tasks", headers=agency)
    assert tasks.status_code == 200 and tasks.json()["total"] > 0
    assert client.get(f"{API}/agencies/{mine}", headers=agency).status_code == 200
    _problem(client.get(f"{API}/agencies/{other}/tasks", headers=agency), 403, "E403")
    _problem(client.get(f"{API}/agencies/{other}", headers=agency), 403, "E403")
    oid = tasks.json()["items"][0]["obligation_id"].replace("#", "%23")
    _problem(client.put(f"{API}/agencies/{other}/tasks/{oid}/status", json={"status": "done"},
                        headers=agency), 403, "E403")
    for path in ("/documents", "/obligations", "/agencies"):
        _problem(client.get(API + path, headers=agency), 403, "E403")
    # the key is listed without its secret, then revoked: 401 from then on
    listed = client.get(f"{API}/keys", headers=admin).json()
    assert created["prefix"] in {k["prefix"] for k in listed} and all("key" not in k for k in listed)
    assert client.delete(f"{API}/keys/{created['prefix']}", headers=admin).status_code == 204
    _problem(client.get(f"{API}/agencies/{mine}/tasks", headers=agency), 401, "E401")
    _problem(client.delete(f"{API}/keys/ffffffff", headers=admin), 404, "E304")


def test_key_requests_are_validated(client, keys):
    admin = auth(keys["admin"])
    _problem(client.post(f"{API}/keys", json={"role": "boss"}, headers=admin), 422, "E322")
    _problem(client.post(f"{API}/keys", json={"role": "agency"}, headers=admin), 422, "E322")
    _problem(client.post(f"{API}/keys", json={"role": "legal", "agency": "x"}, headers=admin), 422, "E322")
    _problem(client.post(f"{API}/keys", json={"role": "agency", "agency": "Không có"}, headers=admin),
             422, "E322")
