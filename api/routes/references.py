"""Legal references: who cites a document, what replaced what."""
from __future__ import annotations

from fastapi import APIRouter

from api.deps import ArchiveDep, Reader
from api.schemas import ReferenceOut
from services import api_support

router = APIRouter(prefix="/references", tags=["references"])


@router.get("/{number:path}", response_model=ReferenceOut,
            summary="A legal document by number (26/CT-TTg) or id: citing obligations and documents")
def get_reference(archive: ArchiveDep, _: Reader, number: str) -> ReferenceOut:
    found = api_support.reference(archive, number)
    return ReferenceOut.model_validate({
        k: ([x.model_dump() if hasattr(x, "model_dump") else x for x in v] if isinstance(v, list) else v)
        for k, v in found.items()})
