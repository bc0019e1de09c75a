"""Extraction benchmark: speed, and scores from text and from scans.

    python -m bench extract                     # speed + scores on the text inputs
    python -m bench extract --scans clean,mild,hard,pdf,imageonly   # + scores from the seed scans

Speed: ``nlp.extract`` over the seeds and the corpus on one core after the models are loaded,
reported in pages per second, a page being the mean characters per page of the seed scans'
ground truth (``../shared/scans/*/gt_pages``).

Scores: ``../shared/tools/score.py`` on ``../shared/gold`` (seeds) and ``../shared/gold-corpus``
from the text files; with ``--scans``, the seeds read from their scans (each level's page images
as one multi-page document, the born-digital PDF, the image-only PDF) through ``ingest`` and
scored against the same gold, so the OCR's cost in extraction quality is measured.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHITHI_SHARED", ROOT.parent / "shared")).resolve()
SCORER = SHARED / "tools" / "score.py"


def _score(gold: Path, pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _summary(scores: dict) -> str:
    keys = ("task_list_f1", "obligations", "lead", "deadlines", "references", "document_fields_accuracy")
    parts = []
    for k in keys:
        v = scores[k]
        parts.append(f"{k.replace('_accuracy', '')}={v['f1'] if isinstance(v, dict) else v:.3f}")
    return "  ".join(parts)


def speed() -> None:
    import nlp

    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus").glob("*.txt"))]
    gt_pages = sorted(SHARED.glob("scans/*/gt_pages/*.txt"))
    per_page = sum(len(p.read_text(encoding="utf-8")) for p in gt_pages) / max(1, len(gt_pages)) or 2500
    nlp.extract(texts[0])  # load models and lexicons once
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    for text in texts:
        nlp.extract(text)
    seconds = time.perf_counter() - start
    pages = chars / per_page
    print(f"speed: {len(texts)} documents, {chars} characters = {pages:.0f} pages of {per_page:.0f} characters, "
          f"{seconds:.2f} s on one core -> {pages / seconds:.1f} pages/s")


def text_scores(out: Path) -> None:
    import nlp

    for src, gold in (("seeds", "gold"), ("corpus", "gold-corpus")):
        d = out / f"text-{gold}"
        d.mkdir(parents=True, exist_ok=True)
        for g in sorted((SHARED / gold).glob("*.json")):
            text = (SHARED / src / f"{g.stem}.txt").read_text(encoding="utf-8")
            (d / g.name).write_text(nlp.extract(text, file=f"{g.stem}.txt").to_json(), encoding="utf-8")
        print(f"text  {gold:12s} {_summary(_score(SHARED / gold, d))}")


def _as_tiff(pages: list[Path], dest: Path) -> Path:
    from PIL import Image

    images = [Image.open(p) for p in pages]
    images[0].save(dest, save_all=True, append_images=images[1:], compression="tiff_lzw")
    return dest


def scan_scores(out: Path, levels: list[str]) -> None:
    import ingest
    import nlp

    for level in levels:
        d = out / f"scan-{level}"
        d.mkdir(parents=True, exist_ok=True)
        start, pages = time.perf_counter(), 0
        for g in sorted((SHARED / "gold").glob("*.json")):
            folder = SHARED / "scans" / g.stem
            if level == "pdf":
                source = folder / f"{g.stem}.pdf"
            elif level == "imageonly":
                source = folder / f"{g.stem}_imageonly.pdf"
            else:
                images = sorted((folder / level).glob("p*.*"))
                source = _as_tiff(images, out / f"{g.stem}-{level}.tif")
            doc = ingest.read_document(source, filename=source.name)
            pages += len(doc.pages)
            (d / g.name).write_text(nlp.extract(doc, file=source.name).to_json(), encoding="utf-8")
        seconds = time.perf_counter() - start
        print(f"scan  {level:10s}   {_summary(_score(SHARED / 'gold', d))}  ({pages} pages, {seconds:.0f} s)")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench extract", description=__doc__.splitlines()[0])
    ap.add_argument("--scans", default="", help="comma list of clean,mild,hard,pdf,imageonly")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--out", type=Path, help="keep the predictions here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        if not args.no_speed:
            speed()
        text_scores(out)
        if args.scans:
            scan_scores(out, [s for s in args.scans.split(",") if s])
    return 0
