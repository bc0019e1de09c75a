"""Agency task lists at archive scale: sorted rows cached per agency, cheap ``Task`` objects.

An agency's list is its direct assignments plus those of every collective it is a member of
(a direct one winning; through several collectives, the smallest addressee name). Building it
costs one pass over every task on it, so the sorted rows (without status, which changes
often) are kept per ``(agency, include_groups, today)`` and each collective's rows per
``(collective, today)``: an agency in a large collective then costs a copy of the
collective's rows plus its own few. Every entry remembers :attr:`ArchiveGraph.structure`
read before it was computed and counts only while that is unchanged (every document added
or removed bumps it, before and after the change), so a query never sees a list from before
a change, whichever thread computed it. Statuses are read on every query; open-task counts
keep their own cache (dropped per agency on each status change).

A row is ``(no due date, next due or date.min, document id, seq, role order, obligation id,
role, via_group, next due)``: the first five fields are unique per (obligation, role), so
plain tuple order is the list order. Rows hold strings, dates and numbers only, so the
garbage collector stops tracking them: millions of cached rows cost full collections nothing.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from chithi.models import Task

from .recurrence import next_due

if TYPE_CHECKING:
    from .graph import ArchiveGraph

ROLE_ORDER = {"lead": 0, "support": 1, "report_to": 2}
MAX_CACHED_ROWS = 2_000_000  # about 150 MB of shared tuples at most; then the cache restarts
_TASK_FIELDS = frozenset(Task.model_fields)
_new, _set = Task.__new__, object.__setattr__


def _get(graph: "ArchiveGraph", key: tuple):
    hit = graph._row_cache.get(key)
    if hit is not None and hit[0] == graph.structure:
        return hit[1]
    return None


def _put(graph: "ArchiveGraph", key: tuple, stamp: int, rows: list) -> list:
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


def _row(graph: "ArchiveGraph", memo: dict, today: date | None, oid: str, role: str,
         via: str | None) -> tuple:
    rec = graph.obligations[oid]
    nd = memo.get(oid, memo)
    if nd is memo:
        nd = memo[oid] = (next_due(rec.obligation.deadlines, today, not_before=rec.not_before)
                          if rec.obligation.deadlines else None)
    return (nd is None, nd or date.min, rec.doc_id, rec.seq, ROLE_ORDER[role], oid, role, via, nd)


def _collective_rows(graph: "ArchiveGraph", c: str, today: date | None, memo: dict) -> list:
    """Rows of the tasks sent to collective ``c`` (via: the name the document used), sorted."""
    key = ("c", c, today)
    rows = _get(graph, key)
    if rows is not None:
        return rows
    stamp = graph.structure
    g = graph.g
    default = g._node[c]["name"]
    rows = []
    for obl, ekeys in g._pred[c].items():
        for k, attrs in ekeys.items():
            if k.startswith("assigned_to:"):
                rows.append(_row(graph, memo, today, obl[4:], k[12:], attrs.get("name") or default))
    rows.sort()
    return _put(graph, key, stamp, rows)


def sorted_rows(graph: "ArchiveGraph", agency_id: str, *, include_groups: bool,
                today: date | None) -> list[tuple]:
    """The agency's task rows in list order (see the module doc); the caller checks the id.
    The list is shared with the cache: do not change it."""
    key = ("a", agency_id, include_groups, today)
    rows = _get(graph, key)
    if rows is not None:
        return rows
    stamp = graph.structure
    memo = _due(graph, today)
    g = graph.g
    direct = [_row(graph, memo, today, obl[4:], k[12:], None)
              for obl, keys in g._pred[agency_id].items() for k in keys if k.startswith("assigned_to:")]
    groups = [] if not include_groups else [
        _collective_rows(graph, c, today, memo) for c, keys in g._succ[agency_id].items()
        if "member_of" in keys and g._node[c].get("type") == "agency"]
    if not groups:
        direct.sort()
        return _put(graph, key, stamp, direct)
    mine = {(r[5], r[6]) for r in direct}
    if len(groups) == 1:
        merged = [r for r in groups[0] if (r[5], r[6]) not in mine] if mine else list(groups[0])
    else:
        merged = []
        last = None
        for r in sorted(r for rows in groups for r in rows):  # equal (obligation, role): adjacent,
            if r[2:5] == last:                                # the smallest via name first
                continue
            last = r[2:5]
            if (r[5], r[6]) not in mine:
                merged.append(r)
    if direct:
        merged += direct
        merged.sort()
    return _put(graph, key, stamp, merged)


def task(graph: "ArchiveGraph", agency_id: str, agency_name: str, oid: str, role: str,
         via: str | None, st: tuple, when: date | None, rec=None) -> Task:
    """The Task for one row, built without re-validating what the graph already validated:
    the same object ``Task(**fields)`` makes (fields in declaration order, all set), at a
    fraction of the cost."""
    rec = rec or graph.obligations[oid]
    base = rec.task_fields
    if base is None:
        ob, h = rec.obligation, graph.docs[rec.doc_id].extraction.document
        base = rec.task_fields = {k: None for k in Task.model_fields}
        base.update(obligation_id=oid, document_id=rec.doc_id, document_number=h.number,
                    document_type=h.type, document_date=h.date, issuer=h.issuer, section=ob.section,
                    text=ob.text, span=ob.span)
    fields = base.copy()
    fields["agency_id"] = agency_id
    fields["agency_name"] = agency_name
    fields["role"] = role
    fields["via_group"] = via
    fields["deadlines"] = list(rec.obligation.deadlines)
    fields["next_due"] = when.isoformat() if when else None
    fields["status"], fields["status_by"], fields["status_at"] = st
    out = _new(Task)
    _set(out, "__dict__", fields)
    _set(out, "__pydantic_fields_set__", set(_TASK_FIELDS))
    _set(out, "__pydantic_extra__", None)
    _set(out, "__pydantic_private__", None)
    return out


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
