"""Collective addressees ("các sở, ban, ngành") and the bodies they reach.

Data-driven: ``data/collectives.json`` maps patterns over a collective's folded name to the
kinds and levels of its members. Membership is scoped to the collective's locality government
(its ``part_of`` parent) unless the rule is national: a Kon Tum directive's "các sở" never
reaches a Sóc Trăng body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import normalize as nz


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    kinds: frozenset[str]
    levels: frozenset[str]
    national: bool


@dataclass(frozen=True)
class Membership:
    """What a collective reaches: the (kind, level) pairs it admits (empty = no members), and
    whether nationwide."""
    pairs: frozenset[tuple[str, str]]
    national: bool

    def admits(self, kind: str | None, level: str | None) -> bool:
        return (kind, level) in self.pairs

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(k for k, _ in self.pairs)


NOBODY = Membership(frozenset(), False)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    out = []
    for r in nz.load("collectives.json")["rules"]:
        out.append(Rule(name=r["name"], pattern=re.compile(r["pattern"]), kinds=frozenset(r["kinds"]),
                        levels=frozenset(r["levels"]), national=r.get("scope") == "national"))
    return tuple(out)


@lru_cache(maxsize=4096)
def membership(name: str) -> Membership:
    """The members a collective's name (as written, without its locality) calls for."""
    n = nz.norm(name)
    hits = [r for r in rules() if r.pattern.search(n)]
    if not hits:
        return NOBODY
    pairs = frozenset((k, lv) for r in hits for k in r.kinds for lv in r.levels)
    return Membership(pairs, all(r.national for r in hits))
