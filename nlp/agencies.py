"""Agency recognition and normalisation: addressee phrases → one Agency per name.

- ``split_names(phrase)``: an addressee phrase ("Thủ trưởng các sở, ban, ngành, Chủ tịch
  UBND các huyện thực hiện …") → one Agency per name, by the annotation guideline's rules
  (role words removed, "các" lists kept whole, distributive lists expanded, scope words and
  trailing verbs dropped, a locality that acts written as its Ủy ban nhân dân).
- ``find_agencies(text)``: every agency mention in running text, lexicon-driven.
- ``canonicalize``, ``agency_key``, ``names_match``: see :mod:`nlp.agency_canon`.

Pure functions of their arguments; lexicons live in ``nlp/data/agency_*``.
"""
from __future__ import annotations

from chithi.models import Agency, Span
from nlp.agency_canon import agency_key, canonicalize, clean, names_match, strip_role
from nlp.agency_lexicon import Tok, syllables
from nlp.agency_parse import Parser, Unit, central_kind

__all__ = ["split_names", "find_agencies", "canonicalize", "agency_key", "names_match", "strip_role"]

_PREPOSITIONS = {"trong", "tại", "khi", "ở", "thuộc"}
_SEPARATORS = {",", ";", "&", "/"}
_JOINERS = {"và", "cùng", "hoặc"}


def _is_marker(toks: list[Tok], i: int) -> bool:
    """A list marker or stray punctuation before the first name ("1.", "a)", "-", "(1)")."""
    tok = toks[i]
    if not tok.word:
        return True
    if tok.text.isdigit():
        return True
    return (len(tok.text) <= 2 and tok.text.isalpha() and tok.text.islower()
            and i + 1 < len(toks) and toks[i + 1].text in ").")


def _text_of(text: str, toks: list[Tok], a: int, b: int, skip: list[tuple[int, int]]) -> tuple[str, int, int]:
    """The written text of tokens [a, b) without the skipped ranges; its start and end offsets."""
    b = max(a + 1, b)
    parts, cur = [], a
    for s0, s1 in sorted(skip):
        if s0 >= b or s1 <= cur:
            continue
        if s0 > cur:
            parts.append(text[toks[cur].start:toks[s0 - 1].end])
        cur = max(cur, s1)
    if cur < b:
        parts.append(text[toks[cur].start:toks[b - 1].end])
    return clean(" ".join(parts)), toks[a].start, toks[b - 1].end


def _agencies(text: str, toks: list[Tok], u: Unit, *, offset: int, locality: str | None) -> list[Agency]:
    role = text[u.role[0]:u.role[1]] if u.role else None  # type: ignore[index]
    out: list[tuple[str, int, int]] = []
    if u.members:
        kinds = (u.head or {}).get("loc_kinds")
        det = next((k for k in range(u.start, u.end) if toks[k].n in ("các", "những")), None)
        colon = next((k for k in range(u.start, u.end) if toks[k].text == ":"), u.end)
        for _, a, b in u.members:
            member = clean(text[toks[a].start:toks[b - 1].end])
            if kinds and Parser(toks, find=False).head(a):
                out.append((member, toks[a].start, toks[b - 1].end))
            elif kinds and det is not None:
                prefix = clean(text[toks[u.start].start:toks[det - 1].end]) if det > u.start else ""
                out.append((f"{prefix} {central_kind(member, kinds)} {member}".strip(),
                            toks[a].start, toks[b - 1].end))
            else:
                first = det + 1 if det is not None else u.start
                noun = clean(text[toks[first].start:toks[colon - 1].end])
                noun = noun[:1].upper() + noun[1:]
                named = Parser(syllables(f"{noun} {member}"), find=False).head(0)
                if named and not member.lower().startswith(noun.lower() + " "):
                    member = f"{noun} {member}"
                out.append((member, toks[a].start, toks[b - 1].end))
    else:
        name, start, end = _text_of(text, toks, u.start, u.end, u.skip)
        if u.ministers:
            body = name[4:] if name.lower().startswith("các ") else name
            name = "các bộ, " + body
        if u.locality_actor and not name.lower().startswith(("ủy ban nhân dân", "ubnd")):
            name = "Ủy ban nhân dân " + (name[:1].lower() + name[1:])
        out.append((name, start, end))
    agencies = []
    for name, start, end in out:
        if not name:
            continue
        ag = canonicalize(name, locality=locality)
        agencies.append(ag.model_copy(update={
            "name": ag.name, "role_word": role or ag.role_word,
            "collective": ag.collective or (u.collective and not u.members),
            "span": Span(start=offset + start, end=offset + end)}))
    return agencies


def split_names(text: str, *, offset: int = 0, locality: str | None = None) -> list[Agency]:
    """An addressee phrase → one Agency per name (see the module docstring)."""
    toks = syllables(text)
    p = Parser(toks, find=False)
    i = 0
    while i < len(toks):
        if _is_marker(toks, i):
            i += 1
            continue
        lead = p.m("lead", i)
        if lead and not p.unit(i):
            i += lead[0]
            continue
        break
    units: list[Unit] = []
    while i < len(toks):
        u = p.unit(i)
        if u is None:
            if units:
                break
            j = i
            while j < len(toks) and toks[j].word and not (j > i and p.boundary(j)):
                j += 1
            if j == i:
                break
            u = Unit(i, j)
        units.append(u)
        i = u.end
        if i < len(toks) and toks[i].word and (p.m("scope", i) or toks[i].n in _PREPOSITIONS):
            # a scope or circumstance after the name ("trên địa bàn tỉnh", "trong thực thi …")
            while i < len(toks) and toks[i].text != ";":
                # the scope ends where a name follows a comma or "và" ("… của mình và các cơ quan …")
                if (toks[i].text == "," or toks[i].word and toks[i].n in _JOINERS) and p.unit(i + 1) and (
                        p.head(i + 1) or p.role(i + 1) or toks[i + 1].n in ("các", "những")):
                    break
                i += 1
        if i < len(toks) and (toks[i].text in _SEPARATORS or toks[i].word and toks[i].n in _JOINERS):
            i += 1
            while i < len(toks) and (toks[i].text in _SEPARATORS or toks[i].word and toks[i].n in _JOINERS):
                i += 1
            continue
        if i < len(toks) and toks[i].text == "(":
            # "(qua Sở Nội vụ)": the body a report goes through is a name of its own
            k = i + 1
            hit = p.m("lead", k)
            k += hit[0] if hit else 0
            if p.unit(k):
                i = k
                continue
        break
    out: list[Agency] = []
    for u in units:
        for ag in _agencies(text, toks, u, offset=offset, locality=locality):
            if not any(o.key == ag.key for o in out):
                out.append(ag)
    return out


def find_agencies(text: str, *, offset: int = 0, locality: str | None = None) -> list[Agency]:
    """Every agency mention in running text, in order, with spans (offset-adjusted)."""
    toks = syllables(text)
    p = Parser(toks, find=True)
    out: list[Agency] = []
    i = 0
    while i < len(toks):
        if not toks[i].word:
            i += 1
            continue
        u = p.unit(i)
        if u is None or u.end <= i:
            i += 1
            continue
        out.extend(_agencies(text, toks, u, offset=offset, locality=locality))
        i = u.end
    return out
