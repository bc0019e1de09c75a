"""Pages for legal staff and agencies: obligation search, agency list, an agency's task board."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import check_agency
from api.web.auth import Anyone, ReaderPage, signed
from api.web.render import PageError, page_error, render, url_id
from chithi.errors import ChithiError
from services import api_support, web_support

router = APIRouter(prefix="/ui", include_in_schema=False)
SIZE = 50


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PageError(422, "Ngày không hợp lệ", f"'{value}' không phải ngày (YYYY-MM-DD)") from None


@router.get("/search")
def search(request: Request, user: ReaderPage,
           q: Annotated[str | None, Query(max_length=500)] = None,
           agency: Annotated[str | None, Query(max_length=300)] = None,
           issuer: Annotated[str | None, Query(max_length=300)] = None,
           due_from: Annotated[str | None, Query(max_length=10)] = None,
           due_to: Annotated[str | None, Query(max_length=10)] = None,
           cites: Annotated[str | None, Query(max_length=200)] = None,
           page: Annotated[int, Query(ge=1, le=100000)] = 1):
    archive = request.app.state.archive
    form = {"q": q or "", "agency": agency or "", "issuer": issuer or "", "due_from": due_from or "",
            "due_to": due_to or "", "cites": cites or ""}
    asked = any(form.values())
    hits, total = [], 0
    if asked:
        try:
            hits, total = web_support.search(
                archive, q=q or None, agency=agency or None, issuer=issuer or None,
                due_from=_date(due_from), due_to=_date(due_to), cites=cites or None,
                limit=SIZE, offset=(page - 1) * SIZE)
        except ChithiError as exc:
            raise page_error(exc) from exc
        hits = [(h, issuer, web_support.snippet(h.text, q)) for h, issuer in hits]
    agencies, _ = api_support.list_agencies(archive, limit=500)
    query = "&".join(f"{k}={quote(v)}" for k, v in form.items() if v)
    return render(request, "search.html", user, title="Tra cứu nhiệm vụ", form=form, asked=asked,
                  hits=hits, total=total, page=page, pages=max(1, (total + SIZE - 1) // SIZE),
                  query=query, agencies=agencies, issuers=web_support.known_issuers(archive))


@router.get("/agencies")
def agencies(request: Request, user: Anyone,
             q: Annotated[str | None, Query(max_length=300)] = None):
    if user.role == "agency":
        return RedirectResponse(f"/ui/agencies/{url_id(user.agency_id or '')}", status_code=303)
    if user.role not in ("clerk", "legal", "admin"):
        raise PageError(403, "Không có quyền truy cập")
    items, total = api_support.list_agencies(request.app.state.archive, q=q or None, limit=500)
    return render(request, "agencies.html", user, title="Cơ quan", agencies=items, total=total,
                  q=q or "")


@router.get("/agencies/{agency_id}")
def agency(request: Request, user: Anyone, agency_id: str,
           saved: Annotated[str | None, Query(max_length=300)] = None):
    try:
        check_agency(user, agency_id)
        node, columns = web_support.board(request.app.state.archive, agency_id)
    except ChithiError as exc:
        raise page_error(exc) from exc
    feed = f"/ui/agencies/{url_id(agency_id)}/tasks"
    overdue = sum(b.overdue for items in columns.values() for b in items)
    return render(request, "agency.html", user, title=node.name, agency=node, columns=columns,
                  overdue=overdue, csv_url=f"{feed}.csv", ics_url=f"{feed}.ics", saved=saved,
                  api_url=f"/api/v1/agencies/{url_id(agency_id)}/tasks", today=date.today())


@router.get("/agencies/{agency_id}/tasks.{fmt}")
def feed(request: Request, user: Anyone, agency_id: str, fmt: str) -> Response:
    if fmt not in ("csv", "ics"):
        raise PageError(404, "Không tìm thấy")
    try:
        check_agency(user, agency_id)
        lists = api_support.agency_task_list(request.app.state.archive, agency_id)
    except ChithiError as exc:
        raise page_error(exc) from exc
    stem = agency_id.split(":", 1)[-1] or "tasks"
    body = api_support.tasks_csv(lists) if fmt == "csv" else api_support.tasks_ics(lists)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "text/calendar; charset=utf-8"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


@router.post("/agencies/{agency_id}/status")
def set_status(request: Request, user: Anyone, agency_id: str,
               obligation_id: Annotated[str, Form(max_length=300)],
               status: Annotated[str, Form(max_length=20)]) -> Response:
    try:
        check_agency(user, agency_id)
        request.app.state.archive.set_task_status(obligation_id, agency_id, status, by=signed(user))
    except ChithiError as exc:
        raise page_error(exc) from exc
    anchor = quote("task-" + obligation_id.replace("#", "-"))
    return RedirectResponse(f"/ui/agencies/{url_id(agency_id)}?saved={quote(obligation_id)}#{anchor}",
                            status_code=303)
