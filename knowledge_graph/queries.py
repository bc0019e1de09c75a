"""Queries over an :class:`~knowledge_graph.graph.ArchiveGraph`. Each returns model objects
(never networkx views) and takes ``today: date`` where time matters (no ``now()`` here)."""
from __future__ import annotations


from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterator

from chithi.errors import InvalidRequest, NotFound
from chithi.gcutil import paused_gc
from chithi.models import AgencyNode, ObligationHit, Task, TaskStatus

from . import normalize as nz
from . import tasklists as tl
from .recurrence import occurrences
from .results import DocumentRef, Replacement

if TYPE_CHECKING:
    from .graph import ArchiveGraph

_ROLE_ORDER = {"lead": 0, "support": 1, "report_to": 2}
_CITE_RELS = ("cites", "replaces", "implements")


def _agency(graph: "ArchiveGraph", agency_id: str) -> dict:
    a = graph.g.nodes.get(agency_id)
    if a is None or a.get("type") != "agency":
        raise NotFound(f"agency {agency_id} is not in the graph", agency_id=agency_id)
    return a


def task_rows(graph: "ArchiveGraph", agency_id: str, *, include_groups: bool = True
              ) -> Iterator[tuple[str, str, str | None]]:
    """(obligation id, role, via_group) of every task on the agency's list, a direct
    assignment winning over the same one reached through a collective."""
    g = graph.g
    _agency(graph, agency_id)
    pred, succ, nodes = g._pred, g._succ, g._node  # the raw adjacency dicts: views cost 3x here
    seen: set[tuple[str, str]] = set()
    for obl, keys in pred[agency_id].items():
        for k in keys:
            if k.startswith("assigned_to:"):
                seen.add((obl, k[12:]))
                yield obl[4:], k[12:], None
    if not include_groups:
        return
    via: dict[tuple[str, str], str] = {}
    for c, keys in succ[agency_id].items():
        if "member_of" not in keys or nodes[c].get("type") != "agency":
            continue
        for obl, ekeys in pred[c].items():
            for k, attrs in ekeys.items():
                if k.startswith("assigned_to:") and (obl, k[12:]) not in seen:
                    name = attrs.get("name") or nodes[c]["name"]
                    cur = via.get((obl, k[12:]))
                    if cur is None or name < cur:
                        via[(obl, k[12:])] = name
    for (obl, role), name in via.items():
        yield obl[4:], role, name


def _issuer_ok(graph: "ArchiveGraph", doc_id: str, issuer: str) -> bool:
    g = graph.g
    if issuer.startswith("agency:"):
        return g.has_edge(doc_id, issuer, "issued_by")
    h = g.nodes[doc_id].get("issuer")
    return bool(h) and nz.norm(issuer) in nz.norm(h)


def agency_tasks(graph: "ArchiveGraph", agency_id: str, *, today: date | None = None,
                 include_groups: bool = True, role: str | None = None, status: TaskStatus | None = "open",
                 due_from: date | None = None, due_to: date | None = None, issuer: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[Task]:
    """An agency's tasks, soonest ``next_due`` first (tasks without a due date last).

    ``status`` (default "open"; None: any), ``role`` (lead/support/report_to), ``issuer`` (an
    agency id, or words of the issuer's name), ``due_from``/``due_to`` (keep tasks with a due
    date, fixed or a recurring occurrence, in the window). ``next_due`` is computed relative
    to ``today`` (without it: the earliest fixed date). ``limit``/``offset`` page the list."""
    return agency_task_page(graph, agency_id, today=today, include_groups=include_groups, role=role,
                            status=status, due_from=due_from, due_to=due_to, issuer=issuer,
                            limit=limit, offset=offset)[0]


def agency_task_page(graph: "ArchiveGraph", agency_id: str, *, today: date | None = None,
                     include_groups: bool = True, role: str | None = None,
                     status: TaskStatus | None = "open", due_from: date | None = None,
                     due_to: date | None = None, issuer: str | None = None, limit: int | None = None,
                     offset: int = 0) -> tuple[list[Task], int]:
    """:func:`agency_tasks` and the length of the whole filtered list: only the tasks of the
    page are built (the sorted list is cached per agency and day, see :mod:`.tasklists`)."""
    if role is not None and role not in _ROLE_ORDER:
        raise InvalidRequest(f"unknown role {role!r}")
    name = _agency(graph, agency_id)["name"]
    rows = tl.sorted_rows(graph, agency_id, include_groups=include_groups, today=today)
    statuses, records, default = graph._agency_status.get(agency_id), graph.obligations, ("open", None, None)
    window = due_from is not None or due_to is not None
    lo, hi = due_from or date.min, due_to or date.max
    end = None if limit is None else offset + limit
    if not statuses and role is None and issuer is None and not window:  # the common case: no
        picked = rows if status in (None, "open") else []               # filter to check per row
        with paused_gc():
            return tl.tasks(graph, agency_id, name, picked[offset:end]), len(picked)
    picked: list[tuple] = []
    stats: list[tuple] = []
    for row in rows:
        oid, r = row[5], row[6]
        if role is not None and r != role:
            continue
        st = statuses.get(oid, default) if statuses else default
        if status is not None and st[0] != status:
            continue
        if issuer is not None or window:
            rec = records[oid]
            if issuer is not None and not _issuer_ok(graph, rec.doc_id, issuer):
                continue
            if window and not (any(lo <= f <= hi for f in rec.fixed) or any(
                    occurrences(d, lo, hi, not_before=rec.not_before) for d in rec.recurring)):
                continue
        picked.append(row)
        stats.append(st)
    with paused_gc():
        return tl.tasks(graph, agency_id, name, picked[offset:end], stats[offset:end]), len(picked)



def _task(graph: "ArchiveGraph", agency_id: str, agency_name: str, row: tuple, *,
          due: date | None = None) -> Task:
    *_, oid, role, via, st, nd = row
    return tl.task(graph, agency_id, agency_name, oid, role, via, st, due or nd)


def _all_rows(graph: "ArchiveGraph", agency_id: str | None, include_groups: bool):
    """(agency id, obligation id, role, via) over one agency or the whole archive (direct only)."""
    if agency_id is not None:
        for oid, r, via in task_rows(graph, agency_id, include_groups=include_groups):
            yield agency_id, oid, r, via
        return
    g = graph.g
    for oid in graph.obligations:
        for _, ag, k in g.out_edges("obl:" + oid, keys=True):
            if k.startswith("assigned_to:"):
                yield ag, oid, k[12:], None


def deadlines_between(graph: "ArchiveGraph", start: date, end: date, *, agency_id: str | None = None,
                      include_groups: bool = True, include_recurring: bool = True,
                      status: TaskStatus | None = "open") -> list[Task]:
    """One Task per due date in [start, end] (``next_due`` = that date), recurring deadlines
    expanded into their occurrences; soonest first."""
    out = []
    for ag, oid, r, via in _all_rows(graph, agency_id, include_groups):
        st = graph.status_of(oid, ag)
        if status is not None and st[0] != status:
            continue
        rec = graph.obligations[oid]
        dates = {f for f in rec.fixed if start <= f <= end}
        if include_recurring:
            for d in rec.recurring:
                dates.update(occurrences(d, start, end, not_before=rec.not_before))
        row = (None, None, None, None, None, oid, r, via, st, None)
        for when in dates:
            out.append(((when, rec.doc_id, rec.seq, _ROLE_ORDER[r], ag), ag, row))
    out.sort(key=lambda x: x[0])
    return [_task(graph, ag, graph.g.nodes[ag]["name"], row, due=key[0]) for key, ag, row in out]


def upcoming(graph: "ArchiveGraph", *, today: date, days: int = 30, agency_id: str | None = None,
             include_groups: bool = True) -> list[Task]:
    """Open tasks due from ``today`` to ``today + days``, one per occurrence."""
    return deadlines_between(graph, today, today + timedelta(days=days), agency_id=agency_id,
                             include_groups=include_groups)


def overdue(graph: "ArchiveGraph", *, today: date, since: date | None = None, agency_id: str | None = None,
            include_groups: bool = True, include_recurring: bool = False) -> list[Task]:
    """Open tasks whose fixed due date lies before ``today`` (from ``since``, default 1 year
    back). Past occurrences of recurring deadlines only with ``include_recurring``."""
    start = since or (today - timedelta(days=365))
    return deadlines_between(graph, start, today - timedelta(days=1), agency_id=agency_id,
                             include_groups=include_groups, include_recurring=include_recurring)


# --- documents and citations ------------------------------------------------------------

def document_ref(graph: "ArchiveGraph", node: str) -> DocumentRef:
    a = graph.g.nodes.get(node)
    if a is None or a.get("type") not in ("document", "cited"):
        raise NotFound(f"document {node} is not in the graph", document_id=node)
    return DocumentRef(id=node, ingested=a.get("type") == "document", type=a.get("doc_type"),
                       number=a.get("number"), date=a.get("date"), issuer=a.get("issuer"),
                       subject=a.get("subject") or a.get("title"))


def resolve_document(graph: "ArchiveGraph", document: str) -> list[str]:
    """Document nodes named by a document id, a "cited:" id or a number ("26/CT-TTg")."""
    g = graph.g
    if document in g and g.nodes[document].get("type") in ("document", "cited"):
        return [document]
    n = nz.norm_number(document)
    if not n:
        return []
    out = {t for key, t in graph._cite.target.items() if key == n or key.startswith(n + "@")}
    out |= {d for d, rec in graph.docs.items() if nz.norm_number(rec.extraction.document.number) == n}
    return sorted(x for x in out if x in g)


def _citers(graph: "ArchiveGraph", document: str, rels: tuple[str, ...]):
    targets = resolve_document(graph, document)
    if not targets:
        raise NotFound(f"no document {document!r} in the graph", document=document)
    g = graph.g
    for t in targets:
        for src, keys in g.pred[t].items():
            for k in keys:
                if k in rels:
                    yield src, k, t


def obligations_citing(graph: "ArchiveGraph", document: str, *, relations: tuple[str, ...] = _CITE_RELS
                       ) -> list[ObligationHit]:
    """Obligations whose text cites the document (by id, cited id or number)."""
    g = graph.g
    seen, out = set(), []
    for src, _k, _t in _citers(graph, document, relations):
        if g.nodes[src].get("type") != "obligation" or src in seen:
            continue
        seen.add(src)
        rec = graph.obligations[src[4:]]
        ob, h = rec.obligation, graph.docs[rec.doc_id].extraction.document
        names = {r: [] for r in _ROLE_ORDER}
        for _, ag, k in g.out_edges(src, keys=True):
            if k.startswith("assigned_to:"):
                names[k[12:]].append(g.nodes[ag]["name"])
        out.append(((rec.doc_id, rec.seq), ObligationHit(
            obligation_id=src[4:], document_id=rec.doc_id, document_number=h.number, document_type=h.type,
            document_date=h.date, section=ob.section, text=ob.text, lead=sorted(names["lead"]),
            support=sorted(names["support"]), report_to=sorted(names["report_to"]),
            deadlines=list(ob.deadlines), span=ob.span)))
    return [hit for _, hit in sorted(out, key=lambda x: x[0])]


def documents_citing(graph: "ArchiveGraph", document: str, *, relations: tuple[str, ...] = _CITE_RELS
                     ) -> list[DocumentRef]:
    srcs = {s for s, _k, _t in _citers(graph, document, relations) if graph.g.nodes[s].get("type") == "document"}
    return sorted((document_ref(graph, s) for s in srcs), key=lambda d: (d.date or "", d.id), reverse=True)


def replacements(graph: "ArchiveGraph", *, document: str | None = None) -> list[Replacement]:
    """What replaced what: every "replaces" edge, or those touching one document."""
    g = graph.g
    wanted = set(resolve_document(graph, document)) if document else None
    out = []
    for rec_id in sorted(graph.docs):
        for _, old, k, attrs in g.out_edges(rec_id, keys=True, data=True):
            if k != "replaces" or (wanted is not None and not ({rec_id, old} & wanted)):
                continue
            out.append(Replacement(new=document_ref(graph, rec_id), old=document_ref(graph, old),
                                   text=attrs.get("text"), start=attrs.get("start"), end=attrs.get("end")))
    return out


def documents_by_issuer(graph: "ArchiveGraph", issuer: str) -> list[DocumentRef]:
    """Documents issued by an agency (an id, or a name: the exact match, else every match)."""
    g = graph.g
    if issuer in g and g.nodes[issuer].get("type") == "agency":
        ids = [issuer]
    else:
        hits = graph.find_agencies(issuer, include_collectives=False)
        exact = [h.id for h in hits if nz.norm(h.name) == nz.norm(issuer)]
        ids = exact or [h.id for h in hits]
    docs = {d for a in ids for d, keys in g.pred[a].items() if "issued_by" in keys}
    return sorted((document_ref(graph, d) for d in docs), key=lambda d: (d.date or "", d.id), reverse=True)


def agencies_by_workload(graph: "ArchiveGraph", *, limit: int | None = 20, locality: str | None = None,
                         include_collectives: bool = False) -> list[AgencyNode]:
    """Agencies ranked by open tasks (group tasks included), most first."""
    g = graph.g
    loc = nz.norm(locality) if locality else None
    ranked = []
    for nid in graph.agency_ids():
        a = g.nodes[nid]
        if a.get("collective") and not include_collectives:
            continue
        if loc and loc not in (nz.norm(a.get("locality") or ""), nz.norm(a.get("province") or "")):
            continue
        ranked.append((-graph.open_count(nid), a["name"], nid))
    ranked.sort()
    return [graph._node(nid) for *_, nid in ranked[:limit]]
