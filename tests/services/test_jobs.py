"""Uploads, the in-process worker and re-queueing jobs a killed process left running."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from chithi.errors import FileTooLarge, NotFound
from services import Archive
from services.jobs import claim_next, requeue_stale
from services.tables import Job, utcnow


def wait_for(archive: Archive, job_id: str, *, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = archive.get_job(job_id)
        if info.state in ("done", "failed"):
            return info
        time.sleep(0.05)
    pytest.fail(f"job {job_id} still {archive.get_job(job_id).state} after {timeout}s")


def test_upload_is_stored_then_processed_by_the_worker(archive: Archive, corpus_files):
    data = corpus_files[0].read_bytes()
    receipt = archive.submit_upload(data, "upload.txt")
    assert receipt.created is True
    queued = archive.get_job(receipt.job_id)
    assert (queued.state, queued.attempts) == ("queued", 0)
    assert archive.files.path_of(archive.get_document(receipt.document_id).sha256).read_bytes() == data
    archive.start_worker(poll_s=0.05, heartbeat_s=0.2)
    info = wait_for(archive, receipt.job_id)
    assert info.state == "done", info
    assert info.pages_done == info.pages_total == archive.get_document(receipt.document_id).page_count
    assert info.finished_at is not None
    assert archive.get_document(receipt.document_id).status == "done"
    again = archive.submit_upload(data, "same bytes.txt")
    assert (again.document_id, again.job_id, again.created) == (
        receipt.document_id, receipt.job_id, False)


def test_bad_upload_fails_its_job_with_a_code(archive: Archive):
    receipt = archive.submit_upload(b"%PDF-1.4 truncated", "broken.pdf")
    archive.start_worker(poll_s=0.05)
    info = wait_for(archive, receipt.job_id)
    assert info.state == "failed" and info.error_code[:2] in ("E1", "E2") and info.error_message
    doc = archive.get_document(receipt.document_id)
    assert (doc.status, doc.error_code) == ("failed", info.error_code)


def test_upload_limits(archive: Archive):
    archive.settings.max_upload_mb = 0
    with pytest.raises(FileTooLarge):
        archive.submit_upload(b"x" * 10, "a.txt")
    assert archive.count_documents() == 0
    with pytest.raises(NotFound):
        archive.get_job("nope")


def test_job_left_running_by_a_killed_process_is_finished_at_next_start(
        db_url, home, corpus_files):
    with Archive.open(db_url, home=home) as first:
        receipt = first.submit_upload(corpus_files[1].read_bytes(), "crash.txt")
        # a worker of a process that is then killed: claimed, beat once, never finished
        assert claim_next(first, "dead-process") == receipt.job_id
        with first.session() as s, s.begin():
            s.execute(update(Job).where(Job.id == receipt.job_id).values(
                heartbeat_at=utcnow() - timedelta(minutes=10), pages_done=0))
        assert first.get_job(receipt.job_id).state == "running"
    with Archive.open(db_url, home=home) as second:  # the next start
        # a job still beating is not touched
        fresh = second.submit_upload(corpus_files[2].read_bytes(), "fresh.txt")
        assert claim_next(second, "live-process") == fresh.job_id
        second.start_worker(poll_s=0.05, stale_s=30)
        info = wait_for(second, receipt.job_id)
        assert (info.state, info.attempts) == ("done", 2)
        assert second.get_document(receipt.document_id).status == "done"
        assert second.get_job(fresh.job_id).state == "running"


def test_a_job_that_keeps_killing_workers_is_failed(archive: Archive, corpus_files):
    receipt = archive.submit_upload(corpus_files[3].read_bytes(), "poison.txt")
    for attempt in range(3):
        assert claim_next(archive, f"dead-{attempt}") == receipt.job_id
        with archive.session() as s, s.begin():
            s.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=5)))
        assert requeue_stale(archive, stale_s=60, max_attempts=3) == 1
    info = archive.get_job(receipt.job_id)
    assert (info.state, info.attempts, info.error_code) == ("failed", 3, "E200")
    assert claim_next(archive, "another") is None
