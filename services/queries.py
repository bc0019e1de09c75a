"""Read-only queries: documents and obligation search."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.orm import undefer

from chithi.errors import InvalidRequest, NotFound
from chithi.models import (
    DocumentDetail, DocumentSummary, Extraction, ObligationHit, Page)
from chithi.text import nfc, squash
from services.processing import folded_words
from services.tables import Document, ObligationRow, StoredFile

if TYPE_CHECKING:
    from services.archive import Archive

STATUSES = ("stored", "processing", "done", "failed")
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def _summary_fields(doc: Document, obligations: int) -> dict:
    return dict(
        id=doc.id, filename=doc.filename, sha256=doc.sha256, status=doc.status,
        type=doc.type, number=doc.number, date=doc.date, issuer=doc.issuer, signer=doc.signer,
        subject=doc.subject, page_count=doc.page_count, obligations=obligations,
        error_code=doc.error_code, error_message=doc.error_message,
        created_at=doc.created_at.isoformat(timespec="seconds"),
        updated_at=doc.updated_at.isoformat(timespec="seconds"))


def _counts(session, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = session.execute(select(ObligationRow.document_id, func.count())
                           .where(ObligationRow.document_id.in_(ids))
                           .group_by(ObligationRow.document_id))
    return {doc_id: count for doc_id, count in rows}


def list_documents(archive: "Archive", *, status: str | None = None, limit: int = 50,
                   offset: int = 0) -> list[DocumentSummary]:
    """Newest first."""
    if status is not None and status not in STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(STATUSES)}", status=status)
    with archive.session() as session:
        query = select(Document).order_by(Document.created_at.desc(), Document.id)
        if status is not None:
            query = query.where(Document.status == status)
        docs = session.scalars(query.limit(max(0, limit)).offset(max(0, offset))).all()
        counts = _counts(session, [d.id for d in docs])
        media = {sha: kind for sha, kind in session.execute(
            select(StoredFile.sha256, StoredFile.media_type)
            .where(StoredFile.sha256.in_([d.sha256 for d in docs])))} if docs else {}
        return [DocumentSummary(**_summary_fields(d, counts.get(d.id, 0)),
                                media_type=media.get(d.sha256)) for d in docs]


def get_summary(archive: "Archive", document_id: str) -> DocumentSummary:
    """One document's summary row, without its text, pages or extraction."""
    with archive.session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound(f"no document {document_id}", document_id=document_id)
        stored = session.get(StoredFile, doc.sha256)
        return DocumentSummary(**_summary_fields(doc, _counts(session, [doc.id]).get(doc.id, 0)),
                               media_type=stored.media_type if stored else None)


def count_documents(archive: "Archive", *, status: str | None = None) -> int:
    with archive.session() as session:
        query = select(func.count()).select_from(Document)
        if status is not None:
            query = query.where(Document.status == status)
        return session.scalar(query) or 0


def get_document(archive: "Archive", document_id: str) -> DocumentDetail:
    with archive.session() as session:
        doc = session.scalar(select(Document).where(Document.id == document_id).options(
            undefer(Document.text), undefer(Document.pages), undefer(Document.extraction)))
        if doc is None:
            raise NotFound(f"no document {document_id}", document_id=document_id)
        counts = _counts(session, [doc.id])
        stored = session.get(StoredFile, doc.sha256)
        return DocumentDetail(
            **_summary_fields(doc, counts.get(doc.id, 0)),
            media_type=stored.media_type if stored else None, text=doc.text,
            pages=[Page.model_validate(p) for p in doc.pages or []],
            extraction=Extraction.model_validate(doc.extraction) if doc.extraction else None)


def parse_query(q: str) -> tuple[list[str], list[str]]:
    """(loose words, quoted phrases) of a search query."""
    words, phrases = [], []
    for phrase, word in _TERM.findall(nfc(q or "")):
        if phrase and squash(phrase):
            phrases.append(squash(phrase))
        elif word:
            words.extend(folded_words(word).split())
    return words, phrases


_FTS = text("obligations.rowid IN (SELECT rowid FROM obligations_fts "
            "WHERE obligations_fts MATCH :fts)")


def _match_words(query, words: list[str], phrases: list[str], dialect: str):  # noqa: ANN001
    """Every word and (folded) phrase as whole words of ``obligations.folded``: on SQLite an
    FTS5 match, elsewhere ``LIKE '% word %'`` (served by the pg_trgm index on PostgreSQL).
    Folded words are [a-z0-9] only: nothing to escape in either."""
    terms = list(words)
    likes = []
    for phrase in phrases:
        tokens = folded_words(phrase).split()
        if tokens:
            terms.append(" ".join(tokens))
        else:  # nothing but punctuation: the same (empty) match on both engines
            likes.append(folded_words(phrase))
    if dialect == "sqlite" and terms:
        query = query.where(_FTS.bindparams(fts=" AND ".join(f'"{t}"' for t in terms)))
    else:
        likes += [f" {t} " for t in terms]
    for like in likes:
        query = query.where(ObligationRow.folded.like(f"%{like}%"))
    return query


def search_obligations(archive: "Archive", q: str, *, document_id: str | None = None,
                       limit: int = 50, offset: int = 0) -> list[ObligationHit]:
    """Obligations whose text has every word of ``q`` (diacritic- and case-insensitive, whole
    syllables: "noi vu" finds "Nội vụ") and every quoted phrase exactly as written (diacritics
    kept, case ignored: '"Sở Nội vụ"' does not find "Số nội vụ"). Newest documents first."""
    words, phrases = parse_query(q)
    with archive.session() as session:
        query = (select(ObligationRow, Document.number, Document.type, Document.date)
                 .join(Document, Document.id == ObligationRow.document_id)
                 .order_by(Document.date.desc().nulls_last(), Document.created_at.desc(),
                           ObligationRow.document_id, ObligationRow.position))
        if document_id is not None:
            query = query.where(ObligationRow.document_id == document_id)
        query = _match_words(query, words, phrases, session.get_bind().dialect.name)
        if not phrases:
            query = query.limit(max(0, limit)).offset(max(0, offset))
        rows = session.execute(query).all()
    if phrases:
        needles = [p.lower() for p in phrases]
        rows = [r for r in rows if all(n in squash(r[0].text).lower() for n in needles)]
        rows = rows[max(0, offset): max(0, offset) + max(0, limit)]
    return [ObligationHit(
        obligation_id=ob.id, document_id=ob.document_id, document_number=number,
        document_type=dtype, document_date=date, section=ob.section, text=ob.text,
        lead=[a["canonical"] for a in ob.lead], support=[a["canonical"] for a in ob.support],
        report_to=[a["canonical"] for a in ob.report_to], deadlines=ob.deadlines, span=ob.span)
        for ob, number, dtype, date in rows]
