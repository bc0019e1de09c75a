"""The graph over the real seeds, as nlp.extract reads them."""
from datetime import date

import networkx as nx
import pytest
from icalendar import Calendar

import nlp
from knowledge_graph import ArchiveGraph, tasks_ics

SNV_KT = "agency:so-noi-vu-tinh-kon-tum"


@pytest.fixture(scope="module")
def seeds(root):
    out = []
    for path in sorted((root / "corpora").glob("*.txt")):
        out.append((path.name[:3], nlp.extract(path.read_text(encoding="utf-8"), file=path.name)))
    if not any(ex.obligations for _, ex in out):
        pytest.fail("nlp.extract found no obligations in the seeds")
    return out


def _build(pairs) -> ArchiveGraph:
    g = ArchiveGraph()
    for doc_id, ex in pairs:
        g.add_document(doc_id, ex)
    return g


def test_seeds_task_list_of_kon_tum_so_noi_vu(seeds):
    g = _build(seeds)
    assert [a.name for a in g.find_agencies("Sở Nội vụ")][:2] == ["Sở Nội vụ tỉnh Kon Tum", "Sở Nội vụ tỉnh Sóc Trăng"]
    tasks = g.agency_tasks(SNV_KT, today=date(2024, 10, 5))
    assert {t.document_id for t in tasks} == {"004"}  # nothing from the Sóc Trăng seeds
    rules = {d.rrule for t in tasks for d in t.deadlines}
    assert {"FREQ=MONTHLY;BYMONTHDAY=10", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=10", "FREQ=MONTHLY;BYMONTHDAY=13"} <= rules
    assert any(t.via_group and "sở" in t.via_group for t in tasks)
    assert any(t.via_group is None and t.section == "3.c" for t in tasks)
    cal = Calendar.from_ical(tasks_ics(g, SNV_KT, today=date(2024, 10, 5)))
    assert sum(1 for e in cal.walk("VEVENT") if "RRULE" in e) >= 4


def test_seeds_rebuild_is_identical(seeds):
    a, b = _build(seeds), _build(list(reversed(seeds)))
    assert nx.utils.graphs_equal(a.g, b.g) and a.g.adj == b.g.adj
