"""The one typed data model shared by every stage (ingest → nlp → knowledge_graph → services).

Field names follow ``shared/spec/annotation-guideline.md`` so that an :class:`Extraction`
serialised with :meth:`Extraction.to_json` is read as is by the scorer. Every extracted fact
keeps where it came from: a :class:`Span` of character offsets into the document text (NFC,
pages joined by a form feed), the page number and, for scans, the box on the page image.
"""
from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- text and pages (ingest) ----------------------------------------------------------

class BBox(Model):
    """A box on a page image, in pixels of the image the OCR read (origin top left)."""
    x0: int
    y0: int
    x1: int
    y1: int

    def union(self, other: "BBox") -> "BBox":
        return BBox(x0=min(self.x0, other.x0), y0=min(self.y0, other.y0),
                    x1=max(self.x1, other.x1), y1=max(self.y1, other.y1))


class Word(Model):
    """One OCR word: its text, its offsets into the document text, its box and confidence."""
    text: str
    start: int
    end: int
    bbox: BBox | None = None
    conf: float | None = None  # 0..1


class Page(Model):
    number: int  # 1-based
    start: int  # offset of the page's first character in DocumentText.text
    end: int  # offset just past its last character (the form feed is not part of it)
    method: Literal["text", "pdf-text", "ocr"]
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    rotation: int = 0  # degrees the page was turned to read it upright
    confidence: float | None = None  # mean word confidence 0..1 (None for born-digital text)
    needs_review: bool = False
    words: list[Word] = Field(default_factory=list)
    seconds: float | None = None


class DocumentText(Model):
    """What ingest hands to nlp: the document's text (NFC, pages joined by "\\f") and pages."""
    text: str
    pages: list[Page]
    source_kind: Literal["text", "pdf-text", "pdf-image", "image"]
    media_type: str | None = None
    encoding: str | None = None
    sha256: str | None = None
    filename: str | None = None
    warnings: list[str] = Field(default_factory=list)

    def page_of(self, offset: int) -> int | None:
        for page in self.pages:
            if page.start <= offset <= page.end:
                return page.number
        return None

    def bbox_of(self, start: int, end: int) -> BBox | None:
        """The union of the boxes of the OCR words inside [start, end), if any."""
        box: BBox | None = None
        for page in self.pages:
            if page.end < start or page.start > end:
                continue
            for word in page.words:
                if word.bbox is not None and word.start < end and word.end > start:
                    box = word.bbox if box is None else box.union(word.bbox)
        return box


# --- provenance -------------------------------------------------------------------------

class Span(Model):
    """Where a fact stands: [start, end) in the document text, its page and box."""
    start: int
    end: int
    page: int | None = None
    bbox: BBox | None = None


# --- extraction (nlp) -----------------------------------------------------------------

class Registration(Model):
    """Registration marks that are not the document's own: arrival stamps, copy blocks."""
    kind: Literal["arrival", "copy"]
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    text: str
    span: Span | None = None


class DocumentHeader(Model):
    type: str | None = None
    number: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    place: str | None = None
    issuer: str | None = None  # full words with locality ("Ủy ban nhân dân tỉnh Kon Tum")
    issuer_parent: str | None = None  # the upper header line, if any ("Ủy ban nhân dân tỉnh X")
    locality: str | None = None  # "tỉnh Kon Tum": the default locality of bodies it names
    signer: str | None = None
    signer_title: str | None = None
    signing_form: str | None = None  # "T/M", "KT.", "TL.", "Q.", "TUQ."
    subject: str | None = None
    recipients: list[str] = Field(default_factory=list)  # "Kính gửi"
    distribution: list[str] = Field(default_factory=list)  # "Nơi nhận"
    registrations: list[Registration] = Field(default_factory=list)
    spans: dict[str, Span] = Field(default_factory=dict)  # field name -> where it was read
    confidence: dict[str, float] = Field(default_factory=dict)  # field name -> 0..1


Relation = Literal["cites", "replaces", "implements"]


class Reference(Model):
    id: str  # stable cite id, e.g. "vb:03/2007/QĐ-BNV" or "luat:luat-dat-dai-2024"
    type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    relation: Relation = "cites"
    text: str  # the first mention as written
    spans: list[Span] = Field(default_factory=list)  # every mention
    confidence: float = 1.0


class Agency(Model):
    """An agency (or a collective, or a person by title) as an obligation names it."""
    name: str  # as written, role word removed: what the guideline wants in lead/support
    canonical: str  # full words with locality: "Sở Nội vụ tỉnh Kon Tum"
    key: str  # stable id of the canonical name (ASCII fold)
    kind: str | None = None  # lexicon kind: "so", "bo", "ubnd", "dang", "doan_the", ...
    level: Literal["trung_uong", "tinh", "huyen", "xa"] | None = None
    locality: str | None = None  # "tỉnh Kon Tum"
    collective: bool = False  # "các sở, ban, ngành", "cán bộ, công chức, viên chức"
    role_word: str | None = None  # "Thủ trưởng", "Chủ tịch", ... removed from the name
    span: Span | None = None
    confidence: float = 1.0


Freq = Literal["DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "YEARLY"]


class Deadline(Model):
    kind: Literal["date", "recurring", "relative"]
    date: str | None = None  # ISO, for kind "date" (a period gives its last day)
    precision: Literal["day", "month", "quarter", "year", "span"] | None = None
    freq: Freq | None = None
    day: int | None = None
    month: int | None = None
    relative_days: int | None = None  # for a relative deadline that cannot be resolved
    rrule: str | None = None  # RFC 5545, for recurring ones
    text: str = ""  # the phrase as written
    span: Span | None = None
    confidence: float = 1.0


class Obligation(Model):
    id: str  # stable within the document: "o1", "o2", ...
    section: str | None = None
    text: str  # the item's whole text, line breaks as single spaces
    lead: list[Agency] = Field(default_factory=list)
    support: list[Agency] = Field(default_factory=list)
    report_to: list[Agency] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    modality: Literal["must", "prohibited", "encouraged"] = "must"
    heading: str | None = None  # the enclosing heading's text
    lead_source: Literal["own", "heading", "preamble", "recipients", "issuer", "none"] = "none"
    span: Span | None = None
    confidence: float = 1.0


class PageInfo(Model):
    number: int
    start: int
    end: int
    method: str
    confidence: float | None = None
    needs_review: bool = False


class Extraction(Model):
    schema_version: str = SCHEMA_VERSION
    file: str | None = None
    document: DocumentHeader
    references: list[Reference] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    pages: list[PageInfo] = Field(default_factory=list)
    text_sha256: str | None = None
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=indent)


# --- knowledge graph and task lists (knowledge_graph → services → api) -------------------

TaskRole = Literal["lead", "support", "report_to"]
TaskStatus = Literal["open", "in_progress", "done"]


class AgencyNode(Model):
    """One real body in the archive, resolved across documents."""
    id: str  # stable: "agency:" + key of the canonical name
    name: str  # canonical: "Sở Nội vụ tỉnh Kon Tum"
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = None
    level: Literal["trung_uong", "tinh", "huyen", "xa"] | None = None
    locality: str | None = None
    parent_id: str | None = None  # part_of: the province/district government node
    collective: bool = False
    open_tasks: int = 0


class Task(Model):
    """One obligation as it appears on one agency's task list."""
    obligation_id: str  # global: "<document_id>#<obligation id>"
    document_id: str
    document_number: str | None = None
    document_type: str | None = None
    document_date: str | None = None
    issuer: str | None = None
    agency_id: str
    agency_name: str
    role: TaskRole
    via_group: str | None = None  # the collective addressee it reached this agency through
    section: str | None = None
    text: str
    deadlines: list[Deadline] = Field(default_factory=list)
    next_due: str | None = None  # ISO date of the next (or only) due date, if known
    status: TaskStatus = "open"
    status_by: str | None = None
    status_at: str | None = None
    span: Span | None = None


# --- services (archive, jobs, keys: services → api / CLI) ---------------------------------

DocumentStatus = Literal["stored", "processing", "done", "failed"]
JobState = Literal["queued", "running", "done", "failed"]
Role = Literal["clerk", "legal", "agency", "admin"]


class IngestProgress(Model):
    """One progress report to an ingest ``progress`` callback (file level and page level)."""
    stage: Literal["start", "stored", "page", "extract", "done", "duplicate", "failed"]
    filename: str
    path: str | None = None
    file_index: int = 0  # 0-based position in the batch
    files_total: int = 1
    pages_done: int = 0
    pages_total: int | None = None
    document_id: str | None = None
    error: str | None = None  # "E103: ..." for stage "failed"


class IngestResult(Model):
    document_id: str
    filename: str
    sha256: str
    created: bool  # False: the same content was already in the archive
    status: DocumentStatus
    pages: int = 0
    obligations: int = 0
    seconds: float = 0.0


class IngestFailure(Model):
    path: str
    code: str  # ChithiError code, "E000" for an unexpected error
    message: str


class IngestSummary(Model):
    results: list[IngestResult] = Field(default_factory=list)
    failures: list[IngestFailure] = Field(default_factory=list)
    created: int = 0
    duplicates: int = 0
    failed: int = 0
    pages: int = 0
    obligations: int = 0
    seconds: float = 0.0


class UploadReceipt(Model):
    document_id: str
    job_id: str
    created: bool


class JobInfo(Model):
    id: str
    document_id: str
    state: JobState
    pages_done: int = 0
    pages_total: int | None = None
    attempts: int = 0
    error_code: str | None = None
    error_message: str | None = None
    created_at: str
    updated_at: str
    finished_at: str | None = None


class AgencyTasks(Model):
    agency: AgencyNode
    tasks: list[Task] = Field(default_factory=list)


class DocumentSummary(Model):
    id: str
    filename: str
    sha256: str
    media_type: str | None = None
    status: DocumentStatus
    type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    signer: str | None = None
    subject: str | None = None
    page_count: int = 0
    obligations: int = 0
    error_code: str | None = None
    error_message: str | None = None
    created_at: str
    updated_at: str


class DocumentDetail(DocumentSummary):
    text: str | None = None
    pages: list[Page] = Field(default_factory=list)
    extraction: Extraction | None = None


class ObligationHit(Model):
    obligation_id: str  # global: "<document_id>#<obligation id>"
    document_id: str
    document_number: str | None = None
    document_type: str | None = None
    document_date: str | None = None
    section: str | None = None
    text: str
    lead: list[str] = Field(default_factory=list)  # canonical names
    support: list[str] = Field(default_factory=list)
    report_to: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    span: Span | None = None


class CorrectionRecord(Model):
    id: int
    obligation_id: str
    field: str
    old: object = None
    new: object = None
    by: str
    at: str


class Principal(Model):
    """Who an API key belongs to."""
    key_prefix: str
    role: Role
    agency_id: str | None = None
