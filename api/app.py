"""The HTTP API: ``create_app(settings)`` builds the FastAPI app over one :class:`Archive`.

The archive is opened (and migrated) when the app is made; on startup the in-process worker
starts (first putting back in the queue the jobs a killed server left half done) and on
shutdown it stops. ``chithi serve`` runs ``uvicorn.run("api.app:create_app", factory=True)``.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from api import problems
from api.config import ApiSettings, api_settings
from api.routes import agencies, documents, health, jobs, keys, obligations, references
from api.schemas import Problem
from chithi.settings import Settings
from services.archive import Archive

PREFIX = "/api/v1"
log = logging.getLogger("api")

ERRORS = {status: {"model": Problem, "content": {problems.PROBLEM: {}}, "description": text}
          for status, text in ((401, "no valid API key"), (403, "the key's role may not do this"),
                               (404, "not found"), (422, "invalid request"))}


def _warm_graph(archive: Archive) -> None:
    """Build the knowledge graph now, not on the first request that needs it (requests that
    come meanwhile wait for it on the holder's lock)."""
    try:
        archive.graphs.get()
    except Exception:  # noqa: BLE001 - the first request builds it (and reports the error)
        log.exception("building the knowledge graph at start failed")


def _start(app: FastAPI) -> None:
    settings: ApiSettings = app.state.settings
    archive: Archive = app.state.archive
    if settings.graph_at_start:
        threading.Thread(target=_warm_graph, args=(archive,), name="graph-at-start", daemon=True).start()
    if settings.broker:
        log.info("CHITHI_BROKER is set: jobs are left to the external workers")
        return
    archive.start_worker(poll_s=settings.job_poll_s, stale_s=settings.job_stale_s,
                         heartbeat_s=settings.job_heartbeat_s)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(_start, app)
    try:
        yield
    finally:
        archive: Archive = app.state.archive
        if archive.worker is not None:
            await run_in_threadpool(archive.worker.stop)
            archive.worker = None


from api.web import mount as mount_web  # noqa: E402


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app over the archive of ``settings`` (default: the ``CHITHI_*`` environment)."""
    settings = api_settings(settings)
    app = FastAPI(
        title="chithi", version="1", lifespan=lifespan, docs_url="/docs",
        openapi_url="/openapi.json", redoc_url=None,
        description="Vietnamese government directives in, per-agency task lists out. "
                    "Send an API key in `X-API-Key` (or `Authorization: Bearer`). "
                    "Errors are RFC 9457 problem details with a stable `code`.")
    app.state.settings = settings
    app.state.archive = Archive(settings)
    problems.install(app)
    app.include_router(health.router)
    for module in (documents, jobs, obligations, agencies, references, keys):
        app.include_router(module.router, prefix=PREFIX, responses=ERRORS)
    mount_web(app)  # the clerks' and legal staff's pages (api/web), same app, same keys
    return app
