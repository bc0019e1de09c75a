import networkx as nx
import pytest
from samples import build, kon_tum, kon_tum_2018, pairs, soc_trang

from chithi.errors import NotFound


def same(a, b) -> bool:
    return nx.utils.graphs_equal(a.g, b.g) and a.g.adj == b.g.adj


def test_readding_a_document_is_idempotent(graph):
    before = build(pairs())
    graph.add_document("kt15", kon_tum())
    graph.add_document("kt15", kon_tum())
    assert same(graph, before)
    assert len(graph.agency_tasks("agency:so-noi-vu-tinh-kon-tum")) == len(
        before.agency_tasks("agency:so-noi-vu-tinh-kon-tum"))


def test_rebuild_from_pairs_is_identical_whatever_the_order():
    a = build(pairs())
    b = build(pairs())
    c = build(list(reversed(pairs())))
    assert same(a, b) and same(a, c)
    assert a.g.number_of_nodes() > 30 and a.g.number_of_edges() > 60


def test_remove_then_add_back_gives_the_same_graph(graph):
    graph.remove_document("kt15")
    assert "obl:kt15#o1" not in graph.g and "agency:thanh-tra-tinh-kon-tum" not in graph.g
    assert same(graph, build([("st10", soc_trang()), ("kt02", kon_tum_2018())]))
    graph.add_document("kt15", kon_tum())
    assert same(graph, build(pairs()))
    with pytest.raises(NotFound):
        graph.remove_document("nope")


def test_removing_everything_leaves_an_empty_graph(graph):
    for doc_id, _ in pairs():
        graph.remove_document(doc_id)
    assert graph.g.number_of_nodes() == 0 and graph.g.number_of_edges() == 0


def test_from_documents_equals_one_by_one():
    from knowledge_graph import ArchiveGraph

    assert same(ArchiveGraph.from_documents(pairs()), build(pairs()))
