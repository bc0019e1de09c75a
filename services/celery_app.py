"""Celery workers for the job queue: ``celery -A services.celery_app worker -P solo -c 1``
(or ``chithi worker``). Used only when ``CHITHI_BROKER`` (a Redis URL) is set; without it the
in-process :class:`services.jobs.Worker` stays the default.

The database's job row stays the guard against double processing; the broker only says
"look at job X". A task claims its job with one conditional UPDATE (``queued`` → ``running``
with a lease), beats while it runs and records ``done``/``failed``; a message for a job that
is done, failed or running under a live lease is acknowledged and dropped, so delivering a
message twice is harmless. Messages are acknowledged late (after the job) with prefetch 1, so
a worker killed mid-job leaves its message unacknowledged in Redis (restored after the
visibility timeout). Recovery does not wait for that: every worker runs a sweeper thread
that puts jobs whose heartbeat went silent for ``job_stale_s`` back in the queue (or fails
them after ``job_max_attempts``) and sends a message for them at once; when the broker's
queue is empty it also re-sends queued jobs older than ``job_resend_s`` (a message lost with
a Redis restart, or an upload made while the broker was down).
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from celery import Celery, signals
from sqlalchemy import or_, select, update

from chithi.errors import InvalidRequest
from chithi.settings import Settings
from services import jobs
from services.tables import Job, utcnow

if TYPE_CHECKING:
    from services.archive import Archive

log = logging.getLogger(__name__)
TASK = "chithi.process_job"


class WorkerSettings(Settings):
    """``CHITHI_*``: the shared settings plus the job knobs (same names as the API's)."""
    job_heartbeat_s: float = 5.0  # how often a running job proves its worker is alive
    job_stale_s: float = 60.0  # a running job silent this long was left by a dead worker
    job_max_attempts: int = 3  # a job that killed this many workers is failed
    job_sweep_s: float = 10.0  # how often each worker looks for stale and forgotten jobs
    job_resend_s: float = 120.0  # a queued job this old with an empty broker queue: re-send
    broker_visibility_s: int = 3600  # Redis: an unacknowledged message comes back after this
    queue: str = "chithi"  # the broker queue (one per archive sharing a Redis)


def make_app(broker: str | None, *, visibility_s: int = 3600, queue: str = "chithi") -> Celery:
    app = Celery("chithi", broker=broker or "redis://127.0.0.1:6379/0", set_as_current=False)
    app.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True, result_backend=None, task_default_queue=queue,
        task_serializer="json", accept_content=["json"], worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True, broker_connection_timeout=3,
        broker_transport_options={"visibility_timeout": visibility_s},
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2,
                                   "interval_step": 0.5, "interval_max": 1.0},
        worker_send_task_events=False, worker_enable_remote_control=False)
    app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)(_process_job)
    return app


def _process_job(self, job_id: str) -> str:  # noqa: ANN001 - bound Celery task
    return handle(worker_archive(), job_id, owner=_owner(), settings=worker_settings())


@lru_cache
def worker_settings() -> WorkerSettings:
    return WorkerSettings()


_settings = worker_settings()
app = make_app(_settings.broker, visibility_s=_settings.broker_visibility_s, queue=_settings.queue)


@lru_cache
def _producer(broker: str) -> Celery:
    if broker == app.conf.broker_url:
        return app
    return make_app(broker, visibility_s=_settings.broker_visibility_s, queue=_settings.queue)


def enqueue(broker: str, job_id: str, *, queue: str | None = None) -> bool:
    """Send "process job ``job_id``" to the broker (``queue``: default ``CHITHI_QUEUE``); False
    (logged) if the broker is down: the job is durable in the database and a worker's sweeper
    sends it again later."""
    try:
        _producer(broker).send_task(TASK, args=[job_id], queue=queue or _settings.queue)
        return True
    except Exception:  # noqa: BLE001 - the upload is stored; the sweeper re-sends
        log.warning("could not send job %s to the broker; a worker will pick it up later",
                    job_id, exc_info=True)
        return False


# --- the worker side -------------------------------------------------------------------

_archive: "Archive | None" = None
_archive_lock = threading.Lock()
_owner_id: str | None = None


def worker_archive() -> "Archive":
    """This worker process's archive (opened and migrated once)."""
    global _archive
    with _archive_lock:
        if _archive is None:
            from services.archive import Archive

            _archive = Archive(worker_settings())
        return _archive


def _owner() -> str:
    global _owner_id
    if _owner_id is None or not _owner_id.startswith(f"celery-{os.getpid()}-"):
        _owner_id = f"celery-{os.getpid()}-{socket.gethostname()[:30]}-{uuid.uuid4().hex[:6]}"
    return _owner_id


def claim_job(archive: "Archive", job_id: str, owner: str) -> bool:
    """Take job ``job_id`` if it is queued (one conditional UPDATE); False otherwise."""
    now = utcnow()
    with archive.session() as session, session.begin():
        return session.execute(
            update(Job).where(Job.id == job_id, Job.state == "queued").values(
                state="running", lease_owner=owner, heartbeat_at=now, started_at=now,
                attempts=Job.attempts + 1, error_code=None, error_message=None)).rowcount == 1


def handle(archive: "Archive", job_id: str, *, owner: str, settings: WorkerSettings) -> str:
    """Process one job message; returns what happened (``done``, ``failed``, ``skipped``)."""
    jobs.requeue_stale(archive, stale_s=settings.job_stale_s,
                       max_attempts=settings.job_max_attempts)
    if not claim_job(archive, job_id, owner):
        with archive.session() as session:
            state = session.scalar(select(Job.state).where(Job.id == job_id))
        log.info("job %s is %s: nothing to do", job_id, state or "gone")
        return "skipped"
    jobs.run_job(archive, job_id, owner, heartbeat_s=settings.job_heartbeat_s)
    return jobs.get_job(archive, job_id).state


def sweep(archive: "Archive", *, settings: WorkerSettings, broker: str | None = None) -> list[str]:
    """Put stale jobs back in the queue and send them; re-send forgotten queued jobs when the
    broker's queue is empty. Returns the job ids sent."""
    cutoff = utcnow() - timedelta(seconds=settings.job_stale_s)
    with archive.session() as session:
        stale = set(session.scalars(select(Job.id).where(
            Job.state == "running", or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < cutoff))))
    if stale:
        jobs.requeue_stale(archive, stale_s=settings.job_stale_s,
                           max_attempts=settings.job_max_attempts)
    broker = broker or archive.settings.broker or settings.broker
    if not broker:
        return []
    old = utcnow() - timedelta(seconds=settings.job_resend_s)
    forgotten = _queue_length(broker, settings.queue) == 0
    with archive.session() as session, session.begin():
        query = select(Job.id).where(Job.state == "queued")
        if forgotten:
            query = query.where(or_(Job.id.in_(stale), Job.updated_at < old))
        else:
            query = query.where(Job.id.in_(stale))
        send = list(session.scalars(query.order_by(Job.created_at).limit(1000)))
        if send:
            session.execute(update(Job).where(Job.id.in_(send), Job.state == "queued")
                            .values(updated_at=utcnow()))
    for job_id in send:
        enqueue(broker, job_id, queue=settings.queue)
    if send:
        log.warning("sent %d job(s) again: %s", len(send), ", ".join(send[:10]))
    return send


def _queue_length(broker: str, queue: str) -> int | None:
    try:
        with _producer(broker).connection_for_write() as conn:
            # not passive: on Redis an empty queue does not exist and a passive check fails
            return conn.default_channel.queue_declare(queue).message_count
    except Exception:  # noqa: BLE001 - unknown: do not re-send
        return None


class Sweeper(threading.Thread):
    def __init__(self, settings: WorkerSettings) -> None:
        super().__init__(name="chithi-sweeper", daemon=True)
        self.settings = settings
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                sweep(worker_archive(), settings=self.settings)
            except Exception:  # noqa: BLE001 - try again at the next round
                log.exception("job sweep failed")
            if self.stopped.wait(self.settings.job_sweep_s):
                return


_sweeper: Sweeper | None = None


@signals.worker_ready.connect
def _start_sweeper(sender=None, **_: object) -> None:  # noqa: ANN001
    global _sweeper
    if _sweeper is None:
        worker_archive()  # migrate before the first task
        _sweeper = Sweeper(worker_settings())
        _sweeper.start()


@signals.worker_shutting_down.connect
def _stop_sweeper(**_: object) -> None:
    if _sweeper is not None:
        _sweeper.stopped.set()


@signals.worker_process_init.connect
def _after_fork(**_: object) -> None:
    """A prefork child must not share the parent's database connections."""
    global _archive, _owner_id
    _archive, _owner_id = None, None


def worker_command(*, concurrency: int = 1, pool: str = "solo", loglevel: str = "INFO",
                   hostname: str | None = None, broker: str | None = None) -> int:
    """Run a Celery worker for the job queue (blocks). Needs ``CHITHI_BROKER`` (or ``broker``).
    ``pool="solo"``: one job at a time, OCR pages still spread over the cores by ``ingest``."""
    settings = worker_settings()
    url = broker or settings.broker
    if not url:
        raise InvalidRequest("set CHITHI_BROKER (e.g. redis://127.0.0.1:6379/0) to run workers; "
                             "without it `chithi serve` processes uploads in-process")
    target = _producer(url)
    argv = ["worker", f"--concurrency={concurrency}", f"--pool={pool}", f"--loglevel={loglevel}",
            f"--queues={settings.queue}", "--without-gossip", "--without-mingle"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    target.worker_main(argv)
    return 0


__all__ = ["WorkerSettings", "app", "claim_job", "enqueue", "handle", "make_app", "sweep",
           "worker_command"]
