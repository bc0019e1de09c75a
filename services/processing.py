"""Processing one stored document: read → extract → save, as a plain function of ids.

:func:`process_document` is what the in-process worker, the CLI and (later) a Celery task
call. Everything a run produces is saved in one transaction; on failure the document keeps
its stored original and its earlier results (if any), with ``status="failed"`` and the
error's code and message.
"""
from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from chithi.errors import ChithiError, NotFound, ProcessingError
from chithi.models import DocumentText, Extraction, IngestResult, Obligation
from chithi.text import fold
from services.corrections import apply_corrections
from services.graphs import bump_rev
from services.tables import CorrectionRow, Document, ObligationRow

if TYPE_CHECKING:
    from services.archive import Archive

PageProgress = Callable[[int, int | None], None]  # (pages_done, pages_total)

_WORD = re.compile(r"[a-z0-9]+")


def folded_words(text: str) -> str:
    """' so noi vu tinh kon tum ': ASCII-folded words between single spaces, padded."""
    return " " + " ".join(_WORD.findall(fold(text))) + " "


def process_document(archive: "Archive", document_id: str, *,
                     progress: PageProgress | None = None) -> IngestResult:
    """Read the stored file, extract, save text, pages, extraction and obligations, update the
    graph. Raises the :class:`ChithiError` that stopped it (after recording it on the row)."""
    started = time.monotonic()
    with archive.session() as session, session.begin():
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound(f"no document {document_id}", document_id=document_id)
        doc.status, doc.error_code, doc.error_message = "processing", None, None
        filename, sha = doc.filename, doc.sha256
    try:
        path = archive.files.path_of(sha)
        doc_text = read_text(path, filename=filename, settings=archive.settings, progress=progress)
        extraction = _extract(doc_text, filename)
        rev, extraction = _save(archive, document_id, doc_text, extraction)
    except Exception as exc:
        error = exc if isinstance(exc, ChithiError) else ProcessingError(
            f"{filename}: {type(exc).__name__}: {exc}", filename=filename)
        _mark_failed(archive, document_id, error)
        if error is exc:
            raise
        raise error from exc
    archive.graphs.changed(document_id, extraction, rev=rev)
    return IngestResult(document_id=document_id, filename=filename, sha256=sha, created=True,
                        status="done", pages=len(doc_text.pages),
                        obligations=len(extraction.obligations),
                        seconds=round(time.monotonic() - started, 3))


def read_text(path: Path, *, filename: str, settings: Any,
              progress: PageProgress | None = None) -> DocumentText:
    from ingest import read_document

    options: dict[str, Any] = {}
    if "max_image_pixels" in inspect.signature(read_document).parameters:
        options["max_image_pixels"] = settings.max_image_pixels
    return read_document(path, filename=filename, max_pages=settings.max_pages,
                         timeout_s=settings.doc_timeout_s, workers=settings.ocr_workers,
                         progress=_page_adapter(progress) if progress else None, **options)


def _page_adapter(progress: PageProgress) -> Callable[..., None]:
    """ingest's page callback → ``progress(done, total)``; a progress bar never breaks a run."""
    def callback(*args: Any, **kwargs: Any) -> None:
        done = total = None
        ints = [a for a in args if isinstance(a, int) and not isinstance(a, bool)]
        if len(ints) >= 2:
            done, total = ints[0], ints[1]
        elif args and not ints:
            obj = args[0]
            done = getattr(obj, "pages_done", getattr(obj, "done", None))
            total = getattr(obj, "pages_total", getattr(obj, "total", None))
        done = kwargs.get("done", kwargs.get("pages_done", done))
        total = kwargs.get("total", kwargs.get("pages_total", total))
        if isinstance(done, int):
            try:
                progress(done, total if isinstance(total, int) else None)
            except Exception:  # noqa: BLE001
                pass
    return callback


def _extract(doc_text: DocumentText, filename: str) -> Extraction:
    import nlp

    return nlp.extract(doc_text, file=filename)


def _cut(value: str | None, size: int) -> str | None:
    return value if value is None or len(value) <= size else value[: size - 1] + "…"


def obligation_row(document_id: str, position: int, ob: Obligation) -> ObligationRow:
    dump = ob.model_dump(mode="json")
    return ObligationRow(
        id=f"{document_id}#{ob.id}", document_id=document_id, local_id=ob.id[:30],
        position=position, section=_cut(ob.section, 100), text=ob.text,
        folded=folded_words(ob.text), lead=dump["lead"], support=dump["support"],
        report_to=dump["report_to"], deadlines=dump["deadlines"], span=dump["span"])


def _save(archive: "Archive", document_id: str, doc_text: DocumentText,
          extraction: Extraction) -> tuple[int, Extraction]:
    with archive.session() as session, session.begin():
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound(f"no document {document_id}", document_id=document_id)
        corrections = session.scalars(select(CorrectionRow).where(
            CorrectionRow.document_id == document_id).order_by(CorrectionRow.id)).all()
        extraction = apply_corrections(extraction, corrections, document_id=document_id)
        header = extraction.document
        doc.text = doc_text.text
        doc.pages = [p.model_dump(mode="json") for p in doc_text.pages]
        doc.page_count = len(doc_text.pages)
        doc.extraction = extraction.model_dump(mode="json")
        doc.type, doc.number = _cut(header.type, 100), _cut(header.number, 100)
        doc.date, doc.issuer = _cut(header.date, 10), _cut(header.issuer, 300)
        doc.signer, doc.subject = _cut(header.signer, 200), header.subject
        doc.status, doc.error_code, doc.error_message = "done", None, None
        session.execute(delete(ObligationRow).where(ObligationRow.document_id == document_id))
        session.add_all(obligation_row(document_id, i, ob)
                        for i, ob in enumerate(extraction.obligations))
        rev = bump_rev(session, document_id=document_id)
    return rev, extraction


def _mark_failed(archive: "Archive", document_id: str, error: ChithiError) -> None:
    with archive.session() as session, session.begin():
        doc = session.get(Document, document_id)
        if doc is not None:
            doc.status = "failed"
            doc.error_code, doc.error_message = error.code, _cut(error.message, 2000)
