"""Obligation search for the API: text (FTS5 on SQLite, trigram index on PostgreSQL), agency
with group expansion, deadline window, cited document; one obligation by id."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text

from chithi.errors import NotFound
from chithi.models import ObligationHit
from chithi.text import squash
from services import queries
from services.processing import folded_words
from services.tables import Document, ObligationRow

if TYPE_CHECKING:
    from services.archive import Archive


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
