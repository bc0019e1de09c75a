"""Obligations: the lowest-level items of the body that state an action, with their roles.

Reads the item tree of :mod:`nlp.structure`, leaves out what the guideline says is not an
obligation (header, Kính gửi, Nơi nhận, signature, parts titled Mục đích / Yêu cầu / …,
closing boilerplate), and gives every item its lead (own, else inherited from the nearest
heading, the Kế hoạch block, the preamble, the Kính gửi list or the notice's addressee),
support, report recipients and deadlines (own, else the nearest heading's).
"""
from __future__ import annotations

import re

from chithi.models import Agency, Deadline, DocumentHeader, Obligation, Span

from . import deadlines
from .blocks import Block, read_block
from .body import body_units, leadin_addressee
from .context import (Context, block_names, names, names_in, recipients, topic_owner)
from .item_rules import (CLOSING, ROOT_ASSIGN, is_annex_pointer, is_boilerplate, is_citation_only, decides,
                         modality_of, subject_assigns, title_matches)
from .restatement import is_dup, generic_restatement, restates, unique
from .roles import (Phrase, addressee_at_start, assigned_later, cues, looks_like_agency, report_phrases,
                    support_phrases)
from .structure import QUOTED_RULES, Node, Unit, build_tree, clean_quote, section_of
from .tables import Table, find_tables


def extract_obligations(text: str, header: DocumentHeader) -> list[Obligation]:
    tables = find_tables(text)
    units, preamble, recipients_phrase, notice_phrase = body_units(
        text, skip=[(t.start, t.end) for t in tables])
    root = build_tree(units)
    ctx = Context(text=text, header=header, doc_type=header.type, locality=header.locality)
    ctx.preamble_lead = names_in(ctx, preamble)
    if recipients_phrase:
        ctx.recipients = recipients(ctx, recipients_phrase)
    if notice_phrase:
        ctx.notice_lead = names_in(ctx, notice_phrase)
    resets = [u.start for u in units if u.style == "reset"]
    closing = _split_closing(root, resets, ctx) + _root_paragraphs(root, ctx)
    items = _collect(root, ctx) + [(node, None) for node in closing] + _table_items(ctx, tables)
    items.sort(key=lambda item: item[0].start)
    out: list[Obligation] = []
    for i, (node_or_span, block) in enumerate(items, start=1):
        obligation = _obligation(ctx, node_or_span, block, f"o{i}")
        if obligation is not None:
            out.append(obligation)
    for i, o in enumerate(out, start=1):
        o.id = f"o{i}"
    return out


def _title(ctx: Context, node: Node) -> str:
    end = node.unit.end if node.unit else 0
    return clean_quote(ctx.text[node.start:end])


def _excluded(ctx: Context, node: Node) -> bool:
    c = cues()
    chain = [node, *node.ancestors()]
    for n in chain:
        if n.style == "leadin" and QUOTED_RULES.match(ctx.text[n.unit.start:n.unit.end]):
            return True  # items that quote a law's provisions ask no one to act
        title = _title(ctx, n)
        if title_matches(title, c["excluded_part_titles"]):
            return True
    romans = [n for n in chain if n.style in ("roman", "chapter")]
    if romans and ctx.doc_type in ("Kế hoạch", "Quyết định", "Chương trình", "Đề án"):
        top = romans[-1]
        siblings = [s for s in (top.parent.children if top.parent else []) if s.style == top.style]
        tasky = [s for s in siblings if title_matches(_title(ctx, s), c["task_part_titles"])]
        if tasky and top not in tasky and not title_matches(_title(ctx, top), c["funding_part_titles"]):
            return True
    return False


def _funding(ctx: Context, node: Node) -> bool:
    return any(title_matches(_title(ctx, n), cues()["funding_part_titles"]) for n in [node, *node.ancestors()])


def _collect(root: Node, ctx: Context) -> list[tuple[object, Block | None]]:
    """Leaf items (and Kế hoạch blocks read as items), in document order."""
    out: list[tuple[object, Block | None]] = []

    def visit(node: Node, block: Block | None) -> None:
        if node.unit is not None and _excluded(ctx, node):
            return
        own_block = None
        if node.unit is not None:
            own_block = read_block(
                ctx.text, node, cues=cues(),
                names=lambda s, e: block_names(ctx, s, e),
                find_deadlines=lambda s, e: deadlines.find_deadlines(ctx.text[s:e], doc_date=ctx.header.date,
                                                                     offset=s))
        if own_block is not None:
            block = own_block.merged_into(block)
            if not own_block.content_nodes:
                out.append((node, block))
                return
            for child in own_block.content_nodes:
                visit(child, block)
            return
        if not node.children:
            if node.unit is not None:
                out.append((node, block))
            return
        for child in node.children:
            visit(child, block)

    visit(root, None)
    return out


def _split_closing(root: Node, resets: list[int], ctx: Context) -> list[Node]:
    """Detach closing paragraphs from the last item before each part end: boilerplate is
    dropped, a paragraph that asks named addressees to act becomes its own item."""
    leaves = [n for n in root.walk() if not n.children]
    out: list[Node] = []
    for boundary in [*resets, len(ctx.text) + 1]:
        before = [n for n in leaves if n.start < boundary]
        if not before:
            continue
        last = max(before, key=lambda n: n.start)
        for i, para in enumerate(last.paragraphs):
            body = ctx.text[para.start:para.end]
            if is_boilerplate(clean_quote(body)) or CLOSING.search(body) or subject_assigns(body):
                rest = last.paragraphs[i:]
                last.paragraphs = last.paragraphs[:i]
                current: Node | None = None
                for p in rest:
                    ptext = ctx.text[p.start:p.end]
                    if is_boilerplate(clean_quote(ptext)):
                        current = None
                    elif CLOSING.search(ptext) or subject_assigns(ptext):
                        current = Node(unit=p, parent=root)
                        current.closing = True
                        out.append(current)
                    elif current is not None:  # the closing paragraph goes on after a line break
                        current.paragraphs.append(p)
                break
    return out


def _table_items(ctx: Context, tables: list[Table]) -> list[tuple[Node, Block]]:
    """One item per task-table row: the task cell is the quote, the other cells its roles."""
    out: list[tuple[Node, Block]] = []
    for table in tables:
        for row in table.rows:
            task = row.cells["task"]
            node = Node(unit=Unit(start=task.start, end=task.end, body_start=task.start, style="row",
                                  label=row.section))
            node.section = row.section
            block = Block(node=node)
            if "lead" in row.cells:
                block.lead = block_names(ctx, row.cells["lead"].start, row.cells["lead"].end)
            if "support" in row.cells:
                block.support = block_names(ctx, row.cells["support"].start, row.cells["support"].end)
            if "time" in row.cells:
                cell = row.cells["time"]
                value = ctx.text[cell.start:cell.end]
                if re.fullmatch(r"\s*\d{4}\s*", value):  # a bare year in a time column
                    found = deadlines.find_deadlines("năm " + value.strip(), doc_date=ctx.header.date)
                    for d in found:
                        d.span, d.text = Span(start=cell.start, end=cell.end), value.strip()
                else:
                    found = deadlines.find_deadlines(value, doc_date=ctx.header.date, offset=cell.start)
                block.deadlines = found
            out.append((node, block))
    return out


_LEADER_OPINION = re.compile(r"\b(?:Thủ\s+tướng|Phó\s+Thủ\s+tướng|Chủ\s+tịch|Phó\s+Chủ\s+tịch|Bộ\s+trưởng|Thứ\s+trưởng|"
                             r"Bí\s+thư)\b[^.;]{0,80}\bcó\s+ý\s+kiến(?:\s+chỉ\s+đạo)?\s+như\s+sau\s*:\s*$")


def _root_paragraphs(root: Node, ctx: Context) -> list[Node]:
    """Unnumbered paragraphs outside any item that ask a named addressee to act ("…, đề nghị
    bộ, ngành, địa phương khẩn trương …"): one obligation each. Lead-ins ("… như sau:") and
    past requests told as background ("Bộ Nội vụ đã có Văn bản … đề nghị …") are not."""
    out: list[Node] = []
    first_item = root.children[0].unit.start if root.children else len(ctx.text) + 1
    opinion = False  # after "Phó Thủ tướng … có ý kiến như sau:", each paragraph is the leader's decision
    for para in root.paragraphs:
        body = ctx.text[para.start:para.end]
        if opinion and not root.children and not is_boilerplate(clean_quote(body)) \
                and not re.search(r"thông\s+báo\s+(?:để|cho)", body):
            node = Node(unit=para, parent=root)
            node.closing = True
            out.append(node)
            continue
        if _LEADER_OPINION.search(body):
            opinion = True
            continue
        if (para.start < first_item and re.search(r"(?::|như\s+sau)\s*$", body.strip())) or is_boilerplate(clean_quote(body)):
            continue
        for m in ROOT_ASSIGN.finditer(body):
            clause = re.split(r"[.;]\s", body[:m.start()])[-1]
            if re.search(r"\bđã\b", clause) or not looks_like_agency(body[m.end():m.end() + 60]):
                continue
            node = Node(unit=para, parent=root)
            node.closing = True
            out.append(node)
            break
    return out


def _span_of(ctx: Context, node: Node, block: Block | None) -> tuple[int, int]:
    start = node.start
    end = block.quote_end if block is not None and block.node is node and block.quote_end else node.end
    return start, max(start, end)


def _obligation(ctx: Context, node: Node, block: Block | None, oid: str) -> Obligation | None:
    start, end = _span_of(ctx, node, block)
    raw = ctx.text[start:end]
    quote = clean_quote(raw)
    if len(quote.split()) < 3 or is_boilerplate(quote) or is_annex_pointer(quote) or is_citation_only(quote):
        return None
    if ctx.doc_type == "Thông báo" and not decides(quote):
        return None
    own = addressee_at_start(raw)
    if own is not None and not raw[own.end:].strip(" .,;:\n*"):
        return None  # the item is only a list of names ("Sở X, các sở ngành liên quan;")
    inherited, inherited_source = _inherited(ctx, node, block)
    # "Trang phục của cán bộ, công chức: … phải …": whose conduct the item sets is its addressee
    lead: list[Agency] = names(ctx, start, own) if own is not None else topic_owner(ctx, start, raw)
    if lead and inherited and generic_restatement(lead, inherited, need_cac=own is None or own.kind != "assign"):
        lead = []  # "Các cơ quan, đơn vị, địa phương …" under a heading: the heading's addressees
    assigned: list[Agency] = []
    added: list[Agency] = []
    for phrase in assigned_later(raw, skip_until=own.end if own else 0):
        for agency in names(ctx, start, phrase):
            if (restates(agency, inherited) or is_dup(agency, lead)
                    or (inherited and generic_restatement([agency], inherited, need_cac=False))):
                continue
            (assigned if phrase.kind == "assign" else added).append(agency)
    source = "own"
    if lead:
        lead = lead + assigned + added
    elif assigned:
        lead = assigned + added  # "Giao X …" replaces the inherited addressees
    elif added:
        lead = inherited + added  # "Y phải …" tells a further group
        source = inherited_source if inherited else "own"
    elif _funding(ctx, node):
        return None
    else:
        lead, source = inherited, inherited_source
    support = [a for p in support_phrases(raw) for a in names(ctx, start, p)]
    if block is not None:
        support = unique(block.support + support)
    elif source == "heading" and not support:
        support = _heading_support(ctx, node)
    report_to = unique([a for p in report_phrases(raw) for a in names(ctx, start, p, keep_roles=True)])
    lead = unique(lead)
    support = [a for a in unique(support) if not is_dup(a, lead)]
    found = deadlines.find_deadlines(raw, doc_date=ctx.header.date, offset=start)
    if not found:
        found = _inherited_deadlines(ctx, node, block)
    page_span = Span(start=start, end=end)
    return Obligation(
        id=oid, section=_section(node),
        text=quote, lead=lead, support=support, report_to=report_to, deadlines=found,
        modality=modality_of(quote), heading=_heading_text(ctx, node), lead_source=source,
        span=page_span, confidence=0.9 if source == "own" else 0.75 if lead else 0.5)


def _section(node: Node) -> str | None:
    if getattr(node, "closing", False):
        return None
    return getattr(node, "section", None) or section_of(node)


def _heading_text(ctx: Context, node: Node) -> str | None:
    parent = node.parent
    if parent is None or parent.unit is None:
        return None
    return _title(ctx, parent)[:300] or None


def _inherited(ctx: Context, node: Node, block: Block | None) -> tuple[list[Agency], str]:
    if block is not None and block.lead:
        return block.lead, "heading"
    for anc in node.ancestors():
        heading = ctx.text[anc.start:anc.end if not anc.children else anc.unit.end]
        if anc.style == "leadin":
            found = leadin_addressee(heading)
            named = names(ctx, anc.start, Phrase(*found)) if found else []
            if named:
                return named, "heading"
            continue
        phrase = addressee_at_start(heading)
        named = names(ctx, anc.start, phrase) if phrase else []
        if not named:
            for later in assigned_later(heading):
                named.extend(names(ctx, anc.start, later))
        if named:
            return named, "heading"
    if ctx.preamble_lead:
        return ctx.preamble_lead, "preamble"
    if ctx.doc_type == "Thông báo" and ctx.notice_lead:
        return ctx.notice_lead, "recipients"
    if ctx.doc_type in ("Công văn", "Công điện", None) and ctx.recipients:
        return ctx.recipients, "recipients"
    return [], "none"


def _heading_support(ctx: Context, node: Node) -> list[Agency]:
    """"1. Bộ Tài chính chủ trì, phối hợp với các bộ, địa phương liên quan: a) … b) …": the
    heading's partners support every item under it."""
    for anc in node.ancestors():
        if anc.style == "leadin" or not anc.children:
            continue
        heading = ctx.text[anc.start:anc.unit.end]
        if addressee_at_start(heading) is None:
            continue
        return [a for p in support_phrases(heading) for a in names(ctx, anc.start, p)]
    return []


def _inherited_deadlines(ctx: Context, node: Node, block: Block | None) -> list[Deadline]:
    if block is not None and block.deadlines:
        return block.deadlines
    for anc in node.ancestors():
        end = anc.unit.end if anc.children else anc.end
        found = deadlines.find_deadlines(ctx.text[anc.start:end], doc_date=ctx.header.date, offset=anc.start)
        if found:
            return found
    return []
