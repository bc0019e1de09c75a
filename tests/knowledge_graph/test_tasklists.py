"""Cached task lists: every change shows up in the next query; the cheap Task objects are the
ones validation makes; pages and counts agree with the whole list."""
from datetime import date

from samples import KT, ag, fixed, pairs

from chithi.models import DocumentHeader, Extraction, Obligation, Task
from knowledge_graph import ArchiveGraph, agency_tasks
from knowledge_graph.queries import agency_task_page, task_rows

SNV_KT = "agency:so-noi-vu-tinh-kon-tum"
TT_KT = "agency:thanh-tra-tinh-kon-tum"
TODAY = date(2024, 10, 5)


def _ids(tasks: list[Task]) -> list[tuple[str, str]]:
    return [(t.obligation_id, t.role) for t in tasks]


def _directive(number: str, *obligations: Obligation) -> Extraction:
    return Extraction(document=DocumentHeader(type="Chỉ thị", number=number, date="2024-09-01",
                                              issuer="Ủy ban nhân dân tỉnh Kon Tum", locality=KT),
                      obligations=list(obligations))


def _open_by_rows(graph: ArchiveGraph, agency_id: str) -> int:
    return sum(1 for oid, _r, _v in task_rows(graph, agency_id) if graph.status_of(oid, agency_id)[0] == "open")


def test_status_change_shows_up_in_the_next_query(graph):
    before = agency_tasks(graph, SNV_KT, today=TODAY)  # cached now
    count = graph.open_count(SNV_KT)
    assert count == len(before) == _open_by_rows(graph, SNV_KT)
    oid = before[0].obligation_id
    graph.set_status(oid, SNV_KT, "in_progress", by="clerk", at="2024-10-02")
    after = agency_tasks(graph, SNV_KT, today=TODAY)
    assert oid not in {t.obligation_id for t in after}
    assert graph.open_count(SNV_KT) == _open_by_rows(graph, SNV_KT) < count
    every = agency_tasks(graph, SNV_KT, today=TODAY, status=None)
    assert _ids(every) == _ids(before)  # the same list, one status changed
    assert {(t.status, t.status_by) for t in every if t.obligation_id == oid} == {("in_progress", "clerk")}
    graph.set_status(oid, SNV_KT, "open")
    assert _ids(agency_tasks(graph, SNV_KT, today=TODAY)) == _ids(before)
    assert graph.open_count(SNV_KT) == count


def test_new_and_removed_documents_show_up_in_the_next_query(graph):
    snv, tt = agency_tasks(graph, SNV_KT, today=TODAY), agency_tasks(graph, TT_KT, today=TODAY)
    counts = graph.open_count(SNV_KT), graph.open_count(TT_KT)
    direct = Obligation(id="o1", section="1", text="Sở Nội vụ rà soát ngay.", deadlines=[fixed("2024-10-07", "x")],
                        lead=[ag("Sở Nội vụ", locality=KT, kind="so", level="tinh")])
    grouped = Obligation(id="o2", section="2", text="Các sở, ban ngành báo cáo.",
                         lead=[ag("các sở, ban ngành", collective=True)])
    graph.add_document("kt99", _directive("99/CT-UBND", direct, grouped))
    got = agency_tasks(graph, SNV_KT, today=TODAY)
    assert _ids(got)[0] == ("kt99#o1", "lead")  # due soonest: first
    assert ("kt99#o2", "lead") in _ids(got) and len(got) == len(snv) + 2
    assert ("kt99#o2", "lead") in _ids(agency_tasks(graph, TT_KT, today=TODAY))  # a member too
    assert graph.open_count(SNV_KT) == counts[0] + 2 == _open_by_rows(graph, SNV_KT)
    assert graph.open_count(TT_KT) == counts[1] + 1 == _open_by_rows(graph, TT_KT)
    graph.remove_document("kt99")
    assert _ids(agency_tasks(graph, SNV_KT, today=TODAY)) == _ids(snv)
    assert _ids(agency_tasks(graph, TT_KT, today=TODAY)) == _ids(tt)
    assert (graph.open_count(SNV_KT), graph.open_count(TT_KT)) == counts


def test_cheap_tasks_equal_validated_ones(graph):
    graph.set_status("kt15#o3", SNV_KT, "done", by="clerk", at="2024-10-01")
    for today in (None, TODAY):
        tasks = agency_tasks(graph, SNV_KT, today=today, status=None)
        assert tasks and all(Task.model_validate(t.model_dump()) == t for t in tasks)
        assert all(Task(**t.model_dump()).model_fields_set == t.model_fields_set for t in tasks)
        assert all(list(t.__dict__) == list(Task.model_fields) for t in tasks)
    a, b = agency_tasks(graph, SNV_KT), agency_tasks(graph, SNV_KT)
    a[0].deadlines.append(a[0].deadlines[0] if a[0].deadlines else None)  # callers may change theirs
    assert b[0].deadlines != a[0].deadlines and agency_tasks(graph, SNV_KT) == b


def test_pages_and_totals_match_the_whole_list(graph):
    for kw in ({}, {"status": None}, {"role": "lead"}, {"issuer": "Kon Tum", "status": None}):
        whole = agency_tasks(graph, SNV_KT, today=TODAY, **kw)
        for offset, limit in ((0, 2), (1, 3), (len(whole), 5), (0, None)):
            page, total = agency_task_page(graph, SNV_KT, today=TODAY, limit=limit, offset=offset, **kw)
            assert total == len(whole)
            assert _ids(page) == _ids(whole[offset:None if limit is None else offset + limit])


def test_same_lists_whatever_was_cached_first():
    fresh = ArchiveGraph.from_documents(pairs())
    warm = ArchiveGraph.from_documents(pairs())
    for agency in warm.agency_ids():  # fill the caches, one day then another
        agency_tasks(warm, agency, today=TODAY, status=None)
        agency_tasks(warm, agency, today=date(2025, 3, 1), status=None)
    for agency in fresh.agency_ids():
        for today in (TODAY, date(2025, 3, 1), None):
            assert agency_tasks(fresh, agency, today=today, status=None) == agency_tasks(
                warm, agency, today=today, status=None)
