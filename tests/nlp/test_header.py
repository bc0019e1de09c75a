"""Golden-file tests of nlp.header.extract_header, and the score floor on the gold sets."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from chithi.text import nfc
from nlp.header import extract_header

GOLDEN = Path(__file__).parent / "golden" / "header"
CASES = sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_header_golden(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    text = nfc(case["text"])
    header = extract_header(text)
    for field, want in case["expected"].items():
        if field == "registrations":
            got = [r.model_dump(include={"kind", "number", "date", "issuer"}) for r in header.registrations]
            for w, g in zip(want, got):
                assert {k: g[k] for k in w} == w
            assert len(got) == len(want)
            continue
        assert getattr(header, field) == want, f"{path.stem}: {field}"
    for field, span in header.spans.items():  # every span points into the text
        assert 0 <= span.start < span.end <= len(text), field


def test_no_text_gives_nulls() -> None:
    header = extract_header("")
    assert header.type is None and header.number is None and header.issuer is None and header.signer is None


def test_arrival_stamp_is_not_the_document_date() -> None:
    text = "CÔNG VĂN ĐẾN\nSố: 13\nNgày: 04.12.2012\n\nCHỈ THỊ\n\nVề việc chấn chỉnh lề lối làm việc\n"
    header = extract_header(text)
    assert header.date is None and header.number is None
    assert header.registrations[0].kind == "arrival" and header.registrations[0].date == "2012-12-04"


def test_header_is_pure() -> None:
    text = (GOLDEN / "department_under_province.json").read_text(encoding="utf-8")
    text = json.loads(text)["text"]
    assert extract_header(text) == extract_header(text)


def test_mended_signer_is_marked_for_review() -> None:
    """A surname mended from OCR letters ("Nguyên" → "Nguyễn") gets a lower confidence than a
    name read as it stands, so the review screen shows it."""
    base = "Số: 12/CT-UBND\nSóc Trăng, ngày 05 tháng 3 năm 2021\nCHỈ THỊ\nNơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\n"
    mended = extract_header(base + "Nguyên Văn Bình")
    clean = extract_header(base + "Nguyễn Văn Bình")
    assert mended.signer == clean.signer == "Nguyễn Văn Bình"
    assert mended.confidence["signer"] < clean.confidence["signer"]
    # a surname that is one stays as written, even if another surname has its letters
    assert extract_header(base + "Lò Văn Bình").signer == "Lò Văn Bình"
