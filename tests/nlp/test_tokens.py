"""nlp.tokens: underthesea's words realigned to the source text (real underthesea)."""
from __future__ import annotations

import unicodedata

import pytest

from nlp.tokens import Token, realign, tokenize


def _check(text: str, tokens: list[Token]) -> None:
    last = 0
    for t in tokens:
        assert text[t.start:t.end] == t.text
        assert t.start >= last and t.end > t.start
        last = t.end


def test_words_and_offsets():
    text = "Ủy ban nhân dân tỉnh Kon Tum yêu cầu Sở Nội vụ chủ trì."
    toks = tokenize(text)
    _check(text, toks)
    words = [t.text for t in toks]
    assert "Kon Tum" in words and "chủ trì" in words  # underthesea joins multi-syllable words
    assert words[-1] == "."


def test_old_tone_marks_are_realigned():
    # underthesea rewrites "Uỷ" as "Ủy": the token still carries the source's own characters
    text = "Uỷ ban nhân dân tỉnh Khánh Hoà"
    toks = tokenize(text)
    _check(text, toks)
    assert toks[0].text == "Uỷ"


def test_line_breaks_and_symbols():
    text = "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK -------\nSố: 0130/KH-UBND “Đẩy mạnh” … Sở KH&ĐT; 20/11/2025"
    toks = tokenize(text)
    _check(text, toks)
    assert any(t.text == "KH&ĐT" for t in toks)


def test_real_document(shared):
    text = (shared / "corpus" / "021.txt").read_text(encoding="utf-8")
    text = unicodedata.normalize("NFC", text)
    toks = tokenize(text)
    _check(text, toks)
    covered = sum(len(t.text.replace(" ", "")) for t in toks)
    assert covered > 0.9 * len("".join(text.split()))


@pytest.mark.parametrize("text", ["", "   \n\f ", "\u0000\u0001", "a" * 3, "🙂 Sở Nội vụ 🙂"])
def test_odd_input_never_raises(text):
    _check(text, tokenize(text))


def test_realign_skips_what_it_cannot_place():
    text = "Sở Nội vụ chủ trì"
    toks = realign(text, ["Sở", "XYZ", "Nội vụ", "chủ trì"])
    assert [t.text for t in toks] == ["Sở", "Nội vụ", "chủ trì"]
    _check(text, toks)
