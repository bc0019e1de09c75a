"""Obligation search and reviewer corrections."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ArchiveDep, Clerk, Reader, who
from api.schemas import CorrectedObligationOut, CorrectionOut, ObligationOut, ObligationPatch, Paged
from services import api_support

router = APIRouter(prefix="/obligations", tags=["obligations"])


def _out(hit) -> ObligationOut:
    return ObligationOut.model_validate(hit.model_dump())


@router.get("", response_model=Paged[ObligationOut], summary="Search obligations")
def search(archive: ArchiveDep, _: Reader,
           q: Annotated[str | None, Query(max_length=500, description=(
               'words, accents and case ignored ("so noi vu" finds "Sở Nội vụ"); '
               'a "quoted phrase" must appear exactly'))] = None,
           agency: Annotated[str | None, Query(max_length=300, description=(
               "an agency id or name; tasks reaching it through groups count"))] = None,
           due_from: date | None = None, due_to: date | None = None,
           cites: Annotated[str | None, Query(max_length=200, description=(
               "a cited document's number (e.g. 26/CT-TTg) or id"))] = None,
           page: Annotated[int, Query(ge=1, le=100000)] = 1,
           size: Annotated[int, Query(ge=1, le=200)] = 50) -> Paged[ObligationOut]:
    hits, total = api_support.search_obligations(
        archive, q=q, agency=agency, due_from=due_from, due_to=due_to, cites=cites,
        limit=size, offset=(page - 1) * size)
    return Paged[ObligationOut](items=[_out(h) for h in hits], total=total, page=page, size=size)


@router.get("/{obligation_id}", response_model=CorrectedObligationOut,
            summary="One obligation (id: <document_id>#o3, the # sent as %23) and its corrections")
def get_obligation(archive: ArchiveDep, _: Reader, obligation_id: str) -> CorrectedObligationOut:
    hit = api_support.get_obligation(archive, obligation_id)
    corrections = archive.list_corrections(obligation_id=obligation_id)
    return CorrectedObligationOut(**hit.model_dump(), corrections=[
        CorrectionOut.model_validate(c.model_dump()) for c in corrections])


@router.patch("/{obligation_id}", response_model=CorrectedObligationOut,
              summary="Correct an obligation (recorded with who and when; kept over re-processing)")
def correct(archive: ArchiveDep, principal: Clerk, obligation_id: str,
            body: ObligationPatch) -> CorrectedObligationOut:
    changes = body.model_dump(exclude_unset=True, mode="json")
    hit, corrections = api_support.correct_obligation(archive, obligation_id, changes,
                                                      by=who(principal))
    return CorrectedObligationOut(**hit.model_dump(), corrections=[
        CorrectionOut.model_validate(c.model_dump()) for c in corrections])
