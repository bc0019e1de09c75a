"""Dependencies: the archive, the caller (API key → :class:`Principal`) and role checks."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.config import ApiSettings
from chithi.errors import Forbidden, Unauthenticated
from chithi.models import Principal
from services.archive import Archive

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="API key (`chithi keys create ROLE`)")
bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token")


def get_archive(request: Request) -> Archive:
    return request.app.state.archive


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


ArchiveDep = Annotated[Archive, Depends(get_archive)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]


async def get_principal(archive: ArchiveDep,
                        key: Annotated[str | None, Security(api_key_header)] = None,
                        token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
                        ) -> Principal:
    secret = key or (token.credentials if token else None)
    if not secret:
        raise Unauthenticated("send an API key in the X-API-Key header or as Authorization: Bearer")
    return await run_in_threadpool(archive.authenticate, secret)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency that lets only ``roles`` through (403 for the others)."""
    def check(principal: PrincipalDep) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"role '{principal.role}' may not do this; needs {' or '.join(roles)}",
                            role=principal.role)
        return principal
    return check


Reader = Annotated[Principal, Depends(require("clerk", "legal", "admin"))]
Clerk = Annotated[Principal, Depends(require("clerk", "admin"))]
Admin = Annotated[Principal, Depends(require("admin"))]


def who(principal: Principal) -> str:
    """How a change is signed in the archive: role and key prefix."""
    suffix = f"@{principal.agency_id}" if principal.agency_id else ""
    return f"{principal.role}:{principal.key_prefix}{suffix}"


def check_agency(principal: Principal, agency_id: str, *, write: bool = False) -> None:
    """An agency key reads and updates only its own agency; clerk, legal and admin read all,
    and only clerk and admin change another agency's task status."""
    if principal.role == "agency":
        if principal.agency_id != agency_id:
            raise Forbidden("an agency key reads and updates only its own agency's tasks",
                            agency_id=agency_id)
        return
    allowed = ("clerk", "admin") if write else ("clerk", "legal", "admin")
    if principal.role not in allowed:
        raise Forbidden(f"role '{principal.role}' may not {'change' if write else 'read'} task lists",
                        role=principal.role)
