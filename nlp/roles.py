"""Who an item addresses: the phrases that name its lead, support and report recipients.

Pure functions over one item's text. They find *phrases* (offsets); splitting a phrase into
names and normalising them is :func:`nlp.agencies.split_names`'s job.

- :func:`addressee_at_start`: "Sở Nội vụ có trách nhiệm: …", "Thủ trưởng các sở, ban, ngành …
  thực hiện nghiêm …", "Giao X …", "Đề nghị X …", "Đối với X:", "X:".
- :func:`assigned_later`: a later sentence that gives work to a body ("Giao X chủ trì …",
  "Y phải …", "Y có trách nhiệm …").
- :func:`support_phrases`, :func:`report_phrases`.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

MAX_NAME_WORDS = 70


class Phrase(NamedTuple):
    start: int  # offsets relative to the text given
    end: int
    kind: str = "subject"  # "assign" ("Giao X …", "Đề nghị X …") or "subject" ("X phải …")


@lru_cache(maxsize=1)
def cues() -> dict:
    return json.loads(resources.files("nlp.data").joinpath("obligation_cues.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _verbs() -> list[list[str]]:
    return sorted((v.split() for v in cues()["addressee_verbs"]), key=len, reverse=True)


@lru_cache(maxsize=1)
def _heads() -> re.Pattern[str]:
    words = sorted({h.strip() for h in cues()["agency_heads"] if h.strip()}, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


_WORD = re.compile(r"[^\s,;:.()\"“”*_]+|[,;:.()]")


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _lower_words(toks: list[re.Match[str]], i: int, n: int) -> list[str]:
    return [t.group(0) for t in toks[i:i + n]]


def _noun_use(toks: list[re.Match[str]], i: int) -> bool:
    """"các tổ chức chính trị", "cơ quan quản lý cấp trên": a verb-like word used as a noun."""
    prev = toks[i - 1].group(0).lower()
    if prev in ("các", "những", "mỗi", "từng", "người", "chủ", "ban", "quan", "đồng", "viện"):
        return True  # "các tổ chức", "người chủ trì", "Ủy ban kiểm tra", "cơ quan quản lý"
    nxt = " ".join(t.group(0).lower() for t in toks[i:i + 6])
    if any(nxt.startswith(n) for n in cues()["noun_uses"]):
        return True
    for comp in cues()["noun_compounds"]:  # "sự nghiệp công lập": the verb closes a compound
        k = len(comp.split())
        if i + 1 >= k and " ".join(t.group(0).lower() for t in toks[i + 1 - k:i + 1]) == comp:
            return True
    return False


def _verb_at(toks: list[re.Match[str]], i: int) -> int:
    """Length in tokens of an addressee-ending verb at token i (written in lower case), else 0."""
    for verb in _verbs():
        words = _lower_words(toks, i, len(verb))
        if words == verb:
            return len(verb)
    return 0


def looks_like_agency(text: str) -> bool:
    """Does the phrase open like an addressee (a role word, "các", a body's head noun)?"""
    t = re.sub(r"\s+", " ", text.strip().lower())
    t = re.sub(r"^(đối với|giao cho|giao|đề nghị|yêu cầu|đồng ý giao cho|đồng ý giao)\s+", "", t)
    plural = re.match(r"(các|những|mỗi|từng|toàn thể|tất cả các)\s+", t)
    if plural:  # "các công trình" is no addressee, "các sở" is
        rest = t[plural.end():]
        return any(rest.startswith(h) and (len(rest) == len(h) or not rest[len(h)].isalnum())
                   for h in cues()["member_heads"])
    if t.startswith(tuple(cues()["not_agency_prefixes"])):
        return False
    return _heads().match(t) is not None


def phrase_until_verb(text: str, start: int = 0, *, stop_at_comma_verb: bool = False,
                      extra_stops: tuple[str, ...] = ()) -> Phrase | None:
    """The phrase from ``start`` to the first addressee verb, ":" or sentence end."""
    toks = [t for t in _tokens(text) if t.start() >= start]
    if not toks:
        return None
    end = None
    for i, tok in enumerate(toks):
        word = tok.group(0)
        if i > MAX_NAME_WORDS:
            return None
        if word == ":" and _distributive(text, start, tok):
            continue
        if (word in (":", ".") and not _abbrev_dot(text, tok)) or (word == "(" and "(" in extra_stops):
            end = tok.start()
            break
        if i > 0 and (word in extra_stops or (_verb_at(toks, i) and not _noun_use(toks, i))):
            end = tok.start()
            break
    if end is None:
        end = len(text)
    phrase_text = text[start:end]
    stripped = phrase_text.rstrip(" ,;\n\t")
    trailing = set(cues()["trailing_words"])
    while True:
        words = stripped.split()
        if len(words) > 1 and words[-1] in trailing:
            stripped = stripped[:stripped.rfind(words[-1])].rstrip(" ,;\n\t")
        else:
            break
    if not stripped.strip():
        return None
    lead_ws = len(phrase_text) - len(phrase_text.lstrip())
    return Phrase(start + lead_ws, start + len(stripped))


def _distributive(text: str, start: int, colon: re.Match[str]) -> bool:
    """"Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh, Quảng Trị, … chủ động …": the list after
    the colon names the members, and the sentence goes on after it."""
    before = text[start:colon.start()].lower()
    after = text[colon.end():colon.end() + 300].lstrip()
    if not re.search(r"\bcác\s+\w+", before) or not after[:1].isupper():
        return False
    names = re.match(r"(?:[A-ZĐÀ-Ỹ][^\s,;:.]*(?:\s+[A-ZĐÀ-Ỹ][^\s,;:.]*)*\s*,\s*)+[A-ZĐÀ-Ỹ]", after)
    return names is not None


def _abbrev_dot(text: str, tok: re.Match[str]) -> bool:
    """"TP." / "TT." / "PCT." : a dot that closes an abbreviation, not a sentence."""
    before = text[max(0, tok.start() - 4):tok.start()]
    return bool(re.search(r"(?:^|\s)[A-ZĐ]{1,4}$", before))


_ASSIGN = re.compile(r"^(?:[Gg]iao\s+cho|[Gg]iao|[Đđ]ề\s+nghị|[Yy]êu\s+cầu|[Đđ]ồng\s+ý\s+giao\s+cho|"
                     r"[Đđ]ồng\s+ý\s+giao|[Kk]huyến\s+khích|[Đđ]ối\s+với)\s+")


def addressee_at_start(text: str) -> Phrase | None:
    """The addressee an item or heading opens with, if any."""
    lead = len(text) - len(text.lstrip(" \t\n*_"))
    topic = re.match(r"Về\s[^:;.]{3,160}:\s*", text[lead:])
    if topic and not looks_like_agency(text[lead + 3:lead + 60].lstrip()):
        lead += topic.end()  # "Về thủ tục nhập khẩu …: Giao Bộ Xây dựng …"
    body = text[lead:]
    m = _ASSIGN.match(body)
    start = lead + (m.end() if m else 0)
    if not looks_like_agency(text[start:start + 60]):
        return _after_adverbial(text, lead)
    phrase = phrase_until_verb(text, start)
    if phrase is None or phrase.end - phrase.start < 2:
        return None
    hand_on = re.match(r"\s*(?:giao(?:\s+cho)?|đề\s+nghị|yêu\s+cầu)\s+", text[phrase.end:])
    if hand_on and looks_like_agency(text[phrase.end + hand_on.end():phrase.end + hand_on.end() + 60]):
        # "Ủy ban nhân dân huyện giao Phòng Nội vụ …": the body given the work is the addressee
        given = phrase_until_verb(text, phrase.end + hand_on.end())
        if given is not None:
            return given._replace(kind="assign")
    return phrase._replace(kind="assign" if m else "subject")


_ADVERBIAL = re.compile(r"(?:Trong\s+quá\s+trình|Quá\s+trình|Căn\s+cứ|Sau\s+khi|Ngay\s+sau\s+khi|Khi|Trường\s+hợp|Nếu|"
                        r"Trên\s+cơ\s+sở|Đồng\s+thời|Từ\s+nay|Hằng\s+năm|Hàng\s+năm|Định\s+kỳ)\b")


def _after_adverbial(text: str, lead: int) -> Phrase | None:
    """"Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các sở … phản ánh về …": the
    subject after an opening adverbial clause."""
    if not _ADVERBIAL.match(text[lead:]):
        return None
    sentence_end = re.search(r"[.;:]", text[lead:lead + 300])
    limit = lead + (sentence_end.start() if sentence_end else 300)
    cue = re.search(r"(?<!\w)(?:đề\s+nghị|yêu\s+cầu|giao)\s+", text[lead:limit])
    if cue and looks_like_agency(text[lead + cue.end():lead + cue.end() + 60]):
        phrase = phrase_until_verb(text, lead + cue.end())  # "…, nếu có khó khăn, đề nghị các sở …"
        if phrase is not None:
            return phrase._replace(kind="assign")
    for comma in re.finditer(r",\s+", text[lead:limit]):
        start = lead + comma.end()
        first = text[start:start + 4]
        if (first.startswith("các ") or first[:1].isupper()) and looks_like_agency(text[start:start + 60]):
            phrase = phrase_until_verb(text, start)
            following = text[phrase.end:].lstrip()
            if (phrase is not None and following[:1] not in ("", ".", ":", ";")
                    and not re.match(r"(đã|đang|vừa|được|là)\b", following)):
                return phrase._replace(kind="subject")
    return None


_LATER_ASSIGN = re.compile(r"(?:^|[.;:]\s+|,\s+)(?:(?:đồng thời|trong đó|theo đó),?\s+)?"
                           r"((?:[Gg]iao\s+cho|[Gg]iao|[Đđ]ề\s+nghị|[Yy]êu\s+cầu)\s+)")
_LATER_SUBJECT_VERBS = ("phải", "có trách nhiệm", "chịu trách nhiệm", "chủ trì")


def assigned_later(text: str, *, skip_until: int = 0) -> list[Phrase]:
    """Bodies given work further on: "Giao X …", "Đề nghị X …", and sentences "Y phải …"."""
    found: list[Phrase] = []
    for m in _LATER_ASSIGN.finditer(text):
        start = m.end()
        if start <= skip_until or not looks_like_agency(text[start:start + 60]):
            continue
        phrase = phrase_until_verb(text, start)
        if phrase:
            found.append(phrase._replace(kind="assign"))
    for m in re.finditer(r"(?:(?<=[.;])\s+|\n)(?=[A-ZĐÀ-Ỹ])", text):
        start = m.end()
        if start <= skip_until or _ASSIGN.match(text[start:]) or not looks_like_agency(text[start:start + 60]):
            continue
        phrase = phrase_until_verb(text, start)
        if phrase is None:
            continue
        after = text[phrase.end:phrase.end + 90].lstrip()
        if after.startswith(("là ", "được ", "không ")):
            continue
        clause = re.split(r"[.;:]", after, maxsplit=1)[0]
        if re.search(r"(?:^|\s)(?:phải|có trách nhiệm|chịu trách nhiệm|chủ trì)\b", clause):
            found.append(phrase)
    return found


def _after_cue(text: str, cue_end: int, *, stops: tuple[str, ...]) -> Phrase | None:
    rest = text[cue_end:]
    lead = len(rest) - len(rest.lstrip())
    start = cue_end + lead
    if not looks_like_agency(text[start:start + 60]):
        return None
    return phrase_until_verb(text, start, extra_stops=stops)


def support_phrases(text: str) -> list[Phrase]:
    out: list[Phrase] = []
    pattern = re.compile(r"\b(?:phối\s+hợp(?:\s+chặt\s+chẽ)?(?:,\s*hỗ\s+trợ)?(?:\s+với)?|với\s+sự\s+tham\s+gia\s+của|"
                         r"chủ\s+trì\s+cùng(?:\s+với)?|chủ\s+trì\s+làm\s+việc\s+với)\s+", re.I)
    for m in pattern.finditer(text):
        phrase = _after_cue(text, m.end(), stops=("để", "tổ chức", "thực hiện", "triển khai", "trong", "theo"))
        if phrase:
            out.append(phrase)
    return out


def report_phrases(text: str) -> list[Phrase]:
    """Recipients of the addressee's own report: "báo cáo X", "gửi (báo cáo) về X", "(qua X)"."""
    out: list[Phrase] = []
    stops = tuple(cues()["report_stop"]) + ("(",)
    pattern = re.compile(r"(?:\b(?:gửi\s+báo\s+cáo\s+về|gửi\s+báo\s+cáo|gửi\s+về|gửi|phản\s+ánh(?:\s+kịp\s+thời)?\s+về|"
                         r"báo\s+cáo(?:\s+xin\s+phép)?)|\(\s*[*_]*\s*(?:thông\s+)?qua)\s+", re.I)
    for m in pattern.finditer(text):
        if _negated(text, m.start()) or _after_advice(text, m.start()) or _for_later(text, m.start()):
            continue
        phrase = _after_cue(text, m.end(), stops=stops)
        if phrase is None:
            # "báo cáo kết quả thực hiện về X", "báo cáo … lên X"
            window = re.split(r"[.;:](?=\s)", text[m.end():m.end() + 240])[0]
            hop = re.search(r"\b(?:về|lên|với|cho)\s+(?=\S)", window)
            while hop and not looks_like_agency(window[hop.end():hop.end() + 60]):
                hop = re.compile(r"\b(?:về|lên|với|cho)\s+(?=\S)").search(window, hop.end())
            if hop and len(window[:hop.start()].split()) <= 25:
                phrase = _after_cue(text, m.end() + hop.end(), stops=stops)
        if phrase:
            out.append(phrase)
            via = re.match(r"\s*\(?\s*[*_]*\s*(?:thông\s+)?qua\s+", text[phrase.end:])
            if via:
                through = _after_cue(text, phrase.end + via.end(), stops=stops)
                if through:
                    out.append(through)
    return out


def _for_later(text: str, pos: int) -> bool:
    """"gửi Y để tổng hợp, báo cáo X" / "trước khi gửi X": not the addressee's own report."""
    before = text[max(0, pos - 40):pos].lower()
    return bool(re.search(r"(?:\bđể(?:\s+kịp)?(?:\s+tổng\s+hợp,?)?|\bkhi|\bsau\s+đó)\s*$", before))


def _negated(text: str, pos: int) -> bool:
    return bool(re.search(r"\bkhông(?:[\s,]+\w+){0,3}[\s,]*$", text[max(0, pos - 30):pos]))


def _after_advice(text: str, pos: int) -> bool:
    """"tham mưu X báo cáo … gửi Y": the report is X's, not the addressee's."""
    return bool(re.search(r"\btham\s+mưu\b[^.;]{0,200}$", text[max(0, pos - 210):pos], re.I))
