"""Search, task lists with stored status, corrections, and the graph rebuilt from the database."""
from __future__ import annotations

import re

import pytest

from chithi.errors import InvalidRequest, NotFound
from chithi.text import fold
from services import Archive


@pytest.fixture
def loaded(archive: Archive, corpus_files) -> Archive:
    summary = archive.ingest_paths(corpus_files)
    assert summary.failures == [] and summary.obligations > 0
    return archive


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def test_search_is_diacritic_insensitive_and_quotes_are_exact(loaded: Archive):
    everything = loaded.search_obligations("", limit=10_000)
    assert len(everything) == sum(d.obligations for d in loaded.list_documents())
    hit = next(h for h in everything if any(fold(w) != w.lower() for w in _words(h.text)))
    word = next(w for w in _words(hit.text) if fold(w) != w.lower())
    found = loaded.search_obligations(fold(word), limit=10_000)
    assert hit.obligation_id in {h.obligation_id for h in found}
    assert all(f" {fold(word)} " in " " + " ".join(re.findall("[a-z0-9]+", fold(h.text))) + " "
               for h in found)
    assert hit.obligation_id in {h.obligation_id for h in loaded.search_obligations(
        word.upper(), limit=10_000)}
    words = _words(hit.text)
    i = next(i for i in range(len(words) - 2) if any(fold(w) != w.lower() for w in words[i:i + 3]))
    phrase = " ".join(words[i:i + 3])
    if phrase in hit.text:
        exact = loaded.search_obligations(f'"{phrase}"', limit=10_000)
        assert hit.obligation_id in {h.obligation_id for h in exact}
        assert all(phrase.lower() in h.text.lower() for h in exact)
    stripped = loaded.search_obligations(f'"{fold(phrase)}"', limit=10_000)
    assert hit.obligation_id not in {h.obligation_id for h in stripped}
    assert loaded.search_obligations("qqxyzzy") == []
    one_doc = loaded.search_obligations("", document_id=hit.document_id, limit=10_000)
    assert {h.document_id for h in one_doc} == {hit.document_id}
    assert len(loaded.search_obligations("", limit=2, offset=1)) == 2


def _a_task(archive: Archive):
    for hit in archive.search_obligations("", limit=10_000):
        for name in hit.lead:
            for entry in archive.agency_tasks(name):
                for task in entry.tasks:
                    if task.obligation_id == hit.obligation_id:
                        return name, entry, task
    pytest.fail("no obligation reached any agency's task list")


def test_task_status_is_stored_and_merged(loaded: Archive, db_url, home):
    name, entry, task = _a_task(loaded)
    assert task.status == "open" and entry.agency.open_tasks == sum(
        t.status == "open" for t in entry.tasks)
    before = entry.agency.open_tasks
    updated = loaded.set_task_status(task.obligation_id, entry.agency.id, "in_progress", by="anh")
    assert (updated.status, updated.status_by) == ("in_progress", "anh") and updated.status_at
    loaded.set_task_status(task.obligation_id, entry.agency.id, "done", by="binh")
    again = next(e for e in loaded.agency_tasks(name) if e.agency.id == entry.agency.id)
    mine = next(t for t in again.tasks if t.obligation_id == task.obligation_id)
    assert (mine.status, mine.status_by) == ("done", "binh")
    assert again.agency.open_tasks == before - 1
    with pytest.raises(InvalidRequest):
        loaded.set_task_status(task.obligation_id, entry.agency.id, "finished", by="anh")
    with pytest.raises(NotFound):
        loaded.set_task_status("nope#o1", entry.agency.id, "done", by="anh")
    agencies = [e.agency.id for e in loaded.agency_tasks(name)]
    loaded.close()
    with Archive.open(db_url, home=home) as reopened:  # graph rebuilt from the database
        entries = reopened.agency_tasks(name)
        assert [e.agency.id for e in entries] == agencies
        same = next(e for e in entries if e.agency.id == entry.agency.id)
        assert [t.obligation_id for t in same.tasks] == [t.obligation_id for t in again.tasks]
        assert next(t for t in same.tasks if t.obligation_id == task.obligation_id).status == "done"


def test_corrections_survive_reprocessing(loaded: Archive):
    hit = loaded.search_obligations("", limit=1)[0]
    fixed = loaded.correct_obligation(hit.obligation_id, "text", "Báo cáo kết quả qqzuvw trước tháng 12",
                                      by="reviewer")
    assert fixed.text == "Báo cáo kết quả qqzuvw trước tháng 12"
    assert [h.obligation_id for h in loaded.search_obligations("QQZUVW")] == [hit.obligation_id]
    loaded.correct_obligation(hit.obligation_id, "lead", ["Sở Tư pháp"], by="reviewer")
    loaded.correct_obligation(hit.obligation_id, "deadlines", ["2030-12-31"], by="reviewer")
    with pytest.raises(InvalidRequest):
        loaded.correct_obligation(hit.obligation_id, "colour", "red", by="reviewer")
    with pytest.raises(NotFound):
        loaded.correct_obligation("nope#o1", "text", "x", by="reviewer")
    result = loaded.process_document(hit.document_id)  # the extractor runs again
    assert result.status == "done"
    doc = loaded.get_document(hit.document_id)
    ob = next(o for o in doc.extraction.obligations if f"{hit.document_id}#{o.id}" == hit.obligation_id)
    assert ob.text == "Báo cáo kết quả qqzuvw trước tháng 12"
    assert [a.name for a in ob.lead] == ["Sở Tư pháp"]
    assert ob.deadlines[0].date == "2030-12-31"
    assert [h.obligation_id for h in loaded.search_obligations("qqzuvw")] == [hit.obligation_id]
    history = loaded.list_corrections(obligation_id=hit.obligation_id)
    assert [c.field for c in history] == ["text", "lead", "deadlines"]
    assert history[0].old == hit.text and history[0].by == "reviewer"
    reached = {t.obligation_id for e in loaded.agency_tasks("Sở Tư pháp") for t in e.tasks}
    assert hit.obligation_id in reached


def test_graph_follows_own_changes_and_other_processes(db_url, home, corpus_files):
    with Archive.open(db_url, home=home) as a, Archive.open(db_url, home=home) as b:
        first = a.ingest_path(corpus_files[0])
        graph = a.graph
        assert first.document_id in graph.docs
        second = a.ingest_path(corpus_files[1])  # own change: applied in place
        assert a.graph is graph and second.document_id in graph.docs
        third = b.ingest_path(corpus_files[2])  # another process: its change is applied from the change log
        assert third.document_id in a.graph.docs and a.graph is graph
        assert set(a.graph.docs) == set(b.graph.docs) == {
            first.document_id, second.document_id, third.document_id}
