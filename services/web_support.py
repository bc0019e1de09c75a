"""Service functions the web pages need beyond :mod:`services.api_support`.

Where each extracted fact stands on a page image (boxes in percent of the page, one per page a
fact touches) or in a text document (highlighted segments), reviewer corrections from a form
(confirm or correct agencies, deadlines, text), obligation search with an issuer filter, and an
agency's task board (open / in progress / done, overdue first). Pure data in and out: the
routes in ``api/web`` render it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from chithi.errors import InvalidRequest
from chithi.models import BBox, DocumentDetail, Extraction, ObligationHit, Page, Span, Task
from chithi.text import fold, squash
from services import api_support

if TYPE_CHECKING:
    from services.archive import Archive

LOW_VALUE = 0.8  # an agency, deadline or header value below this is shown as "cần kiểm tra"
LOW_OBLIGATION = 0.7  # an obligation below this is shown as "cần kiểm tra"
KINDS = ("obligation", "agency", "deadline", "reference", "header")


@dataclass
class Fact:
    """One extracted fact with where it stands."""
    id: str  # unique in the page: "o3", "o3-lead-0", "o3-dl-1", "ref-2-0", "hdr-type"
    kind: str  # one of KINDS
    label: str  # what it is, in Vietnamese ("Cơ quan chủ trì: Sở Nội vụ")
    span: Span
    obligation: str | None = None  # the local obligation id it belongs to
    low: bool = False


@dataclass
class Box:
    fact: Fact
    left: float  # percent of the page width
    top: float
    width: float
    height: float


@dataclass
class Segment:
    """A run of text with the facts covering it (for text documents)."""
    text: str
    obligation: str | None = None
    kinds: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    low: bool = False


_ROLES = {"lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp", "report_to": "Báo cáo về"}
_HEADER = {"type": "Loại văn bản", "number": "Số hiệu", "date": "Ngày ban hành",
           "issuer": "Cơ quan ban hành", "signer": "Người ký", "subject": "Trích yếu",
           "place": "Địa danh"}


def facts_of(extraction: Extraction | None) -> list[Fact]:
    """Every fact of the extraction that has a span, obligations first (drawn underneath)."""
    if extraction is None:
        return []
    out: list[Fact] = []
    for ob in extraction.obligations:
        if ob.span is not None:
            out.append(Fact(f"{ob.id}", "obligation", f"Nhiệm vụ {ob.section or ob.id}", ob.span,
                            ob.id, ob.confidence < LOW_OBLIGATION))
    for ob in extraction.obligations:
        for role, label in _ROLES.items():
            for i, agency in enumerate(getattr(ob, role)):
                if agency.span is not None:
                    out.append(Fact(f"{ob.id}-{role}-{i}", "agency", f"{label}: {agency.canonical}",
                                    agency.span, ob.id, agency.confidence < LOW_VALUE))
        for i, deadline in enumerate(ob.deadlines):
            if deadline.span is not None:
                out.append(Fact(f"{ob.id}-dl-{i}", "deadline", f"Hạn: {deadline.text or deadline.date}",
                                deadline.span, ob.id, deadline.confidence < LOW_VALUE))
    for r, ref in enumerate(extraction.references):
        for i, span in enumerate(ref.spans):
            out.append(Fact(f"ref-{r}-{i}", "reference", f"Văn bản dẫn chiếu: {ref.number or ref.text}",
                            span, None, ref.confidence < LOW_VALUE))
    header = extraction.document
    for name, span in header.spans.items():
        value = getattr(header, name, None)
        conf = header.confidence.get(name, 1.0)
        out.append(Fact(f"hdr-{name}", "header", f"{_HEADER.get(name, name)}: {value or ''}",
                        span, None, conf < LOW_VALUE))
    return out


def _boxes_on(page: Page, span: Span) -> list[BBox]:
    """One box per text line of the span on this page (the union of its OCR word boxes on that
    line); the span's own box when the page has no word boxes for it."""
    lines: list[BBox] = []
    for word in page.words:
        if word.bbox is None or word.start >= span.end or word.end <= span.start:
            continue
        b, last = word.bbox, lines[-1] if lines else None
        if last is not None and b.x0 >= last.x0 and (b.y0 + b.y1) / 2 < last.y1:
            lines[-1] = last.union(b)
        else:
            lines.append(b)
    if not lines and span.bbox is not None and span.page == page.number:
        lines.append(span.bbox)
    return lines


def page_boxes(detail: DocumentDetail, facts: list[Fact] | None = None) -> dict[int, list[Box]]:
    """Boxes per page number, in percent of the page (so they fit the image at any size)."""
    facts = facts_of(detail.extraction) if facts is None else facts
    out: dict[int, list[Box]] = {}
    pad = 4
    for page in detail.pages:
        if not page.width or not page.height:
            continue
        for fact in facts:
            if fact.span.end < page.start or fact.span.start > page.end:
                continue
            for box in _boxes_on(page, fact.span):
                out.setdefault(page.number, []).append(Box(
                    fact, left=round(100 * max(0, box.x0 - pad) / page.width, 3),
                    top=round(100 * max(0, box.y0 - pad) / page.height, 3),
                    width=round(100 * (box.x1 - box.x0 + 2 * pad) / page.width, 3),
                    height=round(100 * (box.y1 - box.y0 + 2 * pad) / page.height, 3)))
    return out


def text_segments(text: str, facts: list[Fact]) -> list[list[Segment]]:
    """The text cut where facts start and end, page by page (pages split at form feeds)."""
    cuts = {0, len(text)}
    for fact in facts:
        cuts.update((max(0, min(len(text), fact.span.start)), max(0, min(len(text), fact.span.end))))
    cuts.update(i for i, c in enumerate(text) if c == "\f")
    cuts.update(i + 1 for i, c in enumerate(text) if c == "\f")
    points = sorted(cuts)
    pages: list[list[Segment]] = [[]]
    for a, b in zip(points, points[1:]):
        piece = text[a:b]
        if piece == "\f":
            pages.append([])
            continue
        covering = [f for f in facts if f.span.start <= a and f.span.end >= b]
        ob = next((f.obligation for f in covering if f.kind == "obligation"), None)
        inner = [f for f in covering if f.kind != "obligation"]
        pages[-1].append(Segment(piece, ob or next((f.obligation for f in inner if f.obligation), None),
                                 sorted({f.kind for f in inner}), [f.id for f in covering],
                                 any(f.low for f in inner)))
    return pages


# --- corrections from a reviewer's form ----------------------------------------------------

def _names(value: str) -> list[str]:
    return [squash(n) for n in value.replace("\n", ";").split(";") if squash(n)]


def review_changes(detail: DocumentDetail, local_id: str, *, action: str, text: str | None = None,
                   lead: str | None = None, support: str | None = None,
                   due: list[str] | None = None, keep: list[int] | None = None) -> dict[str, Any]:
    """The corrections a review form asks for, as ``api_support.correct_obligation`` takes them.

    ``action`` "confirm": the current agencies and deadlines again with confidence 1 (the
    reviewer vouches for them; recorded like any correction). "correct": only the fields that
    changed: text, lead and support (names separated by ";"), deadlines from ``due`` (ISO dates)
    plus the non-date deadlines whose index is in ``keep``.
    """
    ob = next((o for o in (detail.extraction.obligations if detail.extraction else [])
               if o.id == local_id), None)
    if ob is None:
        raise InvalidRequest(f"no obligation {local_id} in document {detail.id}")
    if action == "confirm":
        sure = {"confidence": 1.0}
        return {"lead": [a.model_copy(update=sure).model_dump(mode="json") for a in ob.lead],
                "support": [a.model_copy(update=sure).model_dump(mode="json") for a in ob.support],
                "deadlines": [d.model_copy(update=sure).model_dump(mode="json") for d in ob.deadlines]}
    if action != "correct":
        raise InvalidRequest(f"unknown action {action!r}")
    changes: dict[str, Any] = {}
    if text is not None and squash(text) and squash(text) != squash(ob.text):
        changes["text"] = text
    for role, value in (("lead", lead), ("support", support)):
        if value is None:
            continue
        names = _names(value)
        current = getattr(ob, role)
        if names != [a.canonical for a in current] and names != [a.name for a in current]:
            changes[role] = names
    if due is not None or keep is not None:
        keep_set = set(keep or [])
        dated = {d.date: d for d in ob.deadlines if d.kind == "date" and d.date}
        new: list[Any] = [d.model_dump(mode="json") for i, d in enumerate(ob.deadlines)
                          if d.kind != "date" and i in keep_set]
        for value in due or []:
            value = value.strip()
            if not value:
                continue
            try:
                date.fromisoformat(value)
            except ValueError:
                raise InvalidRequest(f"'{value}' is not a date (YYYY-MM-DD)", field="deadlines") from None
            new.append(dated[value].model_dump(mode="json") if value in dated else value)
        old = sorted(json.dumps(d.model_dump(mode="json"), sort_keys=True) for d in ob.deadlines)
        if sorted(json.dumps(d, sort_keys=True) for d in new) != old:
            changes["deadlines"] = new
    return changes


# --- search ------------------------------------------------------------------------------

def search(archive: "Archive", *, q: str | None = None, agency: str | None = None,
           issuer: str | None = None, due_from: date | None = None, due_to: date | None = None,
           cites: str | None = None, limit: int = 50,
           offset: int = 0) -> tuple[list[tuple[ObligationHit, str | None]], int]:
    """:func:`api_support.search_obligations` plus an issuer filter (words of the issuing
    body, accents ignored); each hit with its document's issuer. (page, total)."""
    issuers: dict[str, str | None] = {}
    if issuer:
        docs, _ = api_support.list_documents(archive, issuer=issuer, limit=100000)
        issuers = {d.id: d.issuer for d in docs}
        if not issuers:
            return [], 0
        hits, _ = api_support.search_obligations(archive, q=q, agency=agency, due_from=due_from,
                                                 due_to=due_to, cites=cites, limit=100000)
        hits = [h for h in hits if h.document_id in issuers]
        total, hits = len(hits), hits[offset:offset + limit]
    else:
        hits, total = api_support.search_obligations(archive, q=q, agency=agency, due_from=due_from,
                                                     due_to=due_to, cites=cites, limit=limit,
                                                     offset=offset)
    for doc_id in {h.document_id for h in hits} - set(issuers):
        issuers[doc_id] = archive.get_summary(doc_id).issuer
    return [(h, issuers.get(h.document_id)) for h in hits], total


def snippet(text: str, q: str | None, *, width: int = 400) -> list[tuple[str, bool]]:
    """A piece of ``text`` around the first word of ``q`` found (accents and case ignored), as
    (run, matched) pairs so the page can mark the words; the text's start when nothing matches."""
    from services.queries import parse_query

    words, phrases = parse_query(q or "")
    folded = "".join(fold(c)[:1] or c for c in text)
    terms = [re.escape(w) for w in words] + [re.escape(fold(p)) for p in phrases]
    found = list(re.finditer(r"(?<!\w)(" + "|".join(terms) + r")(?!\w)", folded)) if terms else []
    start = 0
    if found and len(text) > width:  # where most of the words stand close together
        best = max(found, key=lambda m: (len({f.group(0) for f in found
                                                if m.start() <= f.start() < m.start() + width // 2}),
                                         -m.start()))
        start = max(0, best.start() - width // 4)
        start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    out: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for m in found:
        if m.start() < at or m.end() > end:
            continue
        out += [(text[at:m.start()], False), (text[m.start():m.end()], True)]
        at = m.end()
    out.append((text[at:end] + ("…" if end < len(text) else ""), False))
    return [(t, hit) for t, hit in out if t]


def known_issuers(archive: "Archive") -> list[str]:
    docs, _ = api_support.list_documents(archive, limit=100000)
    return sorted({d.issuer for d in docs if d.issuer})


# --- an agency's task board ----------------------------------------------------------------

@dataclass
class BoardTask:
    task: Task
    overdue: bool
    recurring: bool


def board(archive: "Archive", agency_id: str, *, today: date | None = None
          ) -> tuple[Any, dict[str, list[BoardTask]]]:
    """(the agency, its tasks by status column), each column overdue first, then by due date."""
    today = today or date.today()
    lists = api_support.agency_task_list(archive, agency_id)
    columns: dict[str, list[BoardTask]] = {"open": [], "in_progress": [], "done": []}
    for task in lists.tasks:
        due = date.fromisoformat(task.next_due[:10]) if task.next_due else None
        overdue = task.status != "done" and due is not None and due < today
        recurring = any(d.kind == "recurring" for d in task.deadlines)
        columns[task.status].append(BoardTask(task, overdue, recurring))
    for items in columns.values():
        items.sort(key=lambda b: (not b.overdue, b.task.next_due or "9999",
                                  b.task.document_date or "", b.task.obligation_id))
    return lists.agency, columns
