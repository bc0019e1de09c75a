from datetime import date

import pytest

from chithi.errors import InvalidRequest
from knowledge_graph import agencies_by_workload, agency_tasks, overdue, upcoming

SNV_KT = "agency:so-noi-vu-tinh-kon-tum"
TT_KT = "agency:thanh-tra-tinh-kon-tum"
TODAY = date(2024, 10, 5)


def test_status_default_open_and_filters(graph):
    everything = agency_tasks(graph, SNV_KT, today=TODAY)
    graph.set_status("kt15#o3", SNV_KT, "done", by="clerk", at="2024-10-01")
    open_ = agency_tasks(graph, SNV_KT, today=TODAY)
    assert len(open_) == len(everything) - 1 and all(t.obligation_id != "kt15#o3" for t in open_)
    done = agency_tasks(graph, SNV_KT, today=TODAY, status="done")
    assert [(t.obligation_id, t.status, t.status_by) for t in done] == [("kt15#o3", "done", "clerk")]
    assert len(graph.agency_tasks(SNV_KT)) == len(everything)  # the method's default: any status
    assert {t.role for t in agency_tasks(graph, SNV_KT, role="report_to")} == {"report_to"}
    assert {t.document_id for t in agency_tasks(graph, SNV_KT, issuer="Kon Tum")} == {"kt15", "kt02"}
    assert agency_tasks(graph, SNV_KT, issuer="Sóc Trăng") == []
    window = agency_tasks(graph, SNV_KT, today=TODAY, due_from=date(2024, 10, 11), due_to=date(2024, 10, 12))
    assert window == []  # monthly 10 and 13 both fall outside
    window = agency_tasks(graph, SNV_KT, today=TODAY, due_from=date(2024, 11, 10), due_to=date(2024, 11, 10))
    assert {t.obligation_id for t in window} == {"kt15#o2"}
    assert len(agency_tasks(graph, SNV_KT, limit=2, offset=1)) == 2
    with pytest.raises(InvalidRequest):
        agency_tasks(graph, SNV_KT, role="boss")


def test_upcoming_expands_recurring_and_overdue_lists_passed_dates(graph):
    up = upcoming(graph, today=TODAY, days=40, agency_id=SNV_KT)
    dates = [(t.obligation_id, t.role, t.next_due) for t in up]
    assert ("kt15#o2", "report_to", "2024-10-10") in dates
    assert ("kt15#o2", "report_to", "2024-11-10") in dates  # monthly and yearly on the same day
    assert ("kt15#o4", "lead", "2024-11-13") in dates
    assert [t.next_due for t in up] == sorted(t.next_due for t in up)
    assert all(t.document_id != "st10" for t in up)
    late = overdue(graph, today=TODAY, agency_id=TT_KT)
    assert [(t.obligation_id, t.next_due) for t in late] == [("kt15#o5", "2024-09-30")]
    assert [t.obligation_id for t in overdue(graph, today=TODAY)] == ["kt15#o5"]
    assert agency_tasks(graph, TT_KT, today=TODAY, include_groups=False)[0].next_due == "2024-09-30"


def test_recurring_deadline_does_not_start_before_its_document(graph):
    early = upcoming(graph, today=date(2024, 1, 1), days=60, agency_id=SNV_KT)
    assert early == []  # the Chỉ thị is dated 2024-07-01


def test_workload_ranking(graph):
    ranked = agencies_by_workload(graph, limit=None)
    counts = [a.open_tasks for a in ranked]
    assert counts == sorted(counts, reverse=True) and ranked[0].id == SNV_KT
    assert all(not a.collective for a in ranked)
    assert all(a.locality != "tỉnh Kon Tum" for a in agencies_by_workload(graph, locality="tỉnh Sóc Trăng"))
    assert graph.get_agency(SNV_KT).open_tasks == len(agency_tasks(graph, SNV_KT))
