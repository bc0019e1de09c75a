"""Search (accents ignored, quoted phrases exact, agency with groups, deadlines, citations),
task lists as JSON/CSV/ICS with status, and reviewer corrections that survive re-processing."""
from __future__ import annotations

import csv
import io

from icalendar import Calendar

from api_helpers import API, auth, problem


def _q(oid: str) -> str:
    return oid.replace("#", "%23")


def test_search_ignores_accents_and_quotes_are_exact(client, keys, seeded):
    legal = auth(keys["legal"])
    folded = client.get(f"{API}/obligations", params={"q": "so noi vu", "size": 200}, headers=legal).json()
    exact = client.get(f"{API}/obligations", params={"q": '"Sở Nội vụ"', "size": 200}, headers=legal).json()
    assert exact["total"] > 0 and len(exact["items"]) == exact["total"]
    assert all("sở nội vụ" in " ".join(h["text"].split()).lower() for h in exact["items"])
    assert {h["obligation_id"] for h in exact["items"]} <= {h["obligation_id"] for h in folded["items"]}
    assert client.get(f"{API}/obligations", params={"q": '"so noi vu"'}, headers=legal).json()["total"] == 0
    page2 = client.get(f"{API}/obligations", params={"q": "so noi vu", "size": 1, "page": 2}, headers=legal).json()
    assert page2["items"][0]["obligation_id"] == folded["items"][1]["obligation_id"]


def test_search_by_agency_with_groups_deadline_and_citation(client, keys, seeded):
    legal = auth(keys["legal"])
    agency = client.get(f"{API}/agencies", params={"q": "Sở Nội vụ tỉnh Kon Tum"}, headers=legal).json()["items"][0]
    tasks = client.get(f"{API}/agencies/{agency['id']}/tasks", headers=legal).json()
    assert any(t["via_group"] for t in tasks["items"]), "some tasks reach it through a group"
    hits = client.get(f"{API}/obligations", params={"agency": agency["id"], "size": 200}, headers=legal).json()
    assert {h["obligation_id"] for h in hits["items"]} == {t["obligation_id"] for t in tasks["items"]}
    by_name = client.get(f"{API}/obligations", params={"agency": "so noi vu tinh kon tum", "size": 200},
                         headers=legal).json()
    assert by_name["total"] == hits["total"]
    dated = client.get(f"{API}/obligations", params={"due_from": "2000-01-01", "size": 200}, headers=legal).json()
    assert dated["total"] > 0 and all(h["deadlines"] for h in dated["items"])
    # before 1999 only recurring deadlines of documents without a date can fall due
    old = client.get(f"{API}/obligations", params={"due_to": "1999-01-01", "size": 200}, headers=legal).json()
    assert all(d["kind"] == "recurring" for h in old["items"] for d in h["deadlines"])
    assert old["total"] < dated["total"]
    cites = client.get(f"{API}/obligations", params={"cites": "26/CT-TTg"}, headers=legal).json()
    assert cites["total"] >= 1 and all("26/CT-TTg" in h["text"] for h in cites["items"])
    ref = client.get(f"{API}/references/26/CT-TTg", headers=legal).json()
    assert {h["obligation_id"] for h in ref["citing_obligations"]} == {h["obligation_id"] for h in cites["items"]}
    assert ref["citing_documents"] and ref["documents"][0]["number"] == "26/CT-TTg"
    replaced = client.get(f"{API}/references/02/CT-UBND", headers=legal).json()
    assert replaced["replaced_by"] and replaced["replaced_by"][0]["new"]["ingested"] is True
    problem(client.get(f"{API}/references/999/XX-YY", headers=legal), 404, "E304")


def test_task_list_formats_and_status(client, keys, seeded):
    legal = auth(keys["legal"])
    hits = client.get(f"{API}/obligations", params={"due_from": "2000-01-01"}, headers=legal).json()["items"]
    hit = next(h for h in hits if h["lead"] and any(d["kind"] == "date" for d in h["deadlines"]))
    agency = client.get(f"{API}/agencies", params={"q": hit["lead"][0]}, headers=legal).json()["items"][0]
    url = f"{API}/agencies/{agency['id']}/tasks"
    tasks = client.get(url, headers=legal).json()
    assert tasks["agency"]["id"] == agency["id"] and tasks["total"] == len(tasks["items"]) > 0
    rows = list(csv.DictReader(io.StringIO(client.get(url, params={"format": "csv"}, headers=legal).text.lstrip("\ufeff"))))
    assert [r["obligation_id"] for r in rows] == [t["obligation_id"] for t in tasks["items"]]
    by_accept = client.get(url, headers={**legal, "Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")
    ics = client.get(url, headers={**legal, "Accept": "text/calendar"})
    assert ics.headers["content-type"].startswith("text/calendar")
    todos = Calendar.from_ical(ics.content).walk("VTODO")
    dated = [t for t in tasks["items"] if t["next_due"]]
    recurring = [t for t in tasks["items"] if any(d["kind"] == "recurring" for d in t["deadlines"])]
    assert dated and len(dated) <= len(todos) <= len(dated) + len(recurring)
    assert {t["next_due"] for t in dated} <= {str(t["DTSTART"].dt) for t in todos}
    # status: an agency key sets it on its own list, it shows in the list and in the filter
    key = client.app.state.archive.create_key("agency", agency_id=agency["id"])
    oid = dated[0]["obligation_id"]
    r = client.put(f"{url}/{_q(oid)}/status", json={"status": "in_progress"}, headers=auth(key))
    assert r.status_code == 200 and r.json()["status"] == "in_progress" and r.json()["status_by"].startswith("agency:")
    problem(client.put(f"{url}/{_q(oid)}/status", json={"status": "later"}, headers=auth(key)), 422, "E322")
    problem(client.put(f"{url}/nope%23o1/status", json={"status": "done"}, headers=auth(key)), 404, "E304")
    problem(client.put(f"{url}/{_q(oid)}/status", json={"status": "done"}, headers=legal), 403, "E403")
    mine = client.get(url, params={"status": "in_progress"}, headers=auth(key)).json()
    assert [t["obligation_id"] for t in mine["items"]] == [oid]
    assert client.get(url, params={"status": "open"}, headers=legal).json()["total"] == tasks["total"] - 1


def test_correction_is_recorded_and_survives_reprocessing(client, keys, seeded):
    clerk, legal = auth(keys["clerk"]), auth(keys["legal"])
    hit = client.get(f"{API}/obligations", params={"q": '"Sở Nội vụ"'}, headers=legal).json()["items"][0]
    oid = hit["obligation_id"]
    body = {"lead": ["Sở Tư pháp"], "deadlines": ["2031-12-31"], "text": "Rà soát thủ tục hành chính."}
    r = client.patch(f"{API}/obligations/{_q(oid)}", json=body, headers=clerk)
    assert r.status_code == 200, r.text
    fixed = r.json()
    assert fixed["text"] == body["text"] and fixed["deadlines"][0]["date"] == "2031-12-31"
    assert any("Sở Tư pháp" in name for name in fixed["lead"])
    assert {c["field"] for c in fixed["corrections"]} == {"lead", "deadlines", "text"}
    assert all(c["by"].startswith("clerk:") and c["at"] for c in fixed["corrections"])
    problem(client.patch(f"{API}/obligations/{_q(oid)}", json={}, headers=clerk), 422, "E322")
    problem(client.patch(f"{API}/obligations/{_q(oid)}", json={"colour": "red"}, headers=clerk), 422, "E322")
    problem(client.patch(f"{API}/obligations/nope%23o1", json={"text": "x"}, headers=clerk), 404, "E304")
    # processed again from the stored original: the correction is applied again
    client.app.state.archive.process_document(hit["document_id"])
    again = client.get(f"{API}/obligations/{_q(oid)}", headers=legal).json()
    assert again["text"] == body["text"] and again["deadlines"][0]["date"] == "2031-12-31"
    assert len(again["corrections"]) == 3
    found = client.get(f"{API}/obligations", params={"q": "ra soat thu tuc", "due_from": "2031-12-01"},
                       headers=legal).json()
    assert [h["obligation_id"] for h in found["items"]] == [oid]
