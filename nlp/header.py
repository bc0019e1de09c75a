"""The document header: type, number, place and date, issuer, signer, subject, recipients.

``extract_header(text)`` is a pure function of the document text (NFC). It reads the left
header column (agency lines), the "Số:" line, the "<place>, ngày … tháng … năm …" line, the
title (type word and trích yếu, or "V/v …"), "Kính gửi", "Nơi nhận" and the signature block.
Arrival stamps ("CÔNG VĂN ĐẾN Số … Ngày …") and copy blocks ("SAO Y", "Số 93-BS/HU") are read as
:class:`Registration` and never give the document's own fields. A field the text does not
show stays null. Line and casing helpers live in :mod:`nlp.doc_numbers`.
"""
from __future__ import annotations

import re

from chithi.models import DocumentHeader, Registration, Span
from chithi.text import squash
from nlp.doc_numbers import NGAY_DATE_RE, NUMBER_RE, load, ngay_date, normalize_number, parse_date, type_of_number
from nlp.doc_numbers import (Line, agency_units, expand_unit, find_locality, is_caps, locality_of, name_case,
                             normal_case, sentence_case, split_lines)

_BODY_OPEN = re.compile(r"^(Căn cứ|Thực hiện|Trong thời gian|Thời gian qua|Tiếp theo|Để |Nhằm|Ngày \d|Theo đề nghị|"
                        r"Xét đề nghị|Trả lời|Năm \d{4}|Qua |Hiện nay|Triển khai)", re.I)
_STAMP_RE = re.compile(r"^(?:CÔNG VĂN |VĂN BẢN )?ĐẾN\b", re.I)
_COPY_RE = re.compile(r"^(SAO Y(?: BẢN CHÍNH)?|SAO LỤC|TRÍCH SAO|BẢN SAO)\b")
_NO_RE = re.compile(r"\bS[ốô]\s*:?\s*")
_VV_RE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC|Về|VỀ)\b\s*:?\s*")
_KG_RE = re.compile(r"^(?:Kính\s*gửi|KÍNH GỬI)\s*:?\s*|\bđiện\s*:\s*$")
_NAME_TOKEN = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ']*$")


def _stamp_zones(lines: list[Line]) -> tuple[list[tuple[int, int]], list[Registration]]:
    """Line ranges of arrival stamps and copy blocks, and the registrations they hold."""
    zones, regs = [], []
    for i, ln in enumerate(lines):
        if _STAMP_RE.match(ln.clean) and len(ln.clean) < 40:
            lo, hi = max(0, i - 1), min(len(lines), i + 5)
            block = [l for l in lines[lo:hi] if not l.clean.lower().startswith(("số và ký hiệu",))]
            text = "\n".join(l.clean for l in lines[lo:hi] if l.clean)
            num = re.search(r"S[ốô]\s*:?\s*(\d+)", text)
            date = re.search(r"Ng[àa]y\s*:?\s*(\d{1,2}\s?[./\-]\s?\d{1,2}\s?[./\-]\s?\d{4})", text)
            issuer = lines[i - 1].clean if i and is_caps(lines[i - 1].clean) and not _STAMP_RE.match(lines[i - 1].clean) else None
            zones.append((lo, hi))
            regs.append(Registration(kind="arrival", number=num.group(1) if num else None,
                                     date=parse_date(date.group(1)) if date else None,
                                     issuer=normal_case(issuer) if issuer else None, text=text,
                                     span=Span(start=block[0].start, end=lines[hi - 1].end)))
        elif _COPY_RE.match(ln.clean) and len(ln.clean) < 30:
            lo = i
            while lo > 0 and i - lo < 6 and (is_caps(lines[lo - 1].clean) or not lines[lo - 1].clean
                                             or _NO_RE.match(lines[lo - 1].clean) or lines[lo - 1].clean in "*-"):
                lo -= 1
            hi = min(len(lines), i + 30)
            block = lines[lo:hi]
            text = "\n".join(l.clean for l in block if l.clean)
            num = next((m for m in (NUMBER_RE.search(l.clean) for l in lines[lo:i + 3]) if m), None)
            date = next((m for m in (NGAY_DATE_RE.search(l.clean) for l in lines[i:i + 4]) if m), None)
            units = agency_units([l for l in lines[lo:i] if is_caps(l.clean) and not _NO_RE.match(l.clean)])
            zones.append((lo, hi))
            regs.append(Registration(kind="copy", number=normalize_number(num.group(0)) if num else None,
                                     date=ngay_date(date) if date else None,
                                     issuer=expand_unit(units[-1], units[-2] if len(units) > 1 else None) if units else None,
                                     text=text[:300], span=Span(start=block[0].start, end=block[-1].end)))
    return zones, regs


def _head_end(lines: list[Line]) -> int:
    """Index of the first body line (the header is above it)."""
    seen_title = False
    for i, ln in enumerate(lines[:80]):
        c = ln.clean
        if c.upper() in load("doc_types.json")["title_words"]:
            seen_title = True
        if i > 2 and (_BODY_OPEN.match(c) or (len(c) > 110 and not is_caps(c)) or (seen_title and c.startswith("Căn"))):
            return i
    return min(len(lines), 60)


def _title(lines: list[Line], head: range, zones) -> tuple[int | None, str | None]:
    titles = load("doc_types.json")["title_words"]
    for i in head:
        if _in(i, zones):
            continue
        c = lines[i].clean.rstrip(":")
        for word in sorted(titles, key=len, reverse=True):
            if c == word or (c.startswith(word + " ") and c[len(word) + 1:].startswith(("VỀ", "V/V", "Về", "CỦA"))):
                return i, titles[word]
    return None, None


def _in(i: int, zones) -> bool:
    return any(lo <= i < hi for lo, hi in zones)


def _subject(lines: list[Line], title_i: int | None, head: range, zones) -> tuple[str | None, Span | None]:
    """The trích yếu: the V/v line(s), or the title lines after the type word."""
    roles = tuple(load("header_lexicon.json")["role_titles"])
    picked: list[Line] = []
    for i in head:
        if _VV_RE.match(lines[i].clean) and lines[i].clean[:3].lower() == "v/v" and not _in(i, zones):
            picked = [lines[i]]
            for ln in lines[i + 1:i + 5]:
                if (not ln.clean or NGAY_DATE_RE.search(ln.clean) and "," in ln.clean or _KG_RE.search(ln.clean)
                        or ln.clean.startswith(("Số", "Kính"))):
                    break
                picked.append(ln)
            break
    if not picked and title_i is not None:
        rest = lines[title_i].clean.split(" ", 2)
        j = title_i + 1
        while j < len(lines) and not lines[j].clean and j - title_i < 3:
            j += 1
        for ln in lines[j:j + 8]:
            c = ln.clean
            if not c or (picked and not is_caps(c) and not c[:1].islower() and not _VV_RE.match(c)) \
                    or c.upper().startswith(roles) and picked or _BODY_OPEN.match(c) or c.upper().startswith("CỦA "):
                if c.upper().startswith("CỦA ") and not picked:
                    continue
                break
            picked.append(ln)
            if not is_caps(c) and c.endswith((".", ";")):
                break
        if not picked and len(rest) > 1:
            picked = [lines[title_i]]
    if not picked:
        return None, None
    text = squash(" ".join(l.clean for l in picked))
    text = _VV_RE.sub("", re.sub(r"^(?:" + "|".join(load("doc_types.json")["title_words"]) + r")\s+", "", text)).strip()
    text = re.sub(r"^(?:việc|VIỆC)\s+", "", text).rstrip(" .;:")
    if is_caps(text):
        text = sentence_case(text)
    return text or None, Span(start=picked[0].start, end=picked[-1].end)


def _date_place(text: str, lines: list[Line], head: range, zones):
    for i in head:
        if _in(i, zones):
            continue
        m = NGAY_DATE_RE.search(lines[i].raw)
        if not m:
            continue
        before = lines[i].raw[:m.start()].rstrip()
        k = i
        if not before and i > 0:  # "Đồng Tháp,\nngày 19 tháng 11 năm 2025"
            k, before = i - 1, lines[i - 1].raw.rstrip()
        if not before.endswith(","):
            continue
        place = before[:-1].strip(" *#")
        if len(place.split()) == 1 and k > 0 and lines[k - 1].clean and not lines[k - 1].clean.endswith((".", ";", ":")) \
                and all(w[:1].isupper() or w in ("phố", "thị") for w in lines[k - 1].clean.split()) and len(lines[k - 1].clean.split()) <= 5:
            place = lines[k - 1].clean + " " + place
        start = lines[i].start + m.start()
        return ngay_date(m), Span(start=start, end=lines[i].start + m.end()), squash(place) or None
    m = re.search(r"\((\d{1,2}:\d{2})\s*\|\s*(\d{1,2}/\d{1,2}/\d{4})\)", text[:3000])  # a news page's time stamp
    if m:
        return parse_date(m.group(2)), Span(start=m.start(2), end=m.end(2)), None
    return None, None, None


def _number(lines: list[Line], head: range, zones):
    for i in head:
        if _in(i, zones):
            continue
        c = lines[i].raw
        m = _NO_RE.search(c)
        if not m or (m.start() and c[:m.start()].strip(" *#|")):
            continue
        rest = c[m.end():]
        off = lines[i].start + m.end()
        if not rest.strip() and i + 1 < len(lines):
            rest, off = lines[i + 1].raw, lines[i + 1].start
        n = NUMBER_RE.search(rest)
        if n and not rest[:n.start()].strip(" *"):
            return normalize_number(n.group(0)), Span(start=off + n.start(), end=off + n.end())
    return None, None


def _signature(lines: list[Line], zones, skip: int):
    """(signer, title, form, span) of the first signature block outside the copy zones."""
    lex = load("header_lexicon.json")
    forms, roles = lex["signing_forms"], sorted(lex["role_titles"], key=len, reverse=True)
    i = skip
    while i < len(lines):
        c = re.sub(r"\((?:đã ký|Đã ký|ký)\)|\*", "", lines[i].clean).strip()
        up = c.upper()
        head = up.split(" ")[0] if up else ""
        is_title = is_caps(c) and (head in forms or any(up == r or up.startswith(r + " ") for r in roles))
        if not is_title or _in(i, zones):
            i += 1
            continue
        form, title, j = None, None, i
        while j < len(lines) and j - i < 8:
            cj = re.sub(r"\((?:đã ký|Đã ký|ký)\)|\*", "", lines[j].clean).strip()
            if not cj or re.fullmatch(r"(?i)\(?đã ký\)?:?|\[.*\]|\(ký.*\)", cj):
                j += 1
                continue
            if is_caps(cj) and not _name_ok(cj):
                first = cj.split(" ")[0]
                if first in forms:
                    form = forms[first]
                title = cj
                j += 1
                continue
            break
        name_ln = lines[j] if j < len(lines) else None
        if name_ln is not None:
            nm = re.sub(r"^(?:Đã ký|đã ký)\s*:?\s*", "", name_ln.clean).replace("*", "").strip()
            end = name_ln.end
            if len(nm.split()) < 3 and j + 1 < len(lines) and _name_ok(nm + " " + lines[j + 1].clean, strict=False) \
                    and len((nm + " " + lines[j + 1].clean).split()) <= 5 and not _name_ok(nm):
                nm, end = nm + " " + lines[j + 1].clean, lines[j + 1].end
            if _name_ok(nm):
                if form is None and title and title.split(" ")[0] in forms:
                    form = forms[title.split(" ")[0]]
                title_text = re.sub(r"^(?:T/M|TM\.?|KT\.?|TL\.?|T/L|Q\.|TUQ\.?)\s*", "", title or "").strip()
                return name_case(nm), normal_case(title_text) if title_text else None, form, Span(start=name_ln.start, end=end)
        i = j + 1
    return None, None, None, None


def _name_ok(text: str, *, strict: bool = True) -> bool:
    toks = text.split()
    if not 2 <= len(toks) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if is_caps(text):
        return toks[0].title() in load("header_lexicon.json")["surnames"]
    return all(_NAME_TOKEN.match(t) for t in toks)


def _list_after(lines: list[Line], i: int, first: str, *, stop_at_caps: bool) -> list[str]:
    """Items of a "Kính gửi:" / "Nơi nhận:" list starting on line i (``first``: the rest of that line)."""
    items: list[str] = []
    cur = first.strip()
    for ln in lines[i + 1:i + 40]:
        c = ln.clean
        if not c:
            if items or cur:
                break
            continue
        if stop_at_caps and is_caps(c) and not c.startswith("-"):
            break
        if c[:1] in "-+•":
            if cur:
                items.append(cur)
            cur = c[1:].strip()
        elif c.startswith("(") and c.endswith((")", ");", ").")) and cur and not cur.endswith("("):
            continue  # an address line under a recipient
        elif cur and not cur.endswith((";", ".")) and len(c) < 90 and not _BODY_OPEN.match(c):
            cur += " " + c
        else:
            break
    if cur:
        items.append(cur)
    out = []
    for it in items:
        for part in (it.split(";") if not stop_at_caps else [it]):
            part = part.strip(" ;,.").strip()
            if part and not part.lower().startswith("lưu"):
                out.append(part)
    return out


def extract_header(text: str) -> DocumentHeader:
    """The header fields of a document's text (see the module docstring)."""
    lines = split_lines(text)
    zones, regs = _stamp_zones(lines)
    end = _head_end(lines)
    head = range(0, end)
    h = DocumentHeader(registrations=regs)
    conf = h.confidence

    h.number, sp = _number(lines, head, zones)
    if sp:
        h.spans["number"], conf["number"] = sp, 0.95
    h.date, sp, h.place = _date_place(text, lines, head, zones)
    if sp:
        h.spans["date"], conf["date"] = sp, 0.9
    title_i, h.type = _title(lines, head, zones)
    if title_i is not None:
        h.spans["type"], conf["type"] = Span(start=lines[title_i].start, end=lines[title_i].end), 0.95
    h.subject, sp = _subject(lines, title_i, head, zones)
    if sp:
        h.spans["subject"], conf["subject"] = sp, 0.8

    # Recipients: "Kính gửi:" (or a Công điện's "… điện:").
    for i in range(0, min(len(lines), end + 8)):
        m = _KG_RE.search(lines[i].clean)
        if m and not _in(i, zones):
            first = lines[i].clean[m.end():] if m.start() == 0 else ""
            h.recipients = _list_after(lines, i, first, stop_at_caps=False)
            if h.recipients:
                h.spans["recipients"], conf["recipients"] = Span(start=lines[i].start, end=lines[i].end), 0.8
            break
    for i, ln in enumerate(lines):
        if re.match(r"(?i)^n[ơo]i\s*(nhận)?\s*:?$|^nơi nhận\s*:", ln.clean) and not _in(i, zones):
            first = ln.clean.split(":", 1)[1] if ":" in ln.clean else ""
            h.distribution = _list_after(lines, i, first, stop_at_caps=True)
            h.spans["distribution"] = Span(start=ln.start, end=ln.end)
            break

    is_article = not h.number and re.search(r"\(\d{1,2}:\d{2}\s*\|\s*\d{1,2}/\d{1,2}/\d{4}\)", text[:3000]) is not None \
        or bool(lines) and re.match(r"(?i)^(cổng thông tin|trang thông tin|báo )", lines[0].clean or "") is not None
    if h.type is None:
        if is_article:
            h.type, conf["type"] = "Bài viết", 0.7
        elif any(_KG_RE.search(lines[i].clean) or lines[i].clean[:3].lower() == "v/v" for i in head):
            h.type, conf["type"] = "Công văn", 0.85
        elif h.number:
            h.type, conf["type"] = type_of_number(h.number), 0.6

    # Issuer: the header's agency lines; else the "CỦA …" title line; else the preamble.
    stop = title_i if title_i is not None else end
    agency_lines = [ln for k, ln in enumerate(lines[:stop]) if not _in(k, zones) and is_caps(ln.clean)
                    and not re.match(r"^(CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP|Độc lập|SỐ|V/V)", ln.clean, re.I)
                    and not _NO_RE.match(ln.clean) and ln.clean.upper() not in load("doc_types.json")["title_words"]]
    units = agency_units(agency_lines)
    if units:
        h.issuer = expand_unit(units[-1], units[-2] if len(units) > 1 else None)
        h.issuer_parent = expand_unit(units[-2]) if len(units) > 1 else None
        h.spans["issuer"], conf["issuer"] = Span(start=units[-1][0].start, end=units[-1][-1].end), 0.9
    elif is_article and lines:
        first = next((l for l in lines if l.clean), None)
        if first is not None and len(first.clean) < 90:
            h.issuer, conf["issuer"] = first.clean, 0.7
            h.spans["issuer"] = Span(start=first.start, end=first.end)
    else:
        h.issuer, sp = _issuer_from_body(text, lines, title_i)
        if sp:
            h.spans["issuer"], conf["issuer"] = sp, 0.7
    if h.issuer and not locality_of(h.issuer):
        h.issuer = find_locality(h.issuer, text, regs)
    h.locality = locality_of(h.issuer) if h.issuer else None

    # Signer: the first signature block outside a copy; a news article's byline.
    copy_zones = [z for z, r in zip(zones, regs) if r.kind == "copy"]
    h.signer, h.signer_title, h.signing_form, sp = _signature(lines, copy_zones, end)
    if not h.signer and is_article:
        last = next((l for l in reversed(lines) if l.clean), None)
        if last is not None and _name_ok(last.clean):
            h.signer, sp = last.clean, Span(start=last.start, end=last.end)
    if sp:
        h.spans["signer"], conf["signer"] = sp, 0.85
    return h


def _issuer_from_body(text: str, lines: list[Line], title_i: int | None) -> tuple[str | None, Span | None]:
    """Without header lines: "CỦA BAN THƯỜNG VỤ TỈNH ỦY" under the title, or the preamble's
    "Chủ tịch Ủy ban nhân dân tỉnh X chỉ thị/yêu cầu" without its role word."""
    if title_i is not None:
        for ln in lines[title_i + 1:title_i + 4]:
            if ln.clean.upper().startswith("CỦA ") and is_caps(ln.clean):
                return normal_case(ln.clean[4:]), Span(start=ln.start + 4, end=ln.end)
    rx = re.compile(r"(?:Chủ tịch|Giám đốc|Bộ trưởng|Trưởng ban|Thủ trưởng|Bí thư)?\s*"
                    r"((?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Ban Thường vụ|Ban Chấp hành|Sở|Bộ|Ban)"
                    r"(?:\s+[A-ZĐÀ-Ỹa-zđà-ỹ][\wÀ-ỹ]*){0,6}?)\s+(?:chỉ thị|yêu cầu|quyết định|chỉ đạo)\s*:")
    m = rx.search(text[:8000])
    if m:
        name = re.sub(r"^UBND\b", "Ủy ban nhân dân", m.group(1).strip())
        return name, Span(start=m.start(1), end=m.end(1))
    return None, None
