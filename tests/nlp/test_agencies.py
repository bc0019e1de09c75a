"""Agency recognition: golden addressee phrases, canonical names, lookup, recall on the gold."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from chithi.text import fold
from nlp.agencies import agency_key, canonicalize, find_agencies, names_match, split_names, strip_role

GOLDEN = Path(__file__).parent / "golden" / "agencies"
SPLIT = json.loads((GOLDEN / "split_names.json").read_text(encoding="utf-8"))
FIND = json.loads((GOLDEN / "find_agencies.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", SPLIT, ids=[c["phrase"][:40] for c in SPLIT])
def test_split_names_golden(case):
    got = split_names(case["phrase"], locality=case["locality"])
    assert [a.name for a in got] == [e["name"] for e in case["expected"]]
    for a, e in zip(got, case["expected"]):
        assert a.canonical == e["canonical"]
        assert (a.kind, a.level, a.collective, a.role_word) == (e["kind"], e["level"], e["collective"], e["role_word"])
        assert case["phrase"][a.span.start:a.span.end] == e["span"]


@pytest.mark.parametrize("case", FIND, ids=[c["text"][:40] for c in FIND])
def test_find_agencies_golden(case):
    got = find_agencies(case["text"])
    assert [a.name for a in got] == case["expected"]
    for a in got:
        assert case["text"][a.span.start:a.span.end]


def test_spans_are_offset_adjusted():
    text = "x" * 10 + "Giao Sở Nội vụ chủ trì, phối hợp với Bộ Tài chính"
    for fn in (split_names, find_agencies):
        got = fn(text[10:], offset=10)
        assert [text[a.span.start:a.span.end] for a in got][:2] == ["Sở Nội vụ", "Bộ Tài chính"][: len(got)]


def test_guideline_examples():
    names = lambda phrase, **kw: [a.name for a in split_names(phrase, **kw)]  # noqa: E731
    assert names("Thủ trưởng các sở, ban, ngành") == ["các sở, ban, ngành"]
    assert names("Chủ tịch Ủy ban nhân dân các huyện") == ["Ủy ban nhân dân các huyện"]
    assert names("các Bộ: Quốc phòng, Công an") == ["Bộ Quốc phòng", "Bộ Công an"]
    assert names("Ủy ban nhân dân các tỉnh: Hà Tĩnh, Quảng Trị") == [
        "Ủy ban nhân dân tỉnh Hà Tĩnh", "Ủy ban nhân dân tỉnh Quảng Trị"]
    assert names("Sở Nội vụ và các cơ quan liên quan") == ["Sở Nội vụ", "các cơ quan liên quan"]
    assert names("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ") == [
        "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"]
    assert names("các sở, ban, ngành trên địa bàn tỉnh") == ["các sở, ban, ngành"]
    assert names("các đơn vị thuộc phạm vi quản lý") == ["các đơn vị"]
    assert names("tỉnh Phú Thọ") == ["Ủy ban nhân dân tỉnh Phú Thọ"]
    assert names("cán bộ, công chức, viên chức") == ["cán bộ, công chức, viên chức"]
    assert names("UBND các phường, xã thực hiện nghiêm") == ["UBND các phường, xã"]
    assert names("các bộ, ngành, địa phương và doanh nghiệp liên quan") == [
        "các bộ, ngành, địa phương và doanh nghiệp liên quan"]
    assert names("các cơ quan (Sở Tài chính, Sở Y tế)") == ["Sở Tài chính", "Sở Y tế"]


def test_canonicalize():
    a = canonicalize("Sở Nội vụ", locality="tỉnh Kon Tum")
    assert (a.canonical, a.kind, a.level, a.locality) == ("Sở Nội vụ tỉnh Kon Tum", "so", "tinh", "tỉnh Kon Tum")
    assert a.key == agency_key("Sở Nội vụ tỉnh Kon Tum") == "so-noi-vu-tinh-kon-tum"
    assert canonicalize("Ủy ban nhân dân tỉnh", locality="tỉnh Kon Tum").canonical == "Ủy ban nhân dân tỉnh Kon Tum"
    assert canonicalize("UBND tỉnh", locality="tỉnh Kon Tum").canonical == "Ủy ban nhân dân tỉnh Kon Tum"
    for central in ("Bộ Nội vụ", "Văn phòng Chính phủ", "Thủ tướng Chính phủ"):
        c = canonicalize(central, locality="tỉnh Kon Tum")
        assert (c.canonical, c.level, c.locality) == (central, "trung_uong", None)
    coll = canonicalize("các sở, ban, ngành", locality="tỉnh Kon Tum")
    assert (coll.canonical, coll.collective, coll.locality) == ("các sở, ban, ngành", True, "tỉnh Kon Tum")
    assert canonicalize("UBMTTQVN tỉnh").canonical == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert canonicalize("Sở KH&ĐT").canonical == "Sở Kế hoạch và Đầu tư"
    assert canonicalize("HĐND huyện").canonical == "Hội đồng nhân dân huyện"
    assert canonicalize("Uỷ ban nhân dân tỉnh Khánh Hoà").canonical == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert canonicalize("Ủy ban nhân Thành phố").canonical == "Ủy ban nhân dân Thành phố"
    assert canonicalize("phòng Tư pháp").canonical == "Phòng Tư pháp"
    assert canonicalize("Phòng Nội vụ", locality="thành phố Thanh Hóa").canonical == "Phòng Nội vụ thành phố Thanh Hóa"
    assert canonicalize("Phòng Nội vụ", locality="tỉnh Kon Tum").canonical == "Phòng Nội vụ"  # a district body
    assert canonicalize("Ban Thường vụ Tỉnh ủy", locality="tỉnh Sóc Trăng").canonical == "Ban Thường vụ Tỉnh ủy Sóc Trăng"
    ch = canonicalize("Chủ tịch UBND thành phố", locality="thành phố Thanh Hóa")
    assert (ch.name, ch.role_word, ch.canonical) == ("UBND thành phố", "Chủ tịch", "Ủy ban nhân dân thành phố Thanh Hóa")
    assert canonicalize("Ủy ban nhân dân xã Tân Long").level == "xa"
    assert canonicalize("Ủy ban nhân dân huyện Vĩnh Thuận").level == "huyen"
    assert canonicalize("Ủy ban nhân dân thành phố Huế").level == "tinh"
    assert canonicalize("Hội Nông dân tỉnh").kind == "doan_the"
    assert canonicalize("Huyện ủy Mỹ Tú").kind == "dang"
    assert canonicalize("Tập đoàn Điện lực Việt Nam").kind == "doanh_nghiep"
    assert canonicalize("cán bộ, công chức, viên chức").kind == "nguoi"


def test_agency_key_folds_variants():
    k = agency_key("Ủy ban nhân dân tỉnh Kon Tum")
    for variant in ("UBND tỉnh Kon Tum", "Uỷ ban nhân dân tỉnh Kon Tum", "ỦY BAN NHÂN DÂN TỈNH KON TUM",
                    "Chủ tịch Ủy ban nhân dân tỉnh Kon Tum", "Ủy  ban nhân dân\ntỉnh Kon Tum"):
        assert agency_key(variant) == k
    assert agency_key("Sở KH&CN") == agency_key("Sở Khoa học và Công nghệ")
    assert re.fullmatch(r"[a-z0-9-]+", agency_key("Sở Lao động - Thương binh và Xã hội"))


def test_names_match():
    assert names_match("Sở Nội vụ", "Sở Nội vụ tỉnh Kon Tum")
    assert names_match("Sở Nội vụ", "Sở Nội vụ tỉnh Sóc Trăng")
    assert names_match("so noi vu", "Sở Nội vụ")
    assert names_match("SỞ NỘI VỤ", "Sở Nội vụ thành phố Hồ Chí Minh")
    assert not names_match("Sở Nội vụ", "Bộ Nội vụ")
    assert not names_match("Sở Nội vụ", "Sở Ngoại vụ tỉnh Kon Tum")
    assert names_match("UBND tỉnh Kon Tum", "Ủy ban nhân dân tỉnh Kon Tum")
    assert names_match("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Kon Tum")
    assert not names_match("Ủy ban nhân dân tỉnh Quảng Trị", "Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert names_match("Sở Giáo dục và Đào tạo", "Sở GD&ĐT tỉnh Nghệ An")
    assert names_match("Ủy ban nhân dân tỉnh Quảng Tri", "Ủy ban nhân dân tỉnh Quảng Trị")  # OCR: one letter
    assert not names_match("", "Sở Nội vụ")


def test_strip_role():
    assert strip_role("Chủ tịch Hội đồng thành viên, Tổng giám đốc các Tập đoàn") == (
        "các Tập đoàn", "Chủ tịch Hội đồng thành viên, Tổng giám đốc")
    assert strip_role("Sở Nội vụ") == ("Sở Nội vụ", None)


def _score_module(shared: Path):
    spec = importlib.util.spec_from_file_location("chithi_score", shared / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_find_agencies_recall_on_gold(shared):
    """Of the gold lead/support/report_to names written in an obligation's quote, how many
    find_agencies(quote) finds (score.py's agencies_match decides)."""
    score = _score_module(shared)
    total = hit = 0
    files = sorted((shared / "gold").glob("*.json")) + sorted((shared / "gold-corpus").glob("*.json"))
    for path in files:
        for o in json.loads(path.read_text(encoding="utf-8"))["obligations"]:
            quote = o["quote"]
            found = [a.name for a in find_agencies(quote)]
            folded = re.sub(r"\W+", " ", fold(quote))
            for role in ("lead", "support", "report_to"):
                for name in o.get(role) or []:
                    if re.sub(r"\W+", " ", fold(strip_role(name)[0])).strip() not in folded:
                        continue  # inherited from a heading: not in the quote
                    total += 1
                    hit += any(score.agencies_match(name, f) for f in found)
    assert total > 150
    assert hit / total >= 0.93, (hit, total)


def test_split_names_odd_input():
    assert split_names("") == []
    assert split_names("   ;,.") == []
    assert find_agencies("") == []
    assert find_agencies("1899/QĐ-TTg ngày 04/9/2025; 12/UBND-KGVX") == []
