"""The knowledge graph: documents, obligations, agencies resolved across documents, deadlines
and citations, in memory over the shared model (see docs/architecture.md)."""
from .export import neighbourhood, tasks_csv, tasks_ics, to_graphml, to_node_link
from .graph import ArchiveGraph
from .queries import (agencies_by_workload, agency_tasks, deadlines_between, documents_by_issuer,
                      documents_citing, obligations_citing, overdue, replacements, upcoming)
from .results import DocumentRef, Replacement

__all__ = [
    "ArchiveGraph", "DocumentRef", "Replacement",
    "agency_tasks", "upcoming", "overdue", "deadlines_between", "obligations_citing", "documents_citing",
    "replacements", "documents_by_issuer", "agencies_by_workload",
    "to_graphml", "to_node_link", "tasks_csv", "tasks_ics", "neighbourhood",
]
