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
        # key -> citing doc -> (src node, relation) -> edge attrs
        self.entries: dict[str, dict[str, dict[tuple[str, str], dict]]] = {}
        self.meta: dict[str, dict[str, dict]] = {}  # key -> citing doc -> cited node attrs
        self.first: dict[str, str] = {}  # key -> the citing doc whose attrs the cited node shows
        self.by_doc: dict[str, set[str]] = {}  # doc -> keys it cites or owns
        self.owners: dict[str, set[str]] = {}  # key -> ingested documents with that key
        self.target: dict[str, str] = {}

    def key_of_document(self, header: DocumentHeader) -> str | None:
        return _key(header.number, header.date, _locality(header.issuer, header))

    def key_of_reference(self, ref: Reference, header: DocumentHeader) -> str:
        return _key(ref.number, ref.date, _locality(ref.issuer, header)) or "id:" + ref.id

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
            bucket = self.entries.setdefault(key, {}).setdefault(doc_id, {})
            bucket.setdefault((doc_id, ref.relation), attrs)
            for s in ref.spans:
                for start, end, nid in spans:
                    if start <= s.start and s.end <= end:
                        bucket.setdefault((nid, ref.relation), {**attrs, "start": s.start, "end": s.end})
            meta = {k: v for k, v in dict(number=ref.number, doc_type=ref.type, date=ref.date,
                                         issuer=ref.issuer, title=ref.title).items() if v is not None}
            self.meta.setdefault(key, {}).setdefault(doc_id, meta)
            if key not in self.first or doc_id < self.first[key]:
                self.first[key] = doc_id
        for key in sorted(keys):
            self._rewire(key, added=doc_id)

    def remove(self, doc_id: str) -> None:
        for key in sorted(self.by_doc.pop(doc_id, set())):
            self.owners.get(key, set()).discard(doc_id)
            self.entries.get(key, {}).pop(doc_id, None)
            meta = self.meta.get(key, {})
            meta.pop(doc_id, None)
            was_first = self.first.get(key) == doc_id
            if was_first:
                if meta:
                    self.first[key] = min(meta)
                else:
                    self.first.pop(key, None)
            target = self.target.get(key)
            if self.entries.get(key) and target in self.g and target == self._target(key):
                if was_first and target == "cited:" + key:  # fast path: only the cited node's attrs change
                    self._cited_node(key)
                continue
            self._rewire(key)

    def _target(self, key: str) -> str:
        owners = self.owners.get(key)
        return min(owners) if owners else "cited:" + key

    def _edges(self, key: str, target: str, docs) -> None:
        g = self.g
        for doc in docs:
            for (src, rel), attrs in self.entries[key].get(doc, {}).items():
                if src in g and src != target and not g.has_edge(src, target, rel):
                    g.add_edge(src, target, key=rel, **attrs)

    def _rewire(self, key: str, *, added: str | None = None) -> None:
        """Point every citation with this key at its target. ``added``: only that document's
        citations are new, and unless it owns the key the target is unchanged (fast path)."""
        g = self.g
        cited = "cited:" + key
        target = self._target(key)
        owners = self.owners.get(key, ())
        old = self.target.get(key)
        entries = self.entries.get(key, {})
        if added is not None and old == target and target in g and added not in owners:
            if target == cited and self.first.get(key) == added:
                self._cited_node(key)
            self._edges(key, target, [added])
            return
        if old and old != target and old in g:
            for bucket in entries.values():
                for src, rel in bucket:
                    if g.has_edge(src, old, rel):
                        g.remove_edge(src, old, key=rel)
        if (target != cited or not entries) and cited in g:
            g.remove_node(cited)
        if not entries:
            self.entries.pop(key, None)
            self.meta.pop(key, None)
            self.first.pop(key, None)
            if not self.owners.get(key):
                self.owners.pop(key, None)
            self.target.pop(key, None)
            return
        if target == cited:
            self._cited_node(key)
        self._edges(key, target, list(entries))
        self.target[key] = target

    def _cited_node(self, key: str) -> None:
        cited = "cited:" + key
        meta = self.meta[key][self.first[key]]
        if cited in self.g:
            self.g.nodes[cited].clear()
        self.g.add_node(cited, type="cited", ingested=False, cite_key=key, **meta)
