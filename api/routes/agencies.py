"""Agencies and their task lists (JSON, CSV, iCalendar) and task status."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from api.deps import ArchiveDep, PrincipalDep, Reader, check_agency, who
from api.schemas import AgencyOut, Paged, TaskListOut, TaskOut, TaskStatusIn
from chithi.models import TaskRole, TaskStatus
from services import api_support

router = APIRouter(prefix="/agencies", tags=["agencies"])
Format = Literal["json", "csv", "ics"]
CSV, ICS = "text/csv; charset=utf-8", "text/calendar; charset=utf-8"


def _format(fmt: Format | None, accept: str | None) -> Format:
    if fmt:
        return fmt
    accept = (accept or "").lower()
    if "text/calendar" in accept:
        return "ics"
    if "text/csv" in accept:
        return "csv"
    return "json"


@router.get("", response_model=Paged[AgencyOut], summary="Agencies in the archive's graph")
def list_agencies(archive: ArchiveDep, _: Reader,
                  q: Annotated[str | None, Query(max_length=300, description="words of the name")] = None,
                  collective: bool | None = None,
                  page: Annotated[int, Query(ge=1, le=100000)] = 1,
                  size: Annotated[int, Query(ge=1, le=500)] = 100) -> Paged[AgencyOut]:
    items, total = api_support.list_agencies(archive, q=q, collective=collective, limit=size,
                                             offset=(page - 1) * size)
    return Paged[AgencyOut](items=[AgencyOut.model_validate(a.model_dump()) for a in items],
                            total=total, page=page, size=size)


@router.get("/{agency_id}", response_model=AgencyOut, summary="One agency")
def get_agency(archive: ArchiveDep, principal: PrincipalDep, agency_id: str) -> AgencyOut:
    check_agency(principal, agency_id)
    return AgencyOut.model_validate(api_support.get_agency(archive, agency_id).model_dump())


@router.get("/{agency_id}/tasks", response_model=TaskListOut,
            summary="An agency's task list as JSON, CSV or iCalendar (?format= or Accept)",
            responses={200: {"content": {"text/csv": {}, "text/calendar": {}}}})
def agency_tasks(archive: ArchiveDep, principal: PrincipalDep, agency_id: str,
                 format: Format | None = None,
                 accept: Annotated[str | None, Header(include_in_schema=False)] = None,
                 status: TaskStatus | None = None, role: TaskRole | None = None,
                 due_from: date | None = None, due_to: date | None = None,
                 groups: Annotated[bool, Query(description="include tasks sent to groups it belongs to")] = True,
                 page: Annotated[int, Query(ge=1, le=100000)] = 1,
                 size: Annotated[int, Query(ge=1, le=1000)] = 200):
    check_agency(principal, agency_id)
    kind = _format(format, accept)
    stem = agency_id.split(":", 1)[-1] or "tasks"
    start = (page - 1) * size
    if kind == "json":  # only the page is built
        lists, total = api_support.agency_task_page(
            archive, agency_id, status=status, role=role, due_from=due_from, due_to=due_to,
            include_groups=groups, limit=size, offset=start)
        return TaskListOut(agency=AgencyOut.model_validate(lists.agency.model_dump()),
                           items=[TaskOut.model_validate(t.model_dump()) for t in lists.tasks],
                           total=total, page=page, size=size)
    lists = api_support.agency_task_list(archive, agency_id, status=status, role=role,
                                         due_from=due_from, due_to=due_to, include_groups=groups)
    if kind == "csv":
        return Response(api_support.tasks_csv(lists), media_type=CSV,
                        headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'})
    return Response(api_support.tasks_ics(lists), media_type=ICS,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.ics"'})


@router.put("/{agency_id}/tasks/{obligation_id}/status", response_model=TaskOut,
            summary="Set where the agency stands on a task: open, in_progress, done")
def set_status(archive: ArchiveDep, principal: PrincipalDep, agency_id: str, obligation_id: str,
               body: TaskStatusIn) -> TaskOut:
    check_agency(principal, agency_id, write=True)
    task = archive.set_task_status(obligation_id, agency_id, body.status, by=who(principal))
    return TaskOut.model_validate(task.model_dump())
