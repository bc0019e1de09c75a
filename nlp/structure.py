"""The section structure of a directive: paragraphs, list markers and the item tree.

A *unit* is a paragraph that opens with a list marker ("I.", "1.", "1.1.", "a)", "(1)", "-",
"+", "•", "Điều 5.") or a plain paragraph. Lines wrapped inside a paragraph are joined; a line
that opens with a marker starts a new unit (OCR text has no blank lines between paragraphs).
Units nest by marker *style*: a style already open on the stack closes everything opened
after it (a sibling), a new style opens a child. Plain paragraphs belong to the item before
them (the guideline's "every paragraph up to the next marker belongs to the item before it").

Everything keeps offsets into the document text; nothing here reads files or settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
         "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}

# Markdown and table decoration that may stand before a marker on a line.
_DECOR = re.compile(r"^[\s>#*_|]*")
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(r"(?:Chương|CHƯƠNG)\s+([IVXL]+|\d+)\b[.:]?")),
    ("section", re.compile(r"(?:Mục|MỤC)\s+(\d+|[IVX]+)[.:]\s*")),
    ("article", re.compile(r"(?:Điều|ĐIỀU)\s+(\d+)\s*[.:]")),
    ("roman", re.compile(r"(?:(?:Phần|PHẦN)\s+)?((?:X{0,1})(?:IX|IV|V?I{0,3}))\s*[.):/-](?=\s|$)")),
    ("num", re.compile(r"(\d{1,2}(?:\.\d{1,2}){1,3})\.?(?=\s|$)")),
    ("num", re.compile(r"(\d{1,2})\s*[.)](?=\s|$)")),
    ("proman", re.compile(r"\((i{1,3}|iv|vi{0,3}|ix|x)\)(?=\s|$)")),
    ("paren", re.compile(r"\((\d{1,2}|[a-zđ])\)(?=\s|$)")),
    ("letter", re.compile(r"([a-zđởðø¡ï])\s*\)(?=\s|$)")),
    ("letter", re.compile(r"([a-zđ])\.(?=\s+[A-ZĐÀ-Ỹ])")),
    ("plus", re.compile(r"\+(?=\s*\S)")),
    ("dash", re.compile(r"[-–—‒](?=\s*\S)")),
    ("bullet", re.compile(r"[•●▪◦·∙*](?=\s+\S)")),
]
# letters of list markers as OCR misreads them ("đ)" as "ở)", "g)" as "ø)")
_OCR_LETTERS = {"ở": "đ", "ð": "đ", "ø": "g", "¡": "i", "ï": "i"}
_INLINE_PAREN = re.compile(r"(?:(?<=\s)|(?<=^))\((\d{1,2})\)\s")
_PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")
_SEPARATOR = re.compile(r"^\s*[-_=*.–—~]{3,}\s*$")
_TERMINAL = re.compile(r"[.;:!?]\W*$")


@dataclass
class Unit:
    start: int  # offset of the paragraph (after decoration)
    end: int
    body_start: int  # offset just after the marker
    style: str | None = None  # chapter/section/article/roman/num1../paren/letter/plus/dash/bullet
    label: str | None = None  # "IV", "1.2", "a", "3"


@dataclass
class Node:
    unit: Unit | None  # None for the root
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    paragraphs: list[Unit] = field(default_factory=list)  # plain paragraphs that follow it

    @property
    def start(self) -> int:
        return self.unit.body_start if self.unit else 0

    @property
    def end(self) -> int:
        ends = [p.end for p in self.paragraphs] + ([self.unit.end] if self.unit else [])
        return max(ends) if ends else 0

    @property
    def style(self) -> str | None:
        return self.unit.style if self.unit else None

    def ancestors(self) -> list["Node"]:
        out, node = [], self.parent
        while node is not None and node.unit is not None:
            out.append(node)
            node = node.parent
        return out

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


def _match_marker(line: str) -> tuple[str, str, int] | None:
    """(style, label, length of the marker) for a line that opens with a list marker."""
    for style, pattern in _MARKERS:
        m = pattern.match(line)
        if not m:
            continue
        label = m.group(1) if m.groups() else None
        if style == "roman":
            if not label or label not in ROMAN:
                continue
        if style == "num":
            depth = label.count(".") + 1
            style = f"num{depth}"
        if style == "letter":
            label = _OCR_LETTERS.get(label, label)
        return style, label or "", m.end()
    return None


def _is_wrapped_dash(line_text: str, marker: tuple[str, str, int], prev: str | None) -> bool:
    """A wrapped "kinh tế\\n- xã hội" or "giai đoạn 2021\\n- 2025" is not a bullet."""
    if marker[0] != "dash" or prev is None or _TERMINAL.search(prev):
        return False
    rest = line_text[marker[2]:].lstrip()
    return bool(rest) and (rest[0].islower() or rest[0].isdigit())


def _is_wrapped_number(line_text: str, marker: tuple[str, str, int], prev: str | None) -> bool:
    """"ngày\\n15. " or "năm\\n2025." inside a sentence: a number that continues the line before."""
    if not marker[0].startswith("num") or prev is None or _TERMINAL.search(prev):
        return False
    return bool(re.search(r"(ngày|tháng|năm|số|điểm|khoản|Điều|và|,)\s*$", prev))


def paragraphs(text: str) -> list[Unit]:
    """Split the text into units: marker-opened items and plain paragraphs, with offsets."""
    units: list[Unit] = []
    cur: Unit | None = None
    prev_line: str | None = None
    pos = 0
    for raw in text.split("\n"):
        line_start, pos = pos, pos + len(raw) + 1
        for piece_start, piece in _split_formfeeds(raw, line_start):
            stripped = piece.rstrip()
            if not stripped.strip() or _PAGE_NUMBER.match(stripped) or _SEPARATOR.match(stripped):
                if cur is not None and (not stripped.strip() or _SEPARATOR.match(stripped)):
                    cur = None
                    prev_line = None
                continue
            lead = _DECOR.match(stripped).end()
            # "**1.**" or "## **2." : decoration around a marker
            body = stripped[lead:]
            marker = _match_marker(body)
            if marker and (_is_wrapped_dash(body, marker, prev_line)
                           or _is_wrapped_number(body, marker, prev_line)):
                marker = None
            if marker:
                after = lead + marker[2]
                # skip decoration right after the marker ("**1.** Text")
                while after < len(stripped) and stripped[after] in " *_":
                    after += 1
                cur = Unit(start=piece_start + lead, end=piece_start + len(stripped),
                           body_start=piece_start + after, style=marker[0], label=marker[1])
                units.append(cur)
            elif cur is None or (cur.body_start < cur.end and _starts_paragraph(body, prev_line)):
                cur = Unit(start=piece_start + lead, end=piece_start + len(stripped),
                           body_start=piece_start + lead)
                units.append(cur)
            else:
                cur.end = piece_start + len(stripped)
            prev_line = stripped
    return _split_inline(text, units)


# "Căn cứ khoản 2 Điều 49 Luật …:" / "Theo quy định tại …:": the items after it quote the law
QUOTED_RULES = re.compile(r"\W*(?:Căn\s+cứ|Theo\s+quy\s+định|Tại\s+(?:khoản|điểm|Điều)|Theo\s+(?:khoản|điểm|Điều))\b"
                          r"(?=[\s\S]*\b(?:quy\s+định|hướng\s+dẫn|nêu\s+rõ)\s*(?:như\s+sau|cụ\s+thể)?\s*[:.]?\W*$)")
LEADIN_END = re.compile(r"(?::|\bnhư\s+sau|\bsau\s+đây|\bcụ\s+thể)\s*[.:]?\s*[*_]*\s*$")


def mark_leadins(text: str, units: list[Unit]) -> list[Unit]:
    """A plain paragraph after the first item that ends "…: " / "như sau" and is followed by
    items introduces them: it is a heading of its own ("leadin"), not the item before's text."""
    seen_item = False
    for i, unit in enumerate(units):
        if unit.style not in (None, "reset"):
            seen_item = True
            continue
        body = text[unit.start:unit.end]
        if (unit.style is None and (seen_item or QUOTED_RULES.match(body)) and i + 1 < len(units)
                and units[i + 1].style not in (None, "reset") and LEADIN_END.search(body)):
            unit.style, unit.label = "leadin", None
    return units


def _upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _starts_paragraph(line: str, prev: str | None) -> bool:
    """Text without blank lines between paragraphs: a line opens a new paragraph after a line
    that ends a sentence, or where upper-case title lines meet running text."""
    if prev is None:
        return True
    if _upper(line) != _upper(prev):
        return True
    first = line.lstrip(" *_\"“(")[:1]
    return bool(_TERMINAL.search(prev)) and (first.isupper() or first.isdigit())


_GLUED = re.compile(r"(?<=/\.)[ \t]*(?=\S)|(?<=\S)[ \t]*(?=(?:Nơi|NƠI)\s+(?:nhận|NHẬN)\s*:)")


def _split_formfeeds(raw: str, start: int):
    """Pieces of one raw line: split at form feeds (page breaks), after the end mark "/." and
    before "Nơi nhận:" when a text layer glued the closing and the distribution list."""
    offset = start
    for part in raw.split("\f"):
        pos = 0
        for m in _GLUED.finditer(part):
            yield offset + pos, part[pos:m.start()]
            pos = m.end()
        yield offset + pos, part[pos:]
        offset += len(part) + 1


def _split_inline(text: str, units: list[Unit]) -> list[Unit]:
    """"… sau: (1) … (2) … (3) …" inside one paragraph: each "(n)" becomes an item."""
    out: list[Unit] = []
    for unit in units:
        body = text[unit.body_start:unit.end]
        hits = [m for m in _INLINE_PAREN.finditer(body)]
        labels = [m.group(1) for m in hits]
        if len(hits) < 2 or labels[:2] != ["1", "2"]:
            out.append(unit)
            continue
        first = hits[0].start()
        if first > 0:
            out.append(Unit(start=unit.start, end=unit.body_start + first, body_start=unit.body_start,
                            style=unit.style, label=unit.label))
        expected = 1
        kept = []
        for m in hits:
            if m.group(1) == str(expected):
                kept.append(m)
                expected += 1
        for i, m in enumerate(kept):
            end = unit.body_start + (kept[i + 1].start() if i + 1 < len(kept) else len(body))
            out.append(Unit(start=unit.body_start + m.start(), end=end,
                            body_start=unit.body_start + m.end(), style="inline", label=m.group(1)))
    return out


def build_tree(units: list[Unit]) -> Node:
    """Nest units by marker style; plain paragraphs attach to the item before them."""
    root = Node(unit=None)
    stack: list[Node] = [root]
    for i, unit in enumerate(units):
        if unit.style is None:
            stack[-1].paragraphs.append(unit)
            continue
        if unit.style == "reset":  # an attached plan or rules start: a new tree under the root
            del stack[1:]
            continue
        if unit.style == "leadin":
            nxt = units[i + 1].style if i + 1 < len(units) else None
            while len(stack) > 1 and (stack[-1].style in ("inline", "leadin", nxt)
                                      or _rank(stack[-1].style) >= _rank(nxt)):
                stack.pop()
            node = Node(unit=unit, parent=stack[-1])
            node.rank = _rank(nxt) - 0.5  # just above the items it introduces
            stack[-1].children.append(node)
            stack.append(node)
            continue
        styles = [n.style for n in stack]
        if unit.style in styles:
            del stack[styles.index(unit.style):]
        elif stack[-1].style == "leadin" and stack[-1].children and _rank(unit.style) <= stack[-1].rank:
            stack.pop()
        elif unit.style.startswith("num") or unit.style in ("roman", "article", "chapter", "section"):
            # a shallower numbered level closes deeper ones ("2." after "1.3.")
            rank = _rank(unit.style)
            while len(stack) > 1 and getattr(stack[-1], "rank", _rank(stack[-1].style)) > rank:
                stack.pop()
        node = Node(unit=unit, parent=stack[-1])
        siblings = [c for c in stack[-1].children if c.style == "letter"]
        if unit.style == "letter" and siblings and siblings[-1].unit.label == unit.label == "d":
            unit.label = "đ"  # "d) … d)": the second was an "đ)" that lost its stroke
        stack[-1].children.append(node)
        stack.append(node)
    return root


_RANKS = {"chapter": 0, "section": 1, "roman": 2, "article": 3, "num1": 4, "num2": 5, "num3": 6,
          "num4": 7, "paren": 8, "inline": 8, "letter": 9, "proman": 10, "dash": 11, "plus": 12, "bullet": 13, "leadin": 50}


def _rank(style: str | None) -> int:
    return _RANKS.get(style or "", -1)


def section_of(node: Node) -> str | None:
    """The item's number path as written: "1.a", "IV.1.a", "3.2", "4.2" for a bullet under 4.2."""
    parts: list[str] = []
    numbered_seen = False
    for n in [node, *node.ancestors()]:
        style, label = n.style, n.unit.label if n.unit else None
        if style in ("dash", "plus", "bullet") or not label:
            continue
        if style and style.startswith("num"):
            if numbered_seen:
                continue  # "1.2" already names its parent "1"
            numbered_seen = "." in label
        if style == "chapter":
            continue
        parts.append(label)
    return ".".join(reversed(parts)) or None


def clean_quote(text: str) -> str:
    """An item's text as the guideline quotes it: markdown stars and the end mark "/." dropped,
    line and page breaks as single spaces."""
    text = re.sub(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}", "", text)
    text = text.replace("\f", " ")
    text = re.sub(r"^\s*[#>|]+\s*", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*/\.\s*$", ".", text)
    return text.replace(" .", ".") if text.endswith(" .") else text
