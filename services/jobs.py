"""Background jobs: a ``jobs`` table with leases and heartbeats, and an in-process worker.

A job is claimed by moving it from ``queued`` to ``running`` in one conditional UPDATE. While
it runs, a heartbeat thread touches ``heartbeat_at``; a job whose heartbeat is older than
``stale_s`` was left by a killed process and goes back to ``queued`` (or to ``failed`` after
``max_attempts``), so a half-finished upload is finished at the next start.
"""
from __future__ import annotations

import logging
import os
import threading
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from chithi.errors import ChithiError, NotFound, ProcessingError
from chithi.models import JobInfo
from services.processing import process_document
from services.tables import Job, utcnow

if TYPE_CHECKING:
    from services.archive import Archive

log = logging.getLogger(__name__)


def new_job(session: Session, document_id: str, *, state: str = "queued") -> Job:
    job = Job(id=uuid.uuid4().hex, document_id=document_id, state=state)
    session.add(job)
    return job


def job_info(job: Job) -> JobInfo:
    return JobInfo(
        id=job.id, document_id=job.document_id, state=job.state, pages_done=job.pages_done,
        pages_total=job.pages_total, attempts=job.attempts, error_code=job.error_code,
        error_message=job.error_message, created_at=_iso(job.created_at),
        updated_at=_iso(job.updated_at),
        finished_at=_iso(job.finished_at) if job.finished_at else None)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def get_job(archive: "Archive", job_id: str) -> JobInfo:
    with archive.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}", job_id=job_id)
        return job_info(job)


def requeue_stale(archive: "Archive", *, stale_s: float, max_attempts: int = 3) -> int:
    """Put jobs whose worker stopped beating back in the queue; returns how many."""
    cutoff = utcnow() - timedelta(seconds=stale_s)
    moved = 0
    with archive.session() as session, session.begin():
        stale = session.scalars(select(Job).where(
            Job.state == "running", or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < cutoff))).all()
        for job in stale:
            if job.attempts >= max_attempts:
                job.state, job.finished_at = "failed", utcnow()
                job.error_code = ProcessingError.code
                job.error_message = f"the worker stopped {job.attempts} times on this document"
            else:
                job.state = "queued"
            job.lease_owner = None
            moved += 1
    if moved:
        log.warning("re-queued %d stale job(s)", moved)
    return moved


def claim_next(archive: "Archive", owner: str) -> str | None:
    """Take the oldest queued job for ``owner``; None when the queue is empty."""
    for _ in range(5):
        with archive.session() as session, session.begin():
            job_id = session.scalar(select(Job.id).where(Job.state == "queued")
                                    .order_by(Job.created_at, Job.id).limit(1))
            if job_id is None:
                return None
            now = utcnow()
            taken = session.execute(
                update(Job).where(Job.id == job_id, Job.state == "queued").values(
                    state="running", lease_owner=owner, heartbeat_at=now, started_at=now,
                    attempts=Job.attempts + 1, error_code=None, error_message=None)).rowcount
            if taken == 1:
                return job_id
    return None


def _touch(archive: "Archive", job_id: str, owner: str, **values: object) -> bool:
    with archive.session() as session, session.begin():
        return session.execute(update(Job).where(Job.id == job_id, Job.lease_owner == owner)
                               .values(heartbeat_at=utcnow(), **values)).rowcount == 1


def run_job(archive: "Archive", job_id: str, owner: str, *, heartbeat_s: float = 5.0) -> None:
    """Process a claimed job's document, beating while it runs; records done or failed."""
    with archive.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}", job_id=job_id)
        document_id = job.document_id
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(heartbeat_s):
            try:
                _touch(archive, job_id, owner)
            except Exception:  # noqa: BLE001 - the next beat tries again
                log.exception("heartbeat failed for job %s", job_id)

    def pages(done: int, total: int | None) -> None:
        _touch(archive, job_id, owner, pages_done=done, pages_total=total)

    beater = threading.Thread(target=beat, name=f"heartbeat-{job_id[:8]}", daemon=True)
    beater.start()
    try:
        result = process_document(archive, document_id, progress=pages)
    except ChithiError as exc:
        _touch(archive, job_id, owner, state="failed", finished_at=utcnow(),
               error_code=exc.code, error_message=exc.message[:2000])
    else:
        _touch(archive, job_id, owner, state="done", finished_at=utcnow(),
               pages_done=result.pages, pages_total=result.pages)
    finally:
        stop.set()
        beater.join()


class Worker(threading.Thread):
    """Takes queued jobs one at a time in this process until :meth:`stop`."""

    def __init__(self, archive: "Archive", *, poll_s: float = 1.0, stale_s: float = 60.0,
                 heartbeat_s: float = 5.0, max_attempts: int = 3) -> None:
        super().__init__(name="chithi-worker", daemon=True)
        self.archive = archive
        self.poll_s, self.stale_s = poll_s, stale_s
        self.heartbeat_s, self.max_attempts = heartbeat_s, max_attempts
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._stop_event = threading.Event()
        self._wake = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, *, timeout: float | None = 30.0) -> None:
        self._stop_event.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                requeue_stale(self.archive, stale_s=self.stale_s, max_attempts=self.max_attempts)
                job_id = claim_next(self.archive, self.owner)
                if job_id is not None:
                    run_job(self.archive, job_id, self.owner, heartbeat_s=self.heartbeat_s)
                    continue
            except Exception:  # noqa: BLE001 - keep the worker alive; the job is retried
                log.exception("worker loop error")
            self._wake.wait(self.poll_s)
            self._wake.clear()
