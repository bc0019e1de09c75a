"""Obligations: the lowest-level items of the body that state an action, with their roles.

Reads the item tree of :mod:`nlp.structure`, leaves out what the guideline says is not an
obligation (header, Kính gửi, Nơi nhận, signature, parts titled Mục đích / Yêu cầu / …,
closing boilerplate), and gives every item its lead (own, else inherited from the nearest
heading, the Kế hoạch block, the preamble, the Kính gửi list or the notice's addressee),
support, report recipients and deadlines (own, else the nearest heading's).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from chithi.models import Agency, Deadline, DocumentHeader, Obligation, Span
from chithi.text import fold

from . import agencies, deadlines
from .blocks import Block, read_block
from .body import body_units, leadin_addressee
from .roles import (Phrase, addressee_at_start, assigned_later, cues, looks_like_agency,
                    phrase_until_verb, report_phrases, support_phrases)
from .structure import QUOTED_RULES, Node, Unit, build_tree, clean_quote, section_of
from .tables import Table, find_tables


@dataclass
class Context:
    text: str
    header: DocumentHeader
    doc_type: str | None
    locality: str | None
    preamble_lead: list[Agency] = field(default_factory=list)
    recipients: list[Agency] = field(default_factory=list)
    notice_lead: list[Agency] = field(default_factory=list)


def extract_obligations(text: str, header: DocumentHeader) -> list[Obligation]:
    tables = find_tables(text)
    units, preamble, recipients_phrase, notice_phrase = body_units(
        text, header, skip=[(t.start, t.end) for t in tables])
    root = build_tree(units)
    ctx = Context(text=text, header=header, doc_type=header.type, locality=header.locality)
    ctx.preamble_lead = _names_in(ctx, preamble)
    if recipients_phrase:
        ctx.recipients = _recipients(ctx, recipients_phrase)
    if notice_phrase:
        ctx.notice_lead = _names_in(ctx, notice_phrase)
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


# --- which items ------------------------------------------------------------------------

def _title(ctx: Context, node: Node) -> str:
    end = node.unit.end if node.unit else 0
    return clean_quote(ctx.text[node.start:end])


def _title_matches(title: str, words: list[str]) -> bool:
    t = title.lower().strip(" :.")
    return len(t.split()) <= 12 and any(t.startswith(w) for w in words)


def _excluded(ctx: Context, node: Node) -> bool:
    c = cues()
    chain = [node, *node.ancestors()]
    for n in chain:
        if n.style == "leadin" and QUOTED_RULES.match(ctx.text[n.unit.start:n.unit.end]):
            return True  # items that quote a law's provisions ask no one to act
        title = _title(ctx, n)
        if _title_matches(title, c["excluded_part_titles"]):
            return True
    romans = [n for n in chain if n.style in ("roman", "chapter")]
    if romans and ctx.doc_type in ("Kế hoạch", "Quyết định", "Chương trình", "Đề án"):
        top = romans[-1]
        siblings = [s for s in (top.parent.children if top.parent else []) if s.style == top.style]
        tasky = [s for s in siblings if _title_matches(_title(ctx, s), c["task_part_titles"])]
        if tasky and top not in tasky and not _title_matches(_title(ctx, top), c["funding_part_titles"]):
            return True
    return False


def _funding(ctx: Context, node: Node) -> bool:
    return any(_title_matches(_title(ctx, n), cues()["funding_part_titles"]) for n in [node, *node.ancestors()])


def _boilerplate(text: str) -> bool:
    low = text.lower()
    if re.match(r"\s*(căn cứ|xét đề nghị|theo đề nghị)\s+(luật|bộ luật|hiến pháp|nghị định|nghị quyết|quyết định|"
                r"thông tư|chỉ thị|kế hoạch|công văn|văn bản|kết luận|thông báo|chức năng|tờ trình|quy định|của|"
                r"khoản|điều|điểm)\b", low):
        return True
    if re.match(r"\s*(đối với trường hợp|trường hợp)\b", low) and not re.search(
            r"\b(phải|có trách nhiệm|đề nghị|yêu cầu|giao|cần)\b", low):
        return True
    return any(p in low for p in cues()["boilerplate"]) and len(low) < 400


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
                names=lambda s, e: _block_names(ctx, s, e),
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


_CLOSING = re.compile(r"(?:^|[.;]\s+|\n)\s*(?:Đề\s+nghị|Yêu\s+cầu|Giao|Trong\s+quá\s+trình\s+(?:triển\s+khai\s+)?thực\s+hiện|"
                      r"Quá\s+trình\s+thực\s+hiện|Nếu\s+có\s+khó\s+khăn)\b")


def _subject_assigns(para: str) -> bool:
    """"Ủy ban nhân dân huyện giao Phòng Nội vụ …": a closing paragraph whose subject assigns work."""
    head = para.lstrip()[:120]
    return looks_like_agency(head[:60]) and bool(re.search(r"\s(?:giao|yêu\s+cầu|đề\s+nghị)\s", head))


def _split_closing(root: Node, resets: list[int], ctx: Context) -> list[Node]:
    """Detach closing paragraphs from the last item before each part end: boilerplate is
    dropped, a paragraph that asks named addressees to act becomes its own item."""
    leaves = [n for n in root.walk() if not n.children]
    if not leaves and root.paragraphs:
        leaves = []
    out: list[Node] = []
    for boundary in [*resets, len(ctx.text) + 1]:
        before = [n for n in leaves if n.start < boundary]
        if not before:
            continue
        last = max(before, key=lambda n: n.start)
        for i, para in enumerate(last.paragraphs):
            body = ctx.text[para.start:para.end]
            if _boilerplate(clean_quote(body)) or _CLOSING.search(body) or _subject_assigns(body):
                rest = last.paragraphs[i:]
                last.paragraphs = last.paragraphs[:i]
                for p in rest:
                    ptext = ctx.text[p.start:p.end]
                    if (_CLOSING.search(ptext) or _subject_assigns(ptext)) and not _boilerplate(clean_quote(ptext)):
                        node = Node(unit=p, parent=root)
                        node.closing = True
                        out.append(node)
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
                block.lead = _block_names(ctx, row.cells["lead"].start, row.cells["lead"].end)
            if "support" in row.cells:
                block.support = _block_names(ctx, row.cells["support"].start, row.cells["support"].end)
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


_ROOT_ASSIGN = re.compile(r"(?<!\w)(?:[Đđ]ề\s+nghị|[Yy]êu\s+cầu|[Gg]iao)\s+")


def _root_paragraphs(root: Node, ctx: Context) -> list[Node]:
    """Unnumbered paragraphs outside any item that ask a named addressee to act ("…, đề nghị
    bộ, ngành, địa phương khẩn trương …"): one obligation each. Lead-ins ("… như sau:") and
    past requests told as background ("Bộ Nội vụ đã có Văn bản … đề nghị …") are not."""
    out: list[Node] = []
    first_item = root.children[0].unit.start if root.children else len(ctx.text) + 1
    for para in root.paragraphs:
        body = ctx.text[para.start:para.end]
        if (para.start < first_item and re.search(r"(?::|như\s+sau)\s*$", body.strip())) or _boilerplate(clean_quote(body)):
            continue
        for m in _ROOT_ASSIGN.finditer(body):
            clause = re.split(r"[.;]\s", body[:m.start()])[-1]
            if re.search(r"\bđã\b", clause) or not looks_like_agency(body[m.end():m.end() + 60]):
                continue
            node = Node(unit=para, parent=root)
            node.closing = True
            out.append(node)
            break
    return out


# --- one item ---------------------------------------------------------------------------

def _span_of(ctx: Context, node: Node, block: Block | None) -> tuple[int, int]:
    start = node.start
    end = block.quote_end if block is not None and block.node is node and block.quote_end else node.end
    return start, max(start, end)


def _obligation(ctx: Context, node: Node, block: Block | None, oid: str) -> Obligation | None:
    start, end = _span_of(ctx, node, block)
    raw = ctx.text[start:end]
    quote = clean_quote(raw)
    if len(quote.split()) < 3 or _boilerplate(quote) or _annex_pointer(quote) or _citation_only(quote):
        return None
    if ctx.doc_type == "Thông báo" and not _decides(quote):
        return None
    own = addressee_at_start(raw)
    if own is not None and not raw[own.end:].strip(" .,;:\n*"):
        return None  # the item is only a list of names ("Sở X, các sở ngành liên quan;")
    inherited, inherited_source = _inherited(ctx, node, block)
    # "Trang phục của cán bộ, công chức: … phải …": whose conduct the item sets is its addressee
    lead: list[Agency] = _names(ctx, start, own) if own is not None else _topic_owner(ctx, start, raw)
    if lead and inherited and _generic_restatement(lead, inherited, need_cac=own is None or own.kind != "assign"):
        lead = []  # "Các cơ quan, đơn vị, địa phương …" under a heading: the heading's addressees
    assigned: list[Agency] = []
    added: list[Agency] = []
    for phrase in assigned_later(raw, skip_until=own.end if own else 0):
        for agency in _names(ctx, start, phrase):
            if (_restates(agency, inherited) or _dup(agency, lead)
                    or (inherited and _generic_restatement([agency], inherited, need_cac=False))):
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
    support = [a for p in support_phrases(raw) for a in _names(ctx, start, p)]
    if block is not None:
        support = _unique(block.support + support)
    elif source == "heading" and not support:
        support = _heading_support(ctx, node)
    report_to = _unique([a for p in report_phrases(raw) for a in _names(ctx, start, p, keep_roles=True)])
    lead = _unique(lead)
    support = [a for a in _unique(support) if not _dup(a, lead)]
    found = deadlines.find_deadlines(raw, doc_date=ctx.header.date, offset=start)
    if not found:
        found = _inherited_deadlines(ctx, node, block)
    page_span = Span(start=start, end=end)
    return Obligation(
        id=oid, section=_section(node),
        text=quote, lead=lead, support=support, report_to=report_to, deadlines=found,
        modality=_modality(quote), heading=_heading_text(ctx, node), lead_source=source,
        span=page_span, confidence=0.9 if source == "own" else 0.75 if lead else 0.5)


_CITATION = re.compile(r"(?:Luật|Bộ luật|Nghị định|Nghị quyết|Quyết định|Thông tư|Chỉ thị|Kết luận|Công văn|Văn bản|"
                       r"Kế hoạch|Thông báo|Hiến pháp|Pháp lệnh)\b[^;]*?(?:\d{4}|số\s+\S+)", re.I)


def _citation_only(quote: str) -> bool:
    """"Nghị định số 08/2022/NĐ-CP ngày 10/01/2022 của Chính phủ quy định …;": a cited document
    in a "Căn cứ pháp lý" list, not an action."""
    m = _CITATION.match(quote)
    return bool(m) and len(quote.split()) < 60 and not re.search(
        r"\b(giao|yêu cầu|đề nghị|phải|có trách nhiệm|chủ trì|thực hiện nghiêm|triển khai)\b", quote[m.end():])


def _annex_pointer(quote: str) -> bool:
    """"Các nhiệm vụ cụ thể tại Phụ lục kèm theo": a pointer to the annex, whose rows are the tasks."""
    return len(quote.split()) < 30 and bool(re.search(
        r"(chi tiết|cụ thể|danh mục)[^.]{0,60}(tại|theo|ở)\s+(các\s+)?phụ\s+lục", quote, re.I))


def _section(node: Node) -> str | None:
    if getattr(node, "closing", False):
        return None
    return getattr(node, "section", None) or section_of(node)


_TOPIC_OWNER = re.compile(r"\s*(?:Về\s+[^:.;()]{3,120}?\bcủa\s+(?P<who>[^:.;()]{3,80}?)\s*(?::|\bphải\b)|"
                          r"[^:.;()]{3,120}?\bcủa\s+(?P<who2>[^:.;()]{3,80}?)\s*:)")


def _topic_owner(ctx: Context, start: int, raw: str) -> list[Agency]:
    """A rule item titled by whose conduct it sets ("Trang phục của cán bộ, công chức: Khi thực
    hiện nhiệm vụ phải …") binds that class of persons or body."""
    m = _TOPIC_OWNER.match(raw)
    group = "who" if m and m.group("who") else "who2"
    if not m or not re.search(r"\bphải\b", raw) or not looks_like_agency(m.group(group)):
        return []
    return _names(ctx, start, Phrase(m.start(group), m.end(group)))


def _decides(quote: str) -> bool:
    """Thông báo kết luận: an item in which the leader asks, assigns, requests or agrees."""
    low = quote.lower()
    if re.search(r"\b(giao|yêu cầu|đề nghị|đồng ý|chủ trì|có trách nhiệm|chịu trách nhiệm|khẩn trương|"
                 r"phải|cần khẩn trương)\b", low):
        return True
    if addressee_at_start(quote) is not None:
        return True
    body = re.sub(r"^về\s[^:]{3,160}:\s*", "", low)
    return body.startswith(("thống nhất", "đồng ý", "giao", "yêu cầu", "đề nghị"))


def _modality(quote: str) -> str:
    low = quote.lower()
    if any(low.startswith(c) for c in cues()["encourage_cues"]) or "khuyến khích" in low[:80]:
        return "encouraged"
    if any(low.startswith(c) for c in cues()["prohibition_cues"]) or low.startswith("không "):
        return "prohibited"
    return "must"


def _heading_text(ctx: Context, node: Node) -> str | None:
    parent = node.parent
    if parent is None or parent.unit is None:
        return None
    return _title(ctx, parent)[:300] or None


_BARE_ROLES = {"nguoi dung dau", "thu truong", "lanh dao", "chu tich", "giam doc", "truong", "can bo lanh dao"}


def _names(ctx: Context, base: int, phrase: Phrase, *, keep_roles: bool = False) -> list[Agency]:
    """The names in a phrase; a bare role word ("Người đứng đầu") names no body, except as a
    report recipient ("báo cáo lãnh đạo")."""
    text = ctx.text[base + phrase.start:base + phrase.end]
    found = agencies.split_names(text, offset=base + phrase.start, locality=ctx.locality)
    if keep_roles and not found and fold(text).strip(" .,:;") in _BARE_ROLES:
        found = [agencies.canonicalize(text.strip(" .,:;"), locality=ctx.locality)]
    if keep_roles:  # a report goes to the person as the text names them: "Chủ tịch UBND huyện"
        found = [a.model_copy(update={"name": f"{a.role_word} {a.name}"}) if a.role_word else a for a in found]
    return [a for a in found if a.name.strip() and (keep_roles or fold(a.name).strip(" .,:;") not in _BARE_ROLES)]


_BLOCK_VERB = re.compile(r"\s(?:chủ\s+trì|chủ\s+động|phối\s+hợp|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|"
                         r"tham\s+mưu|thực\s+hiện|tổ\s+chức\s+triển\s+khai|triển\s+khai|hướng\s+dẫn|theo\s+dõi)\b")


def _block_names(ctx: Context, start: int, end: int) -> list[Agency]:
    """A block's "Cơ quan thực hiện: Sở X chủ trì …; Sở Y và các sở … chủ động …": the subject
    of each clause (a plain list of names is all names)."""
    out: list[Agency] = []
    pos = start
    for clause in re.split(r"(;)", ctx.text[start:end]):
        if clause != ";" and clause.strip():
            verb = _BLOCK_VERB.search(clause)
            names_part = clause[:verb.start()] if verb else clause
            lead = len(names_part) - len(names_part.lstrip())
            if looks_like_agency(names_part[lead:lead + 60]):
                out.extend(_names(ctx, pos, Phrase(lead, len(names_part.rstrip(" .,\n")))))
        pos += len(clause)
    return out


def _recipients(ctx: Context, span: tuple[int, int]) -> list[Agency]:
    """The Kính gửi list: one or more names per line or dash bullet."""
    out: list[Agency] = []
    block = ctx.text[span[0]:span[1]]
    for m in re.finditer(r"(?:^|\n)\s*[-–+•]?\s*([^\n]+(?:\n(?!\s*[-–+•])[^\n]+)*)", block):
        line = m.group(1)
        lead = len(line) - len(line.lstrip())
        line = line.rstrip(" ;.,\n")
        if line.strip():
            out.extend(_names(ctx, span[0] + m.start(1), Phrase(lead, len(line))))
    return _unique(out)


def _names_in(ctx: Context, span: tuple[int, int] | None) -> list[Agency]:
    if not span:
        return []
    return agencies.split_names(ctx.text[span[0]:span[1]], offset=span[0], locality=ctx.locality)


def _inherited(ctx: Context, node: Node, block: Block | None) -> tuple[list[Agency], str]:
    if block is not None and block.lead:
        return block.lead, "heading"
    for anc in node.ancestors():
        heading = ctx.text[anc.start:anc.end if not anc.children else anc.unit.end]
        if anc.style == "leadin":
            found = leadin_addressee(heading)
            names = _names(ctx, anc.start, Phrase(*found)) if found else []
            if names:
                return names, "heading"
            continue
        phrase = addressee_at_start(heading)
        names = _names(ctx, anc.start, phrase) if phrase else []
        if not names:
            for later in assigned_later(heading):
                names.extend(_names(ctx, anc.start, later))
        if names:
            return names, "heading"
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
        return [a for p in support_phrases(heading) for a in _names(ctx, anc.start, p)]
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


def _key(a: Agency) -> str:
    return fold(a.name).replace("cac ", "").strip()


def _dup(a: Agency, among: list[Agency]) -> bool:
    return any(_key(a) == _key(b) for b in among)


def _unique(items: list[Agency]) -> list[Agency]:
    out: list[Agency] = []
    for a in items:
        if not _dup(a, out):
            out.append(a)
    return out


_GENERIC_WORDS = {"bo": "agency", "nganh": "agency", "co": "agency", "quan": "agency",
                  "don": "unit", "vi": "unit", "dia": "locality", "phuong": "locality"}
_CATEGORY = {**_GENERIC_WORDS, "so": "agency", "ban": "agency", "phong": "agency", "huyen": "locality",
             "xa": "locality", "tinh": "locality", "thanh": "locality", "pho": "locality",
             "uy": "locality", "nhan": "locality", "dan": "locality", "ubnd": "locality"}
_FILLER = {"cac", "va", "lien", "to", "chuc", "cap", "khac", "thuoc", "truc"}


def _categories(agencies_: list[Agency], *, strict: bool, need_cac: bool = True) -> set[str] | None:
    """The kinds of body a name covers; ``strict``: None unless it uses only general words."""
    cats: set[str] = set()
    table = _GENERIC_WORDS if strict else _CATEGORY
    for a in agencies_:
        text = fold(a.name)
        if strict and need_cac and not text.startswith("cac "):
            return None
        for w in re.findall(r"\w+", text):
            if w in table:
                cats.add(table[w])
            elif strict and w not in _FILLER:
                return None
    return cats


def _generic_restatement(own: list[Agency], inherited: list[Agency], *, need_cac: bool = True) -> bool:
    """"Các cơ quan, đơn vị, địa phương" under "các sở, ban ngành; đơn vị …; UBND các huyện": the
    same addressees in general words. Wider words ("các Bộ, cơ quan, địa phương" under "các bộ,
    ngành") are not a restatement."""
    mine = _categories(own, strict=True, need_cac=need_cac)
    theirs = _categories(inherited, strict=False) or set()
    return bool(mine) and mine <= theirs


def _restates(agency: Agency, inherited: list[Agency]) -> bool:
    """"yêu cầu các đơn vị" under "các phòng, ban, đơn vị, phường xã": the same addressees."""
    words = set(re.findall(r"\w+", _key(agency)))
    return bool(words) and any(words <= set(re.findall(r"\w+", _key(b))) for b in inherited)
