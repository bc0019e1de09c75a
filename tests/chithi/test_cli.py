"""The command line as a new user runs it: extract → JSON the scorer reads; ingest a folder,
then an agency's task list across provinces; bad files are reported with their code."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "chithi.cli"]


def run(*args, env=None, check=True):
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, env=env, check=check,
                          timeout=600)


def test_extract_writes_json_the_scorer_reads(tmp_path, shared):
    seeds = sorted((shared / "seeds").glob("*.txt"))
    run("extract", *map(str, seeds), "--out", str(tmp_path))
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == [p.stem for p in seeds]
    out = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(shared / "gold"), str(tmp_path),
                          "--json"], capture_output=True, text=True, check=True).stdout
    scores = json.loads(out)
    assert scores["task_list_f1"] >= 0.9 and scores["references"]["f1"] >= 0.95, scores
    one = json.loads((tmp_path / f"{seeds[2].stem}.json").read_text(encoding="utf-8"))
    first = one["obligations"][0]
    text = seeds[2].read_text(encoding="utf-8")
    # provenance: the span points at the item's text in the document
    assert text[first["span"]["start"]:first["span"]["end"]].split()[0] == first["text"].split()[0]


def test_extract_one_file_prints_json_to_stdout(shared):
    out = run("extract", str(shared / "seeds" / "004_ab66ba41325aaf9c.txt")).stdout
    data = json.loads(out)
    assert data["document"]["type"] == "Chỉ thị" and data["obligations"]


def test_ingest_then_tasks_keeps_two_provinces_apart(tmp_path, root):
    env = {**os.environ, "CHITHI_HOME": str(tmp_path / "home")}
    (tmp_path / "in").mkdir()
    for p in (root / "corpora").glob("*.txt"):
        (tmp_path / "in" / p.name).write_bytes(p.read_bytes())
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    result = run("ingest", str(tmp_path / "in"), env=env, check=False)
    assert result.returncode == 1  # one bad file: non-zero, the others still went in
    assert "broken.pdf" in result.stderr and "E103" in result.stderr
    assert "5 added" in result.stderr
    again = run("ingest", str(tmp_path / "in" / "002_b9256b626c0d84a5.txt"), env=env)
    assert "1 already in the archive" in again.stderr
    lists = json.loads(run("tasks", "so noi vu", "--format", "json", env=env).stdout)
    names = sorted(item["agency"]["name"] for item in lists)
    assert names == ["Sở Nội vụ tỉnh Kon Tum", "Sở Nội vụ tỉnh Sóc Trăng"]
    kon_tum = next(item for item in lists if "Kon Tum" in item["agency"]["name"])
    freqs = {(d["freq"], d["day"], d["month"]) for t in kon_tum["tasks"] for d in t["deadlines"] if d["kind"] == "recurring"}
    assert ("MONTHLY", 10, None) in freqs and ("YEARLY", 10, 11) in freqs
    assert all(t["document_id"] for t in kon_tum["tasks"])
    csv_out = run("tasks", "UBND tỉnh Kon Tum", "--format", "csv", env=env).stdout
    assert csv_out.splitlines()[0].startswith("agency,role")
