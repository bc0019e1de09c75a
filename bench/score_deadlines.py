"""Score ``nlp.deadlines.find_deadlines`` on the gold quotes: ``python -m bench score_deadlines``.

For every gold obligation of ``../shared/gold`` and ``../shared/gold-corpus``, run
``find_deadlines(quote, doc_date=<gold document date>)`` and compare the set of deadline keys
(a date, ``(freq, day, month)`` or a relative count of days) with the gold ones. A gold
deadline whose phrase is not in the quote (inherited from a heading, a block or a table
column: the obligation extractor's job) is counted apart and left out of the score. A gold
deadline is taken to be in the quote when the folded quote holds a hint of it: its year, its
day/month, its frequency word or its count of days. Predictions that equal an inherited gold
deadline are neither right nor wrong here.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from chithi.text import fold
from nlp.deadlines import find_deadlines

ROOT = Path(__file__).resolve().parents[1]
UNIT = {"DAILY": "ngay", "WEEKLY": "tuan", "MONTHLY": "thang", "QUARTERLY": "quy", "YEARLY": "nam"}


def gold_keys(obl: dict) -> set[tuple]:
    raw = obl.get("deadlines", obl.get("deadline"))
    if raw is None:
        return set()
    out = set()
    for d in [raw] if isinstance(raw, dict) else raw:
        if d.get("date"):
            out.add(("date", d["date"][:10]))
        elif d.get("freq"):
            out.add(("every", d["freq"], d.get("day"), d.get("month")))
        elif d.get("relative_days") is not None:
            out.add(("relative", int(d["relative_days"])))
    return out


def pred_keys(deadlines) -> set[tuple]:
    out = set()
    for d in deadlines:
        if d.kind == "date":
            out.add(("date", d.date))
        elif d.kind == "recurring":
            out.add(("every", d.freq, d.day, d.month))
        else:
            out.add(("relative", d.relative_days))
    return out


# Gold deadlines that the notes say come from the block although the quote names their year
# for another purpose (notes/027.md: "ngân sách … đã giao năm 2025 names a budget year").
NOTED_INHERITED = {("027.json", "II.4.1")}


def in_quote(key: tuple, quote: str) -> bool:
    q = fold(quote)
    if key[0] == "date":
        y, m, d = (int(x) for x in key[1].split("-"))
        q = re.sub(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}",
                   lambda x: x[0] if re.search(rf"^\D*0?{d}\D+0?{m}\D+{y}$", x[0]) else " ", q)
        return bool(re.search(rf"(?<!\d){y}(?!\d)", q) or re.search(rf"(?<!\d)0?{d}\s*/\s*0?{m}(?!\d)", q)
                    or re.search(rf"ngay\s*0?{d}\s*thang\s*0?{m}(?!\d)", q))
    if key[0] == "every":
        return bool(re.search(rf"\bhang\s+{UNIT[key[1]]}\b", q))
    return bool(re.search(rf"(?<!\d)0?{key[1]}(?!\d)", q)) or "gio" in q


def score(gold_dir: Path, *, verbose: bool = True) -> dict:
    tp = fp = fn = inherited = n_obl = 0
    misses: list[str] = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        doc_date = (gold.get("document") or {}).get("date")
        for obl in gold.get("obligations", []):
            n_obl += 1
            quote = obl.get("quote") or ""
            g = gold_keys(obl)
            noted = (path.name, obl.get("section")) in NOTED_INHERITED
            own = {k for k in g if in_quote(k, quote) and not noted}
            inh = g - own
            inherited += len(inh)
            p = pred_keys(find_deadlines(quote, doc_date=doc_date)) - inh
            tp += len(p & own)
            fp += len(p - own)
            fn += len(own - p)
            if p != own:
                misses.append(f"{path.name} {obl.get('section')}: gold {sorted(own, key=str)} "
                              f"pred {sorted(p, key=str)}")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"set": gold_dir.name, "obligations": n_obl, "tp": tp, "fp": fp, "fn": fn,
            "inherited": inherited, "precision": round(prec, 3), "recall": round(rec, 3),
            "f1": round(f1, 3), "misses": misses}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench score_deadlines")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    for name in ("gold", "gold-corpus"):
        r = score(args.shared / name)
        print(f"{r['set']:12} obligations {r['obligations']:4}  P {r['precision']:.3f}  R {r['recall']:.3f}  "
              f"F1 {r['f1']:.3f}  (tp {r['tp']} fp {r['fp']} fn {r['fn']}; inherited, not scored: {r['inherited']})")
        if not args.quiet:
            for line in r["misses"]:
                print("   ", line)
    return 0
