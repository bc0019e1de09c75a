"""An agency's task list as CSV and as an iCalendar feed (RRULEs for recurring deadlines)."""
from __future__ import annotations

import csv
import io
from datetime import date

from chithi.models import AgencyTasks, Task
from chithi.text import squash


def _due_label(task: Task) -> list[str]:
    out = []
    for d in task.deadlines:
        if d.kind == "date" and d.date:
            out.append(d.date)
        elif d.kind == "recurring" and d.rrule:
            out.append(d.rrule)
        elif d.text:
            out.append(d.text)
    return out


def tasks_csv(lists: AgencyTasks) -> str:
    """One row per task (UTF-8 with a BOM so spreadsheet programs read the accents)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["agency_id", "agency", "obligation_id", "role", "via_group", "status",
                     "next_due", "deadlines", "document_id", "document_type", "document_number",
                     "document_date", "issuer", "section", "task"])
    for t in lists.tasks:
        writer.writerow([t.agency_id, t.agency_name, t.obligation_id, t.role, t.via_group or "",
                         t.status, t.next_due or "", "; ".join(_due_label(t)), t.document_id,
                         t.document_type or "", t.document_number or "", t.document_date or "",
                         t.issuer or "", t.section or "", t.text])
    return "\ufeff" + buf.getvalue()


def _task_due(task: Task, today: date) -> tuple[date | None, str | None]:
    """(the date a calendar shows, the RRULE of a recurring deadline)."""
    from knowledge_graph.recurrence import next_occurrence

    rule = next((d for d in task.deadlines if d.kind == "recurring" and d.rrule), None)
    not_before = date.fromisoformat(task.document_date[:10]) if task.document_date else None
    if rule is not None:
        first = next_occurrence(rule, today, not_before=not_before)
        if first is not None:
            return first, rule.rrule.removeprefix("RRULE:")
    if task.next_due:
        return date.fromisoformat(task.next_due[:10]), None
    return None, None


def tasks_ics(lists: AgencyTasks, *, today: date | None = None) -> bytes:
    """An iCalendar file: one all-day VTODO per task that has a due date (a recurring deadline
    from its next occurrence, with its RRULE); tasks without any date are left out."""
    from datetime import UTC, datetime, timedelta

    from icalendar import Calendar, Todo, vRecur

    now = datetime.now(UTC)
    today = today or now.date()
    cal = Calendar()
    cal.add("prodid", "-//chithi//task list//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Nhiệm vụ: {lists.agency.name}")
    for t in lists.tasks:
        due, rule = _task_due(t, today)
        if due is None:
            continue
        todo = Todo()
        todo.add("uid", f"{t.obligation_id}/{t.agency_id}@chithi")
        todo.add("dtstamp", now)
        todo.add("dtstart", due)
        todo.add("due", due + timedelta(days=1))
        summary = squash(t.text)
        todo.add("summary", summary if len(summary) <= 200 else summary[:199] + "…")
        doc = " ".join(x for x in (t.document_type, t.document_number) if x) or t.document_id
        todo.add("description", f"{doc}, mục {t.section or '-'} ({t.role})\n\n{t.text}")
        todo.add("status", {"open": "NEEDS-ACTION", "in_progress": "IN-PROCESS",
                            "done": "COMPLETED"}[t.status])
        if rule:
            try:
                todo.add("rrule", vRecur.from_ical(rule))
            except (ValueError, TypeError):
                pass
        cal.add_component(todo)
    return cal.to_ical()
