"""API keys (admin only): create, list, revoke."""
from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import Admin, ArchiveDep
from api.schemas import KeyCreatedOut, KeyIn, KeyOut
from chithi.errors import InvalidRequest
from services import api_support

router = APIRouter(prefix="/keys", tags=["keys"])


@router.post("", status_code=201, response_model=KeyCreatedOut,
             summary="Create a key; the secret is in this answer only")
def create_key(archive: ArchiveDep, _: Admin, body: KeyIn) -> KeyCreatedOut:
    agency_id = None
    if body.role == "agency":
        if not body.agency:
            raise InvalidRequest("role agency needs 'agency' (an id or a name)")
        found = api_support.resolve_agencies(archive, body.agency)
        if len(found) != 1 and not body.agency.startswith("agency:"):
            raise InvalidRequest(f"'{body.agency}' names {len(found)} agencies; give one agency id",
                                 agency=body.agency)
        agency_id = found[0] if len(found) == 1 else body.agency
    elif body.agency:
        raise InvalidRequest("'agency' is only for role agency")
    key = archive.create_key(body.role, agency_id=agency_id)
    principal = archive.authenticate(key)
    return KeyCreatedOut(key=key, prefix=principal.key_prefix, role=principal.role,
                         agency_id=principal.agency_id)


@router.get("", response_model=list[KeyOut], summary="Keys in use (never their secrets)")
def list_keys(archive: ArchiveDep, _: Admin) -> list[KeyOut]:
    return [KeyOut(prefix=p.key_prefix, role=p.role, agency_id=p.agency_id) for p in archive.list_keys()]


@router.delete("/{prefix}", status_code=204, response_class=Response, summary="Revoke a key")
def revoke_key(archive: ArchiveDep, _: Admin, prefix: str) -> Response:
    archive.revoke_key(prefix)
    return Response(status_code=204)
