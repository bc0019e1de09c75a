"""Lexicons and low-level helpers for agency names: data loaded once from ``nlp/data``.

Syllable tokens with offsets, a normal form for matching (lower case, NFC, new-style tone
placement: "uỷ" → "ủy", "hoà" → "hòa"), abbreviation expansion and phrase tables keyed by
their first syllable. Everything here is a pure function of its arguments and the data.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from chithi.text import fold

DATA = Path(__file__).parent / "data"

# --- tone placement --------------------------------------------------------------------

_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}


def _build_tone_map() -> dict[str, str]:
    """Old-style 'oà', 'oé', 'uỷ' (mark on the second vowel) → new style 'òa', 'óe', 'ủy'."""
    out: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in _TONES:
            for up1 in (False, True):
                for up2 in (False, True):
                    a = first.upper() if up1 else first
                    b = second.upper() if up2 else second
                    old = a + unicodedata.normalize("NFC", b + mark)
                    new = unicodedata.normalize("NFC", a + mark) + b
                    out[old] = new
    return out


_TONE_MAP = _build_tone_map()
_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(map(re.escape, _TONE_MAP)) + r")(?![^\W\d_])")


def fix_tones(text: str) -> str:
    """NFC text with old-style tone placement unified to the new style ("Uỷ ban" → "Ủy ban")."""
    text = unicodedata.normalize("NFC", text)
    return _TONE_RE.sub(lambda m: _TONE_MAP[m.group(1)], text)


@lru_cache(maxsize=65536)
def norm(word: str) -> str:
    """Matching form of a word: NFC, new tone placement, lower case."""
    return fix_tones(word).lower()


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    return fold(word)


# --- tokens ----------------------------------------------------------------------------

class Tok(NamedTuple):
    text: str
    start: int
    end: int
    n: str  # norm(text)
    f: str  # fold(text)
    word: bool
    cap: bool  # a word whose first letter is upper case


_TOKEN_RE = re.compile(r"[^\W_]+(?:&[^\W_]+)*(?:\.(?=[^\W\d_]))?|\.\.\.|…|[^\w\s]")


def syllables(text: str) -> list[Tok]:
    """Words (a syllable, an abbreviation "KH&ĐT", a number) and single punctuation marks."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        t = m.group()
        word = t[0].isalnum()
        if word and t.endswith(".") and t[:-1] not in ("TP", "Tp", "TX", "TT"):
            t = t[:-1]
        out.append(Tok(t, m.start(), m.start() + len(t), norm(t), fold_word(t), word, word and t[0].isupper()))
    return out


# --- data ------------------------------------------------------------------------------

def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    out = {}
    for line in (DATA / "agency_abbreviations.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, full = line.split("\t")
            out[unicodedata.normalize("NFC", short.strip())] = unicodedata.normalize("NFC", full.strip())
    return out


@lru_cache(maxsize=1)
def _abbrev_re() -> re.Pattern:
    keys = sorted(abbreviations(), key=len, reverse=True)
    return re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, keys)) + r")(?![\w&])")


def expand_abbreviations(text: str) -> str:
    """"UBND tỉnh" → "Ủy ban nhân dân tỉnh"; "Sở KH&ĐT" → "Sở Kế hoạch và Đầu tư"."""
    table = abbreviations()
    return _abbrev_re().sub(lambda m: table[m.group(1)], text)


@lru_cache(maxsize=1)
def words_data() -> dict:
    return _load("agency_words.json")


@lru_cache(maxsize=1)
def roles() -> list[str]:
    return sorted(_load("agency_roles.json")["roles"], key=len, reverse=True)


@lru_cache(maxsize=1)
def heads() -> list[dict]:
    return _load("agency_kinds.json")["heads"]


def split_phrase(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase as its matching syllables (abbreviations expanded)."""
    return tuple(t.n for t in syllables(expand_abbreviations(fix_tones(phrase))) if t.word or t.text == "-")


class PhraseTable:
    """Phrases keyed by their first syllable; ``match`` gives the longest at a token."""

    def __init__(self, phrases: dict[str, object], *, folded: bool = False) -> None:
        self.folded = folded
        self.index: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for phrase, value in phrases.items():
            sy = split_phrase(phrase)
            if folded:
                sy = tuple(fold(s) for s in sy)
            if sy:
                self.index.setdefault(sy[0], []).append((sy, value))
        for entries in self.index.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def match(self, toks: list[Tok], i: int) -> tuple[int, object] | None:
        """(number of tokens, value) of the longest phrase starting at toks[i], if any."""
        if i >= len(toks):
            return None
        first = expansion(toks[i], self.folded)
        entries = self.index.get(first[0]) if first else None
        if not entries:
            return None
        for sy, value in entries:
            n = _match_at(toks, i, sy, self.folded)
            if n:
                return n, value
        return None


def expansion(tok: Tok, folded: bool = False) -> tuple[str, ...]:
    full = abbreviations().get(tok.text)
    if full is None:
        return (tok.f if folded else tok.n,)
    return _exp_cache(full, folded)


@lru_cache(maxsize=512)
def _exp_cache(full: str, folded: bool) -> tuple[str, ...]:
    sy = split_phrase(full)
    return tuple(fold(s) for s in sy) if folded else sy


def _match_at(toks: list[Tok], i: int, sy: tuple[str, ...], folded: bool) -> int:
    k, j = 0, i
    while k < len(sy):
        if j >= len(toks):
            return 0
        tok = toks[j]
        if not tok.word and tok.text != "-":
            return 0
        ex = expansion(tok, folded)
        if tuple(sy[k:k + len(ex)]) != ex:
            return 0
        k += len(ex)
        j += 1
    return j - i


@lru_cache(maxsize=1)
def tables() -> dict[str, PhraseTable]:
    w = words_data()
    head_map = {h["head"]: h for h in heads()}
    multi = {k: v for k, v in head_map.items() if len(split_phrase(k)) >= 3}
    return {
        "heads": PhraseTable(head_map),
        "heads_folded": PhraseTable(multi, folded=True),  # OCR-damaged marks on long heads
        "roles": PhraseTable({r: r for r in roles()}),
        "localities": PhraseTable(w["locality_kinds"]),
        "not_localities": PhraseTable({p: p for p in w["not_localities"]}),
        "generic": PhraseTable({g: g for g in w["generic_nouns"]}),
        "persons": PhraseTable({p: p for p in w["person_nouns"]}),
        "scope": PhraseTable({s: s for s in w["scope_phrases"]}),
        "lead": PhraseTable({s: s for s in w["lead_words"]}),
        "boundary": PhraseTable({s: s for s in w["boundary_words"]}),
        "levels": PhraseTable(w["level_words"]),
        "related": PhraseTable({p: p for p in ("liên quan", "có liên quan", "khác có liên quan", "khác liên quan",
                                                "có thẩm quyền", "thẩm quyền", "cấp trên", "cùng cấp", "các cấp",
                                                "ở địa phương")}),
    }


def central_cities() -> set[str]:
    return {fold(c) for c in words_data()["central_cities"]}
