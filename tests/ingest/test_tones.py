"""ingest.tones: hook/acute confusions of OCR mended against word lists, made-up sentences."""
from __future__ import annotations

import pytest

from ingest.tones import mend_tones


@pytest.mark.parametrize("read, want", [
    ("Tố chức sơ kết, tống kết việc thực hiện", "Tổ chức sơ kết, tổng kết việc thực hiện"),
    ("thường xuyên kiếm tra, kịp thời biếu dương", "thường xuyên kiểm tra, kịp thời biểu dương"),
    ("đấy mạnh công tác tuyên truyền", "đẩy mạnh công tác tuyên truyền"),
])
def test_confused_marks_are_mended_and_reported(read, want):
    out, notes = mend_tones(read.split())
    assert " ".join(out) == want
    assert len(notes) == sum(a != b for a, b in zip(read.split(), want.split()))


@pytest.mark.parametrize("text", [
    "số liệu chung của cả nước; riêng tỉnh",
    "giảm số người nghiện ma túy",
    "Ủy ban nhân dân tỉnh giao Sở Nội vụ",
    "thời tiết ẩm lạnh, tập trung",
    "như thế nào để thực hiện",
])
def test_right_readings_are_left_alone(text):
    out, notes = mend_tones(text.split())
    assert out == text.split() and notes == []


def test_punctuation_and_case_are_kept():
    out, _ = mend_tones(["(Tố", "chức)"])
    assert out == ["(Tổ", "chức)"]
