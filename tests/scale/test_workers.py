"""Celery workers over Redis and PostgreSQL: a worker killed with SIGKILL mid-job leaves the
job to the other worker, which finishes it with every page; nothing is stored twice."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services import Archive
from services.celery_app import WorkerSettings
from services.tables import Document, Job, StoredFile

SCAN = "scans/003_eed262d47ec8172b/003_eed262d47ec8172b_imageonly.pdf"
PAGES = 3


def _env(tmp_path: Path, pg_url: str, redis_url: str, queue: str) -> dict[str, str]:
    return {"CHITHI_HOME": str(tmp_path / "home"), "CHITHI_DB": pg_url,
            "CHITHI_BROKER": redis_url, "CHITHI_QUEUE": queue, "CHITHI_JOB_HEARTBEAT_S": "0.5",
            "CHITHI_JOB_STALE_S": "4", "CHITHI_JOB_SWEEP_S": "0.5", "CHITHI_JOB_RESEND_S": "60"}


def _archive(env: dict[str, str]) -> Archive:
    return Archive(WorkerSettings(home=Path(env["CHITHI_HOME"]), db=env["CHITHI_DB"],
                                  broker=env["CHITHI_BROKER"], queue=env["CHITHI_QUEUE"]))


def _wait(archive: Archive, job_id: str, until, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = archive.get_job(job_id)
        if until(info):
            return info
        time.sleep(0.1)
    pytest.fail(f"job not {what} after {timeout}s: {archive.get_job(job_id)}")


def _pid_of(owner: str) -> int:
    assert owner.startswith("celery-"), owner
    return int(owner.split("-")[1])


def test_worker_killed_mid_job_leaves_it_to_another(tmp_path, pg_url, redis_url, queue, procs,
                                                     shared):
    env = _env(tmp_path, pg_url, redis_url, queue)
    scan = shared / SCAN
    with _archive(env) as archive:  # migrated before the workers start
        workers = {}
        for name in ("w1", "w2"):
            proc = procs.celery(name, env)
            workers[proc.pid] = proc
        for proc in workers.values():
            procs.wait_for_log(proc, "ready.", timeout=60)
        receipt = archive.submit_upload(scan.read_bytes(), scan.name)
        running = _wait(archive, receipt.job_id,
                        lambda j: j.state == "running" and j.pages_done >= 1,
                        timeout=90, what="running with a page done")
        assert running.pages_total == PAGES
        with archive.session() as session:
            owner = session.get(Job, receipt.job_id).lease_owner
        victim = _pid_of(owner)
        assert victim in workers, (owner, list(workers))
        os.kill(victim, signal.SIGKILL)  # mid-job: OCR of the other pages still to do
        workers[victim].wait(10)
        survivor = next(pid for pid in workers if pid != victim)
        assert archive.get_job(receipt.job_id).state == "running"  # the dead lease, for now

        info = _wait(archive, receipt.job_id, lambda j: j.state in ("done", "failed"),
                     timeout=150, what="finished")
        assert (info.state, info.attempts) == ("done", 2), info
        assert info.pages_done == info.pages_total == PAGES
        with archive.session() as session:
            assert _pid_of(session.get(Job, receipt.job_id).lease_owner) == survivor
            assert session.scalar(select(func.count()).select_from(Document)) == 1
            assert session.scalar(select(func.count()).select_from(StoredFile)) == 1
        doc = archive.get_document(receipt.document_id)
        assert doc.status == "done" and doc.page_count == PAGES
        assert [p.number for p in doc.pages] == list(range(1, PAGES + 1))
        assert all(p.method == "ocr" and p.end > p.start for p in doc.pages)
        assert doc.extraction is not None and doc.obligations > 0
        assert "sent 1 job(s) again" in procs.log(workers[survivor])
        # the same scan again: the same document and job, nothing processed twice
        again = archive.submit_upload(scan.read_bytes(), "again.pdf")
        assert (again.document_id, again.job_id, again.created) == (
            receipt.document_id, receipt.job_id, False)
        # the graph of a process that did not do the work sees the new tasks
        lead = next(a for o in doc.extraction.obligations for a in o.lead)
        tasks = [t for e in archive.agency_tasks(lead.canonical) for t in e.tasks]
        assert any(t.document_id == receipt.document_id for t in tasks)


def test_uploads_without_a_running_worker_wait_in_the_queue(tmp_path, pg_url, redis_url, queue,
                                                           procs, root):
    """Broker up, no worker yet: the job waits; a worker started later takes it."""
    env = _env(tmp_path, pg_url, redis_url, queue)
    text = sorted((root / "corpora").glob("*.txt"))[0]
    with _archive(env) as archive:
        receipt = archive.submit_upload(text.read_bytes(), text.name)
        time.sleep(0.5)
        assert archive.get_job(receipt.job_id).state == "queued"
        procs.celery("late", env)
        info = _wait(archive, receipt.job_id, lambda j: j.state in ("done", "failed"),
                     timeout=60, what="finished")
        assert (info.state, info.attempts) == ("done", 1), info


def test_upload_while_the_broker_is_down_is_sent_later(tmp_path, pg_url, redis_url, queue, procs,
                                                       root):
    """The message is lost (broker unreachable at upload): the job is durable in the database
    and a worker's sweeper sends it again once the broker queue is empty."""
    env = {**_env(tmp_path, pg_url, redis_url, queue), "CHITHI_JOB_RESEND_S": "1"}
    text = sorted((root / "corpora").glob("*.txt"))[1]
    down = Archive(WorkerSettings(home=Path(env["CHITHI_HOME"]), db=pg_url,
                                  broker="redis://127.0.0.1:1/0", queue=queue))
    with down:
        receipt = down.submit_upload(text.read_bytes(), text.name)  # stored despite the broker
    with _archive(env) as archive:
        assert archive.get_job(receipt.job_id).state == "queued"
        worker = procs.celery("sweeper", env)
        info = _wait(archive, receipt.job_id, lambda j: j.state in ("done", "failed"),
                     timeout=60, what="finished")
        assert (info.state, info.attempts) == ("done", 1), info
        assert "sent 1 job(s) again" in procs.log(worker)
