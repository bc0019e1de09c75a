"""The in-memory knowledge graph kept in step with the database (the source of truth).

Every change the graph must see bumps the ``graph_rev`` counter in the same transaction. The
holder remembers the revision its graph reflects: its own changes are applied incrementally;
a revision it did not make (another process, a missed update) makes it rebuild from the rows.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chithi.models import Extraction
from services.tables import Document, Meta

if TYPE_CHECKING:
    from knowledge_graph import ArchiveGraph
    from sqlalchemy.orm import sessionmaker

REV_KEY = "graph_rev"


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
                    if data:
                        graph.add_document(doc_id, Extraction.model_validate(data))
            self._graph, self._rev = graph, rev

    def changed(self, doc_id: str, extraction: Extraction | None, *, rev: int) -> None:
        """Apply a change this process committed as revision ``rev``."""
        with self._lock:
            if self._graph is None or (self._rev is not None and self._rev >= rev):
                return
            if self._rev != rev - 1:  # someone else changed the archive meanwhile
                self._graph, self._rev = None, None
                return
            self._graph.remove_document(doc_id)
            if extraction is not None:
                self._graph.add_document(doc_id, extraction)
            self._rev = rev
