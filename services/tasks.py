"""Agency task lists (from the knowledge graph, with stored status) and reviewer corrections."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from chithi.errors import InvalidRequest, NotFound
from chithi.models import (
    AgencyNode, AgencyTasks, CorrectionRecord, Extraction, Obligation, Task)
from services.corrections import normalize
from services.graphs import bump_rev
from services.processing import obligation_row
from services.tables import CorrectionRow, Document, ObligationRow, TaskStatusRow, utcnow

if TYPE_CHECKING:
    from services.archive import Archive

STATUSES = ("open", "in_progress", "done")


def _with_status(archive: "Archive", agency: AgencyNode, tasks: list[Task]) -> AgencyTasks:
    """The graph carries statuses too, but the rows are the truth: merge them in."""
    stored: dict[str, TaskStatusRow] = {}
    if tasks:  # the agency's few status rows, not an IN list as long as its task list
        ids = {t.obligation_id for t in tasks}
        with archive.session() as session:
            query = select(TaskStatusRow).where(TaskStatusRow.agency_id == agency.id)
            if len(ids) <= 200:
                query = query.where(TaskStatusRow.obligation_id.in_(sorted(ids)))
            stored = {r.obligation_id: r for r in session.scalars(query) if r.obligation_id in ids}
    merged = []
    for task in tasks:
        row = stored.get(task.obligation_id)
        if row is not None:
            task = task.model_copy(update={"status": row.status, "status_by": row.by,
                                           "status_at": row.at.isoformat(timespec="seconds")})
        merged.append(task)
    return AgencyTasks(agency=agency, tasks=merged)


def agency_tasks(archive: "Archive", query: str, *,
                 include_groups: bool = True) -> list[AgencyTasks]:
    graph = archive.graph
    return [_with_status(archive, agency, graph.agency_tasks(agency.id, include_groups=include_groups))
            for agency in graph.find_agencies(query)]


def tasks_of_agency(archive: "Archive", agency_id: str, *,
                    include_groups: bool = True) -> AgencyTasks:
    graph = archive.graph
    agency = graph.get_agency(agency_id)  # NotFound (E304) for an unknown id
    return _with_status(archive, agency, graph.agency_tasks(agency_id, include_groups=include_groups))


def set_task_status(archive: "Archive", obligation_id: str, agency_id: str, status: str, *,
                    by: str) -> Task:
    """Record where ``agency_id`` stands on an obligation on its task list; returns the task."""
    if status not in STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(STATUSES)}", status=status)
    if not by or not by.strip():
        raise InvalidRequest("who set the status ('by') is required")
    current = tasks_of_agency(archive, agency_id)
    task = next((t for t in current.tasks if t.obligation_id == obligation_id), None)
    if task is None:
        raise NotFound(f"{obligation_id} is not on the task list of {agency_id}",
                       obligation_id=obligation_id, agency_id=agency_id)
    now, by = utcnow(), by.strip()
    at = now.isoformat(timespec="seconds")
    with archive.session() as session, session.begin():
        row = session.get(TaskStatusRow, (obligation_id, agency_id))
        if row is None:
            session.add(TaskStatusRow(obligation_id=obligation_id, agency_id=agency_id,
                                      document_id=task.document_id, status=status, by=by, at=now))
        else:
            row.status, row.by, row.at = status, by, now
        rev = bump_rev(session, obligation_id=obligation_id, agency_id=agency_id)
    archive.graphs.apply(lambda g: g.set_status(obligation_id, agency_id, status, by=by, at=at),
                         rev=rev)
    return task.model_copy(update={"status": status, "status_by": by, "status_at": at})


def correct_obligation(archive: "Archive", obligation_id: str, field: str, value: Any, *,
                       by: str) -> Obligation:
    """Change one field of one obligation; kept and re-applied when the document is processed
    again. ``lead``/``support``/``report_to`` take agency names, ``deadlines`` ISO dates (or
    full objects). Returns the corrected obligation."""
    if not by or not by.strip():
        raise InvalidRequest("who made the correction ('by') is required")
    with archive.session() as session, session.begin():
        row = session.get(ObligationRow, obligation_id)
        if row is None:
            raise NotFound(f"no obligation {obligation_id}", obligation_id=obligation_id)
        doc = session.get(Document, row.document_id)
        assert doc is not None
        extraction = Extraction.model_validate(doc.extraction)
        new = normalize(field, value, locality=extraction.document.locality)
        data = extraction.model_dump(mode="json")
        ob = next(o for o in data["obligations"] if o["id"] == row.local_id)
        old = ob.get(field)
        ob[field] = new
        extraction = Extraction.model_validate(data)
        corrected = next(o for o in extraction.obligations if o.id == row.local_id)
        session.add(CorrectionRow(document_id=doc.id, obligation_id=obligation_id, field=field,
                                  old=old, new=new, by=by.strip()))
        doc.extraction = data
        fresh = obligation_row(doc.id, row.position, corrected)
        for column in ("section", "text", "folded", "lead", "support", "report_to", "deadlines"):
            setattr(row, column, getattr(fresh, column))
        rev = bump_rev(session, document_id=doc.id)
        doc_id = doc.id
    archive.graphs.changed(doc_id, extraction, rev=rev)
    return corrected


def list_corrections(archive: "Archive", *, document_id: str | None = None,
                     obligation_id: str | None = None) -> list[CorrectionRecord]:
    with archive.session() as session:
        query = select(CorrectionRow).order_by(CorrectionRow.id)
        if document_id is not None:
            query = query.where(CorrectionRow.document_id == document_id)
        if obligation_id is not None:
            query = query.where(CorrectionRow.obligation_id == obligation_id)
        return [CorrectionRecord(id=r.id, obligation_id=r.obligation_id, field=r.field, old=r.old,
                                 new=r.new, by=r.by, at=r.at.isoformat(timespec="seconds"))
                for r in session.scalars(query)]
