"""Build ``ingest/data/tone_bigrams.txt``: the two-syllable sequences of real directives in which
a syllable carries an acute or a hook-above tone mark, the marks OCR confuses.

    python scripts/build_tone_bigrams.py ../shared/corpus/*.txt

Made from the raw corpus of 55 real 2025 documents (never from the seeds, whose scans are the
OCR benchmark). Used by :mod:`ingest.tones` with underthesea's word list.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from ingest.tones import MARKS  # noqa: E402 - the marks the repair swaps

OUT = ROOT / "ingest" / "data" / "tone_bigrams.txt"


def marked(syl: str) -> bool:
    return any(m in unicodedata.normalize("NFD", syl) for m in MARKS)


def main(paths: list[str]) -> int:
    seen: set[str] = set()
    for p in paths:
        text = unicodedata.normalize("NFC", Path(p).read_text(encoding="utf-8")).lower()
        for chunk in re.split(r"[^\w\s]|\d|_", text):
            words = chunk.split()
            for a, b in zip(words, words[1:]):
                if marked(a) or marked(b):
                    seen.add(f"{a} {b}")
    OUT.write_text("# built by scripts/build_tone_bigrams.py from ../shared/corpus (55 documents)\n"
                   + "\n".join(sorted(seen)) + "\n", encoding="utf-8")
    print(f"{len(seen)} bigrams -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
