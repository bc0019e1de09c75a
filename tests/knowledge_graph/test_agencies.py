from datetime import date

import pytest
from samples import build, kon_tum, soc_trang

from chithi.errors import NotFound

SNV_KT = "agency:so-noi-vu-tinh-kon-tum"
SNV_ST = "agency:so-noi-vu-tinh-soc-trang"
UBND_KT = "agency:uy-ban-nhan-dan-tinh-kon-tum"


def test_find_agencies_tolerant_and_ranked(graph):
    names = [a.name for a in graph.find_agencies("Sở Nội vụ")]
    assert names == ["Sở Nội vụ tỉnh Kon Tum", "Sở Nội vụ tỉnh Sóc Trăng"]
    assert [a.name for a in graph.find_agencies("so noi vu tinh kon tum")][0] == "Sở Nội vụ tỉnh Kon Tum"
    for q in ("UBND tỉnh Kon Tum", "Uỷ ban nhân dân tỉnh Kon Tum", "ỦY BAN NHÂN DÂN TỈNH KON TUM"):
        assert graph.find_agencies(q)[0].id == UBND_KT
    assert graph.find_agencies("Bộ Nội vụ")[0].name == "Bộ Nội vụ"
    assert all("Bộ" not in a.name for a in graph.find_agencies("Sở Nội vụ"))
    assert graph.find_agencies("không có cơ quan này") == []


def test_one_node_per_body_with_aliases_and_parent(graph):
    a = graph.get_agency(SNV_KT)
    assert a.aliases == ["Sở Nội vụ"] and a.kind == "so" and a.level == "tinh"
    assert a.locality == "tỉnh Kon Tum" and a.parent_id == UBND_KT
    # the mention without a locality (3.c) took the header's and joined the same node
    assert any(t.obligation_id == "kt15#o4" for t in graph.agency_tasks(SNV_KT))
    assert graph.get_agency(SNV_ST).parent_id == "agency:uy-ban-nhan-dan-tinh-soc-trang"
    assert graph.get_agency("agency:uy-ban-nhan-dan-huyen-dak-ha").parent_id == UBND_KT
    with pytest.raises(NotFound):
        graph.get_agency("agency:khong-co")


def test_collectives_are_nodes_scoped_to_their_province(graph):
    kt = graph.find_agencies("các sở, ban, ngành tỉnh Kon Tum")[0]
    st = graph.find_agencies("các sở, ban, ngành tỉnh Sóc Trăng")[0]
    assert kt.collective and st.collective and kt.id != st.id
    assert set(kt.aliases) == {"các sở, ban ngành", "các sở, ban, ngành"}


def test_kon_tum_so_noi_vu_task_list(graph):
    tasks = graph.agency_tasks(SNV_KT, today=date(2024, 10, 5))
    assert {t.document_id for t in tasks} == {"kt15", "kt02"}  # nothing from Sóc Trăng
    rules = {d.rrule for t in tasks for d in t.deadlines}
    assert {"FREQ=MONTHLY;BYMONTHDAY=10", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=10"} <= rules
    by = {(t.obligation_id, t.role): t for t in tasks}
    assert by[("kt15#o2", "report_to")].via_group is None
    assert by[("kt15#o2", "lead")].via_group == "các sở, ban ngành"
    assert by[("kt15#o1", "lead")].via_group == "các sở, ban ngành"
    assert by[("kt02#o1", "lead")].via_group == "các sở, ban, ngành"
    assert by[("kt15#o3", "lead")].via_group is None
    assert by[("kt15#o2", "lead")].next_due == "2024-10-10"
    assert by[("kt15#o4", "lead")].next_due == "2024-10-13"
    assert tasks[0].next_due == "2024-10-10"  # soonest first
    direct = graph.agency_tasks(SNV_KT, include_groups=False)
    assert {t.obligation_id for t in direct} == {"kt15#o2", "kt15#o3", "kt15#o4"}
    assert all(t.via_group is None for t in direct)


def test_district_collective_reaches_only_its_province(graph):
    dak_ha = graph.agency_tasks("agency:uy-ban-nhan-dan-huyen-dak-ha")
    assert {(t.obligation_id, t.via_group) for t in dak_ha} == {
        ("kt15#o7", None), ("kt15#o1", "Ủy ban nhân dân các huyện, thành phố"),
        ("kt15#o2", "Ủy ban nhân dân các huyện, thành phố")}
    st = graph.agency_tasks(SNV_ST)
    assert {t.document_id for t in st} == {"st10"}
    assert {(t.obligation_id, t.via_group) for t in st} == {("st10#o1", "các sở, ban, ngành"), ("st10#o2", None)}
    # the provincial government itself is not one of "các sở, ban, ngành"
    assert graph.agency_tasks(UBND_KT) == []


def test_sole_document_order_does_not_change_membership():
    # a member named only in a later document still joins the earlier collective
    a = build([("st10", soc_trang()), ("kt15", kon_tum())])
    b = build([("kt15", kon_tum()), ("st10", soc_trang())])
    assert [t.obligation_id for t in a.agency_tasks(SNV_KT)] == [t.obligation_id for t in b.agency_tasks(SNV_KT)]
