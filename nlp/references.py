"""Cited documents: numbered ones (state and Party numbers) and laws cited by name.

``extract_references(text, header=…)`` returns one :class:`Reference` per distinct document,
every mention's :class:`Span` kept. The type comes from the word before the number ("Quyết
định số …", "văn bản số …") or from the number's kind code; the date from "ngày …" right after
it; the issuer from "của …" (role word removed) or from the code table. The document's own
number and the registration numbers of stamps and copies are not references; nor are forms
("mẫu số 03/TNDN") or standards (TCVN, ISO). ``relation`` is "replaces" ("… này thay thế …",
"bãi bỏ …"), "implements" (a preamble "(Để) (tiếp tục) thực hiện …", a title "Kế hoạch triển khai
thực hiện …"), else "cites".
"""
from __future__ import annotations

import re

from chithi.models import DocumentHeader, Reference, Span
from chithi.text import fold, slug, squash
from nlp.doc_numbers import (UP, NGAY_DATE_RE, NUMBER_RE, issuer_of_number, load, ngay_date, normalize_number,
                             type_from_word, type_of_number)

_TYPE_WORDS = sorted({w for w in load("doc_types.json")["words"]}, key=len, reverse=True)
_TYPE_WORD_RE = re.compile(
    r"(?<![\wÀ-ỹ])(?P<w>Bộ luật|Luật|Quyết định|Chỉ thị|Công điện|Kết luận|Nghị định|Thông tư liên tịch|Thông tư|"
    r"Nghị quyết|Thông báo|Kế hoạch hành động|Kế hoạch|Báo cáo|Tờ trình|Hướng dẫn|Công văn|văn bản|Quy định|Quy chế|"
    r"Phương án|Chương trình hành động|Chương trình|Đề án|Pháp lệnh|Thông tri)(?![\wÀ-ỹ])", re.I)
_TAIL_PLAIN = re.compile(r"^s?[\s:]*(?:số|Số)?[\s:]*$")
_TAIL_LAW = re.compile(r"^\s+(?P<name>[" + UP + r"][^\d;:.()\n]{0,80}?)\s+(?:số|Số)[\s:]*$")
_SKIP_BEFORE = re.compile(r"(?i)(?:(mẫu|biểu mẫu|tờ khai|mã số|mã|tiêu chuẩn)\s*(số)?\s*:?|\d\s*:)\s*$")
_OF_RE = re.compile(
    r"^[\s,]*(?:do\s+|của\s+)(?:(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Trưởng ban|Cục trưởng|Tổng cục trưởng|"
    r"Chánh Văn phòng|Chủ nhiệm|Bí thư|Tổng Giám đốc|Tổng giám đốc|Trưởng)\s+)?"
    r"(?P<who>[" + UP + r"][^,;.:()\n]{1,90})")
_OF_STOP = re.compile(
    r"\s+(?:về|quy định|ban hành|phê duyệt|hướng dẫn|sửa đổi|thông báo|đã|tại|đối với|trên|thì|kèm|gửi|khoá|khóa|"
    r"kỳ|Kỳ|và|như|triển khai|thực hiện|năm|được|nhằm|để|có|cho|với|quy|tổ chức|lãnh đạo|bổ sung|công bố|"
    r"hướng|xác định|giao|điều chỉnh|áp dụng|phân|chấn chỉnh|tăng cường|ngày)\b|\s+\d")
_LAW_RE = re.compile(r"(?<![\wÀ-ỹ])(?P<kw>Bộ luật|Luật)\s+(?P<first>[" + UP + r"][\wÀ-ỹ]*)")
_LAW_STOPS = {"năm", "số", "ngày", "quy", "được", "và", "về", "có", "hiện", "thì", "này", "đã", "để", "tại", "của",
              "đối", "trong", "khi", "do", "mà", "nhưng", "gồm", "như", "hoặc", "sửa", "cũng", "phải", "là", "từ",
              "sau", "trước", "các", "những", "thuộc", "đang", "sẽ", "hướng", "ban", "khóa", "khoá", "nêu", "trên",
              "thi", "điều", "khoản", "nhằm", "với", "vào", "đến", "hết", "đúng", "còn", "không", "chưa", "cho"}
_STOPS = _LAW_STOPS | {"bảo", "nguồn", "trừ", "phụ", "kịp", "cụ", "tiếp", "nay", "tới", "mới", "theo", "dưới", "rồi",
                      "tháng", "lần", "tạo", "quy", "nhất"}
_IMPL_START = re.compile(r"(?:^|\n|[.;:]\s)\s*(?:\*\*)?(?:Để\s+)?(?:tiếp tục\s+)?(?:triển khai\s+)?"
                         r"(?:Thực hiện|Triển khai|Thi hành|thực hiện|thi hành)\b", re.M)
_IMPL_SUBJECT = re.compile(
    r"[,;]\s*(?:(?:UBND|Ủy ban|Uỷ ban|Bộ|Sở|Cục|Ban|Văn phòng|Chủ tịch|Thủ tướng|Tỉnh ủy|Huyện ủy|Thành ủy|Thuế)"
    r"\b[^,;]{0,70}?)\s(?:ban hành|đã|yêu cầu|chỉ thị|có ý kiến|xây dựng|thông báo|đề nghị|hướng dẫn|triển khai)")
_ITEM_RE = re.compile(r"^\s*(?:\*\*)?(?:I|1|Điều 1)\s*[.):]\s", re.M)


def _word_before(before: str) -> tuple[str | None, str | None]:
    """The type word written just before a number ("Quyết định số", "văn bản số: ") and, for a
    law ("Luật Đất đai số"), its name."""
    last = None
    for last in _TYPE_WORD_RE.finditer(before):
        pass
    if last is None:
        return None, None
    tail = before[last.end():]
    if _TAIL_PLAIN.match(tail):
        return last.group("w"), None
    law = _TAIL_LAW.match(tail)
    if law and fold(last.group("w")) in ("luat", "bo luat"):
        return last.group("w"), squash(law.group("name"))
    return None, None


def _law_name(text: str, m: re.Match) -> tuple[str, int, str | None, str | None]:
    """(name, end offset, year, what follows: 'so' | 'ngay' | None) of a law named at m."""
    toks = list(re.finditer(r"[^\s]+", text[m.start("first"):m.start("first") + 200]))
    base = m.start("first")
    words, end = [], m.end("first")
    for k, t in enumerate(toks):
        w = t.group(0)
        bare = w.rstrip(",;.:)”\"")
        if k and (bare.lower() in _STOPS or not re.match(r"[\wÀ-ỹ]", bare)
                  or bare[:1] in "(“\"" or bare in ("Luật", "Bộ") or any(c.isdigit() for c in bare)):
            break
        if k and words and words[-1].endswith(",") and (not bare[:1].islower() or len(words) > 2):
            break
        if len(words) >= 2 and bare[:1].isupper() and "\n" in text[base + toks[k - 1].end():base + t.start()] \
                and not bare.isupper() and bare not in ("Quốc", "Nhà", "Việt", "Chính", "Nhân"):
            break
        words.append(w)
        end = base + t.start() + len(w)
        if w.endswith((";", ".", ":", ")")) or len(words) >= 12:
            break
    name = " ".join(words).rstrip(",;.:)")
    end = base + text[base:end].rfind(name.split()[-1]) + len(name.split()[-1])
    after = text[end:end + 40]
    year = re.match(r"\s+năm\s+((?:19|20)\d{2})\b", after)
    follows = "so" if re.match(r"\s+số\b", after) else "ngay" if re.match(r"\s+(?:được thông qua\s+)?ngày\b", after) else None
    if year:
        end += year.end()
    return m.group("kw") + " " + name, end, (year.group(1) if year else None), follows


def _clean_issuer(who: str) -> str | None:
    who = _OF_STOP.split(who, maxsplit=1)[0]
    who = squash(who).strip(" -")
    if not who or len(who.split()) > 12 or who.lower().startswith(("mình", "các ", "cơ quan", "đơn vị")):
        return None
    return who


def _implements_ranges(text: str, header: DocumentHeader | None) -> list[tuple[int, int]]:
    """Stretches of the preamble that say what the document carries out."""
    spans = header.spans if header else {}
    head_end = max((sp.end for k, sp in spans.items() if k in ("number", "date", "type", "subject", "recipients")), default=0)
    item = _ITEM_RE.search(text, head_end)
    limit = min(item.start() if item else len(text), head_end + 2500)
    out = []
    for m in _IMPL_START.finditer(text, head_end, limit):
        if re.match(r"\s*(?:nghiêm|tốt|đúng|có hiệu quả)", text[m.end():m.end() + 15]):
            continue
        end = m.end()
        stop = re.compile(r"\.(?:\s|$)|\n\s*\n|:\s*\n")
        s = stop.search(text, end)
        s_end = s.start() if s else len(text)
        subj = _IMPL_SUBJECT.search(text, end, s_end)
        out.append((m.start(), subj.start() if subj else s_end))
    return out


def _relation(text: str, start: int, end: int, impl: list[tuple[int, int]], subject: str | None, number: str | None) -> str:
    sent_start = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start), text.rfind(";", 0, start), 0)
    before = text[sent_start:start]
    if re.search(r"này\s+(?:thay thế|bãi bỏ)|(?:^|[.\n]\s*)(?:\d+\.\s*)?Bãi bỏ|\bbãi bỏ\s+(?:\S+\s+){0,3}$", before):
        return "replaces"
    if any(a <= start < b for a, b in impl):
        return "implements"
    if re.search(r"Kế hoạch triển khai (?:thực hiện|thi hành)\s+(?:\S+\s+){0,2}$", text[max(0, start - 60):start]) \
            and start < 3000:
        return "implements"
    if subject and number and number in normalize_number_text(subject) and re.search(
            r"(?i)(thực hiện|thi hành|triển khai)", subject.split(number)[0] if number in subject else subject):
        return "implements"
    return "cites"


def normalize_number_text(text: str) -> str:
    return NUMBER_RE.sub(lambda m: normalize_number(m.group(0)), text)


def extract_references(text: str, *, header: DocumentHeader | None = None) -> list[Reference]:
    """Every identifiable document the text cites, one entry each (see the module docstring)."""
    own = {normalize_number(header.number).upper()} if header and header.number else set()
    if header:
        own |= {normalize_number(r.number).upper() for r in header.registrations if r.number}
    reg_spans = [(r.span.start, r.span.end) for r in (header.registrations if header else []) if r.span]
    own_span = header.spans.get("number") if header else None
    subject = header.subject if header else None
    impl = _implements_ranges(text, header)
    refs: dict[str, Reference] = {}
    law_names_with_number: set[str] = set()

    for m in NUMBER_RE.finditer(text):
        number = normalize_number(m.group(0))
        if number.upper() in own or any(a <= m.start() < b for a, b in reg_spans):
            continue
        if re.search(r"(?:^|[-/])(BS|SY|SL|BSY)(?:[-/]|$)", number):
            continue  # a copy's registration number ("Số 93-BS/HU", "…/SY-UBND"), never a cited document
        if own_span and own_span.start <= m.start() < own_span.end:
            continue
        before = text[max(0, m.start() - 120):m.start()]
        if _SKIP_BEFORE.search(before) or re.search(r"(?i)(TCVN|ISO|QCVN)\s*$", before):
            continue
        word, law_name = _word_before(before)
        word_type = type_from_word(word) if word else None
        code_type = type_of_number(number)
        typ = code_type if word_type == "Công văn" and code_type not in (None, "Công văn") else (word_type or code_type)
        title = None
        if law_name:
            title = squash(word + " " + law_name)
            law_names_with_number.add(fold(title))
        after = text[m.end():m.end() + 160]
        pre = re.match(r"[\s,]*(?:[A-Z][A-Za-z]{1,4}\s+)?(?:\([^)]{0,40}\)\s*)?", after)
        dm = NGAY_DATE_RE.match(after, pre.end())
        date = ngay_date(dm) if dm else None
        of = _OF_RE.match(after[dm.end():] if dm else after)
        issuer = _clean_issuer(of.group("who")) if of else None
        issuer = issuer or (issuer_of_number(number) if not of else None) or issuer_of_number(number)
        span = Span(start=m.start(), end=m.end())
        relation = _relation(text, m.start(), m.end(), impl, subject, number)
        ref = refs.get(number)
        if ref is None:
            refs[number] = Reference(id="vb:" + number, type=typ, number=number, date=date, issuer=issuer, title=title,
                                     relation=relation, text=squash(m.group(0)), spans=[span],
                                     confidence=0.95 if (word_type or code_type) else 0.7)
        else:
            ref.spans.append(span)
            ref.date = ref.date or date
            ref.type = ref.type if word_type is None or ref.type == word_type else (ref.type or word_type)
            ref.title = ref.title or title
            if issuer and (ref.issuer is None or of and ref.issuer == issuer_of_number(number)):
                ref.issuer = issuer
            if relation != "cites" and ref.relation == "cites":
                ref.relation = relation

    laws: dict[str, Reference] = {}
    for m in _LAW_RE.finditer(text):
        if m.group("first") in ("Sửa", "Này") or re.search(r"(?i)(dự thảo|dự án|xây dựng)\s*$", text[max(0, m.start() - 20):m.start()]):
            continue
        name, end, year, follows = _law_name(text, m)
        if follows == "so" or re.match(r"\s*\(sửa đổi\)", text[end:end + 15]):
            continue
        title = name + (f" năm {year}" if year else "")
        date = None
        if follows == "ngay":
            dm = NGAY_DATE_RE.search(text, end, end + 40)
            date = ngay_date(dm) if dm else None
        key = fold(title)
        if not year:  # a bare name cited elsewhere with its year is that law
            key = next((k for k in laws if k.startswith(fold(name) + " nam ")), key)
        span = Span(start=m.start(), end=end)
        relation = _relation(text, m.start(), end, impl, subject, None)
        if relation == "implements" and re.search(r"(?:của|theo)\s*$", text[max(0, m.start() - 10):m.start()]):
            relation = "cites"  # a law named inside a cited document's title
        if subject and re.search(r"(?i)(triển khai|thực hiện|thi hành)\s+" + re.escape(fold(name)), fold(subject)):
            relation = "implements"
        if key in laws:
            laws[key].spans.append(span)
            laws[key].date = laws[key].date or date
            continue
        laws[key] = Reference(id="luat:" + slug(title), type="Bộ luật" if m.group("kw") == "Bộ luật" else "Luật",
                              number=None, date=date, issuer="Quốc hội", title=title, relation=relation,
                              text=text[m.start():end], spans=[span], confidence=0.8)
    return list(refs.values()) + list(laws.values())
