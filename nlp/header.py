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
from nlp.signature import Signature, mend_surname, name_ok, read_signature
from nlp.doc_numbers import NGAY_DATE_RE, NUMBER_RE, load, ngay_date, normalize_number, parse_date, type_of_number
from nlp.doc_numbers import (UP, LO, Line, agency_units, expand_unit, find_locality, is_caps, locality_of, name_case,
                             normal_case, sentence_case, split_lines)

_BODY_OPEN = re.compile(r"^(Căn cứ|Thực hiện|Trong thời gian|Thời gian qua|Tiếp theo|Để |Nhằm|Ngày \d|Theo đề nghị|"
                        r"Xét đề nghị|Trả lời|Năm \d{4}|Qua |Hiện nay|Triển khai)", re.I)
_STAMP_RE = re.compile(r"^(?:CÔNG VĂN |VĂN BẢN )?ĐẾN\b", re.I)
_COPY_RE = re.compile(r"^(SAO Y(?: BẢN CHÍNH)?|SAO LỤC|TRÍCH SAO|BẢN SAO)\b")
_NO_RE = re.compile(r"\bS[ốô]\s*:?\s*")
_VV_RE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC|về việc|Về|VỀ|về)\b\s*:?\s*")
_KG_RE = re.compile(r"^(?:Kính\s*gửi|KÍNH GỬI)\s*:?\s*|\bđiện\s*:\s*$")
_NATIONAL_RE = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ|CHỦ NGHĨA|HỘI CHỦ NGHĨA|XÃ HỘI|ĐỘC LẬP|VIỆT NAM\s*$|SỐ|V/V)", re.I)


def _stamp_zones(lines: list[Line]) -> tuple[list[tuple[int, int]], list[Registration]]:
    """Line ranges of arrival stamps and copy blocks, and the registrations they hold."""
    zones, regs = [], []
    for i, ln in enumerate(lines):
        if _STAMP_RE.match(ln.clean) and len(ln.clean) < 40:
            lo, hi = max(0, i - 1), i + 1
            for k in range(i + 1, min(len(lines), i + 7)):
                if re.match(r"(?i)^(số|ngày|chuy[eểế]n|lưu|ký hiệu)", lines[k].clean) or not lines[k].clean and k == i + 1:
                    hi = k + 1
                else:
                    break
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
        if i > 2 and ((_BODY_OPEN.match(c) and len(c) > 25) or (len(c) > 110 and not is_caps(c)) or (seen_title and c.startswith("Căn"))):
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


def _place_line(c: str, nxt: str) -> bool:
    """True for the place-and-date line (or the first half of a place split over two lines)."""
    return bool(re.search(r",\s*ngày|,$", c) or re.match(r"^ngày\s+\d", c)
                or nxt and re.match(r"^[^,]{1,25},\s*(ngày|$)", nxt) and all(w[:1].isupper() or w in ("phố", "thị", "xã") for w in c.split()))


def _subject(lines: list[Line], title_i: int | None, head: range, zones) -> tuple[str | None, Span | None]:
    """The trích yếu: the V/v line(s), or the title lines after the type word."""
    roles = tuple(load("header_lexicon.json")["role_titles"])
    titles = load("doc_types.json")["title_words"]
    picked: list[Line] = []
    for i in head:
        if lines[i].clean[:3].lower() == "v/v" and not _in(i, zones):
            picked = [lines[i]]
            for k in range(i + 1, min(len(lines), i + 6)):
                c, nxt = lines[k].clean, (lines[k + 1].clean if k + 1 < len(lines) else "")
                if not c or _place_line(c, nxt) or _KG_RE.search(c) or c.startswith(("Số", "Kính")):
                    break
                picked.append(lines[k])
            break
    if not picked and title_i is not None:
        k = title_i + 1
        while k < len(lines) and k - title_i < 12 and len(picked) < 8:
            c = lines[k].clean
            k += 1
            if not c:
                if picked:
                    break
                continue
            if is_caps(c) or c.isupper():
                if c.upper().startswith("CỦA ") and not picked:
                    continue
                if picked and not picked[-1].clean.isupper() or c.upper().startswith(roles) or c.upper() in titles:
                    break
                picked.append(lines[k - 1])
            else:
                if picked and (picked[-1].clean.isupper() or not c[:1].islower()) or _BODY_OPEN.match(c) and c[:1].isupper() and not _VV_RE.match(c):
                    break
                picked.append(lines[k - 1])
                if c.endswith((".", ";")):
                    break
    if not picked:
        return None, None
    text = _VV_RE.sub("", squash(" ".join(l.clean for l in picked))).strip()
    text = re.sub(r"^(?:việc|VIỆC)\s+", "", text).rstrip(" .;:")
    if text.isupper():
        text = sentence_case(text)
    return text or None, Span(start=picked[0].start, end=picked[-1].end)


def _date_place(text: str, lines: list[Line], head: range, zones):
    """(ISO date, span, place) of the "<place>, ngày … tháng … năm …" line of the header."""
    lo = lines[head.start].start if lines else 0
    hi = lines[head.stop - 1].end if lines and head.stop else 0
    blocked = [(lines[a].start, lines[b - 1].end) for a, b in zones]
    for m in NGAY_DATE_RE.finditer(text, lo, hi):
        if any(a <= m.start() < b for a, b in blocked):
            continue
        before = text[max(0, m.start() - 80):m.start()].rstrip(" \t\n*")
        if not before.endswith(","):
            continue
        lines_before = before[:-1].split("\n")
        place = re.split(r"\s{3,}|\t", lines_before[-1])[-1].strip(" *#")
        if len(place.split()) <= 1 and len(lines_before) > 1:
            prev = lines_before[-2].strip(" *#")
            if prev and not prev.endswith((".", ";", ":")) and len(prev.split()) <= 5 \
                    and all(w[:1].isupper() or w in ("phố", "thị", "xã") for w in prev.split()):
                place = prev + " " + place
        return ngay_date(m), Span(start=m.start(), end=m.end()), squash(place) or None
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


def _mend_caps(text: str) -> str:
    """Header words in capitals as OCR misreads them ("CHÍ THỊ", "TÍNH"), mended in place: every
    fix keeps the length, so offsets into the original text stay right."""
    for wrong, right in load("header_lexicon.json")["ocr_caps_fixes"].items():
        if len(wrong) == len(right):
            text = re.sub(r"(?<![\wÀ-ỹ])" + re.escape(wrong) + r"(?![\wÀ-ỹ])", right, text)
    return text


def extract_header(text: str) -> DocumentHeader:
    """The header fields of a document's text (see the module docstring)."""
    text = _mend_caps(text)
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
    stamp = re.search(r"\n([^\n]{10,300})\n\s*\(\d{1,2}:\d{2}\s*\|\s*\d{1,2}/\d{1,2}/\d{4}\)", text[:3000])
    if h.subject is None and stamp:
        h.subject, sp = stamp.group(1).strip(), Span(start=stamp.start(1), end=stamp.end(1))
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
    agency_lines = _agency_lines(lines, zones)
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
    by_title, sp = _issuer_in_title(lines, title_i)
    if by_title and (not h.issuer or _level(by_title) > _level(h.issuer)):
        # "CHỈ THỊ / CỦA BAN THƯỜNG VỤ TỈNH ỦY" under a district header: the title names the
        # body whose document this is; the header line is the body that copied it.
        h.issuer, h.spans["issuer"], conf["issuer"] = by_title, sp, 0.75
    if h.issuer and not locality_of(h.issuer):
        h.issuer = find_locality(h.issuer, text, regs)
    h.locality = locality_of(h.issuer) if h.issuer else None

    # Signer: the first signature block outside a copy; a news article's byline.
    copy_zones = [z for z, r in zip(zones, regs) if r.kind == "copy"]
    after = max((sp.end for key, sp in h.spans.items() if key in ("number", "date", "type")), default=0)
    first = next((k for k, ln in enumerate(lines) if ln.start >= after), len(lines))
    sig = read_signature(lines, copy_zones, first)
    if sig.name is None and is_article:
        last = next((l for l in reversed(lines) if l.clean), None)
        if last is not None and name_ok(last.clean):
            name, mended = mend_surname(last.clean)
            sig = Signature(name, None, None, Span(start=last.start, end=last.end), 0.6 if mended else 0.85)
    h.signer, h.signer_title, h.signing_form = sig.name, sig.title, sig.form
    if sig.span:
        h.spans["signer"], conf["signer"] = sig.span, sig.confidence
    return h


_LEVELS = ((3, ("trung ương", "chính phủ", "quốc hội", "bộ ")), (2, ("tỉnh", "thành phố trực thuộc")),
           (1, ("huyện", "quận", "thị xã")), (0, ("xã", "phường", "thị trấn")))


def _level(name: str) -> int:
    low = name.lower()
    for level, words in _LEVELS:
        if any(w in low for w in words):
            return level
    return -1


def _issuer_in_title(lines: list[Line], title_i: int | None) -> tuple[str | None, Span | None]:
    """"CỦA BAN THƯỜNG VỤ TỈNH ỦY" right under the type word."""
    if title_i is None:
        return None, None
    for ln in lines[title_i + 1:title_i + 3]:
        if ln.clean.upper().startswith("CỦA ") and is_caps(ln.clean) and len(ln.clean) < 80:
            return normal_case(ln.clean[4:]), Span(start=ln.start + 4, end=ln.end)
    return None, None


def _agency_lines(lines: list[Line], zones) -> list[Line]:
    """The header's left column: the ALL CAPS lines at the top, up to the first other line
    (national motto, separators and stamps skipped)."""
    out: list[Line] = []
    titles = load("doc_types.json")["title_words"]
    for k, ln in enumerate(lines[:40]):
        c = ln.clean
        if _in(k, zones) or not c or set(c) <= set("-*_=. ") or _NATIONAL_RE.match(c) \
                or re.match(r"(?i)^độc lập", c):
            continue
        cut = re.search(r"\s{3,}|\t|CỘNG H[OÒ]A|Cộng h[oò]a", ln.raw)
        if cut and cut.start() > 0:  # two header columns read as one line: keep the left one
            ln = Line(ln.start, ln.start + cut.start(), ln.raw[:cut.start()])
            c = ln.clean
        if not is_caps(c) or c.upper() in titles or _NO_RE.match(c) or NUMBER_RE.search(c):
            break
        out.append(ln)
    return out


def _issuer_from_body(text: str, lines: list[Line], title_i: int | None) -> tuple[str | None, Span | None]:
    """Without header lines: "CỦA BAN THƯỜNG VỤ TỈNH ỦY" under the title, or the preamble's
    "Chủ tịch Ủy ban nhân dân tỉnh X chỉ thị/yêu cầu" without its role word."""
    if title_i is not None:
        for ln in lines[title_i + 1:title_i + 4]:
            if ln.clean.upper().startswith("CỦA ") and is_caps(ln.clean):
                return normal_case(ln.clean[4:]), Span(start=ln.start + 4, end=ln.end)
    rx = re.compile(r"(?:Chủ\s+tịch|Giám\s+đốc|Bộ\s+trưởng|Trưởng\s+ban|Thủ\s+trưởng|Bí\s+thư)?\s*"
                    r"((?:[ỦU]ỷ?y?\s+ban\s+nh[âa]n\s+d[âaầấ]n|UBND|Ban\s+Thường\s+vụ|Ban\s+Chấp\s+hành|Sở|Bộ|Ban)"
                    r"(?:\s+[" + UP + r"" + LO + r"][\wÀ-ỹ]*){0,6}?)\s+(?:chỉ thị|yêu cầu|quyết định|chỉ đạo)\s*:")
    m = rx.search(text[:8000])
    if m:
        name = re.sub(r"^(?:UBND|[ỦU]ỷ?y? ban nh[âa]n d[âaầấ]n)\b", "Ủy ban nhân dân", re.sub(r"\s+", " ", m.group(1).strip()))
        return name, Span(start=m.start(1), end=m.end(1))
    return None, None
