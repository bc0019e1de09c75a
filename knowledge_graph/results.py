"""Result models of graph queries that the shared model does not have yet."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DocumentRef(BaseModel):
    """A document node: an ingested document (``ingested``) or one only cited so far."""
    model_config = ConfigDict(extra="forbid")
    id: str  # the document id, or "cited:<key>"
    ingested: bool
    type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    subject: str | None = None  # the subject of an ingested one, the title of a cited one


class Replacement(BaseModel):
    """``new`` replaces ``old``, as the text of ``new`` says (``doc`` and offsets: where)."""
    model_config = ConfigDict(extra="forbid")
    new: DocumentRef
    old: DocumentRef
    text: str | None = None
    start: int | None = None
    end: int | None = None
