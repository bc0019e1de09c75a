"""Service functions the HTTP API needs beyond :class:`services.archive.Archive`'s own.

Upload sniffing, filtered document lists, page images, obligation search with graph filters
(agency with group expansion, deadline window, cited document), agency listings and task
exports (CSV, iCalendar), reference lookups and multi-field corrections. Routes call these;
they never touch SQL, networkx or the PDF libraries themselves.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from contextlib import nullcontext
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text

from chithi.errors import EmptyInput, InvalidRequest, NotFound, UnsupportedFormat
from chithi.models import (
    AgencyNode, AgencyTasks, CorrectionRecord, DocumentSummary, ObligationHit, Task)
from chithi.text import fold, nfc, squash
from services import queries
from services.corrections import normalize
from services.processing import folded_words
from services.tables import Document, ObligationRow, StoredFile

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


# --- uploads ---------------------------------------------------------------------------

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


# --- documents ---------------------------------------------------------------------------

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


# --- graph access -----------------------------------------------------------------------

def _graph_lock(archive: "Archive"):
    """The graph holder's lock, so a read never sees the worker half way through an update."""
    return getattr(archive.graphs, "_lock", None) or nullcontext()


def resolve_agencies(archive: "Archive", agency: str) -> list[str]:
    """Agency ids for an id or a name (every match of the name)."""
    graph = archive.graph
    with _graph_lock(archive):
        if agency in graph.g and graph.g.nodes[agency].get("type") == "agency":
            return [agency]
        return [a.id for a in graph.find_agencies(agency, limit=20)]


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


def _due_label(task: Task) -> list[str]:
    out = []
    for d in task.deadlines:
        if d.kind == "date" and d.date:
            out.append(d.date)
        elif d.kind == "recurring" and d.rrule:
            out.append(d.rrule)
        elif d.text:
            out.append(d.text)
    return out


def tasks_csv(lists: AgencyTasks) -> str:
    """One row per task (UTF-8 with a BOM so spreadsheet programs read the accents)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["agency_id", "agency", "obligation_id", "role", "via_group", "status",
                     "next_due", "deadlines", "document_id", "document_type", "document_number",
                     "document_date", "issuer", "section", "task"])
    for t in lists.tasks:
        writer.writerow([t.agency_id, t.agency_name, t.obligation_id, t.role, t.via_group or "",
                         t.status, t.next_due or "", "; ".join(_due_label(t)), t.document_id,
                         t.document_type or "", t.document_number or "", t.document_date or "",
                         t.issuer or "", t.section or "", t.text])
    return "\ufeff" + buf.getvalue()


def _task_due(task: Task, today: date) -> tuple[date | None, str | None]:
    """(the date a calendar shows, the RRULE of a recurring deadline)."""
    from knowledge_graph.recurrence import next_occurrence

    rule = next((d for d in task.deadlines if d.kind == "recurring" and d.rrule), None)
    not_before = date.fromisoformat(task.document_date[:10]) if task.document_date else None
    if rule is not None:
        first = next_occurrence(rule, today, not_before=not_before)
        if first is not None:
            return first, rule.rrule.removeprefix("RRULE:")
    if task.next_due:
        return date.fromisoformat(task.next_due[:10]), None
    return None, None


def tasks_ics(lists: AgencyTasks, *, today: date | None = None) -> bytes:
    """An iCalendar file: one all-day VTODO per task that has a due date (a recurring deadline
    from its next occurrence, with its RRULE); tasks without any date are left out."""
    from datetime import UTC, datetime, timedelta

    from icalendar import Calendar, Todo, vRecur

    now = datetime.now(UTC)
    today = today or now.date()
    cal = Calendar()
    cal.add("prodid", "-//chithi//task list//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Nhiệm vụ: {lists.agency.name}")
    for t in lists.tasks:
        due, rule = _task_due(t, today)
        if due is None:
            continue
        todo = Todo()
        todo.add("uid", f"{t.obligation_id}/{t.agency_id}@chithi")
        todo.add("dtstamp", now)
        todo.add("dtstart", due)
        todo.add("due", due + timedelta(days=1))
        summary = squash(t.text)
        todo.add("summary", summary if len(summary) <= 200 else summary[:199] + "…")
        doc = " ".join(x for x in (t.document_type, t.document_number) if x) or t.document_id
        todo.add("description", f"{doc}, mục {t.section or '-'} ({t.role})\n\n{t.text}")
        todo.add("status", {"open": "NEEDS-ACTION", "in_progress": "IN-PROCESS",
                            "done": "COMPLETED"}[t.status])
        if rule:
            try:
                todo.add("rrule", vRecur.from_ical(rule))
            except (ValueError, TypeError):
                pass
        cal.add_component(todo)
    return cal.to_ical()


# --- obligations -------------------------------------------------------------------------

def _hit(ob: ObligationRow, number, dtype, ddate) -> ObligationHit:
    return ObligationHit(
        obligation_id=ob.id, document_id=ob.document_id, document_number=number,
        document_type=dtype, document_date=ddate, section=ob.section, text=ob.text,
        lead=[a["canonical"] for a in ob.lead], support=[a["canonical"] for a in ob.support],
        report_to=[a["canonical"] for a in ob.report_to], deadlines=ob.deadlines, span=ob.span)


def _base_query(columns):
    return (select(*columns, Document.number, Document.type, Document.date)
            .join(Document, Document.id == ObligationRow.document_id)
            .order_by(Document.date.desc().nulls_last(), Document.created_at.desc(),
                      ObligationRow.document_id, ObligationRow.position))


def get_obligation(archive: "Archive", obligation_id: str) -> ObligationHit:
    with archive.session() as session:
        row = session.execute(_base_query([ObligationRow]).where(
            ObligationRow.id == obligation_id)).first()
    if row is None:
        raise NotFound(f"no obligation {obligation_id}", obligation_id=obligation_id)
    return _hit(*row)


def _in_window(rec: Any, lo: date | None, hi: date | None) -> bool:
    """A fixed due date, or an occurrence of a recurring deadline, in [lo, hi]. An open side is
    clamped to a year from the other for recurring ones (at least yearly, so none is lost)."""
    from datetime import timedelta

    from knowledge_graph.recurrence import occurrences

    low, high = lo or date.min, hi or date.max
    if any(low <= f <= high for f in rec.fixed):
        return True
    if not rec.recurring:
        return False
    if lo is None and hi is not None:
        low = hi - timedelta(days=400)
    elif hi is None and lo is not None:
        high = max(lo, rec.not_before or lo) + timedelta(days=400)
    elif lo is None and hi is None:
        return True
    return any(occurrences(d, low, high, not_before=rec.not_before) for d in rec.recurring)


def _graph_candidates(archive: "Archive", agency: str | None, due_from: date | None,
                      due_to: date | None, cites: str | None) -> set[str] | None:
    from knowledge_graph.queries import obligations_citing

    if not (agency or cites or due_from or due_to):
        return None
    graph = archive.graph
    found: set[str] | None = None
    with _graph_lock(archive):
        if agency:
            from knowledge_graph.tasklists import sorted_rows

            ids = resolve_agencies(archive, agency)  # agency ids: rows without building tasks
            found = {row[5] for a in ids
                     for row in sorted_rows(graph, a, include_groups=True, today=None)}
        if due_from or due_to:
            pool = graph.obligations if found is None else {
                oid: graph.obligations[oid] for oid in found if oid in graph.obligations}
            found = {oid for oid, rec in pool.items() if _in_window(rec, due_from, due_to)}
        if cites:
            try:
                citing = {h.obligation_id for h in obligations_citing(graph, cites)}
            except NotFound:
                citing = set()
            found = citing if found is None else found & citing
    return found


def _chunked(session, query, ids: list[str], size: int = 900) -> list:  # noqa: ANN001
    """The rows of ``query`` (``_base_query`` columns) for ``ids``, fetched ``size`` ids at a
    time and put in the query's order (newest document first, then position)."""
    ordered = (query.add_columns(Document.created_at, ObligationRow.document_id,
                                 ObligationRow.position).order_by(None))
    rows = []
    for lo in range(0, len(ids), size):
        rows += session.execute(ordered.where(ObligationRow.id.in_(ids[lo:lo + size]))).all()
    rows.sort(key=lambda r: (r[-2], r[-1]))  # document id, position
    rows.sort(key=lambda r: r[-3], reverse=True)  # created_at, newest first (stable)
    rows.sort(key=lambda r: (r[-4] is not None, r[-4] or ""), reverse=True)  # date desc, none last
    return rows


_FTS_COUNT = text("SELECT count(*) FROM obligations_fts WHERE obligations_fts MATCH :fts")
_FTS_ORDER = ("ORDER BY d.date DESC NULLS LAST, d.created_at DESC, o.document_id, o.position "
              "LIMIT :limit OFFSET :offset")
_FTS_WALK = text(  # newest documents first by the date index, each one's obligations checked
    "SELECT o.id FROM documents AS d CROSS JOIN obligations AS o ON o.document_id = d.id "  # against
    "WHERE +o.rowid IN (SELECT rowid FROM obligations_fts WHERE obligations_fts MATCH :fts) "  # the
    + _FTS_ORDER)  # matches ("+": not as an index probe per document); stops when the page is full
_FTS_SORT = text(  # every match from the index, joined and sorted
    "SELECT o.id FROM obligations AS o JOIN documents AS d ON d.id = o.document_id "
    "WHERE o.rowid IN (SELECT rowid FROM obligations_fts WHERE obligations_fts MATCH :fts) "
    + _FTS_ORDER)


def _fts_page(session, words: list[str], limit: int, offset: int) -> tuple[int, list[str]]:  # noqa: ANN001
    """SQLite, words only: the count straight from the FTS5 index; the page by walking the
    documents newest first when that reaches it after fewer rows than sorting every match
    costs (common words, early pages), else by sorting the matches. Same rows, same order."""
    fts = " AND ".join(f'"{w}"' for w in words)
    total = session.scalar(_FTS_COUNT.bindparams(fts=fts)) or 0
    limit, offset = max(0, limit), max(0, offset)
    if not total or offset >= total or not limit:
        return total, []
    rows = session.scalar(text("SELECT max(rowid) FROM obligations")) or total
    walked = (offset + limit) * rows / total  # rows the walk reads, about
    plan = _FTS_WALK if walked < 4 * total else _FTS_SORT
    return total, [r[0] for r in session.execute(plan.bindparams(fts=fts, limit=limit, offset=offset))]


def search_obligations(archive: "Archive", *, q: str | None = None, agency: str | None = None,
                       due_from: date | None = None, due_to: date | None = None,
                       cites: str | None = None, limit: int = 50,
                       offset: int = 0) -> tuple[list[ObligationHit], int]:
    """Obligations matching every filter; words of ``q`` diacritic- and case-insensitive,
    quoted phrases exactly (see :func:`services.queries.search_obligations`); ``agency`` an id
    or a name, tasks reaching it through groups included; ``cites`` a document number or id.
    Newest documents first; (page, total)."""
    words, phrases = queries.parse_query(q or "")
    candidates = _graph_candidates(archive, agency, due_from, due_to, cites)
    if candidates is not None and not candidates:
        return [], 0
    with archive.session() as session:
        query = _base_query([ObligationRow.id, ObligationRow.text] if phrases else [ObligationRow.id])
        count = select(func.count()).select_from(ObligationRow)
        dialect = session.get_bind().dialect.name
        match = getattr(queries, "_match_words", None)  # FTS5 / pg_trgm when the archive has it
        if match is not None:
            query, count = (match(query, words, phrases, dialect),
                            match(count, words, phrases, dialect))
        else:
            for cond in ([ObligationRow.folded.like(f"% {w} %") for w in words]
                         + [ObligationRow.folded.like(f"%{folded_words(p)}%") for p in phrases]):
                query, count = query.where(cond), count.where(cond)
        many = candidates is not None and len(candidates) > 900
        if candidates is not None and not many:
            query = query.where(ObligationRow.id.in_(sorted(candidates)))
        if candidates is None and not phrases and words and dialect == "sqlite" and match is not None:
            total, page = _fts_page(session, words, limit, offset)
        elif candidates is None and not phrases:
            total = session.scalar(count) or 0
            page = [r[0] for r in session.execute(query.limit(max(0, limit)).offset(max(0, offset)))]
        else:
            # many candidates: their rows in chunks (never the whole table), ordered here
            rows = _chunked(session, query, sorted(candidates)) if many else session.execute(query).all()
            if candidates is not None:
                rows = [r for r in rows if r[0] in candidates]
            if phrases:
                needles = [p.lower() for p in phrases]
                rows = [r for r in rows if all(n in squash(r[1]).lower() for n in needles)]
            total = len(rows)
            page = [r[0] for r in rows[max(0, offset):max(0, offset) + max(0, limit)]]
        if not page:
            return [], total
        found = {r[0].id: r for r in session.execute(
            _base_query([ObligationRow]).where(ObligationRow.id.in_(page)))}
    return [_hit(*found[i]) for i in page if i in found], total


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


# --- references --------------------------------------------------------------------------

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


# --- bulk import (benchmarks, migrations from other systems) -------------------------------

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
