"""The task index kept at ingest: task lists equal a walk of the graph, whatever was added,
removed or replaced; the index equals a fresh build's; the shortcuts give what the slow
paths give."""
import copy
import pickle
import random
from datetime import date, timedelta

import pytest
from samples import fixed, monthly, yearly

from bench.graph import archive
from chithi.models import Deadline, Task
from knowledge_graph import ArchiveGraph, agency_tasks
from knowledge_graph import recurrence as rc
from knowledge_graph import tasklists as tl
from knowledge_graph.queries import task_rows
from knowledge_graph.recurrence import next_due
from knowledge_graph.taskindex import ROLE_ORDER

DAYS = (None, date(2016, 2, 29), date(2024, 10, 5), date(2025, 12, 31))


def walked_rows(graph: ArchiveGraph, agency_id: str, include_groups: bool, today: date | None) -> list:
    """The rows as the graph gives them, computed the slow way (before the index)."""
    rows = []
    for oid, role, via in task_rows(graph, agency_id, include_groups=include_groups):
        rec = graph.obligations[oid]
        ds = rec.obligation.deadlines
        nd = next_due(ds, today, not_before=rec.not_before) if ds else None
        rows.append((nd is None, nd or date.min, rec.doc_id, rec.seq, ROLE_ORDER[role], oid, role, via, nd))
    return sorted(rows)


def _varied(n: int, seed: int = 11) -> list:
    """A small archive shaped like the benchmark's, with what it lacks: several fixed dates,
    fixed and recurring together, a quarterly rule, names left empty, a repeated id."""
    r = random.Random(seed)
    out = []
    for doc_id, ex in archive(n, seed=seed):
        ex = ex.model_copy(deep=True)
        for ob in ex.obligations:
            x = r.random()
            if x < 0.15:
                ob.deadlines = [fixed("2024-03-01", "a"), fixed("2025-06-30", "b")]
            elif x < 0.25:
                ob.deadlines = [fixed("2024-11-15", "a"), monthly(10, "m"), yearly(None, None, "y")]
            elif x < 0.3:
                ob.deadlines = [Deadline(kind="recurring", freq="QUARTERLY", day=15, text="q")]
            if r.random() < 0.05 and ob.lead:
                ob.lead[0] = ob.lead[0].model_copy(update={"name": ""})
        if r.random() < 0.03 and len(ex.obligations) > 2:
            ex.obligations[2] = ex.obligations[2].model_copy(update={"id": ex.obligations[0].id})
        out.append((doc_id, ex))
    return out


def _same_index(a: ArchiveGraph, b: ArchiveGraph) -> None:
    assert a.task_index.static == b.task_index.static
    assert a.task_index.dated == b.task_index.dated
    assert a.task_index.nameless == b.task_index.nameless


@pytest.fixture(scope="module")
def varied() -> list:
    return _varied(400)


def test_rows_equal_a_walk_of_the_graph(varied):
    graph = ArchiveGraph.from_documents(varied)
    for agency in graph.agency_ids():
        for today in DAYS:
            for groups in (True, False):
                got = tl.sorted_rows(graph, agency, include_groups=groups, today=today)
                assert list(got) == walked_rows(graph, agency, groups, today), (agency, today, groups)


def test_index_follows_removals_replacements_and_additions(varied):
    r = random.Random(5)
    graph = ArchiveGraph.from_documents(varied)
    kept = dict(varied)
    for doc_id in r.sample(sorted(kept), 80):
        graph.remove_document(doc_id)
        del kept[doc_id]
    changed = _varied(400, seed=12)  # other deadlines and names for the same documents
    for doc_id, ex in r.sample(changed, 60):
        graph.add_document(doc_id, ex)  # a correction replaces the document
        kept[doc_id] = ex
    fresh = ArchiveGraph.from_documents(sorted(kept.items()))
    _same_index(graph, fresh)
    for agency in r.sample(fresh.agency_ids(), 60):
        for today in DAYS:
            assert tl.sorted_rows(graph, agency, include_groups=True, today=today) == \
                tl.sorted_rows(fresh, agency, include_groups=True, today=today)
            assert agency_tasks(graph, agency, today=today, status=None) == \
                agency_tasks(fresh, agency, today=today, status=None)
    for doc_id in list(kept):
        graph.remove_document(doc_id)
    assert not graph.task_index.static and not graph.task_index.dated and not graph.task_index.nameless


def test_next_due_from_the_record_is_next_due(varied):
    graph = ArchiveGraph.from_documents(varied)
    days = [*DAYS[1:], *(date(2014, 1, 1) + timedelta(days=k * 97) for k in range(50))]
    for rec in graph.obligations.values():
        for today in (None, *days):
            assert tl.next_due_of(rec, today) == next_due(rec.obligation.deadlines, today,
                                                          not_before=rec.not_before)


@pytest.mark.parametrize("freq", ["MONTHLY", "QUARTERLY", "YEARLY"])
def test_one_expansion_a_year_gives_the_next_occurrence(freq):
    r = random.Random(freq)
    for _ in range(200):  # (29 February: leap years only; no impossible dates, slow to expand)
        day, month = r.choice([(None, None), (1, 2), (29, 2), (15, 6), (31, 12), (30, None), (31, None)])
        d = Deadline(kind="recurring", freq=freq, day=day, month=month, text="x")
        after = date(2015, 1, 1) + timedelta(days=r.randrange(4000))
        got = rc._occ(rc.shape(d), after, after + rc._HORIZON)
        assert rc._next(rc.shape(d), after) == (got[0] if got else None)


def test_merge_is_a_sort():
    r = random.Random(3)
    for _ in range(300):
        keys = {(f"d{r.randrange(50)}", r.randrange(9), r.randrange(3)) for _ in range(r.randrange(80))}
        due = {k: None if r.random() < 0.4 else date(2024, 1, 1) + timedelta(days=r.randrange(30)) for k in keys}
        rows = sorted((nd is None, nd or date.min, *k) for k, nd in due.items())
        share = r.choice([0.02, 0.2, 0.5, 0.98])
        a = [x for x in rows if r.random() < share]
        b = [x for x in rows if x not in a]
        assert tl.merge(a, b) == rows == tl.merge(b, a)


def test_tasks_share_one_read_only_fields_set(graph):
    tasks = agency_tasks(graph, "agency:so-noi-vu-tinh-kon-tum", status=None)
    t = tasks[0]
    assert t.model_fields_set == set(Task.model_fields) and t.model_fields_set is tasks[1].model_fields_set
    t.status = "done"  # assignment adds a field the set has: fine
    with pytest.raises(TypeError):
        t.model_fields_set.discard("status")
    moved = t.model_copy(update={"status_by": "clerk"})
    assert type(moved.model_fields_set) is set and moved.status_by == "clerk"
    moved.model_fields_set.discard("span")  # a copy's set is its own
    assert "span" in tasks[1].model_fields_set
    for other in (copy.copy(t), copy.deepcopy(t), pickle.loads(pickle.dumps(t))):
        assert other == t and type(other.model_fields_set) is set
