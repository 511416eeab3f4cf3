"""Score dutyaudit report JSON files against gold findings (``*.findings.json``).

The matching is the one stated in every gold file's ``about``:

* a reported finding **matches** a ``must_find`` item when
  - its ``category`` equals the item's category (any category where the item's category is null),
  - its ``severity`` is at least the item's ``min_severity`` (info < warning < error), and
  - every anchor string occurs in the text of its evidence quotes taken together;
* a ``must_not_flag`` item is **violated** when a finding of the item's category (any category where null) with
  severity warning or error has an evidence quote containing the anchor.

"Taken together" means the quotes joined with a newline: an anchor may sit in any quote, but not straddle two.
Quotes are compared exactly as written (no width folding: a full-width anchor needs a full-width quote). With
``ignore_whitespace=True`` (CLI ``--ignore-whitespace``) whitespace inside quotes is dropped before comparing,
for text layers that keep layout spaces.

Usable from tests (``score(report_json, gold)``) and by humans::

    python scripts/score_findings.py OUT_DIR GOLD_DIR [--json] [--strict]

reads ``OUT_DIR/reports/<document>.json`` (per ``report-json.md``) for every ``GOLD_DIR/<document>.findings.json``,
prints one row per document and the totals. ``--strict`` exits 1 when anything is missed or violated.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_WS = re.compile(r"\s+")


def _rank(severity: Any) -> int:
    return SEVERITY_RANK.get(str(severity).lower(), -1) if severity is not None else -1


def _quotes(finding: dict, ignore_whitespace: bool) -> list[str]:
    out = []
    for ev in finding.get("evidence") or ():
        q = ev.get("quote") if isinstance(ev, dict) else None
        if isinstance(q, str):
            out.append(_WS.sub("", q) if ignore_whitespace else q)
    return out


def _category_ok(wanted: str | None, finding: dict) -> bool:
    return wanted is None or finding.get("category") == wanted


def finding_matches(finding: dict, item: dict, *, ignore_whitespace: bool = False) -> bool:
    """Does ``finding`` satisfy the ``must_find`` ``item``?"""
    if not _category_ok(item.get("category"), finding):
        return False
    if _rank(finding.get("severity")) < _rank(item.get("min_severity", "info")):
        return False
    joined = "\n".join(_quotes(finding, ignore_whitespace))
    anchors = item.get("anchors") or []
    if not anchors or not joined:
        return False
    return all(a in joined for a in anchors)


def finding_violates(finding: dict, item: dict, *, ignore_whitespace: bool = False) -> bool:
    """Does ``finding`` violate the ``must_not_flag`` ``item``?"""
    if not _category_ok(item.get("category"), finding):
        return False
    if _rank(finding.get("severity")) < SEVERITY_RANK["warning"]:
        return False
    anchor = item.get("anchor")
    if not anchor:
        return False
    return any(anchor in q for q in _quotes(finding, ignore_whitespace))


def score(report_json: dict | None, gold: dict, *, ignore_whitespace: bool = False) -> dict:
    """Score one report JSON (``dutyaudit/report@1``; ``None`` when there is none) against one gold dict.

    Returns ``document``, ``status``, ``findings`` (count), ``matched``/``missed`` (must_find ids, gold order),
    ``violated`` (must_not_flag ids), ``matches`` and ``violations`` (id -> ids of the findings responsible),
    ``must_find``/``must_not_flag`` (totals).
    """
    findings = list((report_json or {}).get("findings") or [])
    status = (report_json or {}).get("status", "missing") if report_json is not None else "missing"
    matches: dict[str, list[str]] = {}
    violations: dict[str, list[str]] = {}
    for item in gold.get("must_find", []):
        hits = [str(f.get("id", i)) for i, f in enumerate(findings)
                if finding_matches(f, item, ignore_whitespace=ignore_whitespace)]
        if hits:
            matches[item["id"]] = hits
    for item in gold.get("must_not_flag", []):
        hits = [str(f.get("id", i)) for i, f in enumerate(findings)
                if finding_violates(f, item, ignore_whitespace=ignore_whitespace)]
        if hits:
            violations[item["id"]] = hits
    must_find_ids = [it["id"] for it in gold.get("must_find", [])]
    mnf_ids = [it["id"] for it in gold.get("must_not_flag", [])]
    return {
        "document": gold.get("document"),
        "status": status,
        "findings": len(findings),
        "must_find": len(must_find_ids),
        "must_not_flag": len(mnf_ids),
        "matched": [i for i in must_find_ids if i in matches],
        "missed": [i for i in must_find_ids if i not in matches],
        "violated": [i for i in mnf_ids if i in violations],
        "matches": matches,
        "violations": violations,
    }


def load_gold_dir(gold_dir: Path) -> list[dict]:
    golds = []
    for path in sorted(Path(gold_dir).glob("*.findings.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold.setdefault("document", path.name[: -len(".findings.json")])
        golds.append(gold)
    return golds


def score_dir(out_dir: Path, gold_dir: Path, *, ignore_whitespace: bool = False) -> dict:
    """Score every gold document against ``out_dir/reports/<document>.json``."""
    reports_dir = Path(out_dir) / "reports"
    rows = []
    for gold in load_gold_dir(gold_dir):
        path = reports_dir / f"{gold['document']}.json"
        report = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        rows.append(score(report, gold, ignore_whitespace=ignore_whitespace))
    totals = {
        "documents": len(rows),
        "missing_reports": sum(r["status"] == "missing" for r in rows),
        "must_find": sum(r["must_find"] for r in rows),
        "matched": sum(len(r["matched"]) for r in rows),
        "must_not_flag": sum(r["must_not_flag"] for r in rows),
        "violated": sum(len(r["violated"]) for r in rows),
        "findings": sum(r["findings"] for r in rows),
    }
    totals["recall"] = round(totals["matched"] / totals["must_find"], 4) if totals["must_find"] else None
    return {"rows": rows, "totals": totals}


def format_table(result: dict) -> str:
    head = ("document", "status", "findings", "found", "missed", "violated")
    lines = []
    body = []
    for r in result["rows"]:
        body.append((
            str(r["document"]), str(r["status"]), str(r["findings"]),
            f"{len(r['matched'])}/{r['must_find']}",
            ",".join(r["missed"]) or "-",
            f"{len(r['violated'])}/{r['must_not_flag']}" + (f" ({','.join(r['violated'])})" if r["violated"] else ""),
        ))
    widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h) for i, h in enumerate(head)]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    lines.append(fmt.format(*head))
    lines.append(fmt.format(*("-" * w for w in widths)))
    lines.extend(fmt.format(*row) for row in body)
    t = result["totals"]
    recall = "n/a" if t["recall"] is None else f"{t['recall']:.1%}"
    lines.append("")
    lines.append(
        f"total: must_find {t['matched']}/{t['must_find']} found (recall {recall}); "
        f"must_not_flag violated {t['violated']}/{t['must_not_flag']}; "
        f"{t['findings']} findings in {t['documents']} documents"
        + (f"; {t['missing_reports']} report(s) missing" if t["missing_reports"] else "")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score dutyaudit report JSON against gold findings.")
    ap.add_argument("out_dir", type=Path, help="the --out directory of `dutyaudit audit` (reads reports/*.json)")
    ap.add_argument("gold_dir", type=Path, help="directory with <document>.findings.json files")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--ignore-whitespace", action="store_true", help="drop whitespace inside quotes before comparing")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a must_find is missed or a must_not_flag violated")
    args = ap.parse_args(argv)
    if not args.gold_dir.is_dir():
        print(f"gold directory not found: {args.gold_dir}", file=sys.stderr)
        return 2
    result = score_dir(args.out_dir, args.gold_dir, ignore_whitespace=args.ignore_whitespace)
    if not result["rows"]:
        print(f"no *.findings.json in {args.gold_dir}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_table(result))
    t = result["totals"]
    if args.strict and (t["matched"] < t["must_find"] or t["violated"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
