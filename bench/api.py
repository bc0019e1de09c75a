"""API load benchmark: ``python -m bench api --docs 10000 [--concurrency 16] [--requests 400]``.

1. Builds an archive of N documents fast: the five seeds are extracted once for real, then
   N variants (another province, number, date and deadlines) are stored through the service
   layer (``services.api_support.import_extracted``) without running OCR/NLP again.
2. Starts a real ``chithi serve`` on loopback, waits for the knowledge graph to load.
3. Fires task-list and obligation-search requests with asyncio + httpx at a fixed
   concurrency (bounded by --requests per kind and --seconds), prints p50/p95/max and req/s.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ["Hà Giang", "Cao Bằng", "Lào Cai", "Yên Bái", "Sơn La", "Hòa Bình", "Thái Nguyên",
             "Bắc Giang", "Quảng Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Nam Định",
             "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị",
             "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận",
             "Kon Tum", "Gia Lai", "Đắk Lắk", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Long An",
             "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang",
             "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau"]
SEED_PLACES = ["Sóc Trăng", "Thanh Hóa", "Giồng Riềng", "Kon Tum"]
QUERIES = ["so noi vu", '"Sở Nội vụ"', "bao cao", "cai cach hanh chinh", "ky luat ky cuong",
           "thanh tra", "phong chong tham nhung", "van phong uy ban nhan dan", "tong hop ket qua"]


def _seeds():
    import ingest
    import nlp

    out = []
    for path in sorted((ROOT / "corpora").glob("*.txt")):
        doc = ingest.read_document(path, filename=path.name)
        out.append((path.name, doc, nlp.extract(doc, file=path.name)))
    return out


def _variant(i: int, seed, rng: random.Random):
    from chithi.models import DocumentText, Extraction
    from chithi.text import slug

    name, doc, extraction = seed
    province = PROVINCES[i % len(PROVINCES)]
    text, data = doc.text, extraction.model_dump_json()
    for place in SEED_PLACES:
        text = text.replace(place, province)
        data = data.replace(place, province).replace(slug(place), slug(province))
    ex = Extraction.model_validate_json(data)
    day = date(2020, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    shift = day.year - int((extraction.document.date or "2018")[:4])
    ex.document.number = f"{i + 1}/{(ex.document.number or 'CT-UBND').split('/', 1)[-1]}"
    ex.document.date = day.isoformat()
    for ob in ex.obligations:
        for d in ob.deadlines:
            if d.kind == "date" and d.date:
                try:
                    d.date = date.fromisoformat(d.date).replace(year=int(d.date[:4]) + shift).isoformat()
                except ValueError:
                    pass
    text = f"{text}\n\n(bản số {i + 1})"
    pages = [{**p.model_dump(), "words": []} for p in doc.pages]  # no word boxes: smaller rows
    dt = DocumentText.model_validate({**doc.model_dump(), "text": text, "pages": pages})
    return text.encode("utf-8"), f"{i + 1:05d}_{name}", dt, ex


def build(home: Path, n: int, *, batch: int = 500) -> dict:
    from chithi.settings import Settings
    from services.api_support import import_extracted
    from services.archive import Archive

    started = time.monotonic()
    seeds = _seeds()
    rng = random.Random(7)
    with Archive(Settings(home=home)) as archive:
        have = archive.count_documents()
        for lo in range(have, n, batch):
            import_extracted(archive, [_variant(i, seeds[i % len(seeds)], rng)
                                       for i in range(lo, min(n, lo + batch))])
        key = archive.create_key("legal")
        total = archive.count_documents()
    return {"documents": total, "build_s": round(time.monotonic() - started, 1), "key": key}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


async def _load(url: str, key: str, *, concurrency: int, requests: int, seconds: float) -> dict:
    import httpx

    headers = {"X-API-Key": key}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as http:
        agencies, page = [], 1
        while True:
            got = (await http.get("/api/v1/agencies", params={"size": 500, "page": page})).json()
            agencies += [a["id"] for a in got["items"] if a["open_tasks"] > 0]
            if page * 500 >= got["total"]:
                break
            page += 1
        rng = random.Random(11)
        jobs = ([("tasks", f"/api/v1/agencies/{rng.choice(agencies)}/tasks", {"size": 50})
                 for _ in range(requests)] +
                [("search", "/api/v1/obligations", {"q": rng.choice(QUERIES), "size": 20})
                 for _ in range(requests * 3 // 4)] +
                [("search_agency", "/api/v1/obligations",
                  {"agency": rng.choice(agencies), "due_from": "2025-01-01", "size": 20})
                 for _ in range(requests // 4)])
        rng.shuffle(jobs)
        queue: asyncio.Queue = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        times: dict[str, list[float]] = {}
        errors: dict[str, int] = {}
        stop_at = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < stop_at:
                try:
                    kind, path, params = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t0 = time.perf_counter()
                try:
                    r = await http.get(path, params=params)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    times.setdefault(kind, []).append(time.perf_counter() - t0)
                else:
                    errors[kind] = errors.get(kind, 0) + 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.monotonic() - started
    done = sum(len(v) for v in times.values())
    return {"agencies_with_tasks": len(agencies), "concurrency": concurrency,
            "requests_done": done, "errors": errors, "seconds": round(wall, 1),
            "req_per_s": round(done / wall, 1) if wall else None,
            "latency_ms": {k: {"n": len(v), "p50": round(_pct(v, .5) * 1000, 1),
                               "p95": round(_pct(v, .95) * 1000, 1),
                               "mean": round(statistics.fmean(v) * 1000, 1),
                               "max": round(max(v) * 1000, 1)} for k, v in sorted(times.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench api", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--home", type=Path, help="archive folder (kept; default: a temp dir)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=400, help="task-list requests (search: as many)")
    parser.add_argument("--seconds", type=float, default=120.0, help="stop the load after this")
    args = parser.parse_args(argv)
    tmp = None if args.home else tempfile.TemporaryDirectory(prefix="chithi-bench-")
    home = args.home or Path(tmp.name) / "home"
    report: dict = {"docs": args.docs}
    built = build(home, args.docs)
    key = built.pop("key")
    report.update(built)
    port = _port()
    env = {**os.environ, "CHITHI_HOME": str(home)}
    log = open(home / "serve.log", "ab")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("chithi")), "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        t0 = time.monotonic()
        while True:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() - t0 > 120:
                raise SystemExit("chithi serve did not start; see " + str(home / "serve.log"))
            time.sleep(0.2)
        report["startup_s"] = round(time.monotonic() - t0, 1)
        t0 = time.monotonic()  # the first graph query builds the graph from the database
        httpx.get(url + "/api/v1/agencies", params={"size": 1}, headers={"X-API-Key": key}, timeout=600)
        report["graph_load_s"] = round(time.monotonic() - t0, 1)
        report["load"] = asyncio.run(_load(url, key, concurrency=args.concurrency,
                                           requests=args.requests, seconds=args.seconds))
        report["server_rss_mb"] = _rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        if tmp is not None:
            tmp.cleanup()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
