"""``read_document``: any supported file → :class:`chithi.models.DocumentText`.

Order of work: size checks and sniffing, then the parser's plan (page count and image
size limits are enforced here, before any rendering or OCR), then the OCR jobs in a process
pool (one page per task), then the pages joined by a form feed with offsets for every word.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

import numpy as np

from chithi.errors import ChithiError, CorruptFile, EmptyInput, ProcessingTimeout
from chithi.models import BBox, DocumentText, Page, Word
from ingest import ocr
from ingest.parsers import ImageJob, Plan, TextJob, choose, open_pdf
from ingest.repair import impossible_dates


def load_image(job: ImageJob) -> tuple[np.ndarray, int]:
    """The page image (RGB or grey array) and its dpi."""
    from PIL import Image, ImageOps

    from ingest.preprocess import guess_dpi

    if job.kind == "pdf":
        doc = open_pdf(job.path)
        try:
            pil = doc[job.index].render(scale=(job.dpi or 300) / 72).to_pil()
        finally:
            doc.close()
        return np.asarray(pil.convert("RGB")), int(job.dpi or 300)
    Image.MAX_IMAGE_PIXELS = None  # the parser checked the size from the header
    with Image.open(job.path) as img:
        img.seek(job.index)
        if job.index == 0:
            img = ImageOps.exif_transpose(img)
        img = img.convert("L" if img.mode in ("1", "L", "I;16", "I", "F") else "RGB")
        arr = np.asarray(img)
    return arr, guess_dpi(arr.shape[1], arr.shape[0], job.dpi)


def _run_job(job: ImageJob, deadline: float) -> ocr.OcrPage:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        image, dpi = load_image(job)
    except ChithiError:
        raise
    except Exception as exc:  # noqa: BLE001 - a page that cannot be decoded is a corrupt file
        raise CorruptFile(f"page {job.index + 1} cannot be decoded: {exc}") from exc
    return ocr.ocr_page(image, dpi=dpi, timeout=max(1.0, deadline - time.time()))


def read_document(source: Path | bytes, *, filename: str | None = None, max_pages: int = 200,
                  timeout_s: float = 900.0, workers: int = 0,
                  progress: Callable[[int, int], None] | None = None,
                  max_image_pixels: int = 120_000_000) -> DocumentText:
    """Read a PDF (text layer or scanned), an image (PNG/JPEG/TIFF) or a plain-text file."""
    start = time.time()
    deadline = start + timeout_s
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        filename = filename or path.name
        data = path.read_bytes()
    if not data:
        raise EmptyInput("the file is empty")
    parser = choose(data[:8192], filename=filename)
    with tempfile.TemporaryDirectory(prefix="chithi-ingest-") as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        plan = parser.plan(path, data, max_pages=max_pages, max_image_pixels=max_image_pixels)
        images = [j for j in plan.jobs if isinstance(j, ImageJob)]
        if images:
            ocr.check_tesseract()
        results = _run_all(plan, deadline=deadline, workers=workers, progress=progress)
    return _assemble(plan, results, data=data, filename=filename)


def _run_all(plan: Plan, *, deadline: float, workers: int,
             progress: Callable[[int, int], None] | None) -> list[TextJob | ocr.OcrPage]:
    total = len(plan.jobs)
    results: list[TextJob | ocr.OcrPage | None] = [j if isinstance(j, TextJob) else None for j in plan.jobs]
    done = sum(r is not None for r in results)
    if progress and done:
        progress(done, total)
    todo = [i for i, j in enumerate(plan.jobs) if isinstance(j, ImageJob)]
    n = min(len(todo), workers or os.cpu_count() or 1)
    if n <= 1:
        for i in todo:
            if time.time() > deadline:
                raise ProcessingTimeout(f"stopped after {done} of {total} pages")
            results[i] = _guard(lambda: _run_job(plan.jobs[i], deadline), done, total)
            done += 1
            if progress:
                progress(done, total)
        return results  # type: ignore[return-value]
    pool = ProcessPoolExecutor(max_workers=n)
    try:
        futures: dict[Future, int] = {pool.submit(_run_job, plan.jobs[i], deadline): i for i in todo}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=max(0.0, deadline - time.time()),
                                     return_when=FIRST_COMPLETED)
            if not finished:
                raise ProcessingTimeout(f"stopped after {done} of {total} pages")
            for fut in finished:
                results[futures[fut]] = _guard(fut.result, done, total)
                done += 1
                if progress:
                    progress(done, total)
    except BaseException:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()  # our own workers: a hung page must not outlive the call
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results  # type: ignore[return-value]


def _guard(call: Callable[[], ocr.OcrPage], done: int, total: int) -> ocr.OcrPage:
    try:
        return call()
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise ProcessingTimeout(f"OCR timed out after {done} of {total} pages") from exc
        raise


def _assemble(plan: Plan, results: list, *, data: bytes, filename: str | None) -> DocumentText:
    pages: list[Page] = []
    texts: list[str] = []
    warnings = list(plan.warnings)
    pos = 0
    for number, (job, res) in enumerate(zip(plan.jobs, results), start=1):
        if number > 1:
            pos += 1  # the form feed
        if isinstance(res, TextJob):
            words = _text_words(res, pos)
            page = Page(number=number, start=pos, end=pos + len(res.text), method=res.method,
                        width=res.width, height=res.height, dpi=res.dpi, words=words)
            text = res.text
        else:
            text = res.text
            words = [Word(text=w.text, start=pos + w.start, end=pos + w.end,
                          bbox=BBox(x0=w.bbox[0], y0=w.bbox[1], x1=w.bbox[2], y1=w.bbox[3]),
                          conf=round(w.conf, 4)) for w in res.words]
            conf = None if res.confidence is None else round(res.confidence, 4)
            page = Page(number=number, start=pos, end=pos + len(text), method="ocr",
                        width=res.width, height=res.height, dpi=res.dpi, rotation=res.rotation,
                        confidence=conf, words=words, seconds=round(res.seconds, 3),
                        needs_review=conf is None or conf < ocr.REVIEW_BELOW)
            warnings += [f"page {number}: {r}" for r in res.repairs]
            warnings += [f"page {number}: {r}" for r in impossible_dates([w.text for w in res.words])]
            if page.needs_review:
                warnings.append(f"page {number}: low OCR confidence ({conf}), needs review")
        pages.append(page)
        texts.append(text)
        pos += len(text)
    return DocumentText(text="\f".join(texts), pages=pages, source_kind=plan.source_kind,
                        media_type=plan.media_type, encoding=plan.encoding,
                        sha256=hashlib.sha256(data).hexdigest(), filename=filename,
                        warnings=warnings)


def _text_words(job: TextJob, offset: int) -> list[Word]:
    """Words of a text page: the PDF's words with boxes (points), else whitespace tokens."""
    import re

    if job.words:
        return [Word(text=t, start=offset + a, end=offset + b,
                     bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]))
                for t, a, b, box in job.words]
    return [Word(text=m.group(0), start=offset + m.start(), end=offset + m.end())
            for m in re.finditer(r"\S+", job.text)]
