"""Due dates: fixed dates and recurring deadlines expanded into occurrences.

Uses ``nlp.deadlines.occurrences`` when the nlp stage ships it (a recurring deadline without a
day falls on the last day of its period), else ``dateutil.rrule`` on ``Deadline.rrule``.
Results are cached per (deadline shape, window), so a task list over thousands of tasks with
the same "hằng tháng trước ngày 10" costs one expansion.
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from functools import lru_cache

from chithi.models import Deadline

Shape = tuple  # (kind, date, freq, day, month, rrule)

_HORIZON = timedelta(days=800)
_YEAR_SPAN = timedelta(days=366) + _HORIZON
# Frequencies whose rule (``rule_of``, and nlp's) has no INTERVAL and names its days
# (BYMONTHDAY, BYMONTH): the dates it gives do not depend on where the expansion starts, so
# an expansion from 1 January, cut at ``after``, is the expansion from ``after``.
_ANCHORLESS = frozenset({"MONTHLY", "QUARTERLY", "YEARLY"})


def shape(d: Deadline) -> Shape:
    return (d.kind, d.date, d.freq, d.day, d.month, d.rrule)


def fixed_date(d: Deadline) -> date | None:
    if d.kind == "recurring" or not d.date:
        return None
    try:
        return date.fromisoformat(d.date[:10])
    except ValueError:
        return None


def _nlp_occurrences():
    try:
        from nlp.deadlines import occurrences
    except Exception:  # noqa: BLE001 - written in parallel; fall back to dateutil
        return None
    return occurrences


def rule_of(d: Deadline) -> str | None:
    """The RFC 5545 rule of a recurring deadline's due dates, as :func:`occurrences` expands it:
    one without a day falls on the last day of its period (Friday for a week)."""
    if d.kind != "recurring":
        return None
    given = (d.rrule or "").replace("RRULE:", "").strip()
    freq = d.freq or ("" if given else "YEARLY")
    if not freq:
        return given
    if freq in ("DAILY", "WEEKLY") and given:
        return given
    return {"DAILY": "FREQ=DAILY", "WEEKLY": "FREQ=WEEKLY;BYDAY=FR",
            "MONTHLY": f"FREQ=MONTHLY;BYMONTHDAY={d.day or -1}",
            "QUARTERLY": f"FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY={d.day or -1}",
            "YEARLY": f"FREQ=YEARLY;BYMONTH={d.month or 12};BYMONTHDAY={d.day or -1}"}[freq]


def _fallback(d: Deadline, start: date, end: date) -> list[date]:
    from dateutil.rrule import rrulestr

    rule = rule_of(d)
    s = datetime(start.year, start.month, start.day)
    e = datetime(end.year, end.month, end.day)
    return [x.date() for x in rrulestr(rule, dtstart=s).between(s, e, inc=True)]


@lru_cache(maxsize=65536)
def _occ(sh: Shape, start: date, end: date) -> tuple[date, ...]:
    kind, dt, freq, day, month, rrule = sh
    d = Deadline.model_construct(kind=kind, date=dt, freq=freq, day=day, month=month, rrule=rrule,
                                 precision=None, relative_days=None, text="", span=None, confidence=1.0)
    if kind != "recurring":
        f = fixed_date(d)
        return (f,) if f and start <= f <= end else ()
    fn = _nlp_occurrences()
    try:
        got = fn(d, start, end) if fn else _fallback(d, start, end)
    except Exception:  # noqa: BLE001 - an odd rule yields no dates rather than a failed query
        got = []
    return tuple(sorted(got))


def occurrences(d: Deadline, start: date, end: date, *, not_before: date | None = None) -> tuple[date, ...]:
    """Due dates of ``d`` in [start, end]; a recurring one starts no earlier than ``not_before``
    (the document's date: a directive of 2024 does not make reports due in 2023)."""
    if not_before and d.kind == "recurring" and start < not_before:
        start = not_before
    if start > end:
        return ()
    return _occ(shape(d), start, end)


@lru_cache(maxsize=65536)
def _next(sh: Shape, after: date) -> date | None:
    if sh[0] == "recurring" and sh[2] in _ANCHORLESS and after.year < 9000:
        y0 = date(after.year, 1, 1)  # one expansion a year serves every ``after`` in it
        got = _occ(sh, y0, y0 + _YEAR_SPAN)
        i = bisect_left(got, after)
        return got[i] if i < len(got) and got[i] <= after + _HORIZON else None
    got = _occ(sh, after, after + _HORIZON)
    return got[0] if got else None


def next_occurrence(d: Deadline, today: date, *, not_before: date | None = None) -> date | None:
    """The first due date on or after ``today`` (recurring ones from ``not_before`` on)."""
    if d.kind != "recurring":
        f = fixed_date(d)
        return f if f and f >= today else None
    start = max(today, not_before) if not_before else today
    return _next(shape(d), start)


def next_due(deadlines: list[Deadline], today: date | None, *, not_before: date | None = None) -> date | None:
    """A task's next (or only) due date: the earliest one on or after ``today``; if every fixed
    date has passed, the latest of them (the task is overdue). Without ``today``, the earliest
    fixed date."""
    fixed = sorted(f for f in (fixed_date(d) for d in deadlines) if f)
    if today is None:
        return fixed[0] if fixed else None
    cands = [f for f in fixed if f >= today]
    for d in deadlines:
        if d.kind == "recurring":
            n = next_occurrence(d, today, not_before=not_before)
            if n:
                cands.append(n)
    if cands:
        return min(cands)
    return fixed[-1] if fixed else None
