from samples import build, kon_tum, kon_tum_2018, soc_trang

from knowledge_graph import documents_by_issuer, documents_citing, obligations_citing, replacements

CITED_KT = "cited:02/ct-ubnd@2018@tinh-kon-tum"
CITED_ST = "cited:02/ct-ubnd@2018@tinh-soc-trang"


def test_cited_document_merges_when_ingested_later():
    g = build([("kt15", kon_tum()), ("st10", soc_trang())])
    assert CITED_KT in g.g and CITED_ST in g.g  # two provinces' 02/CT-UBND are two documents
    assert g.g.has_edge("kt15", CITED_KT, "replaces")
    assert g.g.nodes[CITED_KT]["ingested"] is False
    g.add_document("kt02", kon_tum_2018())
    assert CITED_KT not in g.g and CITED_ST in g.g
    assert g.g.has_edge("kt15", "kt02", "replaces")
    [r] = replacements(g)
    assert (r.new.id, r.old.id, r.old.ingested, r.old.number) == ("kt15", "kt02", True, "02/CT-UBND")
    g.remove_document("kt02")  # the citation falls back to a cited node
    assert g.g.has_edge("kt15", CITED_KT, "replaces")
    assert replacements(g)[0].old.id == CITED_KT


def test_obligations_citing_a_document(graph):
    hits = obligations_citing(graph, "26/CT-TTg")
    assert [h.obligation_id for h in hits] == ["kt15#o1"]
    assert "các sở, ban ngành tỉnh Kon Tum" in hits[0].lead
    assert [h.obligation_id for h in obligations_citing(graph, "03/2007/QĐ-BNV")] == ["st10#o1"]
    assert [d.id for d in documents_citing(graph, "03/2007/QD-BNV")] == ["st10"]


def test_documents_of_an_issuer(graph):
    docs = documents_by_issuer(graph, "UBND tỉnh Kon Tum")
    assert [d.id for d in docs] == ["kt15", "kt02"]  # newest first
    assert [d.id for d in documents_by_issuer(graph, "agency:uy-ban-nhan-dan-tinh-soc-trang")] == ["st10"]
