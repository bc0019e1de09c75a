"""Scale benchmark: ``python -m bench scale [--scans 3] [--docs 300] [--seconds 15]``.

1. OCR + extraction throughput (pages per minute) over the seed scans on PostgreSQL, with the
   in-process worker (the default, no broker) and with 1 and 2 Celery workers (``-P solo``,
   Redis broker), each run on a fresh database; then one long scan with OCR on one process
   vs. the default pool (one process per core): the page-level parallelism a document
   already gets, i.e. what spreading one scan's pages over workers could add.
2. Task-list latency p50/p95 with 1 and 2 ``uvicorn`` server processes over one PostgreSQL
   archive of ``--docs`` documents, under the same load: ``--clients`` threads asking for
   random agencies' task lists (spread over the servers) while a writer changes a task's
   status every 0.25 s through alternating servers (so each server catches up on changes
   made by the other).

Everything runs on loopback; PostgreSQL (``--pg``, an admin URL) and Redis (``--redis``)
must be up. Numbers depend on the machine's load: the clients share the cores.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHITHI_SHARED", ROOT.parent / "shared")).resolve()
BIN = Path(sys.executable).parent
SCANS = ["003_eed262d47ec8172b", "001_661c5678babd9a22", "000_21443e2534a4d336",
         "002_b9256b626c0d84a5", "004_ab66ba41325aaf9c"]


@contextmanager
def _database(admin_url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"chithi_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(drivername="postgresql+psycopg",
                                      database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _Procs:
    def __init__(self, folder: Path) -> None:
        self.folder, self.procs = folder, []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("wb")
        proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((proc, self.folder / f"{name}.log"))
        return proc

    def wait_log(self, proc: subprocess.Popen, needle: str, timeout: float = 90) -> None:
        log = next(path for p, path in self.procs if p is proc)
        deadline = time.monotonic() + timeout
        while needle not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{proc.args[:3]}: no {needle!r}\n"
                                   f"{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        for proc, _ in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc, _ in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs = []


# --- 1. OCR + extraction throughput -----------------------------------------------------

def _ocr_run(label: str, files: list[Path], *, workers: int, ocr_workers: int, pg: str,
             redis: str, tmp: Path) -> dict:
    from services.archive import Archive
    from services.celery_app import WorkerSettings

    with _database(pg) as url:
        home, queue = tmp / f"home-{uuid.uuid4().hex[:6]}", f"chithi-bench-{uuid.uuid4().hex[:8]}"
        env = {"CHITHI_HOME": str(home), "CHITHI_DB": url, "CHITHI_BROKER": redis,
               "CHITHI_QUEUE": queue, "CHITHI_OCR_WORKERS": str(ocr_workers)}
        settings = WorkerSettings(home=home, db=url, broker=redis if workers else None,
                                  queue=queue, ocr_workers=ocr_workers)
        procs = _Procs(tmp)
        with Archive(settings) as archive:
            try:
                for i in range(workers):
                    procs.start(f"{label}-w{i}", [
                        str(BIN / "celery"), "-A", "services.celery_app", "worker",
                        "--concurrency", "1", "-P", "solo", "-n", f"bench{i}-{queue}@%h",
                        "--without-gossip", "--without-mingle", "--loglevel", "INFO"], env)
                for proc, _ in list(procs.procs):
                    procs.wait_log(proc, "ready.")
                started = time.monotonic()
                receipts = [archive.submit_upload(f.read_bytes(), f.name) for f in files]
                if not workers:
                    archive.start_worker(poll_s=0.05, heartbeat_s=1.0)
                while True:
                    infos = [archive.get_job(r.job_id) for r in receipts]
                    if all(i.state in ("done", "failed") for i in infos):
                        break
                    if time.monotonic() - started > 900:
                        raise RuntimeError(f"{label}: not done after 900 s: {infos}")
                    time.sleep(0.1)
                seconds = time.monotonic() - started
            finally:
                procs.stop()
        failed = [i for i in infos if i.state != "done"]
        pages = sum(i.pages_total or 0 for i in infos)
        return {"run": label, "documents": len(files), "pages": pages, "failed": len(failed),
                "seconds": round(seconds, 1), "pages_per_min": round(pages / seconds * 60, 1)}


def ocr_bench(args, tmp: Path) -> list[dict]:
    files = [SHARED / "scans" / s / f"{s}_imageonly.pdf" for s in SCANS[:args.scans]]
    runs = [("in-process worker", 0, 0), ("1 celery worker", 1, 0), ("2 celery workers", 2, 0)]
    out = []
    for label, workers, ocr in runs:
        out.append(_ocr_run(label, files, workers=workers, ocr_workers=ocr, pg=args.pg,
                            redis=args.redis, tmp=tmp))
        print(json.dumps(out[-1], ensure_ascii=False), flush=True)
    long_scan = [SHARED / "scans" / SCANS[-1] / f"{SCANS[-1]}_imageonly.pdf"]
    for label, ocr in (("one scan, OCR on 1 process", 1), ("one scan, OCR pool (default)", 0)):
        out.append(_ocr_run(label, long_scan, workers=0, ocr_workers=ocr, pg=args.pg,
                            redis=args.redis, tmp=tmp))
        print(json.dumps(out[-1], ensure_ascii=False), flush=True)
    return out


# --- 2. task-list latency with 1 and 2 servers ------------------------------------------

def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def _fill(url: str, home: Path, n: int) -> str:
    from bench.api import _seeds, _variant
    from chithi.settings import Settings
    from services.api_support import import_extracted
    from services.archive import Archive

    seeds, rng = _seeds(), random.Random(7)
    with Archive(Settings(home=home, db=url)) as archive:
        for lo in range(0, n, 250):
            import_extracted(archive, [_variant(i, seeds[i % len(seeds)], rng)
                                       for i in range(lo, min(n, lo + 250))])
        return archive.create_key("admin")


def _serve(procs: _Procs, n: int, env: dict[str, str]) -> list[str]:
    import httpx

    urls = []
    for i in range(n):
        port = _port()
        procs.start(f"api{i}", [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                                "--host", "127.0.0.1", "--port", str(port), "--log-level",
                                "warning"], env)
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start")
            time.sleep(0.2)
    return urls


def _load(urls: list[str], key: str, *, clients: int, seconds: float) -> dict:
    import httpx

    head = {"X-API-Key": key}
    with httpx.Client(headers=head, timeout=120) as http:
        for url in urls:  # every server loads its graph before the clock starts
            got = http.get(url + "/api/v1/agencies", params={"size": 500}).json()
        agencies = [a["id"] for a in got["items"] if a["open_tasks"] > 0]
        task = http.get(f"{urls[0]}/api/v1/agencies/{agencies[0]}/tasks",
                        params={"size": 1}).json()["items"][0]
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors = [0]
    writes = [0]

    def client(n: int) -> None:
        rng = random.Random(n)
        with httpx.Client(headers=head, timeout=120) as http:
            i = n
            while time.monotonic() < stop:
                url = urls[i % len(urls)]
                i += 1
                t = time.perf_counter()
                r = http.get(f"{url}/api/v1/agencies/{rng.choice(agencies)}/tasks",
                             params={"size": 50})
                times.append(time.perf_counter() - t)
                errors[0] += r.status_code != 200

    def writer() -> None:
        from urllib.parse import quote

        path = f"/api/v1/agencies/{agencies[0]}/tasks/{quote(task['obligation_id'], safe='')}/status"
        with httpx.Client(headers=head, timeout=120) as http:
            i = 0
            while time.monotonic() < stop:
                status = ("in_progress", "done")[i % 2]
                errors[0] += http.put(urls[i % len(urls)] + path,
                                      json={"status": status}).status_code != 200
                writes[0] += 1
                i += 1
                time.sleep(0.25)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": len(times), "errors": errors[0], "status_writes": writes[0],
            "req_per_s": round(len(times) / seconds, 1),
            "p50_ms": round(_pct(times, 0.50) * 1000, 1),
            "p95_ms": round(_pct(times, 0.95) * 1000, 1)}


def api_bench(args, tmp: Path) -> list[dict]:
    out = []
    with _database(args.pg) as url:
        home = tmp / "api-home"
        started = time.monotonic()
        key = _fill(url, home, args.docs)
        print(json.dumps({"archive_documents": args.docs,
                          "build_s": round(time.monotonic() - started, 1)}), flush=True)
        env = {"CHITHI_HOME": str(home), "CHITHI_DB": url, "CHITHI_BROKER": ""}
        for servers in (1, 2):
            procs = _Procs(tmp)
            try:
                urls = _serve(procs, servers, env)
                row = {"servers": servers, "clients": args.clients, "seconds": args.seconds,
                       **_load(urls, key, clients=args.clients, seconds=args.seconds)}
            finally:
                procs.stop()
            out.append(row)
            print(json.dumps(row), flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=3, help="seed scans to OCR per run (1-5)")
    parser.add_argument("--docs", type=int, default=300, help="documents in the API archive")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--pg", default=os.environ.get(
        "CHITHI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis", default=os.environ.get(
        "CHITHI_TEST_REDIS", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--skip-api", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chithi-bench-scale-") as tmp:
        report = {"cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
        if not args.skip_ocr:
            report["ocr"] = ocr_bench(args, Path(tmp))
        if not args.skip_api:
            report["task_lists"] = api_bench(args, Path(tmp))
        report["load_after"] = os.getloadavg()[0]
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0
