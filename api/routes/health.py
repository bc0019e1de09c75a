"""Liveness: open, no key needed."""
from __future__ import annotations

from fastapi import APIRouter

from api.deps import ArchiveDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the server up (no key needed)")
def health(archive: ArchiveDep) -> Health:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("chithi")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        ver = "dev"
    return Health(status="ok", version=ver, worker=bool(archive.worker and archive.worker.is_alive()),
                  documents=archive.count_documents())
