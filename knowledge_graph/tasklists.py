"""Agency task lists at archive scale: sorted rows from the task index, cheap ``Task`` objects.

An agency's list is its direct assignments plus those of every collective it is a member of
(a direct one winning; through several collectives, the smallest addressee name). Nothing
here walks the graph: :mod:`.taskindex`, kept up to date on ingest, holds every agency's
rows, most of them complete and sorted (their due date does not depend on the day); only
the rows of recurring or several-date deadlines are made for the day asked for (one memo of
next due dates per day, shared by every list), and the parts are merged, not re-sorted.
The sorted rows (without status, which changes often) are cached per ``(agency,
include_groups, today)`` and each collective's per ``(collective, today)``, as tuples of the
index's own rows. Every entry remembers :attr:`ArchiveGraph.structure` read before it was
computed and counts only while that is unchanged (every document added or removed bumps it,
before and after the change), so a query never sees a list from before a change, whichever
thread computed it. Statuses are read on every query; open-task counts keep their own cache
(dropped per agency on each status change).

A row is ``(no due date, next due or date.min, document id, seq, role order, obligation id,
role, via_group, next due)``: the first five fields are unique per (obligation, role), so
plain tuple order is the list order. Rows hold strings, dates and numbers only, so the
garbage collector stops tracking them: millions of cached rows cost full collections nothing.
A page builds only its own Tasks, from fields the obligation's record keeps in one place.
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING

from chithi.models import Task

from .recurrence import next_occurrence
from .taskindex import ROLE_ORDER

if TYPE_CHECKING:
    from .graph import ArchiveGraph, ObligationRecord

MAX_CACHED_ROWS = 2_000_000  # list slots; the rows themselves are mostly the task index's
_MIN = date.min
_UNDATED = (True,)  # sorts after every row with a due date, before every row without
_new, _set = Task.__new__, object.__setattr__


def _get(graph: "ArchiveGraph", key: tuple):
    hit = graph._row_cache.get(key)
    if hit is not None and hit[0] == graph.structure:
        return hit[1]
    return None


def _put(graph: "ArchiveGraph", key: tuple, stamp: int, rows):
    """Cache ``rows`` (a list is kept as a tuple: immutable, and once the collector has seen
    it holds only untracked rows, untracked itself: big caches cost full collections nothing)."""
    if isinstance(rows, list):
        rows = tuple(rows)
    cache = graph._row_cache
    if cache and (graph._row_count + len(rows) > MAX_CACHED_ROWS
                  or next(iter(cache.values()))[0] != graph.structure):  # full, or stale
        cache.clear()
        graph._row_count = 0
    cache[key] = (stamp, rows)
    graph._row_count += len(rows)
    return rows


def _due(graph: "ArchiveGraph", today: date | None) -> dict:
    """obligation id -> next due date relative to ``today`` (one day's memo at a time)."""
    memo_today, memo = graph.due_memo
    if memo_today != today:
        memo = {}
        graph.due_memo = (today, memo)
    return memo


def next_due_of(rec: "ObligationRecord", today: date | None) -> date | None:
    """:func:`recurrence.next_due` of the obligation, from what its record keeps: its fixed
    dates (sorted) and recurring deadlines, without reading every deadline again."""
    fixed = rec.fixed
    if today is None:
        return fixed[0] if fixed else None
    best = None
    if fixed and fixed[-1] >= today:
        best = fixed[bisect_left(fixed, today)]
    if rec.recurring:
        nb = rec.not_before
        start = max(today, nb) if nb else today
        for d in rec.recurring:
            n = next_occurrence(d, start)
            if n and (best is None or n < best):
                best = n
    if best is None and fixed:
        return fixed[-1]  # every fixed date has passed: overdue since the last one
    return best


def _dated_rows(graph: "ArchiveGraph", entries: list, today: date | None) -> list[tuple]:
    """Rows for the index's ``dated`` entries of one node, for ``today``, sorted: grouped by
    due date (the entries come in the order of the rows' other keys): no row comparisons."""
    memo = _due(graph, today)
    obligations, by_day, undated = graph.obligations, {}, []
    for doc_id, seq, order, oid, role, via in entries:
        nd = memo.get(oid, memo)
        if nd is memo:
            nd = memo[oid] = next_due_of(obligations[oid], today)
        if nd is None:
            undated.append((True, _MIN, doc_id, seq, order, oid, role, via, None))
            continue
        row = (False, nd, doc_id, seq, order, oid, role, via, nd)
        same = by_day.get(nd)
        if same is None:
            by_day[nd] = [row]
        else:
            same.append(row)
    out = []
    for day in sorted(by_day):
        out += by_day[day]
    return out + undated


def _merge(a, b) -> list:
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return list(a)
    if len(b) * len(a).bit_length() > len(a):  # bisection would compare more: one merge pass
        out = [*a, *b]
        out.sort()
        return out
    out, lo = [], 0  # the few rows find their place in the long run by bisection: the
    for r in b:      # stretches in between are copied, not compared
        i = bisect_left(a, r, lo)
        if i > lo:
            out += a[lo:i]
        out.append(r)
        lo = i
    out += a[lo:]
    return out


def merge(a, b) -> list:
    """Two sorted sequences of rows (no row in both) as one sorted list. Rows with a due date
    come before those without: each part is merged on its own (often one side is empty)."""
    if not a or not b:
        return list(a or b)
    i, j = bisect_left(a, _UNDATED), bisect_left(b, _UNDATED)
    return _merge(a[:i], b[:j]) + _merge(a[i:], b[j:])


def _node_rows(graph: "ArchiveGraph", node: str, today: date | None, via: str | None) -> list:
    """A node's own rows (from the task index) in list order, ``via`` set to None
    (``via=None``: the node's own list) or to the name as written, ``via`` where none was."""
    index = graph.task_index
    static = index.static.get(node, ())
    entries = index.dated.get(node)
    rows = merge(static, _dated_rows(graph, entries, today)) if entries else list(static)
    if via is None:
        return [r if r[7] is None else (*r[:7], None, r[8]) for r in rows]
    if index.nameless.get(node):
        return [r if r[7] is not None else (*r[:7], via, r[8]) for r in rows]
    return rows


def _collective_rows(graph: "ArchiveGraph", c: str, today: date | None) -> tuple:
    """Rows of the tasks sent to collective ``c`` (via: the name the document used), sorted."""
    key = ("c", c, today)
    rows = _get(graph, key)
    if rows is not None:
        return rows
    stamp = graph.structure
    return _put(graph, key, stamp, _node_rows(graph, c, today, graph.g._node[c]["name"]))


def sorted_rows(graph: "ArchiveGraph", agency_id: str, *, include_groups: bool,
                today: date | None) -> tuple[tuple, ...]:
    """The agency's task rows in list order (see the module doc); the caller checks the id.
    The tuple is shared with the cache."""
    key = ("a", agency_id, include_groups, today)
    rows = _get(graph, key)
    if rows is not None:
        return rows
    stamp = graph.structure
    g = graph.g
    direct = _node_rows(graph, agency_id, today, None)
    groups = [] if not include_groups else [
        (c, _collective_rows(graph, c, today)) for c, keys in g._succ[agency_id].items()
        if "member_of" in keys and g._node[c].get("type") == "agency"]
    if not groups:
        return _put(graph, key, stamp, direct)
    if len(groups) == 1:  # the common case: which of the agency's own few tasks the group
        c, rows = groups[0]  # has too (the graph knows), instead of a look at each group row
        succ = g._succ
        dup = {(r[5], r[6]) for r in direct if "assigned_to:" + r[6] in succ["obl:" + r[5]].get(c, ())}
        merged = [r for r in rows if (r[5], r[6]) not in dup] if dup else rows
    else:
        mine = {(r[5], r[6]) for r in direct}
        merged = []
        last = None
        for r in sorted(r for _, rows in groups for r in rows):  # equal (obligation, role):
            if r[2:5] == last:                                   # adjacent, the smallest via
                continue                                         # name first
            last = r[2:5]
            if (r[5], r[6]) not in mine:
                merged.append(r)
    return _put(graph, key, stamp, merge(merged, direct) if direct else merged)


class _AllFields(set):
    """The ``model_fields_set`` the cheap Tasks share: every field of Task, as validation
    leaves it for a Task made with all its fields. Read-only: adding a field it has (what
    pydantic does on assignment) is fine, anything else raises; copies (``model_copy``,
    ``copy``, pickling) are plain sets. One set instead of one per Task: a long list is
    quicker to make, collect and free."""
    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("the fields set of a task from the graph is shared: copy it to change it")

    def add(self, name) -> None:
        if name not in self:
            self._read_only()

    discard = remove = pop = clear = update = _read_only
    difference_update = intersection_update = symmetric_difference_update = _read_only
    __ior__ = __iand__ = __isub__ = __ixor__ = _read_only

    def __copy__(self) -> set:
        return set(self)

    def __reduce__(self):
        return set, (list(self),)


ALL_FIELDS = _AllFields(Task.model_fields)
_ORDER = ("obligation_id", "document_id", "document_number", "document_type", "document_date", "issuer",
          "agency_id", "agency_name", "role", "via_group", "section", "text", "deadlines", "next_due",
          "status", "status_by", "status_at", "span")
_FAST = _ORDER == tuple(Task.model_fields)  # else Task changed: validate (slow, still right)
_OPEN = ("open", None, None)


def tasks(graph: "ArchiveGraph", agency_id: str, agency_name: str, rows, statuses=None) -> list[Task]:
    """The Tasks for ``rows`` (``statuses``: one ``(status, by, at)`` per row; None: all
    open), built without re-validating what the graph already validated: the objects
    ``Task(**fields)`` makes (fields in declaration order, all set), at a fraction of the
    cost."""
    obligations, iso, out = graph.obligations, {}, []
    append, new, setattr_, every, fast = out.append, _new, _set, ALL_FIELDS, _FAST
    for r, st in zip(rows, repeat(_OPEN) if statuses is None else statuses):
        oid = r[5]
        rec = obligations[oid]
        doc_id, number, doc_type, doc_date, issuer = rec.document_fields
        when = r[8]
        if when is None:
            nd = None
        else:
            nd = iso.get(when)
            if nd is None:
                nd = iso[when] = when.isoformat()
        fields = {
            "obligation_id": oid, "document_id": doc_id, "document_number": number,
            "document_type": doc_type, "document_date": doc_date, "issuer": issuer,
            "agency_id": agency_id, "agency_name": agency_name, "role": r[6], "via_group": r[7],
            "section": rec.section, "text": rec.text, "deadlines": list(rec.deadlines), "next_due": nd,
            "status": st[0], "status_by": st[1], "status_at": st[2], "span": rec.span}
        if not fast:
            append(Task(**fields))
            continue
        t = new(Task)
        setattr_(t, "__dict__", fields)
        setattr_(t, "__pydantic_fields_set__", every)
        setattr_(t, "__pydantic_extra__", None)
        setattr_(t, "__pydantic_private__", None)
        append(t)
    return out


def task(graph: "ArchiveGraph", agency_id: str, agency_name: str, oid: str, role: str,
         via: str | None, st: tuple, when: date | None) -> Task:
    """The Task for one (obligation, role) of the agency's list (see :func:`tasks`)."""
    row = (when is None, when or _MIN, None, None, None, oid, role, via, when)
    return tasks(graph, agency_id, agency_name, (row,), (st,))[0]


def _collective_pairs(graph: "ArchiveGraph", c: str) -> frozenset:
    key = ("p", c)
    pairs = _get(graph, key)
    if pairs is None:
        stamp = graph.structure
        pairs = _put(graph, key, stamp, frozenset(
            (obl[4:], k[12:]) for obl, keys in graph.g._pred[c].items() for k in keys
            if k.startswith("assigned_to:")))
    return pairs


def count_open(graph: "ArchiveGraph", agency_id: str) -> int:
    """How many rows of the agency's list (groups included) have status "open": set sizes
    instead of building the rows."""
    from .queries import _agency

    _agency(graph, agency_id)
    g = graph.g
    direct = {(obl[4:], k[12:]) for obl, keys in g._pred[agency_id].items() for k in keys
              if k.startswith("assigned_to:")}
    groups = [_collective_pairs(graph, c) for c, keys in g._succ[agency_id].items()
              if "member_of" in keys and g._node[c].get("type") == "agency"]
    if not groups:
        union = direct
    elif len(groups) == 1 and not direct:
        union = groups[0]
    else:
        union = direct.union(*groups)
    n = len(union)
    for oid, st in graph._agency_status.get(agency_id, {}).items():
        if st[0] != "open":
            n -= sum((oid, role) in union for role in ROLE_ORDER)
    return n
