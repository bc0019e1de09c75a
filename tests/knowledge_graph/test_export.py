import csv
import io
import json
from datetime import date

import networkx as nx
from icalendar import Calendar, vRecur

from knowledge_graph import agency_tasks, tasks_csv, tasks_ics, to_graphml, to_node_link
from knowledge_graph.export import _plain

SNV_KT = "agency:so-noi-vu-tinh-kon-tum"
TT_KT = "agency:thanh-tra-tinh-kon-tum"
TODAY = date(2024, 10, 5)


def _rule(r) -> frozenset:
    r = vRecur.from_ical(r) if isinstance(r, str) else r
    return frozenset((k, tuple(v)) for k, v in r.items())


def test_ics_parses_back_with_rrules_and_all_day_events(graph):
    cal = Calendar.from_ical(tasks_ics(graph, SNV_KT, today=TODAY))
    events = [c for c in cal.walk("VEVENT")]
    rules = {_rule(c["RRULE"]) for c in events if "RRULE" in c}
    assert _rule("FREQ=MONTHLY;BYMONTHDAY=10") in rules
    assert _rule("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=10") in rules
    assert _rule("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1") in rules  # "hằng năm" with no day: year end
    monthly = next(c for c in events if _rule(c["RRULE"]) == _rule("FREQ=MONTHLY;BYMONTHDAY=10"))
    assert monthly.decoded("DTSTART") == date(2024, 7, 10)  # first due date after the Chỉ thị
    assert len({c["UID"] for c in events}) == len(events)
    assert "Sở Nội vụ tỉnh Kon Tum" in str(cal["X-WR-CALNAME"])
    fixed = [c for c in Calendar.from_ical(tasks_ics(graph, TT_KT, today=TODAY)).walk("VEVENT") if "RRULE" not in c]
    assert [(c.decoded("DTSTART"), c.decoded("DTEND")) for c in fixed] == [(date(2024, 9, 30), date(2024, 10, 1))]
    assert type(fixed[0].decoded("DTSTART")) is date  # all-day, not a datetime
    assert tasks_ics(graph, SNV_KT, today=TODAY) == tasks_ics(graph, SNV_KT, today=TODAY)


def test_csv_has_one_row_per_task(graph):
    rows = list(csv.DictReader(io.StringIO(tasks_csv(graph, SNV_KT, today=TODAY))))
    tasks = agency_tasks(graph, SNV_KT, today=TODAY)
    assert [r["obligation_id"] for r in rows] == [t.obligation_id for t in tasks]
    row = next(r for r in rows if r["obligation_id"] == "kt15#o2" and r["role"] == "lead")
    assert row["via_group"] == "các sở, ban ngành" and row["next_due"] == "2024-10-10"
    assert "FREQ=MONTHLY;BYMONTHDAY=10" in row["rrule"]


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return (dict(a.nodes(data=True)) == dict(b.nodes(data=True))
            and sorted(a.edges(keys=True, data=True), key=repr) == sorted(b.edges(keys=True, data=True), key=repr))


def test_graphml_round_trips(graph):
    back = nx.read_graphml(io.StringIO(to_graphml(graph)), force_multigraph=True)
    assert _same(back, _plain(graph.g))
    hood = nx.read_graphml(io.StringIO(to_graphml(graph, agency_id=SNV_KT)), force_multigraph=True)
    assert SNV_KT in hood and "obl:kt15#o1" in hood and "st10" not in hood
    via = [d for _, _, d in hood.in_edges(SNV_KT, data=True) if d.get("via_group")]
    assert {d["via_group"] for d in via} == {"các sở, ban ngành", "các sở, ban, ngành"}


def test_node_link_json(graph):
    data = json.loads(json.dumps(to_node_link(graph), ensure_ascii=False))
    back = nx.node_link_graph(data, edges="edges")
    assert _same(back, _plain(graph.g))
