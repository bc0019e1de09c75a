"""The archive graph: documents, obligations, agencies, people, deadlines, cited documents.

A ``networkx.MultiDiGraph`` in memory, built from ``(document_id, Extraction)`` pairs and
rebuildable from them: the result depends only on the set of pairs, not on their order.
Edge keys are the edge types (``issued_by``, ``signed_by``, ``contains``,
``assigned_to:lead|support|report_to``, ``due``, ``cites|replaces|implements``,
``member_of``, ``part_of``); every fact edge keeps its provenance (``doc``, ``start``,
``end``, ``page``). Queries live in :mod:`knowledge_graph.queries` and return model objects;
every agency's task-list rows are kept in :mod:`knowledge_graph.taskindex`, updated with
each document added or removed.
"""
from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

import networkx as nx

from chithi.errors import InvalidRequest, NotFound
from chithi.models import Deadline, Extraction, Obligation, Span, Task, TaskStatus
from chithi.text import slug

from . import resolve as rs
from .agencies import AgencyIndex
from .citations import Citations
from .recurrence import fixed_date
from .taskindex import TaskIndex

ROLES = ("lead", "support", "report_to")
_ROLE_KEY = {r: "assigned_to:" + r for r in ROLES}  # one key string per role, not one per edge


@dataclass(slots=True)
class ObligationRecord:
    doc_id: str
    seq: int
    obligation: Obligation
    fixed: tuple[date, ...]  # fixed due dates, sorted
    recurring: tuple[Deadline, ...]
    not_before: date | None  # the document's date
    oid: str = ""  # its key in ArchiveGraph.obligations (the one string the task index shares)
    # What its Tasks show, in one object (a task list reads them for thousands of rows): the
    # document's (id, number, type, date, issuer), one tuple its obligations share, then the
    # obligation's own section, text, deadlines and span.
    document_fields: tuple = ()
    section: str | None = None
    text: str = ""
    deadlines: list[Deadline] | tuple = ()
    span: Span | None = None


@dataclass(slots=True)
class DocumentRecord:
    """What one document put in the graph: sets while it is added, then tuples (a third of
    the memory; :meth:`ArchiveGraph.remove_document` only goes through them)."""
    extraction: Extraction
    obligations: list[str] | tuple[str, ...] = field(default_factory=list)
    shared: set[str] | tuple[str, ...] = field(default_factory=set)  # person/deadline nodes it refers to
    agencies: set[str] | tuple[str, ...] = field(default_factory=set)
    persons: set[str] | tuple[str, ...] = field(default_factory=set)

    def seal(self) -> None:
        self.obligations, self.shared = tuple(self.obligations), tuple(self.shared)
        self.agencies, self.persons = tuple(self.agencies), tuple(self.persons)


def obligation_node(doc_id: str, oid: str) -> str:
    return f"obl:{doc_id}#{oid}"


def _prov(doc_id: str, span: Span | None) -> dict:
    out: dict = {"doc": doc_id}
    if span is not None:
        out.update(start=span.start, end=span.end)
        if span.page is not None:
            out["page"] = span.page
    return out


def _clean(attrs: dict) -> dict:
    return {k: v for k, v in attrs.items() if v is not None}


def _iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


class ArchiveGraph(AgencyIndex):
    """The knowledge graph of the archive. Idempotent per document; order-independent."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph()
        self.docs: dict[str, DocumentRecord] = {}
        self.obligations: dict[str, ObligationRecord] = {}
        self._asrc: dict[str, dict[str, list[rs.Facts]]] = {}  # agency node -> doc -> facts
        self._acnt: dict[str, Counter] = {}  # agency node -> facts -> how often stated
        self._search: dict[str, tuple[str, ...]] = {}  # agency node -> search forms of its names
        self._scope_of: dict[str, str | None] = {}  # collective -> its scope
        self._members: dict[str, set[str]] = {}  # collective -> member agencies
        self._children: dict[str, set[str]] = {}  # agency -> agencies part_of it
        self._refs: dict[str, set[str]] = {}  # person/deadline node -> docs
        self._person_orgs: dict[str, dict[str, tuple[str, str | None]]] = {}
        self._signed: dict[tuple[str, str], set[str]] = {}  # (person, org) -> docs signed for it
        self._by_kind: dict[str | None, set[str]] = {}
        self._scoped: dict[str | None, set[str]] = {}  # scope node -> collectives
        self._status: dict[tuple[str, str], tuple[str, str | None, str | None]] = {}
        self._cite = Citations(self.g)
        self.version = 0
        self.structure = 0  # bumped before and after every document added or removed
        self.task_index = TaskIndex()  # agency -> its assignment rows, kept with the graph
        self._row_cache: dict[tuple, tuple[int, list]] = {}  # see knowledge_graph.tasklists
        self._row_count = 0
        self._open: dict[str, int] = {}  # agency -> open tasks (dropped when it may change)
        self._agency_status: dict[str, dict[str, tuple]] = {}  # agency -> obligation -> _status entry
        self.due_memo: tuple[date | None, dict[str, date | None]] = (None, {})  # today -> obligation -> next due

    # --- building -------------------------------------------------------------------
    @classmethod
    def from_documents(cls, pairs: Iterable[tuple[str, Extraction]]) -> "ArchiveGraph":
        """Build the graph from stored ``(document_id, Extraction)`` pairs (service start).
        The cyclic garbage collector is paused meanwhile: the graph is millions of small
        objects and full collections while it grows would cost more than the build itself."""
        graph = cls()
        was = gc.isenabled()
        gc.disable()
        try:
            for doc_id, extraction in pairs:
                graph.add_document(doc_id, extraction)
        finally:
            if was:
                gc.enable()
            gc.freeze()  # the loaded graph is long-lived: keep it out of later collections
        return graph

    def add_document(self, doc_id: str, extraction: Extraction) -> None:
        """Add (or replace) one document's nodes and edges."""
        if not doc_id:
            raise InvalidRequest("empty document id")
        if doc_id in self.docs:
            self.remove_document(doc_id)
        self.structure += 1
        g, h = self.g, extraction.document
        rec = DocumentRecord(extraction=extraction)
        self.docs[doc_id] = rec
        cite_key = self._cite.key_of_document(h)
        g.add_node(doc_id, **_clean(dict(type="document", ingested=True, number=h.number, doc_type=h.type,
                                         date=h.date, issuer=h.issuer, subject=h.subject, signer=h.signer,
                                         locality=h.locality, file=extraction.file, cite_key=cite_key)))
        issuer = rs.issuer_facts(h)
        if issuer is not None:
            self._contribute(rec, doc_id, issuer)
            g.add_edge(doc_id, issuer.node_id, key="issued_by", **_prov(doc_id, h.spans.get("issuer")))
        if h.signer:
            pid = "person:" + slug(h.signer)
            self._share(rec, doc_id, pid, type="person", name=h.signer)
            g.add_edge(doc_id, pid, key="signed_by", **_clean(dict(
                title=h.signer_title, form=h.signing_form, **_prov(doc_id, h.spans.get("signer")))))
            if issuer is not None:
                self._person_orgs.setdefault(pid, {})[doc_id] = (issuer.node_id, h.signer_title)
                self._signed.setdefault((pid, issuer.node_id), set()).add(doc_id)
                rec.persons.add(pid)
        not_before = _iso(h.date)
        shown = (doc_id, h.number, h.type, h.date, h.issuer)
        for seq, ob in enumerate(extraction.obligations):
            self._add_obligation(rec, doc_id, seq, ob, not_before, shown)
        self.task_index.add_obligations(self, rec.obligations)
        self._cite.add(doc_id, extraction, cite_key, rec.obligations)
        for nid in rec.agencies:  # this document's facts about each agency are complete: a
            src = self._asrc[nid]  # tuple holds them in half the memory of a list
            src[doc_id] = tuple(src[doc_id])
        self._refresh_agencies(rec.agencies)
        for pid in rec.persons:
            self._refresh_person(pid, self._person_orgs[pid][doc_id][0])
        self._invalidate(rec)
        rec.seal()
        self.structure += 1
        self.version += 1

    def _add_obligation(self, rec: DocumentRecord, doc_id: str, seq: int, ob: Obligation,
                        not_before: date | None, shown: tuple) -> None:
        g, h = self.g, rec.extraction.document
        nid = obligation_node(doc_id, ob.id)
        rec.obligations.append(nid)
        span = ob.span
        g.add_node(nid, **_clean(dict(type="obligation", doc=doc_id, oid=ob.id, seq=seq, section=ob.section,
                                      text=ob.text, modality=ob.modality, heading=ob.heading,
                                      lead_source=ob.lead_source, start=span and span.start,
                                      end=span and span.end, page=span and span.page)))
        g.add_edge(doc_id, nid, key="contains", doc=doc_id, seq=seq)
        for role in ROLES:
            for agency in getattr(ob, role):
                f = rs.facts_of(agency, h)
                self._contribute(rec, doc_id, f)
                g.add_edge(nid, f.node_id, key=_ROLE_KEY[role], **_clean(dict(
                    rel="assigned_to", role=role, name=agency.name, **_prov(doc_id, agency.span))))
        fixed = []
        for i, d in enumerate(ob.deadlines):
            if d.kind == "recurring":
                did = "due:rrule:" + (d.rrule or f"FREQ={d.freq};DAY={d.day};MONTH={d.month}")
            elif d.date:
                did = "due:" + d.date
            else:
                did = f"due:{nid[4:]}#{i}"
            self._share(rec, doc_id, did, **_clean(dict(type="deadline", kind=d.kind, date=d.date, freq=d.freq,
                                                         day=d.day, month=d.month, rrule=d.rrule)))
            g.add_edge(nid, did, key="due", **_clean(dict(text=d.text, **_prov(doc_id, d.span))))
            if fixed_date(d):
                fixed.append(fixed_date(d))
        oid = nid[4:]
        self.obligations[oid] = ObligationRecord(
            doc_id=doc_id, seq=seq, obligation=ob, fixed=tuple(sorted(fixed)),
            recurring=tuple(d for d in ob.deadlines if d.kind == "recurring"), not_before=not_before,
            oid=oid, document_fields=shown, section=ob.section, text=ob.text, deadlines=ob.deadlines,
            span=ob.span)

    def remove_document(self, doc_id: str) -> None:
        """Remove one document's nodes and edges (and shared nodes no other document needs)."""
        rec = self.docs.pop(doc_id, None)
        if rec is None:
            raise NotFound(f"document {doc_id} is not in the graph", document_id=doc_id)
        self.structure += 1
        g = self.g
        self._invalidate(rec)
        self.task_index.remove_obligations(self, rec.obligations)
        memo = self.due_memo[1]
        for nid in rec.obligations:
            memo.pop(nid[4:], None)  # an obligation's next due depends on its record alone
            self.obligations.pop(nid[4:], None)
            if nid in g:
                g.remove_node(nid)
        if doc_id in g:
            g.remove_node(doc_id)
        for sid in rec.shared:
            docs = self._refs.get(sid)
            if docs is not None:
                docs.discard(doc_id)
                if not docs:
                    del self._refs[sid]
                    if sid in g:
                        g.remove_node(sid)
        for nid in rec.agencies:
            src = self._asrc.get(nid)
            cnt = self._acnt.get(nid)
            for f in (src.pop(doc_id, ()) if src is not None else ()):
                cnt[f] -= 1
                if cnt[f] <= 0:
                    del cnt[f]
        signed = []
        for pid in rec.persons:
            entry = self._person_orgs.get(pid, {}).pop(doc_id, None)
            if entry is not None:
                signed.append((pid, entry[0]))
                docs = self._signed.get((pid, entry[0]))
                if docs is not None:
                    docs.discard(doc_id)
                    if not docs:
                        del self._signed[(pid, entry[0])]
        self._cite.remove(doc_id)
        self._refresh_agencies(rec.agencies)
        for pid, org in signed:
            self._refresh_person(pid, org)
        self.structure += 1
        self.version += 1

    def _share(self, rec: DocumentRecord, doc_id: str, nid: str, **attrs) -> None:
        if nid not in self.g:
            self.g.add_node(nid, **attrs)
        self._refs.setdefault(nid, set()).add(doc_id)
        rec.shared.add(nid)

    def _contribute(self, rec: DocumentRecord, doc_id: str, f: rs.Facts) -> None:
        for x in (f, *rs.implied(f)):
            self._asrc.setdefault(x.node_id, {}).setdefault(doc_id, []).append(x)
            cnt = self._acnt.get(x.node_id)
            if cnt is None:
                cnt = self._acnt[x.node_id] = Counter()
            cnt[x] += 1
            rec.agencies.add(x.node_id)

    def _refresh_person(self, pid: str, org: str) -> None:
        """The person's ``member_of`` edge to ``org``: from the first document (by id) they
        signed for it, with the title that document gives; none when no document is left.
        One (person, org) at a time: a prolific signer costs no more than anyone else."""
        g = self.g
        if pid not in g:
            if not self._person_orgs.get(pid, True):
                self._person_orgs.pop(pid, None)
            return
        docs = self._signed.get((pid, org))
        has = g.has_edge(pid, org, "member_of")
        if not docs or org not in g:
            if has:
                g.remove_edge(pid, org, key="member_of")
            return
        doc = min(docs)
        attrs = _clean(dict(title=self._person_orgs[pid][doc][1], doc=doc))
        if has:
            current = g._succ[pid][org]["member_of"]
            if current != attrs:
                current.clear()
                current.update(attrs)
        else:
            g.add_edge(pid, org, key="member_of", **attrs)

    # --- tasks and status -------------------------------------------------------------------
    def set_status(self, obligation_id: str, agency_id: str, status: TaskStatus, *,
                   by: str | None = None, at: str | None = None) -> None:
        """Record a task's status (the database is the source of truth; services pushes it)."""
        if status not in ("open", "in_progress", "done"):
            raise InvalidRequest(f"unknown status {status!r}")
        mine = self._agency_status.setdefault(agency_id, {})
        if status == "open" and by is None and at is None:
            self._status.pop((obligation_id, agency_id), None)
            mine.pop(obligation_id, None)
        else:
            self._status[(obligation_id, agency_id)] = mine[obligation_id] = (status, by, at)
        self._open.pop(agency_id, None)
        self.version += 1

    def status_of(self, obligation_id: str, agency_id: str) -> tuple[str, str | None, str | None]:
        return self._status.get((obligation_id, agency_id), ("open", None, None))

    def open_count(self, agency_id: str) -> int:
        """Open tasks on the agency's list (group tasks included); cached until they may change."""
        n = self._open.get(agency_id)
        if n is None:
            from .tasklists import count_open
            n = self._open[agency_id] = count_open(self, agency_id)
        return n

    def agency_tasks(self, agency_id: str, *, include_groups: bool = True, today: date | None = None,
                     role: str | None = None, status: TaskStatus | None = None,
                     due_from: date | None = None, due_to: date | None = None, issuer: str | None = None,
                     limit: int | None = None, offset: int = 0) -> list[Task]:
        """The agency's task list (all statuses unless ``status`` is given); see
        :func:`knowledge_graph.queries.agency_tasks` for the filters."""
        from .queries import agency_tasks
        return agency_tasks(self, agency_id, include_groups=include_groups, today=today, role=role,
                            status=status, due_from=due_from, due_to=due_to, issuer=issuer,
                            limit=limit, offset=offset)
