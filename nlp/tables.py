"""Task tables of a Kế hoạch, as they reach us from web pages and OCR: one cell per line
("TT / Nội dung thực hiện / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian hoàn thành / …",
then rows "1 / <task> / <lead> / <support> / <time>"). Only tables with a task column and a
lead column are task tables; lists of procedures, indicators or sampling sites are not.

A cell starts on a line that opens with a capital letter (cells are written in sentence case);
lines that open in lower case, with a digit or a bracket continue the cell before. When a row
has more cells than columns, the surplus was a wrapped task line and goes back into the task.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
import json

from .roles import looks_like_agency

_ROMAN = re.compile(r"^\s*([IVX]{1,5})\.?\s*$")
_INDEX = re.compile(r"^\s*(\d{1,3})\.?\s*$")
_END = re.compile(r"^\s*(Nơi\s+nhận|NƠI\s+NHẬN|PHỤ\s+LỤC|Phụ\s+lục\s+[IVX\d]|Điều\s+\d+|[IVX]{1,5}\.\s+\S)")


@lru_cache(maxsize=1)
def _columns() -> dict[str, list[str]]:
    data = json.loads(resources.files("nlp.data").joinpath("table_columns.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@dataclass
class Cell:
    start: int
    end: int


@dataclass
class TableRow:
    section: str
    start: int  # the row's first line (its number)
    end: int
    cells: dict[str, Cell] = field(default_factory=dict)  # column kind -> cell


@dataclass
class Table:
    start: int
    end: int
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _column_kind(label: str) -> str | None:
    low = re.sub(r"\s+", " ", label.lower()).strip(" :*")
    for kind, prefixes in _columns().items():
        if any(low.startswith(p) for p in prefixes):
            return kind
    return None


def _header(text: str, lines: list[tuple[int, int]], i: int) -> tuple[list[str], int] | None:
    """Column kinds of a header that starts at line i ("TT"/"STT"), and the first row line."""
    kinds: list[str] = ["index"]
    j = i + 1
    while j < len(lines):
        s = text[lines[j][0]:lines[j][1]].strip()
        if not s:
            j += 1
            continue
        if _ROMAN.match(s) or _INDEX.match(s):
            break
        kind = _column_kind(s) if not s[:1].islower() else None
        if s[:1].islower():
            pass  # "Nội dung thực / hiện": a label wrapped onto the next line
        elif kind:
            kinds.append(kind)
        elif len(s.split()) > 3 or s[:1].isupper():
            if len(kinds) == 1:
                return None
            kinds.append("other")  # a column we do not read
        j += 1  # a short lower-case line continues the label before ("Nội dung thực / hiện")
        if len(kinds) > 12:
            return None
    if "task" not in kinds or "lead" not in kinds:
        return None
    return kinds, j


_DATE_CELL = re.compile(r"^(\d{4}\b|\d{1,2}/\d{4}\b|\d{1,2}/\d{1,2}/\d{4}\b)")
_JOINS = re.compile(r"(?:\b(?:và|của|các|với|thuộc|ngày|tháng|năm|trước|đến|từ|số)|[,\-–(])\s*$", re.I)
_ENDS = re.compile(r"[.;:)]\s*$")


def _starts_cell(line: str, prev: str, long_line: int) -> bool:
    """Does this line open a new cell, or continue the one before?"""
    if _JOINS.search(prev):
        return False
    if _DATE_CELL.match(line):
        return True
    if not line[:1].isupper():
        return False
    if _ENDS.search(prev) or len(prev) < long_line:
        return True
    return looks_like_agency(line)  # after a full-width task line, only a body's name opens a cell


def _cells(text: str, row_lines: list[tuple[int, int]], kinds: list[str]) -> list[Cell]:
    n = len(kinds)
    cells: list[Cell] = []
    content = [(start, end) for start, end in row_lines
               if text[start:end].strip() and not set(text[start:end].strip()) <= set(".…- ")]
    longest = max((len(text[s:e].strip()) for s, e in content), default=0)
    long_line = max(40, int(longest * 0.8))
    prev = ""
    for start, end in content:
        s = text[start:end]
        stripped = s.strip()
        lead = start + len(s) - len(s.lstrip())
        if not cells or _starts_cell(stripped, prev, long_line):
            cells.append(Cell(lead, end))
        else:
            cells[-1].end = end
        prev = stripped
    if len(cells) > n:  # a task line that wrapped on a capital: give the surplus back to the task
        surplus = len(cells) - n
        cells = [Cell(cells[0].start, cells[surplus].end)] + cells[surplus + 1:]
    if "task" in kinds and kinds.index("task") + 1 < n and kinds[kinds.index("task") + 1] == "lead":
        t = kinds.index("task")
        while len(cells) > t + 1 and not looks_like_agency(text[cells[t + 1].start:cells[t + 1].end]):
            cells[t] = Cell(cells[t].start, cells[t + 1].end)  # "Thông tư số …": the task goes on
            del cells[t + 1]
    return cells


_TIME_CELL = re.compile(r"^(\d|tháng|quý|năm|trước|thường xuyên|theo|sau|hằng|hàng|trong|hoàn thành|giai đoạn|"
                        r"định kỳ|từ|đến|chậm nhất|kịp thời|ngay|hết)", re.I)


def _assign(text: str, kinds: list[str], cells: list[Cell]) -> dict[str, Cell]:
    """Cells to columns; an empty lead/support/time cell is skipped when the next cell does not
    fit it (a support cell "Sau khi có …" is the time; a time cell "Sở X" is no time)."""
    out: dict[str, Cell] = {}
    p = 0
    for kind in kinds:
        if p >= len(cells):
            break
        value = text[cells[p].start:cells[p].end].strip()
        if kind in ("lead", "support") and not looks_like_agency(value):
            continue
        if kind == "time" and not _TIME_CELL.match(value):
            continue
        if kind != "other":
            out[kind] = cells[p]
        p += 1
    return out


def find_tables(text: str) -> list[Table]:
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        s = text[lines[i][0]:lines[i][1]].strip()
        if s.upper() not in ("TT", "STT", "SỐ TT"):
            i += 1
            continue
        header = _header(text, lines, i)
        if header is None:
            i += 1
            continue
        kinds, j = header
        table = Table(start=lines[i][0], end=lines[i][1], columns=kinds)
        group: str | None = None
        row: TableRow | None = None
        row_lines: list[tuple[int, int]] = []

        def close() -> None:
            if row is not None:
                row.cells = _assign(text, kinds[1:], _cells(text, row_lines, kinds[1:]))
                if "task" in row.cells:
                    table.rows.append(row)

        while j < len(lines):
            s = text[lines[j][0]:lines[j][1]].strip()
            if _END.match(s):
                break
            roman, index = _ROMAN.match(s), _INDEX.match(s)
            if roman:
                close()
                row, row_lines, group = None, [], roman.group(1)
            elif index:
                close()
                number = index.group(1)
                row = TableRow(section=f"{group}.{number}" if group else number,
                               start=lines[j][0], end=lines[j][1])
                row_lines = []
            elif row is not None:
                row_lines.append(lines[j])
                row.end = lines[j][1]
            j += 1
        close()
        table.end = lines[j - 1][1] if j > 0 else table.end
        if table.rows:
            tables.append(table)
        i = j
    return tables
