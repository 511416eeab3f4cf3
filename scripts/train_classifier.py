"""Train the passage classifier for a scheme from corpora/labelled/ (deterministic).

    .venv/bin/python scripts/train_classifier.py                 # default model, Dazu NOT in training
    .venv/bin/python scripts/train_classifier.py --include-dazu --out /tmp/with-dazu

Cross-validation is grouped by source document (one labelled file = one group).
The Dazu report's labels are references into ../shared/corpus/dazu-2022.txt; its
text is read at training time only when --include-dazu is given, and with or
without it the held-out Dazu accuracy is reported when the text is present.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

from pipeline import nlp
from pipeline.classify import load_scheme
from pipeline.classify.features import RANDOM_SEED
from pipeline.classify.training import (
    cross_validate,
    data_sha256,
    fit_classifier,
    load_labelled_passages,
    load_reference_passages,
    save_classifier,
)
from pipeline.errors import DutyAuditError
from pipeline.paths import corpora_dir, models_dir, project_root

DAZU_GROUP = "dazu-2022"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scheme", default="chongqing-2022")
    parser.add_argument("--include-dazu", action="store_true", help="add the Dazu report's labelled passages to training")
    parser.add_argument("--dazu-text", type=Path, default=project_root().parent / "shared" / "corpus" / "dazu-2022.txt")
    parser.add_argument("--out", type=Path, default=None, help="default: models/classifier/<scheme>/")
    parser.add_argument("--seed", type=int, default=RANDOM_SEED)
    parser.add_argument("--no-save", action="store_true", help="cross-validate only")
    args = parser.parse_args(argv)
    try:
        return run(args)
    except DutyAuditError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return int(exc.exit_code)


def run(args: argparse.Namespace) -> int:
    scheme = load_scheme(args.scheme)
    tokenize = functools.partial(nlp.words, nlp.load())
    labelled_dir = corpora_dir() / "labelled"
    passage_files = sorted((labelled_dir / "passages").glob("*.jsonl"))
    passages = load_labelled_passages(labelled_dir / "passages", scheme)
    refs_path = labelled_dir / f"{DAZU_GROUP}.refs.jsonl"
    dazu_passages = []
    if refs_path.is_file() and args.dazu_text.is_file():
        dazu_text = args.dazu_text.read_text(encoding="utf-8")
        dazu_passages = load_reference_passages(refs_path, dazu_text, scheme, DAZU_GROUP)
    if args.include_dazu and not dazu_passages:
        print(f"error: --include-dazu needs {refs_path} and {args.dazu_text}", file=sys.stderr)
        return 1
    training = passages + (dazu_passages if args.include_dazu else [])
    data_files = passage_files + ([refs_path, args.dazu_text] if args.include_dazu else [])
    digest = data_sha256(data_files)

    cv = cross_validate(training, scheme, tokenize, seed=args.seed)
    print(f"passages {cv['n_passages']} in {cv['n_groups']} source documents; {cv['method']}")
    print(f"CV accuracy: points {cv['point_accuracy']:.3f}  aspects {cv['aspect_accuracy']:.3f}")

    model_id = f"{scheme.id}@{digest[:12]}"
    classifier = fit_classifier(training, scheme, tokenize, args.seed, model_id=model_id)
    meta = {
        "model_id": model_id,
        "random_seed": args.seed,
        "training_data_sha256": digest,
        "training_files": [p.name for p in sorted(data_files, key=lambda p: p.name)],
        "n_training_passages": len(training),
        "dazu_included": bool(args.include_dazu),
        "cv": cv,
    }
    if dazu_passages and not args.include_dazu:
        meta["dazu_held_out"] = evaluate(classifier, dazu_passages, scheme, tokenize)
        held = meta["dazu_held_out"]
        print(f"Dazu (held out, {held['n']} labelled paragraphs): points {held['point_accuracy']:.3f}  aspects {held['aspect_accuracy']:.3f}")
    if args.no_save:
        return 0
    out = args.out or models_dir() / "classifier" / scheme.id
    saved = save_classifier(classifier, out, meta)
    print(f"saved {out} (model sha256 {saved['model_sha256'][:12]})")
    print(json.dumps({k: saved[k] for k in ("model_id", "dazu_included", "sklearn_version")}, ensure_ascii=False))
    return 0


def evaluate(classifier, passages, scheme, tokenize) -> dict:
    aspect_of = {p.id: p.aspect for p in scheme.points}
    rows = classifier.point_probabilities([p.text for p in passages], tokenize)
    point_hits = aspect_hits = 0
    for passage, row in zip(passages, rows):
        totals: dict[str, float] = {}
        for label, value in zip(classifier.labels, row.tolist()):
            totals[aspect_of[label]] = totals.get(aspect_of[label], 0.0) + value
        point_hits += classifier.labels[int(row.argmax())] == passage.point
        aspect_hits += max(sorted(totals), key=totals.__getitem__) == aspect_of[passage.point]
    n = len(passages)
    return {"n": n, "point_accuracy": round(point_hits / n, 4), "aspect_accuracy": round(aspect_hits / n, 4)}


if __name__ == "__main__":
    sys.exit(main())
