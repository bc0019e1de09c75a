"""Cited documents: a node "cited:<key>" until a document with the same key is ingested, then
that document's node; if the document is removed again, the cited node comes back.

The key is the normalised number, plus the year when the number holds none, plus the issuer's
locality for local issuers (every province has its own "02/CT-UBND").
"""
from __future__ import annotations

import networkx as nx

from chithi.models import Agency, DocumentHeader, Extraction, Reference
from chithi.text import slug

from . import normalize as nz
from . import resolve as rs


def _key(number: str | None, date: str | None, locality: str | None) -> str | None:
    n = nz.norm_number(number)
    if not n:
        return None
    parts = [n]
    if not nz.has_year(n) and date and len(date) >= 4:
        parts.append(date[:4])
    if locality:
        parts.append(slug(locality))
    return "@".join(parts)


def _locality(issuer: str | None, header: DocumentHeader) -> str | None:
    if not issuer:
        return None
    head = nz.head_of(issuer) or {}
    f = rs.facts_of(Agency(name=issuer, canonical=issuer, key="", kind=head.get("kind")), header)
    return None if f.central else f.locality


class Citations:
    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.g = g
        self.entries: dict[str, dict[tuple[str, str], dict]] = {}  # key -> (src, relation) -> edge attrs
        self.meta: dict[str, dict[str, dict]] = {}  # key -> citing doc -> cited node attrs
        self.by_doc: dict[str, set[str]] = {}  # doc -> keys it cites or owns
        self.owners: dict[str, set[str]] = {}  # key -> ingested documents with that key
        self.target: dict[str, str] = {}

    def key_of_document(self, header: DocumentHeader) -> str | None:
        return _key(header.number, header.date, _locality(header.issuer, header))

    def key_of_reference(self, ref: Reference, header: DocumentHeader) -> str:
        return _key(ref.number, ref.date, _locality(ref.issuer, header)) or "id:" + ref.id

    def node_of(self, key: str) -> str | None:
        return self.target.get(key)

    def add(self, doc_id: str, extraction: Extraction, own_key: str | None, obligation_nodes: list[str]) -> None:
        h = extraction.document
        keys = self.by_doc.setdefault(doc_id, set())
        if own_key:
            self.owners.setdefault(own_key, set()).add(doc_id)
            keys.add(own_key)
        spans = [(o.span.start, o.span.end, nid) for o, nid in zip(extraction.obligations, obligation_nodes)
                 if o.span is not None]
        for ref in extraction.references:
            key = self.key_of_reference(ref, h)
            keys.add(key)
            first = ref.spans[0] if ref.spans else None
            attrs = {"rel": ref.relation, "doc": doc_id, "text": ref.text, "ref": ref.id}
            if first is not None:
                attrs.update(start=first.start, end=first.end)
            bucket = self.entries.setdefault(key, {})
            bucket.setdefault((doc_id, ref.relation), attrs)
            for s in ref.spans:
                for start, end, nid in spans:
                    if start <= s.start and s.end <= end:
                        bucket.setdefault((nid, ref.relation), {**attrs, "start": s.start, "end": s.end})
            meta = {k: v for k, v in dict(number=ref.number, doc_type=ref.type, date=ref.date,
                                         issuer=ref.issuer, title=ref.title).items() if v is not None}
            self.meta.setdefault(key, {}).setdefault(doc_id, meta)
        for key in sorted(keys):
            self._rewire(key)

    def remove(self, doc_id: str) -> None:
        for key in sorted(self.by_doc.pop(doc_id, set())):
            self.owners.get(key, set()).discard(doc_id)
            if key in self.entries:
                self.entries[key] = {k: v for k, v in self.entries[key].items() if v["doc"] != doc_id}
            self.meta.get(key, {}).pop(doc_id, None)
            self._rewire(key)

    def _rewire(self, key: str) -> None:
        g = self.g
        owners = sorted(d for d in self.owners.get(key, ()) if d in g)
        cited = "cited:" + key
        target = owners[0] if owners else cited
        old = self.target.get(key)
        entries = self.entries.get(key, {})
        if old and old != target and old in g:
            for src, rel in entries:
                if g.has_edge(src, old, rel):
                    g.remove_edge(src, old, key=rel)
        if (target != cited or not entries) and cited in g:
            g.remove_node(cited)
        if not entries:
            self.entries.pop(key, None)
            self.meta.pop(key, None)
            if not self.owners.get(key):
                self.owners.pop(key, None)
            self.target.pop(key, None)
            return
        if target == cited:
            meta = self.meta[key][min(self.meta[key])]
            if cited in g:
                g.nodes[cited].clear()
            g.add_node(cited, type="cited", ingested=False, cite_key=key, **meta)
        for (src, rel), attrs in entries.items():
            if src in g and src != target and not g.has_edge(src, target, rel):
                g.add_edge(src, target, key=rel, **attrs)
        self.target[key] = target
