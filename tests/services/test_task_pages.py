"""Paged task lists and search over the cached graph: a status change or a new document shows
up in the very next query; pages agree with the whole list."""
from __future__ import annotations

import pytest

from services import Archive, api_support


@pytest.fixture
def two(archive: Archive, corpus_files) -> Archive:
    for path in corpus_files[:2]:
        archive.ingest_path(path)
    return archive


def _busiest(archive: Archive) -> str:
    graph = archive.graph
    return max(graph.agency_ids(), key=lambda a: (graph.open_count(a), a))


def test_pages_follow_status_changes_and_new_documents(two: Archive, corpus_files):
    agency = _busiest(two)
    whole = api_support.agency_task_list(two, agency)
    page, total = api_support.agency_task_page(two, agency, limit=3, offset=1)
    assert total == len(whole.tasks) >= 2
    assert [t.obligation_id for t in page.tasks] == [t.obligation_id for t in whole.tasks[1:4]]

    task = whole.tasks[0]
    two.set_task_status(task.obligation_id, agency, "done", by="anh")
    done, n_done = api_support.agency_task_page(two, agency, status="done", limit=10)
    assert n_done == 1 and [(t.obligation_id, t.status, t.status_by) for t in done.tasks] == [
        (task.obligation_id, "done", "anh")]
    still_open, n_open = api_support.agency_task_page(two, agency, status="open", limit=1000)
    assert n_open == total - 1 and task.obligation_id not in {t.obligation_id for t in still_open.tasks}
    assert done.agency.open_tasks == n_open

    searched, _ = api_support.search_obligations(two, agency=agency, limit=1000)
    before = {h.document_id for h in searched}
    added = [two.ingest_path(p) for p in corpus_files[2:]]
    new_docs = {r.document_id for r in added}
    grown = api_support.agency_task_list(two, agency)
    assert len(grown.tasks) >= total
    for doc in new_docs:
        graph_tasks = [t for t in two.graph.agency_tasks(agency) if t.document_id == doc]
        assert [t.obligation_id for t in grown.tasks if t.document_id == doc] == [
            t.obligation_id for t in graph_tasks]
    searched, n = api_support.search_obligations(two, agency=agency, limit=1000)
    assert n == len({t.obligation_id for t in grown.tasks})
    assert before <= {h.document_id for h in searched}
