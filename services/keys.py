"""API keys: ``chk_<prefix>_<secret>``, shown once, stored only as a SHA-256 hash."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select

from chithi.errors import InvalidRequest, NotFound, Unauthenticated
from chithi.models import Principal
from services.tables import ApiKey, utcnow

if TYPE_CHECKING:
    from services.archive import Archive

ROLES = ("clerk", "legal", "agency", "admin")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(archive: "Archive", role: str, *, agency_id: str | None = None) -> str:
    if role not in ROLES:
        raise InvalidRequest(f"role must be one of {', '.join(ROLES)}", role=role)
    if (role == "agency") != bool(agency_id):
        raise InvalidRequest("an agency id is required for role 'agency' and only for it",
                             role=role)
    with archive.session() as session, session.begin():
        while True:
            prefix = secrets.token_hex(4)
            if session.get(ApiKey, prefix) is None:
                break
        key = f"chk_{prefix}_{secrets.token_urlsafe(32)}"
        session.add(ApiKey(prefix=prefix, key_hash=hash_key(key), role=role, agency_id=agency_id))
    return key


def revoke_key(archive: "Archive", prefix: str) -> None:
    prefix = prefix.removeprefix("chk_").split("_", 1)[0]
    with archive.session() as session, session.begin():
        row = session.get(ApiKey, prefix)
        if row is None:
            raise NotFound(f"no API key {prefix}", prefix=prefix)
        if row.revoked_at is None:
            row.revoked_at = utcnow()


def authenticate(archive: "Archive", key: str) -> Principal:
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "chk" or not parts[1]:
        raise Unauthenticated("malformed API key")
    with archive.session() as session:
        row = session.get(ApiKey, parts[1])
        digest = hash_key(key.strip())
        # compare even when the prefix is unknown, so timing says nothing about prefixes
        expected = row.key_hash if row is not None else "0" * 64
        if not hmac.compare_digest(expected, digest) or row is None:
            raise Unauthenticated("unknown API key")
        if row.revoked_at is not None:
            raise Unauthenticated("this API key was revoked", prefix=row.prefix)
        return Principal(key_prefix=row.prefix, role=row.role, agency_id=row.agency_id)


def list_keys(archive: "Archive", *, include_revoked: bool = False) -> list[Principal]:
    with archive.session() as session:
        query = select(ApiKey).order_by(ApiKey.created_at)
        if not include_revoked:
            query = query.where(ApiKey.revoked_at.is_(None))
        return [Principal(key_prefix=r.prefix, role=r.role, agency_id=r.agency_id)
                for r in session.scalars(query)]
