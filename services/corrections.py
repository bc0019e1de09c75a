"""Reviewer corrections to obligations: normalised once, stored, re-applied after re-processing."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from chithi.errors import InvalidRequest
from chithi.models import Agency, Deadline, Extraction
from chithi.text import nfc, slug, squash

FIELDS = ("text", "section", "heading", "modality", "lead", "support", "report_to", "deadlines")
_AGENCIES = TypeAdapter(list[Agency])
_DEADLINES = TypeAdapter(list[Deadline])


def agency_from_name(name: str, *, locality: str | None = None) -> Agency:
    name = squash(nfc(name))
    try:
        from nlp.agencies import canonicalize
    except ImportError:
        canonicalize = None
    if canonicalize is not None:
        try:
            agency = canonicalize(name, locality=locality)
            return agency.model_copy(update={"name": name, "span": None, "confidence": 1.0})
        except Exception:  # noqa: BLE001 - fall back to the name as written
            pass
    return Agency(name=name, canonical=name, key=slug(name))


def normalize(field: str, value: Any, *, locality: str | None = None) -> Any:
    """The JSON form of a corrected value. Agencies may be given as names, deadlines as ISO
    dates; raises :class:`InvalidRequest` for an unknown field or a bad value."""
    if field not in FIELDS:
        raise InvalidRequest(f"cannot correct field '{field}'; one of {', '.join(FIELDS)}",
                             field=field)
    try:
        if field in ("text", "section", "heading"):
            if value is None and field != "text":
                return None
            if not isinstance(value, str) or not squash(value):
                raise InvalidRequest(f"'{field}' needs non-empty text", field=field)
            return squash(nfc(value))
        if field == "modality":
            if value not in ("must", "prohibited", "encouraged"):
                raise InvalidRequest("modality is one of must, prohibited, encouraged")
            return value
        if not isinstance(value, list):
            raise InvalidRequest(f"'{field}' needs a list", field=field)
        if field == "deadlines":
            items = [Deadline(kind="date", date=v, precision="day", text=v)
                     if isinstance(v, str) else v for v in value]
            return [d.model_dump(mode="json") for d in _DEADLINES.validate_python(items)]
        items = [agency_from_name(v, locality=locality) if isinstance(v, str) else v for v in value]
        return [a.model_dump(mode="json") for a in _AGENCIES.validate_python(items)]
    except ValidationError as exc:
        raise InvalidRequest(f"bad value for '{field}': {exc.errors()[0]['msg']}",
                             field=field) from exc


def apply_corrections(extraction: Extraction, corrections: Iterable[Any], *,
                      document_id: str) -> Extraction:
    """``extraction`` with each correction (rows with obligation_id, field, new) applied in
    order; a correction to an obligation the new run no longer has is skipped."""
    corrections = list(corrections)
    if not corrections:
        return extraction
    data = extraction.model_dump(mode="json")
    by_id = {ob["id"]: ob for ob in data["obligations"]}
    for row in corrections:
        local = row.obligation_id.split("#", 1)[1] if "#" in row.obligation_id else row.obligation_id
        ob = by_id.get(local)
        if ob is not None and row.field in FIELDS:
            ob[row.field] = row.new
    return Extraction.model_validate(data)
