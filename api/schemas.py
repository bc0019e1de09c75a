"""The API's own input and output schemas (the shared model is not exposed as is).

Nested facts (spans, deadlines, the extraction itself) reuse :mod:`chithi.models` types so a
client reads the same JSON as ``chithi extract`` prints; the top-level shapes are the API's.
"""
from __future__ import annotations

from datetime import date
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from chithi.models import Deadline, DocumentStatus, Extraction, JobState, Span, TaskRole, TaskStatus

T = TypeVar("T")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Paged(Out, Generic[T]):
    items: list[T]
    total: int
    page: int
    size: int


class Problem(Out):
    """RFC 9457 problem details; ``code`` is the stable chithi error code."""
    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None


class Health(Out):
    status: Literal["ok"]
    version: str
    worker: bool
    documents: int


# --- uploads and jobs --------------------------------------------------------------------

class UploadOut(Out):
    filename: str
    media_type: str
    size: int
    document_id: str
    job_id: str
    created: bool = Field(description="False: the same content was already in the archive")
    job_url: str
    document_url: str


class UploadsOut(Out):
    items: list[UploadOut]


class JobOut(Out):
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


# --- documents ---------------------------------------------------------------------------

class DocumentOut(Out):
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


class PageOut(Out):
    number: int
    method: str
    start: int
    end: int
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    rotation: int = 0
    confidence: float | None = Field(None, description="mean OCR word confidence 0..1")
    needs_review: bool = False
    words: int = 0
    image_url: str | None = None


class DocumentDetailOut(DocumentOut):
    pages: list[PageOut] = Field(default_factory=list)
    extraction: Extraction | None = Field(None, description="header, references, obligations; "
                                          "every fact with its span (provenance)")
    text: str | None = Field(None, description="only with ?text=true")
    file_url: str


# --- obligations -------------------------------------------------------------------------

class ObligationOut(Out):
    obligation_id: str
    document_id: str
    document_number: str | None = None
    document_type: str | None = None
    document_date: str | None = None
    section: str | None = None
    text: str
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    report_to: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    span: Span | None = None


class CorrectionOut(Out):
    id: int
    obligation_id: str
    field: str
    old: object = None
    new: object = None
    by: str
    at: str


class CorrectedObligationOut(ObligationOut):
    corrections: list[CorrectionOut] = Field(default_factory=list)


class ObligationPatch(In):
    """A reviewer's correction: give only the fields to change."""
    text: str | None = Field(None, min_length=1, max_length=20000)
    section: str | None = Field(None, max_length=100)
    modality: Literal["must", "prohibited", "encouraged"] | None = None
    lead: list[str] | None = Field(None, max_length=50, description="agency names")
    support: list[str] | None = Field(None, max_length=50)
    report_to: list[str] | None = Field(None, max_length=50)
    deadlines: list[date] | None = Field(None, max_length=50, description="due dates (ISO)")


# --- agencies and tasks ------------------------------------------------------------------

class AgencyOut(Out):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = None
    level: str | None = None
    locality: str | None = None
    parent_id: str | None = None
    collective: bool = False
    open_tasks: int = 0


class TaskOut(Out):
    obligation_id: str
    document_id: str
    document_number: str | None = None
    document_type: str | None = None
    document_date: str | None = None
    issuer: str | None = None
    agency_id: str
    agency_name: str
    role: TaskRole
    via_group: str | None = None
    section: str | None = None
    text: str
    deadlines: list[Deadline] = Field(default_factory=list)
    next_due: str | None = None
    status: TaskStatus = "open"
    status_by: str | None = None
    status_at: str | None = None
    span: Span | None = None


class TaskListOut(Paged[TaskOut]):
    agency: AgencyOut


class TaskStatusIn(In):
    status: TaskStatus


# --- references --------------------------------------------------------------------------

class DocumentRefOut(Out):
    id: str
    ingested: bool
    type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    subject: str | None = None


class ReplacementOut(Out):
    new: DocumentRefOut
    old: DocumentRefOut
    text: str | None = None


class ReferenceOut(Out):
    query: str
    documents: list[DocumentRefOut]
    citing_obligations: list[ObligationOut]
    citing_documents: list[DocumentRefOut]
    replaces: list[ReplacementOut]
    replaced_by: list[ReplacementOut]


# --- keys --------------------------------------------------------------------------------

class KeyIn(In):
    role: Literal["clerk", "legal", "agency", "admin"]
    agency: str | None = Field(None, max_length=300,
                               description="for role agency: the agency's id or its name")


class KeyOut(Out):
    prefix: str
    role: str
    agency_id: str | None = None


class KeyCreatedOut(KeyOut):
    key: str = Field(description="shown once; the archive keeps only its hash")
