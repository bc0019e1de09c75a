"""Two archives (two processes' worth of state) on one PostgreSQL database: changes made by
one are caught up in place by the other from ``graph_changes``; a gap means a rebuild."""
from __future__ import annotations

from sqlalchemy import delete

from services import Archive
from services.tables import GraphChange


def test_other_process_changes_are_caught_up_in_place(tmp_path, pg_url, root):
    files = sorted((root / "corpora").glob("*.txt"))
    with Archive.open(pg_url, home=tmp_path / "a") as a, \
            Archive.open(pg_url, home=tmp_path / "b") as b:
        first = a.ingest_path(files[0])
        graph = a.graph
        second = b.ingest_path(files[1])  # a worker or another API process
        assert a.graph is graph and second.document_id in graph.docs  # in place, no rebuild
        assert second.document_id in b.graph.docs and a.graphs.rev == b.graphs.rev

        hit = next(h for h in b.search_obligations("", document_id=second.document_id,
                                                   limit=1000) if h.lead)
        entry = b.agency_tasks(hit.lead[0])[0]
        task = next(t for t in entry.tasks if t.document_id == second.document_id)
        b.set_task_status(task.obligation_id, entry.agency.id, "done", by="b")
        seen = a.tasks_of_agency(entry.agency.id)
        assert a.graph is graph
        assert next(t for t in seen.tasks if t.obligation_id == task.obligation_id).status == "done"
        assert seen.agency.open_tasks == b.tasks_of_agency(entry.agency.id).agency.open_tasks

        b.correct_obligation(task.obligation_id, "text", task.text + " Zzqvx", by="b")
        assert a.graph is graph and "Zzqvx" in a.get_document(second.document_id).extraction \
            .model_dump_json()
        assert any("Zzqvx" in t.text for t in a.tasks_of_agency(entry.agency.id).tasks
                   if t.obligation_id == task.obligation_id)

        third = b.ingest_path(files[2])
        with b.session() as session, session.begin():  # history pruned: a must rebuild
            session.execute(delete(GraphChange))
        assert a.graph is not graph
        assert set(a.graph.docs) == set(b.graph.docs) == {
            first.document_id, second.document_id, third.document_id}
        assert a.graphs.rev == b.graphs.rev
