"""The archive behind the service API: database, file store, jobs, graph, task lists, keys."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chithi.errors import ChithiError, FileTooLarge, InputError, StorageError
from chithi.models import (
    AgencyTasks, CorrectionRecord, DocumentDetail, DocumentSummary, IngestFailure,
    IngestProgress, IngestResult, IngestSummary, JobInfo, Obligation, ObligationHit, Principal,
    Task, UploadReceipt)
from chithi.settings import Settings, get_settings
from services import jobs, keys, queries, tasks
from services.db import make_engine, migrate, session_factory
from services.files import SUFFIXES, FileStore, media_type_of, sha256_of
from services.graphs import GraphHolder
from services.processing import process_document
from services.tables import Document, Job, StoredFile

if TYPE_CHECKING:
    from knowledge_graph import ArchiveGraph

Progress = Callable[[IngestProgress], None]


class Archive:
    """Open (and migrate) the archive of ``settings`` (default: the environment's)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.home = Path(self.settings.home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(self.settings.db_url)
        migrate(self.engine)
        self._sessions = session_factory(self.engine)
        self.files = FileStore(self.settings.files_dir)
        self.graphs = GraphHolder(self._sessions)
        self.worker: jobs.Worker | None = None

    @classmethod
    def open(cls, url: str | None = None, *, home: Path, **settings: Any) -> "Archive":
        """An archive at ``home`` with database ``url`` (default SQLite in ``home``)."""
        return cls(Settings(home=Path(home), db=url, **settings))

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        self.engine.dispose()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- storing and ingesting ---------------------------------------------------------

    def _store(self, data: bytes, filename: str) -> tuple[str, bool]:
        """Store the bytes durably, then the rows; (document id, created)."""
        media = media_type_of(data, filename)
        sha = sha256_of(data)
        existing = self._document_by_sha(sha)
        if existing is not None:
            if not self.files.exists(sha):  # the store lost it: the same bytes restore it
                self.files.put(data, sha256=sha)
            return existing, False
        self.files.put(data, sha256=sha)  # durable before any row names it
        filename = Path(filename).name[:500] or "document"
        try:
            with self.session() as session, session.begin():
                if session.get(StoredFile, sha) is None:
                    session.add(StoredFile(sha256=sha, size=len(data), media_type=media,
                                           filename=filename))
                    session.flush()
                session.add(Document(id=self._new_id(session, sha), sha256=sha,
                                     filename=filename, status="stored"))
        except IntegrityError:  # the same content stored concurrently
            existing = self._document_by_sha(sha)
            if existing is None:
                raise StorageError(f"could not store {filename}") from None
            return existing, False
        return self._document_by_sha(sha) or "", True

    def _document_by_sha(self, sha: str) -> str | None:
        with self.session() as session:
            return session.scalar(select(Document.id).where(Document.sha256 == sha))

    @staticmethod
    def _new_id(session: Session, sha: str) -> str:
        for size in range(16, 65, 4):
            if session.get(Document, sha[:size]) is None:
                return sha[:size]
        raise StorageError(f"no free document id for {sha}")

    def _status(self, document_id: str) -> str | None:
        with self.session() as session:
            return session.scalar(select(Document.status).where(Document.id == document_id))

    def ingest_path(self, path: Path, *, progress: Progress | None = None) -> IngestResult:
        """Store and process one file now. Same content again: the existing document,
        ``created=False``. Raises the file's :class:`ChithiError`."""
        return self._ingest(Path(path), 0, 1, progress)

    def _ingest(self, path: Path, index: int, total: int,
                progress: Progress | None) -> IngestResult:
        started = time.monotonic()
        emit = _emitter(progress, path, index, total)
        emit("start")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}", path=str(path)) from exc
        document_id = None
        try:
            document_id, created = self._store(data, path.name)
            emit("stored", document_id=document_id)
            if not created and self._status(document_id) == "done":
                result = self._result(document_id, created=False)
                emit("duplicate", document_id=document_id, pages_done=result.pages,
                     pages_total=result.pages)
                return result
            result = process_document(
                self, document_id,
                progress=lambda done, n: emit("page", document_id=document_id,
                                              pages_done=done, pages_total=n))
        except ChithiError as exc:
            emit("failed", document_id=document_id, error=str(exc))
            raise
        result = result.model_copy(update={"created": created,
                                           "seconds": round(time.monotonic() - started, 3)})
        emit("done", document_id=document_id, pages_done=result.pages, pages_total=result.pages)
        return result

    def _result(self, document_id: str, *, created: bool) -> IngestResult:
        summary = queries.get_summary(self, document_id)
        return IngestResult(document_id=document_id, filename=summary.filename,
                            sha256=summary.sha256, created=created, status=summary.status,
                            pages=summary.page_count, obligations=summary.obligations)

    def ingest_paths(self, paths: list[Path], *,
                     progress: Progress | None = None) -> IngestSummary:
        """Files and folders (recursively: .txt .pdf .png .jpg .jpeg .tif .tiff); a file that
        fails is listed in ``failures`` with its error code while the others still go in."""
        started = time.monotonic()
        files, failures = expand_paths(paths)
        summary = IngestSummary(failures=failures)
        for index, path in enumerate(files):
            try:
                result = self._ingest(path, index, len(files), progress)
            except ChithiError as exc:
                summary.failures.append(IngestFailure(path=str(path), code=exc.code,
                                                      message=exc.message))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
                summary.failures.append(IngestFailure(path=str(path), code="E000",
                                                      message=f"{type(exc).__name__}: {exc}"))
                continue
            summary.results.append(result)
        summary.created = sum(r.created for r in summary.results)
        summary.duplicates = len(summary.results) - summary.created
        summary.failed = len(summary.failures)
        summary.pages = sum(r.pages for r in summary.results if r.created)
        summary.obligations = sum(r.obligations for r in summary.results if r.created)
        summary.seconds = round(time.monotonic() - started, 3)
        return summary

    def process_document(self, document_id: str, *, progress: Callable[[int, int | None], None]
                         | None = None) -> IngestResult:
        return process_document(self, document_id, progress=progress)

    # --- uploads and jobs --------------------------------------------------------------

    def submit_upload(self, data: bytes, filename: str) -> UploadReceipt:
        """Store the upload durably and queue a job to process it: the in-process worker takes
        it, or with ``CHITHI_BROKER`` set a Celery worker (a message is sent after the commit)."""
        limit = self.settings.max_upload_mb * 1024 * 1024
        if len(data) > limit:
            raise FileTooLarge(f"{filename}: {len(data)} bytes, more than "
                               f"{self.settings.max_upload_mb} MB", filename=filename)
        document_id, created = self._store(data, filename)
        with self.session() as session, session.begin():
            doc = session.get(Document, document_id)
            assert doc is not None
            last = session.scalar(select(Job).where(Job.document_id == document_id)
                                  .order_by(Job.created_at.desc()).limit(1))
            if doc.status == "done":
                job = last or jobs.new_job(session, document_id, state="done")
                if last is None:
                    job.pages_done = job.pages_total = doc.page_count
            elif last is not None and last.state in ("queued", "running"):
                job = last
            else:
                job = jobs.new_job(session, document_id)
            job_id, queued = job.id, job.state == "queued"
        if queued and self.settings.broker:  # Celery workers take it (services.celery_app)
            from services.celery_app import enqueue

            enqueue(self.settings.broker, job_id, queue=getattr(self.settings, "queue", None))
        if self.worker is not None:
            self.worker.wake()
        return UploadReceipt(document_id=document_id, job_id=job_id, created=created)

    def get_job(self, job_id: str) -> JobInfo:
        return jobs.get_job(self, job_id)

    def start_worker(self, *, poll_s: float = 1.0, stale_s: float = 60.0,
                     heartbeat_s: float = 5.0) -> jobs.Worker:
        """Start the in-process worker (once); it first re-queues jobs a killed process left."""
        if self.worker is None or not self.worker.is_alive():
            jobs.requeue_stale(self, stale_s=stale_s)
            self.worker = jobs.Worker(self, poll_s=poll_s, stale_s=stale_s,
                                      heartbeat_s=heartbeat_s)
            self.worker.start()
        return self.worker

    # --- graph, tasks, documents, search -------------------------------------------------

    @property
    def graph(self) -> "ArchiveGraph":
        return self.graphs.get()

    def agency_tasks(self, query: str, *, include_groups: bool = True) -> list[AgencyTasks]:
        return tasks.agency_tasks(self, query, include_groups=include_groups)

    def tasks_of_agency(self, agency_id: str, *, include_groups: bool = True) -> AgencyTasks:
        return tasks.tasks_of_agency(self, agency_id, include_groups=include_groups)

    def set_task_status(self, obligation_id: str, agency_id: str, status: str, *,
                        by: str) -> Task:
        return tasks.set_task_status(self, obligation_id, agency_id, status, by=by)

    def correct_obligation(self, obligation_id: str, field: str, value: Any, *,
                           by: str) -> Obligation:
        return tasks.correct_obligation(self, obligation_id, field, value, by=by)

    def list_corrections(self, *, document_id: str | None = None,
                         obligation_id: str | None = None) -> list[CorrectionRecord]:
        return tasks.list_corrections(self, document_id=document_id, obligation_id=obligation_id)

    def list_documents(self, *, status: str | None = None, limit: int = 50,
                       offset: int = 0) -> list[DocumentSummary]:
        return queries.list_documents(self, status=status, limit=limit, offset=offset)

    def count_documents(self, *, status: str | None = None) -> int:
        return queries.count_documents(self, status=status)

    def get_document(self, document_id: str) -> DocumentDetail:
        """Everything about one document: header, text, pages, extraction."""
        return queries.get_document(self, document_id)

    def get_summary(self, document_id: str) -> DocumentSummary:
        return queries.get_summary(self, document_id)

    def document_file(self, document_id: str) -> Path:
        """The stored original's path in the content-addressed store."""
        return self.files.path_of(queries.get_summary(self, document_id).sha256)

    def search_obligations(self, q: str, *, document_id: str | None = None, limit: int = 50,
                           offset: int = 0) -> list[ObligationHit]:
        return queries.search_obligations(self, q, document_id=document_id, limit=limit,
                                          offset=offset)

    # --- API keys ------------------------------------------------------------------------

    def create_key(self, role: str, *, agency_id: str | None = None) -> str:
        return keys.create_key(self, role, agency_id=agency_id)

    def revoke_key(self, prefix: str) -> None:
        keys.revoke_key(self, prefix)

    def authenticate(self, key: str) -> Principal:
        return keys.authenticate(self, key)

    def list_keys(self, *, include_revoked: bool = False) -> list[Principal]:
        return keys.list_keys(self, include_revoked=include_revoked)


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[IngestFailure]]:
    """Files in order (folders recursively, supported suffixes, hidden names skipped)."""
    files: list[Path] = []
    failures: list[IngestFailure] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.is_file():
            files.append(path)
        else:
            failures.append(IngestFailure(path=str(path), code=InputError.code,
                                          message=f"{path}: no such file or folder"))
    return files, failures


def _emitter(progress: Progress | None, path: Path, index: int, total: int) -> Callable[..., None]:
    def emit(stage: str, **fields: Any) -> None:
        if progress is None:
            return
        try:
            progress(IngestProgress(stage=stage, filename=path.name, path=str(path),
                                    file_index=index, files_total=total, **fields))
        except Exception:  # noqa: BLE001 - a progress bar never breaks an ingest
            pass
    return emit


__all__ = ["Archive", "expand_paths"]
