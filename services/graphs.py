"""The in-memory knowledge graph kept in step with the database (the source of truth).

Every change the graph must see bumps the ``graph_rev`` counter in the same transaction and
records what it changed in ``graph_changes``. The holder remembers the revision its graph
reflects and checks the counter on every use (one indexed read): its own changes are applied
in place; revisions made by other processes (API servers, Celery workers) are caught up in
place from ``graph_changes`` (the documents and statuses they name, read as they are now); a
gap, an unknown change or a long backlog makes it rebuild from the rows.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Text, cast, delete, select, update
from sqlalchemy.orm import Session

from chithi.gcutil import paused_gc as _paused_gc
from chithi.models import Extraction
from services.tables import Document, GraphChange, Meta, TaskStatusRow

if TYPE_CHECKING:
    from knowledge_graph import ArchiveGraph
    from sqlalchemy.orm import sessionmaker

REV_KEY = "graph_rev"
log = logging.getLogger(__name__)


def paused_gc():
    """The graph build: no cyclic collection meanwhile, and its objects frozen after."""
    return _paused_gc(freeze=True)


KEEP_CHANGES = 5000  # revisions of history kept; a process further behind rebuilds
CATCH_UP_MAX = 300  # more changed documents than this at once: rebuilding is as quick


def bump_rev(session: Session, *, document_id: str | None = None,
             obligation_id: str | None = None, agency_id: str | None = None) -> int:
    """Add one to ``graph_rev`` inside the caller's transaction and record what changed (a
    document, or one task status: ``obligation_id`` and ``agency_id``; nothing: other
    processes rebuild); returns the new value. The counter's row lock orders writers."""
    session.execute(update(Meta).where(Meta.key == REV_KEY).values(value=Meta.value + 1))
    rev = session.scalar(select(Meta.value).where(Meta.key == REV_KEY)) or 0
    status = obligation_id is not None and agency_id is not None
    session.add(GraphChange(rev=rev, document_id=document_id,
                            obligation_id=obligation_id if status else None,
                            agency_id=agency_id if status else None))
    if rev % 500 == 0:
        session.execute(delete(GraphChange).where(GraphChange.rev <= rev - KEEP_CHANGES))
    return rev


def read_rev(session: Session) -> int:
    return session.scalar(select(Meta.value).where(Meta.key == REV_KEY)) or 0


class GraphHolder:
    def __init__(self, sessions: "sessionmaker[Session]") -> None:
        self._sessions = sessions
        self._graph: ArchiveGraph | None = None
        self._rev: int | None = None
        self._lock = threading.RLock()

    @property
    def built(self) -> bool:
        return self._graph is not None

    @property
    def rev(self) -> int | None:
        return self._rev

    def get(self) -> "ArchiveGraph":
        with self._lock:
            with self._sessions() as session:
                rev = read_rev(session)
                if self._graph is not None and self._rev is not None and rev > self._rev:
                    try:
                        caught_up = self._catch_up(session, rev)
                    except Exception:  # noqa: BLE001 - the rows are the truth: rebuild
                        log.exception("graph catch-up failed; rebuilding")
                        caught_up = False
                    if not caught_up:
                        self._graph, self._rev = None, None
            if self._graph is None or self._rev != rev:
                self.rebuild()
            assert self._graph is not None
            return self._graph

    def _catch_up(self, session: Session, rev: int) -> bool:
        """Apply revisions ``self._rev+1 .. rev`` made elsewhere; False: rebuild instead."""
        assert self._graph is not None and self._rev is not None
        changes = session.scalars(select(GraphChange).where(
            GraphChange.rev > self._rev, GraphChange.rev <= rev).order_by(GraphChange.rev)).all()
        if len(changes) != rev - self._rev:  # pruned, or not there: rebuild
            return False
        docs = list(dict.fromkeys(c.document_id for c in changes
                                  if c.document_id and c.obligation_id is None))
        statuses = list(dict.fromkeys((c.obligation_id, c.agency_id) for c in changes
                                      if c.obligation_id is not None))
        if any(c.document_id is None and c.obligation_id is None for c in changes) \
                or len(docs) > CATCH_UP_MAX:
            return False
        graph = self._graph
        self._graph = None  # half-applied if anything below raises: rebuilt on next use
        if docs:
            rows = dict(session.execute(select(Document.id, Document.extraction)
                                        .where(Document.id.in_(docs))).all())
            for doc_id in docs:
                data = rows.get(doc_id)
                if data:
                    graph.add_document(doc_id, Extraction.model_validate(data))
                elif doc_id in graph.docs:
                    graph.remove_document(doc_id)
            statuses += [(r.obligation_id, r.agency_id) for r in session.scalars(
                select(TaskStatusRow).where(TaskStatusRow.document_id.in_(docs)))]
        for obligation_id, agency_id in dict.fromkeys(statuses):
            row = session.get(TaskStatusRow, (obligation_id, agency_id))
            if row is None:
                return False
            graph.set_status(row.obligation_id, row.agency_id, row.status, by=row.by,
                             at=row.at.isoformat(timespec="seconds"))
        self._graph, self._rev = graph, rev
        return True

    def rebuild(self) -> None:
        from knowledge_graph import ArchiveGraph

        with self._lock, paused_gc():
            graph = ArchiveGraph()
            with self._sessions() as session:
                rev = read_rev(session)  # read first: a later change only makes us rebuild again
                # every document with results: a failed re-run keeps its last good ones. The
                # JSON as text, parsed by pydantic directly (no dicts in between), in batches
                rows = session.execute(select(Document.id, cast(Document.extraction, Text))
                                       .where(Document.extraction.is_not(None))
                                       .order_by(Document.created_at, Document.id)
                                       .execution_options(yield_per=500))
                for doc_id, data in rows:
                    if not data or data == "null":
                        continue
                    try:
                        graph.add_document(doc_id, Extraction.model_validate_json(data))
                    except Exception:  # noqa: BLE001 - one bad document never hides the rest
                        log.exception("document %s left out of the graph", doc_id)
                for row in session.scalars(select(TaskStatusRow)):
                    graph.set_status(row.obligation_id, row.agency_id, row.status, by=row.by,
                                     at=row.at.isoformat(timespec="seconds"))
            self._graph, self._rev = graph, rev

    def changed(self, doc_id: str, extraction: Extraction | None, *, rev: int) -> None:
        """Apply a document change this process committed as revision ``rev``."""
        def apply(graph: "ArchiveGraph") -> None:
            if extraction is not None:
                graph.add_document(doc_id, extraction)  # replaces an earlier version
            elif doc_id in getattr(graph, "docs", {doc_id: None}):
                graph.remove_document(doc_id)
        self.apply(apply, rev=rev)

    def apply(self, change: Callable[["ArchiveGraph"], None], *, rev: int) -> None:
        """Run ``change`` on the graph for revision ``rev`` committed by this process; if the
        graph missed a revision in between it is dropped and rebuilt on next use."""
        with self._lock:
            if self._graph is None or (self._rev is not None and self._rev >= rev):
                return
            if self._rev != rev - 1:  # others changed the archive meanwhile: get() catches
                return                 # up from graph_changes, this change included
            try:
                change(self._graph)
            except Exception:  # noqa: BLE001 - the rows are committed: rebuild from them
                log.exception("graph update failed; rebuilding from the database on next use")
                self._graph, self._rev = None, None
                return
            self._rev = rev
