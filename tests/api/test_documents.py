"""Uploads (durable, deduplicated, limited and sniffed), jobs, documents, files, page images."""
from __future__ import annotations

import io

from PIL import Image

from api_helpers import API, auth, problem as _problem, wait_job


def _post(client, key, *files):
    return client.post(f"{API}/documents", headers=auth(key),
                       files=[("files", (name, data, "application/octet-stream")) for name, data in files])


def test_upload_processes_and_lists(client, keys, seeded):
    legal = auth(keys["legal"])
    items = seeded["items"]
    assert [i["created"] for i in items] == [True, True]
    assert all(i["filename"].endswith(".txt") and i["media_type"] == "text/plain" for i in items)
    job = client.get(items[0]["job_url"], headers=legal).json()
    assert job["state"] == "done" and job["pages_done"] == job["pages_total"] >= 1
    listed = client.get(f"{API}/documents", headers=legal).json()
    assert listed["total"] == 2 and {d["id"] for d in listed["items"]} == {i["document_id"] for i in items}
    assert all(d["status"] == "done" and d["obligations"] > 0 for d in listed["items"])
    one = client.get(f"{API}/documents", params={"size": 1, "page": 2}, headers=legal).json()
    assert one["total"] == 2 and len(one["items"]) == 1
    kon_tum = client.get(f"{API}/documents", params={"issuer": "uy ban nhan dan tinh kon tum"},
                         headers=legal).json()
    assert [d["id"] for d in kon_tum["items"]] == [items[1]["document_id"]]
    assert client.get(f"{API}/documents", params={"status": "failed"}, headers=legal).json()["total"] == 0
    assert client.get(f"{API}/documents", params={"type": "chi thi"}, headers=legal).json()["total"] >= 1
    assert client.get(f"{API}/documents", params={"date_from": "2100-01-01"}, headers=legal).json()["total"] == 0


def test_document_detail_file_and_no_page_image_for_text(client, keys, seeded):
    legal = auth(keys["legal"])
    item = seeded["items"][1]
    detail = client.get(item["document_url"], headers=legal).json()
    assert detail["sha256"] and detail["pages"][0]["method"] == "text" and detail["text"] is None
    obligations = detail["extraction"]["obligations"]
    assert obligations and all(o["span"]["end"] > o["span"]["start"] for o in obligations)
    text = client.get(item["document_url"], params={"text": True}, headers=legal).json()["text"]
    assert obligations[0]["text"][:30] in " ".join(text.split())
    original = client.get(detail["file_url"], headers=legal)
    assert original.status_code == 200 and original.content == seeded["paths"][1].read_bytes()
    _problem(client.get(f"{API}/documents/{item['document_id']}/pages/1.png", headers=legal), 404, "E304")
    _problem(client.get(f"{API}/documents/nope", headers=legal), 404, "E304")


def test_duplicate_upload_returns_the_existing_document(client, keys, seeded):
    path = seeded["paths"][0]
    r = _post(client, keys["clerk"], ("copy-of-it.txt", path.read_bytes()))
    assert r.status_code == 202
    again = r.json()["items"][0]
    assert again["created"] is False and again["document_id"] == seeded["items"][0]["document_id"]
    assert wait_job(client, keys["clerk"], again["job_id"])["state"] == "done"
    assert client.get(f"{API}/documents", headers=auth(keys["legal"])).json()["total"] == 2


def test_bad_uploads_are_problems(client, keys):
    clerk = keys["clerk"]
    _problem(_post(client, clerk, ("empty.txt", b"")), 400, "E101")
    _problem(_post(client, clerk, ("fake.pdf", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" * 50)), 415, "E102")
    _problem(_post(client, clerk, ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" * 50)), 415, "E102")
    _problem(_post(client, clerk, ("big.txt", b"a" * (1024 * 1024 + 1))), 413, "E109")
    # one bad file among good ones: nothing is stored
    _problem(_post(client, clerk, ("ok.txt", "Sở Nội vụ".encode()), ("bad.bin", b"\x00\x01\x02" * 9)),
             415, "E102")
    assert client.get(f"{API}/documents", headers=auth(keys["legal"])).json()["total"] == 0
    _problem(client.post(f"{API}/documents", headers=auth(clerk)), 422, "E322")


def test_type_is_sniffed_and_names_are_not_paths(client, keys):
    clerk, legal = keys["clerk"], auth(keys["legal"])
    buf = io.BytesIO()
    Image.new("L", (300, 200), 255).save(buf, format="PNG")
    r = _post(client, clerk, ("../../etc/passwd.txt", buf.getvalue()), ("..\\x\\notes.pdf", "Kính gửi".encode()))
    assert r.status_code == 202, r.text
    image, text = r.json()["items"]
    assert image["media_type"] == "image/png" and image["filename"] == "passwd.png"
    assert text["media_type"] == "text/plain" and text["filename"] == "notes.txt"
    png = client.get(f"{API}/documents/{image['document_id']}/pages/1.png", headers=legal)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (300, 200)
    _problem(client.get(f"{API}/documents/{image['document_id']}/pages/2.png", headers=legal), 404, "E304")
    _problem(client.get(f"{API}/jobs/nope", headers=legal), 404, "E304")
