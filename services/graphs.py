"""The in-memory knowledge graph kept in step with the database (the source of truth).

Every change the graph must see bumps the ``graph_rev`` counter in the same transaction. The
holder remembers the revision its graph reflects: its own changes are applied incrementally;
a revision it did not make (another process, a missed update) makes it rebuild from the rows.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chithi.models import Extraction
from services.tables import Document, Meta, TaskStatusRow

if TYPE_CHECKING:
    from knowledge_graph import ArchiveGraph
    from sqlalchemy.orm import sessionmaker

REV_KEY = "graph_rev"
log = logging.getLogger(__name__)


def bump_rev(session: Session) -> int:
    """Add one to ``graph_rev`` inside the caller's transaction; returns the new value."""
    session.execute(update(Meta).where(Meta.key == REV_KEY).values(value=Meta.value + 1))
    return session.scalar(select(Meta.value).where(Meta.key == REV_KEY)) or 0


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

    def get(self) -> "ArchiveGraph":
        with self._lock:
            with self._sessions() as session:
                rev = read_rev(session)
            if self._graph is None or self._rev != rev:
                self.rebuild()
            assert self._graph is not None
            return self._graph

    def rebuild(self) -> None:
        from knowledge_graph import ArchiveGraph

        with self._lock:
            graph = ArchiveGraph()
            with self._sessions() as session:
                rev = read_rev(session)  # read first: a later change only makes us rebuild again
                # every document with results: a failed re-run keeps its last good ones
                rows = session.execute(select(Document.id, Document.extraction)
                                       .order_by(Document.created_at, Document.id))
                for doc_id, data in rows:
                    if not data:
                        continue
                    try:
                        graph.add_document(doc_id, Extraction.model_validate(data))
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
            if self._rev != rev - 1:  # someone else changed the archive meanwhile
                self._graph, self._rev = None, None
                return
            try:
                change(self._graph)
            except Exception:  # noqa: BLE001 - the rows are committed: rebuild from them
                log.exception("graph update failed; rebuilding from the database on next use")
                self._graph, self._rev = None, None
                return
            self._rev = rev
