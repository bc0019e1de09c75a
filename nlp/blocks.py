"""Kế hoạch task blocks: "Nội dung: … / Cơ quan chủ trì: … / Cơ quan phối hợp: … /
Thời gian thực hiện: …". The block's lines give every content item its lead, support and
deadline; the lines that name bodies and times are not obligations themselves."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from chithi.models import Agency, Deadline

from .structure import Node, clean_quote


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

    ``names(start, end)`` turns a phrase into agencies; ``find_deadlines(start, end)`` finds
    deadlines in a span (both supplied by the caller, which knows the document's locality and date)."""
    lead_p, supp_p = _label_pattern(cues["block_lead"]), _label_pattern(cues["block_support"])
    time_p, cont_p = _label_pattern(cues["block_time"]), _label_pattern(cues["block_content"])
    block = Block(node=node)
    found = False
    label_starts: list[int] = []
    # labelled lines: children, or plain lines inside the node's own paragraphs
    candidates: list[tuple[int, int, Node | None]] = [(c.unit.start, c.end, c) for c in node.children]
    own_end = node.unit.end if node.children else node.end
    for m in re.finditer(r"(?:^|\n)([^\n]*)", text[node.start:own_end]):
        line_start = node.start + m.start(1)
        candidates.append((line_start, line_start + len(m.group(1)), None))
    seen: set[int] = set()
    for start, end, child in sorted(candidates, key=lambda c: c[0]):
        if start in seen:
            continue
        seen.add(start)
        body_start = child.start if child is not None else start
        line = text[body_start:end]
        for pattern, kind in ((lead_p, "lead"), (supp_p, "support"), (time_p, "time")):
            m = pattern.match(line)
            if not m:
                continue
            found = True
            label_starts.append(start)
            value = (body_start + m.end(), end)
            if kind == "lead":
                block.lead.extend(names(*value))
            elif kind == "support":
                block.support.extend(names(*value))
            else:
                block.deadlines.extend(find_deadlines(*value))
            break
        else:
            if child is not None:
                cm = cont_p.match(line)
                if cm and child.children:
                    block.content_nodes.extend(child.children)
                elif not cm:
                    block.content_nodes.append(child)
    if not found:
        return None
    if not block.content_nodes:
        block.quote_end = min(label_starts) if label_starts else node.end
    return block


def block_quote(text: str, node: Node, block: Block) -> str:
    end = block.quote_end or node.end
    return clean_quote(text[node.start:end])
