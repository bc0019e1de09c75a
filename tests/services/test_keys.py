from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from chithi.errors import InvalidRequest, NotFound, Unauthenticated
from services import Archive
from services.tables import ApiKey


def test_keys_are_stored_hashed_and_can_be_revoked(archive: Archive):
    key = archive.create_key("agency", agency_id="agency:so-noi-vu-tinh-kon-tum")
    admin = archive.create_key("admin")
    assert key.startswith("chk_") and len(key) > 40 and key != admin
    with archive.session() as s:
        rows = s.scalars(select(ApiKey)).all()
    assert len(rows) == 2
    for row in rows:
        assert key not in (row.key_hash, row.prefix) and len(row.key_hash) == 64
    prefix = key.split("_")[1]
    row = next(r for r in rows if r.prefix == prefix)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()

    who = archive.authenticate(key)
    assert (who.role, who.agency_id, who.key_prefix) == (
        "agency", "agency:so-noi-vu-tinh-kon-tum", prefix)
    assert archive.authenticate(admin).role == "admin"
    for bad in (key[:-1] + ("A" if key[-1] != "A" else "B"), "chk_00000000_nope", "garbage", ""):
        with pytest.raises(Unauthenticated):
            archive.authenticate(bad)
    archive.revoke_key(prefix)
    with pytest.raises(Unauthenticated, match="revoked"):
        archive.authenticate(key)
    assert archive.authenticate(admin).role == "admin"
    assert [p.role for p in archive.list_keys()] == ["admin"]
    with pytest.raises(NotFound):
        archive.revoke_key("ffffffff")


def test_key_roles_are_checked(archive: Archive):
    with pytest.raises(InvalidRequest):
        archive.create_key("boss")
    with pytest.raises(InvalidRequest):
        archive.create_key("agency")
    with pytest.raises(InvalidRequest):
        archive.create_key("clerk", agency_id="agency:x")
    assert archive.authenticate(archive.create_key("legal")).role == "legal"
