"""OCR benchmark: ``python -m bench ocr [--levels clean,mild,hard] [--limit N] [--no-ocrmypdf]``.

For each level of ``../shared/scans/*/{clean,mild,hard}`` it reads every page image with
``ingest.read_document`` (pages in parallel, one process per core) and reports the CER
(Levenshtein over NFC text with whitespace squashed, summed over pages, against
``gt_pages/pNN.txt``) and wall seconds per page; then it OCRs the same pages with
``ocrmypdf -l vie`` (one multi-page PDF per document, ``-j`` cores, CER from ``--sidecar``)
in the same run. It also reads the born-digital ``NAME.pdf`` files (CER ≈ 0, no OCR).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHITHI_SHARED", ROOT.parent / "shared")).resolve()
EXT = {"clean": "png", "mild": "jpg", "hard": "jpg"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(hyp: str, ref: str) -> tuple[int, int]:
    """(edit distance, reference length) over NFC text with whitespace squashed."""
    h, r = squash(hyp), squash(ref)
    return Levenshtein.distance(h, r), len(r)


def pages_of(level: str, limit: int | None) -> list[tuple[Path, Path]]:
    out: list[tuple[Path, Path]] = []
    for doc in sorted(p for p in (SHARED / "scans").iterdir() if p.is_dir()):
        for img in sorted((doc / level).glob(f"p*.{EXT[level]}")):
            out.append((img, doc / "gt_pages" / f"{img.stem}.txt"))
    return out[:limit] if limit else out


def _ours(img: str) -> tuple[str, float]:
    from ingest import read_document

    t = time.perf_counter()
    doc = read_document(Path(img), workers=1)
    return doc.text, time.perf_counter() - t


def run_ours(pages: list[tuple[Path, Path]], workers: int) -> tuple[float, float, list[float]]:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        outs = list(pool.map(_ours, [str(p) for p, _ in pages]))
    wall = time.perf_counter() - t0
    dist = total = 0
    per: list[float] = []
    for (text, _), (_, gt) in zip(outs, pages):
        d, n = cer(text, gt.read_text(encoding="utf-8"))
        dist, total = dist + d, total + n
        per.append(d / max(1, n))
    return dist / max(1, total), wall / max(1, len(pages)), per


def run_ocrmypdf(pages: list[tuple[Path, Path]], workers: int) -> tuple[float, float] | None:
    exe = shutil.which("ocrmypdf")
    if not exe:
        return None
    from PIL import Image

    by_doc: dict[Path, list[tuple[Path, Path]]] = {}
    for img, gt in pages:
        by_doc.setdefault(img.parent.parent, []).append((img, gt))
    dist = total = 0
    wall = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for doc, items in by_doc.items():
            src = Path(tmp) / f"{doc.name}.pdf"
            ims = [Image.open(p) for p, _ in items]
            dpi = 300.0 if "hard" not in str(items[0][0]) else 200.0
            ims = [im.convert("RGB") if im.mode not in ("L", "RGB") else im for im in ims]
            ims[0].save(src, save_all=True, append_images=ims[1:], resolution=dpi)
            side = Path(tmp) / f"{doc.name}.txt"
            t = time.perf_counter()
            subprocess.run([exe, "-q", "-l", "vie", "-j", str(workers), "--optimize", "0",
                            "--output-type", "pdf", "--sidecar", str(side), str(src),
                            str(Path(tmp) / f"{doc.name}.out.pdf")], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall += time.perf_counter() - t
            texts = side.read_text(encoding="utf-8").split("\f")
            for (_, gt), text in zip(items, texts):
                d, n = cer(text, gt.read_text(encoding="utf-8"))
                dist, total = dist + d, total + n
    return dist / max(1, total), wall / max(1, len(pages))


def run_born_digital(limit: int | None) -> tuple[float, float, int]:
    from ingest import read_document

    dist = total = 0
    t0 = time.perf_counter()
    ocr_pages = 0
    docs = sorted(p for p in (SHARED / "scans").iterdir() if p.is_dir())[: limit or None]
    for doc in docs:
        out = read_document(doc / f"{doc.name}.pdf")
        ocr_pages += sum(p.method == "ocr" for p in out.pages)
        d, n = cer(out.text, (doc / "gt.txt").read_text(encoding="utf-8"))
        dist, total = dist + d, total + n
    return dist / max(1, total), (time.perf_counter() - t0) / max(1, len(docs)), ocr_pages


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench ocr")
    ap.add_argument("--levels", default="clean,mild,hard")
    ap.add_argument("--limit", type=int, default=None, help="pages per level")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-ocrmypdf", action="store_true")
    args = ap.parse_args(argv)
    bd, secs, n_ocr = run_born_digital(args.limit)
    print(f"born-digital NAME.pdf: CER {bd:.4%}, {secs:.2f} s/document, OCR pages {n_ocr}")
    print(f"{'level':6} {'pages':>5} {'CER ours':>9} {'s/page':>7} {'worst':>7} "
          f"{'CER ocrmypdf':>13} {'s/page':>7}")
    for level in args.levels.split(","):
        pages = pages_of(level, args.limit)
        ours, sp, per = run_ours(pages, args.workers)
        theirs = None if args.no_ocrmypdf else run_ocrmypdf(pages, args.workers)
        t = f"{theirs[0]:13.2%} {theirs[1]:7.2f}" if theirs else f"{'n/a':>13} {'':>7}"
        print(f"{level:6} {len(pages):5d} {ours:9.2%} {sp:7.2f} {max(per):7.2%} {t}", flush=True)
    return 0
