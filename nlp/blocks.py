"""Kế hoạch task blocks: "Nội dung: … / Cơ quan chủ trì: … / Cơ quan phối hợp: … /
Thời gian thực hiện: …". The block's lines give every content item its lead, support and
deadline; the lines that name bodies and times are not obligations themselves."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from chithi.models import Agency, Deadline

from .structure import Node


@dataclass
class Block:
    node: Node
    lead: list[Agency] = field(default_factory=list)
    support: list[Agency] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    content_nodes: list[Node] = field(default_factory=list)
    quote_end: int | None = None

    def merged_into(self, outer: "Block | None") -> "Block":
        if outer is None:
            return self
        return Block(node=self.node, lead=self.lead or outer.lead, support=self.support or outer.support,
                     deadlines=self.deadlines or outer.deadlines, content_nodes=self.content_nodes,
                     quote_end=self.quote_end)


def _label_pattern(words: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\W*(?:{alts})\s*(?:thực hiện)?\s*:\s*", re.I)


def read_block(text: str, node: Node, *, cues: dict, names, find_deadlines) -> Block | None:
    """The block a node opens, if its children or lines carry "chủ trì / phối hợp / thời gian" labels.

    ``names(start, end)`` turns a span into agencies; ``find_deadlines(start, end)`` finds
    deadlines in a span (both supplied by the caller, which knows the document's locality and date)."""
    lead_p, supp_p = _label_pattern(cues["block_lead"]), _label_pattern(cues["block_support"])
    time_p, cont_p = _label_pattern(cues["block_time"]), _label_pattern(cues["block_content"])
    group_p = _label_pattern(cues["block_group"])
    block = Block(node=node)
    label_starts: list[int] = []

    def take(kind: str, start: int, end: int) -> None:
        if kind == "lead":
            block.lead.extend(names(start, end))
        elif kind == "support":
            block.support.extend(names(start, end))
        else:
            block.deadlines.extend(find_deadlines(start, end))

    def label_of(start: int, end: int) -> tuple[str, int] | None:
        line = text[start:end]
        for pattern, kind in ((supp_p, "support"), (lead_p, "lead"), (time_p, "time")):
            m = pattern.match(line)
            if m:
                return kind, start + m.end()
        return None

    for child in node.children:
        line = text[child.start:child.end]
        group = group_p.match(line)
        if group and child.children:  # "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: …" lines
            label_starts.append(child.unit.start)
            for sub in child.children:
                found = label_of(sub.start, sub.end)
                if found:
                    take(found[0], found[1], sub.end)
            continue
        found = label_of(child.start, child.end)
        if found:
            label_starts.append(child.unit.start)
            take(found[0], found[1], child.end)
            continue
        cm = cont_p.match(line)
        if cm and child.children:
            block.content_nodes.extend(child.children)
        elif not cm:
            block.content_nodes.append(child)
    # labelled lines inside the node's own paragraphs: each value runs to the next label
    own_end = node.unit.end if node.children else node.end
    own = text[node.start:own_end]
    hits = []
    for m in re.finditer(r"(?:^|\n)([^\n]*)", own):
        start = node.start + m.start(1)
        found = label_of(start, node.start + m.end(1))
        if found:
            hits.append((start, found))
    for i, (start, (kind, value_start)) in enumerate(hits):
        end = hits[i + 1][0] if i + 1 < len(hits) else own_end
        label_starts.append(start)
        take(kind, value_start, end)
    if not label_starts:
        return None
    if not block.content_nodes:
        block.quote_end = min(label_starts)
    return block
