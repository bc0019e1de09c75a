"""What the obligation extractor knows about the document while it reads the items (header,
locality, the preamble's, Kính gửi and notice addressees) and how it turns phrases into names."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from chithi.models import Agency, DocumentHeader
from chithi.text import fold

from . import agencies
from .restatement import unique
from .roles import Phrase, looks_like_agency


@dataclass
class Context:
    text: str
    header: DocumentHeader
    doc_type: str | None
    locality: str | None
    preamble_lead: list[Agency] = field(default_factory=list)
    recipients: list[Agency] = field(default_factory=list)
    notice_lead: list[Agency] = field(default_factory=list)


_BARE_ROLES = {"nguoi dung dau", "thu truong", "lanh dao", "chu tich", "giam doc", "truong", "can bo lanh dao"}


def names(ctx: Context, base: int, phrase: Phrase, *, keep_roles: bool = False) -> list[Agency]:
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


def block_names(ctx: Context, start: int, end: int) -> list[Agency]:
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
                out.extend(names(ctx, pos, Phrase(lead, len(names_part.rstrip(" .,\n")))))
        pos += len(clause)
    return out


def recipients(ctx: Context, span: tuple[int, int]) -> list[Agency]:
    """The Kính gửi list: one or more names per line or dash bullet."""
    out: list[Agency] = []
    block = ctx.text[span[0]:span[1]]
    for m in re.finditer(r"(?:^|\n)\s*[-–+•]?\s*([^\n]+(?:\n(?!\s*[-–+•])[^\n]+)*)", block):
        line = m.group(1)
        lead = len(line) - len(line.lstrip())
        line = line.rstrip(" ;.,\n")
        if line.strip():
            out.extend(names(ctx, span[0] + m.start(1), Phrase(lead, len(line))))
    return unique(out)


def names_in(ctx: Context, span: tuple[int, int] | None) -> list[Agency]:
    if not span:
        return []
    return agencies.split_names(ctx.text[span[0]:span[1]], offset=span[0], locality=ctx.locality)


_TOPIC_OWNER = re.compile(r"\s*(?:Về\s+[^:.;()]{3,120}?\bcủa\s+(?P<who>[^:.;()]{3,80}?)\s*(?::|\bphải\b)|"
                          r"[^:.;()]{3,120}?\bcủa\s+(?P<who2>[^:.;()]{3,80}?)\s*:)")


def topic_owner(ctx: Context, start: int, raw: str) -> list[Agency]:
    """A rule item titled by whose conduct it sets ("Trang phục của cán bộ, công chức: Khi thực
    hiện nhiệm vụ phải …") binds that class of persons or body."""
    m = _TOPIC_OWNER.match(raw)
    group = "who" if m and m.group("who") else "who2"
    if not m or not re.search(r"\bphải\b", raw) or not looks_like_agency(m.group(group)):
        return []
    return names(ctx, start, Phrase(m.start(group), m.end(group)))
