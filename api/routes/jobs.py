"""Background jobs: state and page progress of an upload's processing."""
from __future__ import annotations

from fastapi import APIRouter

from api.deps import ArchiveDep, Reader
from api.schemas import JobOut

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut, summary="A job's state and progress (pages done / total)")
def get_job(archive: ArchiveDep, _: Reader, job_id: str) -> JobOut:
    return JobOut.model_validate(archive.get_job(job_id).model_dump())
