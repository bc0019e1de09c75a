"""services.web_support over a real archive (tmp SQLite) and the pages through the real app."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from api.web import mount
from chithi.settings import Settings
from services import web_support
from services.archive import Archive

TEXT = "004_ab66ba41325aaf9c.txt"


@pytest.fixture
def archive(tmp_path: Path):
    with Archive(Settings(home=tmp_path / "home")) as a:
        yield a


@pytest.fixture
def text_doc(archive, root):
    return archive.ingest_path(root / "corpora" / TEXT).document_id


def test_text_segments_cover_the_text_and_mark_the_facts(archive, text_doc):
    detail = archive.get_document(text_doc)
    facts = web_support.facts_of(detail.extraction)
    pages = web_support.text_segments(detail.text, facts)
    assert "".join(s.text for page in pages for s in page) == detail.text.replace("\f", "")
    agencies = [s for page in pages for s in page if "agency" in s.kinds]
    assert agencies and all(s.obligation for s in agencies)
    assert any(s.text == "Sở Nội vụ" for s in agencies)
    deadlines = {s.text for page in pages for s in page if "deadline" in s.kinds}
    assert any("hằng tháng" in d for d in deadlines), deadlines
    assert web_support.page_boxes(detail, facts) == {}  # a text document has no page image


def test_confirm_and_correct_from_the_review_form(archive, text_doc):
    detail = archive.get_document(text_doc)
    ob = next(o for o in detail.extraction.obligations if any(d.kind == "recurring" for d in o.deadlines))
    # nothing changed: no correction at all
    same = web_support.review_changes(detail, ob.id, action="correct", text=ob.text,
                                      lead="; ".join(a.canonical for a in ob.lead), due=[""],
                                      keep=list(range(len(ob.deadlines))))
    assert same == {}
    # drop the recurring deadlines, add a date
    changes = web_support.review_changes(detail, ob.id, action="correct", due=["2030-01-31"], keep=[])
    assert changes == {"deadlines": ["2030-01-31"]}
    with pytest.raises(Exception, match="not a date"):
        web_support.review_changes(detail, ob.id, action="correct", due=["31/01/2030"], keep=[])
    confirm = web_support.review_changes(detail, ob.id, action="confirm")
    assert all(d["confidence"] == 1.0 for d in confirm["deadlines"])
    assert [d["rrule"] for d in confirm["deadlines"]] == [d.rrule for d in ob.deadlines]


def test_snippet_marks_words_without_accents():
    text = "Mở đầu. " + "chữ " * 200 + "báo cáo về Sở Nội vụ trước ngày 10"
    runs = web_support.snippet(text, "so noi vu", width=200)
    assert [t for t, hit in runs if hit] == ["Sở", "Nội", "vụ"]
    assert runs[0] == ("…", False)
    assert web_support.snippet("Không khớp", "xyz") == [("Không khớp", False)]


def test_pages_need_a_key_unless_demo(tmp_path, root):
    for demo in (False, True):
        app = create_app(ApiSettings(home=tmp_path / f"h{demo}", demo=demo, job_poll_s=0.1))
        mount(app)
        mount(app)  # twice is harmless
        with TestClient(app) as client:
            r = client.get("/ui/search", follow_redirects=False)
            if demo:
                assert r.status_code == 200 and "Chế độ trình diễn" in r.text
            else:
                assert r.status_code == 303 and r.headers["location"].startswith("/ui/login?next=")
                assert client.get("/ui/jobs/x").json()["code"] == "E401"
                key = app.state.archive.create_key("legal")
                r = client.post("/ui/login", data={"key": key, "next": "https://evil.example/"},
                                follow_redirects=False)
                assert r.status_code == 303 and r.headers["location"] == "/ui/search"
                assert "httponly" in r.headers["set-cookie"].lower()
                client.cookies.set("chithi_key", key)
                assert client.get("/ui/search").status_code == 200
                r = client.get("/ui/upload")  # legal staff do not upload
                assert r.status_code == 403 and "không có quyền" in r.text
                r = client.post("/ui/upload", files=[("files", ("a.txt", b"x", "text/plain"))])
                assert r.json()["code"] == "E403"
        app.state.archive.close()
