"""Score the extractor against the Dazu gold and time it.

    .venv/bin/python scripts/bench_extract.py [--shared ../shared] [--show-errors KIND]

Prints precision/recall per quantity kind (a match is an overlapping span of the
same kind whose value equals the gold value within relative tolerance 1e-6),
docno/title scores where those extractors exist, the same on the PDF where
ingest exists (matching by text, since PDF offsets differ), timings, and the
anchors jionlp (extract_money) and cn2an where installed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.extract.quantities import find_quantities  # noqa: E402

MAIN_KINDS = ("money", "count", "percent", "area")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def values_equal(a: object, b: object) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    return a == b


def matches(predicted: dict, gold: dict, by_text: bool = False) -> bool:
    if predicted["kind"] != gold["kind"] or not values_equal(predicted["value"], gold["value"]):
        return False
    if by_text:
        return predicted["text"] == gold["text"]
    return predicted["start"] < gold["end"] and gold["start"] < predicted["end"]


def score(predicted: list[dict], gold: list[dict], kinds: set[str], by_text: bool = False) -> dict[str, tuple]:
    """Per kind: (tp, n_pred, n_gold, precision, recall). One-to-one greedy matching in text order."""
    result = {}
    for kind in sorted(kinds):
        preds = [p for p in predicted if p["kind"] == kind]
        golds = [g for g in gold if g["kind"] == kind]
        used: set[int] = set()
        tp = 0
        for p in preds:
            for i, g in enumerate(golds):
                if i not in used and matches(p, g, by_text):
                    used.add(i)
                    tp += 1
                    break
        precision = tp / len(preds) if preds else 1.0
        recall = tp / len(golds) if golds else 1.0
        result[kind] = (tp, len(preds), len(golds), precision, recall)
    return result


def quantity_dicts(quantities) -> list[dict]:
    return [
        {"start": q.start, "end": q.end, "text": q.text, "kind": q.kind,
         "value": list(q.value) if isinstance(q.value, tuple) else q.value}
        for q in quantities
    ]


def print_scores(title: str, scores: dict[str, tuple]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':18} {'tp':>4} {'pred':>5} {'gold':>5} {'P':>7} {'R':>7}")
    for kind, (tp, n_pred, n_gold, p, r) in scores.items():
        mark = " *" if kind in MAIN_KINDS else ""
        print(f"  {kind:18} {tp:4d} {n_pred:5d} {n_gold:5d} {p:7.3f} {r:7.3f}{mark}")
    tp = sum(scores[k][0] for k in MAIN_KINDS if k in scores)
    n_pred = sum(scores[k][1] for k in MAIN_KINDS if k in scores)
    n_gold = sum(scores[k][2] for k in MAIN_KINDS if k in scores)
    if n_pred and n_gold:
        print(f"  {'money+count+percent+area':26} P={tp / n_pred:.3f} R={tp / n_gold:.3f}")


def show_errors(predicted: list[dict], gold: list[dict], kind: str) -> None:
    preds = [p for p in predicted if p["kind"] == kind]
    golds = [g for g in gold if g["kind"] == kind]
    print(f"\nfalse positives ({kind}):")
    for p in preds:
        if not any(matches(p, g) for g in golds):
            near = [g for g in gold if p["start"] < g["end"] and g["start"] < p["end"]]
            print("  ", p["start"], p["text"], p["value"], "| gold:", [(g["text"], g["kind"], g["value"]) for g in near])
    print(f"false negatives ({kind}):")
    for g in golds:
        if not any(matches(p, g) for p in preds):
            near = [p for p in predicted if p["start"] < g["end"] and g["start"] < p["end"]]
            print("  ", g["start"], g["text"], g["value"], "| got:", [(p["text"], p["kind"], p["value"]) for p in near])


def bench_anchors(text: str, gold: list[dict]) -> None:
    print("\nanchors")
    gold_money = [g for g in gold if g["kind"] == "money"]
    try:
        from jionlp.algorithm.ner import extract_money  # type: ignore[import-not-found]
    except Exception:  # noqa: BLE001 - any failure means "not usable here"
        print("  jionlp: not installed")
    else:
        started = time.perf_counter()
        found = extract_money(text, with_parsing=True)
        elapsed = time.perf_counter() - started
        preds = []
        for item in found:
            start, end = item["offset"]
            detail = item.get("detail") or {}
            number = detail.get("num")
            if isinstance(number, list):  # a blurred amount (1000余万元) comes as [low, high]
                number = number[0]
            try:
                value = float(number)
            except (TypeError, ValueError):
                continue
            preds.append({"start": start, "end": end, "text": item["text"], "kind": "money", "value": value})
        (tp, n_pred, n_gold, p, r) = score(preds, gold_money, {"money"})["money"]
        print(f"  jionlp.extract_money: money P={p:.3f} R={r:.3f} (tp {tp}, pred {n_pred}, gold {n_gold}) {elapsed:.3f}s")
    try:
        import cn2an  # type: ignore[import-not-found]
    except Exception:  # noqa: BLE001
        print("  cn2an: not installed")
    else:
        from pipeline.extract.numbers import parse_chinese

        samples = ["两", "十四", "三万五千", "一百零五", "两千", "二十", "七", "一千零一"]
        agree = sum(1 for s in samples if cn2an.cn2an(s, "smart") == parse_chinese(s))
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cn2an warns on every numeral it cannot convert
            converted = cn2an.transform(text, "cn2an")
        elapsed = time.perf_counter() - started
        print(f"  cn2an: numeral parsing agrees with numbers.parse_chinese on {agree}/{len(samples)} samples;"
              f" cn2an.transform(text) {elapsed:.3f}s, {len(converted)} chars (it rewrites words like 一般 -> 1般:"
              f" {'1般' in converted})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--show-errors", action="append", default=[], metavar="KIND")
    args = parser.parse_args()
    corpus, gold_dir = args.shared / "corpus", args.shared / "gold"
    with open(corpus / "dazu-2022.txt", encoding="utf-8", newline="") as f:
        text = f.read()
    gold = read_jsonl(gold_dir / "dazu-2022.quantities.jsonl")
    own_kinds = {g["kind"] for g in gold} - {"date", "year", "docno"}

    started = time.perf_counter()
    quantities = find_quantities(text)
    elapsed = time.perf_counter() - started
    predicted = quantity_dicts(quantities)
    kinds = own_kinds | {p["kind"] for p in predicted}
    print_scores(f"find_quantities on dazu-2022.txt ({len(predicted)} items, {elapsed * 1000:.1f} ms)", score(predicted, gold, kinds))
    for kind in args.show_errors:
        show_errors(predicted, gold, kind)

    started = time.perf_counter()
    from pipeline.nlp import load

    nlp = load()
    load_time = time.perf_counter() - started
    print(f"\nnlp.load(): {load_time:.2f} s; pipes: {nlp.pipe_names}")
    started = time.perf_counter()
    doc = nlp(text)
    doc_time = time.perf_counter() - started
    print(f"nlp(dazu text): {doc_time * 1000:.1f} ms; spans: "
          + ", ".join(f"{k}={len(v)}" for k, v in sorted(doc.spans.items())))

    from pipeline.extract import extract
    from pipeline.records import Document, Structure

    document = Document(path=str(corpus / "dazu-2022.txt"), media_type="txt", sha256="", text=text)
    try:
        from pipeline.segment import segment  # type: ignore[attr-defined]

        structure = segment(document)
    except Exception as error:  # noqa: BLE001 - the bench runs with whatever stages exist
        print(f"segment not usable ({type(error).__name__}): claims run on an empty structure")
        structure = Structure(headings=(), passages=(), sentences=())
    started = time.perf_counter()
    extraction = extract(document, structure, nlp)
    full_time = time.perf_counter() - started
    all_pred = quantity_dicts(extraction.quantities)
    all_kinds = {g["kind"] for g in gold} | {p["kind"] for p in all_pred}
    print_scores(f"extract() on dazu-2022.txt, nlp loaded ({full_time * 1000:.1f} ms; "
                 f"{len(extraction.claims)} claims, report date {extraction.report_date})",
                 score(all_pred, gold, all_kinds))
    if extraction.docnos:
        gold_docnos = read_jsonl(gold_dir / "dazu-2022.docnos.jsonl")
        hits = sum(1 for g in gold_docnos if any(d.text == g["text"] and d.serial == g["serial"] for d in extraction.docnos))
        print(f"  docnos: {hits}/{len(gold_docnos)} gold found, {len(extraction.docnos)} predicted")
    if extraction.titles:
        gold_titles = read_jsonl(gold_dir / "dazu-2022.titles.jsonl")
        hits = sum(1 for g in gold_titles if any(t.start == g["start"] and t.end == g["end"] for t in extraction.titles))
        print(f"  titles: {hits}/{len(gold_titles)} gold found, {len(extraction.titles)} predicted")

    try:
        from pipeline.ingest import load_document  # type: ignore[attr-defined]
    except ImportError:
        print("\nPDF: pipeline.ingest.load_document not available yet")
    else:
        try:
            document = load_document(corpus / "dazu-2022.pdf")
        except Exception as error:  # noqa: BLE001 - report, do not crash the bench
            print(f"\nPDF: ingest failed: {type(error).__name__}: {error}")
        else:
            pdf_pred = quantity_dicts(find_quantities(document.text))
            print_scores("find_quantities on dazu-2022.pdf (matched by text and value)",
                         score(pdf_pred, gold, own_kinds | {p["kind"] for p in pdf_pred}, by_text=True))

    bench_anchors(text, gold)
    counts = Counter(p["kind"] for p in predicted)
    print("\npredicted kinds:", dict(sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
