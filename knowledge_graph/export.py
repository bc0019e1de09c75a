"""Exports: GraphML and node-link JSON (whole graph or an agency's neighbourhood), and an
agency's tasks as CSV and as an iCalendar feed a calendar app can subscribe to (all-day
events for fixed dates, RRULEs for recurring deadlines)."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import networkx as nx
from icalendar import Calendar, Event, vRecur

from chithi.models import Task, TaskStatus
from chithi.text import slug, squash

from .queries import _agency, agency_tasks, task_rows
from .recurrence import fixed_date, occurrences, rule_of

if TYPE_CHECKING:
    from .graph import ArchiveGraph


def _scalar(v):
    if isinstance(v, (tuple, list, set, frozenset)):
        return "|".join(str(x) for x in v)
    return v


def _plain(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with scalar attributes only (lists joined by "|", None dropped)."""
    out = nx.MultiDiGraph()
    for n, a in g.nodes(data=True):
        out.add_node(n, **{k: _scalar(v) for k, v in a.items() if v is not None})
    for u, v, k, a in g.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **{kk: _scalar(vv) for kk, vv in a.items() if vv is not None})
    return out


def neighbourhood(graph: "ArchiveGraph", agency_id: str) -> nx.MultiDiGraph:
    """The agency, its parents and collectives, the obligations on its list (with the edges
    that reach it through a collective, marked ``via_group``), their documents and deadlines."""
    _agency(graph, agency_id)
    g = graph.g
    keep = {agency_id, *graph._ancestors(agency_id)}
    keep |= {c for c, keys in g.succ[agency_id].items() if "member_of" in keys}
    derived = []
    for oid, role, via in task_rows(graph, agency_id, include_groups=True):
        obl = "obl:" + oid
        keep |= {obl, graph.obligations[oid].doc_id}
        keep |= {d for d, keys in g.succ[obl].items() if "due" in keys}
        if via is not None:
            derived.append((obl, role, via))
    sub = nx.MultiDiGraph(g.subgraph(keep))
    for obl, role, via in derived:
        sub.add_edge(obl, agency_id, key="assigned_to:" + role, rel="assigned_to", role=role, via_group=via)
    return sub


def _graph(graph: "ArchiveGraph", agency_id: str | None) -> nx.MultiDiGraph:
    return _plain(neighbourhood(graph, agency_id) if agency_id else graph.g)


def to_graphml(graph: "ArchiveGraph", *, agency_id: str | None = None) -> str:
    buf = io.BytesIO()
    nx.write_graphml(_graph(graph, agency_id), buf, encoding="utf-8", named_key_ids=True)
    return buf.getvalue().decode("utf-8")


def to_node_link(graph: "ArchiveGraph", *, agency_id: str | None = None) -> dict:
    return nx.node_link_data(_graph(graph, agency_id), edges="edges")


_CSV_FIELDS = ["obligation_id", "document_id", "document_type", "document_number", "document_date", "issuer",
               "agency_id", "agency_name", "role", "via_group", "section", "next_due", "deadlines", "rrule",
               "status", "text"]


def tasks_csv(graph: "ArchiveGraph", agency_id: str, *, today: date, status: TaskStatus | None = "open",
              include_groups: bool = True) -> str:
    """The agency's tasks as CSV (UTF-8 text, one row per task)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=_CSV_FIELDS, lineterminator="\r\n")
    w.writeheader()
    for t in agency_tasks(graph, agency_id, today=today, status=status, include_groups=include_groups):
        row = {k: getattr(t, k) for k in _CSV_FIELDS if hasattr(t, k) and k != "deadlines"}
        row["deadlines"] = " | ".join(squash(d.text) or (d.date or d.rrule or "") for d in t.deadlines)
        row["rrule"] = " | ".join(rule_of(d) for d in t.deadlines if rule_of(d))
        w.writerow(row)
    return buf.getvalue()


_ROLE_VI = {"lead": "Chủ trì", "support": "Phối hợp", "report_to": "Nhận báo cáo"}


def _summary(t: Task) -> str:
    doc = " ".join(x for x in (t.document_type, t.document_number) if x)
    text = squash(t.text)
    text = text if len(text) <= 90 else text[:87].rstrip() + "…"
    return f"[{_ROLE_VI[t.role]}] " + (f"{doc}: " if doc else "") + text


def tasks_ics(graph: "ArchiveGraph", agency_id: str, *, today: date, status: TaskStatus | None = "open",
              include_groups: bool = True) -> bytes:
    """The agency's tasks as an iCalendar feed: an all-day event per fixed due date and a
    recurring all-day event (RRULE) per recurring deadline. Deterministic for a given ``today``."""
    name = _agency(graph, agency_id)["name"]
    cal = Calendar()
    cal.add("prodid", "-//chithi//task feed//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Nhiệm vụ: {name}")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
    for t in agency_tasks(graph, agency_id, today=today, status=status, include_groups=include_groups):
        rec = graph.obligations[t.obligation_id]
        for i, d in enumerate(t.deadlines):
            ev = Event()
            rule = rule_of(d)
            if rule:
                start = rec.not_before or today
                first = occurrences(d, start, start + timedelta(days=800))
                if not first:
                    continue
                ev.add("dtstart", first[0])
                ev.add("rrule", vRecur.from_ical(rule))
            else:
                f = fixed_date(d)
                if f is None:
                    continue
                ev.add("dtstart", f)
                ev.add("dtend", f + timedelta(days=1))
            ev.add("uid", f"{t.obligation_id}/{t.role}/{i}/{slug(agency_id)}@chithi")
            ev.add("dtstamp", stamp)
            ev.add("summary", _summary(t))
            desc = [squash(t.text)]
            if d.text:
                desc.append(f"Thời hạn: {squash(d.text)}")
            if t.via_group:
                desc.append(f"Giao qua: {t.via_group}")
            if t.issuer:
                desc.append(f"Cơ quan ban hành: {t.issuer}")
            ev.add("description", "\n".join(desc))
            ev.add("categories", [_ROLE_VI[t.role]])
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
    return cal.to_ical()
