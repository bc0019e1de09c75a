"""Agencies in the graph: attributes resolved across documents, ``part_of`` the locality's
government, ``member_of`` the collectives that reach them, and lookup by name.

A mixin of :class:`knowledge_graph.graph.ArchiveGraph`: node attributes are the most
frequent value over every mention (ties broken by value), so they depend only on the set of
documents, never on the order they came in.
"""
from __future__ import annotations

from collections import Counter

from chithi.errors import NotFound
from chithi.models import AgencyNode

from . import groups
from . import normalize as nz
from . import resolve as rs

_FIELDS = ("canonical", "name", "kind", "level", "locality", "province", "collective")


def _mode(c: Counter):
    best = None
    for v, n in c.items():
        if v is not None and n > 0 and (best is None or (-n, str(v)) < best[0]):
            best = ((-n, str(v)), v)
    return best[1] if best else None


class AgencyIndex:
    """Agency bookkeeping shared by the graph (state lives on ArchiveGraph)."""

    def _invalidate(self, rec) -> None:
        """Forget the open-task counts a document's agencies (and their groups' members) had."""
        drop = self._open.pop
        for nid in rec.agencies:
            drop(nid, None)
            for m in self._members.get(nid, ()):
                drop(m, None)

    # --- agencies: attributes, part_of, member_of ---------------------------------------
    def _aggregate(self, nid: str) -> dict:
        src = self._asrc[nid]
        cnt: dict[str, Counter] = {k: Counter() for k in _FIELDS}
        for f, n in self._acnt[nid].items():
            for k in _FIELDS:
                cnt[k][getattr(f, k)] += n
        locality = _mode(cnt["locality"])
        province = _mode(cnt["province"])
        collective = bool(_mode(cnt["collective"]))
        canonical = _mode(cnt["canonical"])
        parent = None
        if locality:
            gov = rs.agency_id(nz.key_of(nz.gov_name(locality)))
            if gov != nid:
                parent = gov
            elif province and nz.norm(province) != nz.norm(locality):
                parent = rs.agency_id(nz.key_of(nz.gov_name(province)))
        base = canonical[: -len(locality)].strip() if locality and canonical.endswith(locality) else canonical
        return dict(type="agency", name=canonical, aliases=tuple(sorted(v for v in cnt["name"] if v)),
                    kind=_mode(cnt["kind"]), level=_mode(cnt["level"]), locality=locality,
                    province=province, collective=collective, parent=parent, base=base, docs=len(src))

    def _refresh_agencies(self, touched: set[str]) -> None:
        g = self.g
        members: set[str] = set()
        colls: set[str] = set()
        for nid in sorted(touched):
            if not self._asrc.get(nid):
                self._asrc.pop(nid, None)
                self._acnt.pop(nid, None)
                self._search.pop(nid, None)
                if nid in self._scope_of:
                    self._scoped[self._scope_of.pop(nid)].discard(nid)
                if nid in g:
                    a = g.nodes[nid]
                    self._by_kind.get(a.get("kind"), set()).discard(nid)
                    self._children.get(a.get("parent"), set()).discard(nid)
                    for c, keys in g.succ[nid].items():
                        if "member_of" in keys:
                            self._members.get(c, set()).discard(nid)
                    self._members.pop(nid, None)
                    self._children.pop(nid, None)
                    g.remove_node(nid)
        for nid in sorted(touched):
            if nid not in self._asrc:
                continue
            new = self._aggregate(nid)
            old = dict(g.nodes[nid]) if nid in g and g.nodes[nid].get("type") == "agency" else None
            if old is not None:
                for k in old:
                    if new.get(k) is None:
                        del g.nodes[nid][k]
                self._by_kind.get(old.get("kind"), set()).discard(nid)
            g.add_node(nid, **{k: v for k, v in new.items() if v is not None})
            if old is None or old.get("aliases") != new["aliases"] or old.get("name") != new["name"]:
                self._search[nid] = (nz.norm(new["name"]), *(nz.norm(x) for x in new["aliases"]))
            self._by_kind.setdefault(new["kind"], set()).add(nid)
            if old is not None and old.get("parent") != new["parent"]:
                self._children.get(old.get("parent"), set()).discard(nid)
                if old.get("parent") in g and g.has_edge(nid, old["parent"], "part_of"):
                    g.remove_edge(nid, old["parent"], key="part_of")
            if new["parent"] and not g.has_edge(nid, new["parent"], "part_of"):
                g.add_edge(nid, new["parent"], key="part_of")
            if new["parent"]:
                self._children.setdefault(new["parent"], set()).add(nid)
            if old is None or any(old.get(k) != new[k] for k in ("kind", "level", "parent", "collective", "base")):
                if nid in self._scope_of:
                    self._scoped[self._scope_of.pop(nid)].discard(nid)
                if new["collective"]:
                    self._scope_of[nid] = self._scope(nid)
                    self._scoped.setdefault(self._scope_of[nid], set()).add(nid)
                    colls.add(nid)
                else:
                    members.add(nid)
                if old is not None and old.get("parent") != new["parent"]:
                    members |= self._descendants(nid)
        for c in sorted(colls):
            self._refresh_collective(c)
        for x in sorted(members - colls):
            self._refresh_memberships(x)

    def _scope(self, collective: str) -> str | None:
        a = self.g.nodes[collective]
        return None if groups.membership(a["base"]).national else a.get("parent")

    def _descendants(self, nid: str) -> set[str]:
        out, todo = set(), [nid]
        while todo:
            n = todo.pop()
            for child in self._children.get(n, ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def _ancestors(self, nid: str) -> list[str]:
        out, n = [], self.g.nodes[nid].get("parent")
        while n and n not in out and n in self.g and len(out) < 6:
            out.append(n)
            n = self.g.nodes[n].get("parent")
        return out

    def _refresh_memberships(self, x: str) -> None:
        g = self.g
        if x not in g:
            return
        for _, c, k in list(g.out_edges(x, keys=True)):
            if k == "member_of":
                g.remove_edge(x, c, key=k)
                self._members.get(c, set()).discard(x)
        self._open.pop(x, None)
        a = g.nodes[x]
        if a.get("collective") or a.get("type") != "agency":
            return
        for scope in [*self._ancestors(x), None]:
            for c in sorted(self._scoped.get(scope, ())):
                if groups.membership(g.nodes[c]["base"]).admits(a.get("kind"), a.get("level")):
                    g.add_edge(x, c, key="member_of")
                    self._members.setdefault(c, set()).add(x)

    def _refresh_collective(self, c: str) -> None:
        g = self.g
        for x in self._members.pop(c, set()):
            g.remove_edge(x, c, key="member_of")
            self._open.pop(x, None)
        members = self._members[c] = set()
        m = groups.membership(g.nodes[c]["base"])
        scope = self._scope(c)
        if scope is None:
            cands = {n for kind in m.kinds for n in self._by_kind.get(kind, ())}
        else:
            cands = self._descendants(scope)
        for x in sorted(cands):
            a = g.nodes[x]
            if not a.get("collective") and m.admits(a.get("kind"), a.get("level")):
                g.add_edge(x, c, key="member_of")
                members.add(x)
                self._open.pop(x, None)

    # --- agencies: lookup -----------------------------------------------------------------
    def _node(self, nid: str) -> AgencyNode:
        a = self.g.nodes[nid]
        return AgencyNode(id=nid, name=a["name"], aliases=list(a.get("aliases", ())), kind=a.get("kind"),
                          level=a.get("level"), locality=a.get("locality"), parent_id=a.get("parent"),
                          collective=bool(a.get("collective")), open_tasks=self.open_count(nid))

    def get_agency(self, agency_id: str) -> AgencyNode:
        if agency_id not in self.g or self.g.nodes[agency_id].get("type") != "agency":
            raise NotFound(f"agency {agency_id} is not in the graph", agency_id=agency_id)
        return self._node(agency_id)

    def agency_ids(self) -> list[str]:
        return sorted(n for n in self._asrc if n in self.g)

    def find_agencies(self, query: str, *, limit: int | None = 100,
                      include_collectives: bool = True) -> list[AgencyNode]:
        """Agencies whose name or an alias holds the query (case, diacritics, "UBND" and "Uỷ"
        tolerant). Exact canonical match first, then exact alias, prefix, contained; at most
        ``limit`` (None: all)."""
        q = nz.norm(query)
        if not q:
            return []
        hits = []
        for nid, names in self._search.items():
            a = self.g.nodes[nid]
            if a.get("collective") and not include_collectives:
                continue
            rank = None
            if names[0] == q:
                rank = 0
            elif q in names[1:]:
                rank = 1
            elif any(n.startswith(q + " ") for n in names):
                rank = 2
            elif any(f" {q} " in f" {n} " for n in names):
                rank = 3
            if rank is not None:
                hits.append((rank, bool(a.get("collective")), a["name"], nid))
        hits.sort()
        return [self._node(nid) for *_, nid in hits[:limit]]

