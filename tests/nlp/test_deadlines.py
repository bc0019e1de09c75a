"""Golden-file tests of nlp.deadlines (tests/nlp/golden/deadlines/cases.json) and its helpers."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from chithi.models import Deadline
from nlp.deadlines import find_deadlines, occurrences, to_rrule

CASES = json.loads((Path(__file__).parent / "golden" / "deadlines" / "cases.json").read_text("utf-8"))


def _simple(d: Deadline) -> dict:
    e: dict = {"kind": d.kind}
    if d.kind == "date":
        e["date"] = d.date
    if d.kind == "recurring":
        e.update(freq=d.freq, day=d.day, month=d.month, rrule=d.rrule)
    if d.kind == "relative":
        e["relative_days"] = d.relative_days
    e["text"] = d.text
    return e


@pytest.mark.parametrize("case", CASES, ids=[c["input"][:50] for c in CASES])
def test_golden(case):
    got = find_deadlines(case["input"], doc_date=case["doc_date"])
    assert [_simple(d) for d in got] == case["expected"]


def test_golden_file_covers_every_form():
    kinds = {e["kind"] for c in CASES for e in c["expected"]}
    freqs = {e.get("freq") for c in CASES for e in c["expected"]}
    assert kinds == {"date", "recurring", "relative"}
    assert {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "YEARLY"} <= freqs
    assert sum(1 for c in CASES if not c["expected"]) >= 20  # negative cases


@pytest.mark.parametrize("case", CASES[:40], ids=[c["input"][:40] for c in CASES[:40]])
def test_spans_point_at_the_text_with_offset(case):
    prefix = "Chỉ thị …\n1. "
    text = case["input"]
    for d in find_deadlines(text, doc_date=case["doc_date"], offset=len(prefix)):
        assert (prefix + text)[d.span.start:d.span.end] == d.text
        assert 0 < d.confidence <= 1


def test_precision_and_kinds():
    [d] = find_deadlines("trong tháng 12/2025", doc_date="2025-11-20")
    assert (d.precision, d.kind) == ("month", "date")
    [d] = find_deadlines("Quý IV/2025")
    assert (d.precision, d.date) == ("quarter", "2025-12-31")
    [d] = find_deadlines("Thời gian thực hiện: 2025 - 2030")
    assert (d.precision, d.date) == ("span", "2030-12-31")
    [d] = find_deadlines("báo cáo trước ngày 20/3/2018")
    assert (d.precision, d.date) == ("day", "2018-03-20")


def test_date_without_year_needs_the_document_date():
    assert find_deadlines("hoàn thành trước 15/12") == []
    [d] = find_deadlines("hoàn thành trước 15/12", doc_date="2024-03-01")
    assert d.date == "2024-12-15"


def test_to_rrule():
    assert to_rrule("MONTHLY", 10, None) == "FREQ=MONTHLY;BYMONTHDAY=10"
    assert to_rrule("QUARTERLY", 15, None) == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"
    assert to_rrule("YEARLY", 10, 11) == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=10"
    assert to_rrule("YEARLY", None, None) == "FREQ=YEARLY"
    assert to_rrule("WEEKLY", None, None) == "FREQ=WEEKLY"


def test_scorer_reads_our_rrule(shared):
    import importlib.util
    spec = importlib.util.spec_from_file_location("score", shared / "tools" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    for freq, day, month in [("QUARTERLY", 15, None), ("MONTHLY", 10, None), ("YEARLY", 10, 11), ("YEARLY", None, None)]:
        assert score.recurrence_key({"rrule": to_rrule(freq, day, month)}) == ("every", freq, day, month)


def test_occurrences():
    monthly = find_deadlines("định kỳ hằng tháng trước ngày 10 báo cáo")[0]
    assert occurrences(monthly, date(2025, 1, 1), date(2025, 3, 31)) == [
        date(2025, 1, 10), date(2025, 2, 10), date(2025, 3, 10)]
    quarterly = Deadline(kind="recurring", freq="QUARTERLY", day=15, rrule=to_rrule("QUARTERLY", 15, None))
    assert occurrences(quarterly, date(2025, 1, 1), date(2025, 12, 31)) == [
        date(2025, 3, 15), date(2025, 6, 15), date(2025, 9, 15), date(2025, 12, 15)]
    yearly = Deadline(kind="recurring", freq="YEARLY", rrule="FREQ=YEARLY")
    assert occurrences(yearly, date(2025, 6, 1), date(2026, 12, 31)) == [date(2025, 12, 31), date(2026, 12, 31)]
    yearly_day = Deadline(kind="recurring", freq="YEARLY", day=10, month=11)
    assert occurrences(yearly_day, date(2025, 1, 1), date(2025, 12, 31)) == [date(2025, 11, 10)]
    fixed = Deadline(kind="date", date="2025-12-31")
    assert occurrences(fixed, date(2025, 1, 1), date(2025, 12, 31)) == [date(2025, 12, 31)]
    assert occurrences(fixed, date(2026, 1, 1), date(2026, 12, 31)) == []
    assert occurrences(Deadline(kind="relative", relative_days=5), date(2025, 1, 1), date(2026, 1, 1)) == []


def test_gold_sets_f1(shared):
    from bench.score_deadlines import score
    for name in ("gold", "gold-corpus"):
        r = score(shared / name, verbose=False)
        assert r["f1"] >= 0.95, (name, r["misses"])
