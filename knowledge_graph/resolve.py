"""Agency resolution: one graph node per real body, keyed by its canonical name.

The nlp stage fills ``Agency.canonical``/``key``. When an agency of a local kind lacks a
locality but the document header has one, the header's locality is used
(``nlp.agencies.canonicalize`` if it exists, else :func:`normalize.with_locality`).
Collectives take the document's locality too, so "các sở, ban ngành" of Kon Tum and of Sóc
Trăng are two nodes.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from chithi.models import Agency, DocumentHeader
from chithi.text import fold, nfc, squash

from . import normalize as nz


@dataclass(frozen=True)
class Facts:
    """What one mention in one document says about a body."""
    node_id: str
    canonical: str
    name: str | None  # as written (None for a body the graph adds itself: a locality's government)
    kind: str | None
    level: str | None
    locality: str | None
    province: str | None  # the province a district/commune body lies in, when the document tells
    collective: bool
    central: bool


def agency_id(key: str) -> str:
    return "agency:" + key


def doc_province(header: DocumentHeader) -> str | None:
    """The province of the document: its locality if provincial, else one named in the header."""
    if nz.locality_level(header.locality) == "tinh":
        return squash(nfc(header.locality or ""))
    return nz.province_of(header.issuer_parent) or nz.province_of(header.issuer)


def _is_central(agency_kind: str | None, level: str | None, head: dict | None) -> bool:
    if level == "trung_uong":
        return True
    if head and head.get("central"):
        return True
    return agency_kind in nz.central_kinds()


def facts_of(agency: Agency, header: DocumentHeader) -> Facts:
    """Resolve one mention against its document's header (a pure function, cached)."""
    return _facts(agency.name, agency.canonical, agency.key, agency.kind, agency.level, agency.locality,
                  agency.collective, header.locality, header.issuer_parent, header.issuer)


@lru_cache(maxsize=200_000)
def _facts(name, canonical, key, kind, level, locality, collective, h_locality, h_parent, h_issuer) -> Facts:
    agency = Agency(name=name, canonical=canonical, key=key, kind=kind, level=level, locality=locality,
                    collective=collective)
    header = DocumentHeader(locality=h_locality, issuer_parent=h_parent, issuer=h_issuer)
    return _resolve(agency, header)


def _resolve(agency: Agency, header: DocumentHeader) -> Facts:
    hloc = squash(nfc(header.locality)) if header.locality and nz.is_locality(header.locality) else None
    head = nz.head_of(agency.canonical or agency.name)
    kind = agency.kind or (head or {}).get("kind")
    central = _is_central(kind, agency.level, head)
    canonical, key = squash(nfc(agency.canonical or agency.name)), agency.key
    locality = squash(nfc(agency.locality)) if agency.locality else None
    if locality is None and not central:
        locality = nz.locality_in(canonical)
    if locality is None and hloc and not central:
        if nz.norm(hloc) in nz.norm(canonical):
            locality = hloc
        elif agency.collective:
            locality = hloc
        else:
            canonical, locality = _with_locality(agency.name or canonical, hloc)
        key = nz.key_of(canonical)
    if agency.collective and locality and nz.norm(locality) not in nz.norm(canonical):
        canonical = nz.with_locality(canonical, locality)  # "các sở" of Kon Tum is not Sóc Trăng's
        key = ""
    if not key or key != nz.key_of(canonical):
        key = nz.key_of(canonical)
    level = agency.level or (head or {}).get("level")
    if agency.collective and not agency.level:
        level = None
    elif level is None and locality:
        level = nz.locality_level(locality)
    if level is None and central:
        level = "trung_uong"
    province = doc_province(header)
    if locality and nz.locality_level(locality) == "tinh":
        province = locality
    if central:
        province = None
    return Facts(node_id=agency_id(key), canonical=canonical, name=squash(nfc(agency.name)) or None,
                 kind=kind, level=level, locality=locality, province=province,
                 collective=agency.collective, central=central)


def _with_locality(name: str, locality: str) -> tuple[str, str]:
    canon = nz._nlp_canonicalize()
    if canon is not None:
        try:
            a = canon(name, locality=locality)
            if a.canonical:
                return squash(nfc(a.canonical)), squash(nfc(a.locality or locality))
        except Exception:  # noqa: BLE001 - nlp.agencies is written in parallel; fall back
            pass
    return nz.with_locality(name, locality), locality


def issuer_facts(header: DocumentHeader) -> Facts | None:
    if not header.issuer:
        return None
    head = nz.head_of(header.issuer)
    agency = Agency(name=header.issuer, canonical=header.issuer, key="",
                    kind=(head or {}).get("kind"), collective=False)
    return facts_of(agency, header)


@lru_cache(maxsize=100_000)
def gov_facts(locality: str, province: str | None) -> Facts:
    """The government node of a locality ('Ủy ban nhân dân tỉnh Kon Tum'), added implicitly."""
    name = nz.gov_name(locality)
    level = nz.locality_level(locality)
    prov = locality if level == "tinh" else province
    return Facts(node_id=agency_id(nz.key_of(name)), canonical=name, name=None, kind="ubnd",
                 level=level, locality=locality, province=prov, collective=False, central=False)


@lru_cache(maxsize=200_000)
def implied(f: Facts) -> tuple[Facts, ...]:
    """The government nodes a mention implies: its locality's and its province's."""
    out: list[Facts] = []
    if f.central or not f.locality:
        return ()
    out.append(gov_facts(f.locality, f.province))
    if f.province and fold(f.province) != fold(f.locality):
        out.append(gov_facts(f.province, None))
    return tuple(out)
