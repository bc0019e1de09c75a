"""Service functions the HTTP API needs beyond :class:`services.archive.Archive`'s own.

Upload sniffing, filtered document lists, page images, obligation search with graph filters
(agency with group expansion, deadline window, cited document), agency listings and task
exports (CSV, iCalendar), reference lookups and multi-field corrections. Routes call these;
they never touch SQL, networkx or the PDF libraries themselves.
"""
from __future__ import annotations

import codecs

import io
import re

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from chithi.errors import EmptyInput, InvalidRequest, NotFound, UnsupportedFormat
from chithi.models import (
    AgencyNode, AgencyTasks, CorrectionRecord, DocumentSummary, ObligationHit)
from chithi.text import fold, nfc, squash
from services import queries
from services.corrections import normalize

from services.tables import Document, StoredFile

if TYPE_CHECKING:
    from services.archive import Archive

SUFFIX_OF = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
             "image/tiff": ".tiff", "text/plain": ".txt"}


_MAGIC = [(b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"\xff\xd8\xff", "image/jpeg"), (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff")]


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
         codecs.BOM_UTF16_BE)


_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13)) + b"\x7f"


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def sniff_media_type(data: bytes, filename: str = "upload") -> str:
    """The media type from the bytes alone (never the name): PDF, PNG, JPEG, TIFF or text.
    Raises :class:`EmptyInput` for no bytes, :class:`UnsupportedFormat` for anything else."""
    if not data:
        raise EmptyInput(f"{filename}: the file is empty", filename=filename)
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    sample = data[:65536]
    if sample.startswith(_BOMS):
        return "text/plain"
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if len(sample) >= 4 and ((odd > 0.3 and even < 0.05) or (even > 0.3 and odd < 0.05)):
        return "text/plain"  # UTF-16 without a byte order mark
    if b"\x00" not in sample:
        control = sum(sample.count(bytes([c])) for c in _CONTROL)
        if control / len(sample) < 0.02:
            return "text/plain"
    raise UnsupportedFormat(f"{filename}: the content is not a PDF, PNG, JPEG, TIFF or text file",
                            filename=filename)


def safe_filename(name: str | None, media_type: str) -> str:
    """A display name only (files are stored by hash): last path part, no control or
    reserved characters, at most 200 characters, its suffix matching the sniffed type."""
    name = nfc(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = squash(_UNSAFE_NAME.sub("_", name)).lstrip(".") or "upload"
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem = name
    wanted = SUFFIX_OF[media_type]
    if dot and f".{suffix.lower()}" in ({wanted, ".jpeg"} if wanted == ".jpg" else
                                        {wanted, ".tif"} if wanted == ".tiff" else {wanted}):
        wanted = f".{suffix}"
    return stem[:200 - len(wanted)] + wanted


def _matching_values(session, column, needle: str, *, exact: bool) -> list[str]:
    """Distinct stored values of ``column`` matching ``needle`` case- and diacritic-insensitively."""
    want = squash(fold(needle))
    values = session.scalars(select(column).distinct().where(column.is_not(None))).all()
    return [v for v in values if (squash(fold(v)) == want if exact else want in squash(fold(v)))]


def list_documents(archive: "Archive", *, type: str | None = None, issuer: str | None = None,
                   date_from: date | None = None, date_to: date | None = None,
                   status: str | None = None, number: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[DocumentSummary], int]:
    """Documents (newest first) filtered by type (exact, accents ignored), issuer (words of
    the name), document date window and status; (page, total)."""
    if status is not None and status not in queries.STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(queries.STATUSES)}", status=status)
    with archive.session() as session:
        query = select(Document)
        if status is not None:
            query = query.where(Document.status == status)
        if type:
            query = query.where(Document.type.in_(_matching_values(session, Document.type, type, exact=True)))
        if issuer:
            query = query.where(Document.issuer.in_(
                _matching_values(session, Document.issuer, issuer, exact=False)))
        if number:
            query = query.where(func.lower(Document.number) == number.strip().lower())
        if date_from is not None:
            query = query.where(Document.date >= date_from.isoformat())
        if date_to is not None:
            query = query.where(Document.date <= date_to.isoformat())
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        docs = session.scalars(query.order_by(Document.created_at.desc(), Document.id)
                               .limit(max(0, limit)).offset(max(0, offset))).all()
        counts = queries._counts(session, [d.id for d in docs])
        media = {sha: kind for sha, kind in session.execute(
            select(StoredFile.sha256, StoredFile.media_type).where(
                StoredFile.sha256.in_([d.sha256 for d in docs])))} if docs else {}
        items = [DocumentSummary(**queries._summary_fields(d, counts.get(d.id, 0)),
                                 media_type=media.get(d.sha256)) for d in docs]
    return items, total


def render_page(archive: "Archive", document_id: str, number: int, *, dpi: int = 110,
                max_side: int = 2400) -> bytes:
    """Page ``number`` (1-based) of a stored PDF or image as PNG bytes. Text documents and
    pages that do not exist raise :class:`NotFound`."""
    from PIL import Image

    doc = queries.get_document(archive, document_id)
    path = archive.files.path_of(doc.sha256)
    media = doc.media_type or ""
    missing = NotFound(f"document {document_id} has no page image {number}",
                       document_id=document_id, page=number)
    if number < 1 or not (media == "application/pdf" or media.startswith("image/")):
        raise missing
    if media == "application/pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            if number > len(pdf):
                raise missing
            page = pdf[number - 1]
            w, h = page.get_size()
            scale = min(dpi / 72, max_side / max(w, h, 1))
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            pdf.close()
    else:
        Image.MAX_IMAGE_PIXELS = archive.settings.max_image_pixels
        with Image.open(path) as src:
            if number > getattr(src, "n_frames", 1):
                raise missing
            src.seek(number - 1)
            image = src.convert("L" if src.mode in ("1", "L", "I;16") else "RGB")
        if max(image.size) > max_side:
            image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


# search and the task-list exports live in their own modules; the API reaches them here
from services.search import (_graph_lock, _in_window, get_obligation, resolve_agencies,  # noqa: E402,F401
                             search_obligations)
from services.task_exports import tasks_csv, tasks_ics  # noqa: E402,F401


def list_agencies(archive: "Archive", *, q: str | None = None, collective: bool | None = None,
                  limit: int = 50, offset: int = 0) -> tuple[list[AgencyNode], int]:
    graph = archive.graph
    with _graph_lock(archive):
        if q:
            nodes = graph.find_agencies(q)
        else:
            ids = sorted(graph.agency_ids(), key=lambda i: (fold(graph.g.nodes[i]["name"]), i))
            nodes = None
        if nodes is not None:
            if collective is not None:
                nodes = [n for n in nodes if n.collective == collective]
            return nodes[offset:offset + limit], len(nodes)
        if collective is not None:
            ids = [i for i in ids if bool(graph.g.nodes[i].get("collective")) == collective]
        return [graph.get_agency(i) for i in ids[offset:offset + limit]], len(ids)


def get_agency(archive: "Archive", agency_id: str) -> AgencyNode:
    return archive.tasks_of_agency(agency_id).agency


def agency_task_list(archive: "Archive", agency_id: str, *, status: str | None = None,
                     role: str | None = None, due_from: date | None = None,
                     due_to: date | None = None, include_groups: bool = True) -> AgencyTasks:
    """The agency's tasks with their stored status, filtered by status, role and due window."""
    return agency_task_page(archive, agency_id, status=status, role=role, due_from=due_from,
                            due_to=due_to, include_groups=include_groups)[0]


def agency_task_page(archive: "Archive", agency_id: str, *, status: str | None = None,
                     role: str | None = None, due_from: date | None = None,
                     due_to: date | None = None, include_groups: bool = True,
                     limit: int | None = None, offset: int = 0) -> tuple[AgencyTasks, int]:
    """One page of :func:`agency_task_list` and the length of the whole list. The graph
    filters and pages (its statuses are the rows' as of the revision it was brought to);
    only the page's tasks are built and merged with the stored status rows."""
    from knowledge_graph.queries import agency_task_page as graph_page

    from services.tasks import _with_status

    if role is not None and role not in ("lead", "support", "report_to"):
        return AgencyTasks(agency=archive.graph.get_agency(agency_id), tasks=[]), 0
    graph = archive.graph
    start = max(0, offset)
    with _graph_lock(archive):
        agency = graph.get_agency(agency_id)  # NotFound (E304) for an unknown id
        if due_from is None and due_to is None:
            tasks, total = graph_page(graph, agency_id, include_groups=include_groups, role=role,
                                      status=status, limit=limit, offset=start)
        else:
            tasks = [t for t in graph_page(graph, agency_id, include_groups=include_groups, role=role,
                                           status=status)[0]
                     if _in_window(graph.obligations[t.obligation_id], due_from, due_to)]
            total = len(tasks)
            tasks = tasks[start:None if limit is None else start + max(0, limit)]
    return _with_status(archive, agency, tasks), total


def correct_obligation(archive: "Archive", obligation_id: str, changes: dict[str, Any], *,
                       by: str) -> tuple[ObligationHit, list[CorrectionRecord]]:
    """Apply several field corrections to one obligation, all validated before any is stored."""
    if not changes:
        raise InvalidRequest("nothing to correct: give at least one field")
    get_obligation(archive, obligation_id)  # NotFound first
    for field, value in changes.items():
        normalize(field, value)  # raises InvalidRequest before anything is written
    for field, value in changes.items():
        archive.correct_obligation(obligation_id, field, value, by=by)
    return get_obligation(archive, obligation_id), archive.list_corrections(obligation_id=obligation_id)


def reference(archive: "Archive", number: str) -> dict[str, Any]:
    """A legal document (by number, document id or cite id): its nodes, the obligations and
    documents citing it, and what replaced what around it."""
    from knowledge_graph.queries import (
        document_ref, documents_citing, obligations_citing, replacements, resolve_document)

    graph = archive.graph
    with _graph_lock(archive):
        nodes = resolve_document(graph, number)
        if not nodes:
            raise NotFound(f"no document {number!r} is in the archive or cited by it", number=number)
        repl = replacements(graph, document=number)
        wanted = set(nodes)
        return {
            "query": number,
            "documents": [document_ref(graph, n) for n in nodes],
            "citing_obligations": obligations_citing(graph, number),
            "citing_documents": documents_citing(graph, number),
            "replaces": [r for r in repl if r.new.id in wanted],
            "replaced_by": [r for r in repl if r.old.id in wanted],
        }


def import_extracted(archive: "Archive", items: list[tuple[bytes, str, Any, Any]]) -> int:
    """Store already-extracted documents: ``(data, filename, DocumentText, Extraction)`` each,
    in one transaction (originals stored durably first); content already in the archive is
    skipped. Returns how many were added. The graph sees them at its next rebuild."""
    from services.files import media_type_of, sha256_of
    from services.graphs import bump_rev
    from services.processing import obligation_row

    prepared = []
    for data, filename, doc_text, extraction in items:
        sha = sha256_of(data)
        archive.files.put(data, sha256=sha)
        prepared.append((sha, media_type_of(data, filename), data, filename, doc_text, extraction))
    added = 0
    with archive.session() as session, session.begin():
        for sha, media, data, filename, doc_text, extraction in prepared:
            if session.get(StoredFile, sha) is not None:
                continue
            session.add(StoredFile(sha256=sha, size=len(data), media_type=media, filename=filename))
            session.flush()
            header = extraction.document
            doc_id = sha[:16]
            session.add(Document(
                id=doc_id, sha256=sha, filename=filename, status="done", text=doc_text.text,
                pages=[p.model_dump(mode="json") for p in doc_text.pages],
                page_count=len(doc_text.pages), extraction=extraction.model_dump(mode="json"),
                type=header.type, number=header.number, date=header.date, issuer=header.issuer,
                signer=header.signer, subject=header.subject))
            session.flush()
            session.add_all(obligation_row(doc_id, i, ob) for i, ob in enumerate(extraction.obligations))
            added += 1
        bump_rev(session)
    return added

__all__ = ["get_obligation", "resolve_agencies", "search_obligations", "tasks_csv", "tasks_ics"]  # and the functions above
