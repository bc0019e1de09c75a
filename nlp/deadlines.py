"""Deadlines of one obligation item (or heading): fixed dates, periods, relative and recurring.

``find_deadlines`` is a pure function of the item's text. It follows the deadline rules of
``shared/spec/annotation-guideline.md``: a period gives its last day, a span its last year's
last day, a relative deadline counted from this document is resolved against ``doc_date``,
a frequency that says how often the item's own action recurs gives a recurring deadline
(with an RFC 5545 ``rrule``), and dates of cited documents, dates that open a period, past
dates and vague words give nothing. Matching runs on a length-preserving ASCII fold of the
text, so offsets are those of the input and OCR text without diacritics is read too.
"""
from __future__ import annotations

import calendar
import json
import math
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from chithi.models import Deadline, Span
from chithi.text import fold

__all__ = ["find_deadlines", "to_rrule", "occurrences"]

_LEX = json.loads((Path(__file__).parent / "data" / "deadline_lexicon.json").read_text("utf-8"))


def _alt(words: list[str]) -> str:
    """A regex alternation of folded phrases, longest first, spaces matching any white space."""
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in
                            sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "–—‒−":
        return "-"
    f = fold(c)
    return f if len(f) == 1 else (f[:1] or " ")


def _ffold(text: str) -> str:
    """``fold`` one character at a time, so the result has exactly the input's offsets."""
    return "".join(_fold_char(c) for c in text)


D, Y = r"(\d{1,2})", r"((?:19|20)\d{2})"
_NB = r"(?<![\w/.\-])"  # not glued to a longer number or code
_PAT = [  # (name, regex) in priority order: an earlier match hides later overlapping ones
    ("full", re.compile(rf"{_NB}{D}\s*([/.\-])\s*{D}\s*\2\s*{Y}(?![\d/])")),
    ("full", re.compile(rf"\bngay\s*{D}\s*thang\s*{D}\s*(?:nam|/|,|-)\s*{Y}(?!\d)")),
    ("rel", re.compile(r"\b(\d{1,3})(?:\s*-\s*(\d{1,3}))?\s*(?:\([^)\n]{0,30}\)\s*)?"
                       r"(ngay\s+lam\s+viec|ngay|gio|tuan|thang)(?!\s*\d)")),
    ("my", re.compile(rf"\bthang\s*{D}\s*(?:/|-|nam|,)\s*{Y}(?![\d/])")),
    ("my", re.compile(rf"{_NB}{D}\s*/\s*{Y}(?![\d/])")),
    ("qy", re.compile(rf"\bquy\s*(iv|iii|ii|i|[1-4])\s*(?:/|-|nam|,)\s*{Y}(?![\d/])")),
    ("span", re.compile(rf"(?:\bgiai\s*doan\s*(?:tu\s*(?:nam\s*)?)?)?{_NB}{Y}\s*(?:-|den(?:\s*nam)?)\s*{Y}(?![\d/])")),
    ("dm", re.compile(rf"\bngay\s*{D}\s*thang\s*{D}(?!\s*(?:/|-|nam|,)\s*\d)(?!\d)")),
    ("dm", re.compile(rf"{_NB}{D}\s*/\s*{D}(?![\d/])")),
    ("year", re.compile(rf"\bnam\s*{Y}(?![\d/])")),
    ("freq", re.compile(rf"\b{_alt(_LEX['freq_prefixes'])}\s+({'|'.join(_LEX['freq_units'])})\b")),
    ("day", re.compile(rf"\bngay\s*{D}(?!\s*(?:thang|/|\.|-)\s*\d)(?!\d)")),
    ("month", re.compile(rf"\bthang\s*{D}(?!\s*(?:/|-|nam|,)\s*\d)(?!\d)")),
    ("bare", re.compile(rf"{_NB}{Y}(?![\d/\-])")),
]
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FREQ = _LEX["freq_units"]
_BOUND = re.compile(r"[.;!?](?=\s|$)|\n\s*(?:[-+•*]|\d+[.)]|[a-z][)])")
_CLAUSE = re.compile(r"[.;:,()!?]|\n\s*(?:[-+•*]|\d+[.)]|[a-z][)])")
_TRIG = re.compile(
    rf"(?:\b(?P<open>{_alt(_LEX['open_period'])})|\b(?P<strong>{_alt(_LEX['strong_triggers'])})"
    rf"|\b(?P<weak>{_alt(_LEX['weak_triggers'])})|\b(?P<end>{_alt(_LEX['end_triggers'])})"
    rf"|\b(?P<label>{_alt(_LEX['labels'])})[^:\n]{{0,30}}:)"
    r"(?:\s*(?:ngay|ca|cua|vao|trong))*\s*[,:]?\s*$")
_LEAD = re.compile(r"^[\s\-+•*:.()\d]*(?:(?:hoan\s*thanh|thuc\s*hien|trien\s*khai)\s*(?:trong|truoc)?\s*)?$")
_NEXT_YEARS = re.compile(r"^\s*(?:va|den)\s*(?:cac|nhung)\s*nam\s*(?:tiep\s*theo|sau)")
_YEAR_AFTER = re.compile(rf"^\s*{_alt(_LEX['year_after'])}")
_REL_HEAD = re.compile(r"(?:\b(?:trong|cham\s*nhat|khong\s*qua|toi\s*da|sau|truoc)\b[^\d\n]{0,30})$")
_REL_ANCHOR = re.compile(r"^\s*,?\s*(?:ke\s*tu|tinh\s*tu|sau\s*khi|sau)\b\s*(?:ngay|khi|thoi\s*diem)?\s*(.{0,60})", re.S)
_SELF = re.compile(rf"^{_alt(_LEX['relative_anchor_self'])}(?:\s*$|\s*[,.;)]|\s+(?:va|de|theo|cua)\b)")


def _nouns_re(key: str, tail: str = r"\b") -> re.Pattern[str]:
    return re.compile(rf"\b{_alt(_LEX[key])}{tail}")


_PERIOD_NOUNS = _nouns_re("period_thing_nouns")
_SCOPE_NOUNS = _nouns_re("scope_nouns")
_FREQ_NOUN_NEAR = re.compile(rf"\b{_alt(_LEX['freq_thing_nouns'])}\s*$")
_FREQ_NOUN_WIN = re.compile(rf"\b{_alt(_LEX['freq_thing_window_nouns'])}\b[\w \-]{{0,40}}$")
_MERGE_TRIG = re.compile(r"\b(?:truoc|cham\s*nhat|vao|han|toi\s*da|den\s*het|xong)(?:\s*ngay)?\s*[(:]?\s*$")
_OTHER_YEAR = re.compile(r"^\s*(?:cua\s*)?nam\s*(?:truoc|ke\s*hoach|bao\s*cao|sau)")
_PAST = re.compile(r"^\s*,?\s*(?:da|vua|duoc\s*thong\s*qua)\b")
_PASSIVE_VAO = re.compile(r"\b(?:duoc|da)\b[\w ]{0,30}\bvao\s*$")
_YEARISH = re.compile(r"(?:19|20)\d{2}")
_RANGE_START = re.compile(r"(?:\bngay\s*\d{1,2}|\d{1,2}\s*/\s*\d{1,2}|\btu\b.{0,25})\s*$")
_QUARTER_END = re.compile(r"^\s*(?:cua\s*)?thang\s*(?:cuoi|dau|thu\s*\w+)?\s*(?:cua\s*)?quy")


def to_rrule(freq: str, day: int | None, month: int | None) -> str:
    """The RFC 5545 rule the scorer reads: QUARTERLY is ``FREQ=MONTHLY;INTERVAL=3``."""
    freq = freq.upper()
    parts = ["FREQ=MONTHLY", "INTERVAL=3"] if freq == "QUARTERLY" else [f"FREQ={freq}"]
    if month and freq == "YEARLY":
        parts.append(f"BYMONTH={month}")
    if day and freq in ("MONTHLY", "QUARTERLY", "YEARLY"):
        parts.append(f"BYMONTHDAY={day}")
    return ";".join(parts)


def occurrences(deadline: Deadline, start: date, end: date) -> list[date]:
    """Due dates of ``deadline`` in [start, end]. A recurring one without a day falls on the
    last day of its period (month, quarter, year; Friday for a week)."""
    if deadline.kind != "recurring":
        if deadline.date:
            d = date.fromisoformat(deadline.date[:10])
            return [d] if start <= d <= end else []
        return []
    freq, day, month = deadline.freq or "YEARLY", deadline.day, deadline.month
    rule = {"DAILY": "FREQ=DAILY", "WEEKLY": "FREQ=WEEKLY;BYDAY=FR",
            "MONTHLY": f"FREQ=MONTHLY;BYMONTHDAY={day or -1}",
            "QUARTERLY": f"FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY={day or -1}",
            "YEARLY": f"FREQ=YEARLY;BYMONTH={month or 12};BYMONTHDAY={day or -1}"}[freq]
    if freq in ("DAILY", "WEEKLY") and deadline.rrule:
        rule = deadline.rrule.replace("RRULE:", "")
    dtstart = datetime(start.year, start.month, start.day)
    until = datetime(end.year, end.month, end.day)
    return [x.date() for x in rrulestr(rule, dtstart=dtstart).between(dtstart, until, inc=True)]


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _add_workdays(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        n -= d.weekday() < 5
    return d


def _pre(f: str, s: int, width: int, pattern: re.Pattern[str]) -> tuple[int, str]:
    """The text before ``s`` back to the last boundary of ``pattern`` (at most ``width``
    characters), and where it starts."""
    p0 = max(0, s - width)
    pre = f[p0:s]
    cut = 0
    for m in pattern.finditer(pre):
        cut = m.end()
    return p0 + cut, pre[cut:]


def _scan(f: str) -> list[tuple[str, re.Match[str]]]:
    taken: list[tuple[int, int]] = []
    hits = []
    for name, pat in _PAT:
        for m in pat.finditer(f):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            hits.append((name, m))
    return sorted(hits, key=lambda h: h[1].start())


def find_deadlines(text: str, *, doc_date: str | None = None, offset: int = 0) -> list[Deadline]:
    """The deadlines of the action of one item, in text order, each with its span."""
    f = _ffold(text)
    ddate = date.fromisoformat(doc_date[:10]) if doc_date else None
    hits = _scan(f)
    out: list[tuple[int, int, float, dict]] = []

    def emit(s: int, e: int, conf: float, **fields: object) -> None:
        out.append((s, e, conf, fields))

    # 1. recurring: a frequency word, merged with the nearest day (and month) that times it
    freqs = [m for n, m in hits if n == "freq"]
    partial = [(n, m) for n, m in hits if n in ("dm", "day", "month")]
    used: set[int] = set()
    for fm in freqs:
        s = fm.start()
        near = f[max(0, s - 40):s]
        if _FREQ_NOUN_NEAR.search(near) or _FREQ_NOUN_WIN.search(_pre(f, s, 60, _CLAUSE)[1]):
            continue
        freq = _FREQ[fm.group(1)]
        best = None
        for i, (n, m) in enumerate(partial):
            if i in used:
                continue
            ok = {"YEARLY": ("dm", "month"), "MONTHLY": ("day",), "QUARTERLY": ("day",)}.get(freq, ())
            if n not in ok:
                continue
            a, b = sorted((m, fm), key=lambda x: x.start())
            gap = f[a.end():b.start()]
            dist = len(gap)
            if dist > 3 and n != "month" and not _MERGE_TRIG.search(f[max(0, m.start() - 25):m.start()]):
                continue  # "(05/6)" after "hằng năm" names a day, it does not time the action
            if n == "month" and dist > 3:
                continue
            if freq == "QUARTERLY" and _QUARTER_END.match(f[m.end():]) and m.start() > s:
                dist = 0
            elif _BOUND.search(gap) or dist > 90:
                continue
            if best is None or dist < best[0]:
                best = (dist, i)
        day = month = None
        s0, e0 = fm.start(), fm.end()
        if best is not None:
            n, m = partial[best[1]]
            used.add(best[1])
            if n == "dm":
                day, month = int(m.group(1)), int(m.group(2))
                if _mkdate(2024, month, day) is None:
                    continue
            elif n == "month":
                month = int(m.group(1))
                if not 1 <= month <= 12:
                    continue
                day = calendar.monthrange(2023, month)[1]
            else:
                day = int(m.group(1))
                if not 1 <= day <= 31:
                    continue
            s0, e0 = min(s0, m.start()), max(e0, m.end())
            # take in the trigger before the day ("trước ngày 10")
            t = _TRIG.search(f[max(0, s0 - 25):s0])
            if t and (t.group("strong") or t.group("weak")):
                s0 -= len(f[max(0, s0 - 25):s0]) - t.start()
        emit(s0, e0, 0.9 if best is not None else 0.8, kind="recurring", freq=freq, day=day,
             month=month, rrule=to_rrule(freq, day, month))

    # 2. dates and periods
    for name, m in hits:
        if name in ("freq", "day", "month") or (name == "dm" and any(partial[i][1] is m for i in used)):
            continue
        if name == "rel":
            _relative(f, m, ddate, emit)
            continue
        s, e = m.start(), m.end()
        p0, pre = _pre(f, s, 70, _BOUND)
        lead = _LEAD.match(f[:s]) is not None
        trig = _TRIG.search(pre)
        kind = next(k for k in ("open", "strong", "weak", "end", "label") if trig.group(k)) if trig else None
        t0 = p0 + trig.start() if trig else s  # where the phrase starts (its trigger word)
        nxt = _NEXT_YEARS.match(f[e:])
        if kind == "open" or (kind is None and not lead and not nxt):
            continue
        if kind == "weak" and trig.group("weak").startswith("vao") and _PASSIVE_VAO.search(f[max(0, t0 - 40):t0 + 3]):
            continue  # "được thông qua vào tháng 12/2025": an event, not a limit
        if _PAST.match(f[e:]) or (name == "dm" and _OTHER_YEAR.match(f[e:])):
            continue
        if name == "bare" and not lead and kind != "label":
            continue
        d, prec = _resolve(name, m, f[e:], ddate)
        if d is None:
            continue
        clause = _pre(f, t0, 60, _CLAUSE)[1]
        conf = max({"strong": 0.95, "label": 0.95, "weak": 0.9, "end": 0.7, None: 0.8}[kind],
                   0.9 if lead else 0.0)
        if prec != "day":
            if kind == "end":
                continue  # "đến năm 2030": a goal or part of a programme's name
            if kind is None and _PERIOD_NOUNS.search(clause):
                continue  # "Chiến lược … đến năm 2030", "Chỉ số … năm 2025 và các năm tiếp theo"
            if kind == "weak" and (_SCOPE_NOUNS.search(clause) or _YEARISH.search(clause)):
                continue  # "đối với các nhiệm vụ triển khai trong năm 2025"
            if nxt:
                e += nxt.end()
        elif kind == "end" and _RANGE_START.search(f[max(0, t0 - 30):t0]):
            continue  # "ngày 15 đến ngày 31 …": a stated time range, not a limit
        if ddate and d < ddate:
            continue  # a past date is background, never a deadline of this document
        emit(s if kind == "label" else min(s, t0), e, conf, kind="date", date=d.isoformat(), precision=prec)

    seen: set[tuple] = set()
    result: list[Deadline] = []
    for s, e, conf, fields in sorted(out, key=lambda o: o[0]):
        key = tuple(fields.get(k) for k in ("kind", "date", "freq", "day", "month", "relative_days"))
        if key in seen:
            continue
        seen.add(key)
        result.append(Deadline(**fields, text=text[s:e], confidence=conf,
                               span=Span(start=offset + s, end=offset + e)))
    return result


def _resolve(name: str, m: re.Match[str], after: str, ddate: date | None) -> tuple[date | None, str]:
    g = m.groups()
    if name == "full":
        day, mon, yr = (g[0], g[2], g[3]) if len(g) == 4 else g
        return _mkdate(int(yr), int(mon), int(day)), "day"
    if name == "dm":
        if ddate is None:
            return None, "day"
        yr = ddate.year + (1 if _YEAR_AFTER.match(after) else 0)
        return _mkdate(yr, int(g[1]), int(g[0])), "day"
    if name == "my":
        mon, yr = int(g[0]), int(g[1])
        return (_last_day(yr, mon) if 1 <= mon <= 12 else None), "month"
    if name == "qy":
        return _last_day(int(g[1]), 3 * _ROMAN[g[0]]), "quarter"
    if name == "span":
        a, b = int(g[0]), int(g[1])
        return (date(b, 12, 31) if a < b <= a + 30 else None), "span"
    return date(int(g[0]), 12, 31), "year"  # year, bare


def _relative(f: str, m: re.Match[str], ddate: date | None, emit) -> None:
    """'trong vòng 30 ngày kể từ ngày ký' and the like."""
    s, e = m.start(), m.end()
    head = _REL_HEAD.search(f[max(0, s - 40):s])
    anchor = _REL_ANCHOR.match(f[e:])
    if not head and not anchor:
        return
    if not anchor and not re.search(r"\b(?:trong\s*(?:vong|thoi\s*han)|cham\s*nhat|khong\s*qua|toi\s*da)\b", f[max(0, s - 40):s]):
        return
    if re.search(rf"\b{_alt(_LEX['relative_skip_before'])}\b", _pre(f, s, 80, _BOUND)[1]):
        return
    n = int(m.group(2) or m.group(1))
    unit = m.group(3)
    if n == 0:
        return
    days = {"gio": math.ceil(n / 24), "tuan": 7 * n, "thang": 30 * n}.get(unit.split()[0], n)
    start = s - (len(f[max(0, s - 40):s]) - head.start()) if head else s
    end = e + (anchor.end() if anchor else 0)
    self_anchor = False
    if anchor:
        tail = anchor.group(1)
        cut = _CLAUSE.search(tail)
        if cut:
            tail = tail[:cut.start()]
        end = e + anchor.start(1) + len(tail.rstrip())
        self_anchor = bool(_SELF.match(tail.strip()))
    if self_anchor and ddate is not None:
        if unit == "thang":
            d = ddate + relativedelta(months=n)
        elif unit.startswith("ngay") and "lam" in unit:
            d = _add_workdays(ddate, n)
        else:
            d = ddate + timedelta(days=days)
        emit(start, end, 0.9, kind="date", date=d.isoformat(), precision="day")
    else:
        emit(start, end, 0.85 if anchor else 0.6, kind="relative", relative_days=days)
