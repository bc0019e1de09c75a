"""Score the header and reference extractors with the project scorer.

    python -m bench score_fields [--out DIR] [--show] [--verbose]

Runs ``nlp.header.extract_header`` and ``nlp.references.extract_references`` over
``../shared/seeds/*.txt`` and ``../shared/corpus/*.txt``, writes one prediction JSON per
document (``{"document": …, "references": […], "obligations": []}``, named like the gold
files) and runs ``../shared/tools/score.py`` on ``../shared/gold`` and ``../shared/gold-corpus``.
``--show`` prints every document's header and reference numbers (to check the corpus files
that have no gold).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from chithi.text import nfc

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHITHI_SHARED", ROOT.parent / "shared")).resolve()
FIELDS = ("type", "number", "date", "place", "issuer", "issuer_parent", "locality", "signer", "signer_title",
          "signing_form", "subject", "recipients")


def predict(text: str) -> dict:
    """The prediction JSON for one text (header fields and references, no obligations)."""
    from nlp.header import extract_header
    from nlp.references import extract_references

    header = extract_header(text)
    refs = extract_references(text, header=header)
    return {"document": header.model_dump(mode="json", include=set(FIELDS)),
            "references": [r.model_dump(mode="json", exclude={"spans"}) for r in refs], "obligations": []}


def write_predictions(out: Path) -> dict[str, dict]:
    """Predictions for every seed and corpus text, written to ``out/<set>/<stem>.json``."""
    preds = {}
    for sub in ("seeds", "corpus"):
        (out / sub).mkdir(parents=True, exist_ok=True)
        for path in sorted((SHARED / sub).glob("*.txt")):
            pred = predict(nfc(path.read_text(encoding="utf-8")))
            (out / sub / (path.stem + ".json")).write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
            preds[f"{sub}/{path.stem}"] = pred
    return preds


def score(gold: Path, pred: Path, *, verbose: bool = False) -> dict:
    """The scorer's JSON result for one gold set (and its verbose listing on stderr)."""
    cmd = [sys.executable, str(SHARED / "tools" / "score.py"), str(gold), str(pred), "--json"]
    result = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    if verbose:
        listing = subprocess.run(cmd[:-1] + ["--verbose"], capture_output=True, text=True, check=True).stdout
        print("\n".join(l for l in listing.splitlines() if "obligation" not in l and not l.startswith(
            ("obligations", "lead", "support", "report_to", "deadlines", "task_list"))), file=sys.stderr)
    return result


def run(out: Path, *, verbose: bool = False, show: bool = False) -> dict[str, dict]:
    preds = write_predictions(out)
    if show:
        for key, pred in preds.items():
            doc = pred["document"]
            print(key, json.dumps({k: doc[k] for k in ("type", "number", "date", "issuer", "signer", "locality")}, ensure_ascii=False))
            print("    subject:", doc["subject"])
            print("    refs:", [(r["number"] or r["title"], r["type"], r["relation"]) for r in pred["references"]])
    results = {}
    for name, gold, sub in (("seeds", SHARED / "gold", "seeds"), ("gold-corpus", SHARED / "gold-corpus", "corpus")):
        r = score(gold, out / sub, verbose=verbose)
        results[name] = {"document_fields_accuracy": r["document_fields_accuracy"], "references": r["references"]}
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench score_fields", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="where to write predictions (default: a temporary directory)")
    ap.add_argument("--show", action="store_true", help="print every document's fields and references")
    ap.add_argument("--verbose", action="store_true", help="print the scorer's misses")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args.out or Path(tmp), verbose=args.verbose, show=args.show)
    for name, r in results.items():
        ref = r["references"]
        print(f"{name:12s} document_fields_accuracy {r['document_fields_accuracy']:.3f}   references "
              f"P {ref['precision']:.3f} R {ref['recall']:.3f} F1 {ref['f1']:.3f} (gold {ref['gold']}, predicted {ref['predicted']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
