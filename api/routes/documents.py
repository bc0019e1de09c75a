"""Uploads, document listing and detail, the original file, page images."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from api.deps import ArchiveDep, Clerk, Reader, SettingsDep
from api.schemas import DocumentDetailOut, DocumentOut, PageOut, Paged, UploadOut, UploadsOut
from chithi.errors import FileTooLarge, InvalidRequest
from chithi.models import DocumentStatus
from services import api_support

router = APIRouter(prefix="/documents", tags=["documents"])
CHUNK = 1024 * 1024


async def _read_limited(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, stopping with 413 as soon as it passes ``limit``."""
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"{upload.filename or 'upload'}: more than {limit // CHUNK} MB",
                               filename=upload.filename or "upload", limit_bytes=limit)
        parts.append(chunk)
    return b"".join(parts)


@router.post("", status_code=202, response_model=UploadsOut,
             summary="Upload one or several files; each is processed by a background job")
async def upload(request: Request, archive: ArchiveDep, settings: SettingsDep, _: Clerk,
                 files: Annotated[list[UploadFile], File(description=".txt .pdf .png .jpg .tif")]
                 ) -> UploadsOut:
    limit = settings.max_upload_mb * CHUNK
    if len(files) > settings.max_files_per_upload:
        raise InvalidRequest(f"at most {settings.max_files_per_upload} files per upload")
    checked = []
    for item in files:  # every file is checked before any is stored
        data = await _read_limited(item, limit)
        media = api_support.sniff_media_type(data, item.filename or "upload")
        checked.append((data, media, api_support.safe_filename(item.filename, media)))
    out = []
    for data, media, name in checked:
        receipt = await run_in_threadpool(archive.submit_upload, data, name)
        out.append(UploadOut(
            filename=name, media_type=media, size=len(data), document_id=receipt.document_id,
            job_id=receipt.job_id, created=receipt.created,
            job_url=str(request.url_for("get_job", job_id=receipt.job_id).path),
            document_url=str(request.url_for("get_document", document_id=receipt.document_id).path)))
    return UploadsOut(items=out)


@router.get("", response_model=Paged[DocumentOut], summary="Documents, newest first")
def list_documents(archive: ArchiveDep, _: Reader,
                   type: Annotated[str | None, Query(max_length=100, description="e.g. Chỉ thị")] = None,
                   issuer: Annotated[str | None, Query(max_length=300, description="words of the issuer")] = None,
                   number: Annotated[str | None, Query(max_length=100)] = None,
                   date_from: date | None = None, date_to: date | None = None,
                   status: DocumentStatus | None = None,
                   page: Annotated[int, Query(ge=1, le=100000)] = 1,
                   size: Annotated[int, Query(ge=1, le=200)] = 50) -> Paged[DocumentOut]:
    items, total = api_support.list_documents(
        archive, type=type, issuer=issuer, number=number, date_from=date_from, date_to=date_to,
        status=status, limit=size, offset=(page - 1) * size)
    return Paged[DocumentOut](items=[DocumentOut.model_validate(d.model_dump()) for d in items],
                              total=total, page=page, size=size)


@router.get("/{document_id}", response_model=DocumentDetailOut,
            summary="Metadata, extraction with provenance, per-page confidence")
def get_document(request: Request, archive: ArchiveDep, _: Reader, document_id: str,
                 text: bool = False) -> DocumentDetailOut:
    doc = archive.get_document(document_id)
    imaged = (doc.media_type or "") == "application/pdf" or (doc.media_type or "").startswith("image/")
    pages = [PageOut(**p.model_dump(exclude={"words", "seconds"}), words=len(p.words),
                     image_url=str(request.url_for("page_image", document_id=doc.id,
                                                   number=p.number).path) if imaged else None)
             for p in doc.pages]
    data = doc.model_dump(exclude={"pages", "text", "extraction"})
    return DocumentDetailOut(**data, pages=pages, extraction=doc.extraction,
                             text=doc.text if text else None,
                             file_url=str(request.url_for("document_file", document_id=doc.id).path))


@router.get("/{document_id}/file", response_class=FileResponse, summary="The original file",
            responses={200: {"content": {"application/octet-stream": {}}}})
def document_file(archive: ArchiveDep, _: Reader, document_id: str) -> FileResponse:
    doc = archive.get_document(document_id)
    return FileResponse(archive.document_file(document_id), media_type=doc.media_type or
                        "application/octet-stream", filename=doc.filename,
                        content_disposition_type="attachment")


@router.get("/{document_id}/pages/{number}.png", summary="A page as PNG (PDFs and images)",
            response_class=Response, responses={200: {"content": {"image/png": {}}}})
def page_image(archive: ArchiveDep, settings: SettingsDep, _: Reader, document_id: str,
               number: int) -> Response:
    png = api_support.render_page(archive, document_id, number, dpi=settings.page_dpi)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
