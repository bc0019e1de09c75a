"""The task index: every agency's assignments as task-list rows, kept up to date on ingest.

For each agency node (collectives included) the tasks its ``assigned_to`` edges give it,
updated with the graph whenever a document is added, removed or replaced (a correction is
a replacement), so a task-list query never walks the graph:

- ``static``: the complete rows of the tasks whose next due date does not depend on the day
  asked for (no fixed or recurring date, or a single fixed date: :func:`recurrence.next_due`
  gives that date or None whatever ``today`` is), kept sorted;
- ``dated``: ``(document id, seq, role order, obligation id, role, via)`` of the others
  (recurring deadlines, several fixed dates), kept sorted, whose rows :mod:`.tasklists`
  makes for the day asked for (rows due the same day keep this order: no sort needed);
- ``nameless``: how many of a node's rows have no name as written (for those a member's
  ``via_group`` is the collective's own name, read at query time).

A row is the one :mod:`.tasklists` sorts: ``(no due date, next due or date.min, document id,
seq, role order, obligation id, role, via, next due)``, with ``via`` the name the document
used for the agency (None when it gave none): what a member of a collective shows as
``via_group``. The first five fields are unique per (obligation, role), so tuple order never
reaches ``via``. Rows hold only strings, numbers, dates and None (untracked by the garbage
collector) and are shared with the task-list cache.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from datetime import date
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from .graph import ArchiveGraph, ObligationRecord

ROLE_ORDER = {"lead": 0, "support": 1, "report_to": 2}
_ROLE_OF = {"assigned_to:" + r: r for r in ROLE_ORDER}  # edge key -> role (one string each)
_MIN = date.min


def static_due(rec: "ObligationRecord") -> tuple[bool, date | None]:
    """(whether the obligation's next due date is the same for every day, that date)."""
    fixed = rec.fixed
    if rec.recurring or (fixed and fixed[0] != fixed[-1]):
        return False, None
    return True, fixed[0] if fixed else None


def _assignments(graph: "ArchiveGraph", nid: str) -> Iterator[tuple[str, str, str | None]]:
    """(agency node, role, name as written) of an obligation node's ``assigned_to`` edges."""
    for node, keys in graph.g._succ[nid].items():
        for k, attrs in keys.items():
            role = _ROLE_OF.get(k)
            if role is not None:
                yield node, role, attrs.get("name") or None


def _insert(lists: dict[str, list], node: str, item: tuple) -> None:
    items = lists.get(node)
    if items is None:
        lists[node] = [item]
    elif items[-1] < item:  # documents mostly come in order: append
        items.append(item)
    else:
        insort(items, item)


def _delete(lists: dict[str, list], node: str, prefix: tuple, at: int, oid: str, role: str) -> None:
    items = lists[node]
    i = bisect_left(items, prefix)
    if i == len(items) or items[i][at] != oid or items[i][at + 1] != role:
        raise RuntimeError(f"task index out of step with the graph at {node} {oid} {role}")
    del items[i]
    if not items:
        del lists[node]


class TaskIndex:
    """agency node -> its assignment rows (see the module doc)."""

    __slots__ = ("static", "dated", "nameless")

    def __init__(self) -> None:
        self.static: dict[str, list[tuple]] = {}  # node -> rows, sorted
        # node -> (document id, seq, role order, obligation id, role, via), sorted: the order
        # of rows with equal next due dates
        self.dated: dict[str, list[tuple]] = {}
        self.nameless: dict[str, int] = {}  # node -> rows with no name as written

    def add_obligations(self, graph: "ArchiveGraph", nids: list[str]) -> None:
        """Index the assignments of obligation nodes just added (after all of a document's)."""
        for nid in dict.fromkeys(nids):
            rec = graph.obligations[nid[4:]]
            oid, doc_id, seq = rec.oid, rec.doc_id, rec.seq  # the record's strings: rows share them
            fixed, nd = static_due(rec)
            for node, role, via in _assignments(graph, nid):
                if via is None:
                    self.nameless[node] = self.nameless.get(node, 0) + 1
                if fixed:
                    _insert(self.static, node, (nd is None, nd or _MIN, doc_id, seq, ROLE_ORDER[role],
                                                oid, role, via, nd))
                else:
                    _insert(self.dated, node, (doc_id, seq, ROLE_ORDER[role], oid, role, via))

    def remove_obligations(self, graph: "ArchiveGraph", nids: list[str]) -> None:
        """Drop the assignments of obligation nodes about to be removed (still in the graph)."""
        for nid in dict.fromkeys(nids):
            oid = nid[4:]
            rec = graph.obligations.get(oid)
            if rec is None or nid not in graph.g:
                continue
            fixed, nd = static_due(rec)
            for node, role, via in _assignments(graph, nid):
                if via is None:
                    left = self.nameless[node] - 1
                    if left:
                        self.nameless[node] = left
                    else:
                        del self.nameless[node]
                order = ROLE_ORDER[role]
                if fixed:
                    _delete(self.static, node, (nd is None, nd or _MIN, rec.doc_id, rec.seq, order), 5, oid, role)
                else:
                    _delete(self.dated, node, (rec.doc_id, rec.seq, order), 3, oid, role)
