"""Pages for clerks: upload with progress, the document list, the document view and review."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from api.web.auth import ClerkJson, ClerkPage, ReaderJson, ReaderPage, signed
from api.web.render import ERROR_TEXT, page_error, render
from chithi.errors import ChithiError, FileTooLarge, InvalidRequest, NotFound
from services import api_support, web_support

router = APIRouter(prefix="/ui", include_in_schema=False)
CHUNK = 1024 * 1024


async def _read(upload: UploadFile, limit: int) -> bytes:
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"{upload.filename or 'upload'}: more than {limit // CHUNK} MB",
                               filename=upload.filename or "upload")
        parts.append(chunk)
    return b"".join(parts)


def _error(exc: ChithiError) -> dict:
    return {"code": exc.code, "title": exc.title, "detail": exc.message,
            "message": ERROR_TEXT.get(exc.code, exc.title)}


@router.get("/upload")
def upload_page(request: Request, user: ClerkPage,
                jobs: Annotated[str | None, Query(max_length=2000)] = None):
    archive = request.app.state.archive
    recent, total = api_support.list_documents(archive, limit=20)
    shown = []
    for job_id in (jobs or "").split(","):
        if job_id.strip():
            try:
                shown.append(archive.get_job(job_id.strip()))
            except ChithiError:
                continue
    return render(request, "upload.html", user, title="Tải lên văn bản", documents=recent,
                  total=total, jobs=shown, max_mb=request.app.state.settings.max_upload_mb)


@router.post("/upload")
async def upload(request: Request, user: ClerkJson,
                 files: Annotated[list[UploadFile], File()]) -> Response:
    """One file (the page's script sends each file alone: a problem+json on error) or several
    (a plain form: each file's receipt or error, then back to the upload page)."""
    archive = request.app.state.archive
    settings = request.app.state.settings
    if len(files) > settings.max_files_per_upload:
        raise InvalidRequest(f"at most {settings.max_files_per_upload} files per upload")
    items = []
    for item in files:
        try:
            data = await _read(item, settings.max_upload_mb * CHUNK)
            media = api_support.sniff_media_type(data, item.filename or "upload")
            name = api_support.safe_filename(item.filename, media)
            receipt = await run_in_threadpool(archive.submit_upload, data, name)
        except ChithiError as exc:
            if len(files) == 1:
                raise
            items.append({"filename": item.filename, "error": _error(exc)})
            continue
        items.append({"filename": name, **receipt.model_dump(),
                      "document_url": f"/ui/documents/{receipt.document_id}"})
    if "application/json" not in request.headers.get("accept", ""):
        ids = ",".join(i["job_id"] for i in items if "job_id" in i)
        return RedirectResponse(f"/ui/upload?jobs={ids}", status_code=303)
    return JSONResponse({"items": items})


@router.get("/jobs/{job_id}")
def job(request: Request, user: ReaderJson, job_id: str) -> JSONResponse:
    archive = request.app.state.archive
    info = archive.get_job(job_id).model_dump()
    if info["state"] == "done":
        summary = archive.get_summary(info["document_id"])
        info.update(obligations=summary.obligations, pages=summary.page_count)
    if info.get("error_code"):
        info["message"] = ERROR_TEXT.get(info["error_code"], info.get("error_message"))
    info["document_url"] = f"/ui/documents/{info['document_id']}"
    return JSONResponse(info, headers={"Cache-Control": "no-store"})


@router.get("/documents")
def documents(request: Request, user: ReaderPage, page: Annotated[int, Query(ge=1)] = 1):
    items, total = api_support.list_documents(request.app.state.archive, limit=50,
                                              offset=(page - 1) * 50)
    return render(request, "documents.html", user, title="Văn bản", documents=items, total=total,
                  page=page, pages=max(1, (total + 49) // 50))


def _detail(request: Request, document_id: str):
    try:
        return request.app.state.archive.get_document(document_id)
    except ChithiError as exc:
        raise page_error(exc) from exc


@router.get("/documents/{document_id}")
def document(request: Request, user: ReaderPage, document_id: str,
             saved: Annotated[str | None, Query(max_length=50)] = None,
             error: Annotated[str | None, Query(max_length=300)] = None):
    detail = _detail(request, document_id)
    media = detail.media_type or ""
    imaged = media == "application/pdf" or media.startswith("image/")
    facts = web_support.facts_of(detail.extraction)
    boxes = web_support.page_boxes(detail, facts) if imaged else {}
    segments = web_support.text_segments(detail.text or "", facts) if not imaged else []
    low_facts = {f.obligation for f in facts if f.low and f.obligation}
    corrections = request.app.state.archive.list_corrections(document_id=document_id)
    corrected = {c.obligation_id.split("#", 1)[-1] for c in corrections}
    return render(request, "document.html", user, title=f"Văn bản {detail.number or detail.filename}",
                  doc=detail, imaged=imaged, boxes=boxes, segments=segments, low_facts=low_facts,
                  corrected=corrected, saved=saved, error=error,
                  can_edit=user.role in ("clerk", "admin"),
                  review_pages=[p for p in detail.pages if p.needs_review])


@router.get("/documents/{document_id}/pages/{number}.png")
def page_image(request: Request, user: ReaderJson, document_id: str, number: int) -> Response:
    settings = request.app.state.settings
    png = api_support.render_page(request.app.state.archive, document_id, number,
                                  dpi=settings.page_dpi)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/documents/{document_id}/file")
def original(request: Request, user: ReaderJson, document_id: str) -> FileResponse:
    archive = request.app.state.archive
    doc = archive.get_summary(document_id)
    return FileResponse(archive.document_file(document_id), filename=doc.filename,
                        media_type=doc.media_type or "application/octet-stream",
                        content_disposition_type="attachment")


@router.post("/documents/{document_id}/obligations/{local_id}")
def review(request: Request, user: ClerkPage, document_id: str, local_id: str,
           action: Annotated[str, Form(max_length=20)],
           text: Annotated[str | None, Form(max_length=20000)] = None,
           lead: Annotated[str | None, Form(max_length=5000)] = None,
           support: Annotated[str | None, Form(max_length=5000)] = None,
           due: Annotated[list[str] | None, Form()] = None,
           keep: Annotated[list[int] | None, Form()] = None,
           deadlines_shown: Annotated[str | None, Form()] = None) -> Response:
    """Confirm or correct one obligation, then back to the document at that obligation."""
    detail = _detail(request, document_id)
    back = f"/ui/documents/{document_id}"
    try:
        changes = web_support.review_changes(
            detail, local_id, action=action, text=text, lead=lead, support=support,
            due=(due or []) if deadlines_shown else None, keep=(keep or []) if deadlines_shown else None)
        if changes:
            api_support.correct_obligation(request.app.state.archive, f"{document_id}#{local_id}",
                                           changes, by=signed(user))
    except (InvalidRequest, NotFound) as exc:
        from urllib.parse import quote

        return RedirectResponse(f"{back}?error={quote(exc.message[:250])}#ob-{local_id}",
                                status_code=303)
    return RedirectResponse(f"{back}?saved={local_id}#ob-{local_id}", status_code=303)
