"""Where a directive's body is: units between the header and the Nơi nhận / signature,
plus the attached plan or rules after it, and the phrases that address the whole body
(the preamble's addressee, the Kính gửi list, the notice's "thông báo để X … thực hiện")."""
from __future__ import annotations

import re

from .roles import cues, looks_like_agency, phrase_until_verb
from .structure import Unit, clean_quote, mark_leadins, paragraphs

_TITLE = re.compile(r"^(CHỈ THỊ|KẾ HOẠCH|CÔNG ĐIỆN|THÔNG BÁO|QUYẾT ĐỊNH|NGHỊ QUYẾT|CHƯƠNG TRÌNH|HƯỚNG DẪN|"
                    r"BÁO CÁO|TỜ TRÌNH|QUY ĐỊNH|KẾT LUẬN|ĐỀ ÁN)\b")
_KINH_GUI = re.compile(r"(?:^|\n)[^\n]{0,80}?(?<!\w)(Kính\s+gửi|Đồng\s+kính\s+gửi|KÍNH\s+GỬI|điện)\s*:", re.I)
_NOI_NHAN = re.compile(r"^\W*(Nơi\s+nhận|NƠI\s+NHẬN)\b")
_SUBJECT = re.compile(r"^\W*(V/v|Về\s+việc|Về|VỀ|V/V)\b")


def _clean(text: str, unit: Unit) -> str:
    return clean_quote(text[unit.start:unit.end])


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _signature(s: str) -> bool:
    low = s.lower().strip()
    return len(s) < 60 and (_is_upper(s) or low.startswith(("kt.", "t/m", "tl.", "tm.", "q.", "tuq.")))\
        and any(low.startswith(w) for w in cues()["signature_lines"])


def _annex_title(s: str) -> bool:
    return len(s) < 120 and _is_upper(s) and any(s.lower().startswith(w) for w in cues()["annex_titles"])


def _body_start(text: str, units: list[Unit]) -> tuple[int, tuple[int, int] | None]:
    """Offset where the body starts, and the Kính gửi (or Công điện "… điện:") phrase if any."""
    limit = max(600, int(len(text) * 0.4))
    for i, unit in enumerate(units):
        if unit.start > limit:
            break
        kg = _KINH_GUI.search(text[unit.start:unit.end])
        if kg and unit.style is None:
            r_start, r_end = unit.start + kg.end(), unit.end
            j = i + 1
            while j < len(units) and units[j].style in ("dash", "plus", "bullet") and units[j].end - units[j].start < 250:
                r_end = units[j].end
                j += 1
            return r_end, (r_start, r_end)
    start = 0
    for i, unit in enumerate(units):
        if unit.start > limit:
            break
        s = _clean(text, unit)
        if _TITLE.match(s) and _is_upper(s) and len(s) < 200:
            start = unit.end
            for nxt in units[i + 1:i + 4]:
                t = _clean(text, nxt)
                if (_is_upper(t) or _SUBJECT.match(t)) and len(t) < 400 and nxt.style is None:
                    start = nxt.end
                else:
                    break
            if s.startswith("QUYẾT ĐỊNH") and i + 1 < len(units):
                continue  # "QUYẾT ĐỊNH" title, then "Căn cứ …", then "QUYẾT ĐỊNH:"
            break
    return start, None


def _quoted_provisions(text: str) -> list[tuple[int, int]]:
    """Long passages in quotation marks (a law's articles quoted by a guidance letter): read as
    background, never as items of this document."""
    return [(m.start(), m.end()) for m in re.finditer(r"[“\"]([^”\"]{200,}?)[”\"]", text)]


def body_units(text: str, *, skip: list[tuple[int, int]] = ()):
    """(units of the body, preamble addressee span, Kính gửi span, notice addressee span);
    ``skip``: ranges read otherwise (task tables)."""
    skip = [*skip, *_quoted_provisions(text)]
    units = [u for u in paragraphs(text) if not any(a <= u.start < b for a, b in skip)]
    start, recipients = _body_start(text, units)
    body: list[Unit] = []
    state = "body"
    for unit in units:
        if unit.end <= start:
            continue
        s = _clean(text, unit)
        if state == "body":
            if _NOI_NHAN.match(text[unit.start:unit.end]) or (unit.style is None and _signature(s)):
                state = "tail"
                continue
            body.append(unit)
        elif _annex_title(s) and unit.style is None:
            state = "body"
            body.append(Unit(start=unit.start, end=unit.end, body_start=unit.start, style="reset"))
    body = mark_leadins(text, body)
    return body, _preamble_addressee(text, body), recipients, _notice_addressee(text)


def _preamble_addressee(text: str, units: list[Unit]) -> tuple[int, int] | None:
    """The paragraph before the first item: "Chủ tịch UBND thành phố yêu cầu các phòng, ban, …
    thực hiện các nội dung sau:"."""
    last = None
    for unit in units:
        if unit.style is not None:
            break
        last = unit
    else:
        return None  # no items: no preamble (the paragraphs themselves are read as items)
    if last is None or not re.search(r"(?::|như\s+sau|sau\s+đây)\s*\W*$", text[last.start:last.end]):
        return None
    found = leadin_addressee(text[last.start:last.end])
    return (last.start + found[0], last.start + found[1]) if found else None


_OWN_MEASURES = re.compile(r"(?:^|[.;]\s+)((?:Ủy|Uỷ)\s+ban\s+nhân\s+dân[^.;:,]{0,40}?|UBND[^.;:,]{0,40}?)\s+"
                           r"(?:đề\s+ra|thực\s+hiện|triển\s+khai)\s+(?:những|các|một\s+số)?\s*"
                           r"(?:giải\s+pháp|nhiệm\s+vụ|biện\s+pháp)")


def leadin_addressee(para: str) -> tuple[int, int] | None:
    """Who a lead-in paragraph addresses: "… yêu cầu các sở … thực hiện …" gives those bodies;
    "Ủy ban nhân dân huyện đề ra những giải pháp … như sau" gives the issuer carrying out its own
    measures; "Ban Thường vụ Tỉnh ủy yêu cầu:" gives no one."""
    for m in re.finditer(r"\b(yêu\s+cầu|đề\s+nghị|giao|chỉ\s+thị)\s+", para):
        rest = para[m.end():]
        if rest.lstrip().startswith(":") or not looks_like_agency(rest[:60]):
            continue
        phrase = phrase_until_verb(para, m.end())
        if phrase:
            return phrase.start, phrase.end
    own = _OWN_MEASURES.search(para)
    if own:
        return own.start(1), own.end(1)
    return None


def _notice_addressee(text: str) -> tuple[int, int] | None:
    """"… thông báo để Ủy ban nhân dân tỉnh X và các cơ quan liên quan biết, thực hiện"."""
    m = None
    for m in re.finditer(r"thông\s+báo\s+(?:[^.;]{0,60}?\s)?(?:để|cho|tới|đến)\s+", text):
        pass
    if m is None:
        return None
    rest = text[m.end():m.end() + 400]
    stop = re.search(r"\s(biết|thực\s+hiện|được\s+biết|để\s+biết)\b", rest)
    if not stop:
        return None
    return m.end(), m.end() + stop.start()
