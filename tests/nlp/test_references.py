"""Golden-file tests of nlp.references.extract_references, and the score floors (fields and
references) on ../shared/gold and ../shared/gold-corpus, measured with the project scorer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from chithi.text import nfc
from nlp.header import extract_header
from nlp.references import extract_references

GOLDEN = Path(__file__).parent / "golden" / "references"
CASES = [(p.stem, i, c) for p in sorted(GOLDEN.glob("*.json"))
         for i, c in enumerate(json.loads(p.read_text(encoding="utf-8")))]


@pytest.mark.parametrize("name,i,case", CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_references_golden(name: str, i: int, case: dict) -> None:
    text = nfc(case["text"])
    header = extract_header(text) if case.get("use_header") else None
    refs = extract_references(text, header=header)
    want = case["expected"]
    key = lambda r: r.number or r.title  # noqa: E731
    got = {key(r): r for r in refs}
    assert sorted(got, key=str) == sorted([w.get("number") or w.get("title") for w in want], key=str)
    for w in want:
        r = got[w.get("number") or w.get("title")]
        for field, value in w.items():
            if field == "mentions":
                assert len(r.spans) == value
            else:
                assert getattr(r, field) == value, f"{name}-{i}: {field}"
        assert r.id.startswith("vb:" if r.number else "luat:")
        for sp in r.spans:
            assert 0 <= sp.start < sp.end <= len(text)


def test_ids_are_stable() -> None:
    text = "Theo Quyết định số 03/2007/QĐ-BNV và Luật Đất đai năm 2024."
    ids = [r.id for r in extract_references(text)]
    assert ids == ["vb:03/2007/QĐ-BNV", "luat:luat-dat-dai-nam-2024"]


# Floors a little below what `python -m bench score_fields` measured (1.000 everywhere).
FLOORS = {"seeds": (0.95, 0.95), "gold-corpus": (0.95, 0.95)}


def test_score_floors(shared: Path, tmp_path: Path) -> None:
    from bench import score_fields

    results = score_fields.run(tmp_path)
    for name, (fields_floor, refs_floor) in FLOORS.items():
        assert results[name]["document_fields_accuracy"] >= fields_floor, name
        assert results[name]["references"]["f1"] >= refs_floor, name
