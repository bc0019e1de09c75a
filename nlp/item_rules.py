"""Text tests the obligation extractor applies to an item: boilerplate, citation lists, annex
pointers, decisions of a Thông báo kết luận, modality, closing paragraphs. Pure functions."""
from __future__ import annotations

import re

from .roles import addressee_at_start, cues, looks_like_agency
from .structure import LEADIN_END, QUOTED_RULES


def title_matches(title: str, words: list[str]) -> bool:
    t = title.lower().strip(" :.")
    return len(t.split()) <= 12 and any(t.startswith(w) for w in words)


def is_boilerplate(text: str) -> bool:
    low = text.lower()
    if re.match(r"\s*(căn cứ|xét đề nghị|theo đề nghị)\s+(luật|bộ luật|hiến pháp|nghị định|nghị quyết|quyết định|"
                r"thông tư|chỉ thị|kế hoạch|công văn|văn bản|kết luận|thông báo|chức năng|tờ trình|quy định|của|"
                r"khoản|điều|điểm)\b", low):
        return True
    if re.match(r"\s*(đối với trường hợp|trường hợp)\b", low) and not re.search(
            r"\b(phải|có trách nhiệm|đề nghị|yêu cầu|giao|cần)\b", low):
        return True
    return any(p in low for p in cues()["boilerplate"]) and len(low) < 400


_CITATION = re.compile(r"(?:Luật|Bộ luật|Nghị định|Nghị quyết|Quyết định|Thông tư|Chỉ thị|Kết luận|Công văn|Văn bản|"
                       r"Kế hoạch|Thông báo|Hiến pháp|Pháp lệnh)\b[^;]*?(?:\d{4}|số\s+\S+)", re.I)


def is_citation_only(quote: str) -> bool:
    """"Nghị định số 08/2022/NĐ-CP ngày 10/01/2022 của Chính phủ quy định …;": a cited document
    in a "Căn cứ pháp lý" list, not an action; "Tại khoản 2 Điều 257 Luật Đất đai năm 2024 quy
    định:": the lead-in of a quoted provision."""
    if len(quote.split()) < 40 and QUOTED_RULES.match(quote) and LEADIN_END.search(quote):
        return True  # the lead-in that mark_leadins reads as a heading, here an item of its own
    m = _CITATION.match(quote)
    return bool(m) and len(quote.split()) < 60 and not re.search(
        r"\b(giao|yêu cầu|đề nghị|phải|có trách nhiệm|chủ trì|thực hiện nghiêm|triển khai)\b", quote[m.end():])


def is_annex_pointer(quote: str) -> bool:
    """"Các nhiệm vụ cụ thể tại Phụ lục kèm theo": a pointer to the annex, whose rows are the tasks."""
    return len(quote.split()) < 30 and bool(re.search(
        r"(chi tiết|cụ thể|danh mục)[^.]{0,60}(tại|theo|ở)\s+(các\s+)?phụ\s+lục", quote, re.I))


def decides(quote: str) -> bool:
    """Thông báo kết luận: an item in which the leader asks, assigns, requests or agrees."""
    low = quote.lower()
    if re.search(r"\b(giao|yêu cầu|đề nghị|đồng ý|chủ trì|có trách nhiệm|chịu trách nhiệm|khẩn trương|"
                 r"phải|cần khẩn trương)\b", low):
        return True
    if addressee_at_start(quote) is not None:
        return True
    body = re.sub(r"^về\s[^:]{3,160}:\s*", "", low)
    return body.startswith(("thống nhất", "đồng ý", "giao", "yêu cầu", "đề nghị"))


def modality_of(quote: str) -> str:
    low = quote.lower()
    if any(low.startswith(c) for c in cues()["encourage_cues"]) or "khuyến khích" in low[:80]:
        return "encouraged"
    if any(low.startswith(c) for c in cues()["prohibition_cues"]) or low.startswith("không "):
        return "prohibited"
    return "must"


CLOSING = re.compile(r"(?:^|[.;]\s+|\n)\s*(?:Đề\s+nghị|Yêu\s+cầu|Giao|Trong\s+quá\s+trình\s+(?:triển\s+khai\s+)?thực\s+hiện|"
                      r"Quá\s+trình\s+thực\s+hiện|Nếu\s+có\s+khó\s+khăn)\b")


def subject_assigns(para: str) -> bool:
    """"Ủy ban nhân dân huyện giao Phòng Nội vụ …": a closing paragraph whose subject assigns work."""
    head = para.lstrip()[:120]
    return looks_like_agency(head[:60]) and bool(re.search(r"\s(?:giao|yêu\s+cầu|đề\s+nghị)\s", head))


ROOT_ASSIGN = re.compile(r"(?<!\w)(?:[Đđ]ề\s+nghị|[Yy]êu\s+cầu|[Gg]iao)\s+")
